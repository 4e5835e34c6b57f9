"""The installed `readmark` in a real terminal (tmux) reading a URL, a pipe and a book."""

from __future__ import annotations

import shlex
import subprocess
import time
from pathlib import Path

import pytest

from tests.ui import test_terminal_e2e as terminal
from tests.ui.test_terminal_e2e import _readmark, _tmux
from tests.ui.test_terminal_e2e import session as session  # the fixture: a tmux of its own
from tests.unit.sources_helpers import PAGES, Chapter, Site, build_epub

pytestmark = pytest.mark.e2e



def _wait_for(session: str, predicate, timeout: float = 30.0) -> str:
    """As the terminal tests wait, a little longer: a page or a book is converted first."""
    return terminal._wait_for(session, predicate, timeout)


def _read_and_quit(session: str, command: str, status: Path, title: str, line: str) -> None:
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
          f"{command}; echo $? > {shlex.quote(str(status))}")
    _tmux("set-option", "-t", session, "remain-on-exit", "on")
    screen = _wait_for(session, lambda s: title in s.splitlines()[0] and line in s)
    assert "min left" in screen.splitlines()[0]
    _tmux("send-keys", "-t", session, "]")  # keys reach the reader (from the terminal)
    _wait_for(session, lambda s: s.splitlines()[0] != screen.splitlines()[0])
    _tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 20
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.read_text().strip() == "0"


def test_a_page_piped_in_is_read_with_keys_from_the_terminal(session, tmp_path):
    db = tmp_path / "lib" / "db.json"
    command = (f"cat {shlex.quote(str(PAGES / 'blog.html'))} | {_readmark()} "
               f"--db {shlex.quote(str(db))}")
    _read_and_quit(session, command, tmp_path / "status", "Notes on Slow Reading",
                   "For a year now I have read one long essay a week")


def test_a_url_is_fetched_and_read(session, tmp_path):
    site = Site()
    try:
        url = site.html("/news.html", (PAGES / "news.html").read_bytes())
        db = tmp_path / "lib" / "db.json"
        _read_and_quit(session, f"{_readmark()} {url} --db {shlex.quote(str(db))}",
                       tmp_path / "status", "Rivers Are Running Warmer",
                       "Rivers across three continents")
    finally:
        site.close()
    listed = subprocess.run([_readmark(), "list", "--db", str(db)], capture_output=True,
                            text=True, timeout=60)
    assert "Rivers Are Running Warmer, Study Finds" in listed.stdout


def test_a_book_opens_at_its_first_chapter(session, tmp_path):
    book = build_epub(tmp_path / "b.epub", [
        Chapter("text/one.xhtml", "The First Chapter",
                "<h1>The First Chapter</h1>" + "<p>The harbour was quiet at dawn.</p>" * 30),
        Chapter("text/two.xhtml", "The Second Chapter",
                "<h1>The Second Chapter</h1><p>Night came early.</p>"),
    ])
    db = tmp_path / "lib" / "db.json"
    _read_and_quit(session, f"{_readmark()} {shlex.quote(str(book))} --db {shlex.quote(str(db))}",
                   tmp_path / "status", "The Harbour Book", "The harbour was quiet at dawn.")


def test_a_long_book_is_read_from_its_first_part_and_kept_whole(session, tmp_path):
    from tests.unit.test_sources_parts import long_book

    book = long_book(tmp_path / "long.epub")
    db = tmp_path / "lib" / "db.json"
    status = tmp_path / "status"
    _tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30",
          f"{_readmark()} {shlex.quote(str(book))} --db {shlex.quote(str(db))}; "
          f"echo $? > {shlex.quote(str(status))}")
    _wait_for(session, lambda s: "The Harbour Book" in s.splitlines()[0]
              and "Sentence 1.0 tells of the" in s)
    _wait_for(session, lambda s: "loading" not in s.splitlines()[0])  # the whole is in
    _tmux("send-keys", "-t", session, "G")  # the book's last chapter is there
    _wait_for(session, lambda s: "Chapter 40" in s.splitlines()[0])
    _tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 20
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.read_text().strip() == "0"
    listed = subprocess.run([_readmark(), "list", "--db", str(db)], capture_output=True,
                            text=True, timeout=60)
    assert "The Harbour Book" in listed.stdout
    [snapshot] = (db.parent / "snapshots").iterdir()
    assert "Sentence 40.59 tells of the" in snapshot.read_text(encoding="utf-8")
