"""What the Markdown export is made of, whoever writes it: headings, highlight views, units.

The built-in writer (:mod:`reader.export.markdown`) and a Jinja2 template
(:mod:`reader.export.templates`) both implement :class:`Pieces`; this module
decides which headings go before which highlight and wraps each piece in the
unit that sync (:mod:`reader.export.sync`) keeps track of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from reader.annotations.records import Highlight
from reader.document.model import BlockKind, Document
from reader.export.model import (
    ExportArticle,
    HighlightLike,
    export_highlights,
    iso_seconds,
    one_line,
    quoted_text,
)
from reader.export.obsidian import block_ids, obsidian_tags
from reader.export.sync import Layout, Unit


@dataclass(frozen=True, slots=True)
class HighlightView:
    """One highlight as a writer sees it (texts raw: the writer escapes them).

    Attributes:
        block_id: Its Obsidian block id (``hl-…``).
        text: The highlighted text as the article has it now.
        code: The code block's language ("" if unnamed) when the passage lies in
            one code block, else None.
        tags: Its tags made valid Obsidian tags.
        date: The day it was made (``YYYY-MM-DD``, UTC), or "".
        section: The headings above it (for a detached one: as stored), without
            an opening one that only repeats the title.
    """

    id: str
    block_id: str
    color: str
    text: str
    code: str | None
    note: str
    tags: tuple[str, ...]
    date: str
    created: str
    modified: str
    detached: bool
    section: tuple[str, ...]
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class PageView:
    """The article as a writer sees it, with the counts and tags of the export."""

    title: str
    author: str
    url: str
    date: str
    source: str
    fingerprint: str
    exported: str
    highlights: int
    notes: int
    tags: tuple[str, ...]


class Pieces(Protocol):
    """Writes each piece of a Markdown export as lines."""

    def front_matter(self, page: PageView) -> list[str]: ...
    def head(self, page: PageView) -> list[str]: ...
    def heading(self, level: int, title: str, page: PageView) -> list[str]: ...
    def highlight(self, view: HighlightView, page: PageView) -> list[str]: ...
    def detached_heading(self, page: PageView) -> list[str]: ...


@dataclass(slots=True)
class _Node:
    """A heading of the export and what goes under it, in order."""

    title: str = ""
    level: int = 1
    items: list[Highlight] = field(default_factory=list)
    children: dict[Any, _Node] = field(default_factory=dict)


def same_title(a: str, b: str) -> bool:
    """Whether two headings read the same (blank space and case aside)."""
    return one_line(a).casefold() == one_line(b).casefold()


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
        if sections and sections[0].parent is None and same_title(sections[0].title, article.title):
            skip = 0
        levels = [s.level for i, s in enumerate(sections) if i != skip]
        shift = 2 - min(levels, default=2)
        for highlight in highlights:
            node = root
            for index in document.section_chain(highlight.start):
                if index == skip:
                    continue
                section = sections[index]
                level = max(2, min(6, section.level + shift))
                node = node.children.setdefault(index, _Node(section.title, level))
            node.items.append(highlight)
        return root
    for highlight in highlights:
        path = _stored_path(highlight, article.title)
        node = root
        for depth in range(len(path)):
            key = tuple(path[: depth + 1])
            node = node.children.setdefault(key, _Node(path[depth], min(6, 2 + depth)))
        node.items.append(highlight)
    return root


def _stored_path(highlight: Highlight, title: str) -> list[str]:
    path = list(highlight.section)
    if path and same_title(path[0], title):
        path = path[1:]
    return path


def _code_language(highlight: Highlight, document: Document | None) -> str | None:
    """The language ("" if unnamed) when the highlight lies inside one code block."""
    if document is None or highlight.detached or not document.blocks:
        return None
    block = document.blocks[document.block_index_at(highlight.start)]
    if block.kind is not BlockKind.CODE or highlight.end > block.end:
        return None
    return re.sub(r"[^\w+#.-]", "", block.language)


def _date(stamp: str) -> str:
    """The day of an ISO time as stored (UTC), so a file reads the same in every time zone."""
    return stamp[:10] if re.match(r"\d{4}-\d{2}-\d{2}", stamp) else ""


def highlight_view(
    highlight: Highlight,
    document: Document | None,
    ids: dict[str, str],
    title: str,
    section: tuple[str, ...] | None = None,
) -> HighlightView:
    """What a writer gets to know about one highlight (``section`` if already known)."""
    if section is None and document is not None and not highlight.detached:
        section = tuple(document.section_path(highlight.start))
        if section and same_title(section[0], title):
            section = section[1:]
    elif section is None:
        section = tuple(_stored_path(highlight, title))
    return HighlightView(
        id=highlight.id,
        block_id=ids[highlight.id],
        color=highlight.color,
        text=quoted_text(highlight, document),
        code=_code_language(highlight, document),
        note=highlight.note if highlight.has_note else "",
        tags=obsidian_tags(highlight.tags),
        date=_date(highlight.created),
        created=highlight.created,
        modified=highlight.modified,
        detached=highlight.detached,
        section=section,
        prefix=highlight.quote.prefix,
        suffix=highlight.quote.suffix,
    )


def page_view(
    article: ExportArticle, ordered: Sequence[Highlight], exported: datetime | None
) -> PageView:
    """What a writer gets to know about the article and the export as a whole."""
    tags = obsidian_tags([*article.tags, *(tag for h in ordered for tag in h.tags)])
    return PageView(
        title=one_line(article.title),
        author=one_line(article.author),
        url=article.url,
        date=article.date,
        source=article.source,
        fingerprint=article.fingerprint,
        exported=iso_seconds(exported) if exported is not None else "",
        highlights=len(ordered),
        notes=sum(h.has_note for h in ordered),
        tags=tuple(sorted(tags, key=lambda t: (t.casefold(), t))),
    )


def build(
    pieces: Pieces,
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> Layout:
    """The export's front matter and units, each piece written by ``pieces``.

    Units: ``head`` (the title), one per highlight keyed by its block id (with
    the headings that open just before it), and ``detached`` (the heading and
    notice above the highlights no longer found in the article).
    """
    ordered = export_highlights(highlights, document)
    ids = block_ids(ordered)
    page = page_view(article, ordered, exported)
    # Obsidian takes Idea and idea for one tag: the body spells each as the front matter does.
    spelling = {tag.casefold(): tag for tag in page.tags}

    def view_of(highlight: Highlight, path: tuple[str, ...] | None = None) -> HighlightView:
        view = highlight_view(highlight, document, ids, article.title, path)
        tags = tuple(dict.fromkeys(spelling.get(tag.casefold(), tag) for tag in view.tags))
        return view if tags == view.tags else replace(view, tags=tags)

    units = [Unit("head", tuple(pieces.head(page)))]
    pending: list[str] = []

    def emit(node: _Node, path: tuple[str, ...]) -> None:
        nonlocal pending
        for highlight in node.items:
            view = view_of(highlight, path)
            lines = pieces.highlight(view, page)
            units.append(Unit(view.block_id, tuple(pending + lines)))
            pending = []
        for child in node.children.values():
            pending += [*pieces.heading(child.level, one_line(child.title), page), ""]
            emit(child, (*path, child.title))

    emit(_outline(article, [h for h in ordered if not h.detached], document), ())
    detached = [h for h in ordered if h.detached]
    if detached:
        units.append(Unit("detached", tuple(pieces.detached_heading(page))))
        for highlight in detached:
            view = view_of(highlight)
            units.append(Unit(view.block_id, tuple(pieces.highlight(view, page))))
    return Layout(tuple(pieces.front_matter(page)), tuple(units))
