"""The synthetic world of the demo data: models, providers, customers, sessions and the three
incidents to find, and the SQL snippets that draw from them deterministically (hashes, not rand()).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

#: (model, provider, weight, price in nano-USD per prompt token, per completion token,
#:  base latency ms, ms per completion token)
MODELS: tuple[tuple[str, str, int, int, int, int, int], ...] = (
    ("gpt-4o-mini", "OPENAI", 30, 150, 600, 300, 8),
    ("gpt-4o", "OPENAI", 20, 2500, 10000, 500, 15),
    ("o3-mini", "OPENAI", 5, 1100, 4400, 2500, 25),
    ("claude-3-5-sonnet-20241022", "ANTHROPIC", 18, 3000, 15000, 700, 18),
    ("claude-3-5-haiku-20241022", "ANTHROPIC", 10, 800, 4000, 350, 9),
    ("gemini-1.5-pro", "GOOGLE", 7, 1250, 5000, 600, 14),
    ("llama-3.1-70b-versatile", "GROQ", 5, 590, 790, 150, 3),
    ("mistral-large-latest", "MISTRAL", 5, 2000, 6000, 450, 12),
)
TARGET_URLS = {
    "OPENAI": "https://api.openai.com/v1/chat/completions",
    "ANTHROPIC": "https://api.anthropic.com/v1/messages",
    "GOOGLE": "https://generativelanguage.googleapis.com/v1beta/models",
    "GROQ": "https://api.groq.com/openai/v1/chat/completions",
    "MISTRAL": "https://api.mistral.ai/v1/chat/completions",
}
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("US", 35), ("GB", 10), ("DE", 9), ("IN", 9), ("FR", 6), ("BR", 6), ("CA", 5), ("JP", 5),
    ("AU", 4), ("NL", 3), ("ES", 3), ("SE", 2), ("MX", 2), ("", 1),  # "": unknown (logger)
)
#: The `customer` property: which account sent the request ("" -> no property).
CUSTOMERS: tuple[tuple[str, int], ...] = (
    ("acme-corp", 24), ("initech", 18), ("globex", 14), ("umbrella", 12), ("hooli", 10),
    ("stark-industries", 8), ("wayne-enterprises", 6), ("", 8),
)
#: The error burst comes with a retry storm from one customer: its client retries the failing
#: model, so in the burst window that customer's requests (and its users) jump to the top.
STORM_CUSTOMER = "globex"
STORM_SHARE = 0.004  # extra requests, as a share of `requests`, all inside the burst window
ENVIRONMENTS: tuple[tuple[str, int], ...] = (
    ("production", 78), ("staging", 12), ("development", 5), ("", 5),  # "" -> no property
)
TIERS: tuple[tuple[str, int], ...] = (("free", 40), ("pro", 22), ("enterprise", 8), ("", 30))
#: Session kinds: (Helicone-Session-Name, weight, min size, extra size, min gap ms, extra gap ms,
#:  paths the requests walk through).
SESSION_KINDS: tuple[tuple[str, int, int, int, int, int, tuple[str, ...]], ...] = (
    ("Support Chat", 35, 1, 9, 8_000, 80_000,
     ("/chat", "/chat/retrieve", "/chat/answer", "/chat/followup")),
    ("Research Agent", 25, 4, 14, 1_500, 15_000,
     ("/agent/plan", "/agent/tool/search", "/agent/tool/browse", "/agent/summarize")),
    ("Checkout Assistant", 20, 3, 4, 4_000, 30_000,
     ("/checkout/cart", "/checkout/recommend", "/checkout/confirm")),
    ("Onboarding Flow", 20, 4, 5, 15_000, 100_000,
     ("/onboarding/welcome", "/onboarding/profile", "/onboarding/tips")),
)
SESSION_TAGS: tuple[str, ...] = ("checkout", "vip", "escalated", "beta", "refund", "priority")
TOPICS: tuple[str, ...] = (
    "reset my password", "summarize this contract", "refund for order", "translate to German",
    "classify this ticket", "write a haiku about rain", "explain the invoice",
    "compare two laptops", "draft a follow-up email", "find flights to Lisbon",
    "debug this stack trace", "recommend a book",
)
#: UTC hour-of-day weights: the daily rhythm.
HOUR_WEIGHTS: tuple[int, ...] = (
    3, 2, 2, 2, 2, 3, 4, 6, 8, 10, 11, 12, 12, 13, 14, 14, 13, 12, 10, 9, 8, 6, 5, 4,
)
SESSION_SHARE = 0.62  # of requests that belong to a session; the rest have no session id


@dataclass(frozen=True, slots=True)
class Incidents:
    """The three findable incidents (UTC instants), so docs and tests can point at them."""

    error_model: str
    error_customer: str  # the retry storm's customer (property `customer`)
    error_start: datetime
    error_end: datetime
    latency_provider: str
    latency_start: datetime
    latency_end: datetime
    prompt_id: str
    prompt_change: datetime  # prompt_version v3 -> v4; accuracy drops after it


def anchor_time(now: datetime | None) -> datetime:
    """The data's anchor: `now` as given (made UTC), or now rounded down to the hour."""
    if now is None:
        return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    if now.tzinfo is None:
        now = now.astimezone()  # a naive time is local time, as on the command line
    return now.astimezone(UTC)


