"""Re-anchoring annotations after the article changed (reader.annotations.anchoring)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reader.annotations import fuzzy
from reader.annotations.anchoring import Anchor, anchor, anchor_all
from reader.annotations.selectors import CONTEXT, TextQuote, parse_selectors, quote_at, selectors

ARTICLE = (
    "Lighthouses were once kept by families who lived at the foot of the tower. "
    "The keeper climbed the stairs at dusk and lit the great lamp again. "
    "Ships far out at sea could see the beam long before they saw the coast.\n\n"
    "Automation ended the trade. The last keepers left their towers in the nineties, "
    "and the lamps now turn on their own, watched from an office on the mainland."
)


def stored(text: str, phrase: str, occurrence: int = 0):
    """The (position, quote) an annotation on the given occurrence of ``phrase`` stores."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return parse_selectors(selectors(text, start, start + len(phrase)))


def landed(text: str, found: Anchor | None) -> str | None:
    return None if found is None else text[found.start : found.end]


def occurrences(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


# ----------------------------------------------------------------- selectors


def test_quote_at_keeps_context_within_the_text():
    assert quote_at("abcdef", 2, 4, context=1) == TextQuote("cd", "b", "e")
    quote = quote_at(ARTICLE, 0, 11)
    assert quote.prefix == "" and quote.suffix == ARTICLE[11 : 11 + CONTEXT]
    with pytest.raises(ValueError):
        quote_at("abc", 2, 5)


def test_selectors_round_trip():
    start = ARTICLE.index("great lamp")
    result = selectors(ARTICLE, start, start + 10)
    assert result[0] == {"type": "TextPositionSelector", "start": start, "end": start + 10}
    assert result[1]["type"] == "TextQuoteSelector" and result[1]["exact"] == "great lamp"
    position, quote = parse_selectors(result)
    assert position == (start, start + 10)
    assert quote == quote_at(ARTICLE, start, start + 10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, (None, None)),
        ([], (None, None)),
        ("nonsense", (None, None)),
        ([None, 3, "x", {"type": "Other"}], (None, None)),
        ([{"type": "TextPositionSelector", "start": 5}], (None, None)),
        ([{"type": "TextPositionSelector", "start": 5, "end": 2}], (None, None)),
        ([{"type": "TextPositionSelector", "start": True, "end": 2}], (None, None)),
        ([{"type": "TextPositionSelector", "start": 1.0, "end": 4}], ((1, 4), None)),
        ([{"type": "TextQuoteSelector"}], (None, None)),
        ([{"type": "TextQuoteSelector", "exact": "hi"}], (None, TextQuote("hi"))),
        (
            [{"type": "TextQuoteSelector", "exact": "hi", "prefix": 7, "suffix": "!"}],
            (None, TextQuote("hi", "", "!")),
        ),
        (
            {"type": "TextQuoteSelector", "exact": "one"},
            (None, TextQuote("one")),
        ),
        (
            [
                {"type": "TextPositionSelector", "start": "1", "end": 3},
                {"type": "TextPositionSelector", "start": 2, "end": 3},
                {"type": "TextQuoteSelector", "exact": "a"},
                {"type": "TextQuoteSelector", "exact": "b"},
            ],
            ((2, 3), TextQuote("a")),
        ),
    ],
)
def test_parse_selectors_is_tolerant(raw, expected):
    assert parse_selectors(raw) == expected


# ----------------------------------------------------------------- the four steps


def test_unchanged_text_anchors_by_position():
    position, quote = stored(ARTICLE, "lit the great lamp again")
    assert anchor(ARTICLE, position, quote) == Anchor(*position, "position", 1.0)


def test_paragraph_inserted_before_is_found_by_quote_at_the_shifted_place():
    position, quote = stored(ARTICLE, "lit the great lamp again")
    added = "A new opening paragraph, written later, pushes everything down.\n\n"
    found = anchor(added + ARTICLE, position, quote)
    assert found == Anchor(position[0] + len(added), position[1] + len(added), "quote", 1.0)


def test_typo_fixed_inside_the_quote_is_found_fuzzily():
    text = ARTICLE.replace("great lamp", "graet lamp")
    position, quote = stored(text, "lit the graet lamp again")
    fixed = "Preface.\n\n" + ARTICLE
    found = anchor(fixed, position, quote)
    assert found is not None and found.method == "fuzzy"
    assert landed(fixed, found) == "lit the great lamp again"
    assert 0.75 <= found.score < 1.0


