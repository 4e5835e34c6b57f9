"""Kills at random moments and writers at the same time: nothing acknowledged is lost.

``readmark highlight`` is killed (SIGKILL) at random points of its run, again and
again on one library: every highlight whose command finished (exit status 0, its
line printed) must be there afterwards, every data file whole, and the library
must open. ``readmark export -o`` killed at random leaves the old file or the
new one, never a part. Several ``readmark highlight`` run at once on one article
and on the library: all of them are kept.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from reader.store import Store
from tests.reliability.conftest import environment, readmark_command, record

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SENTENCES = 60
ARTICLE = "# Tides\n\n" + "\n\n".join(
    f"Paragraph {n} says the tide turned at hour {n} of the long night." for n in range(SENTENCES)
) + "\n"
KILLS = 30
WRITERS = 4
PER_WRITER = 8


def _quote(n: int) -> str:
    return f"Paragraph {n} says the tide turned at hour {n}"


def _start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*readmark_command(), *args], env=environment(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _stored_quotes(db: Path) -> set[str]:
    with Store(db) as store:
        found = set()
        for article in store.articles():
            for record_ in store.annotations(article["id"]):
                for selector in record_["target"]["selector"]:
                    if selector.get("type") == "TextQuoteSelector":
                        found.add(selector["exact"])
        return found


def _whole(folder: Path) -> bool:
    for path in folder.rglob("*.json"):
        try:
            json.loads(path.read_bytes())
        except ValueError:
            return False
    return True


def test_highlight_killed_at_random_points_loses_nothing_acknowledged(tmp_path):
    article = tmp_path / "tides.md"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "lib" / "readmark.json"
    rng = random.Random(23)
    acknowledged: set[str] = set()
    killed = broken = 0
    for n in range(KILLS):
        quote = _quote(n)
        process = _start("highlight", str(article), "--quote", quote, "--note", f"note {n}",
                         "--db", str(db))
        try:
            process.wait(timeout=rng.uniform(0.1, 1.2))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            killed += 1
        out = process.stdout.read().decode() if process.stdout else ""
        if process.returncode == 0 and "highlighted in" in out:
            acknowledged.add(quote)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
        broken += not _whole(db.parent) if db.parent.exists() else 0
    stored = _stored_quotes(db) if db.exists() else set()
    lost = acknowledged - stored
    record("kills during highlight", attempts=KILLS, failures=len(lost) + broken, lost=len(lost))
    assert killed > 0 and acknowledged, (killed, len(acknowledged))  # both kinds happened
    assert not lost, f"lost {len(lost)} acknowledged highlights"
    assert broken == 0


def test_export_killed_at_random_points_leaves_a_whole_file(tmp_path):
    article = tmp_path / "tides.md"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "lib" / "readmark.json"
    for n in range(3):
        subprocess.run([*readmark_command(), "highlight", str(article), "--quote", _quote(n),
                        "--note", f"note {n}", "--db", str(db)], env=environment(),
                       check=True, capture_output=True)
    out = tmp_path / "notes.md"
    rng = random.Random(29)
    partial = killed = 0
    for _ in range(KILLS // 2):
        process = _start("export", str(article), "-o", str(out), "--db", str(db))
        try:
            process.wait(timeout=rng.uniform(0.1, 1.2))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            killed += 1
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
        if out.exists():  # the whole export, or nothing yet: never a part of one
            data = out.read_text(encoding="utf-8")
            partial += not (data.startswith("---\n") and "note 2" in data
                            and data.endswith("\n"))
    record("kills during export", attempts=KILLS // 2, failures=partial)
    assert killed > 0
    assert partial == 0
    assert _stored_quotes(db) == {_quote(n) for n in range(3)}


def test_writers_at_the_same_time_are_all_kept(tmp_path):
    article = tmp_path / "tides.md"
    article.write_text(ARTICLE, encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text(ARTICLE.replace("Tides", "Other tides"), encoding="utf-8")
    db = tmp_path / "lib" / "readmark.json"
    started = time.monotonic()
    failures = 0
    expected: set[tuple[str, str]] = set()
    for round_ in range(PER_WRITER):
        processes = []
        for writer in range(WRITERS):
            n = round_ * WRITERS + writer
            target = article if writer % 2 == 0 else other
            expected.add((target.name, _quote(n % SENTENCES)))
            processes.append(_start("highlight", str(target), "--quote", _quote(n % SENTENCES),
                                    "--db", str(db)))
        for process in processes:
            _, err = process.communicate(timeout=120)
            failures += process.returncode != 0
            assert process.returncode == 0, err.decode()
    with Store(db) as store:
        found = set()
        for entry in store.articles():
            name = Path(entry["path"]).name
            for record_ in store.annotations(entry["id"]):
                exact = next(s["exact"] for s in record_["target"]["selector"]
                             if s.get("type") == "TextQuoteSelector")
                found.add((name, exact))
    lost = expected - found
    record("concurrent writers", attempts=WRITERS * PER_WRITER, failures=failures + len(lost),
           lost=len(lost))
    assert not lost, f"lost {len(lost)} of {len(expected)} ({time.monotonic() - started:.0f} s)"
    assert _whole(db.parent)
