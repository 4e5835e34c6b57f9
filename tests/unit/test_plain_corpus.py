"""The plain-text corpus: e-texts, news copy, essays, verse and near misses, read as a user expects.

Each ``tests/corpus/plain/NAME.txt`` has a ``NAME.json`` written by hand with
the outline, title and author a reader would give it, and where it matters the
date, deck, subtitle, the regions that must be hidden, the litter lines that
must be dropped, contents entries and blocks that keep their line breaks.
Headings are scored over the whole corpus as precision and recall of
(level, text) pairs, and the figures are printed whatever the pytest options.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.document.model import BLOCK_SEPARATOR, PREFORMATTED, BlockKind
from reader.document.plaintext import analyse_plaintext, looks_like_plain_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "plain"
NAMES = sorted(path.stem for path in CORPUS.glob("*.txt"))


@dataclass
class Reading:
    """An article of the corpus as the parser read it, beside what was expected."""

    name: str
    source: str
    expected: dict[str, Any]
    outline: list[tuple[int, str]]
    document: Any
    analysis: Any


def _read(name: str) -> Reading:
    source = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    document, analysis = analyse_plaintext(source, f"{name}.txt")
    outline = [(section.level, section.title) for section in document.sections]
    return Reading(name, source, expected, outline, document, analysis)


def test_the_corpus_is_large_and_varied() -> None:
    assert len(NAMES) >= 30
    kinds = Counter(name.split("_")[0] for name in NAMES)
    assert kinds["etext"] >= 5 and kinds["news"] >= 4 and kinds["near"] >= 5
    for name in NAMES:
        assert (CORPUS / f"{name}.json").exists(), f"{name}.txt has no expectations"


def test_heading_precision_and_recall_over_the_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    found = expected = correct = 0
    titles = authors = 0
    misses: list[str] = []
    for name in NAMES:
        reading = _read(name)
        want = Counter((level, text) for level, text in reading.expected["outline"])
        got = Counter(reading.outline)
        found += sum(got.values())
        expected += sum(want.values())
        correct += sum((got & want).values())
        if got != want:
            misses.append(
                f"{name}: extra {sorted((got - want).elements())}, "
                f"missing {sorted((want - got).elements())}"
            )
        titles += reading.document.title == reading.expected["title"]
        authors += reading.document.metadata.get("author", "") == reading.expected["author"]
    precision = correct / found if found else 1.0
    recall = correct / expected if expected else 1.0
    report = (
        f"plain-text corpus: {len(NAMES)} articles, {expected} headings expected, "
        f"{found} found; precision {precision:.1%}, recall {recall:.1%}; "
        f"titles {titles}/{len(NAMES)}, authors {authors}/{len(NAMES)}"
    )
    with capsys.disabled():
        print(f"\n{report}")
    assert (precision, recall) == (1.0, 1.0), report + "\n" + "\n".join(misses)
    assert titles == authors == len(NAMES), report


@pytest.mark.parametrize("name", NAMES)
def test_article_reads_as_expected(name: str) -> None:
    reading = _read(name)
    document, want = reading.document, reading.expected
    assert looks_like_plain_text(reading.source)
    assert reading.outline == [(level, text) for level, text in want["outline"]]
    assert document.title == want["title"]
    assert document.metadata.get("author", "") == want["author"]
    for key in ("date", "subtitle"):
        assert document.metadata.get(key, "") == want.get(key, "")
    assert document.metadata.get("deck", "").startswith(want.get("deck", "")) and (
        ("deck" in document.metadata) == ("deck" in want)
    )
    assert BLOCK_SEPARATOR.join(document.block_text(b) for b in document.blocks) == document.text


@pytest.mark.parametrize("name", NAMES)
def test_hidden_and_dropped_lines(name: str) -> None:
    reading = _read(name)
    document, analysis, want = reading.document, reading.analysis, reading.expected
    lines = reading.source.split("\n")
    hidden = [region.rule for region in analysis.regions if region.action == "hidden"]
    assert len(hidden) == len(want.get("hidden", []))
    for rule, prefix in zip(hidden, want.get("hidden", []), strict=True):
        assert rule.startswith(prefix)
    dropped = [
        lines[region.first].strip() for region in analysis.regions if region.action == "dropped"
    ]
    assert dropped == want.get("dropped", [])
    for text in want.get("absent", []):
        assert text not in document.text
    for text in want.get("present", []):
        assert text in document.text
    # Whatever is hidden or dropped is gone from the words the reader counts.
    gone = sum(
        len(" ".join(lines[region.first : region.last + 1]).split()) for region in analysis.regions
    )
    assert document.word_count <= len(reading.source.split()) - gone


@pytest.mark.parametrize("name", NAMES)
def test_contents_and_line_breaks(name: str) -> None:
    reading = _read(name)
    document, analysis, want = reading.document, reading.analysis, reading.expected
    entries = [
        unit
        for unit in analysis.units
        if unit.role == "contents" and unit.kind is BlockKind.LIST_ITEM
    ]
    assert len(entries) == want.get("contents", 0)
    broken = [
        block
        for block in document.blocks
        if block.kind not in PREFORMATTED and "\n" in document.block_text(block)
    ]
    assert len(broken) == want.get("kept_breaks", 0)


def test_a_news_front_reaches_the_export_front_matter() -> None:
    from reader.export.markdown import to_markdown
    from reader.export.model import ExportArticle

    reading = _read("news_tidal")
    article = ExportArticle.from_document(reading.document)
    text = to_markdown(article, [], reading.document)
    front = text.split("\n---\n", 1)[0].splitlines()
    assert "title: Harbour Towns Bet on Tidal Power as Diesel Costs Climb" in front
    assert "author: Marta Quill and Jonas Reed" in front
    assert "date: 2025-03-04" in front


_TRICKY_LINES = st.sampled_from(
    [
        "",
        "",
        "*** START OF THE PROJECT GUTENBERG EBOOK THE SEA ***",
        "*** END OF THE PROJECT GUTENBERG EBOOK THE SEA ***",
        "End of the Project Gutenberg EBook of The Sea, by Ann Lee",
        "Title: The Sea",
        "Author: Ann Lee",
        "       A Subtitle",
        "CONTENTS",
        "CHAPTER I.",
        "I.",
        "THE ARRIVAL",
        "The Arrival at the Head",
        "BY",
        "By Ann Lee and Tom Venn",
        "Published March 4, 2025, 6:00 a.m. ET",
        "Advertisement",
        "Share this article",
        "Photo: a boat (Ann Lee)",
        "Digitized by Google",
        "Imprint",
        "Colophon",
        "This ebook is in the public domain.",
        "THE END",
        "    The lamp is lit before the dark,",
        "The keeper climbs the stair; the sea is loud,",
        "- an item",
        "1. Origins",
        "It was a cold night, and the keeper climbed the stair to the lamp room again.",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TRICKY_LINES, max_size=60))
def test_etext_shaped_text_keeps_the_invariants(lines: list[str]) -> None:
    source = "\n".join(lines)
    document, analysis = analyse_plaintext(source, "fuzz.txt")
    assert BLOCK_SEPARATOR.join(document.block_text(b) for b in document.blocks) == document.text
    starts = [block.source_line for block in document.blocks]
    assert starts == sorted(starts)
    hidden = {
        index for region in analysis.regions for index in range(region.first, region.last + 1)
    }
    assert not hidden & set(starts)
    for section in document.sections:
        assert 1 <= section.level <= 6
