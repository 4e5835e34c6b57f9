"""The paragraph convention of a plain-text document: one line per paragraph or hard-wrapped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reader.document.plain_lines import indent_of


@dataclass(slots=True)
class Layout:
    """Per-document layout facts: paragraph convention and wrap width."""

    one_line: bool
    dense: bool
    width: int
    base_indent: int


def _percentile(values: list[int], fraction: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def detect_layout(contents: list[str], runs: list[list[int]]) -> Layout:
    """Pick the paragraph convention from line lengths, once for the whole document.

    Mostly long lines (by characters) mean one line per paragraph. Otherwise
    the text is hard-wrapped, unless it has hardly any blank lines and its
    lines do not cluster just under a wrap width (then they are short
    one-line paragraphs).
    """
    lengths: list[int] = []
    inner: list[int] = []
    indents: Counter[int] = Counter()
    long_chars = 0
    total_chars = 0
    for run in runs:
        last = run[-1]
        for index in run:
            line = contents[index].rstrip()
            length = len(line)
            lengths.append(length)
            total_chars += length
            if length > 100:
                long_chars += length
            if index != last:
                inner.append(length)
            indents[indent_of(line)] += 1
    if not lengths:
        return Layout(False, False, 72, 0)
    # Wrap width: taken from lines that were followed by more of their paragraph.
    width = _percentile(inner, 0.9) if len(inner) >= 20 else max(72, _percentile(lengths, 0.9))
    dense = len(lengths) / max(1, len(runs)) > 15
    base_indent = indents.most_common(1)[0][0]
    if long_chars >= 0.5 * total_chars:
        return Layout(True, False, width, base_indent)
    if dense:
        tight = sum(1 for n in lengths if 0.75 * width <= n <= width)
        if tight < 0.5 * len(lengths):
            return Layout(True, False, width, base_indent)
    return Layout(False, dense, width, base_indent)
