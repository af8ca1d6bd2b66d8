"""The presets store (tui.presets): what a user of the presets file would notice."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.presets import (
    InvalidPreset,
    PresetExists,
    PresetFileError,
    PresetStore,
    UnknownPreset,
    make_preset,
    presets_text,
)

ROOT = Path(__file__).resolve().parents[2]

HAND_WRITTEN = textwrap.dedent(
    """\
    # Team presets: keep them short.
    version = 3  # not ours

    [presets.gpt4-errors]
    # the on-call favourite
    description = "GPT-4 requests that failed"
    filter = "model ilike '%gpt-4%' and status >= 500"   # keep this comment
    since = "24h"
    owner = "ana"            # an unknown key

    # slow ones, for the weekly review
    [presets.slow]
    filter = "latency > 10000"
    since = "7d"

    [other_tool]
    setting = true
    """
)


@pytest.fixture(autouse=True)
def _no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HELICONE_API_KEY", raising=False)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "presets.toml"


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


# --------------------------------------------------------------------------- round trips


def test_saved_presets_load_back_the_same(path: Path) -> None:
    store = PresetStore(path)
    wanted = [
        make_preset(
            "gpt4-errors",
            description="GPT-4 requests that failed",
            filter="model ilike '%gpt-4%' and status >= 500",
            since="24h",
            increment="hour",
        ),
        make_preset(
            "team.checkout",  # a dot: written quoted, still one preset
            filter="session_tag = 'checkout' and cost > 0.5",
            start="2026-11-01T00:00:00Z",
            end="2026-11-08T00:00:00Z",
            p_size="p99.9",
            interquartile=True,
            session_name="checkout",
        ),
        make_preset("everything"),
    ]
    for preset in wanted:
        store.save(preset)

    result = PresetStore(path).load()

    assert result.problems == []
    assert result.presets == {p.name: p for p in wanted}
    assert '[presets."team.checkout"]' in path.read_text()


def test_a_filter_is_stored_in_canonical_form(path: Path) -> None:
    store = PresetStore(path)
    store.save(make_preset("x", filter='model = "gpt-4"   AND (status >= 500)'))

    assert store.get("x").filter == "model = 'gpt-4' and status >= 500"
    assert "filter = \"model = 'gpt-4' and status >= 500\"" in path.read_text()


def test_export_then_import_elsewhere_gives_the_same_presets(tmp_path: Path) -> None:
    source = PresetStore(tmp_path / "a.toml")
    source.save(make_preset("one", filter="status = 500", since="6h", increment="min"))
    source.save(make_preset("two", start="2026-11-01", session_name="s"))
    target = PresetStore(tmp_path / "b.toml")

    result = target.import_(source.export())

    assert sorted(result.added) == ["one", "two"]
    assert target.load().presets == source.load().presets
    assert "[presets.one]" in source.export(["one"])
    assert "two" not in source.export(["one"])


# --------------------------------------------------------------------------- hand edits survive


def test_comments_unknown_keys_and_tables_survive_a_save(path: Path) -> None:
    path.write_text(HAND_WRITTEN)
    store = PresetStore(path)

    store.save(make_preset("new-one", filter="status = 429", since="1h"))
    store.save(make_preset("gpt4-errors", filter="model ilike '%gpt-4%'", since="6h"), replace=True)

    text = path.read_text()
    for kept in (
        "# Team presets: keep them short.",
        "version = 3  # not ours",
        "# the on-call favourite",
        "# keep this comment",
        'owner = "ana"            # an unknown key',
        "# slow ones, for the weekly review",
        "[other_tool]\nsetting = true",
    ):
        assert kept in text
    assert 'since = "6h"' in text
    assert "status >= 500" not in text
    loaded = store.load()
    assert loaded.problems == []
    assert set(loaded.presets) == {"gpt4-errors", "slow", "new-one"}
    assert loaded.presets["gpt4-errors"].filter == "model ilike '%gpt-4%'"


def test_delete_and_rename_keep_the_comment_above_the_next_preset(path: Path) -> None:
    path.write_text(HAND_WRITTEN)
    store = PresetStore(path)

    store.rename("slow", "slow-weekly")
    store.delete("gpt4-errors")

    text = path.read_text()
    assert "gpt4-errors" not in text and "on-call favourite" not in text
    assert "# Team presets: keep them short." in text
    assert "# slow ones, for the weekly review\n[presets.slow-weekly]" in text
    assert "[other_tool]\nsetting = true" in text
    assert list(store.load().presets) == ["slow-weekly"]


def test_a_saved_filter_spelled_differently_keeps_the_users_spelling(path: Path) -> None:
    path.write_text('[presets.a]\nfilter = "model  =  \'x\'"\nsince = "1h"\n')
    store = PresetStore(path)

    store.save(make_preset("a", filter="model = 'x'", since="2h"), replace=True)

    assert path.read_text() == '[presets.a]\nfilter = "model  =  \'x\'"\nsince = "2h"\n'


# --------------------------------------------------------------------------- concurrency

_SAVER = """
import sys, time
from pathlib import Path
from tui.presets import PresetStore, make_preset

