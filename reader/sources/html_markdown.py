"""HTML (an extracted web article, a book's chapter) written as Markdown that reads back exactly.

Both trafilatura's output vocabulary (``head``, ``list``/``item``, ``quote``, ``ref``,
``graphic``, ``hi``, ``row``/``cell``, ``lb``) and plain (X)HTML are understood, so a
web page and an EPUB chapter go through the same writer. Text is escaped so that
nothing in it is read as Markdown: what the reader shows is the page's own text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

#: Elements whose content is never text to read.
SKIPPED = frozenset(
    "script style noscript template title svg math button input select option "
    "textarea form iframe object embed canvas audio video source track map area".split()
)
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LISTS = frozenset(("ul", "ol", "list", "menu", "dir"))
ITEMS = frozenset(("li", "item"))
QUOTES = frozenset(("blockquote", "quote"))
TABLE_ROWS = frozenset(("tr", "row"))
TABLE_CELLS = frozenset(("td", "th", "cell"))
#: Elements that start a block of their own (their content is read as blocks).
BLOCKS = frozenset(
    "p div section article main aside header footer nav figure figcaption address "
    "body html center details summary dl dt dd hr pre table fieldset legend".split()
) | HEADINGS.keys() | LISTS | ITEMS | QUOTES | {"head", "code_block", "graphic_block"}
EMPHASIS = {"em": "*", "i": "*", "cite": "*", "dfn": "*", "var": "*", "strong": "**", "b": "**",
            "del": "~~", "s": "~~", "strike": "~~"}
CODE = frozenset(("code", "kbd", "samp", "tt"))
#: trafilatura's ``<hi rend=…>`` values.
HI = {"#b": "**", "#i": "*", "#u": "", "#t": "`", "#sup": "", "#sub": ""}

_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0]+")
#: Every character that could be Markdown markup (each is escaped with a backslash).
_MARKUP = re.compile(r"[\\`*_\[\]<>#|~&$!]")
# Block openers, and a line of only "-" or "=" (a heading underline under a line of
# text; after a list item's "- " marker even "--" would make a thematic break).
_LINE_START = re.compile(r"(?:[-+=:>]|\d{1,9}[.)])(?=\s|$)|[-=]+[ \t]*$")
_BREAK = "\x00"


#: Tags already seen, and their local names (a page or a book uses a few dozen).
_NAMES: dict[str, str] = {}


def local_name(element: Any) -> str:
    """An element's tag without its namespace, in lower case ("" for comments and the like)."""
    tag = element.tag
    try:
        return _NAMES[tag]
    except (KeyError, TypeError):  # a new tag, or a comment's (a function: not hashable here)
        pass
    if not isinstance(tag, str):
        return ""
    name = _NAMES[tag] = tag.rsplit("}", 1)[-1].lower()
    return name


def _escaped(match: re.Match[str]) -> str:
    return "\\" + match.group()


def escape_text(text: str) -> str:
    """Text with every character that could be Markdown markup escaped."""
    return _MARKUP.sub(_escaped, text)


def collapse(text: str) -> str:
    """Runs of HTML white space (and no-break spaces) as one space."""
    if text.isascii():
        return " ".join(text.split())  # the same spaces, as ASCII has no other
    return _SPACE.sub(" ", text).strip()


def _line_safe(line: str) -> str:
    """A line that cannot open a block (list item, quote, heading underline…)."""
    match = _LINE_START.match(line)
    if match is None:
        return line
    if line[0].isdigit():  # "1." opens a list: escape the dot (a backslash before a digit stays)
        end = match.end() - 1
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def _url(href: str, base: str) -> str:
    """An absolute web address for a link or image, or "" when it is not one to keep."""
    href = href.strip()
    if not href or href.startswith("#"):
        return ""
    absolute = urljoin(base, href) if base else href
    if not absolute.startswith(("http://", "https://", "mailto:")):
        return ""
    return "".join(f"%{ord(c):02X}" if c in " ()<>\"" or ord(c) < 32 else c for c in absolute)


@dataclass
class Anchors:
    """Headings to put where an element with a given id starts (a book's table of contents).

    Attributes:
        at: For each id, the headings (level, title) that begin there.
        keep_headings: Whether the page's own headings stay headings; when the book's
            contents supply the sections, the others become bold paragraphs.
        drop_first_heading: Leave out the page's first heading (its title, already
            given by the contents entry that starts the page).
    """

    at: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    keep_headings: bool = True
    drop_first_heading: bool = False
    used: set[str] = field(default_factory=set)


