"""Highlights with a real store: making, changing, deleting, undoing, re-anchoring."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.annotations.annotator import Annotator
from reader.annotations.records import HighlightFilter, new_record, normalise_tags, trim_span
from reader.document.markdown import parse_markdown
from reader.document.words import (
    next_word_end,
    next_word_start,
    previous_word_end,
    previous_word_start,
)
from reader.store import Store

ARTICLE = """# Notes on Tides

## The Moon

The moon pulls the sea. Twice a day the water rises and falls.

## Harbours

Harbours were built where the tide allowed. Ships waited for high water.
"""


@pytest.fixture
def store(tmp_path):
    opened = Store(tmp_path / "db.json")
    yield opened
    opened.close()


def _annotator(store, text=ARTICLE, path="/articles/tides.md"):
    document = parse_markdown(text, path)
    article = store.upsert_article(fingerprint=str(hash(text)), path=path, title=document.title)
    annotator = Annotator(store, article["id"])
    annotator.anchor(document)
    return annotator, document


def _span(document, phrase):
    start = document.text.index(phrase)
    return start, start + len(phrase)


def test_add_is_durable_and_anchored(store, tmp_path):
    annotator, document = _annotator(store)
    highlight = annotator.add(*_span(document, "Twice a day the water rises and falls."), "green")
    assert highlight.text == "Twice a day the water rises and falls."
    assert highlight.color == "green"
    assert highlight.section == ("Notes on Tides", "The Moon")
    # Another process (a fresh Store on the same file) sees it.
    other = Store(tmp_path / "db.json")
    records = other.annotations(annotator.article_id)
    assert [r["id"] for r in records] == [highlight.id]
    selectors = {s["type"]: s for s in records[0]["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == highlight.text
    assert selectors["TextPositionSelector"]["start"] == highlight.start
    other.close()


def test_highlight_span_is_trimmed_to_words(store):
    annotator, document = _annotator(store)
    start, end = _span(document, "The moon pulls the sea.")
    highlight = annotator.add(start - 1, end + 1)
    assert highlight.text == "The moon pulls the sea."


def test_colour_note_tags_and_undo_each_step(store):
    annotator, document = _annotator(store)
    highlight = annotator.add(*_span(document, "Ships waited for high water."))
    annotator.set_color(highlight.id, "pink")
    annotator.set_note(highlight.id, "Compare with canals.")
    annotator.set_tags(highlight.id, "#ships, history history")
    current = annotator.get(highlight.id)
    assert (current.color, current.note, current.tags) == ("pink", "Compare with canals.",
                                                           ("ships", "history"))
    assert "ships" in annotator.known_tags()
    assert annotator.undo() == "change"
    assert annotator.get(highlight.id).tags == ()
    assert annotator.undo() == "change"
    assert annotator.get(highlight.id).note == ""
    assert annotator.undo() == "change"
    assert annotator.get(highlight.id).color == "yellow"
    assert annotator.undo() == "new highlight"
    assert annotator.highlights == []
    assert store.annotations(annotator.article_id) == []
    assert annotator.undo() is None


def test_delete_then_undo_restores_the_same_record(store):
    annotator, document = _annotator(store)
    highlight = annotator.add(*_span(document, "The moon pulls the sea."))
    annotator.set_note(highlight.id, "keep me")
    before = store.annotations(annotator.article_id)
    annotator.delete(highlight.id)
    assert store.annotations(annotator.article_id) == []
    assert annotator.undo() == "delete"
    assert store.annotations(annotator.article_id) == before
    assert annotator.get(highlight.id).note == "keep me"


def test_unknown_colour_is_refused(store):
    annotator, document = _annotator(store)
    highlight = annotator.add(*_span(document, "The moon pulls the sea."))
    with pytest.raises(ValueError):
        annotator.set_color(highlight.id, "mauve")


def test_edited_article_re_anchors_and_a_removed_quote_is_kept_detached(store):
    annotator, document = _annotator(store)
    kept = annotator.add(*_span(document, "Ships waited for high water."))
    lost = annotator.add(*_span(document, "The moon pulls the sea."))
    edited = ARTICLE.replace("The moon pulls the sea. ", "").replace(
        "## Harbours", "## Harbours\n\nA new paragraph arrives first.")
    again = Annotator(store, annotator.article_id)
    detached = again.anchor(parse_markdown(edited, "/articles/tides.md"))
    assert detached == 1
    moved = again.get(kept.id)
    assert moved.text == "Ships waited for high water." and not moved.detached
    assert again.document.text[moved.start:moved.end] == moved.text
    gone = again.get(lost.id)
    assert gone.detached and gone.text == "The moon pulls the sea."
    # Nothing was deleted, and the record says it is detached.
    records = {r["id"]: r for r in store.annotations(annotator.article_id)}
    assert set(records) == {kept.id, lost.id}
    assert records[lost.id]["detached"] is True
    # Re-attach it to new text.
    start, end = _span(again.document, "Twice a day the water rises and falls.")
    back = again.reattach(lost.id, start, end)
    assert not back.detached and back.text == "Twice a day the water rises and falls."


def test_another_process_change_is_picked_up(store, tmp_path):
    annotator, document = _annotator(store)
    other_store = Store(tmp_path / "db.json")
    other = Annotator(other_store, annotator.article_id)
    other.anchor(document)
    other.add(*_span(document, "Harbours were built where the tide allowed."))
    assert annotator.reload_if_changed()
    assert [h.text for h in annotator.highlights] == [
        "Harbours were built where the tide allowed."]
    assert not annotator.reload_if_changed()
    other_store.close()


def test_filter_tokens():
    document = parse_markdown(ARTICLE, "a.md")
    record = new_record(document, "a1", *_span(document, "The moon pulls the sea."),
                        color="green", note="gravity!", tags=["idea"])
    from reader.annotations.records import from_record

    highlight = from_record({**record, "id": "x"}, 0, 5, "position")
    assert HighlightFilter.parse("moon").matches(highlight)
    assert HighlightFilter.parse("gravity c:green #idea has:note").matches(highlight)
    assert not HighlightFilter.parse("c:yellow").matches(highlight)
    assert not HighlightFilter.parse("#other").matches(highlight)
    assert not HighlightFilter.parse("tides").matches(highlight)


def test_tags_are_normalised():
    assert normalise_tags("#idea, Later  later,,method") == ("idea", "Later", "method")
    assert normalise_tags(["a", "#a", " b "]) == ("a", "b")


def test_trim_span():
    assert trim_span("  word  ", 0, 8) == (2, 6)
    assert trim_span("abc", -5, 99) == (0, 3)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \n", max_size=40), st.data())
def test_word_steps_stay_inside_the_text_and_keep_start_before_end(text, data):
    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, end))
    assert end <= next_word_end(text, end) <= len(text)
    assert start < previous_word_end(text, end, start) <= end or \
        previous_word_end(text, end, start) == end
    moved = next_word_start(text, start, end)
    assert start <= moved and (moved < end or moved == start)
    assert 0 <= previous_word_start(text, start) <= start


def test_preview_placement_is_exact_or_nothing():
    from reader.annotations.records import find_in_preview

    document = parse_markdown(ARTICLE, "a.md")
    good = new_record(document, "a1", *_span(document, "Ships waited for high water."))
    elsewhere = dict(good, target={"selector": [
        {"type": "TextQuoteSelector", "exact": "Not in this part.", "prefix": "", "suffix": ""}]})
    wrong_context = dict(good, target={"selector": [
        {"type": "TextQuoteSelector", "exact": "the", "prefix": "zzzz ", "suffix": " zzzz"}]})
    preview = parse_markdown(ARTICLE.split("## Harbours")[1], "a.md")  # a later part only
    placed = find_in_preview(preview, [{**good, "id": "g"}, {**elsewhere, "id": "e"},
                                       {**wrong_context, "id": "w"}])
    assert [(h.id, preview.text[h.start:h.end]) for h in placed] == [
        ("g", "Ships waited for high water.")]
