"""Words: counting them, and the steps that move a selection one word at a time."""

from __future__ import annotations

import re

_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
#: Characters counted at a time: ``str.split`` on a whole 50 MB article made a list of
#: millions of words, hundreds of megabytes for a moment, only to take its length.
_COUNT_SLICE = 1 << 20


def count_words(text: str, slice_size: int = _COUNT_SLICE) -> int:
    """Runs of non-space characters in ``text`` (what ``len(text.split())`` gives)."""
    count = 0
    start = 0
    while start < len(text):
        # Cut at a space, so no word is split across two slices.
        space = _SPACE.search(text, min(len(text), start + slice_size))
        end = space.end() if space else len(text)
        count += len(text[start:end].split())
        start = end
    return count


def next_word_end(text: str, end: int) -> int:
    """Where the selection's end goes one word right: past the next word."""
    match = _WORD.search(text, end)
    return match.end() if match else len(text)


def previous_word_end(text: str, end: int, start: int) -> int:
    """One word left: the end of the word before the last one, never at or before ``start``."""
    position = end
    while position > start and text[position - 1].isspace():
        position -= 1
    while position > start and not text[position - 1].isspace():
        position -= 1
    while position > start and text[position - 1].isspace():
        position -= 1
    return position if position > start else end


def next_word_start(text: str, start: int, end: int) -> int:
    """One word right: the start of the next word, never at or after ``end``."""
    position = start
    while position < end and not text[position].isspace():
        position += 1
    while position < end and text[position].isspace():
        position += 1
    return position if position < end else start


def previous_word_start(text: str, start: int) -> int:
    """One word left: the start of the word before."""
    position = start
    while position > 0 and text[position - 1].isspace():
        position -= 1
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position
