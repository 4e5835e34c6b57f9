"""Markdown exports that keep the reader's own writing: readmark's marked parts, merged again.

A Markdown export is front matter and a run of *units*: the title, then one per
highlight (with any headings that open before it), each between two HTML
comments (invisible in Obsidian, on GitHub and in most renderers)::

    <!-- readmark:hl-597c5a1cf175 -->
    > the passage
    ...
    <!-- /readmark -->

Exporting again into a file that holds such an export rewrites only the units
(new highlights are added in reading order, changed ones replaced, deleted ones
removed) and the front-matter keys readmark writes. Everything else is the
reader's and is kept: other front-matter keys, text above the title, text after
any unit (it stays after that unit, wherever the unit moves; after a deleted
unit it moves up to the unit before), and text at the end of the file.

Pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: The first unit's opening mark says once, for the reader, what the marks mean.
HEAD_NOTE = "readmark rewrites what lies between its marks on each export; write anywhere else"
END = "<!-- /readmark -->"
_BEGIN = re.compile(r"<!-- readmark:([A-Za-z0-9][A-Za-z0-9-]*)(?:\s[^\n]*)?-->")
#: Front-matter keys readmark writes (and so may take away again).
OWNED_KEYS = frozenset(
    {"title", "author", "url", "date", "source", "fingerprint", "exported", "highlights",
     "notes", "tags"}
)  # fmt: skip
_KEY = re.compile(r"([^\s#:-][^:]*?):(?:\s|$)")


def begin(key: str, note: str = "") -> str:
    """The mark that opens the unit ``key``."""
    return f"<!-- readmark:{key} ({note}) -->" if note else f"<!-- readmark:{key} -->"


@dataclass(frozen=True, slots=True)
class Unit:
    """One part of the export readmark owns: ``head``, ``detached`` or a highlight's block id."""

    key: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """A Markdown export before it is written: front-matter lines and units, in order."""

    front: tuple[str, ...]
    units: tuple[Unit, ...]


def assemble(layout: Layout) -> str:
    """The file a fresh export writes: front matter, then each unit between its marks."""
    out = ["---", *layout.front, "---"]
    for n, unit in enumerate(layout.units):
        out += ["", begin(unit.key, HEAD_NOTE if n == 0 else ""), *unit.lines, END]
    return "\n".join(out) + "\n"


@dataclass(slots=True)
class Existing:
    """A file as found on disk, split into what readmark owns and what the reader wrote."""

    front: list[str] | None = None
    before: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    after: dict[str, list[str]] = field(default_factory=dict)

    @property
    def marked(self) -> bool:
        """Whether the file holds readmark's marks (an export made since they exist)."""
        return bool(self.keys)


def split_front(text: str) -> tuple[list[str] | None, list[str]]:
    """(front-matter lines or None, the lines after it)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and lines[0].rstrip() == "---":
        for n in range(1, len(lines)):
            if lines[n].rstrip() in ("---", "..."):
                return lines[1:n], lines[n + 1 :]
    return None, lines


def parse_existing(text: str) -> Existing:
    """Split an existing export into front matter, units (by key) and the reader's text."""
    front, lines = split_front(text)
    found = Existing(front=front)
    chunk = found.before
    inside = False
    for line in lines:
        match = _BEGIN.fullmatch(line.strip())
        if match:
            key = match.group(1)
            if key in found.after:  # the same unit twice (pasted?): keep the first
                key = f"{key}#{len(found.keys)}"
            found.keys.append(key)
            chunk = found.after.setdefault(key, [])
            inside = True
        elif inside:
            if line.strip() == END:
                inside = False
        else:
            chunk.append(line)
    return found


def is_export(text: str) -> bool:
    """Whether ``text`` is a readmark Markdown export (marked, or from before the marks)."""
    front, lines = split_front(text)
    if any(_BEGIN.fullmatch(line.strip()) for line in lines):
        return True
    keys = {key for key, _ in _entries(front or [])}
    return {"title", "highlights", "notes"} <= keys and any("^hl-" in line for line in lines)


def front_value(text: str, key: str) -> str:
    """A plain or double-quoted scalar from the front matter ("" if absent)."""
    front, _ = split_front(text)
    for name, lines in _entries(front or []):
        if name == key:
            value = lines[0].partition(":")[2].strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            return value
    return ""


def _entries(front: Sequence[str]) -> list[tuple[str | None, list[str]]]:
    """Front-matter lines grouped by top-level key (lines before the first key: None)."""
    entries: list[tuple[str | None, list[str]]] = []
    for line in front:
        match = _KEY.match(line)
        if match and not line[:1].isspace():
            entries.append((match.group(1).strip(), [line]))
        elif entries:
            entries[-1][1].append(line)
        else:
            entries.append((None, [line]))
    return entries


def merge_front(old: Sequence[str] | None, new: Sequence[str]) -> list[str]:
    """readmark's keys as they are now, then the reader's own keys as they were."""
    if not old:
        return list(new)
    owned = OWNED_KEYS | {key for key, _ in _entries(new)}
    kept = [line for key, lines in _entries(old) if key not in owned for line in lines]
    return [*new, *kept]


def _trimmed(lines: Iterable[str]) -> list[str]:
    lines = list(lines)
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def merge(existing: Existing, layout: Layout) -> str:
    """The export ``layout`` written into an existing file, keeping the reader's text.

    A file without marks (an export from before them) keeps only its extra
    front-matter keys: its body was all readmark's.
    """
    out = ["---", *merge_front(existing.front, layout.front), "---"]
    if not existing.marked:
        return assemble(Layout(tuple(out[1:-1]), layout.units))
    new_keys = {unit.key for unit in layout.units}
    carried: dict[str, list[str]] = {}
    last_kept: str | None = None
    before = _trimmed(existing.before)
    tail = _trimmed(existing.after.get(existing.keys[-1], []))
    for key in existing.keys[:-1]:
        text = _trimmed(existing.after.get(key, []))
        if key in new_keys:
            last_kept = key
            carried.setdefault(key, []).extend(text)
        elif text:  # the unit is gone: its reader's text moves up to the unit before
            target = carried.setdefault(last_kept, []) if last_kept else before
            if target:
                target.append("")
            target.extend(text)
    if existing.keys[-1] in new_keys:
        carried.setdefault(existing.keys[-1], [])
    if before:
        out += ["", *before]
    for n, unit in enumerate(layout.units):
        out += ["", begin(unit.key, HEAD_NOTE if n == 0 else ""), *unit.lines, END]
        if carried.get(unit.key):
            out += ["", *carried[unit.key]]
    if tail:
        out += ["", *tail]
    return "\n".join(out) + "\n"


def same_but_time(old: str, new: str) -> bool:
    """Whether two exports differ at most in their ``exported`` time."""
    stamp = re.compile(r"^exported: .*$", re.MULTILINE)
    return stamp.sub("", old.replace("\r\n", "\n")) == stamp.sub("", new)
