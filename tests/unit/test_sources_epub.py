"""EPUB books built in the tests with ebooklib: spine order, the book's own contents, failures."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from ebooklib import epub

from reader.cli.main import main
from reader.sources.snapshots import read_front_matter
from tests.unit.sources_helpers import Chapter, build_epub

CHAPTERS = [
    Chapter("text/ch1.xhtml", "Chapter One",
            "<h1>Chapter One</h1><p>The harbour was quiet at dawn. Boats rocked on the grey "
            "water.</p><h2 id='keeper'>The Keeper</h2><p>The keeper climbed the stairs.</p>"
            "<h3>A small note</h3><p>He counted the steps: one hundred and twelve.</p>"),
    Chapter("text/interlude.xhtml", "Interlude",
            "<p>An interlude that the contents do not list, read in spine order.</p>"),
    Chapter("text/ch2.xhtml", "Chapter Two",
            "<h1>Chapter Two</h1><p>Night came early in winter.</p><p>The lamp burned "
            "<em>all night</em> &amp; the <a href='https://example.org/lamps'>lamps</a> were "
            "trimmed.</p><p><img src='../images/lamp.jpg' alt='The great lamp'/></p>"),
]


def nested_toc(items: dict) -> list:
    return [
        (epub.Section("Part One"), [
            (epub.Section("Chapter One", "text/ch1.xhtml"), [
                epub.Link("text/ch1.xhtml#keeper", "The Keeper", "k"),
            ]),
        ]),
        (epub.Section("Part Two"), [epub.Link("text/ch2.xhtml", "Chapter Two", "c2")]),
    ]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library" / "readmark.json"


@pytest.mark.parametrize("nav", [True, False], ids=["epub3-nav", "epub2-ncx"])
def test_a_book_reads_in_spine_order_with_its_own_contents_as_sections(tmp_path, db, capsys,
                                                                       nav):
    book = build_epub(tmp_path / "harbour.epub", CHAPTERS, nested_toc,
                      authors=("Jane Keeper", "Tom Pilot"), nav=nav)
    code, outline, err = cli(capsys, "outline", str(book), "--db", str(db))
    assert code == 0, err
    assert outline.splitlines() == [
        "Part One", "  Chapter One", "    The Keeper", "Part Two", "  Chapter Two",
    ]
    code, markdown, _ = cli(capsys, "text", "--markdown", str(book), "--db", str(db))
    meta = read_front_matter(markdown)
    assert meta["title"] == "The Harbour Book"
    assert meta["author"] == "Jane Keeper and Tom Pilot"
    assert meta["kind"] == "book"
    code, text, _ = cli(capsys, "text", str(book), "--db", str(db))
    order = ["The harbour was quiet at dawn.", "The keeper climbed the stairs.",
             "A small note", "An interlude that the contents do not list",
             "Night came early in winter.", "The lamp burned all night & the lamps were trimmed.",
             "[image: The great lamp]"]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Chapter One\n\nChapter One" not in text  # the chapter's own title is not repeated
    assert "[lamps](https://example.org/lamps)" in markdown


def test_a_book_without_contents_keeps_its_chapters_headings(tmp_path, db, capsys):
    book = build_epub(tmp_path / "plain.epub", CHAPTERS, lambda items: [])
    code, outline, err = cli(capsys, "outline", str(book), "--db", str(db))
    assert code == 0, err
    assert outline.splitlines() == ["Chapter One", "  The Keeper", "    A small note",
                                    "Chapter Two"]


def test_an_unchanged_book_is_not_converted_again_and_a_changed_one_is(tmp_path, db, capsys):
    book = build_epub(tmp_path / "b.epub", CHAPTERS)
    assert cli(capsys, "add", str(book), "--db", str(db))[0] == 0
    snapshot = next((db.parent / "snapshots").iterdir())
    stamp = snapshot.stat().st_mtime_ns
    assert cli(capsys, "text", str(book), "--db", str(db))[0] == 0
    assert snapshot.stat().st_mtime_ns == stamp
    build_epub(book, [*CHAPTERS, Chapter("text/ch3.xhtml", "Chapter Three",
                                         "<h1>Chapter Three</h1><p>Spring returned.</p>")])
    assert "Spring returned." in cli(capsys, "text", str(book), "--db", str(db))[1]
    assert [p.name for p in (db.parent / "snapshots").iterdir()] == [snapshot.name]


def _rezip(source: Path, target: Path, *, drop: str = "", add: dict[str, bytes] | None = None
           ) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename != drop:
                new.writestr(item, old.read(item.filename))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


ENCRYPTION = """<?xml version="1.0"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
            xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData><enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData></enc:EncryptedData>
</encryption>"""


@pytest.mark.parametrize(("make", "reason"), [
    ("not-zip", "is not a valid EPUB (not a zip archive)"),
    ("no-container", "is not a valid EPUB (no META-INF/container.xml)"),
    ("broken-opf", "is not a valid EPUB"),
    ("drm", "is protected by DRM"),
    ("adobe-drm", "is protected by DRM"),
    ("no-text", "the book has no readable text"),
    ("empty", "the file is empty"),
])
def test_a_bad_book_is_one_line_exit_2_and_leaves_nothing(tmp_path, db, capsys, make, reason):
    good = build_epub(tmp_path / "good.epub", CHAPTERS)
    bad = tmp_path / "bad.epub"
    if make == "not-zip":
        bad.write_bytes(b"This is not a book at all, just some words.")
    elif make == "no-container":
        _rezip(good, bad, drop="META-INF/container.xml")
    elif make == "broken-opf":
        _rezip(good, bad, drop="EPUB/content.opf")
    elif make == "drm":
        _rezip(good, bad, add={"META-INF/encryption.xml": ENCRYPTION.format(
            algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            uri="EPUB/text/ch1.xhtml").encode()})
    elif make == "adobe-drm":
        _rezip(good, bad, add={"META-INF/rights.xml": b"<rights/>"})
    elif make == "no-text":
        build_epub(bad, [Chapter("text/c.xhtml", "Cover", "<p><img src='c.jpg'/></p>")])
    else:
        bad.write_bytes(b"")
    for command in ("text", "add", "outline"):
        code, out, err = cli(capsys, command, str(bad), "--db", str(db))
        assert code == 2, (command, out, err)
        assert err.strip().splitlines() == [f"readmark: {bad}: {reason}"] or (
            len(err.strip().splitlines()) == 1 and reason in err), err
        folder = db.parent / "snapshots"
        assert not folder.exists() or not any(folder.iterdir())


def test_font_obfuscation_is_not_drm(tmp_path, db, capsys):
    good = build_epub(tmp_path / "good.epub", CHAPTERS)
    fonts = _rezip(good, tmp_path / "fonts.epub", add={"META-INF/encryption.xml": ENCRYPTION.format(
        algorithm="http://www.idpf.org/2008/embedding", uri="EPUB/fonts/f.otf").encode()})
    code, text, err = cli(capsys, "text", str(fonts), "--db", str(db))
    assert code == 0, err
    assert "Night came early in winter." in text
