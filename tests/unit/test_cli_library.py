"""`readmark search`, `readmark relink` and `import --article --move`: results and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.annotations.records import new_record
from reader.cli.main import main
from reader.sources.loader import parse_article, read_article
from reader.store import Store

TIDES = """# Tides

## Harbours

The tide comes in twice a day. The tide goes out twice a day.

## Ships

Ships wait in the harbour for the tide. The pilots know every sandbank by name.
"""

LAMPS = """# Lamps

## Oil

Whale oil burned with a smoky flame. Colza oil was cleaner and cheaper.
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=60)


def add_article(store: Store, path: Path, highlights: list[tuple[str, dict]]) -> str:
    """Record the article as readmark does when it is opened, with some highlights."""
    source = read_article(path)
    document = parse_article(source)
    article = store.upsert_article(fingerprint=source.fingerprint, path=str(path),
                                   title=document.title)
    for quote, fields in highlights:
        start = document.text.index(quote)
        store.add_annotation(new_record(document, article["id"], start, start + len(quote),
                                        **fields))
    return article["id"]


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path, Path]:
    db = tmp_path / "lib" / "readmark.json"
    tides, lamps = tmp_path / "tides.md", tmp_path / "lamps.md"
    tides.write_text(TIDES, encoding="utf-8")
    lamps.write_text(LAMPS, encoding="utf-8")
    with Store(db) as store:
        add_article(store, tides, [
            ("The tide comes in twice a day.", {"note": "Twice!", "tags": ["sea"]}),
            ("Ships wait in the harbour for the tide.", {"color": "green"}),
        ])
        add_article(store, lamps, [("Colza oil was cleaner and cheaper.",
                                    {"tags": ["sea", "price"], "color": "green"})])
    return db, tides, lamps


def snapshot(db: Path) -> dict[str, bytes]:
    """Every file of the library, to tell that nothing changed."""
    return {str(p.relative_to(db.parent)): p.read_bytes() for p in sorted(db.parent.rglob("*"))
            if p.is_file() and "digest-" not in p.name and p.suffix != ".lock"}


def test_search_prints_one_line_per_hit_for_scripts(library):
    db = library[0]
    found = run("search", "tide", "--db", str(db))
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert sorted(lines) == sorted([
        "Tides\tShips\tShips wait in the harbour for the tide.\t",
        "Tides\tHarbours\tThe tide comes in twice a day.\tTwice!",
    ])
    assert run("search", "--tag", "sea", "--color", "green", "--db", str(db)).stdout == (
        "Lamps\tOil\tColza oil was cleaner and cheaper.\t\n")
    assert run("search", "#pri", "--db", str(db)).stdout.startswith("Lamps\t")
    assert run("search", "has:note", "--article", "tides", "--db", str(db)).stdout.count(
        "\n") == 1
    nothing = run("search", "volcano", "--db", str(db))
    assert (nothing.returncode, nothing.stdout) == (1, "")
    assert nothing.stderr.strip() == "readmark: no highlight matches"


