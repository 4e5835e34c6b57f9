"""A web page's article found with trafilatura and written as a Markdown snapshot with front matter.

trafilatura (imported only here, and only when a page is opened) finds the article
and its metadata; :mod:`reader.sources.html_markdown` writes what it kept. Parts of
pages that are never the article and that trafilatura may keep (edit links,
footnote markers, contents boxes, "skip to content" links) are cut out first.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reader.sources.loader import ArticleError

#: Pages larger than this skip trafilatura's second opinion (its fallback extractors),
#: which doubles the time on a long page and rarely changes a long article.
FAST_ABOVE = 300_000
#: trafilatura refuses pages over its own limit (20 MB); readmark's cap is the fetch's.
MAX_PAGE_BYTES = 50 * 1024 * 1024

#: Class names of page parts that are never the article, in any site's markup: edit
#: links, footnote back-links, contents boxes, "skip to content" links, share buttons.
PRUNED_CLASSES = frozenset((
    "mw-editsection", "mw-cite-backlink", "toc", "table-of-contents", "skip-link",
    "share-buttons", "social-share", "sharing", "screen-reader-text",
))
PRUNED_IDS = frozenset(("toc", "catlinks", "siteSub", "jump-to-nav", "contentSub"))
#: Words that make any class or id a newsletter box or a cookie banner.
PRUNED_WORDS = re.compile(r"newsletter|subscribe-box|cookie[-_]?(?:banner|consent|notice|bar)"
                          r"|gdpr|consent[-_]?banner")
_FOOTNOTE_LINK = ("#cite", "#fn", "#footnote", "#note")

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Labels that HTML reads as windows-1252 (the WHATWG Encoding Standard).
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii",
                    "l1", "cp819", "ibm819", "iso_8859-1", "windows-1252", "cp1252"}


@dataclass(slots=True)
class PageArticle:
    """What was found in a page: the snapshot's Markdown, and what it says about itself."""

    markdown: str
    title: str
    metadata: dict[str, str] = field(default_factory=dict)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """A page's text and the encoding it was read in.

    The order is the browser's: a byte-order mark, the charset the server sent,
    the one the page declares in a ``<meta>`` tag, then UTF-8 if the bytes are
    UTF-8, else windows-1252 (which decodes anything).
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    candidates = [_codec(declared)]
    match = _META_CHARSET.search(data[:8192])
    if match:
        candidates.append(_codec(match.group(1).decode("ascii", "replace")))
    for name in candidates:
        if name and not name.startswith("utf-16"):  # a <meta> cannot really say UTF-16
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def looks_like_html(text: str) -> bool:
    """Whether text (the start of a file or of standard input) is an HTML page."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower():
        return True
    return head.startswith("<") and any(tag in head for tag in ("<body", "<head", "<article"))


#: Libraries whose log lines ("discarding data", "empty HTML tree") would otherwise reach
#: stderr through Python's last-resort handler: readmark says what went wrong itself.
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


