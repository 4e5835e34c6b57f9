"""What every export is made from: the article, its highlights in order, shared text clean-up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reader.annotations.records import (
    Highlight,
    anchor_records,
    from_record,
)
from reader.annotations.selectors import parse_selectors
from reader.document.model import Document

HighlightLike = Highlight | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ExportArticle:
    """What an export says about the article itself.

    Attributes:
        title: Its title (the document's, else the stored one).
        source: The article file's path, as the library knows it.
        fingerprint: The content fingerprint the library knows it by.
        author: From the front matter, when there is one.
        url: A web address from the front matter (``url``, ``source`` or ``link``).
        date: The article's own ``date`` from its front matter, as written there.
        tags: The article's own ``tags`` from its front matter, as written there.
    """

    title: str
    source: str = ""
    fingerprint: str = ""
    author: str = ""
    url: str = ""
    date: str = ""
    tags: tuple[str, ...] = ()

    @classmethod
    def from_document(
        cls, document: Document | None, *, title: str = "", source: str = "", fingerprint: str = ""
    ) -> ExportArticle:
        """Title, author and URL from the parsed article (``title`` when there is none)."""
        if document is None:
            return cls(title=title or "Untitled", source=source, fingerprint=fingerprint)
        meta = document.metadata
        url = next(
            (
                meta[key]
                for key in ("url", "source", "link")
                if meta.get(key, "").startswith(("http://", "https://"))
            ),
            "",
        )
        return cls(
            title=document.title or title or "Untitled",
            source=source or document.source,
            fingerprint=fingerprint,
            author=meta.get("author", ""),
            url=url,
            date=one_line(meta.get("date", "")),
            tags=front_matter_list(meta.get("tags", "")),
        )


def front_matter_list(value: str) -> tuple[str, ...]:
    """The items of a front-matter list kept as one string: ``[a, b]``, ``a, b`` or ``a``."""
    value = one_line(value)
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    items = (item.strip().strip("'\"").strip() for item in value.split(","))
    return tuple(item for item in items if item)


def export_highlights(
    items: Iterable[HighlightLike], document: Document | None = None
) -> list[Highlight]:
    """Highlights in export order: attached ones in reading order, then detached ones.

    Stored records are anchored in ``document`` (nothing is saved: the caller
    decides that). Without a document a record keeps its stored position (used
    only for the order) unless it was marked detached.
    """
    items = list(items)
    records = [item for item in items if not isinstance(item, Highlight)]
    highlights = [item for item in items if isinstance(item, Highlight)]
    if records:
        if document is not None:
            highlights += anchor_records(document, records).highlights
        else:
            for record in records:
                position, _ = parse_selectors(_record_selectors(record))
                if record.get("detached") or position is None:
                    highlights.append(from_record(record, -1, -1, "detached"))
                else:
                    highlights.append(from_record(record, *position, "stored"))
    attached = sorted(
        (h for h in highlights if not h.detached), key=lambda h: (h.start, h.end, h.created, h.id)
    )
    detached = sorted((h for h in highlights if h.detached), key=lambda h: (h.created, h.id))
    return attached + detached


def _record_selectors(record: Mapping[str, Any]) -> Any:
    target = record.get("target")
    return target.get("selector") if isinstance(target, Mapping) else None


def quoted_text(highlight: Highlight, document: Document | None) -> str:
    """The highlighted text as it is now (the stored quote when it cannot be read)."""
    if document is not None and not highlight.detached and highlight.end <= len(document.text):
        return document.text[highlight.start : highlight.end]
    return highlight.quote.exact


#: Control characters no export keeps (line breaks and tabs excepted).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def one_line(text: str) -> str:
    """Text on one line: control characters gone, runs of blank space one space."""
    return " ".join(CONTROL.sub("", text).split())


def iso_seconds(moment: datetime) -> str:
    """An ISO time to the second, as the ``exported`` and ``generated`` fields write it."""
    return moment.replace(microsecond=0).isoformat()
