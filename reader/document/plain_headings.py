"""Heading-likeness of a lone line of plain text: whether it could be a heading, and its rank.

Only the line itself is judged here (its words, case, numbering, ``Part`` or
``Chapter`` words, punctuation); whether it really is a heading depends on its
neighbours and is decided in :mod:`reader.document.plain_outline`. New kinds of
heading line (e-text chapter styles, for instance) belong here, as new shapes
and ranks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.document.plain_lines import CLOSERS

PART_LABEL = re.compile(
    r"(?i)(?P<word>part|book|chapter|appendix|section)[ \t]+"
    r"(?P<n>\d{1,3}|(?-i:[IVXLCDM]{1,7}|[A-Z])|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
    r"(?![\w'’])[.:]?"
)
_NUMBERED = re.compile(
    r"(?:(?P<arabic>\d{1,3}\.|\d{1,3}(?:\.\d{1,3}){1,4}\.?)|(?P<roman>[IVXLCDM]{1,7})\.)(?=\s|$)"
)
ROMAN = re.compile(r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\.?")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
BYLINE = re.compile(r"(?i)(?:by|written by|posted by|author:)\s")
DATE = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
    r"|nov|dec)[a-z]*\.?,?\s+\d{4}\b|\b\d{4}-\d\d-\d\d\b"
)
#: "Speaker: words" or "Note: words", which is a label and text, not a heading.
_LABELLED = re.compile(r"[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,2}[ \t]*:[ \t]+\S")
_URLISH = re.compile(r"(?i)https?://|www\.|\S@\S+\.\w")

# Shape analysis works on a markup-free approximation of the line.
_STRIP_LINK = re.compile(r"!?\[([^\[\]\n]{0,200})\]\([^)\n]{0,500}\)")
_STRIP_MARKS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`")

# --------------------------------------------------------------------------- shapes

#: Heading ranks: lower ranks become higher (smaller-numbered) levels.
RANK_PART = 10
RANK_CHAPTER = 20
RANK_SECTION = 25
RANK_UNDER_EQ = 30
RANK_CAPS = 40
RANK_UNDER_DASH = 50
RANK_NUM = 60  # + 10 per numbering depth beyond the first
RANK_PLAIN = 100


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SMALL_WORDS = _words(
    "a an and as at but by en for from if in into is nor of off on onto or over per so "
    "than the to up upon via vs with yet de la le du von van"
)
_TRAILING_SMALL = _words("a an and at by for from in into nor of on or the to with")
COMMON_SECTION_NAMES = _words(
    "introduction overview background abstract summary preface foreword prologue "
    "contents acknowledgements acknowledgments"
)
#: Sections of a book that sit beside its chapters, whatever their style.
BOOK_SECTIONS = _words(
    "preface foreword introduction prologue epilogue afterword postscript conclusion "
    "acknowledgements acknowledgments appendix notes glossary bibliography index"
)
_BOILERPLATE = frozenset(
    {
        "advertisement",
        "sponsored",
        "share",
        "share this",
        "share this article",
        "related",
        "related articles",
        "read more",
        "continue reading",
        "subscribe",
    }
)
_SEPARATORS = " \t-—–:.|"
_OPENERS = "\"'“‘«(*_"

_PART_RANKS = {
    "part": RANK_PART,
    "book": RANK_PART,
    "chapter": RANK_CHAPTER,
    "appendix": RANK_CHAPTER,
    "section": RANK_SECTION,
}


@dataclass(frozen=True, slots=True)
class HeadingShape:
    """How a line looks as a heading: its rank and how sure we are.

    ``strong`` shapes (numbered, Part/Chapter, ALL CAPS, Title Case) may sit
    next to other headings; ``weak`` ones (sentence case) need body text right
    after them. ``structural`` shapes carry explicit numbering and survive in
    runs of many consecutive short lines. ``titleable`` is False for numbered
    and Part/Chapter lines, which open a section rather than name the article.
    """

    rank: int
    strong: bool
    structural: bool
    titleable: bool


def markup_free(text: str) -> str:
    """The line without inline links, emphasis marks and backticks, stripped."""
    if "[" in text:
        text = _STRIP_LINK.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _STRIP_MARKS.sub("", text)
    return text.strip()


def heading_shape(line: str) -> HeadingShape | None:
    """Whether a lone line could be a heading and, if so, of what rank.

    Only the line itself is judged here; whether it stands alone is decided by
    the caller from its neighbours.
    """
    if len(line) > 400:
        return None
    tail = line.rstrip(CLOSERS)
    if not tail or tail[-1] in ",;:!…":
        return None  # cheap exit for the common case: a sentence
    if tail[-1] == ".":
        # Old books close headings with a period ("CHAPTER I. THE PANS."); prose does not
        # come in capitals.
        if not (len(tail) <= 80 and tail.isupper() and tail[-2:-1] != "."):
            if len(tail) > 20:
                return None
        else:
            line = tail[:-1]
    text = markup_free(line)
    if not text or len(text) > 120 or text.count(" ") > 20:
        return None
    if _URLISH.search(text) or BYLINE.match(text) or DATE.search(text):
        return None
    if text.lower() in _BOILERPLATE:
        return None
    rank = RANK_PLAIN
    structural = False
    rest = text
    match = PART_LABEL.match(text)
    if match:
        rank = _PART_RANKS[match.group("word").lower()]
        rest = text[match.end() :].lstrip(_SEPARATORS)
        structural = True
    elif ROMAN.fullmatch(text):
        return HeadingShape(RANK_NUM, True, True, False)
    else:
        match = _NUMBERED.match(text)
        if match:
            rest = text[match.end() :].lstrip(_SEPARATORS)
            if not rest:
                return None
            arabic = (match.group("arabic") or "").rstrip(".")
            depth = arabic.count(".") + 1
            rank = RANK_NUM + 10 * (min(depth, 4) - 1)
            structural = True
    if rest:
        first = rest[0]
        if not (first.isalnum() or first in _OPENERS):
            return None
        letters = [c for c in rest if c.isalpha()]
        if not letters:
            return None if not structural else HeadingShape(rank, True, True, False)
        if letters[0].islower():
            return None
        tail = rest.rstrip(CLOSERS)
        if not tail:
            return None
        last = tail[-1]
        words = _WORD.findall(rest)
        if len(words) > 15:
            return None
        if words and words[-1].lower() in _TRAILING_SMALL and words[-1].islower():
            return None
        cased = [c for c in letters if c.isupper() or c.islower()]
        caps = len(cased) >= 2 and all(c.isupper() for c in cased)
        significant = [w for w in words[1:] if w.lower() not in _SMALL_WORDS]
        capitalised = sum(1 for w in significant if not w[0].islower())
        title_case = caps or not significant or capitalised >= 0.75 * len(significant)
        if last in ".!…,;:" or (last == "?" and not (title_case or structural)):
            return None
        if not structural and not title_case and (len(words) > 10 or "," in rest):
            return None
        if not structural and _LABELLED.match(rest) and (not title_case or "," in rest):
            return None
        if caps and not structural:
            rank = RANK_CAPS
        strong = structural or title_case
    else:
        strong = True
    return HeadingShape(rank, strong, structural, not structural)
