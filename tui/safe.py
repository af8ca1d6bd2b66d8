"""Terminal-safe text (DESIGN.md "Terminal safety"): the name every layer imports.

The code lives in `tui.api.safe_text`, the lowest layer that needs it (the client quotes what a
server says in its errors; export writes server text), so that `tui.api` imports nothing of the
app but itself. Standard library only.
"""

from tui.api.safe_text import is_safe, json_text, one_line, visible

__all__ = ["is_safe", "json_text", "one_line", "visible"]
