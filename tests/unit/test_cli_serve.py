"""`readmark serve`: where it listens, what it says, what each browser tab runs."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from reader.cli.completion import commands
from reader.cli.serve import announcement, app_command, is_local


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize(("host", "local"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.20", False), ("example.org", False),
])
def test_what_counts_as_this_computer_only(host, local):
    assert is_local(host) is local


def test_listening_beyond_this_computer_says_who_can_get_in():
    said = announcement("0.0.0.0", 8000)
    assert said == ("readmark: serving on 0.0.0.0 port 8000 — any device that can reach this "
                    "computer there can open it, and read and annotate your library. "
                    "Ctrl+C stops it.")


def test_each_tab_runs_this_pythons_readmark_on_the_article(article_path, tmp_path):
    words = shlex.split(app_command(str(article_path), str(tmp_path / "db.json")))
    assert words == [sys.executable, "-m", "reader.cli.served", str(article_path),
                     "--db", str(tmp_path / "db.json")]
    assert shlex.split(app_command(None, None)) == [sys.executable, "-m", "reader.cli.served"]


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-file.md"], "readmark: no-such-file.md: no such file\n"),
])
def test_a_bad_argument_is_one_line(args, message):
    result = run("serve", *args)
    assert result.returncode == 2
    assert result.stderr == message


def test_a_bad_port_is_refused_by_the_parser():
    result = run("serve", "--port", "70000")
    assert result.returncode == 2
    assert "70000: a port is from 1 to 65535" in result.stderr


def test_serve_is_completed_with_its_options():
    serve = next(command for command in commands() if command.name == "serve")
    flags = {flag for option in serve.options for flag in option.flags}
    assert {"--host", "--port", "--db"} <= flags
