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

The approximate search is a bit-parallel edit-distance computation (Myers'
method) laid out so that Python's arbitrary-size integers carry one bit per
*text* position and the loop runs over the (short) quote: the per-character
work happens inside the integer operations, in C, which makes searching a
megabyte of text for a sentence take tens of milliseconds in pure Python.

Pure Python: no Textual, no storage imports. Offsets are ``str`` indices (code
points), half open, as everywhere in :mod:`reader.document.model`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import sub

#: Characters of context kept on each side of a quote.
CONTEXT = 32

#: Characters searched on either side of the old position before the whole text.
WINDOW = 4096

#: Approximate matches examined per search; the rest (worse or farther) are dropped.
MAX_CANDIDATES = 32

#: How well the context must still agree for a quote too short to fuzzy-match on its own.
STRONG_CONTEXT = 0.8

#: Least context (prefix plus suffix) that can vouch for a short quote.
MIN_CONTEXT = 8

# Weights of the fuzzy score: the quote matters most, its context decides
# between similar candidates, nearness only nudges.
_W_QUOTE = 0.70
_W_CONTEXT = 0.25
_W_NEAR = 0.05

#: Byte code shared by characters too rare to get their own code (see ``_Anchorer``).
_OTHER = 255

#: Number of set bits of each byte value.
_POPCOUNT = bytes(bin(value).count("1") for value in range(256))


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


