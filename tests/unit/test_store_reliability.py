"""Reliability of reader.store with real processes: kills, concurrent writers, damage.

Each helper process is a fresh Python interpreter that imports reader.store.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.store import Store

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

WRITER = r"""
import sys
from reader.store import Store

path, tag = sys.argv[1], sys.argv[2]
articles = sys.argv[3:]
store = Store(path, lock_timeout=30)
print("ready", flush=True)
i = 0
while True:
    article_id = articles[i % len(articles)]
    added = store.add_annotation(
        {"article_id": article_id, "note": f"{tag}-{i}", "selectors": [{"start": i}]}
    )
    print(added["id"], flush=True)  # acknowledged: add_annotation returned
    store.set_position(article_id, {"offset": i, "line": i, "delta": 0})
    if i % 3 == 0:
        store.update_annotation(added["id"], {"note": f"{tag}-{i}-edited", "tags": ["t"] * 20})
    i += 1
"""

BATCH_WRITER = r"""
import json, sys
from reader.store import Store

path, tag, shared, own, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
store = Store(path, lock_timeout=30)
print("ready", flush=True)
sys.stdin.readline()  # wait until both writers are ready
ids = []
for i in range(count):
    article_id = shared if i % 2 == 0 else own
    ids.append(store.add_annotation({"article_id": article_id, "note": f"{tag}-{i}"})["id"])
print(json.dumps(ids), flush=True)
"""

OPENER = r"""
import json, sys
from reader.store import Store

store = Store(sys.argv[1])
counts = store.annotation_counts()
print(json.dumps({
    "message": store.recovery_message,
    "articles": sorted(a["id"] for a in store.articles()),
    "counts": {k: v[0] for k, v in counts.items()},
    "notes": {a: sorted(x["note"] for x in store.annotations(a)) for a in sys.argv[2:]},
}), flush=True)
"""


def python(script: str, *args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, text=True, bufsize=1, **kwargs
    )


def check_files_parse(folder: Path) -> None:
    """Every data file on disk is complete, valid JSON (backups are zips)."""
    for path in folder.rglob("*.json"):
        if "backups" in path.parts:
            continue
        json.loads(path.read_bytes())


def make_articles(db: Path, n: int) -> list[str]:
    with Store(db) as s:
        return [
            s.upsert_article(fingerprint=f"fp{i}", path=f"/a/{i}.md", title=f"A{i}")["id"]
            for i in range(n)
        ]


def test_sigkill_during_writes_loses_nothing_acknowledged(tmp_path: Path):
    db = tmp_path / "readmark.json"
    articles = make_articles(db, 2)
    rng = random.Random(1234)
    acknowledged: set[str] = set()
    used = set(articles)
    for round_no in range(30):
        # a new article now and then, so first writes to a new file get killed too
        extra = [f"round-{round_no // 5}"]
        used.update(extra)
        proc = python(WRITER, str(db), f"r{round_no}", *articles, *extra, stdout=subprocess.PIPE)
        assert proc.stdout.readline().strip() == "ready"
        wanted = rng.randint(1, 12)
        for _ in range(wanted):
            line = proc.stdout.readline()
            assert line.endswith("\n"), "writer died early"
            acknowledged.add(line.strip())
        time.sleep(rng.uniform(0, 0.004))  # land somewhere inside the next writes
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        for line in rest.splitlines(keepends=True):
            if line.endswith("\n"):  # fully printed, so add_annotation had returned
                acknowledged.add(line.strip())

        check_files_parse(tmp_path)
        with Store(db) as s:
            assert s.recovery_message is None
            assert s.read_only_reason is None
            stored = {x["id"] for a in used for x in s.annotations(a)}
        missing = acknowledged - stored
        assert not missing, f"round {round_no}: lost {len(missing)} acknowledged annotations"
    assert not list(tmp_path.rglob("*.corrupt-*"))
    assert not [p for p in tmp_path.rglob("*.tmp")], "temporary files left behind"


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path):
    db = tmp_path / "readmark.json"
    shared, own_a, own_b = make_articles(db, 3)
    procs = [
        python(
            BATCH_WRITER,
            str(db),
            tag,
            shared,
            own,
            "200",
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for tag, own in (("a", own_a), ("b", own_b))
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    written: list[str] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        written.extend(json.loads(out))
    assert len(written) == len(set(written)) == 400
    check_files_parse(tmp_path)
    with Store(db) as s:
        stored = [x["id"] for a in (shared, own_a, own_b) for x in s.annotations(a)]
        counts = s.annotation_counts()
        assert s.recovery_message is None
    assert sorted(stored) == sorted(written)
    assert counts[shared][0] == 200 and counts[own_a][0] == 100 and counts[own_b][0] == 100


def test_corrupt_files_are_kept_and_explained_to_a_new_process(tmp_path: Path):
    db = tmp_path / "readmark.json"
    with Store(db) as s:
        a = s.upsert_article(fingerprint="fp", path="/a.md", title="Kept")["id"]
        for i in range(3):
            s.add_annotation({"article_id": a, "note": f"n{i}"})
        s.backup()
        s.add_annotation({"article_id": a, "note": "after backup"})
    ann_path = tmp_path / "readmark.d" / "annotations" / f"{a}.json"
    older = db.with_name(db.name + ".corrupt-20000101T000000Z")
    older.write_bytes(b"an older damaged copy")
    main_bad = b'{"meta": {"schema": {"version": 1}}, "articles": {"x": {"title": "tru'
    ann_bad = ann_path.read_bytes()[:-40]
    for prev in tmp_path.rglob("*.prev"):  # as before previous generations were kept:
        prev.unlink()  # the backups are all there is to go back to
    db.write_bytes(main_bad)
    ann_path.write_bytes(ann_bad)

    proc = python(OPENER, str(db), a, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    report = json.loads(out)

    assert older.read_bytes() == b"an older damaged copy"  # nothing clobbered
    main_aside = [p for p in tmp_path.glob("readmark.json.corrupt-*") if p != older]
    ann_aside = list(ann_path.parent.glob(ann_path.name + ".corrupt-*"))
    assert [p.read_bytes() for p in main_aside] == [main_bad]
    assert [p.read_bytes() for p in ann_aside] == [ann_bad]
    message = report["message"]
    assert str(main_aside[0]) in message and str(ann_aside[0]) in message
    assert message.count("backup") >= 2
    assert report["articles"] == [a]
    assert report["notes"][a] == ["n0", "n1", "n2"]  # restored from the backup
    check_files_parse(tmp_path)


def test_a_running_instance_sees_another_process_change(tmp_path: Path):
    db = tmp_path / "readmark.json"
    (article,) = make_articles(db, 1)
    viewer = Store(db)
    assert viewer.annotations(article) == []
    assert viewer.refresh() is False
    proc = python(
        "import sys\nfrom reader.store import Store\n"
        "Store(sys.argv[1]).add_annotation({'article_id': sys.argv[2], 'note': 'hi'})\n",
        str(db),
        article,
    )
    assert proc.wait(timeout=60) == 0
    assert viewer.changed_on_disk() is True
    assert viewer.refresh() is True
    assert [x["note"] for x in viewer.annotations(article)] == ["hi"]
    assert viewer.annotation_counts()[article] == (1, 1)
    viewer.close()
