"""The outline of a plain-text document: which candidate blocks are headings, the title, levels.

A line that looks like a heading (:mod:`reader.document.plain_headings`) is
kept as one only in context: something must follow it, a weak one needs body
text right after it, long runs of short lines are a list or a poem, and bylines
or datelines may sit between a title and the body. The ranks that survive map
to consecutive heading levels; subheads in capitals and in Title Case are one
level unless the capitals plainly head groups of the others. Every decision is
written on the unit (``Unit.rule``) for ``readmark outline --explain``.
"""

from __future__ import annotations

from collections import Counter

from reader.document.model import BlockKind
from reader.document.plain_blocks import Unit
from reader.document.plain_headings import (
    BOOK_SECTIONS,
    BYLINE,
    COMMON_SECTION_NAMES,
    DATE,
    RANK_CAPS,
    RANK_CHAPTER,
    RANK_NUM,
    RANK_PART,
    RANK_PLAIN,
    RANK_SECTION,
    RANK_UNDER_DASH,
    RANK_UNDER_EQ,
    ROMAN,
    HeadingShape,
    heading_shape,
    markup_free,
)
from reader.document.plain_lines import ends_sentence

_MAX_HEADING_RUN = 3

_RANK_NAMES = {
    RANK_PART: "a Part or Book line",
    RANK_CHAPTER: "a Chapter or Appendix line",
    RANK_SECTION: "a Section line",
    RANK_UNDER_EQ: "a line underlined with ===",
    RANK_UNDER_DASH: "a line underlined with ---",
    RANK_CAPS: "a line in capitals",
}


def describe(unit: Unit, shape: HeadingShape) -> str:
    """The heading rule a unit's shape stands for, in words."""
    if shape.rank in _RANK_NAMES:
        return _RANK_NAMES[shape.rank]
    if RANK_NUM <= shape.rank < RANK_PLAIN:
        first = unit.text.split(" ", 1)[0]
        if ROMAN.fullmatch(first):
            return "a line numbered with a Roman numeral"
        depth = (shape.rank - RANK_NUM) // 10 + 1
        return f"a line numbered like {'.'.join(['1'] * depth)}" + ("." if depth == 1 else "")
    return "a Title Case line" if shape.strong else "a short sentence-case line"


def _is_meta(unit: Unit) -> bool:
    """A byline or dateline, which may sit between a title and the body."""
    return (
        unit.kind is BlockKind.PARAGRAPH
        and len(unit.text) <= 100
        and (BYLINE.match(unit.text) is not None or DATE.search(unit.text) is not None)
    )


def _sequential(units: list[Unit], position: int) -> bool:
    unit = units[position]
    for other, step in ((position - 1, -1), (position + 1, 1)):
        if 0 <= other < len(units):
            neighbour = units[other]
            if (
                neighbour.kind is BlockKind.LIST_ITEM
                and neighbour.number is not None
                and neighbour.punct == unit.punct
                and unit.number is not None
                and neighbour.number == unit.number + step
            ):
                return True
    return False


def _shapes(units: list[Unit]) -> list[HeadingShape | None]:
    shapes: list[HeadingShape | None] = [None] * len(units)
    for position, unit in enumerate(units):
        if unit.role:
            continue
        if unit.underline:
            base = heading_shape(unit.text)
            rank = RANK_UNDER_EQ if unit.underline == "=" else RANK_UNDER_DASH
            shapes[position] = HeadingShape(rank, True, True, base.titleable if base else True)
            continue
        if not unit.single or unit.quote:
            continue
        if unit.kind is BlockKind.PARAGRAPH:
            shapes[position] = heading_shape(unit.text)
        elif (
            unit.kind is BlockKind.LIST_ITEM
            and unit.number is not None
            and unit.punct == "."
            and unit.depth == 1
            and not unit.in_list
            and not _sequential(units, position)
        ):
            shapes[position] = heading_shape(f"{unit.number}. {unit.text}")
    return shapes


def _empty_section(units: list[Unit], shapes: list[HeadingShape | None], position: int) -> bool:
    """The next block is a heading of the same or a higher rank, or a contents block."""
    shape, following = shapes[position], shapes[position + 1]
    if units[position + 1].role == "contents":
        return True
    return shape is not None and following is not None and following.rank <= shape.rank


def _prune(units: list[Unit], shapes: list[HeadingShape | None], one_line: bool) -> None:
    """Drop candidates without the body a heading needs after it, noting why."""
    count = len(units)
    body = count  # nearest non-heading unit to the right
    for position in range(count - 1, -1, -1):
        shape = shapes[position]
        unit = units[position]
        if shape is not None and not unit.underline:
            following = units[body] if body < count else None
            why = ""
            if position == count - 1:
                why = "nothing follows it"
            elif (
                body == count - 1
                and following is not None
                and following.single
                and len(following.text) < 60
                and not ends_sentence(following.text)
            ):
                why = "only a short last line follows it (a signature, a credit)"
            elif not shape.strong and (
                shapes[position + 1] is not None or units[position + 1].kind is BlockKind.RULE
            ):
                why = "a sentence-case line needs body text right after it"
            elif position and not shape.structural and _empty_section(units, shapes, position):
                why = "no text under it before the next heading of its rank (a subtitle, a label)"
            elif (
                one_line
                and not shape.structural
                and following is not None
                and following.kind is BlockKind.PARAGRAPH
                and len(following.text) < max(60, 2 * len(unit.text))
            ):
                why = "the paragraph after it is too short to be a section's body"
            if why:
                shapes[position] = None
                unit.rule = f"not a heading: {why}"
        if shapes[position] is None and not _is_meta(unit):
            body = position


