"""The outline of a plain-text document: which candidate blocks are headings, the title, levels.

A line that looks like a heading (:mod:`reader.document.plain_headings`) is
kept as one only in context: something must follow it, a weak one needs body
text right after it, long runs of short lines are a list or a poem, and bylines
or datelines may sit between a title and the body. The ranks that survive map
to consecutive heading levels.
"""

from __future__ import annotations

from reader.document.model import BlockKind
from reader.document.plain_blocks import Unit
from reader.document.plain_headings import (
    BYLINE,
    COMMON_SECTION_NAMES,
    DATE,
    RANK_UNDER_DASH,
    RANK_UNDER_EQ,
    HeadingShape,
    heading_shape,
    markup_free,
)

_MAX_HEADING_RUN = 3


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


def classify(
    units: list[Unit], *, has_front_title: bool, one_line: bool
) -> tuple[int | None, list[int]]:
    """Decide which units are headings; return the title unit and the heading units."""
    count = len(units)
    shapes: list[HeadingShape | None] = [None] * count
    for position, unit in enumerate(units):
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

    # A heading needs something after it; a weak one needs body text right after.
    # With one line per paragraph, a heading is a short line above a long one.
    def prune() -> None:
        body = count  # nearest non-heading unit to the right
        for position in range(count - 1, -1, -1):
            shape = shapes[position]
            unit = units[position]
            if shape is not None and not unit.underline:
                following = units[body] if body < count else None
                if (
                    position == count - 1
                    or (
                        not shape.strong
                        and (
                            shapes[position + 1] is not None
                            or units[position + 1].kind is BlockKind.RULE
                        )
                    )
                    or (
                        one_line
                        and not shape.structural
                        and following is not None
                        and following.kind is BlockKind.PARAGRAPH
                        and len(following.text) < max(60, 2 * len(unit.text))
                    )
                ):
                    shapes[position] = None
            if shapes[position] is None and not _is_meta(unit):
                body = position

    prune()
    # Long runs of short lines are a list or a poem, not a stack of headings.
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
        position = end
    prune()

    title: int | None = None
    first = shapes[0] if shapes else None
    if (
        first is not None
        and first.titleable
        and not has_front_title
        and markup_free(units[0].text).lower() not in COMMON_SECTION_NAMES
    ):
        title = 0
    headings = [p for p in range(count) if shapes[p] is not None]
    ranks = sorted({shapes[p].rank for p in headings if p != title})  # type: ignore[union-attr]
    base = 2 if title is not None else 1
    level_of = {rank: min(6, base + i) for i, rank in enumerate(ranks)}
    for position in headings:
        unit = units[position]
        if unit.kind is BlockKind.LIST_ITEM:
            unit.text = f"{unit.number}. {unit.text}"
        unit.kind = BlockKind.HEADING
        unit.depth = 0
        unit.marker = ""
        unit.level = 1 if position == title else level_of[shapes[position].rank]  # type: ignore[union-attr]
    return title, headings
