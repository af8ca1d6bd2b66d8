"""Text for people: numbers, durations, times, the plot and the bars (DESIGN.md "Layers and
layout"). One formatter of each kind, used by the command line and the app alike. Pure: no Textual,
nothing of the query layer or above."""