def _quiet() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _config(size: int) -> object:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max(size + 1, 20_000_000)))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def extract_article(
    html: str,
    *,
    shown: str,
    url: str = "",
    extra: Mapping[str, str] | None = None,
) -> PageArticle:
    """Find the article in a page and write it as snapshot Markdown.

    Args:
        html: The page, decoded (see :func:`decode_html`).
        shown: How messages name the page.
        url: Where the page came from (for relative links and the canonical address).
        extra: Front matter to add (``origin``, ``kind``, ``fetched``…).

    Raises:
        ArticleError: No article could be found in the page.
    """
    import trafilatura
    from trafilatura.metadata import extract_metadata

    from reader.sources.html_markdown import MarkdownWriter, to_markdown

    _quiet()
    html = _XML_DECLARATION.sub("", html, count=1)
    tree = trafilatura.load_html(html)
    if tree is None:
        raise ArticleError(f"{shown}: is not an HTML page that can be read")
    prune(tree)
    # The date search of trafilatura's default ("extensive") reads the whole page's
    # text; the page's own declarations are enough for a reader.
    meta = extract_metadata(tree, url or None, None, False)
    found = trafilatura.bare_extraction(
        tree,
        url=url or None,
        fast=len(html) > FAST_ABOVE,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
        output_format="xml",
        config=_config(len(html)),
    )
    body = getattr(found, "body", None)
    base = getattr(meta, "url", None) or url
    blocks = MarkdownWriter(base_url=url or base or "").blocks(body) if body is not None else []
    blocks = _drop_empty_headings(blocks)
    if not _readable(blocks):
        raise ArticleError(f"{shown}: no article found in the page (nothing readable was left "
                           "once menus, banners and the like were taken out)")
    title = " ".join(str(getattr(meta, "title", "") or "").split()) or _first_heading(blocks)
    metadata = {
        "title": title,
        "author": str(getattr(meta, "author", "") or ""),
        "date": str(getattr(meta, "date", "") or ""),
        "site": str(getattr(meta, "sitename", "") or ""),
        "url": _web(getattr(meta, "url", None)) or _web(url),
        **(extra or {}),
    }
    metadata = {key: value for key, value in metadata.items() if value}
    heading = "" if _starts_with_title(blocks, title) else title
    markdown = to_markdown(blocks, metadata, title_heading=heading)
    return PageArticle(markdown=markdown, title=title or "Untitled", metadata=metadata)


def _pruned(element: Any) -> bool:
    classes = (element.get("class") or "").split()
    ident = element.get("id") or ""
    if ident in PRUNED_IDS or element.get("role") == "doc-toc":
        return True
    if any(name in PRUNED_CLASSES for name in classes):
        return True
    if element.tag == "sup":  # a footnote marker: [1]
        if "reference" in classes:
            return True
        links = [a.get("href") or "" for a in element.iter("a")]
        if links and all(href.startswith(_FOOTNOTE_LINK) for href in links):
            return True
    if element.tag == "a" and "footnote-ref" in classes:
        return True
    words = " ".join(classes) + " " + ident
    return bool(words.strip()) and PRUNED_WORDS.search(words.lower()) is not None


def prune(tree: Any) -> None:
    """Take out the parts of a page that are never its article (see :data:`PRUNED_CLASSES`);
    the text after each stays."""
    doomed = [element for element in tree.iter() if isinstance(element.tag, str)
              and (element.get("class") or element.get("id") or element.tag == "sup"
                   or element.get("role")) and _pruned(element)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


#: Fewer words than this outside headings is not an article (a menu, a "page moved" notice).
MIN_WORDS = 15
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _readable(blocks: list[str]) -> bool:
    """Whether what is left is an article: some words, and not all of them links (a menu)."""
    text = "\n".join(block for block in blocks if not _level(block))
    words = len(text.split())
    linked = sum(len(match.group(1).split()) for match in _LINK.finditer(text))
    return words >= MIN_WORDS and linked < 0.8 * words


def _web(value: object) -> str:
    text = str(value or "").strip()
    return text if text.startswith(("http://", "https://")) else ""


def _first_heading(blocks: list[str]) -> str:
    for block in blocks:
        if block.startswith("#"):
            return block.lstrip("#").strip().replace("\\", "")
    return ""


def _starts_with_title(blocks: list[str], title: str) -> bool:
    if not blocks or not blocks[0].startswith("# "):
        return False
    first = " ".join(blocks[0][2:].replace("\\", "").split()).casefold()
    return not title or first == " ".join(title.split()).casefold() or first in title.casefold()


def _level(block: str) -> int:
    """A heading block's level (0 when the block is not a heading)."""
    if not block.startswith("#"):
        return 0
    hashes = len(block) - len(block.lstrip("#"))
    return hashes if hashes <= 6 and block[hashes : hashes + 1] == " " else 0


def _drop_empty_headings(blocks: list[str]) -> list[str]:
    """Headings with nothing under them (a "Contents" box's, a last "See also") are left out."""
    kept: list[str] = []
    for index, block in enumerate(blocks):
        level = _level(block)
        if level:
            after = next((b for b in blocks[index + 1 :]), None)
            if after is None or 0 < _level(after) <= level:
                continue
        kept.append(block)
    return kept