def test_search_json_has_every_field_exactly(library, capsys):
    db = library[0]
    assert main(["search", "twice", "--json", "--db", str(db)]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["quote"] == "The tide comes in twice a day." and hit["note"] == "Twice!"
    assert (hit["article"], hit["section"], hit["tags"], hit["color"]) == (
        "Tides", ["Tides", "Harbours"], ["sea"], "yellow")
    assert set(hit) >= {"id", "article_id", "path", "created", "detached"}


@pytest.mark.parametrize("args, message", [
    (["--article", "no such thing"], "no article's id, file or title matches 'no such thing'"),
    (["--article", "s"], "'s' matches 2 articles (“Lamps”, “Tides”)"),
    (["--color", "mauve"], "--color mauve: choose one of yellow, green, blue, pink, purple"),
    (["--tag", "#"], "--tag is empty"),
])
def test_search_bad_input_is_one_line_and_exit_2(library, args, message):
    db = library[0]
    before = snapshot(db)
    result = run("search", "tide", *args, "--db", str(db))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert snapshot(db) == before


def test_relink_a_moved_and_edited_article(library, tmp_path: Path):
    db, tides, _ = library
    moved = tmp_path / "elsewhere" / "tides-v2.md"
    moved.parent.mkdir()
    moved.write_text(TIDES.replace("# Tides", "# Tides, revised").replace(
        "Ships wait in the harbour for the tide.", "Ships no longer wait.") +
        "\n## Later\n\nA new paragraph.\n", encoding="utf-8")
    tides.unlink()
    with Store(db) as store:  # the moved file was opened once: a new, empty article
        source = read_article(moved)
        store.upsert_article(fingerprint=source.fingerprint, path=str(moved),
                             title="Tides, revised")
        old_id = store.find_article(path=str(tides))["id"]
    result = run("relink", str(tides), str(moved), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"relinked “Tides” (now “Tides, revised”) to {moved}: 2 highlights, 1 found in the "
        "new text, 1 detached (kept, listed under Detached in the reader)",
        "  detached: “Ships wait in the harbour for the tide.”",
    ]
    with Store(db) as store:
        articles = store.articles()
        assert [(a["id"], a["path"]) for a in articles if "Tides" in a["title"]] == [
            (old_id, str(moved))]
        records = store.annotations(old_id)
        assert sorted(bool(r.get("detached")) for r in records) == [False, True]
        found = next(r for r in records if not r.get("detached"))
        assert found["section"] == ["Tides, revised", "Harbours"]
    # Searching finds it under its new title.
    assert run("search", "twice", "--db", str(db)).stdout.startswith("Tides, revised\t")


def test_relink_bad_input_is_one_line_exit_2_and_changes_nothing(library, tmp_path: Path):
    db, _, lamps = library
    twin = tmp_path / "twin.md"
    twin.write_text(TIDES.replace("# Tides", "# Tides Again"), encoding="utf-8")
    with Store(db) as store:
        add_article(store, twin, [])
    before = snapshot(db)
    cases = [
        (["relink", "Volcanoes", str(lamps)], "no article's id, file or title matches"),
        (["relink", "tide", str(lamps)], "'tide' matches 2 articles"),
        (["relink", "Tides", str(lamps)],
         "none of the 2 highlights of “Tides” is in " + str(lamps) + ": is it the right file?"),
        (["relink", "Lamps", str(tmp_path / "nope.md")], "nope.md: no such file"),
        (["relink", "Lamps", str(tmp_path)], "is a directory"),
    ]
    for args, message in cases:
        result = run(*args, "--db", str(db))
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == "" and result.stderr.count("\n") == 1
        assert message in result.stderr, result.stderr
    assert snapshot(db) == before


def test_import_article_move_brings_highlights_and_cards_over(library, tmp_path: Path):
    db, tides, _ = library
    with Store(db) as store:
        old = store.find_article(path=str(tides))
        first = store.annotations(old["id"])[0]
        store.update_card(first["id"], lambda _: {"fsrs": {"due": "2030-01-01T00:00:00+00:00"}})
    exported = tmp_path / "tides.json"
    assert main(["export", str(tides), "-o", str(exported), "--format", "json",
                 "--db", str(db)]) == 0
    copy = tmp_path / "copy.md"
    copy.write_text(TIDES.replace("twice a day. The tide goes", "twice a day. It goes"),
                    encoding="utf-8")
    skipped = run("import", str(exported), "--article", str(copy), "--db", str(db))
    assert "skipped 2 annotations already in the library" in skipped.stdout
    refused = run("import", str(exported), "--move", "--db", str(db))
    assert refused.returncode == 2 and "--move needs --article" in refused.stderr
    moved = run("import", str(exported), "--article", str(copy), "--move", "--db", str(db))
    assert moved.returncode == 0, moved.stderr
    assert "moved 2 annotations from other articles into “Tides”" in moved.stdout
    with Store(db) as store:
        new = store.find_article(path=str(copy))
        assert store.annotations(old["id"]) == []
        records = store.annotations(new["id"])
        assert len(records) == 2 and store.card(first["id"])["article_id"] == new["id"]
