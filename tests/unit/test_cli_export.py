"""`readmark export` and `readmark import` as a user runs them (real processes), and the
export function the reading screen calls."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.annotations.records import anchor_records, new_record
from reader.export.files import default_export_path, export_article_file, write_atomic
from reader.export.formats import ExportArticle
from reader.sources.loader import parse_article, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store

QUOTES = {
    "rich_markdown.md": [
        ("wrinkled outer layer", {"note": "Neocortex | *not* hippocampus", "tags": ["brain"]}),
        ("A passive shelter would not behave like that.", {"color": "green"}),
    ],
    "hard_wrapped.txt": [("Parchment, made from animal skins", {"note": "costly"})],
    "one_line_paragraphs.txt": [],  # known to the library, but without highlights
}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command, with bytes out (text mode would turn the CSV's CRLF into LF)."""
    env = {k: v for k, v in os.environ.items() if k != "READMARK_DB"}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        input=stdin,
        timeout=60,
        env=env,
    )


def out(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode("utf-8")


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    assert result.returncode == 2, result
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("readmark: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert result.stdout == b""
    return lines[0]


@pytest.fixture
def articles(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    return {name: Path(shutil.copy(samples_dir() / name, folder / name)) for name in QUOTES}


@pytest.fixture
def db(tmp_path: Path, articles: dict[str, Path]) -> Path:
    """A library with the QUOTES highlighted, made as the reader would make it."""
    path = tmp_path / "lib" / "readmark.json"
    with Store(path) as store:
        for name, quotes in QUOTES.items():
            source = read_article(articles[name])
            document = parse_article(source)
            article = store.upsert_article(
                fingerprint=source.fingerprint, path=str(articles[name]), title=document.title
            )
            for quote, options in quotes:
                start = document.text.index(quote)
                store.add_annotation(
                    new_record(document, article["id"], start, start + len(quote), **options)
                )
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# --------------------------------------------------------------------------- export


def test_export_prints_markdown_by_default(db, articles):
    text = out(run("export", str(articles["rich_markdown.md"]), "--db", str(db)))
    assert text.startswith("---\ntitle: How Memory Consolidates During Sleep\n")
    assert f"source: {articles['rich_markdown.md']}\n" in text
    assert "exported: " in text and "highlights: 2\nnotes: 1\ntags:\n  - brain\n" in text
    assert "  - memory\n  - neuroscience\n  - sleep\n---\n" in text  # the article's own tags
    assert "\n# How Memory Consolidates During Sleep\n<!-- /readmark -->\n" in text
    assert '\n<!-- readmark:hl-' in text and '-->\n## What "consolidation" means\n' in text
    assert "\n> wrinkled outer layer\n\n^hl-" in text
    assert "\n\nNeocortex \\| \\*not\\* hippocampus\n" in text
    assert "\n## An old observation\n\n> A passive shelter would not behave like that.\n" in text


def test_export_twice_without_timestamp_is_byte_identical(db, articles):
    args = ("export", str(articles["rich_markdown.md"]), "--db", str(db), "--no-timestamp")
    first, second = run(*args), run(*args)
    assert first.returncode == 0 and first.stdout == second.stdout
    assert b"exported:" not in first.stdout


def test_export_to_a_file_takes_the_format_from_its_extension(db, articles, tmp_path):
    for name, check in (("notes.json", "AnnotationCollection"), ("notes.csv", "Highlight,Title")):
        target = tmp_path / name
        result = out(
            run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(target))
        )
        assert result == f"wrote {target} (2 highlights, 1 note)\n"
        assert check in target.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_file_named_for_a_format_readmark_does_not_write_is_refused(db, articles, tmp_path):
    target = tmp_path / "notes.docx"
    result = run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(target))
    assert_one_line_error(result, "notes.docx", "--format")
    assert not target.exists()
    # Named on purpose: --format writes it; a text file takes the default, Markdown.
    out(run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(target),
            "--format", "markdown"))
    assert target.read_text(encoding="utf-8").startswith("---")
    text = tmp_path / "notes.txt"
    out(run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(text)))
    assert "> " in text.read_text(encoding="utf-8")


def test_csv_reads_back_with_the_csv_module(db, articles):
    result = run("export", str(articles["rich_markdown.md"]), "--db", str(db), "--format", "csv")
    raw = out(result)
    assert raw.startswith("Highlight,Title,Author,URL,Note,Location,Date\r\n")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert [row["Highlight"] for row in rows] == [
        "wrinkled outer layer",
        "A passive shelter would not behave like that.",
    ]
    assert rows[0]["Note"] == ".brain\nNeocortex | *not* hippocampus"
    assert rows[0]["Author"] == "The readmark sample writer"
    assert all(row["Title"] == "How Memory Consolidates During Sleep" for row in rows)


