"""Block HTML in Markdown, reduced to readable blocks: paragraphs, headings, list items, tables.

``<details>`` opens a titled container (its ``<summary>`` is the title),
``<figure>`` is one block of its image and caption, ``<pre>`` is code, and any
other element is reduced to the paragraphs of its text. Comments, scripts and
styles are hidden; entities are decoded. Markdown may sit between the HTML
blocks of one element (a ``<details>`` holds Markdown between its tags), so the
reader keeps the open containers from one HTML block to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from reader.document.inline import InlineRun, Piece, Tag

_HIDDEN = frozenset({"script", "style", "template", "head", "noscript", "title", "svg"})
#: Embedded media: shown as a marker (with the element's title), their content hidden.
_MEDIA = {"video": "video", "audio": "audio", "iframe": "embed", "object": "embed"}
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
#: Elements that start a block of their own; everything else is inline.
_BLOCKS = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "center",
    "blockquote", "address", "hgroup", "dl", "dt", "dd", "ul", "ol", "li", "form", "fieldset",
    "legend", "caption", "body", "html", "picture", *_HEADINGS,
})
#: Text of a details block without a summary.
DETAILS_TITLE = "Details"


@dataclass(slots=True)
class HtmlBlock:
    """One block found in HTML.

    ``kind`` is ``paragraph``, ``heading`` (``level``), ``item`` (a list item at
    HTML list ``level``, with its ``marker``), ``code`` (``pieces`` hold one
    unstyled piece), ``rule``, ``table`` (``rows`` of cells, ``header_rows``,
    ``aligns``), ``title`` (a details block's summary), ``open`` and ``close``
    (a details block begins or ends).
    """

    kind: str
    pieces: list[Piece] = field(default_factory=list)
    level: int = 0
    marker: str = ""
    rows: list[list[list[Piece]]] = field(default_factory=list)
    header_rows: int = 0
    aligns: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Table:
    rows: list[list[list[Piece]]] = field(default_factory=list)
    header: list[bool] = field(default_factory=list)
    aligns: list[str] = field(default_factory=list)
    cell: InlineRun | None = None
    in_head: bool = False
    depth: int = 1


def collapse(pieces: list[Piece]) -> list[Piece]:
    """HTML white space: runs of spaces and newlines become one space, none at
    the ends; a line break (a piece that is exactly ``"\\n"``) is kept."""
    out: list[Piece] = []
    space = True  # at the start, or after a space or a break
    for text, styles in pieces:
        if text == "\n":
            while out and out[-1][0].endswith(" "):
                trimmed = out[-1][0].rstrip(" ")
                out[-1:] = [(trimmed, out[-1][1])] if trimmed else []
            if out and not out[-1][0].endswith("\n"):
                out.append(("\n", styles))
            space = True
            continue
        words = " ".join(text.split())
        if text[:1].isspace() and not space and words:
            words = " " + words
        elif text[:1].isspace() and not space and not words:
            words = " "
        if text[-1:].isspace() and words and not words.endswith(" "):
            words += " "
        if words == " " and space:
            continue
        if words:
            out.append((words, styles))
            space = words.endswith(" ")
    while out and (out[-1][0].isspace() or out[-1][0].endswith(" ")):
        trimmed = out[-1][0].rstrip()
        out[-1:] = [(trimmed, out[-1][1])] if trimmed else []
    return out


class HtmlReader:
    """Turns the HTML blocks of one article, in order, into :class:`HtmlBlock` s."""

    def __init__(self) -> None:
        self._out: list[HtmlBlock] = []
        self._run = InlineRun()
        self._lists: list[list[int]] = []  # [next number, or -1 for bullets]
        self._item_marker: str | None = None
        self._hidden = 0
        self._pre: list[str] | None = None
        self._heading = 0
        self._figure = 0
        self._summary = False
        self._details = 0
        self._pending_title = False
        self._table: _Table | None = None

    def read(self, source: str) -> list[HtmlBlock]:
        """The blocks of one HTML block of the Markdown source."""
        parser = _Parser(self)
        parser.feed(source)
        parser.close()
        self._flush()
        self._title_if_pending()
        self._run = InlineRun()
        out, self._out = self._out, []
        return out

    # ------------------------------------------------------------ callbacks
    def start(self, tag: Tag) -> None:
        name = tag.name
        if name in _HIDDEN or name in _MEDIA:
            if name in _MEDIA and not self._hidden:
                title = " ".join(tag.attrs.get("title", "").split())
                self._run.add(f"[{_MEDIA[name]}: {title}]" if title else f"[{_MEDIA[name]}]")
            self._hidden += 1
            return
        if self._hidden:
            return
        if self._pre is not None:
            if name == "br":
                self._pre.append("\n")
            return
        if self._table is not None and self._table_start(tag):
            return
        if name == "pre":
            self._flush()
            self._pre = []
        elif name == "hr":
            self._flush()
            self._title_if_pending()
            self._out.append(HtmlBlock("rule"))
        elif name == "details":
            self._flush()
            self._title_if_pending()
            self._out.append(HtmlBlock("open"))
            self._details += 1
            self._pending_title = True
        elif name == "summary":
            self._flush()
            self._summary = True
        elif name == "figure":
            self._flush()
            self._figure += 1
        elif name == "figcaption":
            self._break()
            self._run.push("<figcaption", "italic")
        elif name == "table":
            self._flush()
            self._title_if_pending()
            self._table = _Table()
        elif name in ("ul", "ol"):
            self._flush()
            start = tag.attrs.get("start", "1")
            self._lists.append([int(start) if start.isdigit() else 1] if name == "ol" else [-1])
        elif name == "li":
            self._flush()
            counter = self._lists[-1] if self._lists else [-1]
            if counter[0] < 0:
                self._item_marker = "•◦▪"[max(0, len(self._lists) - 1) % 3]
            else:
                self._item_marker = f"{counter[0]}."
                counter[0] += 1
        elif name in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[name]
        elif name in _BLOCKS:
            self._break() if self._figure else self._flush()
        else:
            self._run.tag(tag)

    def end(self, name: str) -> None:
        if name in _HIDDEN or name in _MEDIA:
            self._hidden = max(0, self._hidden - 1)
            return
        if self._hidden:
            return
        if self._pre is not None:
            if name == "pre":
                code = "".join(self._pre).removeprefix("\n").rstrip("\n")
                self._pre = None
                self._title_if_pending()
                self._out.append(HtmlBlock("code", [(code, ())]))
            return
        if self._table is not None and self._table_end(name):
            return
        if name == "summary" and self._summary:
            pieces = collapse(self._run.finish())
            self._run = InlineRun()
            self._summary = False
            if self._pending_title:
                self._pending_title = False
                self._out.append(HtmlBlock("title", pieces or [(DETAILS_TITLE, ())]))
            elif pieces:
                self._out.append(HtmlBlock("paragraph", pieces))
        elif name == "details":
            self._flush()
            if self._details:
                self._title_if_pending()
                self._details -= 1
                self._out.append(HtmlBlock("close"))
        elif name == "figure":
            self._figure = max(0, self._figure - 1)
            self._flush()
        elif name == "figcaption":
            self._run.pop("<figcaption")
        elif name in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif name == "li":
            self._flush()
            self._item_marker = None
        elif name in _HEADINGS:
            self._flush()
            self._heading = 0
        elif name in _BLOCKS:
            self._break() if self._figure else self._flush()
        else:
            self._run.tag(Tag(name, True, {}))

    def data(self, text: str) -> None:
        if self._hidden:
            return
        if self._pre is not None:
            self._pre.append(text)
        else:  # a newline in HTML text is a space; only <br> breaks the line
            self._run.add(text.replace("\n", " "))

    # ---------------------------------------------------------------- tables
    def _table_start(self, tag: Tag) -> bool:
        table = self._table
        assert table is not None
        name = tag.name
        if name == "table":
            table.depth += 1
        elif table.depth > 1:
            if name in ("td", "th", "tr"):
                self._run.add(" ")
                return True
            return False
        elif name == "thead":
            table.in_head = True
        elif name == "tr":
            self._end_cell()
            table.rows.append([])
            table.header.append(True)  # until a <td> outside <thead> says otherwise
        elif name in ("td", "th"):
            self._end_cell()
            if not table.rows:
                table.rows.append([])
                table.header.append(True)
            if name == "td":
                table.header[-1] = table.in_head
            column = len(table.rows[-1])
            while len(table.aligns) <= column:
                table.aligns.append("")
            align = tag.attrs.get("align", "").lower()
            if align in ("left", "center", "right") and not table.aligns[column]:
                table.aligns[column] = align
            if name == "th":
                self._run.push("<th", "table_header")
            table.cell = self._run
        elif name in ("p", "div", "li", "ul", "ol") and table.cell is not None:
            self._break()
        else:
            return False
        return True

    def _table_end(self, name: str) -> bool:
        table = self._table
        assert table is not None
        if name == "table":
            table.depth -= 1
            if table.depth:
                return True
            self._end_cell()
            self._table = None
            kept = [(row, head) for row, head in zip(table.rows, table.header) if row]
            rows = [row for row, _ in kept]
            if rows:
                header_rows = 0
                while header_rows < len(rows) and kept[header_rows][1]:
                    header_rows += 1
                columns = max(len(row) for row in rows)
                aligns = (table.aligns + [""] * columns)[:columns]
                self._out.append(HtmlBlock("table", rows=rows, header_rows=header_rows,
                                           aligns=aligns))
            return True
        if table.depth > 1:
            return False
        if name in ("td", "th"):
            self._end_cell()
        elif name == "thead":
            table.in_head = False
        elif name in ("tr", "tbody", "tfoot", "caption"):
            self._end_cell()
        elif name not in ("p", "div", "li", "ul", "ol") or table.cell is None:
            return False
        return True

    def _end_cell(self) -> None:
        table = self._table
        if table is None or table.cell is None:
            self._run = InlineRun()
            return
        table.rows[-1].append(collapse(self._run.finish()))
        table.cell = None
        self._run = InlineRun()

    # --------------------------------------------------------------- output
    def _break(self) -> None:
        """A line break inside a block that holds several (a figure, a table cell)."""
        self._run.add("\n")

    def _title_if_pending(self) -> None:
        if self._pending_title:
            self._pending_title = False
            self._out.append(HtmlBlock("title", [(DETAILS_TITLE, ())]))

    def _flush(self) -> None:
        """End the running text as a block of its own, if it has any."""
        if self._table is not None or self._summary:
            return
        run = self._run
        self._run = run.continued()  # styles stay open across blocks
        pieces = collapse(run.finish())
        if not pieces:
            return
        self._title_if_pending()
        if self._heading:
            self._out.append(HtmlBlock("heading", pieces, level=self._heading))
        elif self._item_marker is not None:
            self._out.append(HtmlBlock("item", pieces, level=max(1, len(self._lists)),
                                       marker=self._item_marker))
            self._item_marker = ""
        else:
            self._out.append(HtmlBlock("paragraph", pieces))


class _Parser(HTMLParser):
    """Hands the tags and text of one HTML block to an :class:`HtmlReader`."""

    def __init__(self, reader: HtmlReader) -> None:
        super().__init__(convert_charrefs=True)
        self._reader = reader

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        self._reader.start(Tag(tag.lower(), False, values))

    def handle_endtag(self, tag: str) -> None:
        self._reader.end(tag.lower())

    def handle_data(self, data: str) -> None:
        self._reader.data(data)
