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
    return subprocess.run(["tmux", "-L", SOCKET, *args], check=True, capture_output=True,
                          text=True).stdout


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
