"""The key is masked in whatever text it hides in, and a failed key command shows none of it."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest

from tui.config import ApiKey, ConfigError, hide_secrets, run_key_command

KEY = "sk-helicone-testkey-SECRET-0123456789-wxyz"
MASKED = "sk-…wxyz"
BEARER = f"Bearer {KEY}"

FORMS = {
    "as is": KEY,
    "upper case": KEY.upper(),
    "lower case": KEY.lower(),
    "url-encoded": "".join(f"%{ord(c):02X}" for c in KEY),
    "url-encoded twice": "".join(f"%25{ord(c):02x}" for c in KEY),
    "url-encoded, some": KEY.replace("-", "%2D"),
    "json \\u, every char": "".join(f"\\u{ord(c):04x}" for c in KEY),
    "json \\u, mixed": "".join(f"\\u{ord(c):04X}" if i % 2 else c for i, c in enumerate(KEY)),
    "repr \\x": "".join(f"\\x{ord(c):02x}" for c in KEY),
    "html decimal": "".join(f"&#{ord(c)};" for c in KEY),
    "html hex": "".join(f"&#x{ord(c):x};" for c in KEY),
    "hex": KEY.encode().hex(),
    "base64": base64.b64encode(KEY.encode()).decode(),
    "base64 of the header": base64.b64encode(BEARER.encode()).decode(),
    "base64 of the header line": base64.b64encode(f"Authorization: {BEARER}".encode()).decode(),
    "base64url, shifted": base64.urlsafe_b64encode(f"xx{KEY}".encode()).decode(),
    "cut after 30": KEY[:30],
    "its last 30": KEY[-30:],
}


@pytest.mark.parametrize("form", FORMS.values(), ids=FORMS.keys())
def test_scrub_masks_the_key_in_any_form(form: str) -> None:
    shown = ApiKey(KEY).scrub(f'{{"error": "bad auth <{form}> end"}}')
    assert form not in shown and "secret" not in shown.lower()
    assert MASKED in shown and shown.endswith("> end\"}")


def test_scrub_leaves_other_text_alone() -> None:
    key = ApiKey(KEY)
    text = "sk-helicone-other-key-0000 and a sk-…wxyz and the word helicone"
    assert key.scrub(text) == text
    assert key.scrub(json.dumps({"x": 1})) == '{"x": 1}'


def test_hide_secrets_masks_tokens_but_not_words_or_paths() -> None:
    text = (f"denied {KEY}, pk-helicone-abcdef123456 and ghp_0123456789abcdefABCDEF01 at "
            "/usr/lib/python3/dist-packages/op: vault-is-locked-please-unlock-it")
    shown = hide_secrets(text)
    assert KEY not in shown and "abcdef123456" not in shown and "0123456789abcdef" not in shown
    assert "/usr/lib/python3/dist-packages/op" in shown and "vault-is-locked-please" in shown


def _script(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "key.py"
    script.write_text(body)
    return [sys.executable, str(script)]


def test_a_failed_key_command_shows_none_of_its_stdout(tmp_path: Path) -> None:
    # It failed, so which line was the key is unknown: none of its stdout may be shown.
    command = _script(tmp_path, (
        "import sys\n"
        "print('first line'); print('opaque-but-no-digits-here-xyz')\n"
        "print('error: first line and opaque-but-no-digits-here-xyz rejected', file=sys.stderr)\n"
        "sys.exit(4)\n"
    ))
    with pytest.raises(ConfigError) as info:
        run_key_command(command, timeout=10, origin="test")
    message = info.value.message
    assert "exit status 4" in message and "rejected" in message
    assert "first line" not in message and "opaque-but-no-digits" not in message


def test_a_failed_key_command_masks_key_shaped_tokens_and_control_codes(tmp_path: Path) -> None:
    command = _script(tmp_path, (
        "import sys\n"
        f"print('cannot unlock {KEY} \\x1b]0;title\\x07 now', file=sys.stderr)\n"
        "sys.exit(1)\n"
    ))
    with pytest.raises(ConfigError) as info:
        run_key_command(command, timeout=10, origin="test")
    assert KEY not in info.value.message and MASKED in info.value.message
    assert "\x1b" not in info.value.message and "\\x1b" in info.value.message


def test_a_key_command_that_cannot_run_does_not_echo_a_key_in_its_arguments() -> None:
    with pytest.raises(ConfigError) as info:
        run_key_command(["/nonexistent/helper", KEY], timeout=10, origin="test")
    assert "could not run" in info.value.message and KEY not in info.value.message