path, who, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
store = PresetStore(path)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
for i in range(count):
    store.save(make_preset(f"{who}-{i}", filter=f"status = {400 + i}", since=f"{i + 1}h"))
"""


def test_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "presets.toml"
    go = tmp_path / "go"
    writers, count = 4, 25
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(path), f"p{w}", str(count), str(go)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for w in range(writers)
    ]
    for proc in procs:  # every writer has imported everything: they start together
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    for proc in procs:
        assert proc.wait(timeout=120) == 0

    result = PresetStore(path).load()

    assert result.problems == []
    assert set(result.presets) == {f"p{w}-{i}" for w in range(writers) for i in range(count)}


# --------------------------------------------------------------------------- broken files


def test_a_broken_file_is_reported_with_its_line_and_never_written(path: Path) -> None:
    broken = b'# mine\n[presets.a]\nfilter = "all"\nsince = 24h\n'
    path.write_bytes(broken)
    store = PresetStore(path)

    result = store.load()

    assert result.presets == {}
    assert result.error is not None and "line 4" in result.error
    assert result.problems == [result.error]
    attempts = [
        lambda: store.save(make_preset("b")),
        lambda: store.save(make_preset("a"), replace=True),
        lambda: store.rename("a", "c"),
        lambda: store.delete("a"),
        lambda: store.import_('[presets.d]\nfilter = "all"\n'),
    ]
    for attempt in attempts:
        with pytest.raises(PresetFileError, match="line 4"):
            attempt()
    assert path.read_bytes() == broken


def test_a_file_that_is_not_utf8_is_reported_and_kept(path: Path) -> None:
    broken = b'[presets.a]\nfilter = "all"\ndescription = "caf\xe9"\n'
    path.write_bytes(broken)
    store = PresetStore(path)

    assert "line 3" in (store.load().error or "")
    with pytest.raises(PresetFileError):
        store.save(make_preset("b"))
    assert path.read_bytes() == broken


def test_a_preset_that_no_longer_validates_is_reported_alone(path: Path) -> None:
    path.write_text(
        textwrap.dedent(
            """\
            [presets.good]
            filter = "status = 500"

            [presets.bad-filter]
            filter = "latency ilike 'slow'"

            [presets.bad-since]
            since = "yesterday"

            [presets.also-good]
            since = "2w"
            """
        )
    )

    result = PresetStore(path).load()

    assert result.error is None
    assert set(result.presets) == {"good", "also-good"}
    assert len(result.problems) == 2
    assert "preset 'bad-filter': filter: col 9: 'latency' is a number field" in result.problems[0]
    assert result.problems[1].startswith("preset 'bad-since': since: 'yesterday' is not a duration")


def test_an_invalid_preset_can_still_be_renamed_and_deleted(path: Path) -> None:
    path.write_text('[presets.bad]\nfilter = "model ="\n\n[presets.ok]\nsince = "1h"\n')
    store = PresetStore(path)

    store.rename("bad", "bad2")
    assert "preset 'bad2': filter:" in store.load().problems[0]
    store.delete("bad2")

    assert store.load().problems == []
    assert path.read_text() == '[presets.ok]\nsince = "1h"\n'


def test_an_unquoted_dotted_name_is_explained(path: Path) -> None:
    path.write_text('[presets.team.errors]\nfilter = "status = 500"\n')

    problems = PresetStore(path).load().problems

    assert problems == [
        "preset 'team': holds only the table 'errors'; a name with a dot is written quoted: "
        '[presets."team.errors"]'
    ]


def test_a_missing_file_is_empty_and_the_first_save_creates_it(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "presets.toml"
    store = PresetStore(path)

    assert store.load().presets == {} and store.load().problems == []
    store.save(make_preset("first", since="1h"))

    assert list(store.load().presets) == ["first"]


def test_a_misspelt_setting_is_reported_and_other_keys_are_not(path: Path) -> None:
    path.write_text('[presets.a]\nsinse = "1h"\nowner = "ana"\n')

    result = PresetStore(path).load()

    assert list(result.presets) == ["a"]
    assert result.problems == ["preset 'a': unknown key 'sinse' ignored (did you mean 'since'?)"]


def test_presets_written_as_dotted_keys_survive_adding_a_table(path: Path) -> None:
    # tomlkit alone would put the new [presets.c] between the dotted keys, capturing `presets.b`.
    path.write_text('presets.a.since = "1h"\npresets.b.since = "2h"\n')
    store = PresetStore(path)

    store.save(make_preset("c", since="3h"))

    assert set(store.load().presets) == {"a", "b", "c"}
    assert path.read_text().startswith('presets.a.since = "1h"\npresets.b.since = "2h"\n')


def test_a_layout_that_cannot_take_the_change_is_refused_untouched(path: Path) -> None:
    original = 'presets = { a = { since = "1h" } }  # all on one line\n'
    path.write_text(original)
    store = PresetStore(path)

    with pytest.raises(PresetFileError, match="nothing was changed"):
        store.save(make_preset("b"))
    assert path.read_text() == original
    store.save(make_preset("a", since="2h"), replace=True)  # an edit in place still works
    assert store.get("a").since == "2h"


def test_a_preset_gives_its_time_range() -> None:
    from datetime import UTC, datetime, timedelta

    assert make_preset("a").time_range() is None
    assert make_preset("a", since="6h").time_range().length == timedelta(hours=6)
    fixed = make_preset("a", start="2026-11-01T00:00:00Z", end="2026-11-02T00:00:00+01:00")
    window = fixed.time_range().resolve(datetime(2026, 12, 1, tzinfo=UTC))
    assert (window.start, window.end) == (
        datetime(2026, 11, 1, tzinfo=UTC),
        datetime(2026, 11, 1, 23, tzinfo=UTC),
    )


# --------------------------------------------------------------------------- changes


def test_save_refuses_a_taken_name_unless_replace(path: Path) -> None:
    store = PresetStore(path)
    store.save(make_preset("a", since="1h"))

    with pytest.raises(PresetExists, match="'a' already exists"):
        store.save(make_preset("a", since="2h"))
    store.save(make_preset("a", since="2h"), replace=True)

    assert store.get("a").since == "2h"


def test_rename_and_delete_refuse_unknown_names_and_taken_names(path: Path) -> None:
    store = PresetStore(path)
    store.save(make_preset("a"))
    store.save(make_preset("b"))

    with pytest.raises(UnknownPreset, match="no preset named 'zz'"):
        store.rename("zz", "c")
    with pytest.raises(UnknownPreset):
        store.delete("zz")
    with pytest.raises(PresetExists):
        store.rename("a", "b")
    with pytest.raises(InvalidPreset, match="not a preset name"):
        store.rename("a", "has\ttab")
    assert set(store.load().presets) == {"a", "b"}


@pytest.mark.parametrize("name", ["", "   ", "a\tb", "new\nline", "esc\x1b[2J", "del\x7f",
                                  "c1\x9b", "lone\ud800"])
def test_bad_names_are_refused_with_what_is_allowed(name: str) -> None:
    with pytest.raises(InvalidPreset, match="a name is text without control characters") as info:
        make_preset(name)
    assert "\x1b" not in str(info.value)  # shown escaped, never raw


NAMES = ["checkout sessions", "a/b", "ünïcode", "a]b", 'q"uote', "team.errors", "it's",
         "emoji \U0001f600", "back\\slash", "[presets.x]"]


@pytest.mark.parametrize("name", NAMES)
def test_any_text_is_a_name_through_save_load_rename_export_and_import(
    path: Path, tmp_path: Path, name: str
) -> None:
    store = PresetStore(path)
    store.save(make_preset(name, filter="status >= 500", since="1h"))
    store.save(make_preset("plain", since="2h"))
    assert store.get(name).filter == "status >= 500"
    text = path.read_text()
    assert "[presets." in text and name not in ("",)
    store.rename(name, name + " 2")
    store.rename(name + " 2", name)
    assert set(store.load().presets) == {name, "plain"}
    assert store.load().problems == []
    # export, then import into another file: the same preset
    other = PresetStore(tmp_path / "other.toml")
    result = other.import_(store.export([name]))
    assert result.added == [name] and result.problems == []
    assert other.get(name) == store.get(name)
    other.delete(name)
    assert other.load().presets == {}


def test_a_name_with_a_space_is_quoted_in_the_file(path: Path) -> None:
    store = PresetStore(path)
    store.save(make_preset("checkout sessions", filter="status = 200"))
    assert '[presets."checkout sessions"]' in path.read_text()
    imported = PresetStore(path.with_name("in.toml"))
    imported.import_('[presets."checkout sessions"]\nfilter = "status = 500"\n')
    assert imported.get("checkout sessions").filter == "status = 500"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"since": "0h"}, "empty range"),
        ({"since": "24h", "start": "2026-11-01"}, "either since or start/end"),
        ({"end": "2026-11-01"}, "end needs a start"),
        ({"start": "2026-11-02", "end": "2026-11-01"}, "is not before end"),
        ({"start": "last tuesday"}, "not an ISO 8601 time"),
        ({"increment": "fortnight"}, "increment"),
        ({"p_size": "p42"}, "p_size"),
        ({"filter": "model ="}, "filter: col 8"),
    ],
)
def test_invalid_settings_are_refused_with_a_reason(settings: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidPreset, match=message):
        make_preset("x", **settings)


# --------------------------------------------------------------------------- import


def test_import_skips_conflicts_unless_replace(path: Path) -> None:
    store = PresetStore(path)
    store.save(make_preset("same", since="1h"))
    store.save(make_preset("taken", since="1h"))
    incoming = presets_text(
        [
            make_preset("same", since="1h"),
            make_preset("taken", since="9h"),
            make_preset("fresh", since="3h"),
        ]
    )

    first = store.import_(incoming)

    assert (first.added, first.skipped, first.unchanged, first.replaced) == (
        ["fresh"],
        ["taken"],
        ["same"],
        [],
    )
    assert store.get("taken").since == "1h"

    second = store.import_(incoming, replace=True)

    assert (second.added, second.replaced, second.skipped) == ([], ["taken"], [])
    assert store.get("taken").since == "9h"


def test_import_reports_invalid_presets_and_imports_the_rest(path: Path, tmp_path: Path) -> None:
    source = tmp_path / "team.toml"
    source.write_text('[presets.ok]\nsince = "1h"\n\n[presets.broken]\nfilter = "status >"\n')

    result = PresetStore(path).import_(source)

    assert result.added == ["ok"]
    assert result.invalid == ["broken"]
    assert "preset 'broken': filter: col" in result.problems[0]
    assert list(PresetStore(path).load().presets) == ["ok"]


def test_importing_a_broken_file_changes_nothing(path: Path, tmp_path: Path) -> None:
    PresetStore(path).save(make_preset("a"))
    before = path.read_bytes()
    source = tmp_path / "team.toml"
    source.write_text("[presets.x\n")

    with pytest.raises(PresetFileError, match=r"team\.toml: line 1"):
        PresetStore(path).import_(source)
    assert path.read_bytes() == before


# --------------------------------------------------------------------------- no keys


def test_no_key_is_ever_written(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-helicone-abcd1234-efgh5678"
    store = PresetStore(path)

    with pytest.raises(InvalidPreset, match="never store API keys") as refused:
        make_preset("a", api_key=secret)
    assert secret not in str(refused.value)
    with pytest.raises(InvalidPreset) as in_value:
        make_preset("a", description=f"uses {secret}")
    assert secret not in str(in_value.value)
    monkeypatch.setenv("HELICONE_API_KEY", "plain-key-123456")
    with pytest.raises(InvalidPreset):
        make_preset("a", session_name="plain-key-123456")

    result = store.import_(
        f'[presets.imported]\nsince = "1h"\napi_key = "{secret}"\ntoken = "{secret}"\n'
    )

    assert result.added == ["imported"]
    assert all(secret not in problem for problem in result.problems)
    assert secret not in path.read_text()
    assert "api_key" not in path.read_text() and "token" not in path.read_text()


def test_a_hand_written_key_is_reported_not_echoed_and_dropped_on_save(path: Path) -> None:
    secret = "sk-helicone-abcd1234-efgh5678"
    path.write_text(f'[presets.a]\nsince = "1h"\nAuthorization = "Bearer {secret}"\n')
    store = PresetStore(path)

    loaded = store.load()

    assert list(loaded.presets) == ["a"]
    assert "'Authorization' looks like a credential" in loaded.problems[0]
    assert all(secret not in problem for problem in loaded.problems)
    assert secret not in store.export()
    assert secret not in repr(loaded)

    store.save(make_preset("a", since="2h"), replace=True)

    assert secret not in path.read_text()


# --------------------------------------------------------------------------- the file itself


def test_a_new_file_gets_mode_0600(path: Path) -> None:
    old = os.umask(0o022)
    try:
        PresetStore(path).save(make_preset("a"))
    finally:
        os.umask(old)

    assert _mode(path) == 0o600


def test_an_existing_file_keeps_its_mode(path: Path) -> None:
    path.write_text('[presets.a]\nsince = "1h"\n')
    path.chmod(0o644)

    PresetStore(path).save(make_preset("b"))

    assert _mode(path) == 0o644
    assert set(PresetStore(path).load().presets) == {"a", "b"}


def test_a_symlinked_file_stays_a_symlink_and_its_target_changes(tmp_path: Path) -> None:
    repo = tmp_path / "team-repo"
    repo.mkdir()
    target = repo / "presets.toml"
    target.write_text("# shared with the team\n")
    target.chmod(0o640)
    link = tmp_path / "config" / "presets.toml"
    link.parent.mkdir()
    link.symlink_to(target)

    PresetStore(link).save(make_preset("shared", since="1h"))

    assert link.is_symlink() and link.resolve() == target
    assert "# shared with the team" in target.read_text()
    assert "[presets.shared]" in target.read_text()
    assert _mode(target) == 0o640
    assert list(PresetStore(link).load().presets) == ["shared"]


def test_a_read_only_file_is_not_replaced(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anything")
    path.write_text('[presets.a]\nsince = "1h"\n')
    path.chmod(0o444)

    with pytest.raises(PresetFileError, match="read-only"):
        PresetStore(path).save(make_preset("b"))
    assert path.read_text() == '[presets.a]\nsince = "1h"\n'


def test_the_default_file_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HELICONE_TUI_PRESETS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert PresetStore().path == tmp_path / "xdg" / "helicone-tui" / "presets.toml"

    monkeypatch.setenv("HELICONE_TUI_PRESETS", str(tmp_path / "team.toml"))
    assert PresetStore().path == tmp_path / "team.toml"


def test_the_presets_module_does_not_import_textual() -> None:
    code = "import sys, tui.presets; print('textual' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "False"


def test_no_lock_or_temporary_file_is_left_beside_the_file(path: Path) -> None:
    store = PresetStore(path)
    store.save(make_preset("a", since="1h"))
    store.save(make_preset("a", since="2h"), replace=True)
    store.rename("a", "b c")
    store.import_('[presets.d]\nfilter = "all"\n')
    store.delete("d")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