def test_export_all_writes_one_file_per_article_with_highlights(db, articles, tmp_path):
    folder = tmp_path / "vault" / "readmark"
    result = out(run("export", "--all", "-o", str(folder), "--db", str(db), "--no-timestamp"))
    assert sorted(p.name for p in folder.iterdir()) == [
        "Hard wrapped.md",
        "How Memory Consolidates During Sleep.md",
    ]
    assert result.splitlines() == [
        f"wrote {folder / 'Hard wrapped.md'} (1 highlight, 1 note)",
        f"wrote {folder / 'How Memory Consolidates During Sleep.md'} (2 highlights, 1 note)",
        f"exported 2 articles (3 highlights) to {folder}",
    ]
    single = run("export", str(articles["hard_wrapped.txt"]), "--db", str(db), "--no-timestamp")
    assert (folder / "Hard wrapped.md").read_bytes() == single.stdout
    before = snapshot(folder)
    out(run("export", "--all", "-o", str(folder), "--db", str(db), "--no-timestamp"))
    assert snapshot(folder) == before  # commit-stable


def test_export_all_gives_same_titles_different_names(db, articles, tmp_path):
    twin = tmp_path / "articles" / "copy.md"
    twin.write_text(articles["rich_markdown.md"].read_text() + "\nOne more line.\n")
    out(run("highlight", str(twin), "--quote", "One more line.", "--db", str(db)))
    folder = tmp_path / "out"
    out(run("export", "--all", "-o", str(folder), "--db", str(db), "--format", "json"))
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "Hard wrapped.json",
        "How Memory Consolidates During Sleep (2).json",
        "How Memory Consolidates During Sleep.json",
    ]


def test_export_of_an_article_whose_file_is_gone(db, articles, tmp_path):
    path = articles["rich_markdown.md"]
    expected = out(run("export", str(path), "--db", str(db), "--no-timestamp"))
    path.unlink()
    for name in (str(path), "how memory consolidates during sleep"):
        result = run("export", name, "--db", str(db), "--no-timestamp")
        assert "no such file; exported 2 highlights as stored" in result.stderr.decode()
        text = out(result)
        assert text.split("\n# ")[1] == expected.split("\n# ")[1]  # same body, stored sections


def test_export_of_a_file_the_library_does_not_know(articles, tmp_path):
    result = run("export", str(articles["rich_markdown.md"]), "--db", str(tmp_path / "no.json"))
    assert "highlights: 0\n" in out(result)
    assert "no highlights yet" in result.stderr.decode()
    assert not (tmp_path / "no.json").exists()  # exporting never creates a library


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nowhere.md",), "nowhere.md: no such file, and the library has no article"),
        (("--all",), "give a folder with -o DIR"),
        ((), "give the article to export"),
        (("x.md", "--all", "-o", "d"), "not both"),
    ],
)
def test_export_errors_are_one_line(db, args, message):
    assert_one_line_error(run("export", *args, "--db", str(db)), message)


def test_export_to_a_folder_without_all_is_refused(db, articles, tmp_path):
    result = run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(tmp_path))
    assert_one_line_error(result, "is a folder")


# --------------------------------------------------------------------------- import


def test_round_trip_through_json_into_an_empty_library(db, articles, tmp_path):
    first = tmp_path / "first.json"
    article = str(articles["rich_markdown.md"])
    out(run("export", article, "--db", str(db), "-o", str(first), "--no-timestamp"))
    empty = tmp_path / "empty" / "readmark.json"
    report = out(run("import", str(first), "--db", str(empty)))
    assert report == "imported 2 annotations into “How Memory Consolidates During Sleep”\n"
    again = run("export", article, "--db", str(empty), "--format", "json", "--no-timestamp")
    assert again.stdout == first.read_bytes()
    markdown = [
        run("export", article, "--db", str(d), "--no-timestamp").stdout for d in (db, empty)
    ]
    assert markdown[0] == markdown[1]


def test_importing_twice_adds_nothing_twice(db, articles, tmp_path):
    exported = tmp_path / "notes.json"
    out(run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(exported)))
    empty = tmp_path / "other" / "readmark.json"
    out(run("import", str(exported), "--db", str(empty)))
    assert out(run("import", str(exported), "--db", str(empty))) == (
        "skipped 2 annotations already in the library\n"
    )
    with Store(empty) as store:
        [article] = store.articles()
        assert len(store.annotations(article["id"])) == 2


