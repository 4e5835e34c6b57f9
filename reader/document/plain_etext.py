"""Book structure in plain text: contents blocks, chapter labels above their titles, THE END."""

from __future__ import annotations

import re

from reader.document.model import BlockKind
from reader.document.plain_blocks import Unit
from reader.document.plain_headings import PART_LABEL, ROMAN, heading_shape
from reader.document.plain_lines import LEADERS, ends_sentence

_CONTENTS_LABEL = re.compile(
    r"(?i)(?:table[ \t]+of[ \t]+)?contents|list[ \t]+of[ \t]+(?:illustrations|plates|figures|maps)"
    r"|illustrations"
)
_PAGE = re.compile(r"(?:[ \t]+|(?<=\.))(?:\d{1,4}|[ivxlc]{1,6})[ \t]*$")
_WORDS = re.compile(r"\w+")
_NUMBERED_ENTRY = re.compile(
    r"(?:[-*•][ \t]+)?(?:(?:\d{1,3}|[IVXLCDM]{1,7}|[ivxlc]{1,6})[.)]|(?i:chapter|part|book)\b)"
)
_END_WORDS = frozenset({"the end", "finis", "end", "the end of the story", "here ends"})


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORDS.findall(text.casefold()))


def _entry_like(line: str) -> bool:
    text = _PAGE.sub("", LEADERS.sub(" ", line.strip()))
    if not text or len(text) > 100:
        return False
    if not ends_sentence(text):
        return True
    # A sentence is an entry only behind a number or label ("I. In which ...", "CHAPTER I.").
    return len(text) <= 100 and _NUMBERED_ENTRY.match(text) is not None


def _prose(lines: list[str], first: int, last: int) -> bool:
    """A paragraph of wrapped prose: most lines after the first start in lower case."""
    if last == first:
        return len(lines[first].strip()) > 100
    lower = sum(1 for i in range(first + 1, last + 1) if lines[i].lstrip()[:1].islower())
    return lower * 3 > last - first


def _heads_prose(lines: list[str], paras: list[tuple[int, int]], at: int, index: int) -> bool:
    """The paragraph after line ``index`` follows it closely and is prose."""
    for first, last in paras[at : at + 400]:
        if first > index:
            return first - index <= 2 and _prose(lines, first, last) and last > first
    return False


def find_contents(
    lines: list[str], paras: list[tuple[int, int]], skipped: set[int]
) -> dict[int, str]:
    """Lines of contents blocks: the label line maps to 'label', each entry to 'entry'."""
    claims: dict[int, str] = {}
    for position, (first, _last) in enumerate(paras):
        label = lines[first].strip().rstrip(".:")
        if len(label) > 30 or not _CONTENTS_LABEL.fullmatch(label):
            continue
        entries: list[int] = []
        opening: tuple[str, ...] = ()
        following = (
            (i, p) for p in paras[position : position + 200] for i in range(p[0], p[1] + 1)
        )
        next(following)
        previous = first
        for index, (para_first, para_last) in following:
            gap = index - previous - 1
            if index in skipped or gap > (4 if not entries else 2):
                break
            line = lines[index]
            if index == para_first and _prose(lines, para_first, para_last):
                break
            if not _entry_like(line):
                break
            words = _words(_PAGE.sub("", line.strip()))
            if entries and words and opening[: len(words)] == words:
                break  # the first entry again: the body has begun
            if index == para_last and _heads_prose(lines, paras, position, index):
                break  # a heading right above the body
            if not entries:
                opening = words
            entries.append(index)
            previous = index
        if len(entries) >= 2:
            claims[first] = "label"
            for index in entries:
                claims[index] = "entry"
    return claims


def _label_only(text: str) -> bool:
    stripped = text.strip().rstrip(".:")
    return (
        bool(
            PART_LABEL.fullmatch(stripped)
            or ROMAN.fullmatch(stripped)
            or (stripped.isdigit() and len(stripped) <= 3)
        )
        and len(stripped) <= 30
    )


def _title_line(unit: Unit) -> bool:
    if unit.kind is not BlockKind.PARAGRAPH or unit.role or unit.quote or not unit.single:
        return False
    text = unit.text.strip()
    if len(text) > 100 or _label_only(text):
        return False
    shape = heading_shape(text)
    if shape is None and text.endswith(".") and not text.endswith(".."):
        shape = heading_shape(text[:-1])
        if shape is not None and shape.rank == 100 and not shape.strong:
            shape = None
    return shape is not None and not shape.structural


def join_chapter_titles(units: list[Unit]) -> list[Unit]:
    """Join each bare chapter label with the title line right after it."""
    joined: list[Unit] = []
    position = 0
    count = len(units)
    while position < count:
        unit = units[position]
        following = units[position + 1] if position + 1 < count else None
        if (
            following is not None
            and unit.kind is BlockKind.PARAGRAPH
            and unit.single
            and not unit.role
            and not unit.quote
            and _label_only(unit.text)
            and _title_line(following)
        ):
            label = unit.text.strip()
            separator = " " if label[-1] in ".:—-" else ". "
            unit.text = f"{label}{separator}{following.text.strip()}"
            unit.last = max(following.line, following.last)
            unit.rule = "a chapter label joined with the title line below it"
            joined.append(unit)
            position += 2
            continue
        joined.append(unit)
        position += 1
    return joined


def mark_end_lines(units: list[Unit]) -> None:
    """A closing 'THE END' or 'FINIS' among the last units is text, not a heading."""
    for unit in units[-8:]:
        if (
            unit.kind is BlockKind.PARAGRAPH
            and unit.single
            and not unit.role
            and " ".join(_WORDS.findall(unit.text.casefold())) in _END_WORDS
        ):
            unit.role = "end"
            unit.rule = "the closing 'THE END' line is text, not a heading"
