"""Tests for the sentence splitter: concrete prose cases and the span contract."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.document.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def check_contract(text: str, start: int, end: int | None) -> list[tuple[int, int]]:
    """Assert every promise of ``split_sentences`` for one range and return the spans."""
    spans = split_sentences(text, start, end)
    stop = len(text) if end is None else end
    previous_end = start
    for a, b in spans:
        assert start <= previous_end <= a < b <= stop
        piece = text[a:b]
        assert piece == piece.strip()
        assert piece
        previous_end = b
    covered = set()
    for a, b in spans:
        covered.update(range(a, b))
    for i in range(start, stop):
        if not text[i].isspace():
            assert i in covered, f"character {text[i]!r} at {i} dropped"
    return spans


# --- basic behaviour ------------------------------------------------------------


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\t ") == []
    assert split_sentences("abc", 2, 2) == []


def test_single_sentence_without_final_punctuation() -> None:
    assert sentences("  just some words  ") == ["just some words"]


def test_simple_sentences() -> None:
    assert sentences("One. Two! Three? Four") == ["One.", "Two!", "Three?", "Four"]


def test_offsets_are_absolute_and_respect_the_range() -> None:
    text = "Before. First one. Second one. After."
    start = text.index("First")
    end = text.index(" After")
    spans = split_sentences(text, start, end)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one."]
    assert spans[0][0] == start


def test_range_cut_inside_a_sentence() -> None:
    text = "Alpha beta. Gamma delta."
    assert [text[a:b] for a, b in split_sentences(text, 3, 15)] == ["ha beta.", "Gam"]


def test_hard_wrapped_text() -> None:
    text = "This line is wrapped\nin the middle. And this\none too.\n"
    assert sentences(text) == ["This line is wrapped\nin the middle.", "And this\none too."]


def test_newline_between_sentences() -> None:
    assert sentences("First.\nSecond.") == ["First.", "Second."]


def test_multiple_spaces_between_sentences() -> None:
    assert sentences("First.   \n  Second.") == ["First.", "Second."]


# --- abbreviations ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We packed tools, e.g. hammers and saws, for the trip.",
        "We packed tools, e.g., hammers and saws, for the trip.",
        "Take the big one, i.e. the hammer, with you.",
        "Bring apples, pears, etc. and some bread.",
        "Dr. Watson arrived late.",
        "Mr. Smith and Mrs. Smith met Ms. Brown.",
        "Prof. Moriarty disagreed.",
        "They walked down to St. Paul's Cathedral.",
        "It was England vs. France in the final.",
        "The result differs, cf. Smith (2019).",
        "As shown in Fig. 3, the curve flattens.",
        "He lives at No. 10 Downing Street.",
        "The meeting is on Jan. 5 at noon.",
        "It happened on Feb. 29 and Sept. 1 of that year.",
        "The U.S. Army and the U.K. Parliament disagreed.",
        "She has a Ph.D. in chemistry.",
        "We met at 5 p.m. on Friday.",
        "The shop opens at 9 a.m. sharp.",
        "J. R. R. Tolkien wrote the book.",
        "John F. Kennedy gave the speech.",
        "Smith et al. showed the effect.",
        "In Roe v. Wade the court ruled.",
        "See pp. 12-14 for details.",
        "The ruins date from ca. 1500 BC.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_abbreviation_followed_by_next_sentence() -> None:
    text = "Dr. Smith came at 5 p.m. The others were late. Mr. Jones never came."
    assert sentences(text) == [
        "Dr. Smith came at 5 p.m.",
        "The others were late.",
        "Mr. Jones never came.",
    ]


def test_etc_at_end_of_sentence() -> None:
    assert sentences("We bought apples, pears, etc. Then we left.") == [
        "We bought apples, pears, etc.",
        "Then we left.",
    ]


def test_initialism_at_end_of_sentence() -> None:
    assert sentences("He moved to the U.S. The weather was better.") == [
        "He moved to the U.S.",
        "The weather was better.",
    ]


def test_no_as_a_word_versus_number_abbreviation() -> None:
    assert sentences("See No. 5 below. No. I won't do that.") == [
        "See No. 5 below.",
        "No.",
        "I won't do that.",
    ]


def test_month_at_end_of_sentence() -> None:
    assert sentences("It snowed in Jan. The roads closed.") == [
        "It snowed in Jan.",
        "The roads closed.",
    ]


def test_single_letter_at_end_of_sentence() -> None:
    assert sentences("We chose plan B. The first one failed.") == [
        "We chose plan B.",
        "The first one failed.",
    ]


def test_lowercase_after_period_does_not_split() -> None:
    assert sentences("The approx. value was low. He agreed.") == [
        "The approx. value was low.",
        "He agreed.",
    ]


def test_enumerated_items_inside_a_paragraph() -> None:
    assert sentences("Steps: 1. Open the lid. 2. Pour the water. Done.") == [
        "Steps: 1. Open the lid.",
        "2. Pour the water.",
        "Done.",
    ]


def test_number_at_end_of_sentence_still_splits() -> None:
    assert sentences("The score was 3. The crowd cheered.") == [
        "The score was 3.",
        "The crowd cheered.",
    ]


def test_year_at_end_of_sentence_then_digit() -> None:
    assert sentences("It was built in 1999. 2000 came next.") == [
        "It was built in 1999.",
        "2000 came next.",
    ]


# --- numbers, URLs, file names ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Pi is about 3.14 in most cases.",
        "The deal was worth $2.5 million in total.",
        "Install version 1.2.3 before upgrading.",
        "Visit example.com/a.b for more.",
        "Open foo.txt and read it.",
        "Write to jane.doe@example.org today.",
        "The range is 0.5-1.5 m.",
    ],
)
def test_numbers_and_names_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_url_at_end_of_sentence() -> None:
    assert sentences("Go to example.com. Then log in.") == ["Go to example.com.", "Then log in."]


# --- ellipses --------------------------------------------------------------------


def test_ellipsis_before_lowercase_continues() -> None:
    assert sentences("Wait... what? That is odd.") == ["Wait... what?", "That is odd."]


def test_unicode_ellipsis_before_lowercase_continues() -> None:
    assert sentences("Well… maybe not.") == ["Well… maybe not."]


def test_ellipsis_before_capital_splits() -> None:
    assert sentences("I waited... Nobody came.") == ["I waited...", "Nobody came."]
    assert sentences("I waited… Nobody came.") == ["I waited…", "Nobody came."]


def test_spaced_ellipsis() -> None:
    assert sentences("And then . . . nothing happened.") == ["And then . . . nothing happened."]


# --- quotes and brackets ----------------------------------------------------------


def test_closing_quote_stays_with_sentence() -> None:
    assert sentences('He said "Stop." Then he left.') == ['He said "Stop."', "Then he left."]


def test_curly_quotes() -> None:
    assert sentences("He said “Stop.” Then he left.") == ["He said “Stop.”", "Then he left."]
    assert sentences("She said ‘No.’ Then she smiled.") == ["She said ‘No.’", "Then she smiled."]


def test_closing_brackets_stay_with_sentence() -> None:
    assert sentences("He agreed (mostly.) Then he left. [See note.] Fine.") == [
        "He agreed (mostly.)",
        "Then he left.",
        "[See note.]",
        "Fine.",
    ]


def test_question_in_quote_with_lowercase_continuation() -> None:
    assert sentences("“Why?” she asked. “Because!” he said.") == [
        "“Why?” she asked.",
        "“Because!” he said.",
    ]


def test_exclamation_in_straight_quote_continuation() -> None:
    assert sentences('"Run!" he shouted. Everyone ran.') == ['"Run!" he shouted.', "Everyone ran."]


def test_quote_followed_by_comma_does_not_split() -> None:
    assert sentences("“Stop!”, she said, “now.”") == ["“Stop!”, she said, “now.”"]


def test_next_sentence_opens_with_quote() -> None:
    assert sentences("He left. “Why?” she asked. (It was late.) Then silence.") == [
        "He left.",
        "“Why?” she asked.",
        "(It was late.)",
        "Then silence.",
    ]


def test_interrobang_clusters() -> None:
    assert sentences("Really?! Yes!! Are you sure?? Of course.") == [
        "Really?!",
        "Yes!!",
        "Are you sure??",
        "Of course.",
    ]


def test_question_then_dash_continues() -> None:
    assert sentences("“Who?” — nobody answered.") == ["“Who?” — nobody answered."]


# --- non-ASCII ------------------------------------------------------------------


def test_accented_letters() -> None:
    assert sentences("Il est là. Écoute bien. Ça va.") == ["Il est là.", "Écoute bien.", "Ça va."]


def test_cyrillic() -> None:
    assert sentences("Привет. Как дела? Хорошо.") == ["Привет.", "Как дела?", "Хорошо."]


def test_cjk_full_stops_without_spaces() -> None:
    assert sentences("这是第一句。这是第二句！第三句？") == [
        "这是第一句。",
        "这是第二句！",
        "第三句？",
    ]


def test_cjk_closing_bracket_stays() -> None:
    assert sentences("他说「好。」然后走了。") == ["他说「好。」", "然后走了。"]


def test_latin_sentence_followed_by_cjk() -> None:
    assert sentences("He wrote it down. 然后走了。") == ["He wrote it down.", "然后走了。"]


def test_em_dashes_are_kept() -> None:
    text = "The plan — if it was one — failed. We tried again."
    assert sentences(text) == ["The plan — if it was one — failed.", "We tried again."]


def test_decimal_and_abbreviations_mixed_paragraph() -> None:
    text = (
        "Prof. Ada Byron, Ph.D., measured 3.14 units at 10 a.m. on Jan. 3. "
        "The U.S. team, e.g. Dr. Lee, agreed… mostly. Was it enough? "
        "“Not yet,” said Mr. T. Brown."
    )
    assert sentences(text) == [
        "Prof. Ada Byron, Ph.D., measured 3.14 units at 10 a.m. on Jan. 3.",
        "The U.S. team, e.g. Dr. Lee, agreed… mostly.",
        "Was it enough?",
        "“Not yet,” said Mr. T. Brown.",
    ]


# --- robustness ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        ".",
        "...",
        "…",
        "?!",
        ". . .",
        " . ",
        "。",
        "。。。",
        '."',
        '"',
        ". A",
        "a. . B",
        "\u2028\u2029x.\x1c y",
        "\ud800. A",
        "\x00. \x00",
    ],
)
def test_odd_inputs_keep_the_contract(text: str) -> None:
    check_contract(text, 0, None)


def test_range_starting_after_punctuation_ignores_text_before_it() -> None:
    text = "End.?! Next one."
    assert split_sentences(text, 4) == [(4, 6), (7, 16)]


def test_long_punctuation_runs_are_linear() -> None:
    started = time.perf_counter()
    assert sentences("." * 200_000 + "x") == ["." * 200_000 + "x"]
    assert sentences("Hi" + "!" * 200_000 + " There") == ["Hi" + "!" * 200_000, "There"]
    assert time.perf_counter() - started < 2.0


def test_range_clamped_to_text() -> None:
    assert split_sentences("Hi. Yo.", 0, 100) == [(0, 3), (4, 7)]


# --- properties --------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "the", "The", "cat", "Dr", "e.g", "U.S", "etc", "3.14", "J", "No", "5", "Jan",
        "é", "Über", "中文", "a", "I", "foo.txt", "“Why", "(see", "x", "IV", "1",
    ]
)  # fmt: skip
_PUNCT = st.sampled_from(
    [".", "?", "!", "...", "…", "?!", "。", ",", ";", "”", '"', "'", ")", "]", ".”", "?”", "—"]
)
_SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \n ", "\u3000", "\xa0", ""])

prose = st.lists(st.one_of(_WORDS, _PUNCT, _SPACE), max_size=60).map("".join)


@st.composite
def text_and_range(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> tuple[str, int, int]:
    text = draw(texts)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, start, end


@settings(max_examples=400)
@given(st.text())
def test_property_any_text_whole(text: str) -> None:
    check_contract(text, 0, None)


@settings(max_examples=400)
@given(text_and_range(st.text()))
def test_property_any_text_any_range(case: tuple[str, int, int]) -> None:
    check_contract(*case)


@settings(max_examples=600)
@given(text_and_range(prose))
def test_property_prose_any_range(case: tuple[str, int, int]) -> None:
    check_contract(*case)


@settings(max_examples=400)
@given(prose, prose, prose)
def test_property_range_matches_sliced_text(before: str, text: str, after: str) -> None:
    """Splitting a range equals splitting the slice alone, shifted by the offset."""
    full = before + text + after
    offset = len(before)
    spans = split_sentences(full, offset, offset + len(text))
    assert [(a - offset, b - offset) for a, b in spans] == split_sentences(text)
