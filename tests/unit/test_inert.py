"""Text made inert for the terminal: nothing a terminal obeys survives, everything else does."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from reader.cli.common import InertStream, clip, shorten
from reader.document.cells import text_cells
from reader.document.inert import BIDI_CONTROLS, inert, is_inert


def _obeyed(text: str, *, multiline: bool) -> list[str]:
    """Characters a terminal would act on instead of showing."""
    allowed = "\n\t" if multiline else ""
    return [
        c for c in text
        if (unicodedata.category(c) in ("Cc", "Cs") and c not in allowed) or c in BIDI_CONTROLS
    ]


def test_an_osc_title_sequence_is_shown_not_obeyed():
    assert inert("Evil \x1b]0;PWNED\x07 title") == "Evil \u241b]0;PWNED\u2407 title"


def test_csi_c1_bidi_and_lone_surrogates():
    assert inert("a\x1b[2Jb") == "a\u241b[2Jb"
    assert inert("x\x9b2Jy") == "x\ufffd2Jy"
    assert inert("abc\u202edef\u2066g\u2069") == "abcdefg"
    assert inert("bad \ud800 half") == "bad \ufffd half"
    assert inert("del\x7f") == "del\u2421"


def test_one_line_mode_turns_breaks_into_spaces_and_multiline_keeps_them():
    assert inert("one\ntwo\r\tthree") == "one two  three"
    assert inert("one\r\ntwo\tthree\rfour", multiline=True) == "one\ntwo\tthree\u240dfour"


def test_ordinary_text_of_every_script_is_unchanged():
    text = "Ünïcödé — “quotes” 中文 العربية \u200f עברית 🙂 e\u0301"
    assert inert(text) is text
    assert is_inert(text)


@given(st.text())
def test_nothing_obeyable_survives(text):
    for multiline in (False, True):
        result = inert(text, multiline=multiline)
        assert _obeyed(result, multiline=multiline) == []
        assert is_inert(result, multiline=multiline)
        assert inert(result, multiline=multiline) == result  # idempotent
        result.encode("utf-8")  # always writable


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_controls_keep_their_cell(text):
    # A control is drawn one cell wide, and so is its picture: columns stay aligned.
    stripped = "".join(c for c in text if c not in BIDI_CONTROLS and c not in "\n\t\r")
    assert text_cells(inert(stripped)) == text_cells(stripped)


def test_cli_helpers_shorten_and_clip_are_inert():
    assert "\x1b" not in shorten("a \x1b]0;x\x07 quote")
    assert "\x1b" not in clip("title \x1b[2J " * 10, 20)


def test_inert_stream_writes_inert_text(capsys):
    import sys

    stream = InertStream(sys.stdout)
    stream.write("line \x1b]52;c;aGk=\x07\n\tnext\n")
    assert capsys.readouterr().out == "line \u241b]52;c;aGk=\u2407\n\tnext\n"
