"""Re-anchoring annotations to a text that may have changed since they were made.

Every annotation points at ``Document.text[start:end]``. Articles change (a typo
fixed, a paragraph added, the file moved), so an offset alone goes stale. Like
the Hypothesis annotation client, an annotation therefore keeps two W3C Web
Annotation selectors: a ``TextPositionSelector`` (the offsets) and a
``TextQuoteSelector`` (the exact text and up to :data:`CONTEXT` characters on
either side). Opening an article re-anchors each annotation in four steps:

1. **position** — the stored offsets still hold the exact quote (and at least
   one side of its context still agrees, so a coincidental copy that slid
   under the old offsets is not taken for it);
2. **quote** — the exact quote occurs elsewhere: the occurrence whose context
   agrees over the most characters wins, the one nearest the old position
   breaking ties;
3. **fuzzy** — an approximate match of the quote (edit distance), scored on the
   quote, its context and nearness, searched first in a window around the old
   position and then in the whole text; a quote too short to tolerate an edit
   is found through its context instead, and only when that context is strong;
4. nothing passes: ``None``. The caller keeps the annotation as *detached*;
   this module never deletes anything.

The selectors are built and read back by :mod:`reader.annotations.selectors`;
the approximate search is :class:`reader.annotations.fuzzy.FuzzyMatcher`.

Pure Python: no Textual, no storage imports. Offsets are ``str`` indices (code
points), half open, as everywhere in :mod:`reader.document.model`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.annotations.fuzzy import FuzzyMatcher, align_cuts, levenshtein, prefix_distance
from reader.annotations.selectors import CONTEXT, TextQuote, as_offset

#: Characters searched on either side of the old position before the whole text.
WINDOW = 4096

#: How well the context must still agree for a quote too short to fuzzy-match on its own.
STRONG_CONTEXT = 0.8

#: Least context (prefix plus suffix) that can vouch for a short quote.
MIN_CONTEXT = 8

# Weights of the fuzzy score: the quote matters most, its context decides
# between similar candidates, nearness only nudges.
_W_QUOTE = 0.70
_W_CONTEXT = 0.25
_W_NEAR = 0.05


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where an annotation landed in the current text.

    Attributes:
        start: Offset of the first annotated character.
        end: Offset just past the last one (``start < end``).
        method: ``"position"``, ``"quote"`` or ``"fuzzy"``: which step found it,
            so the UI can flag annotations whose text changed.
        score: 1.0 for the exact methods, else the fuzzy match score in [0, 1].
    """

    start: int
    end: int
    method: str
    score: float


def anchor(
    text: str,
    position: tuple[int, int] | None,
    quote: TextQuote,
    *,
    threshold: float = 0.75,
) -> Anchor | None:
    """Find where an annotation belongs in ``text``, or ``None`` if it is gone.

    Args:
        text: The document text as it is now.
        position: The stored ``(start, end)``, or ``None`` if there is none;
            out-of-range values are tolerated (used only as a hint).
        quote: The stored quote and context.
        threshold: Least fuzzy score (and least similarity of the quote itself)
            accepted, in [0, 1]; lower finds more, and more wrongly.

    Returns:
        The anchor, always a non-empty span within the text, or ``None`` when
        no step found the quote (also for an empty quote or an empty text).
    """
    return _Anchorer(text).anchor(position, quote, threshold)


def anchor_all(
    text: str,
    items: Sequence[tuple[tuple[int, int] | None, TextQuote]],
    *,
    threshold: float = 0.75,
) -> list[Anchor | None]:
    """Anchor many annotations on one text; the same results as :func:`anchor` each.

    Faster because the per-text work (the character index used by the
    approximate search and its per-character bit masks) is built once and
    shared, instead of once per annotation.
    """
    anchorer = _Anchorer(text)
    return [anchorer.anchor(position, quote, threshold) for position, quote in items]


# --------------------------------------------------------------------------- engine


