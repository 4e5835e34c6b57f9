"""Search on the document's text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.document.search import Matches

TEXT = "The tide turns. The Tide\nreturns, and the harbour waits for the tide."


def test_case_insensitive_and_whitespace_runs_match_any_whitespace():
    matches = Matches.find(TEXT, "the   tide")
    assert [TEXT[s:e] for s, e in zip(matches.starts, matches.ends)] == [
        "The tide", "The Tide", "the tide"]
    assert [TEXT[s:e] for s, e in zip(*[Matches.find(TEXT, "tide returns").starts,
                                        Matches.find(TEXT, "tide returns").ends])] == [
        "Tide\nreturns"]


def test_literal_not_a_pattern():
    assert len(Matches.find("a.b axb", "a.b")) == 1
    assert len(Matches.find(TEXT, "   ")) == 0


def test_next_and_previous_wrap():
    matches = Matches.find(TEXT, "tide")
    assert matches.first_from(0) == 0
    assert matches.first_from(len(TEXT)) == 0
    assert matches.after(matches.starts[0]) == (1, False)
    assert matches.after(matches.starts[-1]) == (0, True)
    assert matches.before(matches.starts[0]) == (len(matches) - 1, True)
    assert matches.before(matches.starts[2]) == (1, False)


@given(st.text(alphabet="ab \n", max_size=60), st.text(alphabet="ab ", min_size=1, max_size=4),
       st.integers(0, 60), st.integers(0, 60))
def test_overlapping_is_exactly_the_matches_sharing_text(text, query, start, length):
    matches = Matches.find(text, query)
    end = start + length
    expected = [i for i in range(len(matches))
                if matches.starts[i] < end and matches.ends[i] > start]
    assert list(matches.overlapping(start, end)) == expected
