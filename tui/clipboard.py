"""Copy text to the user's clipboard with OSC 52, through the app's driver.

OSC 52 is an escape sequence the terminal turns into a clipboard write, so it works over SSH and
inside tmux (with `set -g set-clipboard on`), where no local clipboard tool could reach the user's
machine. Textual's `App.copy_to_clipboard` writes it to the terminal through the driver; this
module adds what the user needs to hear: whether the text was sent, and why it might not arrive.
"""

from __future__ import annotations

import os
from typing import Any

#: Terminals cap OSC 52 payloads (xterm about 100 kB of base64, some far less); above this the
#: copy would be silently dropped, so it is not attempted.
MAX_BYTES = 74_000


def copy(app: Any, text: str) -> tuple[bool, str]:
    """Send `text` to the clipboard with OSC 52; (sent, a one-line message for the user)."""
    size = len(text.encode("utf-8"))
    if size * 4 // 3 > MAX_BYTES:
        return False, (
            f"too long for the terminal's clipboard ({size:,} bytes): select it on screen instead"
        )
    app.copy_to_clipboard(text)
    return True, "copied (OSC 52)" + where_hint()


def where_hint(environ: Any = None) -> str:
    """A note on what the terminal must allow for OSC 52 to arrive; "" when nothing is known."""
    env = os.environ if environ is None else environ
    if env.get("TMUX"):
        return "; inside tmux it needs `set -g set-clipboard on`"
    if env.get("STY"):
        return "; GNU screen may not pass OSC 52 on"
    return ""