def test_import_reads_standard_input_and_reports_detached(db, articles, tmp_path):
    data = run("export", str(articles["rich_markdown.md"]), "--db", str(db), "--format", "json")
    empty = tmp_path / "new" / "readmark.json"
    result = run(
        "import",
        "-",
        "--article",
        str(articles["hard_wrapped.txt"]),
        "--db",
        str(empty),
        stdin=data.stdout,
    )
    assert out(result).splitlines() == [
        "imported 2 annotations into “Hard wrapped” (2 detached: not found in the article's text)",
        "  detached: “wrinkled outer layer”",
        "  detached: “A passive shelter would not behave like that.”",
    ]
    with Store(empty) as store:
        [article] = store.articles()
        records = store.annotations(article["id"])
    assert [r["detached"] for r in records] == [True, True]
    assert article["path"] == str(articles["hard_wrapped.txt"])
    markdown = out(run("export", str(articles["hard_wrapped.txt"]), "--db", str(empty)))
    assert "## Detached highlights" in markdown
    assert "detached (was in How Memory Consolidates During Sleep › What" in markdown


def test_import_of_w3c_json_from_another_tool(articles, tmp_path):
    other = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {
                "id": "https://example.org/anno/1",
                "type": "Annotation",
                "body": [
                    {"type": "TextualBody", "value": "Nice", "purpose": "commenting"},
                    {"type": "TextualBody", "value": "keep", "purpose": "tagging"},
                ],
                "target": {
                    "source": "articles/one_line_paragraphs.txt",
                    "selector": {"type": "TextQuoteSelector", "exact": "They needed a patent"},
                },
            }
        ],
    }
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    db = tmp_path / "lib.json"
    assert out(run("import", str(path), "--db", str(db))) == (
        "imported 1 annotation into “The Economics of Lighthouses”\n"
    )
    with Store(db) as store:
        [article] = store.articles()
        [record] = store.annotations(article["id"])
    assert record["id"] == "https://example.org/anno/1"
    assert (record["note"], record["tags"], record["detached"]) == ("Nice", ["keep"], False)
    assert record["section"][-1] == "Dues, Ports and Patents"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not json", "not JSON (line 1, column 1"),
        (b"\xff\xfe garbage", "not JSON (not UTF-8 text)"),
        (b'{"hello": "world"}', "expected a W3C Annotation"),
        (b"[]", "holds no annotations"),
        (b'[{"type": "Annotation", "target": "https://example.org"}]', "quotes text"),
        (
            b'{"type": "Annotation", "target": {"source": "/nowhere/gone.md", "selector": '
            b'{"type": "TextQuoteSelector", "exact": "x"}}}',
            "belong to no article in the library",
        ),
    ],
)
def test_bad_import_gives_one_line_and_changes_nothing(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = snapshot(db.parent)
    assert_one_line_error(run("import", str(path), "--db", str(db)), message)
    assert snapshot(db.parent) == before
    fresh = tmp_path / "fresh" / "readmark.json"
    assert_one_line_error(run("import", str(path), "--db", str(fresh)), message)
    assert not fresh.parent.exists()


def test_import_of_a_missing_file_and_a_missing_article(db, tmp_path, articles):
    assert_one_line_error(
        run("import", str(tmp_path / "none.json"), "--db", str(db)), "no such file"
    )
    exported = tmp_path / "n.json"
    out(run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(exported)))
    result = run("import", str(exported), "--article", str(tmp_path / "gone.md"), "--db", str(db))
    assert_one_line_error(result, "gone.md: no such file")


def test_dry_run_changes_nothing(db, articles, tmp_path):
    exported = tmp_path / "n.json"
    out(run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(exported)))
    fresh = tmp_path / "fresh" / "readmark.json"
    assert out(run("import", str(exported), "--db", str(fresh), "--dry-run")).startswith(
        "would import 2 annotations"
    )
    assert not fresh.exists()


# --------------------------------------------------------------------------- for the app


def test_export_article_file_for_the_e_key(db, articles):
    source = read_article(articles["rich_markdown.md"])
    document = parse_article(source)
    with Store(db) as store:
        article = store.find_article(fingerprint=source.fingerprint)
        highlights = anchor_records(document, store.annotations(article["id"])).highlights
        path = export_article_file(store, article["id"], document, highlights=highlights)
        assert path == db.parent / "exports" / "How Memory Consolidates During Sleep.md"
        text = path.read_text(encoding="utf-8")
        assert "highlights: 2\n" in text and "exported: " in text
        again = export_article_file(store, article["id"], document, timestamp=False, fmt="csv")
        assert again.name == "How Memory Consolidates During Sleep.csv"
        chosen = export_article_file(store, article["id"], None, folder=db.parent / "chosen")
        assert chosen == db.parent / "chosen" / "How Memory Consolidates During Sleep.md"
        assert "highlights: 2\n" in chosen.read_text(encoding="utf-8")  # without the file too
        # another article with the same title does not overwrite the first one's file
        other = ExportArticle(
            title="How Memory Consolidates During Sleep", source="/else.md", fingerprint="0" * 32
        )
        assert default_export_path(store, other).name == (
            "How Memory Consolidates During Sleep (2).md"
        )
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "notes.md"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]