class MarkdownWriter:
    """Turns one element tree into Markdown blocks (one string per block).

    Args:
        base_url: Where relative links and images are resolved from.
        anchors: Headings to insert at element ids (for books); None for web pages.
    """

    def __init__(self, base_url: str = "", anchors: Anchors | None = None) -> None:
        self.base_url = base_url
        self.anchors = anchors or Anchors()
        self._seen_heading = False

    # ---------------------------------------------------------------- blocks
    def blocks(self, element: Any) -> list[str]:
        """The Markdown blocks of ``element``'s content."""
        out: list[str] = []
        self._content(element, out)
        return out

    def _content(self, element: Any, out: list[str]) -> None:
        run: list[str] = []
        if element.text:
            run.append(escape_text(element.text))
        for child in element:
            name = local_name(child)
            if name and name not in SKIPPED and not (name == "head" and child.get("rend") is None
                                                     and local_name(element) == "html"):
                self._anchor(child, run, out)
                if self._is_block(child, name):
                    self._flush(run, out)
                    self._block(child, name, out)
                else:
                    run.append(self._inline(child))
            if child.tail:
                run.append(escape_text(child.tail))
        self._flush(run, out)

    def _is_block(self, element: Any, name: str) -> bool:
        if name in BLOCKS:
            return True
        if name == "code":  # trafilatura's code blocks hold line breaks
            return "\n" in "".join(element.itertext()).strip()
        if name in ("img", "graphic"):
            return element.getparent() is not None and local_name(element.getparent()) in (
                "figure", "body", "div", "section", "article", "main")
        return False

    def _flush(self, run: list[str], out: list[str]) -> None:
        text = _paragraph("".join(run))
        run.clear()
        if text:
            out.append(text)

    def _anchor(self, element: Any, run: list[str], out: list[str]) -> None:
        """Headings from the book's contents that start at this element."""
        ident = element.get("id")
        if not ident or ident not in self.anchors.at or ident in self.anchors.used:
            return
        if local_name(element) in HEADINGS or local_name(element) == "head":
            return  # the heading itself is replaced (see _heading)
        self.anchors.used.add(ident)
        self._flush(run, out)
        out.extend(_heading_line(level, title) for level, title in self.anchors.at[ident])
        self._seen_heading = True

    def _block(self, element: Any, name: str, out: list[str]) -> None:
        if name in HEADINGS or name == "head":
            self._heading(element, name, out)
        elif name in LISTS:
            self._list(element, name, out)
        elif name in QUOTES:
            inner = self.blocks(element)
            if inner:
                lines = [line for block in _between(inner, "") for line in block.split("\n")]
                out.append("\n".join(">" + (" " + line if line else "") for line in lines))
        elif name in ("pre", "code", "code_block"):
            self._code(element, out)
        elif name == "table":
            self._table(element, out)
        elif name in ("img", "graphic"):
            image = self._image(element)
            if image:
                out.append(image)
        elif name == "hr":
            return
        elif name == "dt":
            text = _paragraph(self._inline_content(element))
            if text:
                out.append(f"**{text}**" if "\n" not in text else text)
        else:
            self._content(element, out)

    def _heading(self, element: Any, name: str, out: list[str]) -> None:
        ids = [element.get("id")] + [e.get("id") for e in element.iter() if e is not element]
        anchored = [i for i in ids if i and i in self.anchors.at and i not in self.anchors.used]
        if anchored:
            for ident in anchored:
                self.anchors.used.add(ident)
                out.extend(_heading_line(level, title) for level, title in self.anchors.at[ident])
            self._seen_heading = True
            return
        text = _one_line(self._inline_content(element, breaks=False))
        if not text:
            return
        first = not self._seen_heading
        self._seen_heading = True
        if first and self.anchors.drop_first_heading and not out:
            return
        if not self.anchors.keep_headings:
            out.append(_line_safe(f"**{text}**"))
            return
        if name == "head":
            rend = (element.get("rend") or "h2").lower()
            level = HEADINGS.get(rend, 2)
        else:
            level = HEADINGS[name]
        out.append(f"{'#' * level} {text}")

    def _list(self, element: Any, name: str, out: list[str]) -> None:
        ordered = name == "ol" or (name == "list" and (element.get("rend") or "") == "ol")
        try:
            number = int(element.get("start") or 1)
        except ValueError:
            number = 1
        items: list[list[str]] = []
        loose = False
        for child in element:
            child_name = local_name(child)
            if child_name in ITEMS:
                inner = self.blocks(child)
            elif child_name in LISTS:  # a list straight inside a list: part of the last item
                inner = []
                self._list(child, child_name, inner)
                if items:
                    items[-1].extend(inner)
                    loose = True
                    continue
            else:
                continue
            if inner:
                items.append(inner)
                loose = loose or len(inner) > 1
        lines: list[str] = []
        for inner in items:
            marker = f"{number}." if ordered else "-"
            number += 1
            indent = " " * (len(marker) + 1)
            item: list[str] = []
            for index, block in enumerate(inner):
                if index:
                    item.append("")
                for at, line in enumerate(block.split("\n")):
                    if index == 0 and at == 0:
                        item.append(f"{marker} {line}")
                    else:
                        item.append(indent + line if line else "")
            lines.append("\n".join(item))
        if lines:
            out.append(("\n\n" if loose else "\n").join(lines))

    def _code(self, element: Any, out: list[str]) -> None:
        text = "".join(_code_text(element)).strip("\n")
        if not text.strip():
            return
        longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        language = ""
        for candidate in (element, *element.iter()):
            for token in (candidate.get("class") or "").split():
                if token.startswith(("language-", "lang-")):
                    language = re.sub(r"[^\w+#.-]", "", token.split("-", 1)[1])
                    break
            if language:
                break
        out.append(f"{fence}{language}\n{text}\n{fence}")

    def _table(self, element: Any, out: list[str]) -> None:
        rows: list[list[str]] = []
        header = False
        for row in _rows(element):
            cells = [c for c in row if local_name(c) in TABLE_CELLS]
            if not cells:
                continue
            if not rows:
                header = all(local_name(c) == "th" or c.get("role") == "head" for c in cells)
            rows.append([_one_line(self._inline_content(c, breaks=False)) for c in cells])
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        if width == 1 and len(rows) <= 2:  # a one-cell layout table: its text is a paragraph
            for row in rows:
                if row[0]:
                    out.append(_line_safe(row[0]))
            return
        rows = [row + [""] * (width - len(row)) for row in rows]
        head = rows[0] if header else [""] * width
        body = rows[1:] if header else rows
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        out.append("\n".join(lines))

    # ---------------------------------------------------------------- inline
    def _inline_content(self, element: Any, *, breaks: bool = True) -> str:
        parts: list[str] = []
        if element.text:
            parts.append(escape_text(element.text))
        for child in element:
            if local_name(child) and local_name(child) not in SKIPPED:
                parts.append(self._inline(child))
            if child.tail:
                parts.append(escape_text(child.tail))
        text = "".join(parts)
        return text if breaks else text.replace(_BREAK, " ")

    def _inline(self, element: Any) -> str:
        name = local_name(element)
        if name in ("br", "lb"):
            return _BREAK
        if name in ("img", "graphic"):
            return self._image(element)
        if name in CODE:
            return _code_span(" ".join("".join(element.itertext()).split()))
        if name in BLOCKS:  # a block inside a line (a paragraph in a link…): its words
            return " " + self._inline_content(element) + " "
        inner = self._inline_content(element)
        if name in ("a", "ref"):
            href = _url(element.get("href") or element.get("target") or "", self.base_url)
            words = collapse(inner)
            if href and words and _BREAK not in words:
                return f"{_leading(inner)}[{words}]({href}){_trailing(inner)}"
            return inner
        marker = EMPHASIS.get(name)
        if name == "hi":
            marker = HI.get((element.get("rend") or "").lower(), "")
            if marker == "`":
                return _code_span(" ".join("".join(element.itertext()).split()))
        if marker:
            words = collapse(inner)
            if words and _BREAK not in words:
                return f"{_leading(inner)}{marker}{words}{marker}{_trailing(inner)}"
        return inner

    def _image(self, element: Any) -> str:
        alt = _one_line(escape_text(element.get("alt") or element.get("title") or ""))
        if not alt:
            return ""
        src = _url(element.get("src") or "", self.base_url)
        return f"![{alt}]({src})"