def test_same_sentence_twice_context_picks_the_right_one():
    sentence = "The lamp was lit at dusk."
    text = f"In the spring. {sentence} Then the storm came. In the autumn. {sentence} All was calm."
    position, quote = stored(text, sentence, occurrence=1)
    edited = "Some text added at the very beginning of the article.\n\n" + text
    found = anchor(edited, position, quote)
    assert found is not None and found.method == "quote"
    assert found.start == occurrences(edited, sentence)[1]
    # Without any position the context still decides.
    found = anchor(edited, None, quote)
    assert found is not None and found.start == occurrences(edited, sentence)[1]


def test_quote_repeated_a_hundred_times_is_picked_by_its_context():
    text = "".join(f"Entry {n}: the same refrain again. " for n in range(100))
    position, quote = stored(text, "the same refrain", occurrence=57)
    edited = text.replace("Entry 3:", "Entry three, rewritten:")
    found = anchor(edited, position, quote)
    assert found is not None
    assert found.start == edited.index("Entry 57: ") + len("Entry 57: ")
    assert anchor(edited, None, quote) == Anchor(found.start, found.end, "quote", 1.0)


def test_quote_deleted_detaches():
    position, quote = stored(ARTICLE, "Automation ended the trade.")
    edited = ARTICLE.replace("Automation ended the trade. ", "")
    assert anchor(edited, position, quote) is None


def test_text_moved_far_away_is_found():
    first, second = ARTICLE.split("\n\n")
    filler = " ".join(f"Filler sentence number {n} says nothing." for n in range(400))
    text = f"{first}\n\n{filler}\n\n{second}"
    position, quote = stored(text, "The keeper climbed the stairs at dusk")
    moved = f"{filler}\n\n{second}\n\n{first}"
    found = anchor(moved, position, quote)
    assert found is not None and found.method == "quote"
    assert landed(moved, found) == "The keeper climbed the stairs at dusk"
    # Moved far *and* edited: the window around the old place misses, the whole text finds it.
    edited = moved.replace("climbed the stairs", "climbed the stair")
    found = anchor(edited, position, quote)
    assert found is not None and found.method == "fuzzy"
    assert landed(edited, found) == "The keeper climbed the stair at dusk"


def test_fuzzy_match_is_trimmed_to_whole_words_without_edge_whitespace():
    position, quote = stored(ARTICLE, "watched from an office")
    edited = ARTICLE.replace("watched from an office", "watched  from  an offices")
    found = anchor(edited, position, quote)
    assert landed(edited, found) == "watched  from  an offices"
    edited = ARTICLE.replace("watched from an office on", "wached from an ofice    on")
    found = anchor(edited, position, quote)
    assert landed(edited, found) == "wached from an ofice"


# ----------------------------------------------------------------- edge cases


def test_short_quote_needs_exactness_or_strong_context():
    text = "The cat sat on teh mat while the dog slept by the door of the old barn."
    position, quote = stored(text, "teh")
    fixed = text.replace("teh", "the")
    found = anchor(fixed, position, quote)
    assert found is not None and found.method == "fuzzy"
    assert (found.start, found.end) == position
    # Its context gone too: no random three-letter place is taken for it.
    rewritten = "Nothing here resembles the sentence at all; a tea, a ten, the end."
    assert anchor(rewritten, position, quote) is None
    # A one-letter quote whose context changed does not drift onto similar letters.
    position, quote = stored(text, "s", occurrence=0)
    assert anchor("x y z q w e r t", position, quote) is None


@pytest.mark.parametrize(
    ("text", "position", "quote"),
    [
        ("", (0, 3), TextQuote("abc")),
        ("abc", (0, 3), TextQuote("")),
        ("abc", None, TextQuote("")),
        ("", None, TextQuote("")),
    ],
)
def test_empty_text_or_quote_is_none(text, position, quote):
    assert anchor(text, position, quote) is None


def test_quote_longer_than_text():
    assert anchor("short", (0, 5), TextQuote("a much longer quote than the text")) is None
    # The article was cut down but the quote is still mostly there.
    found = anchor("the keeper lit the lamp", (0, 24), TextQuote("the keeper lit the lamps"))
    assert found is not None and found.method == "fuzzy"
    assert (found.start, found.end) == (0, 23)


@pytest.mark.parametrize("position", [(-5, 3), (90, 95), (10, 2), (10**9, 10**9 + 4), None])
def test_position_out_of_range_is_only_a_hint(position):
    text = "A small text about the beam of the lamp."
    found = anchor(text, position, TextQuote("beam", "about the ", " of the"))
    assert found == Anchor(23, 27, "quote", 1.0)


