"""The headless query core shared by the command line and the app (no Textual, no rich).

One module per view (its typed options, request building and answer shaping), the investigation
and target (`context`), the previous period (`compare`) and the views by name (`registry`).
"""
