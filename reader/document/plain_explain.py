"""Why a plain-text article was read as it was: the decisions behind ``outline --explain``."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.document.model import BlockKind, Document
from reader.document.plain_blocks import Unit
from reader.document.plain_layout import Layout
from reader.document.plain_matter import Region

_SHOWN = 48


@dataclass(slots=True)
class Analysis:
    """What the plain-text parser decided, kept for explaining it."""

    layout: Layout | None = None
    units: list[Unit] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


def _lines(first: int, last: int) -> str:
    return f"{first + 1}" if last <= first else f"{first + 1}-{last + 1}"


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _what(unit: Unit) -> str:
    if unit.kind is BlockKind.HEADING:
        return "title" if unit.role == "title" else "heading"
    if unit.role == "contents":
        return "contents"
    if unit.role == "verse":
        return "lines"
    if unit.role == "meta":
        return "meta"
    if unit.role == "deck":
        return "deck"
    return "text"


def explain(document: Document, analysis: Analysis) -> list[str]:
    """Readable lines: layout, metadata found, then every decision by source line."""
    out: list[str] = []
    layout = analysis.layout
    if layout is not None:
        if layout.one_line:
            out.append("Layout: one line per paragraph")
        else:
            dense = ", no blank lines between paragraphs" if layout.dense else ""
            out.append(f"Layout: hard-wrapped paragraphs, about {layout.width} columns{dense}")
    out.append(f"Title: {document.title}")
    for line, note in sorted(analysis.notes):
        note = note if len(note) <= 2 * _SHOWN else note[: 2 * _SHOWN - 1] + "…"
        out.append(f"  line {line + 1}: {note}")
    rows: list[tuple[int, int, str, str]] = []
    for region in analysis.regions:
        rows.append((region.first, region.last, region.action, region.rule))
    position = 0
    units = analysis.units
    while position < len(units):
        unit = units[position]
        if not unit.rule:
            position += 1
            continue
        what = _what(unit)
        last = max(unit.line, unit.last)
        if unit.role == "contents":
            end = position
            while end + 1 < len(units) and units[end + 1].role == "contents":
                end += 1
            last = units[end].line
            entries = sum(1 for u in units[position : end + 1] if u.kind is BlockKind.LIST_ITEM)
            rows.append((unit.line, last, what, f"{entries} entries — {unit.rule}"))
            position = end + 1
            continue
        rows.append((unit.line, last, what, f"{_shown(unit.text)!r} — {unit.rule}"))
        position += 1
    rows.sort(key=lambda row: (row[0], row[1]))
    if rows:
        out.append("Decisions, by source line:")
        width = max(len(_lines(first, last)) for first, last, _, _ in rows)
        for first, last, what, why in rows:
            out.append(f"  {_lines(first, last).ljust(width)}  {what:<8} {why}")
    return out
