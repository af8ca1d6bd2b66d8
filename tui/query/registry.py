"""The views by name, in the order the CLI lists them."""

from __future__ import annotations

from tui.query import (
    breakdown,
    breakdown_views,
    distributions,
    evals,
    models,
    properties,
    request_detail,
    requests_view,
    sessions,
    users,
)
from tui.query.base import OptionSpec, View, declared

#: Overview and Scores as the CLI has them: with `--breakdown DIM` (tui.query.breakdown_views).
VIEWS: dict[str, View] = {
    v.name: v
    for v in (breakdown_views.OVERVIEW, requests_view.VIEW, request_detail.VIEW,
              breakdown_views.SCORES, evals.VIEW, distributions.VIEW, sessions.VIEW,
              models.VIEW, users.VIEW, properties.VIEW, breakdown.VIEW)
}


def view(name: str) -> View:
    """The view called `name` (an `EndpointName` works too); KeyError when there is none."""
    return VIEWS[str(getattr(name, "value", name))]


def flags() -> dict[str, tuple[str, OptionSpec, tuple[str, ...]]]:
    """Each option flag: (field name, its declaration, the views that declare it), in the order
    the views declare them. The CLI's per-view flags are generated from this."""
    out: dict[str, tuple[str, OptionSpec, tuple[str, ...]]] = {}
    for name, v in VIEWS.items():
        for field_name, spec in declared(v.options_type):
            if spec.flag is None:
                continue
            if spec.flag in out:
                known_name, known, owners = out[spec.flag]
                out[spec.flag] = (known_name, known, (*owners, name))
            else:
                out[spec.flag] = (field_name, spec, (name,))
    return out


def not_for(view_name: str, given: dict[str, object]) -> list[str]:
    """One message per option set (field name -> value, None/False = not set) that `view_name`
    does not declare: "--increment applies to scores only, not evals"."""
    errors: list[str] = []
    for flag, (field_name, _, owners) in flags().items():
        value = given.get(field_name)
        if value is None or value is False or view_name in owners:
            continue
        names = sorted(owners)
        where = " and ".join(names) if len(names) < 3 else (
            ", ".join(names[:-1]) + " and " + names[-1])
        errors.append(f"{flag} applies to {where} only, not {view_name}")
    return errors
