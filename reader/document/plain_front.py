"""The front of a plain-text article: title, subtitle, deck, byline and dateline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.document.model import BlockKind
from reader.document.plain_blocks import Unit
from reader.document.plain_headings import DATE, heading_shape
from reader.document.plain_news import byline, dateline, iso_date, name_line

# --------------------------------------------------------------------------- the front block


@dataclass(slots=True)
class Front:
    """What the front of the text decided: whether it decided, and the title unit."""

    decided: bool = False
    title: int | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _long(unit: Unit) -> bool:
    return not unit.single or len(unit.text) > 150


def _meta(units: list[Unit], position: int) -> str:
    """'byline', 'by' (a lone BY above a name), 'dateline' or ''."""
    unit = units[position]
    if unit.kind is not BlockKind.PARAGRAPH or _long(unit) or unit.role:
        return ""
    text = unit.text.strip()
    if text.upper() in ("BY", "BY:") and position + 1 < len(units):
        following = units[position + 1]
        if following.single and byline("By " + following.text):
            return "by"
    if byline(text):
        return "byline"
    return "dateline" if dateline(text) else ""


def _candidate(unit: Unit) -> bool:
    if unit.kind is not BlockKind.PARAGRAPH or unit.role or unit.quote:
        return False
    shape = heading_shape(unit.text) if unit.single else None
    return shape is None or not shape.structural


def _block_end(units: list[Unit], etext: bool, metas: dict[int, str]) -> int:
    """How many leading units form the title block or news front; fills ``metas``."""
    count = len(units)
    end = 0
    while end < min(count, 14) and _candidate(units[end]):
        kind = _meta(units, end)
        ahead = any(_meta(units, p) for p in range(end + 1, min(count, end + 3)))
        if kind:
            metas[end] = kind
        elif _long(units[end]):
            if not (1 <= end <= 2 and ahead and len(units[end].text) <= 600):
                break  # the body: a deck only sits between a title and a byline
        elif (
            (end or etext)
            and end + 1 < count
            and _long(units[end + 1])
            and metas.get(end - 1) != "by"
            and not ahead
        ):
            break  # a heading above the body
        end += 1
    return end


def read_front(units: list[Unit], metadata: dict[str, str], etext: bool) -> Front:
    """Find the title block or news front among the first units; set roles and metadata."""
    front = Front()
    count = len(units)
    if etext and count and units[0].role == "verse" and units[0].text.isupper():
        lines = units[0].text.split("\n")
        if all(len(line) <= 60 for line in lines):  # a title set over several lines
            units[0].role, units[0].rule, units[0].single = "", "", True
            units[0].text = " ".join(lines)
    metas: dict[int, str] = {}
    end = _block_end(units, etext, metas)
    if not metas and not etext:
        return front
    if metas and not etext:
        end = max(metas) + 1
        if metas.get(end - 1) == "by":
            end += 1
    front.decided = True
    reach = max(end, 1 if count and _candidate(units[0]) else 0)
    title = _find_title(units, reach, metadata.get("title", ""))
    if title is not None and title in metas:
        title = None  # a byline or dateline on top is not the title
    front.title = title
    for position in range(end):
        units[position].role = "front"
    if title is not None:
        units[title].role = "title"
        units[title].rule = (
            "title: matches the title from the header"
            if metadata.get("title")
            else "title: the first short line of the title block"
        )
    after = (title + 1) if title is not None else 0
    if etext and title is not None and "author" not in metadata:
        for position in range(after, min(end, after + 2)):
            if not metas.get(position - 1) and name_line(units[position].text):
                metas[position] = "name"
                break
    for position, kind in metas.items():
        _read_meta(front, metadata, units, position, kind)
    first_meta = min(metas) if metas else end
    for position in range(after, min(first_meta, end)):
        unit = units[position]
        if unit.role != "front" or unit.text.startswith("["):
            continue
        if not etext and "deck" not in metadata:
            unit.role = "deck"
            unit.rule = "deck: the standfirst between the title and the byline"
            text = " ".join(unit.text.split())
            _note(front, metadata, unit.line, "deck", text, "the standfirst")
        elif etext and position == after and len(unit.text) <= 120:
            text = unit.text
            _note(front, metadata, unit.line, "subtitle", text, "the line under the title")
    for position in range(end):
        if units[position].role == "front" and not units[position].rule:
            units[position].rule = "title block: a short line of the title page, not a heading"
    return front


def _read_meta(
    front: Front, metadata: dict[str, str], units: list[Unit], position: int, kind: str
) -> None:
    unit = units[position]
    unit.role = "meta"
    if kind == "dateline":
        value = dateline(unit.text)
        unit.rule = f"dateline: sets the date ({value})"
        _note(front, metadata, unit.line, "date", value, "the dateline")
        return
    if kind == "name":
        value = name_line(unit.text)
        unit.rule = f"a name under the title: sets the author ({value})"
    elif kind == "by":
        units[position + 1].role = "meta"
        value = byline("By " + units[position + 1].text)
        unit.rule = f"'BY' above a name: sets the author ({value})"
    else:
        value = byline(unit.text)
        unit.rule = f"byline: sets the author ({value})"
        if DATE.search(unit.text):
            _note(front, metadata, unit.line, "date", iso_date(unit.text), "the byline")
    _note(front, metadata, unit.line, "author", value, unit.rule.split(":")[0])


def _note(
    front: Front, metadata: dict[str, str], line: int, key: str, value: str, why: str
) -> None:
    if value and key not in metadata:
        metadata[key] = value
        front.notes.append((line, f"{key}: {value!r} from {why}"))


def _find_title(units: list[Unit], end: int, known: str) -> int | None:
    """The unit holding the title: the one matching ``known``, else the first short line."""
    if not known:
        first = units[0] if end else None
        if first is None or _long(first) or first.role or first.text.startswith("["):
            return None
        return None if first.text.rstrip().endswith((".", ",", ";", ":")) else 0
    target = _norm(known)
    for position in range(min(end, 4)):
        text = _norm(units[position].text)
        if not text:
            continue
        if text == target or (target.startswith(text + " ") and len(text) >= 0.4 * len(target)):
            return position
        if position + 1 < end:
            joined = _norm(units[position].text + " " + units[position + 1].text)
            if joined == target:
                unit, following = units[position], units[position + 1]
                unit.text = f"{unit.text} {following.text}"
                unit.last = max(unit.last, following.last, following.line)
                following.role = "merged"
                return position
    return None
