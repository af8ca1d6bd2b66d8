"""Which of the field catalogue's caveats concern one condition, shown beside it where it is edited.

The catalogue (`tui.api.fields`) lists every caveat a field can have; this picks the ones that
bite for the condition's operator and value, and for the tab that will send it.
"""

from __future__ import annotations

from typing import TypeGuard

from tui.api import fields as catalogue
from tui.api.fields import Op, Table, get_field
from tui.filters.tree import Condition

#: Shown next to a session field when the active tab cannot send it.
NOT_SENT_BY_TAB = "not sent by this tab: session field"

_INT32_MAX = 2_147_483_647


def _whole(value: object) -> TypeGuard[int | float]:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def _concerns(caveat: str, cond: Condition) -> bool:
    """Whether a catalogue caveat of the field concerns this very condition.

    The catalogue lists every caveat a field can have; some only bite with certain operators or
    values (wildcards only with like/contains, the 32-bit wrap only for large numbers). Showing
    those on every condition of the field would drown the ones that matter. Caveats not listed
    here always concern the condition.
    """
    op, value = cond.op, cond.value
    if caveat == catalogue.WILDCARDS:
        return op in (Op.LIKE, Op.CONTAINS, Op.NOT_CONTAINS)
    if caveat == catalogue.MISSING_PROPERTY:
        return op in (Op.NOT_EQUALS, Op.NOT_CONTAINS)
    if caveat == catalogue.FEEDBACK_FALSE:
        return value is False
    if caveat == catalogue.SESSION_TAG_CONTAINS:
        return op is Op.CONTAINS
    if caveat == catalogue.INT32:
        return _whole(value) and abs(value) > _INT32_MAX
    if caveat == catalogue.COST_INT32:
        # Helicone multiplies by 1e9 and binds a whole result as Int32 (SEMANTICS §6.2).
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        scaled = value * 1e9
        return scaled.is_integer() and abs(scaled) > _INT32_MAX
    # Restrictions the parser enforces (a condition in the tree already obeys them) never do.
    return caveat not in (catalogue.SCORES_INT, catalogue.PROPERTY_KEY_EQUALS)


def condition_caveats(cond: Condition, *, sessions: bool | None = None) -> tuple[str, ...]:
    """The catalogue's caveats that concern `cond`, for display next to it.

    `sessions`: whether the active tab sends session fields (True: the Sessions tab; False: any
    other tab; None: unknown). On a tab that cannot send a session field, the catalogue's
    general "only the Sessions tab" note becomes the sharper `NOT_SENT_BY_TAB`; on the Sessions
    tab it is dropped, being moot there.
    """
    info = get_field(cond.field)
    if info is None:
        return (f"'{cond.field}' is not a field Helicone knows",)
    out = [c for c in info.caveats if c != catalogue.SESSION_ONLY and _concerns(c, cond)]
    if info.table is Table.SESSION:
        if sessions is False:
            out.insert(0, NOT_SENT_BY_TAB)
        elif sessions is None:
            out.insert(0, catalogue.SESSION_ONLY)
    return tuple(out)
