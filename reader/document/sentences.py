"""Sentence splitting (placeholder: to be replaced with the real splitter)."""

from __future__ import annotations

import re

_END = re.compile(r"[.!?]+[\"')\]’”]*\s+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _END.finditer(text, start, end):
        cut = match.end()
        stripped_end = cut - (len(match.group()) - len(match.group().rstrip()))
        if stripped_end > pos:
            spans.append((pos, stripped_end))
        pos = cut
    if pos < end and text[pos:end].strip():
        spans.append((pos, end - (len(text[pos:end]) - len(text[pos:end].rstrip()))))
    return spans
