"""The W3C Web Annotation export, and the IRIs readmark gives annotations and sources."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import unquote, urlparse

from reader.annotations.records import Highlight
from reader.annotations.selectors import parse_selectors, selectors
from reader.document.model import Document
from reader.export.model import ExportArticle, HighlightLike, export_highlights, iso_seconds

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Prefix of readmark's own terms (colour lives in the standard ``styleClass``).
READMARK_NS = "urn:readmark:"


def annotation_iri(annotation_id: str) -> str:
    """The W3C ``id`` of an annotation: ``urn:uuid:…`` for readmark's own ids."""
    try:
        return uuid.UUID(annotation_id).urn
    except ValueError:
        pass
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", annotation_id):
        return annotation_id  # already an IRI (imported from another tool)
    return READMARK_NS + "annotation:" + url_quote(annotation_id, safe="")


def store_id(iri: str) -> str:
    """The store id for a W3C annotation ``id`` (the inverse of :func:`annotation_iri`)."""
    if iri.lower().startswith("urn:uuid:"):
        try:
            return str(uuid.UUID(iri[9:]))
        except ValueError:
            return iri
    own = READMARK_NS + "annotation:"
    if iri.startswith(own):
        return unquote(iri[len(own) :]) or iri
    return iri


def source_iri(path: str) -> str:
    """An absolute path as a ``file:`` URI; anything else (a URL, a relative path) as is."""
    if not path or re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", path):
        return path
    if os.path.isabs(path):
        return "file://" + url_quote(path.replace(os.sep, "/"), safe="/")
    return path


def source_path(iri: str) -> str:
    """The file path of a ``source``: ``file:`` URIs decoded, web addresses give ""."""
    if iri.startswith("file:"):
        return unquote(urlparse(iri).path)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", iri):
        return ""  # http: and the like: not a file readmark can open
    return iri


def _annotation_json(
    article: ExportArticle, highlight: Highlight, document: Document | None
) -> dict[str, Any]:
    note = highlight.note if highlight.has_note else ""
    body: list[dict[str, Any]] = []
    if note:
        body.append(
            {"type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": note}
        )
    body.extend(
        {"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in highlight.tags
    )
    if document is not None and not highlight.detached:
        position, quote = parse_selectors(selectors(document.text, highlight.start, highlight.end))
    else:
        quote = highlight.quote
        position = None if highlight.detached else (highlight.start, highlight.end)
    assert quote is not None
    selector: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": quote.exact,
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        }
    ]
    if position is not None:
        selector.append({"type": "TextPositionSelector", "start": position[0], "end": position[1]})
    target: dict[str, Any] = {"source": source_iri(article.source)}
    if article.fingerprint:
        target["readmark:fingerprint"] = article.fingerprint
    target["styleClass"] = highlight.color
    target["selector"] = selector
    item: dict[str, Any] = {
        "id": annotation_iri(highlight.id),
        "type": "Annotation",
        "motivation": "commenting" if note else "highlighting",
    }
    if highlight.created:
        item["created"] = highlight.created
    if highlight.modified:
        item["modified"] = highlight.modified
    if body:
        item["body"] = body
    item["target"] = target
    if document is not None and not highlight.detached:
        item["readmark:section"] = document.section_path(highlight.start)
    else:
        item["readmark:section"] = list(highlight.section)
    if highlight.detached:
        item["readmark:detached"] = True
    return item


def to_json(
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> str:
    """One W3C AnnotationCollection (JSON-LD) holding the article's annotations.

    Each annotation has the note and the tags as TextualBody bodies
    (``commenting`` and ``tagging``), and a target with the article as
    ``source``, the colour as ``styleClass``, a TextQuoteSelector and (unless
    detached) a TextPositionSelector. readmark's own terms use the
    ``readmark:`` prefix declared in the context.
    """
    ordered = export_highlights(highlights, document)
    collection: dict[str, Any] = {
        "@context": [W3C_CONTEXT, {"readmark": READMARK_NS}],
        "type": "AnnotationCollection",
        "label": article.title,
        "readmark:source": article.source,
        "readmark:fingerprint": article.fingerprint,
        "generator": {"type": "Software", "name": "readmark"},
    }
    if exported is not None:
        collection["generated"] = iso_seconds(exported)
    collection["total"] = len(ordered)
    collection["first"] = {
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": [_annotation_json(article, h, document) for h in ordered],
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