def test_non_ascii_text():
    text = "Über die Brücke 🌉 ging der Wärter, 灯台守は夜に灯りをともした。 Ende."
    position, quote = stored(text, "灯台守は夜に灯りをともした")
    assert anchor(text, position, quote).method == "position"
    edited = "Vorwort ✍️. " + text.replace("灯りを", "灯を")
    found = anchor(edited, position, quote)
    assert found is not None and found.method == "fuzzy"
    assert landed(edited, found) == "灯台守は夜に灯をともした"
    position, quote = stored(text, "Brücke 🌉 ging")
    edited = text.replace("Brücke 🌉", "Brucke 🌉")
    assert landed(edited, anchor(edited, position, quote)) == "Brucke 🌉 ging"


def test_anchor_all_matches_anchor_on_a_large_text():
    paragraphs = [
        f"Paragraph {n} tells of keeper number {n % 17} and lamp {n * 7 % 23}; "
        f"the oil lasted {n % 5 + 1} nights in the winter of year {1800 + n}."
        for n in range(400)
    ]
    text = "\n\n".join(paragraphs)
    numbers = range(0, 400, 9)
    items = []
    for n in numbers:
        start = text.index("keeper number", text.index(f"Paragraph {n} "))
        items.append(parse_selectors(selectors(text, start, start + 70)))
    edited = ("Inserted opening.\n\n" + text).replace("winter", "wintre")
    edited = edited.replace("Paragraph 90 tells of keeper number 5", "Paragraph 90 was cut")
    results = anchor_all(edited, items)
    assert results == [anchor(edited, position, quote) for position, quote in items]
    for n, found in zip(numbers, results):
        assert found is not None and 0 <= found.start < found.end <= len(edited)
        if n != 90:
            assert found.method == "fuzzy"
            assert found.start == edited.index("keeper number", edited.index(f"Paragraph {n} "))
            assert found.end - found.start == 70 and "wintre" in edited[found.start : found.end]
        else:
            # Near-identical paragraphs: the cut one finds a close sibling, fuzzily.
            assert found.method == "fuzzy" and found.score < results[0].score


