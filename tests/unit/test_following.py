"""reader.annotations.following: the reader's sentence found again in a new version."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.annotations.following import follow

OLD = "First sentence here. The reader is on this one. A third one follows. And a fourth."


def span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def test_the_sentence_is_found_after_text_is_added_before_it():
    new = "A new opening paragraph.\n\n" + OLD
    spans = [span(OLD, "The reader is on this one."), span(OLD, "First sentence here.")]
    assert follow(OLD, spans, new) == new.index("The reader is on this one.")


def test_a_deleted_sentence_falls_back_to_the_one_before_then_to_the_same_share():
    new = OLD.replace("The reader is on this one. ", "")
    spans = [span(OLD, "The reader is on this one."), span(OLD, "First sentence here.")]
    assert follow(OLD, spans, new) == 0  # "First sentence here."
    elsewhere = "x" * 1000
    assert follow(OLD, spans, elsewhere) == int(spans[0][0] / len(OLD) * 1000)
    assert follow(OLD, [], "anything") == 0 and follow(OLD, spans, "") == 0


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abc .\n", max_size=40), st.text(alphabet="abc .\n", max_size=40))
def test_the_place_is_always_inside_the_new_text(before, after):
    new = before + OLD + after
    spans = [span(OLD, "A third one follows.")]
    at = follow(OLD, spans, new)
    assert 0 <= at < len(new)
    assert new[at:].startswith("A third one follows.")
