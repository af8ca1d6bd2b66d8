"""The presets file: reading it, and changing it under a lock with an atomic write.

Every change runs under an exclusive lock (flock on the file's folder) and re-reads the file under
it, so saves from two processes at once lose nothing; then it is written atomically (temporary file
in the same folder, fsync, rename, fsync the folder). A symlink is written through to its target
and stays a symlink; a new file gets mode 0600, an existing one keeps its mode. A file that does not
parse is reported with its line and never written: every change refuses.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomlkit

from tui.files import LockTimeout, locked, write_atomic
from tui.presets.model import (
    InvalidPreset,
    Preset,
    PresetExists,
    PresetFileError,
    UnknownPreset,
    check_name,
)
from tui.presets.reading import decode, parse_document, presets_mapping, read_presets
from tui.presets.toml_edit import (
    appended,
    deleted_text,
    means,
    presets_table,
    presets_text,
    renamed_text,
    replace_table,
    with_tables,
)

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

_LOCK_TIMEOUT = 10.0
_NEW_FILE_COMMENT = "helicone-tui presets; hand edits and comments are kept when the app saves"


@dataclass
class LoadResult:
    """What loading found: the presets that validate, and one message per problem.

    `error` is set when the whole file is unusable (does not parse, cannot be read): then there are
    no presets and every change refuses.
    """

    presets: dict[str, Preset] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class ImportResult:
    """What an import did. Conflicts are `skipped` unless replace was asked."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: names in the source that did not validate (not imported); `problems` says why
    invalid: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)



@contextlib.contextmanager
def _locked(folder: str) -> Iterator[None]:
    """The presets lock, its timeout told as a presets error."""
    try:
        with locked(folder, _LOCK_TIMEOUT):
            yield
    except LockTimeout:
        raise PresetFileError(
            f"{folder}: another helicone-tui has held the presets lock for "
            f"{_LOCK_TIMEOUT:.0f} s; nothing was changed"
        ) from None


