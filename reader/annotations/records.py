"""Highlights and notes: the record kept in the store, and what the UI works with.

A stored record is shaped like a W3C Web Annotation: its ``target`` holds a
TextPositionSelector and a TextQuoteSelector, so it can be found again after the
article changes (see :mod:`reader.annotations.anchoring`). ``Highlight`` is the same thing
anchored in the document that is open now. Nothing here imports Textual or the
store; the screen passes records between the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reader.annotations.anchoring import anchor_all
from reader.annotations.selectors import TextQuote, parse_selectors, selectors
from reader.document.model import Document

COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = "yellow"


@dataclass(frozen=True, slots=True)
class Highlight:
    """An annotation anchored in the open document.

    ``start``/``end`` are offsets into ``Document.text``; for a detached
    highlight (its text could not be found) they are both -1 and ``quote`` is
    all that is left of where it was.
    """

    id: str
    article_id: str
    start: int
    end: int
    quote: TextQuote
    section: tuple[str, ...] = ()
    color: str = DEFAULT_COLOR
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    modified: str = ""
    anchored_by: str = "position"

    @property
    def detached(self) -> bool:
        return self.start < 0

    @property
    def has_note(self) -> bool:
        return bool(self.note.strip())

    @property
    def text(self) -> str:
        return self.quote.exact


def new_record(
    document: Document,
    article_id: str,
    start: int,
    end: int,
    *,
    color: str = DEFAULT_COLOR,
    note: str = "",
    tags: Iterable[str] = (),
) -> dict[str, Any]:
    """A record for a new highlight of ``document.text[start:end]`` (the store adds the id)."""
    start, end = trim_span(document.text, start, end)
    if end <= start:
        raise ValueError("a highlight needs some text")
    return {
        "article_id": article_id,
        "type": "Annotation",
        "target": {"selector": selectors(document.text, start, end)},
        "section": document.section_path(start),
        "color": color if color in COLORS else DEFAULT_COLOR,
        "note": note,
        "tags": list(normalise_tags(tags)),
        "detached": False,
    }


def retarget(document: Document, record: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    """The changes that move ``record`` to ``text[start:end]`` (re-attaching a detached one)."""
    start, end = trim_span(document.text, start, end)
    return {
        "target": {"selector": selectors(document.text, start, end)},
        "section": document.section_path(start),
        "detached": False,
    }


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Clamp to the text and drop surrounding whitespace, so a highlight starts on a word."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def from_record(
    record: dict[str, Any], start: int, end: int, method: str, quote: TextQuote | None = None
) -> Highlight:
    """A Highlight at (start, end) — (-1, -1) when detached — from a stored record
    (``quote``: its quote, when the caller has read it from the selectors already)."""
    if quote is None:
        _, quote = parse_selectors(_selector_list(record))
    if quote is None:
        quote = TextQuote("")
    return Highlight(
        id=str(record.get("id", "")),
        article_id=str(record.get("article_id", "")),
        start=start,
        end=end,
        quote=quote,
        section=_texts(record.get("section")),
        color=record.get("color") if _text(record.get("color")) in COLORS else DEFAULT_COLOR,
        note=_text(record.get("note")),
        tags=_texts(record.get("tags")),
        created=str(record.get("created") or ""),
        modified=str(record.get("modified") or ""),
        anchored_by=method,
    )


def _text(value: Any) -> str:
    """A stored text field; anything else (a damaged record) is taken as empty."""
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    """A stored list of texts (section, tags); anything else is taken as empty.

    The store sets damaged records aside (reader.store.shapes); this keeps a record
    from elsewhere (an import, a test) from crashing the screen all the same.
    """
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _selector_list(record: dict[str, Any]) -> list[dict]:
    target = record.get("target")
    if isinstance(target, dict) and isinstance(target.get("selector"), list):
        return target["selector"]
    return []


@dataclass(slots=True)
class Anchoring:
    """The result of anchoring an article's records in its current text.

    ``changes`` maps record ids to the updates worth saving: a highlight that
    moved gets fresh selectors, one that could not be found is marked detached
    (and keeps its selectors, so a later version of the article may find it).
    """

    highlights: list[Highlight] = field(default_factory=list)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


def anchor_records(document: Document, records: Sequence[dict[str, Any]]) -> Anchoring:
    """Find every record in ``document``; never drops one."""
    text = document.text
    items = []
    for record in records:
        position, quote = parse_selectors(_selector_list(record))
        items.append((position, quote or TextQuote("")))
    anchors = anchor_all(text, items)
    result = Anchoring()
    paths: dict[int | None, list[str]] = {}  # section -> its path (many share one)
    for record, (position, quote), found in zip(records, items, anchors):
        record_id = str(record.get("id", ""))
        if found is None or not quote.exact:
            result.highlights.append(from_record(record, -1, -1, "detached", quote))
            if not record.get("detached"):
                result.changes[record_id] = {"detached": True}
            continue
        # The quote and the section are those of the text now (an edit may change
        # either without moving the highlight).
        where = document.section_index_at(found.start)
        section = paths.get(where)
        if section is None:
            section = paths[where] = document.section_path(found.start)
        if ((found.start, found.end) != position or record.get("detached")
                or quote.exact != text[found.start : found.end]
                or list(_texts(record.get("section"))) != section):
            fresh = selectors(text, found.start, found.end)
            result.changes[record_id] = {
                "target": {"selector": fresh},
                "section": list(section),
                "detached": False,
            }
            record = {**record, **result.changes[record_id]}
            quote = TextQuote(fresh[1]["exact"], fresh[1]["prefix"], fresh[1]["suffix"])
        result.highlights.append(from_record(record, found.start, found.end, found.method, quote))
    return result


def find_in_preview(document: Document, records: Sequence[dict[str, Any]]) -> list[Highlight]:
    """Highlights to draw on a preview (part of the article) before it is all parsed.

    Only exact quotes whose context agrees are placed: cheap enough to run before
    the first screen, and wrong nowhere. Full anchoring, which may move, fuzzily
    match or detach highlights and saves what it changed, runs on the whole document.
    """
    text = document.text
    found: list[Highlight] = []
    for record in records:
        _, quote = parse_selectors(_selector_list(record))
        if quote is None or not quote.exact:
            continue
        at = text.find(quote.exact)
        while at >= 0:
            before = text[max(0, at - len(quote.prefix)) : at]
            after = text[at + len(quote.exact) : at + len(quote.exact) + len(quote.suffix)]
            if quote.prefix.endswith(before) and quote.suffix.startswith(after) and (
                before or after or not (quote.prefix or quote.suffix)
            ):
                found.append(from_record(record, at, at + len(quote.exact), "quote"))
                break
            at = text.find(quote.exact, at + 1)
    return found


_TAG_SPLIT = re.compile(r"[,\s]+")


def normalise_tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    """Tags as typed ("#idea, later  method") → ("idea", "later", "method"), no repeats."""
    if isinstance(tags, str):
        tags = _TAG_SPLIT.split(tags)
    seen: dict[str, str] = {}
    for tag in tags:
        tag = tag.strip()
        while tag.startswith("#"):  # "# #x" is x: normalising twice changes nothing
            tag = tag[1:].strip()
        if tag and tag.lower() not in seen:
            seen[tag.lower()] = tag
    return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class HighlightFilter:
    """A parsed panel filter: ``c:yellow``, ``#tag``, ``has:note`` and plain words."""

    words: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    needs_note: bool = False

    @classmethod
    def parse(cls, query: str) -> HighlightFilter:
        words, colors, tags = [], [], []
        needs_note = False
        for token in query.split():
            lower = token.lower()
            if lower.startswith(("c:", "color:", "colour:")):
                colors.append(lower.split(":", 1)[1])
            elif lower.startswith("#") and len(lower) > 1:
                tags.append(lower[1:])
            elif lower in ("has:note", "has:notes"):
                needs_note = True
            else:
                words.append(lower)
        return cls(tuple(words), tuple(colors), tuple(tags), needs_note)

    def matches(self, highlight: Highlight) -> bool:
        if self.colors and highlight.color not in self.colors:
            return False
        if self.needs_note and not highlight.has_note:
            return False
        own_tags = {tag.lower() for tag in highlight.tags}
        if any(tag not in own_tags for tag in self.tags):
            return False
        haystack = f"{highlight.text}\n{highlight.note}".lower()
        return all(word in haystack for word in self.words)


# --------------------------------------------------------------------- undo
@dataclass(frozen=True, slots=True)
class Undo:
    """How to take back one change: re-add a deleted record, delete an added one,
    or put back the fields a change replaced."""

    kind: str  # "added", "deleted" or "changed"
    record: dict[str, Any]
    before: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        return {"added": "new highlight", "deleted": "delete", "changed": "change"}[self.kind]


class UndoHistory:
    """The last changes, newest last, for ``u``; bounded so it cannot grow forever."""

    def __init__(self, limit: int = 100) -> None:
        self._items: list[Undo] = []
        self._limit = limit

    def __len__(self) -> int:
        return len(self._items)

    def push(self, item: Undo) -> None:
        self._items.append(item)
        del self._items[: -self._limit]

    def pop(self) -> Undo | None:
        return self._items.pop() if self._items else None


def changed_fields(record: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The record's current values of the fields ``changes`` will replace (for undo)."""
    return {key: record.get(key) for key in changes}


def with_offsets(highlight: Highlight, start: int, end: int) -> Highlight:
    return replace(highlight, start=start, end=end)
