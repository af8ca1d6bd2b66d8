"""`helicone-tui presets …`: the sub-commands, their output and exit codes."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.cli.presets import add_presets_parser, run_presets
from tui.presets import PresetStore, make_preset

ROOT = Path(__file__).resolve().parents[1]

TEAM = textwrap.dedent(
    """\
    # the team's presets
    [presets.gpt4-errors]
    description = "GPT-4 requests that failed"
    filter = "model ilike '%gpt-4%' and status >= 500"
    since = "24h"
    increment = "hour"

    [presets.slow]
    filter = "latency > 10000"
    start = "2026-11-01T00:00:00Z"
    end = "2026-11-08T00:00:00Z"
    """
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="helicone-tui")
    add_presets_parser(parser.add_subparsers(dest="command"))
    return parser


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run_presets(_parser().parse_args(["presets", *argv]))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "presets.toml"
    path.write_text(TEAM)
    return path


def test_list_prints_one_line_per_preset(capsys: pytest.CaptureFixture[str], file: Path) -> None:
    code, out, err = run(capsys, "list", "--presets-file", str(file))

    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "RANGE", "FILTER", "DESCRIPTION"]
    assert lines[1].startswith("gpt4-errors")
    assert "since 24h" in lines[1] and "status >= 500" in lines[1]
    assert lines[1].endswith("GPT-4 requests that failed")
    assert "2026-11-01T00:00:00Z .. 2026-11-08T00:00:00Z" in lines[2]


def test_list_reports_a_bad_preset_and_lists_the_others(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    file.write_text(TEAM + '\n[presets.bad]\nfilter = "status >"\n')

    code, out, err = run(capsys, "list", "--presets-file", str(file))

    assert code == 0
    assert "gpt4-errors" in out and "slow" in out and "bad" not in out
    assert "preset 'bad': filter: col" in err


def test_list_of_a_broken_file_exits_2_with_the_line(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    file.write_text(TEAM + "[presets.oops\n")

    code, out, err = run(capsys, "list", "--presets-file", str(file))

    assert code == 2 and out == ""
    assert "line 12, col 14" in err and "left as it is" in err


def test_list_of_no_file_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "list", "--presets-file", str(tmp_path / "none.toml"))

    assert (code, out) == (0, "")
    assert "no presets" in err and "does not exist yet" in err


def test_the_file_comes_from_the_environment_without_the_option(
    capsys: pytest.CaptureFixture[str], file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELICONE_TUI_PRESETS", str(file))

    code, out, _ = run(capsys, "list")

    assert code == 0 and "gpt4-errors" in out


def test_the_option_may_come_before_the_command(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    code, out, _ = run(capsys, "--presets-file", str(file), "show", "slow")

    assert code == 0 and out.startswith("slow\n")


def test_show_prints_the_settings(capsys: pytest.CaptureFixture[str], file: Path) -> None:
    code, out, err = run(capsys, "show", "gpt4-errors", "--presets-file", str(file))

    assert (code, err) == (0, "")
    assert out == (
        "gpt4-errors\n"
        "  description   GPT-4 requests that failed\n"
        "  filter        model ilike '%gpt-4%' and status >= 500\n"
        "  since         24h\n"
        "  increment     hour\n"
    )


def test_an_unknown_preset_exits_2_and_names_the_known_ones(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    for argv in (["show", "nope"], ["rename", "nope", "x"], ["delete", "nope"], ["export", "nope"]):
        code, out, err = run(capsys, *argv, "--presets-file", str(file))
        assert (code, out) == (2, ""), argv
        assert "no preset named 'nope'" in err and "(presets: gpt4-errors, slow)" in err
    assert file.read_text() == TEAM


def test_rename_keeps_the_settings_and_the_comments(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    code, _, err = run(capsys, "rename", "slow", "slow-week", "--presets-file", str(file))

    assert code == 0 and "renamed 'slow' to 'slow-week'" in err
    assert file.read_text() == TEAM.replace("[presets.slow]", "[presets.slow-week]")


def test_rename_to_a_taken_or_bad_name_exits_2(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    code, _, err = run(capsys, "rename", "slow", "gpt4-errors", "--presets-file", str(file))
    assert code == 2 and "'gpt4-errors' already exists" in err

    code, _, err = run(capsys, "rename", "slow", "not\x1bok", "--presets-file", str(file))
    assert code == 2 and "not a preset name" in err and "\x1b" not in err
    assert file.read_text() == TEAM


def test_a_name_with_a_space_through_every_command(
    capsys: pytest.CaptureFixture[str], file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "in.toml"
    source.write_text('[presets."checkout sessions"]\nfilter = "status = 500"\nsince = "6h"\n')
    code, out, err = run(capsys, "import", str(source), "--presets-file", str(file))
    assert code == 0, err
    assert '[presets."checkout sessions"]' in file.read_text()
    code, out, err = run(capsys, "list", "--presets-file", str(file))
    assert code == 0 and "checkout sessions" in out
    code, out, err = run(capsys, "show", "checkout sessions", "--presets-file", str(file))
    assert code == 0 and "status = 500" in out
    code, out, err = run(capsys, "rename", "checkout sessions", "failed checkouts",
                         "--presets-file", str(file))
    assert code == 0, err
    code, out, err = run(capsys, "export", "failed checkouts", "--presets-file", str(file))
    assert code == 0 and out.startswith('[presets."failed checkouts"]')
    assert PresetStore(file).get("failed checkouts").since == "6h"


def test_delete_removes_one_preset(capsys: pytest.CaptureFixture[str], file: Path) -> None:
    code, _, err = run(capsys, "delete", "gpt4-errors", "--presets-file", str(file))

    assert code == 0 and "deleted 'gpt4-errors'" in err
    assert list(PresetStore(file).load().presets) == ["slow"]
    assert file.read_text().startswith("# the team's presets\n[presets.slow]")


def test_export_prints_toml_that_imports_back(
    capsys: pytest.CaptureFixture[str], file: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "export", "--presets-file", str(file))
    assert code == 0
    exported = tmp_path / "exported.toml"
    exported.write_text(out)
    other = tmp_path / "other.toml"

    code, _, err = run(capsys, "import", str(exported), "--presets-file", str(other))

    assert code == 0 and "added 2: gpt4-errors, slow" in err
    assert PresetStore(other).load().presets == PresetStore(file).load().presets


def test_export_of_named_presets_only(capsys: pytest.CaptureFixture[str], file: Path) -> None:
    code, out, _ = run(capsys, "export", "slow", "--presets-file", str(file))

    assert code == 0
    assert out == (
        "[presets.slow]\n"
        'filter = "latency > 10000"\n'
        'start = "2026-11-01T00:00:00Z"\n'
        'end = "2026-11-08T00:00:00Z"\n'
    )


def test_import_lists_conflicts_and_skips_them_unless_replace(
    capsys: pytest.CaptureFixture[str], file: Path, tmp_path: Path
) -> None:
    incoming = tmp_path / "incoming.toml"
    incoming.write_text(
        '[presets.slow]\nfilter = "latency > 20000"\nsince = "7d"\n\n'
        '[presets.fresh]\nfilter = "status = 429"\n'
    )

    code, _, err = run(capsys, "import", str(incoming), "--presets-file", str(file))

    assert code == 0
    assert "added 1: fresh" in err
    assert "skipped 1 whose names are taken: slow (--replace overwrites them)" in err
    assert PresetStore(file).get("slow").filter == "latency > 10000"

    code, _, err = run(capsys, "import", str(incoming), "--replace", "--presets-file", str(file))

    assert code == 0
    assert "replaced 1: slow" in err and "already the same 1: fresh" in err
    slow = PresetStore(file).get("slow")
    assert (slow.filter, slow.since, slow.start) == ("latency > 20000", "7d", None)


def test_import_of_invalid_presets_exits_2_after_importing_the_rest(
    capsys: pytest.CaptureFixture[str], file: Path, tmp_path: Path
) -> None:
    incoming = tmp_path / "incoming.toml"
    incoming.write_text('[presets.ok]\nsince = "1h"\n\n[presets.bad]\nsince = "soon"\n')

    code, _, err = run(capsys, "import", str(incoming), "--presets-file", str(file))

    assert code == 2
    assert "preset 'bad': since: 'soon' is not a duration" in err
    assert "added 1: ok" in err and "not imported 1 invalid: bad" in err
    assert "ok" in PresetStore(file).load().presets


def test_import_of_a_missing_or_broken_file_exits_2(
    capsys: pytest.CaptureFixture[str], file: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "nope.toml"), "--presets-file", str(file))
    assert code == 2 and "no such file" in err

    broken = tmp_path / "broken.toml"
    broken.write_text('[presets.a]\nsince = "1h\n')
    code, _, err = run(capsys, "import", str(broken), "--presets-file", str(file))
    assert code == 2 and "broken.toml: line 2" in err
    assert file.read_text() == TEAM


def test_changes_to_a_broken_file_exit_2_and_leave_it_alone(
    capsys: pytest.CaptureFixture[str], file: Path
) -> None:
    broken = TEAM + "oops = \n"
    file.write_text(broken)

    for argv in (["rename", "slow", "x"], ["delete", "slow"], ["show", "slow"]):
        code, _, err = run(capsys, *argv, "--presets-file", str(file))
        assert code == 2 and "line 12" in err, argv
    assert file.read_text() == broken


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(["presets"])

    assert exited.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


def test_python_m_tui_presets_list(tmp_path: Path) -> None:
    path = tmp_path / "presets.toml"
    PresetStore(path).save(make_preset("from-cli", since="6h"))
    env = {k: v for k, v in os.environ.items() if k != "HELICONE_TUI_PRESETS"}

    done = subprocess.run(
        [sys.executable, "-m", "tui", "presets", "list", "--presets-file", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split() == ["from-cli", "since", "6h", "all"]


def test_import_reads_stdin_for_a_dash(
    capsys: pytest.CaptureFixture[str], file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('[presets.piped]\nsince = "2h"\n'))

    code, _, err = run(capsys, "import", "-", "--presets-file", str(file))

    assert code == 0 and "added 1: piped" in err
    assert PresetStore(file).get("piped").since == "2h"