def _heading_line(level: int, title: str) -> str:
    return f"{'#' * max(1, min(6, level))} {_one_line(escape_text(title)) or '…'}"


def _between(blocks: list[str], gap: str) -> Iterable[str]:
    for index, block in enumerate(blocks):
        if index:
            yield gap
        yield block


def _rows(table: Any) -> Iterable[Any]:
    """A table's rows, not those of tables inside its cells."""
    for child in table:
        name = local_name(child)
        if name in TABLE_ROWS:
            yield child
        elif name in ("thead", "tbody", "tfoot"):
            yield from _rows(child)


def _code_text(element: Any) -> Iterable[str]:
    if element.text:
        yield element.text
    for child in element:
        if local_name(child) in ("br", "lb"):
            yield "\n"
        elif local_name(child):
            yield from _code_text(child)
        if child.tail:
            yield child.tail


def _code_span(text: str) -> str:
    if not text.strip():
        return ""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _leading(text: str) -> str:
    return " " if text[:1].isspace() else ""


def _trailing(text: str) -> str:
    return " " if text[-1:].isspace() else ""


def _one_line(text: str) -> str:
    return collapse(text.replace(_BREAK, " "))


def _paragraph(text: str) -> str:
    """Inline pieces made one paragraph: spaces collapsed, line breaks kept (as ``\\``)."""
    if _BREAK not in text:  # the usual paragraph: one line
        line = collapse(text)
        return _line_safe(line) if line else ""
    lines = [collapse(line) for line in text.split(_BREAK)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    lines = [line for line in lines if line]
    return "\\\n".join(_line_safe(line) for line in lines)


def to_markdown(
    blocks: Iterable[str],
    metadata: Mapping[str, str],
    *,
    title_heading: str = "",
    keep: Callable[[str], bool] | None = None,
) -> str:
    """A Markdown article: front matter, an optional ``# title`` and the blocks."""
    from reader.sources.snapshots import front_matter

    body = [block for block in blocks if keep is None or keep(block)]
    head = [front_matter(metadata)]
    if title_heading:
        head.append(_heading_line(1, title_heading))
    return "\n\n".join([*head, *body]) + "\n"
