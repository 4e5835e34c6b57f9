"""Inline Markdown typed into plain text: emphasis, code, links and bare URLs become spans.

Unbalanced markers and snake_case stay literal; the markers of what is
recognised are removed from the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from reader.document.builder import DocumentBuilder

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


class Inline:
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
