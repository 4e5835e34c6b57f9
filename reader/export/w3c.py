"""The W3C Web Annotation export, and the IRIs readmark gives annotations and sources."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import unquote, urlparse

from reader.annotations.records import Highlight
from reader.annotations.selectors import parse_selectors, selectors
from reader.document.model import Document
from reader.export.model import ExportArticle, HighlightLike, export_highlights

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Prefix of readmark's own terms (colour lives in the standard ``styleClass``).
READMARK_NS = "urn:readmark:"
#: The background each colour's ``styleClass`` stands for, in the annotation's own stylesheet
#: (the model asks for a stylesheet wherever a styleClass is used).
STYLE_COLORS = {
    "yellow": "#fde68a",
    "green": "#bbf7d0",
    "blue": "#bfdbfe",
    "pink": "#fbcfe8",
    "purple": "#ddd6fe",
}

#: Characters written as \u escapes in JSON exports (see :func:`to_json`).
_UNSAFE_IN_JSON = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def utc_stamp(stamp: str | datetime) -> str:
    """An ISO time in UTC with ``Z``, as the model requires ("" if it is not a time).

    Seconds are kept, and milliseconds when there are any.
    """
    if isinstance(stamp, datetime):
        moment = stamp
    else:
        try:
            moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
        except ValueError:
            return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond // 1000:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


def collection_iri(article: ExportArticle, part: str = "collection") -> str:
    """A stable ``urn:uuid:`` for an article's collection (or its page, ``part="page"``)."""
    key = article.fingerprint or article.source or article.title
    return uuid.uuid5(uuid.NAMESPACE_URL, f"readmark-{part}:{key}").urn


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


_RELATIVE = READMARK_NS + "source:"


def source_iri(path: str) -> str:
    """A path as an IRI: an absolute one as a ``file:`` URI, a relative one as
    ``urn:readmark:source:…`` (the model wants an IRI); a URL as it is."""
    if not path or re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", path):
        return path
    if os.path.isabs(path):
        return "file://" + url_quote(path.replace(os.sep, "/"), safe="/")
    return _RELATIVE + url_quote(path.replace(os.sep, "/"), safe="/")


def source_path(iri: str) -> str:
    """The file path of a ``source``: ``file:`` URIs decoded, web addresses give ""."""
    if iri.startswith("file:"):
        return unquote(urlparse(iri).path)
    if iri.startswith(_RELATIVE):
        return unquote(iri[len(_RELATIVE) :])
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", iri):
        return ""  # http: and the like: not a file readmark can open
    return iri


def _target_source(article: ExportArticle) -> str:
    """The target's ``source``: the article's web address when it has one (a web
    article's: its snapshot is readmark's copy of it), else its file, else its
    fingerprint. ``readmark:fingerprint`` beside it still names readmark's text."""
    if article.url:
        return article.url
    if article.source:
        return source_iri(article.source)
    return READMARK_NS + "article:" + url_quote(article.fingerprint or article.title, safe="")


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
    target: dict[str, Any] = {"source": _target_source(article)}
    if article.fingerprint:
        target["readmark:fingerprint"] = article.fingerprint
    target["styleClass"] = highlight.color
    target["selector"] = selector
    item: dict[str, Any] = {
        "id": annotation_iri(highlight.id),
        "type": "Annotation",
        "motivation": "commenting" if note else "highlighting",
    }
    for key in ("created", "modified"):
        stamp = utc_stamp(getattr(highlight, key))
        if stamp:
            item[key] = stamp
    background = STYLE_COLORS.get(highlight.color, STYLE_COLORS["yellow"])
    item["stylesheet"] = {
        "type": "CssStylesheet",
        "value": f".{highlight.color} {{ background-color: {background}; }}",
    }
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
    ``source``, the colour as ``styleClass`` (with the stylesheet that defines
    it), a TextQuoteSelector and (unless detached) a TextPositionSelector.
    readmark's own terms use the ``readmark:`` prefix declared in the context.
    The collection and its one page have stable ``urn:uuid:`` ids; times are
    UTC with ``Z``; with no annotations there is no page (a page holds at least
    one).
    """
    ordered = export_highlights(highlights, document)
    collection: dict[str, Any] = {
        "@context": [W3C_CONTEXT, {"readmark": READMARK_NS}],
        "id": collection_iri(article),
        "type": "AnnotationCollection",
        "label": article.title,
        "readmark:source": article.source,
        "readmark:fingerprint": article.fingerprint,
        "generator": {"type": "Software", "name": "readmark"},
    }
    if exported is not None:
        collection["generated"] = utc_stamp(exported)
    collection["total"] = len(ordered)
    if ordered:
        page = collection_iri(article, "page")
        collection["first"] = {
            "id": page,
            "type": "AnnotationPage",
            "partOf": collection["id"],
            "startIndex": 0,
            "items": [_annotation_json(article, h, document) for h in ordered],
        }
        collection["last"] = page
    text = json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    # JSON escapes C0 controls itself; C1 controls and bidi overrides are escaped too,
    # so the file is safe to show in a terminal and still holds them exactly.
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
