"""Text made inert for a terminal: no control or bidi character of an article reaches it.

An article, a note, a tag or an imported file may hold characters a terminal
obeys instead of showing: ``ESC ] 0 ; … BEL`` sets the window title, ``ESC ] 52``
writes the clipboard, ``ESC [`` moves the cursor or repaints, a carriage return
or a backspace overwrites what was shown, and the bidi overrides reorder the
text around them so that what is read is not what is there. :func:`inert` turns
any string into one that only shows characters, whatever it held:

* C0 controls (U+0000–U+001F, ESC among them) and DEL become their visible
  Control Pictures (``␛``, ``␇``, ``␍``, ``␡``…), one cell wide like the
  character they replace, so the reader sees that something odd was there;
  the one exception: in ``multiline`` mode a line feed and a tab stay, and a
  CR LF pair becomes a line feed.
* In one-line mode (the default, for titles, table cells and status lines) line
  feeds, carriage returns and tabs become spaces instead.
* C1 controls (U+0080–U+009F; U+009B is a one-character ``ESC [`` to some
  terminals) become U+FFFD, the replacement character.
* The bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
  are removed: the text then shows in its plain order. The bidi marks (LRM, RLM,
  ALM) are kept, as right-to-left text needs them and they reorder nothing but
  the punctuation next to them.
* A lone surrogate (which cannot be written as UTF-8) becomes U+FFFD.

Everything else is kept as it is, so ordinary text, however foreign, is unchanged
and the function costs one regular-expression search when there is nothing to do.
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "inert", "is_inert"]

#: The bidi embedding, override and isolate characters, which :func:`inert` removes.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
_UNSAFE_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in BIDI_CONTROLS:
        return ""
    return "\ufffd"  # C1 controls and lone surrogates


_ONE_LINE = {"\n": " ", "\r": " ", "\t": " "}


def _one_line(match: re.Match[str]) -> str:
    char = match.group()
    return _ONE_LINE.get(char) or _picture(char)


def _multiline(match: re.Match[str]) -> str:
    return _picture(match.group())


def inert(text: str, *, multiline: bool = False) -> str:
    """``text`` with every character a terminal would obey made visible or removed.

    Args:
        text: Any string (an article's title, a note, a tag, a path, a message).
        multiline: Keep line feeds and tabs (a CR LF pair becomes a line feed);
            otherwise they, and carriage returns, become spaces.

    Returns:
        The text as it may be written to a terminal; unchanged when it holds
        nothing unsafe.
    """
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE
    if pattern.search(text) is None:
        return text
    if multiline:
        return pattern.sub(_multiline, text.replace("\r\n", "\n"))
    return pattern.sub(_one_line, text)


def is_inert(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds nothing :func:`inert` would change."""
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE
    return pattern.search(text) is None