def _as_offset(value: object) -> int | None:
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
            start, end = _as_offset(item.get("start")), _as_offset(item.get("end"))
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

    The approximate search needs, for each character of the pattern, a bit
    mask of where that character occurs in the searched stretch of text. To
    build those at C speed the text is re-coded once into one byte per
    character (the 255 most frequent characters get their own code, the rest
    share :data:`_OTHER` and are located one by one); a mask is then a
    ``bytes.translate`` plus a base-2 ``int`` parse. Whole-text masks are
    cached, since many annotations draw on the same alphabet.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._codes_reversed: bytes | None = None
        self._code_of: dict[str, int] = {}
        self._tables: dict[int, bytes] = {}
        self._full_masks: dict[str, int] = {}

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
        for start, end, distance in self._approximate(pattern, budget, low, high, expected):
            if by_context:
                left, right = _align_cuts(pattern, text[start:end], len(prefix), len(prefix) + size)
                span = _trim(text, start + left, start + right, exact, prefix, suffix)
                similarity = 1.0 - distance / len(pattern)
            else:
                span = _trim(text, start, end, exact, prefix, suffix)
                similarity = (
                    0.0
                    if span is None
                    else 1.0 - _levenshtein(exact, text[span[0] : span[1]]) / size
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

    def _approximate(
        self, pattern: str, budget: int, low: int, high: int, expected: int | None
    ) -> list[tuple[int, int, int]]:
        """Spans of ``text[low:high]`` within ``budget`` edits of ``pattern``.

        Returns ``(start, end, distance)`` for the best end of each local group
        of good ends (at most :data:`MAX_CANDIDATES`, the closest matches first,
        then the nearest to ``expected``), each with the start that fits it best.
        """
        length = high - low
        if length <= 0:
            return []
        masks = self._masks(pattern, low, high)
        plus, minus = _last_row(pattern, masks, length, anchored=False)
        ends = _local_minima(_ends_within(plus, minus, length, len(pattern), budget))
        ends.sort(
            key=lambda item: (
                item[1],
                abs(low + item[0] - expected) if expected is not None else 0,
                item[0],
            )
        )
        found = []
        for end, distance in ends[:MAX_CANDIDATES]:
            end += low
            seg_start = max(low, end - len(pattern) - budget)
            taken = _best_start(pattern, self.text[seg_start:end])
            found.append((end - taken, end, distance))
        return found

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
            errors += _prefix_distance(prefix[::-1], before[::-1])
        if suffix:
            after = text[end : end + len(suffix) + len(suffix) // 4 + 1]
            errors += _prefix_distance(suffix, after)
        return max(0.0, 1.0 - errors / total)

    # ------------------------------------------------------------------ masks

    def _masks(self, pattern: str, low: int, high: int) -> dict[str, int]:
        """For each character of ``pattern``, the bits of ``text[low:high]`` holding it."""
        if high - low <= 256:
            return _string_masks(self.text[low:high])
        self._ensure_codes()
        whole = low == 0 and high == len(self.text)
        masks: dict[str, int] = {}
        for char in set(pattern):
            if whole and char in self._full_masks:
                masks[char] = self._full_masks[char]
                continue
            mask = self._mask(char, low, high)
            if whole:
                self._full_masks[char] = mask
            masks[char] = mask
        return masks

    def _ensure_codes(self) -> None:
        if self._codes_reversed is not None:
            return
        text = self.text
        alphabet = set(text)
        if len(alphabet) > _OTHER:
            ranked = [char for char, _ in Counter(text).most_common(_OTHER)]
        else:
            ranked = sorted(alphabet)
        self._code_of = {char: code for code, char in enumerate(ranked)}
        table = {ord(char): _OTHER for char in alphabet}
        table.update({ord(char): code for char, code in self._code_of.items()})
        self._codes_reversed = text.translate(table).encode("latin-1")[::-1]

    def _mask(self, char: str, low: int, high: int) -> int:
        text = self.text
        code = self._code_of.get(char)
        if code is None:
            # A rare character (or one absent from the text): locate it directly.
            mask = 0
            at = text.find(char, low, high)
            while at >= 0:
                mask |= 1 << (at - low)
                at = text.find(char, at + 1, high)
            return mask
        table = self._tables.get(code)
        if table is None:
            table = bytes(ord("1") if value == code else ord("0") for value in range(256))
            self._tables[code] = table
        size = len(text)
        codes = self._codes_reversed or b""
        digits = codes[size - high : size - low].translate(table)
        return int(digits, 2)


# --------------------------------------------------------------------------- helpers


def _read_position(
    position: object, size: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The stored span if it is valid for this text, and a clamped hint of where it was."""
    try:
        start, end = position  # type: ignore[misc]
    except (TypeError, ValueError):
        return None, None
    start, end = _as_offset(start), _as_offset(end)
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


def _string_masks(segment: str) -> dict[str, int]:
    """Bit masks of where each character occurs in a short string."""
    masks: dict[str, int] = {}
    for index, char in enumerate(segment):
        masks[char] = masks.get(char, 0) | (1 << index)
    return masks


def _last_row(
    pattern: str, masks: dict[str, int], length: int, *, anchored: bool
) -> tuple[int, int]:
    """The last row of the edit-distance table of ``pattern`` against a text, as deltas.

    Row ``i`` of the table holds, for every text prefix length ``j``, the cost
    ``D[i][j]`` of turning ``pattern[:i]`` into a piece of text ending at ``j``:
    with ``anchored`` that piece must start at 0 (plain edit distance), without
    it the piece may start anywhere (``D[0][j] == 0``: searching). Neighbouring
    cells of a row differ by -1, 0 or +1, so a row is two bit sets over ``j``:
    where it goes up (``plus``) and where it goes down (``minus``). Going from
    one row to the next is then a fixed handful of integer operations on those
    sets, which is Myers' bit-vector algorithm with the text, not the pattern,
    along the bits; ``D[i][0] == i`` enters as the constant carry-in of 1.

    Bits at and above ``length`` collect harmless garbage (information only
    ever flows towards higher bits), so nothing is masked inside the loop.

    Returns:
        ``(plus, minus)`` with bit ``j - 1`` describing ``D[m][j] - D[m][j - 1]``.
    """
    full = (1 << length) - 1
    plus = full if anchored else 0
    minus = 0
    for char in pattern:
        match = masks.get(char, 0)
        across = match | minus
        along = (((match & plus) + plus) ^ plus) | match
        rise = minus | (full ^ (along | plus))
        fall = plus & along
        rise = (rise << 1) | 1
        fall <<= 1
        plus = fall | (full ^ (across | rise))
        minus = rise & across
    return plus & full, minus & full


def _row_values(plus: int, minus: int, length: int, first: int) -> list[int]:
    """The values of a row from its deltas; for short rows only."""
    values = [first]
    value = first
    for index in range(length):
        value += ((plus >> index) & 1) - ((minus >> index) & 1)
        values.append(value)
    return values


def _ends_within(
    plus: int, minus: int, length: int, first: int, budget: int
) -> list[tuple[int, int]]:
    """``(j, D[m][j])`` for every ``j`` (1-based) whose value is at most ``budget``.

    A row of a megabyte of text cannot be walked position by position in
    Python, so it is walked eight positions (one byte of each delta set) at a
    time with C-level tools: per-byte population counts by ``bytes.translate``
    and running totals by ``itertools.accumulate`` give each byte's starting
    value, and its lowest possible value (the start minus the byte's downward
    steps). Only bytes that could reach ``budget`` are examined bit by bit,
    which in practice means the neighbourhood of real matches.
    """
    size = (length + 7) // 8
    ups = plus.to_bytes(size, "little")
    downs = minus.to_bytes(size, "little")
    rises = list(accumulate(ups.translate(_POPCOUNT), initial=0))
    falls = list(accumulate(downs.translate(_POPCOUNT), initial=0))
    # rises[g] - falls[g + 1]: the start of byte g lowered by every fall inside it.
    lowest = list(map(sub, rises, falls[1:]))
    limit = budget - first
    found: list[tuple[int, int]] = []
    chunk = 512
    for base in range(0, size, chunk):
        if min(lowest[base : base + chunk]) > limit:
            continue
        for group in range(base, min(base + chunk, size)):
            if lowest[group] > limit:
                continue
            value = first + rises[group] - falls[group]
            up, down = ups[group], downs[group]
            for bit in range(min(8, length - group * 8)):
                value += ((up >> bit) & 1) - ((down >> bit) & 1)
                if value <= budget:
                    found.append((group * 8 + bit + 1, value))
    return found


def _local_minima(ends: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The bottom of each dip among consecutive good ends (the last end of a flat bottom).

    Ends next to a match are good too (one more edit each); keeping only each
    dip's bottom leaves one candidate per match, and the last of a tie keeps a
    substituted final character inside the span.
    """
    minima: list[tuple[int, int]] = []
    index, count = 0, len(ends)
    while index < count:
        # A flat stretch: consecutive ends with one value.
        last = index
        while (
            last + 1 < count
            and ends[last + 1][0] == ends[last][0] + 1
            and ends[last + 1][1] == ends[index][1]
        ):
            last += 1
        value = ends[index][1]
        lower_before = (
            index > 0 and ends[index - 1][0] == ends[index][0] - 1 and (ends[index - 1][1] < value)
        )
        lower_after = (
            last + 1 < count
            and ends[last + 1][0] == ends[last][0] + 1
            and (ends[last + 1][1] < value)
        )
        if not lower_before and not lower_after:
            minima.append(ends[last])
        index = last + 1
    return minima


def _best_start(pattern: str, segment: str) -> int:
    """How many characters at the end of ``segment`` best match ``pattern``.

    Runs the anchored table on both strings reversed, so every row value is
    the cost of the pattern against one suffix of the segment; ties go to the
    length nearest the pattern's, then the longer.
    """
    reversed_segment = segment[::-1]
    plus, minus = _last_row(
        pattern[::-1], _string_masks(reversed_segment), len(segment), anchored=True
    )
    values = _row_values(plus, minus, len(segment), len(pattern))
    size = len(pattern)
    return min(range(len(values)), key=lambda taken: (values[taken], abs(taken - size), -taken))


def _prefix_distance(pattern: str, segment: str) -> int:
    """Fewest edits turning ``pattern`` into some prefix of ``segment``."""
    if not segment:
        return len(pattern)
    plus, minus = _last_row(pattern, _string_masks(segment), len(segment), anchored=True)
    return min(_row_values(plus, minus, len(segment), len(pattern)))


def _levenshtein(first: str, second: str) -> int:
    """The edit distance between two strings (unit costs)."""
    if not first or not second:
        return len(first) + len(second)
    plus, minus = _last_row(first, _string_masks(second), len(second), anchored=True)
    return len(first) + plus.bit_count() - minus.bit_count()


def _align_cuts(pattern: str, segment: str, left: int, right: int) -> tuple[int, int]:
    """Where ``pattern[left:right]`` lies in ``segment`` under a best alignment of the two.

    Used for quotes too short to search for on their own: the quote with its
    context was found, and this says which part of the found text corresponds
    to the quote. Text inserted at the quote's edges is counted as the quote's.
    The table is small (the context is bounded), so plain Python is fine.
    """
    rows, cols = len(pattern), len(segment)
    table = [list(range(cols + 1))]
    for i in range(1, rows + 1):
        row = [i] + [0] * cols
        above = table[-1]
        char = pattern[i - 1]
        for j in range(1, cols + 1):
            row[j] = min(
                above[j - 1] + (char != segment[j - 1]),
                above[j] + 1,
                row[j - 1] + 1,
            )
        table.append(row)
    # Walk back from the end, noting the columns visited on the two boundary rows.
    visited: dict[int, list[int]] = {left: [], right: []}
    i, j = rows, cols
    while True:
        if i in visited:
            visited[i].append(j)
        if i == 0 and j == 0:
            break
        if (
            i > 0
            and j > 0
            and table[i][j] == table[i - 1][j - 1] + (pattern[i - 1] != segment[j - 1])
        ):
            i, j = i - 1, j - 1
        elif j > 0 and table[i][j] == table[i][j - 1] + 1:
            j -= 1
        else:
            i -= 1
    return min(visited[left]), max(visited[right])
