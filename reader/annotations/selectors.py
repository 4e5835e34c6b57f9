"""W3C Web Annotation selectors: the quoted text with its context, stored and read back.

An annotation keeps two selectors, a ``TextPositionSelector`` (the offsets) and
a ``TextQuoteSelector`` (the exact text and up to :data:`CONTEXT` characters on
either side); :mod:`reader.annotations.anchoring` uses both to find the text
again after the article changed. This module only builds and parses them.

Pure Python: no Textual, no storage imports. Offsets are ``str`` indices (code
points), half open, as everywhere in :mod:`reader.document.model`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Characters of context kept on each side of a quote.
CONTEXT = 32


@dataclass(frozen=True, slots=True)
class TextQuote:
    """The quoted text of an annotation with the context around it.

    Attributes:
        exact: The annotated text itself.
        prefix: Up to :data:`CONTEXT` characters just before it (fewer at the
            start of the text).
        suffix: Up to :data:`CONTEXT` characters just after it.
    """

    exact: str
    prefix: str = ""
    suffix: str = ""


def quote_at(text: str, start: int, end: int, context: int = CONTEXT) -> TextQuote:
    """The quote selector data for ``text[start:end]``.

    Raises:
        ValueError: If the span is not within the text; an annotation is only
            ever created on text the reader can see, so a bad span is a bug.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} is outside a text of {len(text)} characters")
    return TextQuote(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def selectors(text: str, start: int, end: int) -> list[dict]:
    """The W3C selectors stored with a new annotation on ``text[start:end]``.

    Both kinds are kept because each covers the other's weakness: offsets are
    exact but go stale on any edit before them, the quote survives edits but
    may be ambiguous.
    """
    quote = quote_at(text, start, end)
    return [
        {"type": "TextPositionSelector", "start": start, "end": end},
        {
            "type": "TextQuoteSelector",
            "exact": quote.exact,
            "prefix": quote.prefix,
            "suffix": quote.suffix,
        },
    ]


def as_offset(value: object) -> int | None:
    """A stored offset as an ``int``, or ``None`` if it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def parse_selectors(
    selectors: list[dict],
) -> tuple[tuple[int, int] | None, TextQuote | None]:
    """Read the position and quote back from stored selectors.

    Stored data outlives versions of this program and may be edited by hand or
    come from other W3C tools, so anything unexpected is skipped rather than
    raised: a missing or malformed selector comes back as ``None``, and the first
    well-formed selector of each kind wins.
    """
    position: tuple[int, int] | None = None
    quote: TextQuote | None = None
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, (list, tuple)):
        return None, None
    for item in selectors:
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind == "TextPositionSelector" and position is None:
            start, end = as_offset(item.get("start")), as_offset(item.get("end"))
            if start is not None and end is not None and 0 <= start <= end:
                position = (start, end)
        elif kind == "TextQuoteSelector" and quote is None:
            exact = item.get("exact")
            if isinstance(exact, str):
                prefix, suffix = item.get("prefix", ""), item.get("suffix", "")
                quote = TextQuote(
                    exact,
                    prefix if isinstance(prefix, str) else "",
                    suffix if isinstance(suffix, str) else "",
                )
    return position, quote
