"""The rows of the highlights panel: highlights grouped under their section's heading.

Pure data (no Textual): building the rows is all ``set_highlights`` does;
:class:`AnnotationList` draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.annotations.records import Highlight

NO_SECTION = "(before the first heading)"
DETACHED_TITLE = "Detached — select new text, then enter to re-attach"


@dataclass(frozen=True, slots=True)
class Row:
    """One thing the list shows: a group header, a message, a gap or an entry."""

    kind: str  # "group", "message", "gap" or "entry"
    text: str = ""
    highlight: Highlight | None = None


GAP = Row("gap")


def group_rows(highlights: Sequence[Highlight]) -> list[Row]:
    """Rows for ``highlights`` in their order: a header wherever the section
    changes, detached ones last under their own header."""
    rows: list[Row] = []
    detached: list[Highlight] = []
    section: tuple[str, ...] | None = None
    for highlight in highlights:
        if highlight.detached:
            detached.append(highlight)
            continue
        if highlight.section != section:
            section = highlight.section
            if rows:
                rows.append(GAP)
            title = highlight.section[-1] if highlight.section else NO_SECTION
            rows.append(Row("group", title or NO_SECTION))
        rows.append(Row("entry", highlight=highlight))
    if detached:
        if rows:
            rows.append(GAP)
        rows.append(Row("group", DETACHED_TITLE))
        rows.extend(Row("entry", highlight=highlight) for highlight in detached)
    return rows
