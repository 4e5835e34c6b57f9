"""The layout of single lines of plain text: list items, rules, underlines, indentation.

These are the facts about one line that every later stage asks for, whatever
the paragraph convention: whether it is a list item or a horizontal rule or a
setext-style underline, how far it is indented, whether it ends a sentence,
whether a group of lines looks like code, and how hard-wrapped lines join.
"""

from __future__ import annotations

import re
from itertools import pairwise

LIST = re.compile(
    r"(?P<indent>[ \t]*)(?:(?P<bullet>[-*+•‣◦▪●])|(?P<num>\d{1,3})(?P<punct>[.)]))"
    r"[ \t]+(?P<body>\S.*)"
)
RULE = re.compile(r"[ \t]*([-*_=~·•])(?:[ \t]*\1){2,}[ \t]*")
UNDERLINE = re.compile(r"[ \t]{0,3}(=+|-+)[ \t]*")
LEADERS = re.compile(r"[ \t]*(?:\.[ \t]*){3,}")

CLOSERS = "\"'”’»)]*_ \t"
_TERMINAL = ".!?…"


def ends_sentence(line: str) -> bool:
    """True when the line ends in sentence punctuation, closing quotes aside."""
    tail = line.rstrip(CLOSERS)
    return bool(tail) and tail[-1] in _TERMINAL


def first_word_len(line: str) -> int:
    """Length of the line's first word (of the whole stripped line if one word)."""
    stripped = line.lstrip()
    cut = stripped.find(" ")
    return len(stripped) if cut < 0 else cut


def indent_of(line: str) -> int:
    """Width of the line's leading whitespace, tabs expanded to stops of 4."""
    stripped = line.lstrip()
    lead = line[: len(line) - len(stripped)]
    return len(lead.expandtabs(4)) if "\t" in lead else len(lead)


def join_lines(lines: list[str]) -> str:
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


def looks_like_code(lines: list[str]) -> bool:
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
    return len({indent_of(line) for line in lines}) > 2


_VERSE_SYMBOLS = "{}[]()<>;=|\\$#&/_*"


def verse_shape(lines: list[str], width: int) -> tuple[float, bool] | None:
    """Whether a run could be verse (or an address): None, or its mean line length and
    whether the lines themselves show it.

    Hard-wrapped prose fills each line until the next word no longer fits, so
    its lines are even against the run's own longest line; verse stops short
    of it, starts each line with a capital although the line before did not
    end a sentence, or ends most lines at a pause.
    """
    count = len(lines)
    if count < 3:
        return None
    stripped = [line.strip() for line in lines]
    longest = max(len(line) for line in stripped)
    if longest > min(width, 90) or not all(stripped):
        return None
    body = "".join(stripped)
    if len(body) > 48 * count:
        return None  # long lines, one sentence each: prose with a break per sentence
    if any(LIST.fullmatch(line) or RULE.fullmatch(line) for line in lines):
        return None
    if any(len(line) > 1 and line[-1] == "-" and line[-2].isalpha() for line in stripped[:-1]):
        return None  # a word broken over two lines: wrapped prose
    if sum(body.count(c) for c in _VERSE_SYMBOLS) > 0.04 * len(body):
        return None
    mean = len(body) / count
    inner = count - 1
    pairs = list(pairwise(stripped))
    short = sum(1 for a, b in pairs if len(a) + 1 + first_word_len(b) <= longest - 2)
    if short * 2 >= inner and short >= 1:
        return mean, True  # ragged against its own longest line
    if longest > 0.85 * width:
        return None
    if longest <= 0.45 * width:
        return mean, True  # every line far shorter than the text's wrap width: an address
    capitals = sum(1 for a, b in pairs if not ends_sentence(a) and b[0].isupper())
    stops = sum(1 for a, _ in pairs if a.rstrip(CLOSERS)[-1:] in ",;:.!?—–")
    return mean, capitals * 4 >= inner * 3 or stops * 2 >= inner


def centred(line: str, width: int) -> bool:
    """A short line indented so that it sits in the middle of the page."""
    stripped = line.strip()
    lead = indent_of(line)
    if lead < 6 or not stripped or len(stripped) > 0.7 * width:
        return False
    return abs(2 * lead + len(stripped) - width) <= 10


def entry_text(line: str) -> str:
    """A contents entry as shown: dot leaders and runs of spaces become one space."""
    return " ".join(LEADERS.sub(" ", line).split())
