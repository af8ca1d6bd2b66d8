"""What a view is: its name, the endpoint(s) it asks, its typed options, and how it builds its
request(s) from the investigation and shapes the answer (DESIGN.md, "Layers and layout").

A view's options are a frozen dataclass; each field that the user can set declares, once, in its
metadata (`option(...)`) the CLI flag, the preset key and the help. The `query` sub-command's flags,
the options read from a preset, and the "does not apply to this view" errors all come from those
declarations, so the CLI and the app cannot disagree (the sessions note printed p75 while p95 was
sent, before). Pure: no Textual, no rich.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from tui.api.timerange import Window, check_tz_offset, iso_z, tz_offset_minutes
from tui.query.compare import Paired, previous_request
from tui.query.context import Investigation

if TYPE_CHECKING:  # the wire models need pydantic: imported where a request is built
    from tui.api.models import EndpointName, TimeFilter, WireRequest

#: The key of an option's declaration in a dataclass field's metadata.
OPTION = "option"


@dataclass(frozen=True)
class OptionSpec:
    """How one option is spelled outside the code: on the command line and in a preset."""

    flag: str | None  # e.g. "--p-size"; None: the app only (compare)
    help: str = ""
    preset: str | None = None  # the preset key, e.g. "p_size"; None: presets do not set it
    choices: tuple[str, ...] | None = None
    #: "choice", "int" (any whole number), "count" (0 or more), "text", "switch" (store_true)
    kind: str = "text"
    metavar: str | None = None
    #: From the text given (flag or preset) to the field's value, e.g. "p95" -> PSize.P95.
    convert: Callable[[Any], Any] | None = None


def option(flag: str | None, help: str = "", **spec: Any) -> dict[str, OptionSpec]:
    """A dataclass field's metadata declaring it an option (see `OptionSpec`):
    `p_size: PSize | None = field(default=None, metadata=option("--p-size", ...))`."""
    return {OPTION: OptionSpec(flag, help, **spec)}


def declared(options_type: type) -> list[tuple[str, OptionSpec]]:
    """(field name, declaration) for each option of `options_type`, in field order."""
    out: list[tuple[str, OptionSpec]] = []
    for f in dataclasses.fields(options_type):
        spec = f.metadata.get(OPTION)
        if spec is not None:
            out.append((f.name, spec))
    return out


def _check_count(name: str, value: int | None) -> list[str]:
    if value is not None and value < 0:
        return [f"--{name} must be 0 or more, not {value}"]
    return []


def _check_tz(value: int | None) -> list[str]:
    if value is None:
        return []
    try:
        check_tz_offset(value)
    except ValueError as exc:
        return [str(exc)]
    return []


OptionsT = TypeVar("OptionsT")


class View(Generic[OptionsT]):
    """One view. Subclasses set the class attributes and `request`, and may override `shape`,
    `notes` and `send`."""

    name: ClassVar[str]  # also the name of the endpoint it asks
    options_type: ClassVar[type]
    #: Does the endpoint take session fields in its filter (SEMANTICS §5)?
    sessions: ClassVar[bool] = False

    @property
    def endpoint(self) -> EndpointName:
        from tui.api.models import EndpointName

        return EndpointName(self.name)

    # ----------------------------------------------------------------- options

    def defaults(self) -> OptionsT:
        return self.options_type()

    def options(self, given: Mapping[str, Any] | None = None,
                preset: Any | None = None) -> OptionsT:
        """The options from `given` (field name -> value; None = not given), else the preset's
        values for the keys this view declares, else the defaults."""
        values: dict[str, Any] = {}
        given = dict(given or {})
        for name, spec in declared(self.options_type):
            value = given.pop(name, None)
            if value is None and preset is not None and spec.preset is not None:
                value = getattr(preset, spec.preset, None)
            if value is None:
                continue
            values[name] = spec.convert(value) if spec.convert is not None else value
        for name, value in given.items():  # undeclared fields (none today) pass as given
            if value is not None:
                values[name] = value
        return self.options_type(**values)

    def problems(self, options: OptionsT) -> list[str]:
        """What is wrong with `options` (the same checks the CLI and `build` make)."""
        errors: list[str] = []
        for name in ("limit", "offset"):
            errors += _check_count(name, getattr(options, name, None))
        return errors + _check_tz(getattr(options, "tz_offset", None))

    # ----------------------------------------------------------------- requests

    def build(
        self,
        investigation: Investigation,
        window: Window,
        options: OptionsT | None = None,
        *,
        compare: bool = False,
        tz: tzinfo | None = None,
    ) -> WireRequest | Paired:
        """The request for the investigation's filter over `window`; with `compare`, a `Paired`
        of it and the previous period's (only the time filter differs)."""
        return self.build_for(investigation.filter, window, options, compare=compare, tz=tz)

    def build_for(
        self,
        filter: Any,
        window: Window,
        options: OptionsT | None = None,
        *,
        compare: bool = False,
        tz: tzinfo | None = None,
    ) -> WireRequest | Paired:
        from tui.filters.text import check_for_endpoint
        from tui.filters.wire import to_wire

        options = self.defaults() if options is None else options
        problems = self.problems(options)
        if problems:
            raise ValueError("; ".join(problems))
        check_for_endpoint(filter, sessions=self.sessions)
        wire_filter = to_wire(filter, sessions=self.sessions, tz=tz)
        tz_offset = getattr(options, "tz_offset", None)
        if tz_offset is None:
            tz_offset = tz_offset_minutes(window.end, tz)
        request = self.request(wire_filter, window, options, tz_offset)
        if compare:
            return previous_request(self.name, request, window)
        return request

    def request(
        self, wire_filter: Any, window: Window, options: OptionsT, tz_offset: int
    ) -> WireRequest:
        raise NotImplementedError

    async def send(self, client: Any, request: Any) -> Any:
        """The answer(s): one request's data, or [current, previous] when comparing."""
        if isinstance(request, Paired):
            import asyncio

            return list(await asyncio.gather(
                self.ask(client, request.current), self.ask(client, request.previous)
            ))
        return await self.ask(client, request)

    async def ask(self, client: Any, request: Any) -> Any:
        """One request's data (the client's method for this view's endpoint)."""
        raise NotImplementedError

    # ----------------------------------------------------------------- answers

    def shape(self, raw: Any, window: Window, options: OptionsT, **kwargs: Any) -> Any:
        """The answer as the tab shows it (the honest-number maths); pure."""
        return raw

    def notes(self, request: Any) -> Sequence[str]:
        """Notes printed beside the answer, written from the request as sent."""
        return ()


def time_filter(window: Window) -> TimeFilter:
    from tui.api.models import TimeFilter

    return TimeFilter(start=iso_z(window.start), end=iso_z(window.end))


def _int(value: Any) -> int:
    return int(value)


#: `--tz-offset MINUTES`, which every view sends (Helicone's sign: UTC minus local).
TZ_OFFSET = option(
    "--tz-offset", "UTC minus local, positive west (New York winter = 300); "
    "default: the local zone at the range's end", kind="int", metavar="MINUTES", convert=_int,
)
#: Compare with the previous period (the app's `v`; no flag, no preset key).
COMPARE = option(None)
