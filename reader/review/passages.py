"""A highlight's passage: the highlighted text with a sentence of context each side.

The context comes from the article itself when it can be read and the highlight
is still found in it, else from the short context stored with the highlight.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

from reader.annotations.records import anchor_records
from reader.annotations.selectors import TextQuote
from reader.document.model import BlockKind, Document
from reader.review.queue import ReviewItem

__all__ = [
    "Passage",
    "PassageLoader",
]


@dataclass(frozen=True, slots=True)
class Passage:
    """The highlighted text with a sentence of context on each side.

    ``before`` ends where the highlight starts and ``after`` starts where it
    ends (each may hold part of the highlight's own sentence). ``from_article``
    is False when the article could not be read and the context is the short
    one stored with the highlight.
    """

    before: str
    text: str
    after: str
    from_article: bool = True


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _edge_spaced(text: str, *, leading: bool) -> str:
    """Whitespace runs made one space, keeping one space at the edge next to the highlight."""
    flat = _one_line(text)
    if not flat:
        return ""
    if leading and text[-1:].isspace():
        return flat + " "
    if not leading and text[:1].isspace():
        return " " + flat
    return flat


def passage_from_quote(quote: TextQuote) -> Passage:
    """The stored context (a few words each side), cut to whole words with "…"."""
    before = quote.prefix
    if before and not before[0].isspace() and " " in before:
        before = "…" + before.split(" ", 1)[1]
    after = quote.suffix
    if after and not after[-1].isspace() and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return Passage(_edge_spaced(before, leading=True), _one_line(quote.exact),
                   _edge_spaced(after, leading=False), from_article=False)


def passage_in(document: Document, start: int, end: int) -> Passage:
    """The highlight at ``text[start:end]`` of a parsed document, with the sentence
    before and after it (not across a heading)."""
    text = document.text
    if not document.sentence_starts:
        return Passage("", _one_line(text[start:end]), "")
    first = document.sentence_index_at(start)
    last = document.sentence_index_at(max(start, end - 1))
    lead_from = document.sentence_starts[first] if document.sentence_starts[first] <= start \
        else start
    tail_to = max(end, document.sentence_ends[last])
    if first > 0 and not _heading_between(document, document.sentence_starts[first - 1], start):
        lead_from = min(lead_from, document.sentence_starts[first - 1])
    if last + 1 < len(document.sentence_starts) and not _heading_between(
            document, end, document.sentence_starts[last + 1]):
        tail_to = document.sentence_ends[last + 1]
    return Passage(_edge_spaced(text[lead_from:start], leading=True),
                   _one_line(text[start:end]),
                   _edge_spaced(text[end:tail_to], leading=False))


def _heading_between(document: Document, start: int, end: int) -> bool:
    """Whether a heading lies in ``text[start:end]`` (context never crosses a section)."""
    first, last = document.block_index_at(start), document.block_index_at(end)
    return first >= 0 and any(document.blocks[index].kind == BlockKind.HEADING
                              for index in range(first, last + 1))


class PassageLoader:
    """Finds each highlight in its article to give it context; keeps a few parsed
    articles, since a session often shows several highlights of one article.

    Thread-safe: the screen loads the next card's passage in a worker.
    """

    def __init__(self, size: int = 8) -> None:
        self._documents: OrderedDict[tuple[str, int, int], Document] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def passage(self, item: ReviewItem) -> Passage:
        """The passage of ``item``; from the stored quote when the article cannot be read
        or the highlight is no longer found in it."""
        document = self.document(item.path)
        if document is not None:
            found = anchor_records(document, [item.record]).highlights[0]
            if not found.detached:
                return passage_in(document, found.start, found.end)
        return passage_from_quote(item.quote)

    def document(self, path: str) -> Document | None:
        """The parsed article at ``path`` (cached while the file is unchanged), or None."""
        if not path:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        key = (path, info.st_mtime_ns, info.st_size)
        with self._lock:
            if key in self._documents:
                self._documents.move_to_end(key)
                return self._documents[key]
        from reader.sources.loader import ArticleError, parse_article, read_article

        try:
            document = parse_article(read_article(path))
        except (ArticleError, OSError, ValueError):
            return None
        with self._lock:
            self._documents[key] = document
            while len(self._documents) > self._size:
                self._documents.popitem(last=False)
        return document