class PresetStore:
    """The presets file at `path` (default: `--presets-file`, `$HELICONE_TUI_PRESETS`, else the
    XDG config folder's presets.toml). Reads are lock-free (writes are atomic renames); every change
    locks, re-reads, applies, writes.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        if path is None:
            from tui.locations import presets_file

            path = presets_file()
        self.path = Path(path).expanduser()

    def __repr__(self) -> str:
        return f"PresetStore({str(self.path)!r})"

    # ---- reading

    def load(self) -> LoadResult:
        """The presets that validate and a message per problem; never raises for file contents."""
        try:
            text = self._read()
        except PresetFileError as exc:
            return LoadResult(problems=[str(exc)], error=str(exc))
        if text is None:
            return LoadResult()
        try:
            doc = parse_document(text, str(self.path))
            presets, problems = read_presets(doc.unwrap(), str(self.path))
        except PresetFileError as exc:
            return LoadResult(problems=[str(exc)], error=str(exc))
        return LoadResult(presets=presets, problems=problems)

    def get(self, name: str) -> Preset:
        """One preset; UnknownPreset or InvalidPreset (its problem) or PresetFileError."""
        result = self.load()
        if result.error:
            raise PresetFileError(result.error)
        if name in result.presets:
            return result.presets[name]
        mine = [p for p in result.problems if p.startswith(f"preset {name!r}:")]
        if mine:
            raise InvalidPreset("; ".join(mine))
        raise self._unknown(name, list(result.presets))

    def export(self, names: list[str] | tuple[str, ...] = ()) -> str:
        """The named presets (all valid ones when none are named) as a presets TOML text."""
        result = self.load()
        if result.error:
            raise PresetFileError(result.error)
        if names:
            chosen = [self.get(name) for name in dict.fromkeys(names)]
        else:
            chosen = list(result.presets.values())
        return presets_text(chosen)

    # ---- changing

    def save(self, preset: Preset, *, replace: bool = False) -> None:
        """Add `preset`, or (with replace) update the one of that name in place."""

        def change(doc: TOMLDocument) -> list[Preset]:
            presets = presets_table(doc, str(self.path), create=False)
            if presets is None or preset.name not in presets:
                return [preset]
            if not replace:
                raise PresetExists(f"a preset named {preset.name!r} already exists")
            return replace_table(presets, preset)

        self._change(change)

    def rename(self, old: str, new: str) -> None:
        """Rename a preset (valid or not), keeping its place, settings and comments."""
        check_name(new)

        def change(doc: TOMLDocument) -> list[Preset]:
            presets = self._existing(doc, old)
            if new == old:
                return []
            if new in presets:
                raise PresetExists(f"a preset named {new!r} already exists")
            # tomlkit has no rename: the table moves to the end (the line edit keeps its place).
            item = presets[old]
            try:
                moved = copy.deepcopy(item)
            except Exception:  # a proxy tomlkit cannot copy: its values will do
                moved = tomlkit.item(item.unwrap() if hasattr(item, "unwrap") else dict(item))
            del presets[old]
            presets[new] = moved
            return []

        self._change(change, lines=lambda text: renamed_text(text, old, new))

    def delete(self, name: str) -> None:
        """Delete a preset (valid or not) and the comments inside it."""

        def change(doc: TOMLDocument) -> list[Preset]:
            del self._existing(doc, name)[name]
            return []

        self._change(change, lines=lambda text: deleted_text(text, name))

    def import_(
        self, source: str | os.PathLike[str], *, replace: bool = False
    ) -> ImportResult:
        """Import presets from TOML text (a str) or a file (a Path), in one locked write.

        Invalid presets are listed in `problems` and not imported; names taken are `skipped`
        unless `replace`; identical ones are `unchanged`.
        """
        if isinstance(source, str):
            text, where = source, "the imported text"
        else:
            where = str(source)
            try:
                text = decode(Path(source).read_bytes(), where)
            except OSError as exc:
                raise PresetFileError(f"{where}: cannot read: {exc.strerror or exc}") from None
        plain = parse_document(text, where).unwrap()
        if "presets" not in plain:
            raise PresetFileError(f"{where}: no [presets.NAME] tables to import")
        incoming, problems = read_presets(plain, where)
        invalid = [name for name in presets_mapping(plain, where) if name not in incoming]
        result = ImportResult(invalid=invalid, problems=problems)

        def change(doc: TOMLDocument) -> list[Preset]:
            presets = presets_table(doc, str(self.path), create=False)
            current, _ = read_presets(doc.unwrap(), str(self.path))
            result.added, result.replaced, result.skipped, result.unchanged = [], [], [], []
            additions: list[Preset] = []
            for name, preset in incoming.items():
                if presets is None or name not in presets:
                    additions.append(preset)
                    result.added.append(name)
                elif current.get(name) == preset:
                    result.unchanged.append(name)
                elif not replace:
                    result.skipped.append(name)
                else:
                    additions.extend(replace_table(presets, preset))
                    result.replaced.append(name)
            return additions

        if incoming:
            self._change(change)
        return result

    # ---- internals

    def _unknown(self, name: str, known: list[str]) -> UnknownPreset:
        listed = ", ".join(sorted(known)) if known else "none"
        return UnknownPreset(f"no preset named {name!r} in {self.path} (presets: {listed})")

    def _existing(self, doc: TOMLDocument, name: str) -> Any:
        presets = presets_table(doc, str(self.path), create=False)
        if presets is None or name not in presets:
            raise self._unknown(name, list(presets or ()))
        return presets

    def _target(self) -> str:
        # A symlink is followed to its (final) target, which is what gets replaced.
        return os.path.realpath(self.path)

    def _read(self) -> str | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PresetFileError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        return decode(data, str(self.path))

    def _change(
        self,
        change: Callable[[TOMLDocument], list[Preset]],
        *,
        lines: Callable[[str], str | None] | None = None,
    ) -> None:
        """Lock, re-read, apply `change` to the document, write atomically, unlock.

        `change` edits the document in place and returns the presets to add as new tables.
        `lines`, when given, makes the same change on the text line by line. Of the texts that
        could be written, the first that reads back as the intended document is; when none does
        (a layout tomlkit mishandles), nothing is written.
        """
        target = self._target()
        folder = os.path.dirname(target)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            if os.path.exists(target) and not os.access(target, os.W_OK):
                raise PresetFileError(f"{self.path}: the file is read-only; nothing was changed")
            with _locked(folder or "."):
                before = self._read()
                doc = parse_document(before or "", str(self.path))
                additions = change(doc)
                intended = doc.unwrap()
                for preset in additions:
                    intended.setdefault("presets", {})[preset.name] = preset.settings()
                edited = doc.as_string()
                candidates: list[Callable[[], str | None]] = []
                if lines is not None and before is not None:
                    candidates.append(lambda: lines(before))
                candidates.append(lambda: with_tables(edited, before or "\n", additions))
                if additions:
                    candidates.append(lambda: appended(edited, additions))
                after = next(
                    (t for make in candidates if (t := make()) is not None and means(t, intended)),
                    None,
                )
                if after is None:
                    raise PresetFileError(
                        f"{self.path}: this change cannot be written without disturbing the "
                        "file's other settings (an unusual layout); nothing was changed: write "
                        "presets as [presets.NAME] tables"
                    )
                if before is None:
                    after = f"# {_NEW_FILE_COMMENT}\n\n{after}"
                if after == before:
                    return
                write_atomic(target, after)
        except OSError as exc:
            raise PresetFileError(
                f"{self.path}: cannot write: {exc.strerror or exc}; nothing was changed"
            ) from None
