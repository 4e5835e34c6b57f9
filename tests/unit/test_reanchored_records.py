"""After an edit, anchored highlights carry the text and the section they have now."""

from __future__ import annotations

from reader.annotations.records import anchor_records, new_record
from reader.document.markdown import parse_markdown

BEFORE = """# Tides

## The Moon

The moon pulls the sea. The keeper wrote a line.

[^1]: A footnote about the moon. It has two sentences.
"""


def _record(document, phrase: str) -> dict:
    start = document.text.index(phrase)
    record = new_record(document, "article", start, start + len(phrase))
    record["id"] = phrase
    return record


def test_a_moved_highlight_shows_its_new_quote_and_section():
    old = parse_markdown(BEFORE, "/a.md")
    records = [_record(old, "The keeper wrote a line."),
               _record(old, "It has two sentences.")]
    assert [r["section"] for r in records] == [["Tides", "The Moon"]] * 2
    edited = BEFORE.replace("The keeper wrote", "The keeper now wrote").replace(
        "[^1]:", "## Notes\n\nAdded before the footnote.\n\n[^1]:")
    new = parse_markdown(edited, "/a.md")
    result = anchor_records(new, records)
    keeper, footnote = result.highlights
    assert keeper.text == "The keeper now wrote a line."
    assert new.text[keeper.start:keeper.end] == keeper.text
    assert footnote.section == ("Tides", "Notes")
    # What is shown is also what is saved.
    assert result.changes["It has two sentences."]["section"] == ["Tides", "Notes"]


def test_a_renamed_heading_updates_the_section_of_an_unmoved_highlight():
    old = parse_markdown(BEFORE, "/a.md")
    records = [_record(old, "The moon pulls the sea.")]
    # Same length: nothing moves, only the heading's words change.
    new = parse_markdown(BEFORE.replace("## The Moon", "## The Tide"), "/a.md")
    result = anchor_records(new, records)
    [highlight] = result.highlights
    start = old.text.index("The moon pulls the sea.")
    assert (highlight.start, highlight.end) == (start, start + len("The moon pulls the sea."))
    assert highlight.section == ("Tides", "The Tide")


def test_unchanged_records_need_no_saving():
    document = parse_markdown(BEFORE, "/a.md")
    records = [_record(document, "The keeper wrote a line."),
               _record(document, "It has two sentences.")]
    assert anchor_records(document, records).changes == {}
