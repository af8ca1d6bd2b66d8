"""Which plain-http hosts may get the key: localhost itself and loopback literals, nothing else."""

from __future__ import annotations

import pytest

from tui.api.errors import UsageError
from tui.api.target import check_base_url, is_loopback


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1", "[::1]",
     "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"],
)
def test_loopback_literals_and_localhost_are_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["evil.localhost", "a.b.localhost", "localhost.", "localhost.evil.com", "localhostx",
     "128.0.0.1", "0.0.0.0", "::", "[::2]", "10.0.0.1", "::ffff:10.0.0.1", "example.com", "",
     "127.0.0.1.nip.io"],
)
def test_names_that_only_look_local_are_not(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8585", "http://127.0.0.1:8585/", "http://[::1]:8585", "http://127.1.2.3"],
)
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://evil.localhost", "http://evil.localhost:8585", "http://x.localhost.",
            "http://localhost.attacker.example"],
)
def test_plain_http_to_a_localhost_lookalike_is_refused(url: str) -> None:
    with pytest.raises(UsageError) as info:
        check_base_url(url)
    assert info.value.exit_code == 2 and "--allow-insecure-http" in info.value.message
    assert check_base_url(url, allow_insecure_http=True)  # the user may still choose to
