"""Damaged annotation records: set aside untouched, reported once, never a crash."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.store import Store
from tests.reliability.conftest import record

ARTICLE = """# Tides

## Going Out

The tide goes out twice a day. Boats sit on the mud.

## Coming In

The tide comes in fast. Children run up the beach.
"""

QUOTES = ["The tide goes out twice a day.", "Boats sit on the mud.",
          "The tide comes in fast.", "Children run up the beach."]

#: Each damage a hand edit or another tool might make, as a change to a stored record.
DAMAGE = {
    "section is a number": lambda r: r | {"section": 5},
    "no id": lambda r: {k: v for k, v in r.items() if k != "id"},
    "id is a number": lambda r: r | {"id": 7},
    "tags hold a number": lambda r: r | {"tags": ["ok", 3]},
    "note is a list": lambda r: r | {"note": ["a"]},
    "target is text": lambda r: r | {"target": "here"},
    "detached is text": lambda r: r | {"detached": "yes"},
    "article_id missing": lambda r: {k: v for k, v in r.items() if k != "article_id"},
    "color is an object": lambda r: r | {"color": {"x": 1}},
}


def _library(tmp_path: Path) -> tuple[Path, Path, str]:
    article = tmp_path / "tides.md"
    article.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "lib" / "readmark.json"
    for quote in QUOTES:
        assert main(["highlight", str(article), "--quote", quote, "--note", f"on {quote[:8]}",
                     "--db", str(db)]) == 0
    with Store(db) as store:
        (entry,) = store.articles()
    return article, db, entry["id"]


def _exported(fmt: str, out: str) -> list[str]:
    """The quotes an export holds."""
    if fmt == "json":
        items = json.loads(out)["first"]["items"]
        return sorted(s["exact"] for item in items for s in item["target"]["selector"]
                      if s.get("type") == "TextQuoteSelector")
    if fmt == "csv":
        return sorted(row["Highlight"] for row in csv.DictReader(io.StringIO(out)))
    return sorted(line[2:] for line in out.splitlines() if line.startswith("> "))


def _damage(db: Path, article_id: str, how) -> tuple[Path, str, object]:
    """Damage the second record by hand; return the file, its key and the damaged value."""
    path = db.parent / "readmark.d" / "annotations" / f"{article_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    key = list(data["annotations"])[1]
    data["annotations"][key] = how(data["annotations"][key])
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, key, data["annotations"][key]


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_record_never_crashes_commands_and_is_kept(tmp_path, capsys, kind):
    article, db, article_id = _library(tmp_path)
    capsys.readouterr()
    path, key, damaged = _damage(db, article_id, DAMAGE[kind])
    problems = []

    # Exports: the three good highlights, and one line about the damaged one.
    for fmt in ("markdown", "json", "csv"):
        status = main(["export", str(article), "--format", fmt, "--no-timestamp",
                       "--db", str(db)])
        out, err = capsys.readouterr()
        if status != 0 or "Traceback" in err:
            problems.append(f"export {fmt}: {status} {err}")
        if _exported(fmt, out) != sorted(q for q in QUOTES if q != QUOTES[1]):
            problems.append(f"export {fmt} shows the wrong highlights: {_exported(fmt, out)}")
        lines = [line for line in err.splitlines() if "damaged" in line]
        if len(lines) != 1 or "1 highlight in “Tides” is damaged and was set aside" not in lines[0]:
            problems.append(f"export {fmt} did not report it once: {err!r}")

    # Other commands read it too; a new highlight writes the file again.
    for command in (["list"], ["stats"], ["review", "--limit", "0"],
                    ["highlight", str(article), "--quote", QUOTES[3], "--tag", "t"]):
        status = main([*command, "--db", str(db)])
        err = capsys.readouterr().err
        if status != 0 or "Traceback" in err:
            problems.append(f"{command[0]}: {status} {err}")

    after = json.loads(path.read_text(encoding="utf-8"))["annotations"]
    kept = after.get(key) == damaged
    with Store(db) as store:
        aside = store.damaged_annotations(article_id)
        handed_out = store.annotations(article_id)
        everything, _ = store.annotations_and_cards()
    if [a["key"] for a in aside] != [key] or aside[0]["record"] != damaged:
        problems.append(f"not listed as set aside: {aside}")
    if len(handed_out) != 3 or len(everything) != 3:
        problems.append(f"handed out {len(handed_out)} and {len(everything)} records, not 3")
    record("damaged records set aside", failures=int(bool(problems)), lost=int(not kept))
    assert kept, "the damaged record was changed or dropped"
    assert problems == []


def test_the_store_refuses_to_write_a_damaged_record(tmp_path):
    with Store(tmp_path / "readmark.json") as store:
        article = store.upsert_article(fingerprint="f", path="/a.md", title="A")
        good = store.add_annotation({"article_id": article["id"], "section": ["A"]})
        with pytest.raises(ValueError, match="section"):
            store.add_annotation({"article_id": article["id"], "section": 5})
        with pytest.raises(ValueError, match="tags"):
            store.update_annotation(good["id"], {"tags": "one"})
        assert store.annotations(article["id"]) == [good]


def test_the_message_names_the_article_and_is_said_once(tmp_path):
    _, db, article_id = _library(tmp_path)
    _damage(db, article_id, DAMAGE["section is a number"])
    heard: list[str] = []
    with Store(db) as store:
        store.on_message = heard.append
        for _ in range(3):
            assert len(store.annotations(article_id)) == 3
            store.annotations_and_cards()
        assert len(heard) == 1
        assert heard[0].startswith("1 highlight in “Tides” is damaged and was set aside: its "
                                   "section is a number, not a list of headings")
        assert store.recovery_message == heard[0]


async def test_the_reading_screen_opens_with_a_damaged_record(tmp_path):
    from reader.sources.loader import read_article
    from reader.tui.app import make_app
    from tests.ui.support import settle

    article, db, article_id = _library(tmp_path)
    _damage(db, article_id, DAMAGE["no id"])
    store = Store(db)
    app = make_app(read_article(article), store)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            view = await settle(app, pilot)
            assert view.document.complete
            shown = sorted(h.text for h in app.screen.annotator.highlights)
            notes = [n.message for n in app._notifications]
            await pilot.press("p")  # the highlights panel lists the good ones
            await pilot.pause()
    finally:
        store.close()
    problems = []
    if shown != sorted(q for q in QUOTES if q != QUOTES[1]):
        problems.append(f"highlights shown: {shown}")
    if not any("is damaged and was set aside" in n for n in notes):
        problems.append(f"no notification: {notes}")
    record("damaged records set aside", failures=int(bool(problems)))
    assert problems == []
