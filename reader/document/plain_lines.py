"""The layout of single lines of plain text: list items, rules, underlines, indentation.

These are the facts about one line that every later stage asks for, whatever
the paragraph convention: whether it is a list item or a horizontal rule or a
setext-style underline, how far it is indented, whether it ends a sentence,
whether a group of lines looks like code, and how hard-wrapped lines join.
"""

from __future__ import annotations

import re

LIST = re.compile(
    r"(?P<indent>[ \t]*)(?:(?P<bullet>[-*+•‣◦▪●])|(?P<num>\d{1,3})(?P<punct>[.)]))"
    r"[ \t]+(?P<body>\S.*)"
)
RULE = re.compile(r"[ \t]*([-*_=~·•])(?:[ \t]*\1){2,}[ \t]*")
UNDERLINE = re.compile(r"[ \t]{0,3}(=+|-+)[ \t]*")

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
