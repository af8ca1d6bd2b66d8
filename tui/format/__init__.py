"""Text for people: numbers, durations, times, the plot, the bars and the answer writers (CSV,
JSON, tables) (DESIGN.md "Layers and layout"). One formatter of each kind, used by the command
line and the app alike. Pure: no Textual, nothing of the query layer or above."""
