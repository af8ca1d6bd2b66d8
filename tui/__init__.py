"""helicone-tui: a keyboard-driven terminal app for Helicone's query APIs."""

__version__ = "0.1.0"
