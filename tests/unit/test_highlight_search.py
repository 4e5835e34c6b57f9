"""reader.annotations.search: the query language, the index over every article, the digest."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.annotations.search import (
    HighlightIndex,
    SearchQuery,
    record_quote,
    search_digest,
    search_digests,
    shared_passages,
)


def record(hid: str, quote: str, *, note: str = "", tags=(), color: str = "yellow",
           created: str = "2025-01-01T00:00:00.000+00:00", section=("Title", "Part"),
           start: int = 0, detached: bool = False) -> dict:
    return {
        "id": hid, "article_id": "a",
        "target": {"selector": [
            {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
            {"type": "TextQuoteSelector", "exact": quote, "prefix": "", "suffix": ""},
        ]},
        "section": list(section), "color": color, "note": note, "tags": list(tags),
        "created": created, "detached": detached,
    }


ARTICLES = [
    {"id": "a1", "title": "The Economics of Lighthouses", "path": "/a1.md"},
    {"id": "a2", "title": "How Memory Consolidates", "path": "/a2.md"},
]
RECORDS = {
    "a1": [
        record("h1", "Lighthouses were\nbuilt by private\tindividuals.", note="Coase's point",
               tags=("economics", "claim"), color="green", created="2025-03-01T10:00:00+00:00",
               section=("The Economics of Lighthouses", "Who Paid")),
        record("h2", "Dues were collected at the ports.", color="blue",
               created="2025-03-02T10:00:00+00:00", start=40),
    ],
    "a2": [
        record("h3", "Sleep replays the day.", note="Key claim\nabout sleep",
               tags=("sleep", "Claim"), created="2025-03-03T10:00:00+00:00",
               section=("How Memory Consolidates",)),
        record("h4", "The hippocampus is fast.", color="pink", detached=True,
               created="2025-02-01T10:00:00+00:00"),
    ],
}


def digests() -> dict:
    return {aid: search_digest(aid, records, {}) for aid, records in RECORDS.items()}


def ids(index: HighlightIndex, query: str) -> list[str]:
    return [index.hit(i).id for i in index.search(query)]


def test_every_highlight_newest_first_with_its_article_and_section():
    index = HighlightIndex(ARTICLES, digests())
    assert ids(index, "") == ["h3", "h2", "h1", "h4"]
    hit = index.hit(2)
    assert (hit.title, hit.path, hit.section, hit.where) == (
        "The Economics of Lighthouses", "/a1.md",
        ("The Economics of Lighthouses", "Who Paid"), ("Who Paid",))
    # The quote and note are on one line, whatever whitespace they had.
    assert hit.quote == "Lighthouses were built by private individuals."
    assert (hit.note, hit.tags, hit.color, hit.detached) == (
        "Coase's point", ("economics", "claim"), "green", False)
    assert index.hit(3).detached and index.hit(3).color == "pink"


def test_words_filters_and_their_combinations():
    index = HighlightIndex(ARTICLES, digests())
    assert ids(index, "LIGHTHOUSES") == ["h1"]
    assert ids(index, "coase") == ["h1"]  # in the note
    assert ids(index, "economics") == ["h1"]  # in the tags
    assert ids(index, '"built by private"') == ["h1"]  # a phrase, across a line break
    assert ids(index, '"private by"') == []
    assert ids(index, "c:blue") == ["h2"]
    assert ids(index, "c:b") == ["h2"]
    assert ids(index, "c:blue c:pink") == ["h2", "h4"]
    assert ids(index, "#claim") == ["h3", "h1"]  # any case
    assert ids(index, "#cl #sleep") == ["h3"]
    assert ids(index, "in:memory") == ["h3", "h4"]
    assert ids(index, "has:note") == ["h3", "h1"]
    assert ids(index, "has:note in:economics claim") == ["h1"]
    assert ids(index, "yellow") == []  # the colour's name is not in the text
    assert ids(index, "2025") == []  # nor the date


def test_filters_being_typed_do_not_empty_the_list():
    index = HighlightIndex(ARTICLES, digests())
    for partial in ("c:", "in:", "#", "has:", "sleep c:"):
        assert ids(index, partial) == ids(index, partial.replace(partial.split()[-1], ""))


def test_narrowing_is_only_claimed_when_it_holds():
    parse = SearchQuery.parse
    assert parse("ligh").narrows(parse("lig"))
    assert parse("c:gre").narrows(parse("c:g"))
    assert not parse("c:green c:blue").narrows(parse("c:green"))
    assert not parse("has:n").narrows(parse("has:no")) and not parse("x").narrows(parse("xy"))
    assert parse("has:note").narrows(parse("has:"))
    assert not parse("#i").narrows(parse("#id"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["l", "i", "g", "h", " ", "c", ":", "#", "s", "e", "p"]),
                max_size=12))
def test_typing_a_query_gives_what_searching_it_at_once_gives(keys):
    """The index reuses the previous result when a query narrows it; the answer is
    always the same as a fresh search."""
    typed = HighlightIndex(ARTICLES, digests())
    text = ""
    for key in keys:
        text += key
        assert ids(typed, text) == ids(HighlightIndex(ARTICLES, digests()), text)


def test_the_command_lines_search_agrees_with_the_index():
    rng = random.Random(5)
    words = ["harbour", "lamp", "ledger", "tide"]
    big = {}
    articles = []
    for n in range(20):
        aid = f"art{n}"
        articles.append({"id": aid, "title": f"Article {n} on {rng.choice(words)}"})
        big[aid] = search_digest(aid, [
            record(f"{aid}-{k}", " ".join(rng.sample(words, 2)), note=rng.choice(["", "lamp"]),
                   tags=rng.sample(["x", "y"], 1), color=rng.choice(["yellow", "blue"]),
                   created=f"2025-01-{1 + (n + k) % 28:02d}T00:00:{k:02d}+00:00")
            for k in range(15)
        ], {})
    index = HighlightIndex(articles, big)
    for query in ["", "lamp", "lamp tide", "c:blue #x", "in:harbour has:note", '"ledger tide"']:
        expected = [index.hit(i) for i in index.search(query)]
        assert search_digests(articles, big, SearchQuery.parse(query)) == expected


def test_a_damaged_digest_gives_fewer_hits_not_an_error():
    broken = {"a1": {"sections": "oops", "text": "only\tthe text", "meta": ""},
              "a2": {"text": "a\tb\tc", "meta": "2025\tid\tyellow\t99\t\tnot-a-number"}}
    index = HighlightIndex(ARTICLES, broken)
    assert [index.hit(i).id for i in index.search("")] == ["id"]
    assert index.hit(0).section == () and index.hit(0).start == 0


def test_record_quote_and_shared_passages():
    assert record_quote(RECORDS["a1"][1]) == "Dues were collected at the ports."
    assert record_quote({"target": "nonsense"}) == ""
    text = "Lighthouses were built\nby private individuals. Dues were collected at the port."
    quotes = [record_quote(r) for r in RECORDS["a1"]] + [""]
    assert shared_passages(text, quotes) == (1, 2)
