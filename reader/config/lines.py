"""Which line of a TOML file each key is on, so a problem can name its line.

``tomllib`` gives the values but not where they were written. This scanner walks a
file that ``tomllib`` has already accepted and records, for every key and table
header, the line it starts on. Keys are read back through ``tomllib`` itself, so
quoting and escapes mean exactly what they mean to the parser; values (strings on
several lines, arrays, inline tables) are only skipped. It runs only when there is
a problem to report.
"""

from __future__ import annotations

import sys

KeyPath = tuple[str, ...]


def key_lines(text: str) -> dict[KeyPath, int]:
    """The first line (1-based) of every key and table in ``text``, by its full path.

    A key inside an inline table is not listed; :func:`line_of` falls back to the
    line of the key holding the table.
    """
    scanner = _Scanner(text)
    scanner.run()
    return scanner.lines


def line_of(text: str, path: KeyPath) -> int | None:
    """The line of ``path`` in ``text``, else of its longest listed prefix, else None."""
    lines = key_lines(text)
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def _key_path(key_text: str) -> KeyPath:
    """The parts of a (possibly dotted, possibly quoted) key, as TOML reads them."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        table = tomllib.loads(f"{key_text} = 0")
    except tomllib.TOMLDecodeError:
        return (key_text.strip(),)
    parts: list[str] = []
    node: object = table
    while isinstance(node, dict) and len(node) == 1:
        (name, node), = node.items()
        parts.append(name)
    return tuple(parts)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1
        self.table: KeyPath = ()
        self.lines: dict[KeyPath, int] = {}

    # ------------------------------------------------------------- statements
    def run(self) -> None:
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char == "\n":
                self.line += 1
                self.at += 1
            elif char in " \t\r":
                self.at += 1
            elif char == "#":
                self._skip_comment()
            elif char == "[":
                self._header()
            else:
                self._key_value()

    def _header(self) -> None:
        array = self.text.startswith("[[", self.at)
        self.at += 2 if array else 1
        key_text = self._read_key("]")
        self.at += 2 if array and self.text.startswith("]]", self.at) else 1
        path = _key_path(key_text)
        self.table = path
        self.lines.setdefault(path, self.line)

    def _key_value(self) -> None:
        line = self.line
        key_text = self._read_key("=")
        if not self.text.startswith("=", self.at):  # not TOML: nothing more to learn here
            self._skip_comment()
            return
        self.at += 1
        parts = _key_path(key_text)
        for end in range(1, len(parts) + 1):  # a dotted key defines its tables too
            self.lines.setdefault(self.table + parts[:end], line)
        self._skip_value()

    # ------------------------------------------------------------------- keys
    def _read_key(self, stop: str) -> str:
        """The key's text up to ``stop`` (not consumed), quoted parts kept whole."""
        start = self.at
        text = self.text
        while self.at < len(text) and text[self.at] != stop:
            char = text[self.at]
            if char == '"':
                self._skip_basic_string()
            elif char == "'":
                self._skip_literal_string()
            elif char == "\n":  # not valid TOML; stop rather than run on
                break
            else:
                self.at += 1
        return text[start:self.at]

    # ----------------------------------------------------------------- values
    def _skip_value(self) -> None:
        text = self.text
        while self.at < len(text) and text[self.at] in " \t":
            self.at += 1
        self._skip_item()
        # The rest of the line: spaces and an optional comment.
        while self.at < len(text) and text[self.at] != "\n":
            if text[self.at] == "#":
                self._skip_comment()
                break
            self.at += 1

    def _skip_item(self) -> None:
        text = self.text
        if self.at >= len(text):
            return
        char = text[self.at]
        if char == '"':
            self._skip_basic_string()
        elif char == "'":
            self._skip_literal_string()
        elif char in "[{":
            self._skip_brackets()
        else:
            while self.at < len(text) and text[self.at] not in ",]}\n#":
                self.at += 1

    def _skip_brackets(self) -> None:
        text = self.text
        depth = 0
        while self.at < len(text):
            char = text[self.at]
            if char in "[{":
                depth += 1
                self.at += 1
            elif char in "]}":
                depth -= 1
                self.at += 1
                if depth == 0:
                    return
            elif char == '"':
                self._skip_basic_string()
            elif char == "'":
                self._skip_literal_string()
            elif char == "#":
                self._skip_comment()
            elif char == "\n":
                self.line += 1
                self.at += 1
            else:
                self.at += 1

    def _skip_basic_string(self) -> None:
        self._skip_string('"', escapes=True)

    def _skip_literal_string(self) -> None:
        self._skip_string("'", escapes=False)

    def _skip_string(self, quote: str, *, escapes: bool) -> None:
        text = self.text
        triple = quote * 3
        if text.startswith(triple, self.at):
            self.at += 3
            while self.at < len(text):
                if escapes and text[self.at] == "\\":
                    self._count(text[self.at:self.at + 2])
                    self.at += 2
                elif text.startswith(triple, self.at):
                    self.at += 3
                    # Up to two more quotes belong to the string ("""a"""" is a").
                    while self.at < len(text) and text[self.at] == quote:
                        self.at += 1
                    return
                else:
                    self._count(text[self.at])
                    self.at += 1
            return
        self.at += 1
        while self.at < len(text) and text[self.at] not in (quote, "\n"):
            self.at += 2 if escapes and text[self.at] == "\\" else 1
        if self.at < len(text) and text[self.at] == quote:
            self.at += 1

    def _skip_comment(self) -> None:
        end = self.text.find("\n", self.at)
        self.at = len(self.text) if end < 0 else end

    def _count(self, piece: str) -> None:
        self.line += piece.count("\n")
