"""The installed `readmark` command in a real terminal (tmux): open, move, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")


def _readmark() -> str:
    beside = Path(sys.executable).parent / "readmark"
    return str(beside) if beside.exists() else (shutil.which("readmark") or "readmark")


#: A socket of its own, so no other tmux server (or user) can disturb the test.
SOCKET = f"readmark-test-{os.getpid()}"


def _tmux(*args: str) -> str:
    # The environment is passed as os.environ has it: a COLUMNS or LINES that a library
    # put into the process environment behind os.environ's back would otherwise reach
    # the app, and Textual takes them over the terminal's real size.
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True, env=environment).stdout


def _wait_for(session: str, predicate, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"timed out; the screen was:\n{screen}")


@pytest.fixture
def session():
    if TMUX is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required for the end-to-end test (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    name = f"readmark-test-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)


def test_installed_command_opens_navigates_and_quits(session, article_path, tmp_path):
    db = tmp_path / "e2e.json"
    status = tmp_path / "exit-status"
    # The shell records readmark's exit status itself: tmux's own record of it
    # (#{pane_dead_status}) was seen to stay empty on a loaded machine.
    command = f"{_readmark()} {article_path} --db {db}; echo $? > {status}"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    _tmux("set-option", "-t", session, "remain-on-exit", "on")
    screen = _wait_for(session, lambda s: "Test Article" in s and "%" in s)
    first_line = screen.splitlines()[0]
    assert "Test Article" in first_line and "min left" in first_line
    assert "The opening paragraph sets the scene." in screen

    _tmux("send-keys", "-t", session, "]")
    screen = _wait_for(session, lambda s: "First Section" in s.splitlines()[0])

    _tmux("send-keys", "-t", session, "t")
    screen = _wait_for(session, lambda s: "Second Section" in s and "Last Section" in s)

    _tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (status.exists() and status.read_text().strip()):
        time.sleep(0.05)
    screen = _tmux("capture-pane", "-p", "-t", session)
    assert status.exists(), f"readmark did not exit after q; the screen was:\n{screen}"
    assert status.read_text().strip() == "0", f"readmark exited badly:\n{screen}"
    assert "Traceback" not in screen
    assert db.exists()  # the reading position was saved


def _text_rows(screen: str, width: int) -> list[tuple[int, str]]:
    """(column, text) of each row's article text, right of the contents panel and left
    of the scroll bar."""
    rows: list[tuple[int, str | None]] = []
    bullet = 0
    for line in screen.splitlines()[1:-1]:
        line = line[: width - 1]
        border = line.find("▕")
        pane = line[border + 1:] if border >= 0 else line
        offset = border + 1 if border >= 0 else 0
        stripped = pane.lstrip(" ▎")
        column = offset + len(pane) - len(stripped)
        if stripped.startswith("•"):
            bullet = column  # a list item: its lines are indented under the marker
        elif stripped and not (rows and rows[-1][1] is None and column > bullet):
            rows.append((column, stripped.rstrip()))
            continue
        rows.append((column, None) if stripped else (0, ""))
    return [(column, text) for column, text in rows if text]


@pytest.mark.parametrize("size", [(120, 20), (200, 50)])
def test_contents_panel_toggle_rewraps_and_recentres_the_text(session, tmp_path, size):
    from tests.ui.layout_check import article_text

    article = tmp_path / "night.md"
    article.write_text(article_text(), encoding="utf-8")
    known = {word.strip("#-.") for word in article_text().split()} - {""}
    width, height = size
    _tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
          f"{_readmark()} {article} --db {tmp_path / 'db.json'}")
    _wait_for(session, lambda s: "Night of Memory" in s and "%" in s)
    outline_open = False
    for keys in (["]", "j", "j"], ["t"], ["j"], ["t"], ["j"]):
        for key in keys:
            _tmux("send-keys", "-t", session, key)
        outline_open ^= keys == ["t"]
        _wait_for(session, lambda s, want=outline_open: ("▕" in s) == want)
        time.sleep(0.5)
        screen = _tmux("capture-pane", "-p", "-t", session)
        rows = _text_rows(screen, width)
        paragraph_rows = [(col, text) for col, text in rows
                          if text.split()[0].rstrip(".") in known]
        assert len(paragraph_rows) > 3, screen
        columns = {col for col, _ in paragraph_rows}
        assert len(columns) == 1, f"paragraph lines at columns {sorted(columns)}:\n{screen}"
        for _col, text in paragraph_rows:
            for word in text.split():
                assert word.rstrip(".") in known, f"a word cut at the edge: {word!r}\n{screen}"
        # Centred: the reading column (80 wide) sits in the middle of what is left.
        border = screen.splitlines()[1].find("▕")
        pane_start = border + 1 if border >= 0 else 0
        pane_width = width - pane_start - 1  # the scroll bar
        text_width = min(80, pane_width - 4)
        (column,) = columns
        expected = pane_start + 1 + max(0, (pane_width - 1 - text_width) // 2)
        assert abs(column - expected) <= 1, (column, expected, screen)
