"""A long page or book converted in a child process: its first part comes first, the whole after."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reader.cli import background
from reader.sources import epub as epub_source
from reader.sources.epub import read_book
from reader.sources.html_article import extract_article
from reader.sources.loader import ArticleError, ArticleSource, read_article
from reader.sources.partial import (
    FIRST_PART_ABOVE,
    FIRST_PART_CHARS,
    PartialSource,
    expected_length,
    whole_of,
)
from reader.sources.snapshots import read_front_matter
from tests.unit.sources_helpers import Chapter, article_page, build_epub

WORDS = ("harbour lantern keeper tide rope gull pier lamp night stair glass wind salt "
         "boat anchor chart north mist bell shore").split()


def sentences(seed: int, count: int) -> list[str]:
    """Distinct sentences (each names its seed and number, so none repeats)."""
    return [f"Sentence {seed}.{n} tells of the " + " ".join(WORDS[(seed + n + k) % len(WORDS)]
                                                         for k in range(12)) + "."
            for n in range(count)]


def long_book(path: Path, chapters: int = 40) -> Path:
    return build_epub(path, [
        Chapter(f"text/ch{n}.xhtml", f"Chapter {n}",
                f"<h1>Chapter {n}</h1>" + "".join(f"<p>{s}</p>" for s in sentences(n, 60)))
        for n in range(1, chapters + 1)
    ])


def long_page(paragraphs: int = 2500) -> str:
    return article_page("The Long Harbour Report", sentences(7, paragraphs))


class Told:
    """Records what a conversion says of its first part."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, int]] = []

    def __call__(self, text: str, expected: int) -> None:
        self.parts.append((text, expected))


# --------------------------------------------------------------------- books and pages
def test_a_long_book_tells_its_beginning_before_reading_the_other_chapters(tmp_path,
                                                                          monkeypatch):
    book = long_book(tmp_path / "long.epub")
    parsed: list[int] = []
    parse = epub_source._parse
    told = Told()

    def counting_parse(content: bytes):
        parsed.append(len(told.parts))  # how many first parts were told before this chapter
        return parse(content)

    monkeypatch.setattr(epub_source, "_parse", counting_parse)
    whole = read_book(book.read_bytes(), shown="long.epub", first_part=told).markdown
    assert len(whole) > FIRST_PART_ABOVE
    assert len(told.parts) == 1
    text, expected = told.parts[0]
    assert whole.startswith(text)
    assert FIRST_PART_CHARS <= len(text) < len(whole) / 4
    assert read_front_matter(text)["title"] == "The Harbour Book"
    assert "Sentence 1.0 tells of the" in text
    # Told after a few chapters, before the others were read.
    assert 0 < parsed.count(0) < 5 and parsed.count(1) > 30
    assert len(whole) / 2 < expected < 2 * len(whole)


def test_a_short_book_or_page_is_not_told_in_parts(tmp_path):
    book = long_book(tmp_path / "short.epub", chapters=3)
    told = Told()
    read_book(book.read_bytes(), shown="short.epub", first_part=told)
    extract_article(long_page(40), shown="short.html", first_part=told)
    assert told.parts == []


def test_a_long_page_tells_its_beginning_with_the_whole_length():
    told = Told()
    whole = extract_article(long_page(), shown="long.html", first_part=told).markdown
    assert len(told.parts) == 1
    text, expected = told.parts[0]
    assert whole.startswith(text) and len(text) < len(whole) / 4
    assert expected == len(whole)
    assert "Sentence 7.0 tells of the" in text


# --------------------------------------------------------------------- the first part
def test_the_whole_is_made_once_and_a_failure_is_said_every_time():
    calls: list[int] = []

    def rest() -> ArticleSource:
        calls.append(1)
        return ArticleSource("a.md", "# A\n\nall of it\n", "markdown", "f")

    part = PartialSource("a.md", "# A\n", "markdown", "p", expected_chars=400, rest=rest)
    assert expected_length(part) == 400
    wholes = []
    threads = [threading.Thread(target=lambda: wholes.append(whole_of(part)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and all(w.text == "# A\n\nall of it\n" for w in wholes)

    def failing() -> ArticleSource:
        calls.append(2)
        raise ArticleError("a.html: its snapshot could not be saved")

    broken = PartialSource("a.md", "# A\n", "markdown", "p", rest=failing)
    for _ in range(2):
        with pytest.raises(ArticleError, match="could not be saved"):
            whole_of(broken)
    assert calls == [1, 2]


# --------------------------------------------------------------------- the child process
@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_the_child_sends_the_first_part_then_writes_the_whole(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(long_page(), encoding="utf-8")
    db = tmp_path / "lib" / "readmark.json"
    folder = db.parent / "snapshots"
    child = background.start(str(page), folder)
    assert child is not None
    part = background.first_part(child, str(page), str(db))
    assert isinstance(part, PartialSource)
    whole = whole_of(part)
    snapshot = Path(part.path)
    assert whole.path == part.path and snapshot.parent == folder
    assert whole.text == read_article(snapshot).text
    assert whole.text.startswith(part.text) and len(part.text) < len(whole.text)
    assert part.expected_chars == len(whole.text)
    assert list(folder.iterdir()) == [snapshot]  # nothing else left behind
    # Opened again: no conversion, no child.
    assert background.start(str(page), folder) is None


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_child_that_finds_no_article_sends_no_part_and_says_why(tmp_path):
    page = tmp_path / "menus.html"
    page.write_text("<html><head><title>Home</title></head><body><nav><a href='/a'>A</a> "
                    "<a href='/b'>B</a></nav></body></html>", encoding="utf-8")
    folder = tmp_path / "snapshots"
    child = background.start(str(page), folder)
    assert child is not None
    assert background.first_part(child, str(page), None) is None
    with pytest.raises(ArticleError, match="no article found"):
        background.finish(child)
    assert not folder.exists() or not list(folder.iterdir())
