"""Split a block of prose into sentence spans for the reading cursor.

The reader moves sentence by sentence, so a wrong break is visible at once: a
cursor stopping after "Dr." or "e.g." feels broken, while a sentence that runs
a little long is barely noticed.  The rules therefore lean towards *not*
breaking when in doubt.  Everything is done with offsets into the original
text (no copies of the article) and a compiled regex that only stops at
plausible sentence ends, because the splitter runs over every paragraph of
multi-megabyte articles while the document is being built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain

__all__ = ["split_sentences"]

#: Closing quotes and brackets that belong to the sentence they follow.
_CLOSERS = "\"'’”»›)]}」』）】〉》"
#: Characters that may open a new sentence (besides letters and digits).
_OPENERS = frozenset("\"'‘“«‹([{¿¡「『（【〈《$€£¥₹#")
#: After "?" or "!", these mean the sentence goes on ("Why?" — she asked).
_CONTINUATION = frozenset(",;:—–-)]}”’»…")
#: Full stops of CJK scripts; they need no whitespace after them.
_CJK_TERMINALS = "。！？｡"

_CLOSE = re.escape(_CLOSERS)
_CJK = re.escape(_CJK_TERMINALS)
#: A candidate sentence end: terminal punctuation plus closing quotes/brackets
#: (group "b"), then the whitespace that separates it from the next sentence.
#: Latin punctuation must be followed by whitespace, which keeps decimals,
#: URLs and inner dots of "e.g." out of the Python loop; CJK full stops need
#: none.  Starting with a single character class lets the regex engine skip
#: quickly over the text between candidates; the lookbehind only lets a match
#: start at the beginning of a run of punctuation, so a long run ("......")
#: is not rescanned from every position (which would be quadratic).
_RUN_REST = (
    rf"(?:(?<=[{_CJK}])[.!?…‽{_CJK}]*[{_CLOSE}]*"
    rf"|[.!?…‽]*[{_CJK}][.!?…‽{_CJK}]*[{_CLOSE}]*"
    rf"|[.!?…‽]*[{_CLOSE}]*(?=\s)))\s*"
)
_CANDIDATE = re.compile(rf"(?P<b>[.!?…‽{_CJK}](?<![.!?…‽{_CJK}][.!?…‽{_CJK}])" + _RUN_REST)
#: The same without the lookbehind, for a run right at the start of the range
#: (the lookbehind would otherwise see punctuation before the range).
_CANDIDATE_AT = re.compile(rf"(?P<b>[.!?…‽{_CJK}]" + _RUN_REST)
_TERMINALS = frozenset(".!?…‽" + _CJK_TERMINALS)
_NON_SPACE = re.compile(r"\S")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
#: Initialisms written with dots: U.S., U.K., a.m., p.m., e.g., U.S.A.
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z][a-z]\.[A-Z]")
#: Things that number a list item when they open a sentence: "1.", "b.", "IV.".
_ENUMERATOR = re.compile(
    r"\d{1,3}|[A-Za-z]"
    r"|(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
    r"|(?=[mdclxvi])m{0,3}(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})"
)


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


#: Abbreviations that (almost) never end a sentence, compared lower-cased.
_NEVER_FINAL = _words(
    """
    mr mrs ms mx messrs mme mlle dr drs prof profs rev hon st mt
    gen col capt cpt lt sgt cmdr adm gov sen rep pres supt insp det
    vs v cf viz e.g i.e fig figs eq eqs pp vol vols ch chap approx esp
    """
)
#: Abbreviations that only stay in the sentence when a number follows:
#: "No. 5", "Jan. 3", "p. 12", "ca. 1500" (but "No. I won't." breaks).
_BEFORE_NUMBER = _words(
    """
    no nos nr p art sec ca c op ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
