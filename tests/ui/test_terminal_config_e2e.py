"""The installed `readmark` in a real terminal (tmux) with a config file: a remapped key,
and a note written in $EDITOR (the app suspended and resumed for real)."""

from __future__ import annotations

import re
import stat
import subprocess
import time

import pytest

from tests.ui.test_terminal_e2e import _readmark, _tmux, _wait_for
from tests.ui.test_terminal_e2e import session as session  # the fixture: a tmux of its own

pytestmark = pytest.mark.e2e


def _status_line(screen: str) -> str:
    return screen.splitlines()[0]


def test_a_remapped_key_moves_by_section_and_the_old_one_does_not(
        session, article_path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"section.next" = "J"\n"app.help" = "f1"\n', encoding="utf-8")
    monkeypatch.setenv("READMARK_CONFIG", str(config))
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
          f"{_readmark()} {article_path} --db {tmp_path / 'db.json'}")
    _wait_for(session, lambda s: "Test Article" in s and "%" in s)
    _tmux("send-keys", "-t", session, "]")
    time.sleep(1.0)
    assert "First Section" not in _status_line(_tmux("capture-pane", "-p", "-t", session))
    _tmux("send-keys", "-t", session, "J")
    _wait_for(session, lambda s: "First Section" in _status_line(s))
    # The help lists the key as remapped.
    _tmux("send-keys", "-t", session, "F1")
    # The help's title may be painted a frame before its rows.
    # (The description may wrap, by the width its scrollbar leaves.)
    screen = _wait_for(session, lambda s: "to the next section's" in s)
    (row,) = [line for line in screen.splitlines() if "to the next section's" in line]
    assert re.sub(r"[^\w\s',.]", " ", row).split()[0] == "J", screen


def test_a_note_written_in_the_editor_is_saved(session, article_path, tmp_path, monkeypatch):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "Noted in the editor." > "$1"\n', encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    db = tmp_path / "db.json"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
          f"{_readmark()} {article_path} --db {db}")
    _wait_for(session, lambda s: "Test Article" in s and "%" in s)
    _tmux("send-keys", "-t", session, "j", "a")
    _wait_for(session, lambda s: "ctrl+o your $EDITOR" in s)
    _tmux("send-keys", "-t", session, "C-o")
    _wait_for(session, lambda s: "Noted in the editor." in s and "ctrl+o your $EDITOR" in s)
    _tmux("send-keys", "-t", session, "C-s")
    _wait_for(session, lambda s: "ctrl+o your $EDITOR" not in s)
    _tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 20
    exported = ""
    while time.monotonic() < deadline and "Noted in the editor." not in exported:
        time.sleep(0.2)
        exported = subprocess.run([_readmark(), "export", str(article_path), "--db", str(db)],
                                  capture_output=True, text=True, timeout=60).stdout
    assert "Noted in the editor." in exported
