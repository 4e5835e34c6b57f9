"""Hostile articles, notes, tags and import files: nothing reaches the terminal but text.

An article's title sets the window title with ``ESC ] 0``, writes the clipboard
with ``ESC ] 52``, clears the screen with ``ESC [ 2 J``, hides text behind a
carriage return and reverses it with a bidi override; notes and tags carry the
same. The bytes every command writes are checked, and so is a real terminal
(tmux): its pane title, its clipboard buffers and what it shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.reliability.conftest import environment, readmark_command, record, run

OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
CSI_CLEAR = "\x1b[2J\x1b[H"
C1_CSI = "\x9b31m"
BIDI = "\u202egnp.exe\u202c"
HOSTILE = f"{OSC_TITLE}{OSC_CLIPBOARD}{CSI_CLEAR}{C1_CSI}{BIDI}\rback\bspace"

ARTICLE = f"""# Harbour {OSC_TITLE} Lights {OSC_CLIPBOARD}

The first lamp was lit at dusk {CSI_CLEAR} and burned all night.

## Keepers {BIDI} and {C1_CSI} Ships

A keeper climbed the stairs twice a night {HOSTILE} to trim the wick.

[a link](https://example.org/{OSC_TITLE.strip()})
"""

#: What must never come out of a command meant for a terminal (anything printed
#: besides text: ESC, BEL, CR, backspace, C1 controls and bidi overrides).
FORBIDDEN = [b"\x1b", b"\x07", b"\r", b"\x08", "\x9b".encode(), "\u202e".encode(),
             "\u202c".encode()]


def _unsafe(data: bytes) -> list[bytes]:
    return [seq for seq in FORBIDDEN if seq in data]


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path]:
    article = tmp_path / "harbour.md"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "lib" / "readmark.json"
    result = run("highlight", str(article), "--quote", "The first lamp was lit at dusk",
                 "--note", f"note {HOSTILE}", "--tag", f"tag{CSI_CLEAR}", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return article, db


def test_every_command_prints_only_text(library, tmp_path):
    article, db = library
    hostile_import = tmp_path / "hostile.json"
    hostile_import.write_text(json.dumps([{
        "type": "Annotation", "id": "urn:uuid:" + str(uuid.uuid4()),
        "body": [{"type": "TextualBody", "value": f"imported {HOSTILE}"},
                 {"type": "TextualBody", "purpose": "tagging", "value": f"t{OSC_TITLE}"}],
        "target": {"source": str(article), "selector": [
            {"type": "TextQuoteSelector", "exact": "burned all night"}]},
    }]), encoding="utf-8")
    commands = {
        "outline": ["outline", str(article)],
        "list": ["list", "--db", str(db)],
        "stats": ["stats", "--db", str(db)],
        "highlight": ["highlight", str(article), "--quote", "The first lamp was lit at dusk",
                      "--note", f"again {HOSTILE}", "--db", str(db)],
        "highlight not found": ["highlight", str(article), "--quote", f"nowhere {OSC_TITLE}",
                                "--db", str(db)],
        "import": ["import", str(hostile_import), "--db", str(db)],
        "review": ["review", "--db", str(db)],
        "missing article": ["outline", str(tmp_path / f"gone{OSC_TITLE}.md")],
        "bad option": ["highlight", str(article), "--quote", "x", "--color", OSC_TITLE],
    }
    problems = []
    for name, args in commands.items():
        result = run(*args, timeout=60)
        for stream, data in (("stdout", result.stdout), ("stderr", result.stderr)):
            bad = _unsafe(data)
            if bad or b"Traceback" in data:
                problems.append(f"{name} {stream}: {bad} {data[:200]!r}")
        record("hostile text: command output", failures=int(any(name in p for p in problems)))
    # Shown inert, not dropped: the reader sees that something was there.
    outline = run("outline", str(article)).stdout.decode()
    assert "Harbour \u241b]0;PWNED-TITLE\u2407 Lights" in outline
    assert problems == []


def test_an_export_keeps_exact_text_in_a_file_and_a_pipe(library, tmp_path):
    article, db = library
    out = tmp_path / "notes.json"
    assert run("export", str(article), "--format", "json", "-o", str(out),
               "--db", str(db)).returncode == 0
    piped = run("export", str(article), "--format", "json", "--db", str(db)).stdout
    data = json.loads(piped)
    note = data["first"]["items"][0]["body"][0]["value"]
    assert note == f"note {HOSTILE}"  # exact: JSON holds it safely, escaped
    assert json.loads(out.read_text(encoding="utf-8"))["first"]["items"][0]["body"][0][
        "value"] == note
    assert _unsafe(piped) == []  # JSON escapes controls, C1 and bidi overrides: \u009b
    markdown = run("export", str(article), "--db", str(db)).stdout
    assert b"\x1b" not in markdown and b"\x07" not in markdown  # Markdown leaves them out
    record("hostile text: exports", attempts=3)


# ----------------------------------------------------------------------- tmux

SOCKET = f"readmark-hostile-{os.getpid()}"


def _tmux(*args: str) -> str:
    env = {k: v for k, v in environment().items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], check=True,
                          capture_output=True, text=True, env=env).stdout


@pytest.fixture
def session():
    if shutil.which("tmux") is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is required (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    name = f"hostile-{uuid.uuid4().hex[:8]}"
    yield name
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)


def _wait(session: str, predicate, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out; the screen was:\n{screen}")


def _title(session: str) -> str:
    return _tmux("display-message", "-p", "-t", session, "#{pane_title}").strip()


def _buffers() -> str:
    return _tmux("list-buffers")


def test_the_reader_in_a_real_terminal_shows_it_all_inert(library, session, tmp_path):
    article, db = library
    command = " ".join([*readmark_command(), str(article), "--db", str(db)])
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "32", command)
    _tmux("set-option", "-t", session, "set-clipboard", "on")
    _tmux("select-pane", "-t", session, "-T", "untouched")
    screen = _wait(session, lambda s: "Lights" in s and "%" in s)
    assert "PWNED" in screen  # shown, as text
    for keys in (["p"], ["t"], ["]"], ["]"], ["G"]):  # panels, contents, sections, the end
        for key in keys:
            _tmux("send-keys", "-t", session, key)
        time.sleep(0.6)
    screen = _tmux("capture-pane", "-p", "-e", "-t", session)
    _tmux("send-keys", "-t", session, "q")
    problems = _terminal_problems(session, screen)
    if "\u241b]0;PWNED-TITLE\u2407" not in _without_colours(screen):
        problems.append("the title's escape is not shown as ␛]0;…␇")
    record("hostile text: real terminal (reader)", failures=int(bool(problems)))
    assert problems == []


def _without_colours(screen: str) -> str:
    return re.sub(r"\x1b\[[0-9;:]*m", "", screen)


def _terminal_problems(session: str, screen: str) -> list[str]:
    """What the app did to the terminal besides showing text: its pane title, its
    clipboard, and any escape on ``screen`` (``capture-pane -e``) that is not a colour."""
    problems = []
    title, buffers = _title(session), _buffers()
    if title != "untouched":
        problems.append(f"the pane title became {title!r}")
    if "cHduZWQ" in buffers or "pwned" in buffers:
        problems.append(f"the clipboard was written: {buffers!r}")
    if "\x1b" in _without_colours(screen):
        at = _without_colours(screen).index("\x1b")
        problems.append(f"a non-colour escape on screen: {_without_colours(screen)[at:at + 12]!r}")
    return problems


def test_every_screen_of_the_app_shows_it_inert(library, session, tmp_path):
    """The note and tag editors, the library and a review show the hostile note, tag
    and title as text too."""
    article, db = library
    command = " ".join([*readmark_command(), str(article), "--db", str(db)])
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "32", command)
    _tmux("set-option", "-t", session, "set-clipboard", "on")
    _tmux("select-pane", "-t", session, "-T", "untouched")
    _wait(session, lambda s: "Lights" in s and "%" in s)
    problems = []
    # (keys, what the screen then shows, keys that leave it)
    visits = [(["j", "a"], "note", ["Escape"]), (["j", "#"], "tag", ["Escape"]),
              (["r"], "note", ["q"]), (["L"], "Harbour", [])]  # the library stays
    for keys, shows, leave in visits:
        _tmux("select-pane", "-t", session, "-T", "untouched")  # each screen on its own
        for buffer in _tmux("list-buffers", "-F", "#{buffer_name}").split():
            _tmux("delete-buffer", "-b", buffer)
        _tmux("send-keys", "-t", session, *keys)
        time.sleep(1.0)
        screen = _tmux("capture-pane", "-p", "-e", "-t", session)
        if shows not in screen:
            problems.append(f"after {keys}, no {shows!r} on screen:\n{_without_colours(screen)}")
        problems += [f"after {keys}: {problem}" for problem in _terminal_problems(session, screen)]
        _tmux("send-keys", "-t", session, *leave)
        time.sleep(0.5)
    _tmux("send-keys", "-t", session, "q")
    record("hostile text: real terminal (editors, library, review)",
           failures=int(bool(problems)))
    assert problems == [], "\n".join(problems)


def test_commands_in_a_real_terminal_leave_it_alone(library, session, tmp_path):
    article, db = library
    done = tmp_path / "done"
    parts = [
        " ".join([*readmark_command(), sub, str(article), "--db", str(db)])
        for sub in ("outline", "export")
    ] + [" ".join([*readmark_command(), "list", "--db", str(db)])]
    command = "; ".join(parts) + f"; touch {done}; sleep 30"
    _tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", "sh", "-c", command)
    _tmux("set-option", "-t", session, "set-clipboard", "on")
    _tmux("select-pane", "-t", session, "-T", "untouched")
    deadline = time.monotonic() + 60
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    screen = _tmux("capture-pane", "-p", "-t", session)
    title, buffers = _title(session), _buffers()
    problems = []
    if not done.exists():
        problems.append("the commands did not finish")
    if title != "untouched":
        problems.append(f"the pane title became {title!r}")
    if "cHduZWQ" in buffers:
        problems.append("the clipboard was written")
    if "\u241b]0;PWNED-TITLE\u2407" not in screen:
        problems.append(f"the title is not shown inert:\n{screen}")
    record("hostile text: real terminal (commands)", failures=int(bool(problems)))
    assert problems == [], screen
