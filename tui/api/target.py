"""Checks of the target URL and what explains a 401 there: light, no httpx or pydantic."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from tui.api.errors import UsageError
from tui.api.key import ApiKey

#: Helicone's hosts, one per region (written here only: the rest derive from these).
US_HOST = "api.helicone.ai"
EU_HOST = "eu.api.helicone.ai"
DEFAULT_BASE_URL = f"https://{US_HOST}"
EU_BASE_URL = f"https://{EU_HOST}"
DEFAULT_MAX_ANSWER_MB = 32.0  # DESIGN.md: answers are read with a 32 MB (decoded) cap


def region_of(base_url: str) -> str | None:
    """"US" or "EU" for Helicone's own hosts, else None."""
    host = urlsplit(base_url).hostname or ""
    return {US_HOST: "US", EU_HOST: "EU"}.get(host)


def is_loopback(host: str) -> bool:
    """Only `localhost` itself and loopback address literals (127.0.0.0/8, ::1, bracketed or not).

    A name under .localhost is left to the resolver and whatever answers it (DESIGN.md).
    """
    host = host.strip().lower()
    if host == "localhost":
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback  # ::ffff:127.0.0.1
    return address.is_loopback


def check_base_url(base_url: str, *, allow_insecure_http: bool = False) -> str:
    """The base URL without a trailing slash; refuses what would leak the key or cannot work."""
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{base_url!r} is not an http(s) URL: use e.g. {DEFAULT_BASE_URL} or --eu"
        )
    if parts.query or parts.fragment:
        raise UsageError(f"{base_url!r}: a base URL takes no ?query or #fragment")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_insecure_http:
        raise UsageError(
            f"refusing to send the API key over plain http:// to {parts.hostname}: "
            "use https://, or pass --allow-insecure-http if you trust the network"
        )
    return url


def host_of(base_url: str) -> str:
    return urlsplit(base_url).netloc or base_url


def auth_causes(base_url: str, key: ApiKey | None = None) -> list[str]:
    """What usually explains a 401 here, most likely first (SEMANTICS §1.2, §1.3)."""
    region = region_of(base_url)
    value = key.reveal() if key is not None else ""
    looks_eu = bool(re.match(r"^(?:[a-z]{2}-)?(?:helicone-)?eu-", value))  # docs: EU keys: eu-
    causes: list[str] = []
    if value.startswith("pk-"):
        causes.append("a pk- key is write-only and cannot read the API: create an sk- key")
    if looks_eu and region == "US":
        causes.append("the key looks like an EU key but the target is the US API: use --eu")
    causes.append("the key is wrong, revoked, or from another organization")
    if region == "US" and not looks_eu:
        causes.append("an EU key on the US API: use --eu (keys are per region)")
    elif region == "EU":
        causes.append("a US key on the EU API: drop --eu (keys are per region)")
    elif region is None:
        causes.append(
            f"a key from another region or server (US keys work on {US_HOST}, "
            f"EU keys on {EU_HOST})"
        )
    causes.append(
        "a read-only key: Helicone's query endpoints are POST and need a key with write permission"
    )
    return causes
