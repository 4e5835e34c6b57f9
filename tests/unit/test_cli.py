"""The command line as a user runs it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.config.settings import MAX_WIDTH, MIN_WIDTH
from reader.sources.shipped import samples_dir
from reader.tui.widgets.article_view import MAX_READING_WIDTH, MIN_READING_WIDTH


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def test_outline_prints_headings_indented_by_level(article_path):
    result = run("outline", str(article_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Test Article",
        "  First Section",
        "  Second Section",
        "    A Subsection",
        "  Third Section",
        "  Last Section",
    ]


def test_outline_of_a_plain_text_sample_finds_its_sections():
    result = run("outline", str(samples_dir() / "hard_wrapped.txt"))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) >= 3


def test_version_and_help():
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("readmark ")
    helped = run("--help")
    assert helped.returncode == 0 and "outline" in helped.stdout and "--db" in helped.stdout


def _assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("readmark: ") and fragment in lines[0]


@pytest.mark.parametrize("command", [(), ("outline",)])
def test_missing_file(tmp_path, command):
    _assert_one_line_error(run(*command, str(tmp_path / "nope.md")), "no such file")


@pytest.mark.parametrize("command", [(), ("outline",)])
def test_directory(tmp_path, command):
    _assert_one_line_error(run(*command, str(tmp_path)), "is a directory")


@pytest.mark.parametrize("command", [(), ("outline",)])
def test_binary_file(tmp_path, command):
    path = tmp_path / "picture.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    _assert_one_line_error(run(*command, str(path)), "binary")


@pytest.mark.parametrize("command", [(), ("outline",)])
def test_empty_file(tmp_path, command):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    _assert_one_line_error(run(*command, str(path)), "empty")


@pytest.mark.parametrize("command", [(), ("outline",)])
def test_too_large_file(tmp_path, command):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    _assert_one_line_error(run(*command, str(path)), "too large")


def test_not_utf8_text_is_opened_with_a_warning(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("# Caf\xe9 Notes\n\nA na\xefve sentence about caf\xe9s.\n".encode("latin-1"))
    result = run("outline", str(path))
    assert result.returncode == 0
    assert result.stdout.strip() == "Caf\ufffd Notes"
    assert "not valid UTF-8" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("width", [5, MIN_READING_WIDTH - 1, MAX_READING_WIDTH + 1, 250])
def test_a_width_outside_the_readers_range_is_a_usage_error(article_path, tmp_path, width):
    db = tmp_path / "lib.json"
    result = run(str(article_path), "--width", str(width), "--db", str(db))
    _assert_one_line_error(result, f"from {MIN_READING_WIDTH} to {MAX_READING_WIDTH} columns")
    assert not db.exists()  # nothing opened, nothing remembered


def test_the_width_range_is_one_rule_for_option_config_and_view():
    assert (MIN_WIDTH, MAX_WIDTH) == (MIN_READING_WIDTH, MAX_READING_WIDTH)
    helped = run("--help").stdout
    assert f"{MIN_READING_WIDTH} to {MAX_READING_WIDTH}" in " ".join(helped.split())


def test_unwritable_database_location_is_reported(article_path, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run(str(article_path), "--db", str(blocker / "sub" / "db.json"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