def incidents_for(now: datetime, days: int) -> Incidents:
    """Place the incidents at fixed fractions of the window, hour-aligned."""
    hours = days * 24

    def ago(fraction: float, minimum: int) -> datetime:
        return now - timedelta(hours=max(minimum, round(hours * fraction)))

    span = max(1, min(4, hours // 8))
    err0, lat0 = ago(0.17, 3), ago(0.07, 2)
    return Incidents(
        error_model="gpt-4o-mini",
        error_customer=STORM_CUSTOMER,
        error_start=err0,
        error_end=err0 + timedelta(hours=min(3, span)),
        latency_provider="ANTHROPIC",
        latency_start=lat0,
        latency_end=lat0 + timedelta(hours=span),
        prompt_id="support-reply",
        prompt_change=ago(0.27, 4),
    )


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def _array(values: Any) -> str:
    """An SQL array literal of our own constants (never user input)."""
    items = []
    for v in values:
        if isinstance(v, str):
            items.append("'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'")
        else:
            items.append(repr(v))
    return "[" + ", ".join(items) + "]"


def _cumulative(weights: Any) -> list[float]:
    total = float(sum(weights))
    acc, out = 0.0, []
    for w in weights:
        acc += w
        out.append(round(acc / total, 6))
    return out


def _tag_constant(tag: str) -> int:
    """A fixed 64-bit constant per purpose, so each purpose draws its own stream."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=8).digest(), "little")


class _Gen:
    """SQL snippets for deterministic randomness.

    Each row has one base hash, `cityHash64(seed, key)`; each purpose mixes a fixed constant into
    it with `intHash64`, which is far cheaper than hashing (seed, purpose, key) every time.
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed) & 0xFFFFFFFFFFFFFFFF

    def base(self, key: str, domain: str = "") -> str:
        if domain:
            return f"cityHash64(toUInt64({self.seed}), '{domain}', {key})"
        return f"cityHash64(toUInt64({self.seed}), {key})"

    def h(self, tag: str, base: str) -> str:
        return f"intHash64(bitXor({base}, toUInt64({_tag_constant(tag)})))"

    def u(self, tag: str, base: str) -> str:
        """Uniform in [0, 1)."""
        return f"({self.h(tag, base)} / 18446744073709551616.)"

    def z(self, tag: str, base: str) -> str:
        """About N(0, 1): Irwin-Hall of 4 uniforms, rescaled."""
        parts = " + ".join(self.u(f"{tag}{i}", base) for i in range(4))
        return f"(({parts}) - 2) * 1.7320508075688772"

    @staticmethod
    def pick(cum: list[float], u: str) -> str:
        """A 0-based index drawn by the uniform column `u` with cumulative shares `cum`."""
        branches = ", ".join(f"{u} < {c!r}, {i}" for i, c in enumerate(cum[:-1]))
        return f"multiIf({branches}, {len(cum) - 1})" if branches else "0"

    def uuid(self, tag: str, base: str) -> str:
        """A version-4-shaped UUID from two derived hashes."""
        hi = f"bitOr(bitAnd({self.h(tag + 'a', base)}, 0xFFFFFFFFFFFF0FFF), 0x4000)"
        lo = (
            f"bitOr(bitAnd({self.h(tag + 'b', base)}, 0x3FFFFFFFFFFFFFFF), "
            "0x8000000000000000)"
        )
        return (
            f"reinterpretAsUUID(concat(reinterpretAsFixedString(toUInt64({hi})), "
            f"reinterpretAsFixedString(toUInt64({lo}))))"
        )
