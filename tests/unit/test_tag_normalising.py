"""Tags as typed are normalised once and for all: doing it again changes nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.annotations.records import normalise_tags


def test_hashes_and_blanks_in_front_of_a_tag_all_go():
    assert normalise_tags(["# #x", "##idea", "# #", " later "]) == ("x", "idea", "later")


@given(st.lists(st.text(alphabet="# ab\t,", max_size=6), max_size=5))
def test_normalising_twice_is_normalising_once(tags):
    once = normalise_tags(tags)
    assert normalise_tags(once) == once