class _Anchorer:
    """Anchors annotations on one text, caching what the searches share.

    The approximate search and its per-character masks belong to one
    :class:`~reader.annotations.fuzzy.FuzzyMatcher` per text, built lazily and
    shared by every annotation anchored through this object.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._matcher = FuzzyMatcher(text)

    # ------------------------------------------------------------------ steps

    def anchor(
        self,
        position: tuple[int, int] | None,
        quote: TextQuote,
        threshold: float = 0.75,
        window: int = WINDOW,
    ) -> Anchor | None:
        """Run the four steps for one annotation (``window=0``: no window search)."""
        text = self.text
        # Stored data is not trusted to be well typed; a missing quote anchors nothing.
        exact, prefix, suffix = (getattr(quote, name, "") for name in ("exact", "prefix", "suffix"))
        exact = exact if isinstance(exact, str) else ""
        prefix = prefix if isinstance(prefix, str) else ""
        suffix = suffix if isinstance(suffix, str) else ""
        if not text or not exact:
            return None
        threshold = min(1.0, max(0.0, float(threshold)))
        span, hint = _read_position(position, len(text))

        # 1. The old offsets still hold the quote.
        if span is not None and text.startswith(exact, span[0]) and span[1] - span[0] == len(exact):
            start, end = span
            if text.endswith(prefix, 0, start) or text.startswith(suffix, end):
                return Anchor(start, end, "position", 1.0)

        # 2. The quote occurs elsewhere (or here, with its context changed).
        start = self._exact(exact, prefix, suffix, hint)
        if start is not None:
            method = "position" if span == (start, start + len(exact)) else "quote"
            return Anchor(start, start + len(exact), method, 1.0)

        # 3. An approximate match: first near the old place, then anywhere.
        regions: list[tuple[int, int]] = []
        if hint is not None and window > 0:
            reach = window + len(exact) + len(prefix) + len(suffix)
            regions.append((max(0, hint[0] - reach), min(len(text), hint[1] + reach)))
        if not regions or regions[0] != (0, len(text)):
            regions.append((0, len(text)))
        for low, high in regions:
            found = self._fuzzy(exact, prefix, suffix, hint, threshold, low, high)
            if found is not None:
                return found
        # 4. Detached.
        return None

    def _exact(
        self, exact: str, prefix: str, suffix: str, hint: tuple[int, int] | None
    ) -> int | None:
        """Start of the best exact occurrence of ``exact``, or ``None``.

        "Best" is the most characters of context agreeing right next to the
        match, then nearness to the old start, then the earlier one. An
        occurrence with its whole stored context scores the most possible, so
        those are looked for first (and near the old place first), which spares
        scoring every occurrence of a common phrase.
        """
        text = self.text
        whole = prefix + exact + suffix
        if hint is None:
            at = text.find(whole)
            if at >= 0:
                return at + len(prefix)
        else:
            at = self._nearest(whole, len(prefix), hint[0])
            if at is not None:
                return at
        best: tuple[int, int, int] | None = None
        at = text.find(exact)
        while at >= 0:
            agree = _agree_before(text, at, prefix) + _agree_after(text, at + len(exact), suffix)
            key = (agree, -abs(at - hint[0]) if hint is not None else 0, -at)
            if best is None or key > best:
                best = key
            at = text.find(exact, at + 1)
        return None if best is None else -best[2]

    def _nearest(self, needle: str, offset: int, hint: int) -> int | None:
        """The ``at + offset`` nearest ``hint`` over occurrences ``at`` of ``needle``.

        Looks within :data:`WINDOW` of the hint first: a hit there at distance
        ``d <= WINDOW`` cannot be beaten by anything outside, so the full scan
        only runs when the text moved far (or the needle is gone).
        """
        text = self.text
        for low, high in (
            (max(0, hint - WINDOW - offset), hint + WINDOW - offset + len(needle)),
            (0, len(text)),
        ):
            best: tuple[int, int] | None = None
            at = text.find(needle, low, high)
            while at >= 0:
                key = (abs(at + offset - hint), at)
                if best is None or key < best:
                    best = key
                at = text.find(needle, at + 1, high)
            if best is not None:
                return best[1] + offset
        return None

    def _fuzzy(
        self,
        exact: str,
        prefix: str,
        suffix: str,
        hint: tuple[int, int] | None,
        threshold: float,
        low: int,
        high: int,
    ) -> Anchor | None:
        """The best approximate match within ``text[low:high]`` that passes, or ``None``."""
        text = self.text
        size = len(exact)
        budget = min(size - 1, int((1.0 - threshold) * size + 1e-9))
        by_context = budget < 1
        if by_context:
            # Too short to tolerate a single edit: only its context can find it.
            if len(prefix) + len(suffix) < MIN_CONTEXT:
                return None
            pattern = prefix + exact + suffix
            budget = min(len(pattern) - 1, int((1.0 - threshold) * len(pattern) + 1e-9))
            expected = None if hint is None else hint[1] + len(suffix)
        else:
            pattern = exact
            expected = None if hint is None else hint[1]

        best: tuple[float, int, int] | None = None
        best_anchor: Anchor | None = None
        seen: set[tuple[int, int]] = set()
        for start, end, distance in self._matcher.approximate(pattern, budget, low, high, expected):
            if by_context:
                left, right = align_cuts(pattern, text[start:end], len(prefix), len(prefix) + size)
                span = _trim(text, start + left, start + right, exact, prefix, suffix)
                similarity = 1.0 - distance / len(pattern)
            else:
                span = _trim(text, start, end, exact, prefix, suffix)
                similarity = (
                    0.0
                    if span is None
                    else 1.0 - levenshtein(exact, text[span[0] : span[1]]) / size
                )
            if span is None or span in seen:
                continue
            seen.add(span)
            if similarity < threshold:
                continue
            context = self._context_similarity(prefix, suffix, *span)
            if by_context and (context is None or context < STRONG_CONTEXT):
                continue
            nearness = (
                None if hint is None else 1.0 - min(abs(span[0] - hint[0]), len(text)) / len(text)
            )
            score = _combine(similarity, context, nearness)
            if score < threshold:
                continue
            key = (score, -abs(span[0] - hint[0]) if hint is not None else 0, -span[0])
            if best is None or key > best:
                best = key
                best_anchor = Anchor(span[0], span[1], "fuzzy", round(score, 4))
        return best_anchor

    def _context_similarity(self, prefix: str, suffix: str, start: int, end: int) -> float | None:
        """How well the stored context still matches around ``text[start:end]``, in [0, 1].

        ``None`` when nothing was stored (the quote was the whole text). Each side
        is aligned with a little slack so an insertion next to the quote costs
        only its own length.
        """
        total = len(prefix) + len(suffix)
        if total == 0:
            return None
        text = self.text
        errors = 0
        if prefix:
            before = text[max(0, start - len(prefix) - len(prefix) // 4 - 1) : start]
            errors += prefix_distance(prefix[::-1], before[::-1])
        if suffix:
            after = text[end : end + len(suffix) + len(suffix) // 4 + 1]
            errors += prefix_distance(suffix, after)
        return max(0.0, 1.0 - errors / total)


# --------------------------------------------------------------------------- helpers


def _read_position(
    position: object, size: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The stored span if it is valid for this text, and a clamped hint of where it was."""
    try:
        start, end = position  # type: ignore[misc]
    except (TypeError, ValueError):
        return None, None
    start, end = as_offset(start), as_offset(end)
    if start is None or end is None:
        return None, None
    span = (start, end) if 0 <= start < end <= size else None
    low = min(max(start, 0), size)
    return span, (low, min(max(end, low), size))


