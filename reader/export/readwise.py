"""Readwise's CSV export (RFC 4180, CRLF line ends)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime, timezone

from reader.document.model import Document
from reader.export.model import (
    ExportArticle,
    HighlightLike,
    export_highlights,
    one_line,
    quoted_text,
)

#: The columns Readwise's CSV import reads, in its order.
CSV_COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")


def _csv_date(stamp: str) -> str:
    """Readwise's ``YYYY-MM-DD HH:MM:SS`` (UTC), from a stored ISO time."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def to_csv(
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
) -> str:
    """Readwise's CSV (``Highlight,Title,Author,URL,Note,Location,Date``), RFC 4180.

    Texts are kept as they are (line endings made ``\\n``, outer blank space
    dropped). Tags go at the start of the note as Readwise inline tags (``.tag``);
    Location is the highlight's character offset in the article (empty for a
    detached one); Date is when it was made, in UTC. Lines end with CRLF.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for highlight in export_highlights(highlights, document):
        text = _lf(quoted_text(highlight, document)).strip()
        note = _lf(highlight.note).strip()
        tags = " ".join("." + "-".join(tag.split()) for tag in highlight.tags)
        if tags:
            note = f"{tags}\n{note}" if note else tags
        writer.writerow(
            (
                text,
                one_line(article.title),
                one_line(article.author),
                article.url,
                note,
                "" if highlight.detached else str(highlight.start),
                _csv_date(highlight.created),
            )
        )
    return buffer.getvalue()
