"""Running text and its inline styles: Markdown inline tokens and inline HTML, reduced to text.

A paragraph's inline content becomes ``(text, styles)`` pieces, markup removed.
Inline HTML is rendered or reduced to its text: ``<br>`` breaks the line,
``<b>``/``<i>``/``<code>``/``<kbd>``/``<a href>`` style their text, ``<img>`` is
its alt text behind a marker, ``<sup>``/``<sub>`` become Unicode superscripts
or subscripts where every character has one (``^…``/``_…`` otherwise), and any
other tag is dropped, keeping the text it encloses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape
from typing import NamedTuple

from markdown_it.token import Token

Style = tuple[tuple[str, str | None], ...]
Piece = tuple[str, Style]

#: Inline HTML tags that style their text, and the style.
STYLE_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "cite": "italic",
    "var": "italic", "dfn": "italic", "s": "strike", "del": "strike", "strike": "strike",
    "code": "code", "tt": "code", "samp": "code", "kbd": "kbd", "a": "link",
}
_MARKDOWN_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|"
    r"[^\s\"'=<>`]+))?)*)\s*(/?)>\Z",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUPERSCRIPTABLE = frozenset("0123456789+-=()ni")
_SUBSCRIPTABLE = frozenset("0123456789+-=()")


class Tag(NamedTuple):
    """One HTML tag: ``<name attrs>``, ``</name>`` or ``<name/>``."""

    name: str
    closing: bool
    attrs: dict[str, str]


def parse_tag(source: str) -> Tag | None:
    """The tag in ``source`` (one whole tag); None for comments and anything else."""
    match = _TAG.match(source.strip())
    if match is None:
        return None
    attrs: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(match.group(3)):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs.setdefault(name.lower(), unescape(value))
    return Tag(match.group(2).lower(), bool(match.group(1)), attrs)


def image_text(alt: str) -> str:
    """How an image shows in the text: its alt text behind a marker every terminal draws."""
    alt = " ".join(alt.split())
    return f"[image: {alt}]" if alt else "[image]"


def script_text(tag: str, text: str) -> tuple[str, str, bool]:
    """How ``<sup>``/``<sub>`` text is shown: (before, after, translate).

    With ``translate`` every character has a Unicode superscript (subscript) and
    the text is shown with them; otherwise it is shown as it is, between
    ``before`` and ``after`` (``^``, ``_`` and parentheses around several words).
    Text already in brackets, like a footnote's ``[1]``, is shown as it is.
    """
    stripped = text.strip()
    allowed = _SUPERSCRIPTABLE if tag == "sup" else _SUBSCRIPTABLE
    if stripped and set(stripped) <= allowed:
        return "", "", True
    if not stripped or (stripped[0] in "[(" and stripped[-1] in "])"):
        return "", "", False
    sign = "^" if tag == "sup" else "_"
    if any(character.isspace() for character in stripped):
        return sign + "(", ")", False
    return sign, "", False


class InlineRun:
    """Collects pieces of text under a stack of open styles.

    Styles are opened and closed by key (a Markdown token name or an HTML tag),
    so a closing tag closes its own opening even when they are not nested
    properly; a close with nothing to close is ignored.
    """

    def __init__(self) -> None:
        self._active: list[tuple[str, str, str | None]] = []
        self._styles: Style = ()
        self._out: list[Piece] = []
        self._scripts: list[tuple[str, list[Piece]]] = []

    def styles(self) -> Style:
        return self._styles

    def continued(self) -> InlineRun:
        """A new, empty run with the styles still open in this one."""
        run = InlineRun()
        run._active = list(self._active)
        run._styles = self._styles
        return run

    def add(self, text: str, *extra: tuple[str, str | None]) -> None:
        if text:
            self._out.append((text, self._styles + extra if extra else self._styles))

    def push(self, key: str, style: str, href: str | None = None) -> None:
        self._active.append((key, style, href))
        self._restyle()

    def pop(self, key: str) -> None:
        for position in range(len(self._active) - 1, -1, -1):
            if self._active[position][0] == key:
                del self._active[position]
                self._restyle()
                return

    def _restyle(self) -> None:
        self._styles = tuple(dict.fromkeys((style, href) for _, style, href in self._active))

    def tag(self, tag: Tag) -> None:
        """Apply an inline HTML tag."""
        name = tag.name
        if name == "br":
            self.add("\n")
        elif name == "img":
            self.add(image_text(tag.attrs.get("alt", "")), ("image", tag.attrs.get("src", "")))
        elif name in ("sup", "sub"):
            if tag.closing:
                self._end_script(name)
            else:
                self._scripts.append((name, self._out))
                self._out = []
        elif name in STYLE_TAGS:
            if tag.closing:
                self.pop("<" + name)
            else:
                href = tag.attrs.get("href") if name == "a" else None
                if name != "a" or href:
                    self.push("<" + name, STYLE_TAGS[name], href)

    def _end_script(self, name: str) -> None:
        while self._scripts:
            tag, outer = self._scripts.pop()
            inner, self._out = self._out, outer
            before, after, translate = script_text(tag, "".join(text for text, _ in inner))
            table = _SUPERSCRIPT if tag == "sup" else _SUBSCRIPT
            self.add(before)
            for text, styles in inner:
                self._out.append((text.translate(table) if translate else text, styles))
            self.add(after)
            if tag == name:
                return

    def finish(self) -> list[Piece]:
        """The pieces collected; any ``<sup>``/``<sub>`` left open is closed."""
        while self._scripts:
            self._end_script(self._scripts[-1][0])
        return self._out


def inline_pieces(children: Iterable[Token]) -> list[Piece]:
    """(text, styles) runs of an inline token's children, markup removed."""
    run = InlineRun()
    for child in children:
        kind = child.type
        if kind == "text":
            run.add(child.content)
        elif kind == "softbreak":
            run.add(" ")
        elif kind == "hardbreak":
            run.add("\n")
        elif kind == "code_inline":
            run.add(child.content, ("code", None))
        elif kind.endswith("_open") and kind[:-5] in _MARKDOWN_STYLES:
            run.push(kind[:-5], _MARKDOWN_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in _MARKDOWN_STYLES:
            run.pop(kind[:-6])
        elif kind == "link_open":
            run.push("link", "link", str(child.attrGet("href") or ""))
        elif kind == "link_close":
            run.pop("link")
        elif kind == "image":
            alt = plain_text(child.children or []) or child.content
            run.add(image_text(alt), ("image", str(child.attrGet("src") or "")))
        elif kind == "footnote_ref":
            run.add(f"[{child.meta.get('label', '')}]", ("footnote_ref", None))
        elif kind == "html_inline":
            tag = parse_tag(child.content)
            if tag is not None:
                run.tag(tag)
        elif child.content:
            run.add(child.content)
    return run.finish()


def plain_text(children: Iterable[Token]) -> str:
    """The text of an inline token's children, markup removed."""
    return "".join(text for text, _ in inline_pieces(children))
