"""One article's highlights while it is open: store records anchored in the document, with undo.

The reading screen calls this for every change; it turns each change into one
durable store call and remembers how to take it back. It has no Textual import,
so the rules (what a change does, what undo restores) are tested without a UI.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from reader.annotations.records import (
    COLORS,
    Anchoring,
    Highlight,
    Undo,
    UndoHistory,
    anchor_records,
    changed_fields,
    new_record,
    normalise_tags,
    retarget,
)
from reader.document.model import Document

#: Settings key of every tag used so far (for completion).
KNOWN_TAGS = "known_tags"


class Annotator:
    """Keeps ``highlights`` in step with the store for one article.

    Args:
        store: The open Store.
        article_id: The article's id in the store.
        document: The document offsets refer to (replace it with ``anchor``).
    """

    def __init__(self, store, article_id: str) -> None:
        self.store = store
        self.article_id = article_id
        self.document: Document | None = None
        self.records: dict[str, dict[str, Any]] = {}
        self.highlights: list[Highlight] = []
        self.history = UndoHistory()

    # ---------------------------------------------------------------- loading
    def anchor(
        self,
        document: Document,
        records: list[dict[str, Any]] | None = None,
        result: Anchoring | None = None,
    ) -> int:
        """Anchor the article's records in ``document``; save what moved or detached.

        ``result`` is ``anchor_records(document, records)`` when a worker thread
        already computed it (it is pure; only saving needs the store).

        Returns:
            How many highlights are detached.
        """
        if records is None:
            records = self.store.annotations(self.article_id)
        self.document = document
        self.records = {record["id"]: record for record in records}
        if result is None:
            result = anchor_records(document, records)
        if result.changes and not getattr(self.store, "read_only_reason", None):
            self.store.update_annotations(self.article_id, result.changes)
            for record_id, changes in result.changes.items():
                self.records[record_id].update(copy.deepcopy(changes))
        self.highlights = sorted(result.highlights, key=_reading_order)
        return sum(h.detached for h in self.highlights)

    def reload_if_changed(self) -> bool:
        """Pick up another process's changes; True when something changed."""
        if self.document is None or not self.store.refresh():
            return False
        self.anchor(self.document)
        return True

    # ---------------------------------------------------------------- queries
    def get(self, highlight_id: str) -> Highlight | None:
        for highlight in self.highlights:
            if highlight.id == highlight_id:
                return highlight
        return None

    def known_tags(self) -> list[str]:
        """Tags used before, in any article, for completion."""
        tags = set(self.store.get_setting(KNOWN_TAGS, []) or [])
        for highlight in self.highlights:
            tags.update(highlight.tags)
        return sorted(tags, key=str.lower)

    def counts(self) -> tuple[int, int]:
        """(highlights, with notes)."""
        return len(self.highlights), sum(h.has_note for h in self.highlights)

    # ---------------------------------------------------------------- changes
    def add(self, start: int, end: int, color: str = "yellow", note: str = "") -> Highlight:
        """Highlight ``text[start:end]``; durable when this returns."""
        assert self.document is not None
        record = self.store.add_annotation(
            new_record(self.document, self.article_id, start, end, color=color, note=note)
        )
        self.history.push(Undo("added", record))
        return self._apply(record)

    def change(self, highlight_id: str, changes: dict[str, Any]) -> Highlight:
        """Update fields of one highlight (colour, note, tags, target)."""
        before = changed_fields(self.records[highlight_id], changes)
        record = self.store.update_annotation(highlight_id, changes)
        self.history.push(Undo("changed", record, before))
        return self._apply(record)

    def set_color(self, highlight_id: str, color: str) -> Highlight:
        if color not in COLORS:
            raise ValueError(f"unknown colour {color!r}")
        return self.change(highlight_id, {"color": color})

    def set_note(self, highlight_id: str, note: str) -> Highlight:
        return self.change(highlight_id, {"note": note})

    def set_tags(self, highlight_id: str, tags: Iterable[str]) -> Highlight:
        tags = list(normalise_tags(tags))
        highlight = self.change(highlight_id, {"tags": tags})
        known = set(self.store.get_setting(KNOWN_TAGS, []) or [])
        if not set(tags) <= known:
            self.store.set_setting(KNOWN_TAGS, sorted(known | set(tags), key=str.lower))
        return highlight

    def reattach(self, highlight_id: str, start: int, end: int) -> Highlight:
        """Point a (detached) highlight at new text."""
        assert self.document is not None
        return self.change(highlight_id, retarget(self.document, self.records[highlight_id],
                                                  start, end))

    def delete(self, highlight_id: str) -> Highlight:
        highlight = self.get(highlight_id)
        record = self.store.delete_annotation(highlight_id)
        self.history.push(Undo("deleted", record))
        self.records.pop(highlight_id, None)
        self.highlights = [h for h in self.highlights if h.id != highlight_id]
        assert highlight is not None
        return highlight

    def undo(self) -> str | None:
        """Take back the last change; its description, or None when there is none."""
        item = self.history.pop()
        if item is None:
            return None
        record_id = item.record["id"]
        if item.kind == "added":
            self.store.delete_annotation(record_id)
            self.records.pop(record_id, None)
            self.highlights = [h for h in self.highlights if h.id != record_id]
        elif item.kind == "deleted":
            self._apply(self.store.add_annotation(item.record))
        else:
            self._apply(self.store.update_annotation(record_id, item.before))
        return item.describe()

    def _apply(self, record: dict[str, Any]) -> Highlight:
        """Put a stored record into ``records`` and re-anchor just that highlight."""
        assert self.document is not None
        self.records[record["id"]] = record
        anchored = anchor_records(self.document, [record]).highlights[0]
        others = [h for h in self.highlights if h.id != record["id"]]
        self.highlights = sorted([*others, anchored], key=_reading_order)
        return anchored


def _reading_order(highlight: Highlight) -> tuple[int, int, int]:
    """Attached highlights by position, detached ones after them."""
    return (1, 0, 0) if highlight.detached else (0, highlight.start, highlight.end)