#: Capitalised words that usually begin a sentence.  After an initial or an
#: initialism ("J.", "U.S.") a capitalised word is normally a name ("J. R. R.
#: Tolkien", "U.S. Army"), unless it is one of these.
_SENTENCE_STARTERS = _words(
    """
    A An The I It He She We You They This That These Those There Here Then
    But And Or So Yet If In On At As By For From With After Before When While
    Where Why How What Who Which Its His Her Our Their My Your Some Many Most
    No Not One All Each Every Both However Meanwhile Still Also Although
    Today Now Later Instead Since Because Even Only Once
    """
)
#: Opening quotes/brackets stripped from the front of a word before lookup.
_OPENER_CHARS = "\"'‘“«‹([{¿¡"
_MAX_TOKEN = 32


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return the sentence spans of ``text[start:end]`` as absolute offsets.

    Spans are in order, non-overlapping, trimmed of whitespace, non-empty,
    and together cover every non-whitespace character of the range.
    """
    start = max(start, 0)
    end = len(text) if end is None else min(end, len(text))
    if start >= end:
        return []
    spans: list[tuple[int, int]] = []
    first = _NON_SPACE.search(text, start, end)
    if first is None:
        return []
    pos = first.start()
    candidates: Iterable[re.Match[str]] = _CANDIDATE.finditer(text, pos, end)
    if pos > 0 and text[pos - 1] in _TERMINALS:
        head = _CANDIDATE_AT.match(text, pos, end)
        if head is not None:
            candidates = chain((head,), _CANDIDATE.finditer(text, head.end(), end))
    for m in candidates:
        following = m.end()
        if following >= end:
            break  # only whitespace left: the tail below closes the sentence
        body_end = m.end("b")
        if _is_break(text, pos, m.start(), m.group("b"), following, end):
            spans.append((pos, body_end))
            pos = following
    tail = text[pos:end].rstrip()
    if tail:
        spans.append((pos, pos + len(tail)))
    return spans


def _is_break(text: str, pos: int, punct_at: int, body: str, following: int, end: int) -> bool:
    """Decide whether the candidate ``body`` at ``punct_at`` ends a sentence.

    ``pos`` is where the current sentence starts and ``following`` the first
    character after the whitespace (always < ``end``).
    """
    punct = body.rstrip(_CLOSERS)
    nxt = text[following]
    if not punct.isascii() and any(ch in _CJK_TERMINALS for ch in punct):
        return True
    if "?" in punct or "!" in punct or "‽" in punct:
        # "“Why?” she asked." / "Wait?! no" keep going.
        return not (nxt.islower() or nxt in _CONTINUATION)
    # Only "." and "…" are left.  A lowercase word never starts a sentence.
    starter = nxt.isdigit() or nxt in _OPENERS or (nxt.isalpha() and not nxt.islower())
    if not starter:
        return False
    if len(punct) > 1 or "…" in punct:
        return True  # ellipsis before a capitalised word: "Wait… What?"
    token_start, token = _token_before(text, pos, punct_at)
    if not token:
        return True
    word = token.lower()
    if word in _NEVER_FINAL:
        return False
    if word in _BEFORE_NUMBER and nxt.isdigit():
        return False
    if body == "." and _ENUMERATOR.fullmatch(token) and _opens_item(text, pos, token_start):
        return False  # "Steps: 1. Open the lid. 2. Pour."
    if (len(token) == 1 and token.isupper()) or _DOTTED.fullmatch(token):
        # "John F. Kennedy", "the U.S. Army" vs "plan B. The next"
        if not nxt.isalpha():
            return True
        next_word = _ASCII_WORD.match(text, following, end)
        return next_word is not None and next_word.group() in _SENTENCE_STARTERS
    return True


def _token_before(text: str, pos: int, punct_at: int) -> tuple[int, str]:
    """Return where the word before ``punct_at`` starts, and the word minus opening quotes."""
    lo = max(pos, punct_at - _MAX_TOKEN)
    chunk = text[lo:punct_at]
    if not chunk or chunk[-1].isspace():
        return punct_at, ""
    parts = chunk.rsplit(None, 1)
    raw = parts[-1]
    return punct_at - len(raw), raw.lstrip(_OPENER_CHARS)


def _opens_item(text: str, pos: int, token_start: int) -> bool:
    """Tell whether a token at ``token_start`` begins the sentence or follows a colon."""
    if token_start == pos:
        return True
    before = text[max(pos, token_start - _MAX_TOKEN) : token_start].rstrip()
    return before.endswith(":")
