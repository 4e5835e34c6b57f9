"""Parser for plain-text articles: text files with no Markdown block structure.

Plain text carries its structure in layout rather than markup, so this module
reads the layout:

* **Paragraph convention.** Either one long line per paragraph (blank lines
  optional) or hard-wrapped lines (~60-80 columns) with blank lines between
  paragraphs. The convention is chosen once per document from line lengths;
  hard-wrapped lines are joined with single spaces. Dense hard-wrapped text
  with no blank lines is split where a greedy wrapper would not have broken
  the line (the next word would have fit).
* **Headings** are bare lines: short, no sentence-ending punctuation, starting
  with a capital, standing on their own (a separate line followed by body
  text). Their style ranks them: ``Part``/``Book`` > ``Chapter`` > underlined
  with ``===`` > ALL CAPS > underlined with ``---`` > ``1.`` > ``1.1`` >
  ``1.1.1`` > plain Title or sentence case. The ranks present in a document
  map to consecutive levels, so the outline stays compact and consistent.
* **Title.** A heading-like first line followed by body text is the title
  (a level-1 heading); otherwise the title comes from front matter or the
  file name.
* **Inline Markdown** that people type into plain text (``**bold**``,
  ``*italic*``, ``__bold__``, ``_italic_``, `` `code` ``, ``[text](url)``)
  becomes style spans with the markers removed; bare URLs become links.
  Unbalanced markers and snake_case stay literal.
* **Lists**: ``- item``, ``* item``, ``• item``, ``1. item``, ``1) item``. A
  lone numbered short line followed by body text is a heading instead.

Everything works on whole lines with compiled regexes so a multi-megabyte file
parses in well under a second. No Textual import.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from reader.document.builder import DocumentBuilder, title_from_path
from reader.document.model import BlockKind, Document

__all__ = ["heading_shape", "looks_like_plain_text", "parse_plaintext"]

# --------------------------------------------------------------------------- regexes

_LIST = re.compile(
    r"(?P<indent>[ \t]*)(?:(?P<bullet>[-*+•‣◦▪●])|(?P<num>\d{1,3})(?P<punct>[.)]))"
    r"[ \t]+(?P<body>\S.*)"
)
_RULE = re.compile(r"[ \t]*([-*_=~·•])(?:[ \t]*\1){2,}[ \t]*")
_UNDERLINE = re.compile(r"[ \t]{0,3}(=+|-+)[ \t]*")
_QUOTE = re.compile(r"[ \t]{0,3}((?:>[ \t]?)+)")
_FRONT_KEY = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*)")

_PART = re.compile(
    r"(?i)(?P<word>part|book|chapter|appendix|section)[ \t]+"
    r"(?P<n>\d{1,3}|(?-i:[IVXLCDM]{1,7}|[A-Z])|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
    r"(?![\w'’])[.:]?"
)
_NUMBERED = re.compile(
    r"(?:(?P<arabic>\d{1,3}\.|\d{1,3}(?:\.\d{1,3}){1,4}\.?)|(?P<roman>[IVXLCDM]{1,7})\.)(?=\s|$)"
)
_ROMAN_ONLY = re.compile(
    r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\.?"
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_BYLINE = re.compile(r"(?i)(?:by|written by|posted by|author:)\s")
_DATE = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+\d{4}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct"
    r"|nov|dec)[a-z]*\.?,?\s+\d{4}\b|\b\d{4}-\d\d-\d\d\b"
)
_URLISH = re.compile(r"(?i)https?://|www\.|\S@\S+\.\w")

# Inline markup.
_INLINE_SPECIAL = re.compile(r"[`*_\[]|!\[|\bhttps?://")
_DELIMS = re.compile(r"\*+|_+")
_TICKS = re.compile(r"`+")
_LINK = re.compile(
    r"\[(?P<text>[^\[\]\n]{1,500})\]\([ \t]*"
    r"(?P<url><[^<>\n]{1,2000}>|(?:[^\s()<>]|\([^\s()<>]{0,200}\)){1,2000})"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"
)
_URL = re.compile(r"https?://[^\s<>\"`“”‘’]+")
_URL_TRAIL = ".,;:!?'\"*_"
_EMPHASIS = {1: ("italic",), 2: ("bold",), 3: ("bold", "italic")}

# Shape analysis works on a markup-free approximation of the line.
_STRIP_LINK = re.compile(r"!?\[([^\[\]\n]{0,200})\]\([^)\n]{0,500}\)")
_STRIP_MARKS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)|`")

# Markdown block syntax, for looks_like_plain_text.
_MD_BLOCK = re.compile(
    r"^(?:"
    r" {0,3}#{1,6}(?:[ \t]|$)"  # ATX heading
    r"| {0,3}```"  # backtick fence
    r"| {0,3}~{3,}[ \t]*[A-Za-z]"  # tilde fence with an info string
    r"| {0,3}>"  # block quote
    r"| {0,3}\[[^\]\n]+\]:[ \t]*\S"  # link reference or footnote definition
    r"| {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"  # table delimiter row
    r"| {0,3}<(?:div|p|table|details|img|br|hr|h[1-6]|!--)\b"  # HTML block
    r")",
    re.M,
)
_MD_SETEXT = re.compile(r"^[ \t]{0,3}[^\s=\-][^\n]*\n[ \t]{0,3}(?:={3,}|-{3,})[ \t]*$", re.M)

# --------------------------------------------------------------------------- shapes

#: Heading ranks: lower ranks become higher (smaller-numbered) levels.
_RANK_PART = 10
_RANK_CHAPTER = 20
_RANK_SECTION = 25
_RANK_UNDER_EQ = 30
_RANK_CAPS = 40
_RANK_UNDER_DASH = 50
_RANK_NUM = 60  # + 10 per numbering depth beyond the first
_RANK_PLAIN = 100


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SMALL_WORDS = _words(
    "a an and as at but by en for from if in into is nor of off on onto or over per so "
    "than the to up upon via vs with yet de la le du von van"
)
_TRAILING_SMALL = _words("a an and at by for from in into nor of on or the to with")
_COMMON_SECTION_NAMES = _words(
    "introduction overview background abstract summary preface foreword prologue "
    "contents acknowledgements acknowledgments"
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
_CLOSERS = "\"'”’»)]*_ \t"
_OPENERS = "\"'“‘«(*_"
_MAX_HEADING_RUN = 3

_PART_RANKS = {
    "part": _RANK_PART,
    "book": _RANK_PART,
    "chapter": _RANK_CHAPTER,
    "appendix": _RANK_CHAPTER,
    "section": _RANK_SECTION,
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


def _plain(text: str) -> str:
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
    tail = line.rstrip(_CLOSERS)
    if not tail or tail[-1] in ",;:!…" or (tail[-1] == "." and len(tail) > 20):
        return None  # cheap exit for the common case: a sentence
    text = _plain(line)
    if not text or len(text) > 120 or text.count(" ") > 20:
        return None
    if _URLISH.search(text) or _BYLINE.match(text) or _DATE.search(text):
        return None
    if text.lower() in _BOILERPLATE:
        return None
    rank = _RANK_PLAIN
    structural = False
    rest = text
    match = _PART.match(text)
    if match:
        rank = _PART_RANKS[match.group("word").lower()]
        rest = text[match.end() :].lstrip(_SEPARATORS)
        structural = True
    elif _ROMAN_ONLY.fullmatch(text):
        return HeadingShape(_RANK_NUM, True, True, False)
    else:
        match = _NUMBERED.match(text)
        if match:
            rest = text[match.end() :].lstrip(_SEPARATORS)
            if not rest:
                return None
            arabic = (match.group("arabic") or "").rstrip(".")
            depth = arabic.count(".") + 1
            rank = _RANK_NUM + 10 * (min(depth, 4) - 1)
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
        tail = rest.rstrip(_CLOSERS)
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
        if caps and not structural:
            rank = _RANK_CAPS
        strong = structural or title_case
    else:
        strong = True
    return HeadingShape(rank, strong, structural, not structural)


# --------------------------------------------------------------------------- units


@dataclass(slots=True)
class _Unit:
    """A candidate block: one or more source lines before classification."""

    kind: BlockKind
    line: int
    text: str
    single: bool = True
    quote: int = 0
    depth: int = 0
    marker: str = ""
    number: int | None = None
    punct: str = ""
    in_list: bool = False
    underline: str = ""
    shape: HeadingShape | None = None
    level: int = 0


_TERMINAL = ".!?…"


def _ends_sentence(line: str) -> bool:
    tail = line.rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _TERMINAL


def _first_word_len(line: str) -> int:
    stripped = line.lstrip()
    cut = stripped.find(" ")
    return len(stripped) if cut < 0 else cut


def _indent_of(line: str) -> int:
    stripped = line.lstrip()
    lead = line[: len(line) - len(stripped)]
    return len(lead.expandtabs(4)) if "\t" in lead else len(lead)


def _join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines with single spaces, but not after a word-final dash."""
    if len(lines) == 1:
        return lines[0].strip()
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if parts:
            prev = parts[-1]
            if (
                prev[-1] in "-—–"
                and len(prev) > 1
                and not prev[-2].isspace()
                and (prev[-1] != "-" or prev[-2].isalpha() or prev[-2] == "-")
            ):
                parts[-1] = prev + line
                continue
        parts.append(line)
    return " ".join(parts)