def _runs(units: list[Unit], shapes: list[HeadingShape | None]) -> None:
    """Long runs of short lines are a list or a poem, not a stack of headings."""
    count = len(units)
    position = 0
    while position < count:
        if shapes[position] is None:
            position += 1
            continue
        end = position
        while end < count and shapes[end] is not None:
            end += 1
        if end - position > _MAX_HEADING_RUN:
            for other in range(position, end):
                shape = shapes[other]
                if shape is not None and not shape.structural:
                    shapes[other] = None
                    units[other].rule = (
                        f"not a heading: one of {end - position} short lines in a row"
                        " (a list or a poem)"
                    )
        position = end


def headline(units: list[Unit]) -> bool:
    """The first unit is a short line above a real paragraph: the title when nothing better is."""
    if len(units) < 2:
        return False
    first, second = units[0], units[1]
    text = first.text.strip()
    return (
        first.kind is BlockKind.PARAGRAPH
        and first.single
        and not first.role
        and not first.quote
        and len(text.split()) >= 2
        and len(text) <= 120
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘")
        and not text.endswith((".", ",", ";", ":"))
        and markup_free(text).lower() not in COMMON_SECTION_NAMES
        and second.kind is BlockKind.PARAGRAPH
        and not second.role
        and (not second.single or len(second.text) > 150)
    )


def _one_level_subheads(shapes: list[HeadingShape | None], headings: list[int]) -> bool:
    """Subheads in capitals and in Title Case are one level unless capitals head groups."""
    ranks = [(p, shapes[p].rank) for p in headings]  # type: ignore[union-attr]
    present = {rank for _, rank in ranks}
    if present != {RANK_CAPS, RANK_PLAIN}:
        return False
    order = [rank for _, rank in ranks]
    caps = [i for i, rank in enumerate(order) if rank == RANK_CAPS]
    nested = (
        order[0] == RANK_CAPS
        and len(caps) >= 2
        and all(
            (caps[n + 1] if n + 1 < len(caps) else len(order)) - at > 1 for n, at in enumerate(caps)
        )
    )
    if nested:
        return False
    for position, rank in ranks:
        if rank == RANK_CAPS:
            old = shapes[position]
            assert old is not None
            shapes[position] = HeadingShape(RANK_PLAIN, True, old.structural, old.titleable)
    return True


def _book_sections(
    units: list[Unit], shapes: list[HeadingShape | None], headings: list[int]
) -> set[int]:
    """Preface, Introduction, Conclusion and the like take the rank of the chapters."""
    structural = [
        shape.rank
        for shape in (shapes[p] for p in headings)
        if shape is not None and shape.structural and shape.rank > RANK_PART
    ]
    if not structural:
        return set()
    chapter = Counter(structural).most_common(1)[0][0]
    moved: set[int] = set()
    for position in headings:
        shape = shapes[position]
        assert shape is not None
        name = markup_free(units[position].text).rstrip(".:").lower()
        appendix = name.startswith("appendix") and shape.rank != chapter
        if appendix or (name in BOOK_SECTIONS and not shape.structural and shape.rank > chapter):
            shapes[position] = HeadingShape(chapter, True, False, shape.titleable)
            moved.add(position)
    return moved


def classify(
    units: list[Unit],
    *,
    has_front_title: bool,
    one_line: bool,
    decided: bool = False,
    title: int | None = None,
) -> tuple[int | None, list[int]]:
    """Decide which units are headings; return the title unit and the heading units.

    ``decided`` says the front of the text already chose the title unit
    (``title``, or None for no title line).
    """
    count = len(units)
    shapes = _shapes(units)
    _prune(units, shapes, one_line)
    _runs(units, shapes)
    _prune(units, shapes, one_line)

    if not decided:
        first = shapes[0] if shapes else None
        if (
            first is not None
            and first.titleable
            and not has_front_title
            and markup_free(units[0].text).lower() not in COMMON_SECTION_NAMES
        ):
            title = 0
            units[0].rule = "title: a heading-like first line"
        elif first is None and not has_front_title and headline(units):
            title = 0
            units[0].rule = "title: the first short line, above the first paragraph"
    if title is not None:
        shapes[title] = None
    headings = [p for p in range(count) if shapes[p] is not None]
    found = list(shapes)
    moved = _book_sections(units, shapes, headings)
    merged = _one_level_subheads(shapes, headings)
    ranks = sorted({shapes[p].rank for p in headings})  # type: ignore[union-attr]
    base = 2 if title is not None else 1
    level_of = {rank: min(6, base + i) for i, rank in enumerate(ranks)}
    for position in headings:
        unit = units[position]
        shape = shapes[position]
        assert shape is not None
        if unit.kind is BlockKind.LIST_ITEM:
            unit.text = f"{unit.number}. {unit.text}"
        unit.level = level_of[shape.rank]
        original = found[position]
        assert original is not None
        reasons = [describe(unit, original)]
        if unit.rule and not unit.rule.startswith("not a heading"):
            reasons.insert(0, unit.rule)
        if position in moved:
            reasons.append("a book section (preface, appendix…) at the level of the chapters")
        if merged and original.rank == RANK_CAPS:
            reasons.append("one level with the Title Case subheads (capitals alone make no level)")
        unit.rule = f"{'; '.join(reasons)}: level {unit.level}"
    if title is not None:
        headings = sorted([*headings, title])
        units[title].level = 1
    for position in headings:
        unit = units[position]
        unit.kind = BlockKind.HEADING
        unit.depth = 0
        unit.marker = ""
    return title, headings
