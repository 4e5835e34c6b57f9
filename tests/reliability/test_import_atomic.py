"""`readmark import`: each article's file written once, all of its annotations or none.

A kill at a random moment of an import leaves every article with all of the
file's annotations for it or none of them (never a part), every data file
whole, and running the import again completes it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.store import Store
from reader.store import files as store_files
from tests.reliability.conftest import environment, readmark_command, record

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ARTICLES = 4
PER_ARTICLE = 150
KILLS = 12


def _write(folder: Path) -> tuple[Path, dict[str, set[str]]]:
    """Articles and an annotation file quoting them; the file's ids per article path."""
    rng = random.Random(5)
    items, ids = [], {}
    for a in range(ARTICLES):
        article = folder / f"article-{a}.md"
        sentences = [f"Sentence {n} of article {a} is about tides and harbours."
                     for n in range(PER_ARTICLE)]
        article.write_text(f"# Article {a}\n\n" + " ".join(sentences) + "\n", encoding="utf-8")
        ids[str(article)] = set()
        for n, sentence in enumerate(sentences):
            uid = f"urn:uuid:{a:08x}-0000-4000-8000-{n:012x}"
            ids[str(article)].add(uid.removeprefix("urn:uuid:"))
            items.append({"id": uid, "type": "Annotation",
                          "body": [{"type": "TextualBody",
                                    "value": f"note {a}.{n} {rng.random()}"}],
                          "target": {"source": str(article), "selector": [
                              {"type": "TextQuoteSelector", "exact": sentence}]}})
    path = folder / "import.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path, ids


def _per_article(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    with Store(db) as store:
        counts = store.annotation_counts()
        return {a["path"]: counts.get(a["id"], (0, 0))[0] for a in store.articles()}


def _all_files_whole(folder: Path) -> bool:
    for path in folder.rglob("*.json"):
        try:
            json.loads(path.read_bytes())
        except ValueError:
            return False
    return True


def test_a_kill_at_any_moment_leaves_each_article_all_or_nothing(tmp_path):
    source, _ = _write(tmp_path)
    rng = random.Random(11)
    partial = broken = 0
    for kill in range(KILLS):
        db = tmp_path / f"lib{kill}" / "readmark.json"
        process = subprocess.Popen([*readmark_command(), "import", str(source), "--db", str(db)],
                                   env=environment(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.0))  # from start-up to the last write
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        counts = _per_article(db)
        partial += sum(1 for n in counts.values() if n not in (0, PER_ARTICLE))
        broken += not _all_files_whole(db.parent) if db.parent.exists() else 0
        # Running it again completes the import, adding nothing twice.
        assert main(["import", str(source), "--db", str(db)]) == 0
        assert sorted(_per_article(db).values()) == [PER_ARTICLE] * ARTICLES
    record("kills during import", attempts=KILLS, failures=partial + broken, lost=partial)
    assert partial == 0, f"{partial} articles were left with part of their annotations"
    assert broken == 0


def test_each_articles_file_is_written_once(tmp_path, monkeypatch, capsys):
    source, ids = _write(tmp_path)
    db = tmp_path / "lib" / "readmark.json"
    writes: list[str] = []
    real = store_files._atomic_write

    def counting(path: Path, payload: bytes, **kwargs) -> None:
        real(path, payload, **kwargs)
        writes.append(path.name)  # a write that happened (not one retried for a new folder)

    monkeypatch.setattr(store_files, "_atomic_write", counting)
    assert main(["import", str(source), "--db", str(db)]) == 0
    annotation_writes = [name for name in writes if name != db.name and name.endswith(".json")
                         and name != "counts.json"]
    assert len(annotation_writes) == ARTICLES, writes  # one write per article's file
    assert len(set(annotation_writes)) == ARTICLES
    with Store(db) as store:
        stored = {a["path"]: {x["id"] for x in store.annotations(a["id"])}
                  for a in store.articles()}
    assert stored == ids
    record("import writes once per article", attempts=ARTICLES)


def test_importing_again_adds_nothing_and_reports_it(tmp_path, capsys):
    source, _ = _write(tmp_path)
    db = tmp_path / "lib" / "readmark.json"
    assert main(["import", str(source), "--db", str(db)]) == 0
    capsys.readouterr()
    before = {p: p.read_bytes() for p in (db.parent / "readmark.d" / "annotations").iterdir()
              if p.suffix == ".json"}
    assert main(["import", str(source), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"skipped {ARTICLES * PER_ARTICLE} annotations already in the library" in out
    after = {p: p.read_bytes() for p in before}
    assert after == before
    assert os.path.exists(db)


def test_add_annotations_is_all_or_nothing(tmp_path):
    with Store(tmp_path / "readmark.json") as store:
        article = store.upsert_article(fingerprint="f", path="/a.md", title="A")["id"]
        kept = store.add_annotations(article, [{"id": "a", "note": "one"}, {"note": "two"}])
        assert [a["note"] for a in kept] == ["one", "two"]
        for bad in ([{"id": "b"}, {"id": "c", "section": 5}],  # one damaged record
                    [{"id": "d"}, {"id": "d"}],  # the same id twice
                    [{"id": "e"}, {"id": "f", "note": object()}]):  # not JSON
            with pytest.raises(ValueError):
                store.add_annotations(article, bad)
        again = store.add_annotations(article, [{"id": "a", "note": "changed"}, {"id": "g"}])
        assert [a["id"] for a in again] == ["g"]  # one already there is left out
        assert [a.get("note") for a in store.annotations(article)] == ["one", "two", None]
