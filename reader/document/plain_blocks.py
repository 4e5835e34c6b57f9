"""Paragraph segmentation of plain text: cutting runs of lines into candidate blocks.

The paragraph convention (one line per paragraph, or hard-wrapped lines) is
chosen once per document by :func:`detect_layout`; the :class:`Segmenter` then
cuts each run of non-blank lines into units (paragraphs, list items, rules,
code, underlined heading candidates) by that convention. Which units become
headings is decided afterwards, in :mod:`reader.document.plain_outline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.document.model import BlockKind
from reader.document.plain_headings import HeadingShape, heading_shape
from reader.document.plain_layout import Layout
from reader.document.plain_lines import (
    LIST,
    RULE,
    UNDERLINE,
    centred,
    ends_sentence,
    entry_text,
    first_word_len,
    indent_of,
    join_lines,
    looks_like_code,
    verse_shape,
)


@dataclass(slots=True)
class Unit:
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
    role: str = ""
    rule: str = ""
    last: int = -1


class Segmenter:
    """Cuts the source lines into units according to the layout."""

    def __init__(
        self,
        contents: list[str],
        quotes: list[int],
        layout: Layout,
        claims: dict[int, str] | None = None,
    ) -> None:
        self.contents = contents
        self.quotes = quotes
        self.layout = layout
        self.claims = claims or {}
        self.verse: set[int] = set()
        self.units: list[Unit] = []
        self._shapes: dict[int, HeadingShape | None] = {}

    def shape(self, index: int) -> HeadingShape | None:
        if index not in self._shapes:
            self._shapes[index] = heading_shape(self.contents[index])
        return self._shapes[index]

    def short(self, index: int, next_index: int) -> bool:
        """True when a greedy wrapper would have pulled the next word up."""
        length = len(self.contents[index].rstrip())
        return length + 1 + first_word_len(self.contents[next_index]) <= self.layout.width

    # -- helpers shared by both conventions

    def _list_unit(self, index: int, match: re.Match[str], stack: list[int]) -> Unit:
        indent = indent_of(match.group("indent"))
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
        return Unit(
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
        match = UNDERLINE.fullmatch(self.contents[index])
        if match and len(match.group(1)) >= 3:
            return match.group(1)[0]
        return ""

    def _code_unit(self, indexes: list[int]) -> Unit:
        lines = [self.contents[i].rstrip().expandtabs(4) for i in indexes]
        cut = min(indent_of(line) for line in lines if line.strip())
        return Unit(
            BlockKind.CODE,
            indexes[0],
            "\n".join(line[cut:] for line in lines),
            single=False,
            quote=self.quotes[indexes[0]],
        )

    def _claimed(self, index: int) -> bool:
        """Emit the line as a contents label or entry when it was claimed as one."""
        claim = self.claims.get(index)
        if claim is None:
            return False
        text = entry_text(self.contents[index])
        if claim == "entry":
            unit = Unit(BlockKind.LIST_ITEM, index, text, marker="•", depth=1, in_list=True)
        else:
            unit = Unit(BlockKind.PARAGRAPH, index, text)
        unit.role = "contents"
        unit.rule = "contents: a list under the CONTENTS line, never headings"
        self.units.append(unit)
        return True

    def find_verse(self, runs: list[list[int]]) -> None:
        """Mark the runs that keep their line breaks: verse-like ones, and runs of the
        same form as those (the other stanzas of a poem)."""
        if self.layout.dense:
            return
        width = self.layout.width
        forms: list[float] = []
        maybe: list[tuple[int, float]] = []
        for run in runs:
            if len(run) < 3 or run[0] in self.claims:
                continue
            lines = [self.contents[i] for i in run]
            if sum(map(len, lines)) > 60 * len(lines):
                continue  # lines this long on average are prose (verse_shape says so too)
            shape = verse_shape(lines, width)
            if shape is None:
                continue
            if shape[1]:
                self.verse.add(run[0])
                forms.append(shape[0])
            else:
                maybe.append((run[0], shape[0]))
        for start, mean in maybe:
            if any(0.8 * form <= mean <= 1.25 * form for form in forms):
                self.verse.add(start)

    def _verse(self, run: list[int]) -> bool:
        """Emit the run as one block that keeps its line breaks, if it is verse-like."""
        if run[0] not in self.verse:
            return False
        lines = [self.contents[i] for i in run]
        indented = all(indent_of(line) >= self.layout.base_indent + 4 for line in lines)
        if indented and looks_like_code(lines):
            return False
        self.units.append(
            Unit(
                BlockKind.PARAGRAPH,
                run[0],
                "\n".join(line.strip() for line in lines),
                single=False,
                quote=self.quotes[run[0]] + (1 if indented else 0),
                role="verse",
                rule="line breaks kept: short, ragged lines (verse, an address)",
                last=run[-1],
            )
        )
        return True

    # -- one line per paragraph

    def one_line(self, runs: list[list[int]]) -> list[Unit]:
        base = self.layout.base_indent
        self.find_verse(runs)
        for run in runs:
            stack: list[int] = []
            position = 0
            checked = 0  # lines before this were already judged not to be code
            if self._claimed(run[0]) or self._verse(run):
                continue
            while position < len(run):
                index = run[position]
                line = self.contents[index]
                # Indented code: consecutive code-like lines indented past the body.
                if position >= checked and indent_of(line) >= base + 4:
                    end = position
                    while end < len(run) and indent_of(self.contents[run[end]]) >= base + 4:
                        end += 1
                    block = run[position:end]
                    if len(block) >= 2 and looks_like_code([self.contents[i] for i in block]):
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
                if RULE.fullmatch(line):
                    self.units.append(Unit(BlockKind.RULE, index, ""))
                    stack = []
                    continue
                match = LIST.fullmatch(line)
                if match:
                    self.units.append(self._list_unit(index, match, stack))
                    continue
                stack = []
                self.units.append(
                    Unit(BlockKind.PARAGRAPH, index, line.strip(), quote=self.quotes[index])
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
            if unit.kind is not BlockKind.LIST_ITEM or unit.role:
                continue
            before = units[position - 1] if position else None
            after = units[position + 1] if position + 1 < len(units) else None
            before = None if before is not None and before.role else before
            after = None if after is not None and after.role else after
            if before is not None and before.kind is BlockKind.LIST_ITEM:
                unit.in_list = True
            elif after is not None and after.kind is BlockKind.LIST_ITEM:
                unit.in_list = (
                    unit.number is None or after.number is not None or after.depth > unit.depth
                )

    # -- hard-wrapped paragraphs

    def hard_wrapped(self, runs: list[list[int]]) -> list[Unit]:
        base = self.layout.base_indent
        self.find_verse(runs)
        for run in runs:
            if self._claimed(run[0]):
                continue
            lines = [self.contents[i] for i in run]
            if all(centred(line, self.layout.width) for line in lines):
                for index in run:
                    self.units.append(
                        Unit(BlockKind.PARAGRAPH, index, self.contents[index].strip())
                    )
                continue
            indented = all(indent_of(line) >= base + 4 for line in lines)
            if indented and not LIST.fullmatch(lines[0]) and looks_like_code(lines):
                self.units.append(self._code_unit(run))
                continue
            if len(run) >= 2 and all("   " in line.strip() for line in lines):
                self.units.append(self._code_unit(run))
                continue
            if self._verse(run):
                continue
            if indented and not LIST.fullmatch(lines[0]):
                self.units.append(
                    Unit(
                        BlockKind.PARAGRAPH,
                        run[0],
                        join_lines(lines),
                        single=False,
                        quote=self.quotes[run[0]] + 1,
                    )
                )
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
        if short and ends_sentence(self.contents[prev]):
            last = position == len(run) - 1
            if self._heading_line(index) and (last or self.short(index, run[position + 1])):
                return True  # a heading line directly below a paragraph
            if self.layout.dense:
                return True
        if self.layout.dense:
            if short and self.shape(prev):
                return True
            if indent_of(self.contents[index]) > indent_of(self.contents[prev]) + 1:
                return True  # first-line indent marks a new paragraph
        return False

    def _hard_run(self, run: list[int]) -> None:
        current: list[int] = []
        item: Unit | None = None
        item_lines: list[str] = []
        stack: list[int] = []

        def flush() -> None:
            nonlocal item, item_lines, current
            if item is not None:
                item.text = join_lines(item_lines)
                item.single = len(item_lines) == 1
                self.units.append(item)
                item, item_lines = None, []
            if current:
                self.units.append(
                    Unit(
                        BlockKind.PARAGRAPH,
                        current[0],
                        join_lines([self.contents[i] for i in current]),
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
                    Unit(
                        BlockKind.PARAGRAPH,
                        head,
                        self.contents[head].strip(),
                        quote=self.quotes[head],
                        underline=underline,
                    )
                )
                continue
            if RULE.fullmatch(line):
                flush()
                stack = []
                self.units.append(Unit(BlockKind.RULE, index, ""))
                continue
            match = LIST.fullmatch(line)
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
                if indent_of(line) <= indent_of(self.contents[item.line]) and self.short(
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