def _looks_like_code(lines: list[str]) -> bool:
    """Indented or column-aligned lines that should keep their line breaks."""
    body = "".join(line.strip() for line in lines)
    if not body:
        return False
    symbols = sum(body.count(c) for c in "{}[]()<>;=|\\$#&")
    if symbols >= 0.06 * len(body):
        return True
    stripped = [line.strip() for line in lines]
    if sum(1 for line in stripped if line.endswith((";", "{", "}"))) * 2 >= len(lines):
        return True
    if len(lines) >= 2 and all("   " in line for line in stripped):
        return True
    return len({_indent_of(line) for line in lines}) > 2


@dataclass(slots=True)
class _Layout:
    """Per-document layout facts: paragraph convention and wrap width."""

    one_line: bool
    dense: bool
    width: int
    base_indent: int


def _percentile(values: list[int], fraction: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _layout(contents: list[str], runs: list[list[int]]) -> _Layout:
    """Pick the paragraph convention from line lengths, once for the whole document.

    Mostly long lines (by characters) mean one line per paragraph. Otherwise
    the text is hard-wrapped, unless it has hardly any blank lines and its
    lines do not cluster just under a wrap width (then they are short
    one-line paragraphs).
    """
    lengths: list[int] = []
    inner: list[int] = []
    indents: Counter[int] = Counter()
    long_chars = 0
    total_chars = 0
    for run in runs:
        last = run[-1]
        for index in run:
            line = contents[index].rstrip()
            length = len(line)
            lengths.append(length)
            total_chars += length
            if length > 100:
                long_chars += length
            if index != last:
                inner.append(length)
            indents[_indent_of(line)] += 1
    if not lengths:
        return _Layout(False, False, 72, 0)
    # Wrap width: taken from lines that were followed by more of their paragraph.
    width = _percentile(inner, 0.9) if len(inner) >= 20 else max(72, _percentile(lengths, 0.9))
    dense = len(lengths) / max(1, len(runs)) > 15
    base_indent = indents.most_common(1)[0][0]
    if long_chars >= 0.5 * total_chars:
        return _Layout(True, False, width, base_indent)
    if dense:
        tight = sum(1 for n in lengths if 0.75 * width <= n <= width)
        if tight < 0.5 * len(lengths):
            return _Layout(True, False, width, base_indent)
    return _Layout(False, dense, width, base_indent)


class _Segmenter:
    """Cuts the source lines into units according to the layout."""

    def __init__(self, contents: list[str], quotes: list[int], layout: _Layout) -> None:
        self.contents = contents
        self.quotes = quotes
        self.layout = layout
        self.units: list[_Unit] = []
        self._shapes: dict[int, HeadingShape | None] = {}

    def shape(self, index: int) -> HeadingShape | None:
        if index not in self._shapes:
            self._shapes[index] = heading_shape(self.contents[index])
        return self._shapes[index]

    def short(self, index: int, next_index: int) -> bool:
        """True when a greedy wrapper would have pulled the next word up."""
        length = len(self.contents[index].rstrip())
        return length + 1 + _first_word_len(self.contents[next_index]) <= self.layout.width

    # -- helpers shared by both conventions

    def _list_unit(self, index: int, match: re.Match[str], stack: list[int]) -> _Unit:
        indent = _indent_of(match.group("indent"))
        while stack and stack[-1] > indent:
            stack.pop()
        if not stack or stack[-1] < indent:
            stack.append(indent)
        if match.group("bullet"):
            marker, number, punct = "•", None, ""
        else:
            number = int(match.group("num"))
            punct = match.group("punct")
            marker = f"{number}."
        return _Unit(
            BlockKind.LIST_ITEM,
            index,
            match.group("body"),
            quote=self.quotes[index],
            depth=len(stack),
            marker=marker,
            number=number,
            punct=punct,
        )

    def _underline(self, index: int) -> str:
        """'=' or '-' when the line is a setext-style underline, else ''."""
        match = _UNDERLINE.fullmatch(self.contents[index])
        if match and len(match.group(1)) >= 3:
            return match.group(1)[0]
        return ""

    def _code_unit(self, indexes: list[int]) -> _Unit:
        lines = [self.contents[i].rstrip().expandtabs(4) for i in indexes]
        cut = min(_indent_of(line) for line in lines if line.strip())
        return _Unit(
            BlockKind.CODE,
            indexes[0],
            "\n".join(line[cut:] for line in lines),
            single=False,
            quote=self.quotes[indexes[0]],
        )

    # -- one line per paragraph

    def one_line(self, runs: list[list[int]]) -> list[_Unit]:
        base = self.layout.base_indent
        for run in runs:
            stack: list[int] = []
            position = 0
            checked = 0  # lines before this were already judged not to be code
            while position < len(run):
                index = run[position]
                line = self.contents[index]
                # Indented code: consecutive code-like lines indented past the body.
                if position >= checked and _indent_of(line) >= base + 4:
                    end = position
                    while end < len(run) and _indent_of(self.contents[run[end]]) >= base + 4:
                        end += 1
                    block = run[position:end]
                    if len(block) >= 2 and _looks_like_code([self.contents[i] for i in block]):
                        self.units.append(self._code_unit(block))
                        position = end
                        stack = []
                        continue
                    checked = end
                position += 1
                underline = self._underline(index)
                if underline and self.units and not self.units[-1].underline:
                    prev = self.units[-1]
                    if (
                        prev.kind is BlockKind.PARAGRAPH
                        and prev.single
                        and prev.line == index - 1
                        and heading_shape(prev.text) is not None
                    ):
                        prev.underline = underline
                        continue
                if _RULE.fullmatch(line):
                    self.units.append(_Unit(BlockKind.RULE, index, ""))
                    stack = []
                    continue
                match = _LIST.fullmatch(line)
                if match:
                    self.units.append(self._list_unit(index, match, stack))
                    continue
                stack = []
                self.units.append(
                    _Unit(BlockKind.PARAGRAPH, index, line.strip(), quote=self.quotes[index])
                )
        self._mark_list_runs()
        return self.units

    def _mark_list_runs(self) -> None:
        """Mark items that plainly belong to a list, so they are never taken as headings.

        A numbered line counts as part of a list when an item precedes it, or
        when a numbered item or a deeper (nested) item follows it; a lone
        ``1. Origins`` above bullets of its own depth may still be a heading.
        """
        units = self.units
        for position, unit in enumerate(units):
            if unit.kind is not BlockKind.LIST_ITEM:
                continue
            before = units[position - 1] if position else None
            after = units[position + 1] if position + 1 < len(units) else None
            if before is not None and before.kind is BlockKind.LIST_ITEM:
                unit.in_list = True
            elif after is not None and after.kind is BlockKind.LIST_ITEM:
                unit.in_list = (
                    unit.number is None or after.number is not None or after.depth > unit.depth
                )

    # -- hard-wrapped paragraphs

    def hard_wrapped(self, runs: list[list[int]]) -> list[_Unit]:
        base = self.layout.base_indent
        for run in runs:
            lines = [self.contents[i] for i in run]
            if all(_indent_of(line) >= base + 4 for line in lines) and not _LIST.fullmatch(
                lines[0]
            ):
                if _looks_like_code(lines):
                    self.units.append(self._code_unit(run))
                else:
                    self.units.append(
                        _Unit(
                            BlockKind.PARAGRAPH,
                            run[0],
                            _join_lines(lines),
                            single=False,
                            quote=self.quotes[run[0]] + 1,
                        )
                    )
                continue
            if len(run) >= 2 and all("   " in line.strip() for line in lines):
                self.units.append(self._code_unit(run))
                continue
            self._hard_run(run)
        self._mark_list_runs()
        return self.units

    def _heading_line(self, index: int) -> bool:
        """A line that may be a heading even without a blank line around it."""
        shape = self.shape(index)
        return shape is not None and (shape.strong or self.layout.dense)

    def _break_before(self, run: list[int], position: int, current: list[int]) -> bool:
        """Whether the line at ``position`` starts a new unit inside a run.

        Blank lines already separate paragraphs; inside a run a break needs
        evidence that the line was not wrapped there: the previous line stops
        short although the next word would have fitted.
        """
        index = run[position]
        prev = run[position - 1]
        if not current:
            return False
        short = self.short(prev, index)
        if len(current) == 1 and short and self._heading_line(prev):
            return True  # a heading line directly above its body
        if short and _ends_sentence(self.contents[prev]):
            last = position == len(run) - 1
            if self._heading_line(index) and (last or self.short(index, run[position + 1])):
                return True  # a heading line directly below a paragraph
            if self.layout.dense:
                return True
        if self.layout.dense:
            if short and self.shape(prev):
                return True
            if _indent_of(self.contents[index]) > _indent_of(self.contents[prev]) + 1:
                return True  # first-line indent marks a new paragraph
        return False

    def _hard_run(self, run: list[int]) -> None:
        current: list[int] = []
        item: _Unit | None = None
        item_lines: list[str] = []
        stack: list[int] = []

        def flush() -> None:
            nonlocal item, item_lines, current
            if item is not None:
                item.text = _join_lines(item_lines)
                item.single = len(item_lines) == 1
                self.units.append(item)
                item, item_lines = None, []
            if current:
                self.units.append(
                    _Unit(
                        BlockKind.PARAGRAPH,
                        current[0],
                        _join_lines([self.contents[i] for i in current]),
                        single=len(current) == 1,
                        quote=self.quotes[current[0]],
                    )
                )
                current = []

        for position, index in enumerate(run):
            line = self.contents[index]
            underline = self._underline(index) if current and item is None else ""
            if (
                underline
                and self.shape(current[-1])
                and (len(current) == 1 or self.short(current[-2], current[-1]))
            ):
                head = current.pop()
                flush()
                self.units.append(
                    _Unit(
                        BlockKind.PARAGRAPH,
                        head,
                        self.contents[head].strip(),
                        quote=self.quotes[head],
                        underline=underline,
                    )
                )
                continue
            if _RULE.fullmatch(line):
                flush()
                stack = []
                self.units.append(_Unit(BlockKind.RULE, index, ""))
                continue
            match = _LIST.fullmatch(line)
            if match and (
                position == 0
                or item is not None
                or self.contents[run[position - 1]].rstrip().endswith(":")
                or self.short(run[position - 1], index)
            ):
                flush()
                item = self._list_unit(index, match, stack)
                item_lines = [match.group("body")]
                continue
            if item is not None:
                prev = run[position - 1]
                if _indent_of(line) <= _indent_of(self.contents[item.line]) and self.short(
                    prev, index
                ):
                    flush()
                    stack = []
                else:
                    item_lines.append(line)
                    continue
            if position and self._break_before(run, position, current):
                flush()
            current.append(index)
        flush()


# --------------------------------------------------------------------------- classification


def _is_meta(unit: _Unit) -> bool:
    """A byline or dateline, which may sit between a title and the body."""
    return (
        unit.kind is BlockKind.PARAGRAPH
        and len(unit.text) <= 100
        and (_BYLINE.match(unit.text) is not None or _DATE.search(unit.text) is not None)
    )


def _sequential(units: list[_Unit], position: int) -> bool:
    unit = units[position]
    for other, step in ((position - 1, -1), (position + 1, 1)):
        if 0 <= other < len(units):
            neighbour = units[other]
            if (
                neighbour.kind is BlockKind.LIST_ITEM
                and neighbour.number is not None
                and neighbour.punct == unit.punct
                and unit.number is not None
                and neighbour.number == unit.number + step
            ):
                return True
    return False


def _classify(
    units: list[_Unit], *, has_front_title: bool, one_line: bool
) -> tuple[int | None, list[int]]:
    """Decide which units are headings; return the title unit and the heading units."""
    count = len(units)
    shapes: list[HeadingShape | None] = [None] * count
    for position, unit in enumerate(units):
        if unit.underline:
            base = heading_shape(unit.text)
            rank = _RANK_UNDER_EQ if unit.underline == "=" else _RANK_UNDER_DASH
            shapes[position] = HeadingShape(rank, True, True, base.titleable if base else True)
            continue
        if not unit.single or unit.quote:
            continue
        if unit.kind is BlockKind.PARAGRAPH:
            shapes[position] = heading_shape(unit.text)
        elif (
            unit.kind is BlockKind.LIST_ITEM
            and unit.number is not None
            and unit.punct == "."
            and unit.depth == 1
            and not unit.in_list
            and not _sequential(units, position)
        ):
            shapes[position] = heading_shape(f"{unit.number}. {unit.text}")

    # A heading needs something after it; a weak one needs body text right after.
    # With one line per paragraph, a heading is a short line above a long one.
    def prune() -> None:
        body = count  # nearest non-heading unit to the right
        for position in range(count - 1, -1, -1):
            shape = shapes[position]
            unit = units[position]
            if shape is not None and not unit.underline:
                following = units[body] if body < count else None
                if (
                    position == count - 1
                    or (
                        not shape.strong
                        and (
                            shapes[position + 1] is not None
                            or units[position + 1].kind is BlockKind.RULE
                        )
                    )
                    or (
                        one_line
                        and not shape.structural
                        and following is not None
                        and following.kind is BlockKind.PARAGRAPH
                        and len(following.text) < max(60, 2 * len(unit.text))
                    )
                ):
                    shapes[position] = None
            if shapes[position] is None and not _is_meta(unit):
                body = position

    prune()
    # Long runs of short lines are a list or a poem, not a stack of headings.
    position = 0
    while position < count:
        if shapes[position] is None:
            position += 1
            continue
        end = position
        while end < count and shapes[end] is not None:
            end += 1
        if end - position > _MAX_HEADING_RUN:
            for other in range(position, end):
                shape = shapes[other]
                if shape is not None and not shape.structural:
                    shapes[other] = None
        position = end
    prune()

    title: int | None = None
    first = shapes[0] if shapes else None
    if (
        first is not None
        and first.titleable
        and not has_front_title
        and _plain(units[0].text).lower() not in _COMMON_SECTION_NAMES
    ):
        title = 0
    headings = [p for p in range(count) if shapes[p] is not None]
    ranks = sorted({shapes[p].rank for p in headings if p != title})  # type: ignore[union-attr]
    base = 2 if title is not None else 1
    level_of = {rank: min(6, base + i) for i, rank in enumerate(ranks)}
    for position in headings:
        unit = units[position]
        if unit.kind is BlockKind.LIST_ITEM:
            unit.text = f"{unit.number}. {unit.text}"
        unit.kind = BlockKind.HEADING
        unit.depth = 0
        unit.marker = ""
        unit.level = 1 if position == title else level_of[shapes[position].rank]  # type: ignore[union-attr]
    return title, headings


# --------------------------------------------------------------------------- inline


class _Inline:
    """Emits one block's text into the builder, turning inline markup into spans."""

    __slots__ = ("_closers", "_ticks", "builder", "text")

    def __init__(self, builder: DocumentBuilder, text: str) -> None:
        self.builder = builder
        self.text = text
        self._closers: dict[tuple[str, int], list[int]] | None = None
        self._ticks: dict[int, list[int]] | None = None

    def emit(self) -> None:
        if _INLINE_SPECIAL.search(self.text) is None:
            self.builder.add_text(self.text)
        else:
            self._render(0, len(self.text))

    def _closer_table(self) -> dict[tuple[str, int], list[int]]:
        if self._closers is None:
            table: dict[tuple[str, int], list[int]] = {}
            text = self.text
            size = len(text)
            for match in _DELIMS.finditer(text):
                start, end = match.span()
                if start == 0 or text[start - 1].isspace():
                    continue
                if end < size and text[end].isalnum():
                    continue
                table.setdefault((text[start], end - start), []).append(start)
            self._closers = table
        return self._closers

    def _tick_table(self) -> dict[int, list[int]]:
        if self._ticks is None:
            table: dict[int, list[int]] = {}
            for match in _TICKS.finditer(self.text):
                table.setdefault(match.end() - match.start(), []).append(match.start())
            self._ticks = table
        return self._ticks

    def _render(self, low: int, high: int) -> None:
        text = self.text
        builder = self.builder
        pos = pending = low
        while pos < high:
            match = _INLINE_SPECIAL.search(text, pos, high)
            if match is None:
                break
            start = match.start()
            token = match.group()
            if token == "`":
                end = start
                while end < high and text[end] == "`":
                    end += 1
                size = end - start
                candidates = self._tick_table().get(size, [])
                at = bisect_left(candidates, end)
                if at < len(candidates) and candidates[at] + size <= high:
                    close = candidates[at]
                    code = text[end:close]
                    if len(code) > 2 and code[0] == code[-1] == " " and code.strip():
                        code = code[1:-1]
                    builder.add_text(text[pending:start])
                    builder.add_styled(code, "code")
                    pos = pending = close + size
                else:
                    pos = end
                continue
            if token in ("*", "_"):
                end = start
                while end < high and text[end] == token:
                    end += 1
                size = end - start
                opener = (
                    size <= 3
                    and (start == 0 or not text[start - 1].isalnum())
                    and end < high
                    and not text[end].isspace()
                )
                if opener:
                    candidates = self._closer_table().get((token, size), [])
                    at = bisect_left(candidates, end)
                    if at < len(candidates) and candidates[at] + size <= high:
                        close = candidates[at]
                        styles = _EMPHASIS[size]
                        builder.add_text(text[pending:start])
                        for style in styles:
                            builder.open_span(style)
                        self._render(end, close)
                        for style in reversed(styles):
                            builder.close_span(style)
                        pos = pending = close + size
                        continue
                pos = end
                continue
            if token in ("[", "!["):
                link = _LINK.match(text, start + len(token) - 1, high)
                if link is None:
                    pos = start + len(token)
                    continue
                url = link.group("url")
                if url.startswith("<"):
                    url = url[1:-1]
                style = "image" if token == "![" else "link"
                builder.add_text(text[pending:start])
                builder.open_span(style, url)
                self._render(link.start("text"), link.end("text"))
                builder.close_span(style)
                pos = pending = link.end()
                continue
            found = _URL.match(text, start, high)
            if found is None:  # pragma: no cover - the search pattern guarantees a match
                pos = start + 1
                continue
            url = _trim_url(found.group())
            if len(url) <= len("https://"):
                pos = found.end()
                continue
            builder.add_text(text[pending:start])
            builder.add_styled(url, "link", url)
            pos = pending = start + len(url)
        builder.add_text(text[pending:high])


def _trim_url(url: str) -> str:
    """Drop trailing punctuation and unbalanced closing parentheses from a bare URL."""
    surplus = url.count(")") - url.count("(")
    end = len(url)
    while end:
        if url[end - 1] in _URL_TRAIL:
            end -= 1
        elif surplus > 0 and url[end - 1] == ")":
            end -= 1
            surplus -= 1
        else:
            break
    return url[:end]


# --------------------------------------------------------------------------- entry points


def _front_matter(lines: list[str]) -> tuple[int, dict[str, str]]:
    """Skip a YAML front-matter block; return the first body line and its keys."""
    if not lines or lines[0].strip() != "---":
        return 0, {}
    metadata: dict[str, str] = {}
    for index in range(1, min(len(lines), 200)):
        line = lines[index]
        if line.strip() in ("---", "...") and index > 1:
            return index + 1, metadata
        if not line.strip() or line[0] in " \t#-":
            continue
        match = _FRONT_KEY.fullmatch(line.rstrip())
        if match is None:
            return 0, {}
        value = match.group("value").strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        metadata[match.group("key")] = value
    return 0, {}


def _normalise(source: str) -> str:
    if source.startswith("\ufeff"):
        source = source[1:]
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    return source


def parse_plaintext(source: str, name: str = "") -> Document:
    """Parse a plain-text article into a Document.

    ``name`` (a path or file name) becomes ``Document.source`` and supplies the
    title when the text has no title line.
    """
    lines = _normalise(source).split("\n")
    body_start, metadata = _front_matter(lines)

    contents: list[str] = lines
    quotes = [0] * len(lines)
    runs: list[list[int]] = []
    run: list[int] = []
    run_quote = 0
    for index in range(body_start, len(lines)):
        line = lines[index]
        if not line.strip():
            if run:
                runs.append(run)
                run = []
            continue
        quote = 0
        if ">" in line[:4] and line.lstrip().startswith(">"):
            match = _QUOTE.match(line)
            if match:
                quote = match.group(1).count(">")
                rest = line[match.end() :]
                if contents is lines:
                    contents = list(lines)
                contents[index] = rest
                quotes[index] = quote
                if not rest.strip():
                    if run:
                        runs.append(run)
                        run = []
                    continue
        if run and quote != run_quote:
            runs.append(run)
            run = []
        run_quote = quote
        run.append(index)
    if run:
        runs.append(run)

    layout = _layout(contents, runs)
    segmenter = _Segmenter(contents, quotes, layout)
    units = segmenter.one_line(runs) if layout.one_line else segmenter.hard_wrapped(runs)
    front_title = metadata.get("title", "").strip()
    title_unit, _headings = _classify(
        units, has_front_title=bool(front_title), one_line=layout.one_line
    )

    builder = DocumentBuilder()
    title = front_title
    for unit in units:
        builder.begin_block()
        if unit.kind is BlockKind.CODE:
            builder.add_text(unit.text)
        elif unit.kind is not BlockKind.RULE:
            _Inline(builder, unit.text).emit()
        builder.end_block(
            unit.kind,
            level=unit.level,
            depth=unit.depth,
            quote=unit.quote,
            marker=unit.marker,
            source_line=unit.line,
        )
    document = builder.build(title=title or title_from_path(name), source=name, metadata=metadata)
    if title_unit is not None and not front_title:
        heading = document.blocks[title_unit]
        document.title = " ".join(document.text[heading.start : heading.end].split()) or (
            document.title
        )
    return document


def looks_like_plain_text(source: str) -> bool:
    """True when the text has no Markdown block syntax worth a Markdown parser.

    Headings (``#`` or underlined), fenced code, block quotes, pipe tables,
    reference definitions, HTML blocks or YAML front matter mean Markdown.
    Inline ``**bold**`` or ``- item`` lines alone do not: the plain-text
    parser handles those.
    """
    text = _normalise(source)
    if text.startswith("---\n") and _front_matter(text[:20000].split("\n"))[0]:
        return False
    return _MD_BLOCK.search(text) is None and _MD_SETEXT.search(text) is None
