"""The installed `readmark` with no argument, in a real terminal (tmux): the library, with
the sample in it on the first run; enter opens the sample, q comes back, q again quits."""

from __future__ import annotations

import time

import pytest

from tests.ui.test_terminal_e2e import _readmark, _tmux, _wait_for, session  # noqa: F401

pytestmark = pytest.mark.e2e


def test_readmark_alone_opens_the_library_with_the_sample(session, tmp_path):  # noqa: F811
    db = tmp_path / "library" / "readmark.json"
    status = tmp_path / "exit-status"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "20",
          f"{_readmark()} --db {db}; echo $? > {status}")
    _tmux("set-option", "-t", session, "remain-on-exit", "on")
    screen = _wait_for(session, lambda s: "Library  1 article" in s and "due" in s)
    assert "How Memory Consolid" in screen  # the sample, as its title fits the column
    _tmux("send-keys", "-t", session, "Enter")
    screen = _wait_for(session, lambda s: "min left" in s.splitlines()[0])
    assert "How Memory Consolidates During Sleep" in screen.splitlines()[0]
    _tmux("send-keys", "-t", session, "q")
    _wait_for(session, lambda s: "Library  1 article" in s)
    _tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (status.exists() and status.read_text().strip()):
        time.sleep(0.05)
    screen = _tmux("capture-pane", "-p", "-t", session)
    assert status.exists() and status.read_text().strip() == "0", screen
    assert "Traceback" not in screen
