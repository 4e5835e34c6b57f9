"""Writers for an article's highlights and notes (Markdown, W3C JSON, Readwise CSV),
and the reader of annotation JSON that ``readmark import`` uses.

The export is how notes leave readmark for Obsidian, Logseq, a Git repository,
Readwise or Anki, so every writer is deterministic: the same highlights give the
same bytes, in reading order, with nothing time-dependent but the optional
``exported`` stamp. Text that would change meaning as Markdown is escaped, so a
quote or a note renders as exactly what was highlighted or typed.

Pure: no Textual, no storage import. The inputs are an :class:`ExportArticle`,
highlights (anchored :class:`~reader.annotations.records.Highlight` objects, or stored
record dicts) and, when the article file could be read, its parsed
:class:`~reader.document.model.Document` for the current text and the heading
levels. Without a document the stored section paths are used instead.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote as url_quote
from urllib.parse import unquote, urlparse

from reader.annotations.records import (
    COLORS,
    DEFAULT_COLOR,
    Highlight,
    anchor_records,
    from_record,
    normalise_tags,
)
from reader.annotations.selectors import TextQuote, parse_selectors, selectors
from reader.document.model import BlockKind, Document

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "SUFFIXES",
    "AnnotationFormatError",
    "ExportArticle",
    "ParsedAnnotation",
    "block_id",
    "escape_markdown",
    "export_highlights",
    "import_records",
    "parse_annotation_json",
    "render",
    "safe_filename",
    "store_id",
    "to_csv",
    "to_json",
    "to_markdown",
]

#: Export formats, the first being the default.
FORMATS = ("markdown", "json", "csv")
#: File name ending of each format.
SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv"}
#: The columns Readwise's CSV import reads, in its order.
CSV_COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Prefix of readmark's own terms (colour lives in the standard ``styleClass``).
READMARK_NS = "urn:readmark:"
DETACHED_HEADING = "Detached highlights"
DETACHED_NOTICE = (
    "These highlights could not be found in the current text of the article. "
    "They are kept as they were made."
)

HighlightLike = Highlight | Mapping[str, Any]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class ExportArticle:
    """What an export says about the article itself.

    Attributes:
        title: Its title (the document's, else the stored one).
        source: The article file's path, as the library knows it.
        fingerprint: The content fingerprint the library knows it by.
        author: From the front matter, when there is one.
        url: A web address from the front matter (``url``, ``source`` or ``link``).
    """

    title: str
    source: str = ""
    fingerprint: str = ""
    author: str = ""
    url: str = ""

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
        )


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


def _quoted_text(highlight: Highlight, document: Document | None) -> str:
    """The highlighted text as it is now (the stored quote when it cannot be read)."""
    if document is not None and not highlight.detached and highlight.end <= len(document.text):
        return document.text[highlight.start : highlight.end]
    return highlight.quote.exact


# --------------------------------------------------------------------------- sections


@dataclass(slots=True)
class _Node:
    """A heading of the export and what goes under it, in order."""

    title: str = ""
    level: int = 1
    items: list[Highlight] = field(default_factory=list)
    children: dict[Any, _Node] = field(default_factory=dict)


def _outline(
    article: ExportArticle, highlights: Sequence[Highlight], document: Document | None
) -> _Node:
    """Group attached highlights under the headings that contain them.

    With a document, sections come from the highlight's offset and keep their
    own levels, moved so the shallowest sits just under the ``# Title``; an
    opening heading that only repeats the title is left out. Without one, the
    stored section paths are used, a level per depth.
    """
    root = _Node(article.title, 1)
    if document is not None:
        sections = document.sections
        skip = -1
        if sections and sections[0].parent is None and _same(sections[0].title, article.title):
            skip = 0
        levels = [s.level for i, s in enumerate(sections) if i != skip]
        shift = 2 - min(levels, default=2)
        for highlight in highlights:
            chain: list[int] = []
            index = document.section_index_at(highlight.start)
            while index is not None:
                if index != skip:
                    chain.append(index)
                index = sections[index].parent
            node = root
            for index in reversed(chain):
                section = sections[index]
                level = max(2, min(6, section.level + shift))
                node = node.children.setdefault(index, _Node(section.title, level))
            node.items.append(highlight)
        return root
    for highlight in highlights:
        path = list(highlight.section)
        if path and _same(path[0], article.title):
            path = path[1:]
        node = root
        for depth in range(len(path)):
            key = tuple(path[: depth + 1])
            node = node.children.setdefault(key, _Node(path[depth], min(6, 2 + depth)))
        node.items.append(highlight)
    return root


def _same(a: str, b: str) -> bool:
    return _one_line(a).casefold() == _one_line(b).casefold()


# --------------------------------------------------------------------------- Markdown

_ESCAPE_ALWAYS = re.compile(r"[\\`*\[\]<|~$#^]")
# "_" only makes emphasis next to a non-alphanumeric character (snake_case is safe).
_ESCAPE_UNDERSCORE = re.compile(r"_(?![^\W_])|(?<![^\W_])_")
# Obsidian's ==highlight== and %%comment%% need the character doubled.
_ESCAPE_DOUBLED = re.compile(r"([=%])(?=\1)|(?<==)=|(?<=%)%")
_ESCAPE_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block markers: a quote, a list item, a setext underline or a thematic break.
_LINE_START = re.compile(r">|[-+](?:\s|$)|[-=][-=\s]*$")
_ORDERED_ITEM = re.compile(r"(\d{1,9})[.)](?:\s|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_UNPRINTABLE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff]")


def escape_inline(text: str, *, line_start: bool = True) -> str:
    """One line of text made literal: every character that could be markup is escaped.

    ``line_start=False`` is for text that cannot begin a block (a heading's
    words, the middle of a line), where ``1.`` or ``-`` need no escape.
    """
    text = _ESCAPE_ALWAYS.sub(r"\\\g<0>", text)
    text = _ESCAPE_UNDERSCORE.sub(r"\\_", text)
    text = _ESCAPE_DOUBLED.sub(lambda m: "\\" + m.group(0), text)
    text = _ESCAPE_ENTITY.sub(r"\\&", text)
    if not line_start:
        return text
    if _LINE_START.match(text):
        return "\\" + text
    match = _ORDERED_ITEM.match(text)
    if match:
        return f"{match.group(1)}\\{text[match.end(1) :]}"
    return text


def paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs of lines: line endings unified, each line stripped, runs of
    blank lines made one break. This is the text an export promises to keep."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    result: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def escape_markdown(text: str, prefix: str = "") -> list[str]:
    """Markdown lines that render as ``text``: paragraphs kept, every line literal.

    Args:
        text: Any text (a quote, a note).
        prefix: Put before every line, e.g. ``"> "`` for a block quote (whose
            blank lines then become ``">"``, so the quote stays one quote).
    """
    lines: list[str] = []
    for paragraph in paragraphs(text):
        if lines:
            lines.append(prefix.rstrip())
        lines.extend(prefix + escape_inline(line) for line in paragraph)
    return lines


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub("", text).split())


def _tag_word(tag: str) -> str:
    """A tag as Obsidian writes one: ``#`` and no spaces."""
    return "#" + escape_inline("-".join(_one_line(tag).split()), line_start=False)


def block_id(annotation_id: str) -> str:
    """The Obsidian block id of a highlight: ``hl-`` and 12 hex digits, stable per id."""
    try:
        digits = uuid.UUID(annotation_id).hex
    except ValueError:
        digits = hashlib.sha256(annotation_id.encode("utf-8")).hexdigest()
    return "hl-" + digits[:12]


def _block_ids(highlights: Sequence[Highlight]) -> dict[str, str]:
    """Block ids, longer for the (very unlikely) ids whose 12 digits collide."""
    ids = {h.id: block_id(h.id) for h in highlights}
    seen: dict[str, int] = {}
    for value in ids.values():
        seen[value] = seen.get(value, 0) + 1
    for key, value in ids.items():
        if seen[value] > 1:
            ids[key] = value + "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return ids


def _date(stamp: str) -> str:
    """The day of an ISO time as stored (UTC), so a file reads the same in every time zone."""
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else ""


def _yaml(value: str) -> str:
    """A YAML scalar: plain when that is unambiguous, else double-quoted (JSON escapes)."""
    plain = re.fullmatch(r"[A-Za-z/][\w ./,()'’&+@-]*", value) and not value.endswith(" ")
    if plain and value.lower() not in {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}:
        return value
    # YAML (1.1 at least) breaks lines at NEL and U+2028/9: escape those and any control.
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _metadata_line(article: ExportArticle, highlight: Highlight, ids: Mapping[str, str]) -> str:
    parts = [highlight.color]
    if highlight.detached:
        path = list(highlight.section)
        if path and _same(path[0], article.title):
            path = path[1:]
        where = " › ".join(_one_line(part) for part in path)
        parts.append(
            f"detached (was in {escape_inline(where, line_start=False)})" if where else "detached"
        )
    tags = " ".join(_tag_word(tag) for tag in highlight.tags if _one_line(tag))
    if tags:
        parts.append(tags)
    day = _date(highlight.created)
    if day:
        parts.append(day)
    return " · ".join(parts) + f" ^{ids[highlight.id]}"


def _code_language(highlight: Highlight, document: Document | None) -> str | None:
    """The language ("" if unnamed) when the highlight lies inside one code block."""
    if document is None or highlight.detached or not document.blocks:
        return None
    block = document.blocks[document.block_index_at(highlight.start)]
    if block.kind is not BlockKind.CODE or highlight.end > block.end:
        return None
    return re.sub(r"[^\w+#.-]", "", block.language)


def _fenced(code: str, language: str) -> list[str]:
    """Code kept as it is (indentation too) in a fence longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [line.rstrip() for line in _CONTROL.sub("", code.replace("\r\n", "\n")).split("\n")]
    return [fence + language, *lines, fence]


def _highlight_lines(
    article: ExportArticle,
    highlight: Highlight,
    document: Document | None,
    ids: Mapping[str, str],
) -> list[str]:
    code = _code_language(highlight, document)
    if code is not None:
        quote = [
            "> " + line if line else ">"
            for line in _fenced(_quoted_text(highlight, document), code)
        ]
    else:
        quote = escape_markdown(_quoted_text(highlight, document), "> ") or [">"]
    lines = ["", *quote]
    note = escape_markdown(highlight.note)
    if note:
        lines += ["", *note]
    lines += ["", _metadata_line(article, highlight, ids)]
    return lines


def to_markdown(
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> str:
    """The Markdown export: front matter, ``# Title``, sections, quotes, notes.

    Args:
        article: What to say about the article.
        highlights: Anchored highlights or stored records (see :func:`export_highlights`).
        document: The parsed article, for the current text and heading levels;
            None when the file is gone (stored section paths are used).
        exported: When, for the ``exported`` field; None leaves it out.

    Returns:
        The file's text, ending with a newline.
    """
    ordered = export_highlights(highlights, document)
    attached = [h for h in ordered if not h.detached]
    detached = [h for h in ordered if h.detached]
    ids = _block_ids(ordered)
    tags = sorted({tag for h in ordered for tag in h.tags}, key=lambda t: (t.casefold(), t))

    lines = ["---", f"title: {_yaml(_one_line(article.title))}"]
    if article.author:
        lines.append(f"author: {_yaml(_one_line(article.author))}")
    if article.url:
        lines.append(f"url: {_yaml(article.url)}")
    if article.source:
        lines.append(f"source: {_yaml(article.source)}")
    if article.fingerprint:
        lines.append(f"fingerprint: {json.dumps(article.fingerprint)}")  # never a number
    if exported is not None:
        lines.append(f"exported: {_iso(exported)}")
    lines.append(f"highlights: {len(ordered)}")
    lines.append(f"notes: {sum(h.has_note for h in ordered)}")
    if tags:
        lines.append("tags:")
        lines.extend(f"  - {_yaml(tag)}" for tag in tags)
    else:
        lines.append("tags: []")
    lines += ["---", "", f"# {escape_inline(_one_line(article.title), line_start=False)}"]

    def emit(node: _Node) -> None:
        for highlight in node.items:
            lines.extend(_highlight_lines(article, highlight, document, ids))
        for child in node.children.values():
            heading = escape_inline(_one_line(child.title), line_start=False)
            lines.extend(("", f"{'#' * child.level} {heading}"))
            emit(child)

    emit(_outline(article, attached, document))
    if detached:
        lines += ["", f"## {DETACHED_HEADING}", "", f"*{DETACHED_NOTICE}*"]
        for highlight in detached:
            lines.extend(_highlight_lines(article, highlight, document, ids))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- JSON


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
        collection["generated"] = _iso(exported)
    collection["total"] = len(ordered)
    collection["first"] = {
        "type": "AnnotationPage",
        "startIndex": 0,
        "items": [_annotation_json(article, h, document) for h in ordered],
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- CSV


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
        text = _lf(_quoted_text(highlight, document)).strip()
        note = _lf(highlight.note).strip()
        tags = " ".join("." + "-".join(tag.split()) for tag in highlight.tags)
        if tags:
            note = f"{tags}\n{note}" if note else tags
        writer.writerow(
            (
                text,
                _one_line(article.title),
                _one_line(article.author),
                article.url,
                note,
                "" if highlight.detached else str(highlight.start),
                _csv_date(highlight.created),
            )
        )
    return buffer.getvalue()


def render(
    fmt: str,
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> str:
    """The export in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "markdown":
        return to_markdown(article, highlights, document, exported=exported)
    if fmt == "json":
        return to_json(article, highlights, document, exported=exported)
    if fmt == "csv":
        return to_csv(article, highlights, document)
    raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- file names

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
#: Longest file name stem, in UTF-8 bytes (file systems allow 255 for the whole name).
MAX_STEM_BYTES = 120


def safe_filename(
    title: str, taken: set[str] | frozenset[str] = frozenset(), suffix: str = ".md"
) -> str:
    """A file name made from ``title`` that is safe everywhere and not in ``taken``.

    Characters no file system accepts (``/ \\ : * ? " < > |``, control
    characters) become spaces, runs of spaces one space; leading dots and dashes
    go (no hidden files, nothing read as an option); Windows device names get a
    ``_``; the stem is cut to :data:`MAX_STEM_BYTES` bytes. A name already in
    ``taken`` (compared without case, as macOS and Windows do) gets `` (2)``,
    `` (3)``… The caller adds the result to ``taken``.
    """
    stem = _UNSAFE.sub(" ", title)
    stem = " ".join(stem.split()).lstrip(".- ").rstrip(". ")
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").rstrip(". ")
    if not stem:
        stem = "Untitled"
    if _RESERVED.fullmatch(stem):
        stem += "_"
    folded = {name.casefold() for name in taken}
    name = stem + suffix
    number = 2
    while name.casefold() in folded:
        name = f"{stem} ({number}){suffix}"
        number += 1
    return name


# --------------------------------------------------------------------------- import


class AnnotationFormatError(ValueError):
    """The JSON is not annotations readmark can read; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class ParsedAnnotation:
    """One annotation read from W3C JSON, before it is tied to an article.

    ``quote`` is None when the annotation quotes no text (a page note, say):
    there is nothing to anchor, so it cannot be imported.
    """

    id: str
    source: str = ""
    fingerprint: str = ""
    quote: TextQuote | None = None
    position: tuple[int, int] | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    color: str = DEFAULT_COLOR
    section: tuple[str, ...] = ()
    created: str = ""
    modified: str = ""
    detached: bool = False


_COLLECTION_TYPES = {"AnnotationCollection", "AnnotationPage", "OrderedCollection"}
#: Pages followed through ``next`` before giving up (a loop in the file, say).
MAX_PAGES = 10_000


def parse_annotation_json(text: str) -> list[ParsedAnnotation]:
    """Read annotations from readmark's JSON export or any W3C annotation JSON.

    Accepts one Annotation, a list of them, an AnnotationCollection or
    AnnotationPage with ``items`` (also under ``first``, following embedded
    ``next`` pages), and Hypothesis-style ``rows``. A body may be a string, a
    TextualBody or a list (``tagging`` bodies become tags); a target may be an
    object or a list, its ``selector`` an object or a list (``refinedBy`` is
    followed).

    Raises:
        AnnotationFormatError: Not JSON, or not shaped like annotations.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnnotationFormatError(
            f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise AnnotationFormatError("not usable JSON: nested too deeply") from None
    defaults: dict[str, str] = {}
    items = _items(data, defaults, "the file")
    return [_parse_one(item, defaults, n) for n, item in enumerate(items, 1)]


def _types(value: Mapping[str, Any]) -> set[str]:
    kind = value.get("type", value.get("@type"))
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _is_annotation(value: Mapping[str, Any]) -> bool:
    return "Annotation" in _types(value) or "oa:Annotation" in _types(value) or "target" in value


def _is_collection(value: Mapping[str, Any]) -> bool:
    return bool(_types(value) & _COLLECTION_TYPES) or any(
        key in value for key in ("items", "first", "rows")
    )


def _items(data: Any, defaults: dict[str, str], where: str) -> list[Mapping[str, Any]]:
    expected = "a W3C Annotation, a list of annotations or an AnnotationCollection"
    if isinstance(data, list):
        found: list[Mapping[str, Any]] = []
        for n, item in enumerate(data, 1):
            if isinstance(item, dict) and _is_collection(item) and not _is_annotation(item):
                found += _items(item, defaults, f"item {n}")
            elif isinstance(item, dict) and _is_annotation(item):
                found.append(item)
            elif isinstance(item, str):
                raise AnnotationFormatError(
                    f"item {n} is a link ({item[:60]!r}), not an annotation included in the file"
                )
            else:
                raise AnnotationFormatError(
                    f"item {n} is {_json_kind(item)}, not an annotation (it has no target)"
                )
        return found
    if not isinstance(data, dict):
        raise AnnotationFormatError(f"expected {expected}; {where} holds {_json_kind(data)}")
    if _is_annotation(data):
        return [data]
    if not _is_collection(data):
        keys = ", ".join(repr(str(k)) for k in sorted(data, key=str)[:6])
        shown = f"an object with the keys {keys}" if keys else "an empty object"
        raise AnnotationFormatError(f"expected {expected}; found {shown}")
    for key in ("readmark:source", "readmark:fingerprint"):
        if isinstance(data.get(key), str) and data[key]:
            defaults.setdefault(key, data[key])
    if "rows" in data:  # the Hypothesis API's search results
        return _items(_list(data["rows"], "rows"), defaults, "rows")
    found = []
    page: Any = data
    for _ in range(MAX_PAGES):
        if "items" in page:
            found += _items(_list(page["items"], "items"), defaults, "items")
        following = page.get("first") if page is data else page.get("next")
        if following is None:
            break
        if isinstance(following, str):
            raise AnnotationFormatError(
                f"the annotations are on another page ({following[:60]!r}), not in the file"
            )
        if not isinstance(following, dict):
            raise AnnotationFormatError(f"a collection's page is {_json_kind(following)}")
        page = following
    return found


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise AnnotationFormatError(f"'{name}' should be a list, found {_json_kind(value)}")
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _purposes(body: Mapping[str, Any]) -> set[str]:
    purpose = body.get("purpose")
    if isinstance(purpose, str):
        return {purpose.removeprefix("oa:")}
    if isinstance(purpose, list):
        return {p.removeprefix("oa:") for p in purpose if isinstance(p, str)}
    return set()


def _flat_selectors(selector: Any, depth: int = 0) -> list[Mapping[str, Any]]:
    if depth > 8:
        return []
    pieces = selector if isinstance(selector, list) else [selector]
    flat: list[Mapping[str, Any]] = []
    for piece in pieces:
        if isinstance(piece, dict):
            flat.append(piece)
            if "refinedBy" in piece:
                flat += _flat_selectors(piece["refinedBy"], depth + 1)
    return flat


def _pick_target(target: Any) -> tuple[str, Mapping[str, Any]]:
    """(source, the target object holding the selectors) of an annotation."""
    options = target if isinstance(target, list) else [target]
    first_source = ""
    objects: list[Mapping[str, Any]] = []
    for option in options:
        if isinstance(option, str):
            first_source = first_source or option
        elif isinstance(option, dict):
            objects.append(option)
    for option in objects:
        quote_found = any(
            s.get("type") == "TextQuoteSelector" for s in _flat_selectors(option.get("selector"))
        )
        if quote_found:
            return _target_source(option) or first_source, option
    if objects:
        return _target_source(objects[0]) or first_source, objects[0]
    return first_source, {}


def _target_source(target: Mapping[str, Any]) -> str:
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id") or source.get("@id")
    if isinstance(source, str):
        return source
    if "selector" not in target:
        return _text(target.get("id")) or _text(target.get("@id"))
    return ""


def _parse_one(item: Mapping[str, Any], defaults: Mapping[str, str], n: int) -> ParsedAnnotation:
    notes: list[str] = []
    tags: list[str] = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, str):
            notes.append(body)
        elif isinstance(body, dict):
            value = body.get("value", body.get("chars"))
            if not isinstance(value, str):
                continue
            if "tagging" in _purposes(body):
                tags.append(value)
            else:
                notes.append(value)
    notes.append(_text(item.get("bodyValue")))
    notes.append(_text(item.get("text")))  # Hypothesis
    if isinstance(item.get("tags"), list):
        tags += [tag for tag in item["tags"] if isinstance(tag, str)]
    source, target = _pick_target(item.get("target"))
    position, quote = parse_selectors(list(_flat_selectors(target.get("selector"))))
    if quote is not None and not quote.exact.strip():
        quote = None
    style = target.get("styleClass")
    color = style.lower() if isinstance(style, str) and style.lower() in COLORS else DEFAULT_COLOR
    section = item.get("readmark:section")
    section = section if isinstance(section, list) else []
    raw_id = item.get("id", item.get("@id"))
    if raw_id is not None and not isinstance(raw_id, str):
        raise AnnotationFormatError(f"annotation {n}: its id is {_json_kind(raw_id)}, not text")
    return ParsedAnnotation(
        id=store_id(raw_id) if raw_id else "",
        source=source or defaults.get("readmark:source", ""),
        fingerprint=_text(target.get("readmark:fingerprint"))
        or defaults.get("readmark:fingerprint", ""),
        quote=quote,
        position=position,
        note=_join_notes(notes),
        tags=normalise_tags(tags),
        color=color,
        section=tuple(part for part in section if isinstance(part, str)),
        created=_text(item.get("created")),
        modified=_text(item.get("modified")),
        detached=item.get("readmark:detached") is True,
    )


def _join_notes(parts: list[str]) -> str:
    """The note: a single body exactly as given (so a round trip keeps it), several
    bodies one paragraph each."""
    parts = [part for part in parts if part.strip()]
    if len(parts) == 1:
        return parts[0]
    return "\n\n".join(part.strip() for part in parts)


def import_id(annotation: ParsedAnnotation) -> str:
    """The id an imported annotation is stored under.

    Its own id when it has one; otherwise one derived from its content, so
    importing the same file twice finds the annotations already there.
    """
    if annotation.id:
        return annotation.id
    quote = annotation.quote or TextQuote("")
    key = json.dumps(
        [
            annotation.source,
            annotation.fingerprint,
            quote.exact,
            quote.prefix,
            quote.suffix,
            annotation.position,
            annotation.note,
        ],
        ensure_ascii=False,
    )
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "readmark-import:" + key))


