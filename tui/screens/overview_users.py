"""The Overview's users panel on screen: its table (in the panel, and as rows of the table view),
its row cursor, and `enter` on a user: the requests of that user in the window.

The row cursor is the tab's, not the table's focus (the tab keeps `up`/`down` for its panels):
`down` past the last panel walks into the users' rows, `up` walks back out of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.query.overview_users import Count, UserRow
from tui.safe import one_line, visible

if TYPE_CHECKING:
    from tui.api.timerange import Window
    from tui.messages import DrillDown
    from tui.query.overview_plan import OverviewPlan
    from tui.screens.base import RowTable

PANEL = "users"
#: A table view row's key for a user (bucket rows are keyed by their ISO start).
ROW_PREFIX = "user:"


def ready_users(outcomes: dict[str, Any], plan: OverviewPlan,
                ) -> tuple[tuple[UserRow, ...], str | None, str, Window]:
    """What the panel draws: its rows, the failure of its main request, a note when the errors
    could not be had, and the window (a drill's). Runs in the fetch worker's thread."""
    from tui.query import overview_plan as plan_
    from tui.query.overview_shaping import Failed
    from tui.query.overview_users import shape_users

    by_requests, by_errors = outcomes.get(plan_.USERS), outcomes.get(plan_.USER_ERRORS)
    error = by_requests.message if isinstance(by_requests, Failed) else None
    note = (f"errors unknown: {plan_.USER_ERRORS}: {by_errors.message}"
            if isinstance(by_errors, Failed) else "")
    return shape_users(by_requests, by_errors), error, note, plan.window


def count_cell(count: Count) -> str:
    if count.value is not None:
        return f"{count.value:,}"
    return "?" if count.at_most is None else f"≤{count.at_most:,}"


def rate_cell(row: UserRow) -> str:
    rate = row.error_rate
    return "-" if rate is None else f"{rate:.1f}%"


def cost_cell(row: UserRow) -> str:
    return "-" if row.cost is None else f"${row.cost:,.3f}"


def fill_users(table: RowTable, rows: tuple[UserRow, ...]) -> None:
    """The panel's table: one line per user (the user id is server text: made safe)."""
    def right(text: str) -> Text:
        return Text(text, justify="right")

    table.add_column("user", key="user")
    table.add_column(Text("requests", justify="right"), key="requests")
    table.add_column(Text("errors", justify="right"), key="errors")
    table.add_column(Text("error %", justify="right"), key="rate")
    table.add_column(Text("cost", justify="right"), key="cost")
    table.add_column("listed for", key="listed")
    for r in rows:
        table.add_row(Text(visible(r.label), overflow="ellipsis"), right(count_cell(r.requests)),
                      right(count_cell(r.errors)), right(rate_cell(r)), right(cost_cell(r)),
                      Text(f"top {r.listed_for}", "dim"), key=ROW_PREFIX + r.user_id)


def table_rows(rows: tuple[UserRow, ...], columns: list[tuple[str, str]],
               ) -> list[tuple[str, list[Text]]]:
    """The users as rows of the table view, under its buckets: the user in the time column, its
    requests under n, its error rate and cost under theirs (the columns mean the same for a
    user as for a bucket); the other columns blank."""
    out = []
    for r in rows:
        by_key = {"time": Text(visible(f"user {r.label}"), "bold"),
                  "n": Text(count_cell(r.requests), justify="right"),
                  "rate": Text("-" if r.error_rate is None else f"{r.error_rate:.2f}",
                               justify="right"),
                  "cost": Text("-" if r.cost is None else f"{r.cost:.4f}", justify="right")}
        out.append((ROW_PREFIX + r.user_id, [by_key.get(key, Text("")) for key, _ in columns]))
    return out


def panel_text(rows: tuple[UserRow, ...], error: str | None) -> tuple[str, str]:
    """The panel's message line (text, style): its failure, or that it has no users."""
    if error:
        return f"failed: users: {error}  (r retries)", "bold red"
    return ("", "") if rows else ("no users in this range", "dim")


class UsersCursor:
    """The Overview tab's cursor over the users' rows (None: not in them)."""

    users_row: int | None = None

    if TYPE_CHECKING:  # the Overview tab's (tui/screens/overview.py)
        panels: dict[str, Any]
        view: str

        def post_message(self, message: Any) -> bool: ...

    def user_rows(self) -> tuple[UserRow, ...]:
        got = self.panels.get(PANEL)
        return () if got is None or got[1] else got[0]

    def users_step(self, step: int, at_end: bool) -> bool:
        """`up`/`down` within the users' rows: `down` at the last panel enters them, `up` on
        the first leaves them. True: it moved there (the panels stay put)."""
        rows = self.user_rows()
        if self.users_row is None:
            if not (step > 0 and at_end and rows):
                return False
            self.users_row = 0
        else:
            moved = self.users_row + step
            self.users_row = None if moved < 0 or not rows else min(moved, len(rows) - 1)
        self.show_users_cursor()
        return True

    def show_users_cursor(self) -> None:
        rows = self.user_rows()
        if self.users_row is not None and not rows:
            self.users_row = None
        elif self.users_row is not None:
            self.users_row = min(self.users_row, len(rows) - 1)
        from tui.screens.overview_panels import PanelBox

        tab: Any = self  # the Overview tab, a widget (this mixin is not one)
        tab.query_one(f"#ov-{PANEL}", PanelBox).user_cursor(self.users_row)

    def drill_user_row(self) -> bool:
        """enter on the users' row under the cursor: True when there was one."""
        rows = self.user_rows()
        if self.users_row is None or not rows:
            return False
        row = rows[min(self.users_row, len(rows) - 1)]
        self.post_message(user_drill(self.panels[PANEL][3], row.user_id))
        return True

    def drill_user_key(self, key: str) -> bool:
        """enter on a row of the table view: True when it is a user's."""
        if not key.startswith(ROW_PREFIX) or PANEL not in self.panels:
            return False
        self.post_message(user_drill(self.panels[PANEL][3], key.removeprefix(ROW_PREFIX)))
        return True


def user_drill(window: Window, user_id: str) -> DrillDown:
    """The requests of `user_id` ("" too: the requests without a user) over the whole window."""
    from tui.api.fields import Op
    from tui.filters.tree import Condition
    from tui.messages import DrillDown

    label = "(no user)" if user_id == "" else user_id
    return DrillDown(window.start, window.end, Condition("user_id", Op.EQUALS, user_id),
                     one_line(f"user {label}", 60))
