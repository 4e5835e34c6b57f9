"""Links to a passage of a web page: the URL with a text fragment (``#:~:text=…``).

A browser that follows ``URL#:~:text=start,end`` scrolls to the passage and marks
it (the WICG Text Fragments specification). Each term is percent-encoded as the
specification's grammar asks: only ASCII letters, digits and ``!$'*+./:;=?@_~``
stay as they are (``-``, ``,`` and ``&``, which separate the parts of the
directive, are always encoded; so are ``(`` and ``)``, which are allowed but
would end a Markdown link). A term never crosses a paragraph, since browsers
match each one within a block; a passage over several paragraphs, or a long one,
is given by its first and last words. Context (``prefix-,`` and ``,-suffix``) is
added only when the passage's words occur more than once in the article, because
a page's text around a passage (footnote markers, captions) often differs from
the article readmark kept.
"""

from __future__ import annotations

import re

from reader.annotations.records import Highlight
from reader.document.model import Document

#: Characters a text directive term keeps unencoded (the rest are percent-encoded).
EXPLICIT = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!$'*+./:;=?@_~"
)
#: Passages longer than this (in characters) are given by their first and last words.
WHOLE_LIMIT = 80
#: Words in a start or end term, and in a prefix or suffix.
EDGE_WORDS = 5
CONTEXT_WORDS = 3


def encode_term(term: str) -> str:
    """One term of a text directive, percent-encoded (UTF-8) as the specification says."""
    return "".join(
        char if char in EXPLICIT else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        for char in term
    )


def _words(text: str) -> list[str]:
    return text.split()


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in re.split(r"\n", text) if part.strip()]


def text_directive(exact: str, *, prefix: str = "", suffix: str = "", article: str = "") -> str:
    """The ``text=…`` directive for the passage ``exact``.

    Args:
        exact: The passage.
        prefix: Text just before it (only its last words, on the same line, are used).
        suffix: Text just after it (its first words, on the same line).
        article: The article's whole text; context is added when the passage's
            terms occur in it more than once. Without it no context is added.
    """
    blocks = _paragraphs(exact)
    if not blocks:
        return ""
    whole = " ".join(blocks)
    if len(blocks) == 1 and len(whole) <= WHOLE_LIMIT:
        terms = [whole]
    else:
        first, last = _words(blocks[0]), _words(blocks[-1])
        if len(blocks) == 1 and len(first) <= 2 * EDGE_WORDS:
            terms = [whole]
        else:
            terms = [" ".join(first[:EDGE_WORDS]), " ".join(last[-EDGE_WORDS:])]
    parts = [encode_term(term) for term in terms]
    if article and _ambiguous(article, terms[0]):
        before = _words(prefix.rsplit("\n", 1)[-1])[-CONTEXT_WORDS:]
        after = _words(suffix.split("\n", 1)[0])[:CONTEXT_WORDS]
        if before:
            parts.insert(0, encode_term(" ".join(before)) + "-")
        if after:
            parts.append("-" + encode_term(" ".join(after)))
    return "text=" + ",".join(parts)


def _ambiguous(article: str, term: str) -> bool:
    flat = " ".join(article.split())
    first = flat.find(term)
    return first >= 0 and flat.find(term, first + 1) >= 0


def fragment_url(url: str, directive: str) -> str:
    """``url`` (without its own fragment) pointing at the passage of ``directive``."""
    if not url or not directive:
        return ""
    base = url.split("#", 1)[0]
    return f"{base}#:~:{directive}"


#: Passages of this many words or fewer are given with their context even when the article's
#: text is not at hand to tell whether they occur more than once (short ones often do).
SHORT_WORDS = 3


def passage_link(url: str, exact: str, prefix: str = "", suffix: str = "", *,
                 article: str | None = None) -> str:
    """The link that opens ``url`` at the passage ``exact`` ("" without a URL or a passage).

    Args:
        url: The web article's address.
        exact: The passage, as the article has it now.
        prefix: The text just before it (its last words on the same line are used when
            context is needed).
        suffix: The text just after it.
        article: The article's text, to tell whether the passage needs context; None when
            it is not at hand (then only short passages get context).
    """
    if not url.startswith(("http://", "https://")) or not exact.strip():
        return ""
    if article is None:
        short = len(exact.split()) <= SHORT_WORDS
        article = f"{exact} {exact}" if short else ""
    return fragment_url(url, text_directive(exact, prefix=prefix, suffix=suffix, article=article))


def link_part(url: str, exact: str, prefix: str = "", suffix: str = "") -> str:
    """`` · [source](URL#:~:text=…)`` for the line under an exported highlight ("" if none)."""
    link = passage_link(url, exact, prefix, suffix)
    return f" · [source]({link})" if link else ""


def highlight_link(url: str, highlight: Highlight, document: Document | None = None) -> str:
    """The link that opens the web article at ``highlight`` ("" for a detached one or
    an article without a web address)."""
    if not url or highlight.detached:
        return ""
    exact = highlight.quote.exact
    if document is not None and 0 <= highlight.start < highlight.end <= len(document.text):
        exact = document.text[highlight.start : highlight.end]
    return passage_link(url, exact, highlight.quote.prefix, highlight.quote.suffix,
                        article=document.text if document is not None else None)
