"""Anki packages (.apkg, via genanki): a card per highlight that updates, never duplicates.

Each highlight is one note: the passage with its context on the front, the note
and where it comes from on the back, its tags as Anki tags. The note's GUID is
made from the highlight's id, so importing a later export into Anki updates the
notes it already has. The model and the deck have fixed ids (the deck's from
the article), so they too are the same in every export. genanki is imported
only here, and only when an Anki package is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import secrets
import sqlite3
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader.document.model import Document
from reader.export.layout import HighlightView, highlight_view
from reader.export.model import ExportArticle, HighlightLike, export_highlights, one_line
from reader.export.obsidian import block_ids

#: Characters of context shown on each side of the passage (cut at a word).
CONTEXT = 160
FIELDS = ("Passage", "Note", "Source", "Highlight id")
_CSS = """.card { font-family: Georgia, serif; font-size: 20px; text-align: left;
  color: black; background-color: white; max-width: 40em; margin: auto; }
.context { color: #777; }
.passage { background-color: #fde68a; }
.passage.green { background-color: #bbf7d0; } .passage.blue { background-color: #bfdbfe; }
.passage.pink { background-color: #fbcfe8; } .passage.purple { background-color: #ddd6fe; }
.note { margin-top: 1em; }
.source { margin-top: 1em; font-size: 16px; color: #555; }"""


def stable_id(text: str) -> int:
    """An id Anki keeps for a model or a deck, the same for the same text."""
    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def note_guid(highlight_id: str) -> str:
    """The GUID of a highlight's note (genanki's own scheme, on readmark's id)."""
    import genanki

    return str(genanki.guid_for("readmark", highlight_id))


def _html(text: str) -> str:
    return html.escape(text.replace("\r\n", "\n")).replace("\n", "<br>")


def _context(
    view: HighlightView, document: Document | None, start: int, end: int
) -> tuple[str, str]:
    """The text just before and after the passage, within its paragraph, cut at a word."""
    if document is None or view.detached or end > len(document.text):
        return view.prefix, view.suffix
    text = document.text
    before = text[max(0, start - CONTEXT) : start]
    if "\n\n" in before:
        before = before[before.rfind("\n\n") + 2 :]
    elif start > CONTEXT and " " in before:
        before = "…" + before[before.find(" ") + 1 :]
    after = text[end : end + CONTEXT]
    if "\n\n" in after:
        after = after[: after.find("\n\n")]
    elif end + CONTEXT < len(text) and " " in after:
        after = after[: after.rfind(" ")] + "…"
    return before, after


def _fields(view: HighlightView, article: ExportArticle, before: str, after: str) -> list[str]:
    passage = (
        f'<span class="context">{_html(before)}</span>'
        f'<span class="passage {html.escape(view.color)}">{_html(view.text)}</span>'
        f'<span class="context">{_html(after)}</span>'
    )
    source = [f"<b>{_html(one_line(article.title))}</b>"]
    if article.author:
        source.append(_html(one_line(article.author)))
    where = " › ".join(one_line(part) for part in view.section)
    if where:
        source.append(_html(where) + (" (no longer in the article)" if view.detached else ""))
    if article.url:
        link = html.escape(article.url, quote=True)
        source.append(f'<a href="{link}">{_html(article.url)}</a>')
    return [passage, _html(view.note), "<br>".join(source), html.escape(view.id)]


def anki_tags(tags: Iterable[str]) -> list[str]:
    """Anki tags (no blank space; ``/`` nesting becomes Anki's ``::``), plus ``readmark``."""
    return ["readmark", *(tag.replace("/", "::") for tag in tags)]


def build_package(
    article: ExportArticle, highlights: Iterable[HighlightLike], document: Document | None
) -> Any:
    """The genanki package: one deck for the article, a note per highlight."""
    import genanki

    model = genanki.Model(
        stable_id("readmark highlight model 1"),
        "readmark highlight",
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {
                "name": "Passage",
                "qfmt": "{{Passage}}",
                "afmt": '{{FrontSide}}<hr id="answer"><div class="note">{{Note}}</div>'
                '<div class="source">{{Source}}</div>',
            }
        ],
        css=_CSS,
        sort_field_index=0,
    )
    key = article.fingerprint or article.source or article.title
    deck = genanki.Deck(stable_id("readmark deck " + key), "readmark::" + one_line(article.title))
    ordered = export_highlights(highlights, document)
    ids = block_ids(ordered)
    for highlight in ordered:
        view = highlight_view(highlight, document, ids, article.title)
        before, after = _context(view, document, highlight.start, highlight.end)
        deck.add_note(
            genanki.Note(
                model=model,
                fields=_fields(view, article, before, after),
                tags=anki_tags(view.tags),
                guid=note_guid(highlight.id),
            )
        )
    return genanki.Package(deck)


def write_package(
    path: Path,
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
) -> None:
    """Write the article's Anki package to ``path``, replacing it in one step."""
    import itertools
    import time

    package = build_package(article, highlights, document)
    token = secrets.token_hex(4)
    database = path.with_name(f".{path.name}.{token}.anki2")
    archive = path.with_name(f".{path.name}.{token}.tmp")
    try:
        connection = sqlite3.connect(database)
        try:  # a scratch database: the package is made durable below, not this file
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA journal_mode = MEMORY")
            now = time.time()
            package.write_to_db(connection.cursor(), now, itertools.count(int(now * 1000)))
            connection.commit()
        finally:
            connection.close()
        with open(archive, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
                out.write(database, "collection.anki2")
                out.writestr("media", "{}")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(archive, path)
    finally:
        for leftover in (database, archive):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
