"""Anki packages: opened as Anki opens them (a zip holding an SQLite collection).

One note per highlight (the passage in its context on the front, the note and
the source on the back, tags as Anki tags), with GUIDs made from the highlight
ids, so a second export of the same highlights has the same GUIDs (Anki then
updates its notes instead of adding them again).
"""

from __future__ import annotations

import html
import json
import sqlite3
import zipfile
from pathlib import Path

from reader.export.anki import FIELDS, note_guid, write_package
from reader.export.formats import export_highlights
from tests.unit.test_cli_export import articles, db, out, run  # noqa: F401
from tests.unit.test_export import known_records


def read_package(path: Path, tmp_path: Path) -> dict:
    """Notes (guid, fields by name, tags), the model's field names and the decks."""
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        database = tmp_path / f"{path.stem}.anki2"
        database.write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        models = json.loads(connection.execute("select models from col").fetchone()[0])
        decks = json.loads(connection.execute("select decks from col").fetchone()[0])
        [model] = models.values()
        names = [field["name"] for field in model["flds"]]
        notes = [
            {"guid": guid, "fields": dict(zip(names, fields.split("\x1f"))), "tags": tags.split()}
            for guid, fields, tags in connection.execute("select guid, flds, tags from notes")
        ]
        cards = connection.execute("select count(*) from cards").fetchone()[0]
    finally:
        connection.close()
    return {"notes": notes, "names": names, "decks": decks, "cards": cards}


def test_one_note_per_highlight_with_stable_guids(tmp_path):
    article, document, records = known_records("rich_markdown.md")
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_package(first, article, records, document)
    write_package(second, article, list(reversed(records)), document)
    one, two = read_package(first, tmp_path), read_package(second, tmp_path)
    highlights = export_highlights(records, document)
    assert one["names"] == list(FIELDS)
    assert one["cards"] == len(records) == len(one["notes"])
    assert [n["guid"] for n in one["notes"]] == [note_guid(h.id) for h in highlights]
    assert sorted(n["guid"] for n in two["notes"]) == sorted(n["guid"] for n in one["notes"])
    assert [n["guid"] for n in one["notes"]] != [note_guid(h.id + "x") for h in highlights]
    assert any(deck["name"] == f"readmark::{article.title}" for deck in one["decks"].values())
    deck_ids = {d["id"] for d in one["decks"].values()} & {d["id"] for d in two["decks"].values()}
    assert len(deck_ids) >= 2  # the default deck and the article's, the same ids both times

    by_id = {n["fields"]["Highlight id"]: n for n in one["notes"]}
    blue = by_id[highlights[1].id]
    front = blue["fields"]["Passage"]
    assert '<span class="passage blue">the wrinkled outer layer of the brain</span>' in front
    assert "gradually come to rely more on the neocortex, </span>" in front  # context before
    assert blue["tags"] == ["readmark", "brain", "anatomy"]
    assert "What &quot;consolidation&quot; means" in blue["fields"]["Source"]
    noted = by_id[highlights[0].id]
    assert html.unescape(noted["fields"]["Note"]) == records[0]["note"]
    assert "How Memory Consolidates During Sleep" in noted["fields"]["Source"]
    code = by_id[highlights[5].id]["fields"]["Passage"]
    assert "def consolidate(recent, cortex" in code and "<br>" in code  # lines kept


def test_no_temporary_files_are_left(tmp_path):
    article, document, records = known_records("hard_wrapped.txt")
    write_package(tmp_path / "notes.apkg", article, records, document)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.apkg"]


def test_the_command_writes_a_package_and_wants_a_file(db, articles, tmp_path):  # noqa: F811
    target = tmp_path / "cards.apkg"
    article = str(articles["rich_markdown.md"])
    assert out(run("export", article, "--db", str(db), "-o", str(target))) == (
        f"wrote {target} (2 highlights, 1 note)\n"
    )
    assert len(read_package(target, tmp_path)["notes"]) == 2
    result = run("export", article, "--db", str(db), "--format", "anki")
    assert result.returncode == 2 and b"give one with -o FILE.apkg" in result.stderr
    folder = tmp_path / "decks"
    out(run("export", "--all", "--format", "anki", "-o", str(folder), "--db", str(db)))
    assert sorted(p.name for p in folder.iterdir()) == [
        "Hard wrapped.apkg",
        "How Memory Consolidates During Sleep.apkg",
    ]
