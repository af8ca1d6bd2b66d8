"""helicone-tui: a keyboard-driven terminal app for Helicone's query APIs."""

__version__ = "0.1.0"

#: What the app and the CLI tell the server they are (tui.api is told: it imports nothing of tui).
USER_AGENT = f"helicone-tui/{__version__}"
