"""Files that are not articles: FIFOs, devices, folders and files past the size cap.

Each is refused with one line on stderr and exit status 2, without reading it
(a FIFO would block, /dev/zero and /dev/urandom never end).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reader.sources import loader
from reader.sources.loader import ArticleError, read_article
from tests.reliability.conftest import record, run


def _specials(tmp_path: Path) -> dict[str, str]:
    found = {"a folder": str(tmp_path)}
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.md"
        os.mkfifo(fifo)
        found["a FIFO"] = str(fifo)
    for device in ("/dev/zero", "/dev/urandom", "/dev/null"):
        if os.path.exists(device):
            found[device] = device
    return found


def _problem(result, why: str) -> str | None:
    """What is wrong with how a command refused a file, or None."""
    err = result.stderr.decode(errors="replace")
    if result.returncode != 2:
        return f"exit status {result.returncode}: {err}"
    if result.stdout:
        return f"printed {result.stdout[:80]!r}"
    if len(err.splitlines()) != 1 or "Traceback" in err or why not in err:
        return f"not one line saying {why!r}: {err}"
    return None


@pytest.mark.parametrize("command", [
    ("outline",), ("highlight", "--quote", "x"), ("export",), ("read",),
])
def test_special_files_are_refused_at_once(tmp_path, db, command):
    words = {"a folder": "is a directory", "a FIFO": "named pipe",
             "/dev/zero": "is a device", "/dev/urandom": "is a device",
             "/dev/null": "is a device"}
    problems = []
    for name, path in _specials(tmp_path).items():
        args = [path] if command == ("read",) else [command[0], path, *command[1:]]
        started = time.monotonic()
        problem = _problem(run(*args, "--db", str(db), timeout=30), words[name])
        if problem is None and time.monotonic() - started > 20:
            problem = "took over 20 s"
        record("special files refused", failures=int(problem is not None))
        if problem:
            problems.append(f"{name}: {problem}")
    assert problems == []
    assert not db.exists(), "refusing an article must not create a library"


def test_import_refuses_special_files(tmp_path, db):
    problems = []
    for name, path in _specials(tmp_path).items():
        problem = _problem(run("import", path, "--db", str(db), timeout=30), "not a JSON file")
        record("special files refused", failures=int(problem is not None))
        if problem:
            problems.append(f"{name}: {problem}")
    assert problems == []


def test_never_more_than_the_cap_is_read(tmp_path, monkeypatch):
    """A file that grows past the limit while it is read stops being read at limit + 1."""
    monkeypatch.setattr(loader, "MAX_ARTICLE_BYTES", 1000)
    path = tmp_path / "growing.md"
    path.write_bytes(b"# Title\n\n" + b"word " * 100)
    reads: list[int] = []
    real_read = os.read

    def growing_read(fd: int, size: int) -> bytes:
        reads.append(size)
        with open(path, "ab") as handle:  # the file grows as fast as it is read
            handle.write(b"more " * 400)
        return real_read(fd, size)

    monkeypatch.setattr(loader.os, "read", growing_read)
    with pytest.raises(ArticleError, match="over the"):
        loader.read_regular_file(path, "growing.md", 1000)
    assert sum(reads) <= 1001
    record("special files refused")


def test_a_file_over_the_cap_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_ARTICLE_BYTES", 1000)
    path = tmp_path / "big.md"
    path.write_bytes(b"# Big\n\n" + b"x" * 2000)
    monkeypatch.setattr(loader.os, "open", lambda *a, **k: pytest.fail("opened a file too large"))
    with pytest.raises(ArticleError, match="too large"):
        read_article(path)
    record("special files refused")