def import_records(
    annotations: Sequence[ParsedAnnotation], article_id: str, document: Document | None
) -> list[dict[str, Any]]:
    """Store records for annotations with a quote, anchored in ``document``.

    One found in the text gets fresh selectors and its section; one that is not
    found is kept, marked ``detached``, with the selectors it came with. Without
    a document nothing can be checked: records keep what the file said.
    """
    records: list[dict[str, Any]] = []
    for annotation in annotations:
        if annotation.quote is None:
            continue
        quote = annotation.quote
        chosen: list[dict[str, Any]] = []
        if annotation.position is not None:
            start, end = annotation.position
            chosen.append({"type": "TextPositionSelector", "start": start, "end": end})
        chosen.append(
            {
                "type": "TextQuoteSelector",
                "exact": quote.exact,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
            }
        )
        record: dict[str, Any] = {
            "id": import_id(annotation),
            "article_id": article_id,
            "type": "Annotation",
            "target": {"selector": chosen},
            "section": list(annotation.section),
            "color": annotation.color,
            "note": annotation.note,
            "tags": list(annotation.tags),
            "detached": annotation.detached,
        }
        if annotation.created:
            record["created"] = annotation.created
        if annotation.modified:
            record["modified"] = annotation.modified
        records.append(record)
    if document is None or not records:
        return records
    anchored = anchor_records(document, records)
    for record, highlight in zip(records, anchored.highlights):
        if highlight.detached:
            record["detached"] = True
            continue
        record["target"] = {"selector": selectors(document.text, highlight.start, highlight.end)}
        record["section"] = document.section_path(highlight.start)
        record["detached"] = False
    return records
