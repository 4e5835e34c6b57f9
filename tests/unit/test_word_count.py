"""Counting an article's words without holding a list of them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.document.markdown import parse_markdown
from reader.document.words import count_words

_PIECES = st.sampled_from(["word", " ", "\n", "\t", "\u00a0", "\u3000", "\x1c", "é", "—", "ab cd"])


@given(st.lists(_PIECES, max_size=80), st.integers(min_value=1, max_value=7))
def test_counts_what_split_counts_whatever_the_slice(pieces, slice_size):
    text = "".join(pieces)
    # Small slices: every cut lands somewhere new.
    assert count_words(text, slice_size) == len(text.split())


def test_a_long_run_without_spaces_is_one_word():
    assert count_words("x" * (3 << 20)) == 1
    assert count_words("a " + "x" * (3 << 20) + " b") == 3


def test_a_document_counts_its_words():
    document = parse_markdown("# Title\n\nOne two three.\n\n- four five\n")
    assert document.word_count == len(document.text.split()) == 6