def _agree_before(text: str, at: int, prefix: str) -> int:
    """How many characters of the end of ``prefix`` match the text just before ``at``."""
    low, high = 0, min(len(prefix), at)
    while low < high:
        middle = (low + high + 1) // 2
        if text.endswith(prefix[len(prefix) - middle :], 0, at):
            low = middle
        else:
            high = middle - 1
    return low


def _agree_after(text: str, at: int, suffix: str) -> int:
    """How many characters of the start of ``suffix`` match the text from ``at`` on."""
    low, high = 0, min(len(suffix), len(text) - at)
    while low < high:
        middle = (low + high + 1) // 2
        if text.startswith(suffix[:middle], at):
            low = middle
        else:
            high = middle - 1
    return low


def _combine(quote: float, context: float | None, nearness: float | None) -> float:
    """The fuzzy score: a weighted mean over the parts that are known."""
    total, weight = _W_QUOTE * quote, _W_QUOTE
    if context is not None:
        total += _W_CONTEXT * context
        weight += _W_CONTEXT
    if nearness is not None:
        total += _W_NEAR * nearness
        weight += _W_NEAR
    return total / weight


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _trim(
    text: str, start: int, end: int, exact: str, prefix: str, suffix: str
) -> tuple[int, int] | None:
    """Tidy the edges of a fuzzy match the way the quote's own edges were.

    An alignment is free to swallow the space next to a word, or to stop inside
    a changed word, whenever that costs no more edits. A highlight that starts
    or ends in whitespace, or cuts a word that the original highlight did not
    cut, looks wrong and would drift further on every re-anchoring. So
    whitespace is dropped from an edge unless the quote has it there, and an
    edge that was on a word boundary (the quote's edge is a word character and
    its context is not) is moved out to the end of the word it landed in.

    Returns:
        The tidied span, or ``None`` if nothing is left of it.
    """
    size = len(text)
    start, end = max(0, start), min(size, end)
    if not exact[:1].isspace():
        while start < end and text[start].isspace():
            start += 1
    if not exact[-1:].isspace():
        while end > start and text[end - 1].isspace():
            end -= 1
    if start >= end:
        return None
    if _is_word(exact[0]) and not (prefix and _is_word(prefix[-1])):
        limit = max(0, start - CONTEXT)
        while start > limit and _is_word(text[start - 1]) and _is_word(text[start]):
            start -= 1
    if _is_word(exact[-1]) and not (suffix and _is_word(suffix[0])):
        limit = min(size, end + CONTEXT)
        while end < limit and _is_word(text[end]) and _is_word(text[end - 1]):
            end += 1
    return start, end