def test_module_imports_neither_textual_nor_tinydb():
    code = (
        "import sys, reader.annotations.anchoring\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# ----------------------------------------------------------------- the edit-distance core


def _brute_row(pattern: str, text: str, anchored: bool) -> list[int]:
    row = list(range(len(text) + 1)) if anchored else [0] * (len(text) + 1)
    for i, char in enumerate(pattern, 1):
        new = [i] + [0] * len(text)
        for j in range(1, len(text) + 1):
            new[j] = min(row[j - 1] + (char != text[j - 1]), row[j] + 1, new[j - 1] + 1)
        row = new
    return row


@given(
    pattern=st.text(alphabet="abcé ", min_size=1, max_size=12),
    text=st.text(alphabet="abcdé ", max_size=40),
    anchored=st.booleans(),
)
def test_bit_parallel_rows_match_the_textbook_table(pattern, text, anchored):
    plus, minus = fuzzy._last_row(
        pattern, fuzzy._string_masks(text), len(text), anchored=anchored
    )
    assert fuzzy._row_values(plus, minus, len(text), len(pattern)) == _brute_row(
        pattern, text, anchored
    )


def test_whole_text_masks_and_low_ends_match_the_textbook_table():
    import random

    rng = random.Random(5)
    text = "".join(rng.choice("abcdefgh é\n字") for _ in range(5000))
    engine = fuzzy.FuzzyMatcher(text)
    for _ in range(40):
        pattern = "".join(rng.choice("abcé字") for _ in range(rng.randint(1, 10)))
        low = rng.randrange(0, 3000)
        high = rng.randrange(low + 300, 5000)
        masks = engine._masks(pattern, low, high)
        plus, minus = fuzzy._last_row(pattern, masks, high - low, anchored=False)
        budget = len(pattern) // 3
        values = _brute_row(pattern, text[low:high], anchored=False)
        expected = [(j, v) for j, v in enumerate(values) if j and v <= budget]
        assert fuzzy._ends_within(plus, minus, high - low, len(pattern), budget) == expected


# ----------------------------------------------------------------- properties

ALPHABET = "abcdefghijklmnopqrstuvwxyz      .,\néü字😀"
texts = st.text(alphabet=ALPHABET, min_size=1, max_size=300)


@st.composite
def annotated(draw):
    """A text with an annotation span and its stored selectors."""
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    position, quote = parse_selectors(selectors(text, start, end))
    return text, position, quote


@st.composite
def edit_outside(draw, text: str, start: int, end: int):
    """An insertion, deletion or replacement wholly before or wholly after ``text[start:end]``."""
    before = draw(st.booleans())
    low, high = (0, start) if before else (end, len(text))
    a = draw(st.integers(low, high))
    kind = draw(st.sampled_from(["insert", "delete", "replace"]))
    b = a if kind == "insert" else draw(st.integers(a, high))
    inserted = "" if kind == "delete" else draw(st.text(alphabet=ALPHABET, max_size=40))
    return before, a, b, inserted


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_edits_outside_the_quote_never_detach_it(data):
    text, position, quote = data.draw(annotated())
    start, end = position
    before, a, b, inserted = data.draw(edit_outside(text, start, end))
    assume(inserted != "" or a != b)
    edited = text[:a] + inserted + text[b:]
    shift = len(inserted) - (b - a) if before else 0
    found = anchor(edited, position, quote)
    # Never detached, and always on the very text that was quoted.
    assert found is not None and found.method in ("position", "quote")
    assert edited[found.start : found.end] == quote.exact
    # Exactly the moved quote whenever it can be told apart: the quote occurs
    # once, or the edit was after it (its offsets and preceding context hold).
    if len(occurrences(edited, quote.exact)) == 1 or not before:
        assert (found.start, found.end) == (start + shift, end + shift)


@settings(deadline=None, max_examples=200)
@given(data=st.data())
def test_edits_away_from_the_context_keep_repeated_quotes_in_place(data):
    # Text full of repeats: a few words; the quote's whole context decides.
    words = st.sampled_from(["lamp ", "keeper ", "tower ", "sea ", "night ", "\n"])
    text = "".join(data.draw(st.lists(words, min_size=20, max_size=120)))
    start = data.draw(st.integers(CONTEXT, max(CONTEXT, len(text) - CONTEXT - 2)))
    end = data.draw(st.integers(start + 1, min(len(text), start + 30)))
    assume(start < end <= len(text))
    position, quote = parse_selectors(selectors(text, start, end))
    low = start - CONTEXT
    a = data.draw(st.integers(0, low))
    inserted = data.draw(st.text(alphabet="xyz lamp", max_size=30))
    edited = text[:a] + inserted + text[a:]
    window = quote.prefix + quote.exact + quote.suffix
    found = anchor(edited, position, quote)
    assert found is not None and edited[found.start : found.end] == quote.exact
    if len(occurrences(edited, window)) == 1 and edited[start:end] != quote.exact:
        assert (found.start, found.end) == (start + len(inserted), end + len(inserted))


@settings(deadline=None)
@given(annotated())
def test_unchanged_text_always_anchors_by_position(case):
    text, position, quote = case
    assert anchor(text, position, quote) == Anchor(*position, "position", 1.0)


positions = st.one_of(
    st.none(),
    st.tuples(st.integers(-50, 400), st.integers(-50, 400)),
)
quotes = st.builds(
    TextQuote,
    st.text(alphabet=ALPHABET, max_size=40),
    st.text(alphabet=ALPHABET, max_size=CONTEXT),
    st.text(alphabet=ALPHABET, max_size=CONTEXT),
)


@settings(deadline=None, max_examples=300)
@given(
    text=st.text(alphabet=ALPHABET, max_size=300),
    position=positions,
    quote=quotes,
    threshold=st.floats(0.0, 1.0),
)
def test_anchor_never_raises_and_stays_in_bounds(text, position, quote, threshold):
    found = anchor(text, position, quote, threshold=threshold)
    if found is not None:
        assert 0 <= found.start < found.end <= len(text)
        assert found.method in ("position", "quote", "fuzzy")
        assert 0.0 <= found.score <= 1.0
        if found.method != "fuzzy":
            assert text[found.start : found.end] == quote.exact and found.score == 1.0
        else:
            assert found.score >= threshold


@settings(deadline=None, max_examples=100)
@given(data=st.data())
def test_fuzzy_anchor_of_a_mangled_quote_stays_in_bounds(data):
    text, position, quote = data.draw(annotated())
    # Mangle the quote in the text itself so the fuzzy step has work to do.
    start, end = position
    middle = data.draw(st.integers(start, end - 1))
    edited = text[:middle] + data.draw(st.text(alphabet=ALPHABET, max_size=3)) + text[middle + 1 :]
    found = anchor(edited, position, quote)
    if found is not None:
        assert 0 <= found.start < found.end <= len(edited)
        assert not edited[found.start].isspace() or quote.exact[0].isspace()
        assert not edited[found.end - 1].isspace() or quote.exact[-1].isspace()


@settings(deadline=None, max_examples=50)
@given(
    text=st.text(alphabet=ALPHABET, min_size=1, max_size=200),
    items=st.lists(st.tuples(positions, quotes), max_size=8),
)
def test_anchor_all_equals_anchor_per_item(text, items):
    assert anchor_all(text, items) == [anchor(text, p, q) for p, q in items]
