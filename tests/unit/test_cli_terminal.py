"""The reader without a terminal: one line and exit 2, never a full-screen app on a pipe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.sources.shipped import samples_dir


def _without_terminal(*args: str, db: Path, stdin: object = subprocess.DEVNULL,
                      text: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--db", str(db)],
        stdin=stdin if text is None else None,
        input=text,
        capture_output=True,
        text=True,
        timeout=20,  # the bug: the app started and never ended
    )


def test_an_article_without_a_terminal_is_one_line_and_exit_2(tmp_path):
    article = samples_dir() / "rich_markdown.md"
    result = _without_terminal("--width", "60", str(article), db=tmp_path / "lib.json")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("readmark: the reader needs a terminal")
    assert "readmark text" in lines[0]
    assert "\x1b" not in result.stdout
    assert result.stdout == ""


def test_the_library_without_a_terminal_is_one_line_and_exit_2(tmp_path):
    result = _without_terminal(db=tmp_path / "lib.json")
    assert result.returncode == 2
    assert "\x1b" not in result.stdout
    assert "needs a terminal" in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_article_errors_before_the_terminal_is_asked_for(tmp_path):
    result = _without_terminal(str(tmp_path / "nope.md"), db=tmp_path / "lib.json")
    assert result.returncode == 2
    assert "no such file" in result.stderr and "terminal" not in result.stderr


def test_an_article_piped_in_still_says_what_to_use_instead(tmp_path):
    text = (samples_dir() / "rich_markdown.md").read_text(encoding="utf-8")
    result = _without_terminal("-", db=tmp_path / "lib.json", text=text)
    assert result.returncode == 2
    assert "readmark text -" in result.stderr and "\x1b" not in result.stdout


def test_an_article_piped_in_is_read_with_keys_from_the_terminal(tmp_path):
    """`cat ARTICLE | readmark -` on a terminal: the text from the pipe, keys from /dev/tty."""
    import fcntl
    import os
    import pty
    import select
    import termios
    import time

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")  # 24x80

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    text = (samples_dir() / "rich_markdown.md").read_text(encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "reader", "-", "--db", str(tmp_path / "lib.json")],
        stdin=subprocess.PIPE, stdout=slave, stderr=slave,
        preexec_fn=controlling_terminal,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    assert child.stdin is not None
    child.stdin.write(text.encode())
    child.stdin.close()
    screen = b""
    deadline = time.monotonic() + 30
    try:
        while b"Consolidates" not in screen and time.monotonic() < deadline:  # the article's title
            if select.select([master], [], [], 0.5)[0]:
                screen += os.read(master, 65536)
        assert b"Consolidates" in screen, screen[-500:]
        assert b"needs a terminal" not in screen
        os.write(master, b"q")
        assert child.wait(timeout=20) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)


def test_the_widths_at_the_ends_of_the_range_are_accepted(tmp_path):
    """30 and 200 pass the width check: what stops them here is only the missing terminal."""
    article = samples_dir() / "hard_wrapped.txt"
    for width in ("30", "200"):
        result = _without_terminal("--width", width, str(article), db=tmp_path / "lib.json")
        assert result.returncode == 2 and "needs a terminal" in result.stderr, result.stderr


def test_a_mistake_in_the_arguments_is_one_line_and_exit_2(tmp_path, capsys):
    from reader.cli.main import main

    for argv, said in (
        (["export", "x.md", "--format", "nope"], "readmark export: argument --format: invalid"),
        (["--bogus"], "readmark: unrecognized arguments: --bogus"),
        (["highlight"], "readmark highlight: the following arguments are required"),
    ):
        try:
            main([*argv, "--db", str(tmp_path / "lib.json")])
        except SystemExit as leaving:
            assert leaving.code == 2
        else:
            raise AssertionError(f"{argv} was accepted")
        out, err = capsys.readouterr()
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith(said) and "--help' lists the options" in err


def test_help_is_still_printed_whole(capsys):
    from reader.cli.main import main

    try:
        main(["export", "--help"])
    except SystemExit as leaving:
        assert leaving.code == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: readmark export") and "--format" in out and err == ""


def test_a_misspelt_command_is_named_not_taken_for_a_missing_file(tmp_path, capsys):
    from reader.cli.main import main

    assert main(["exprot", "--db", str(tmp_path / "lib.json")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("readmark: exprot: no such command or file; "
                           "did you mean 'readmark export'?")
    assert main(["notes", "--db", str(tmp_path / "lib.json")]) == 2  # like no command
    assert "did you mean" not in capsys.readouterr().err
