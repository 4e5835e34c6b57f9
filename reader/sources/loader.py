"""Reading an article file: checks that give one human sentence, and the parser choice.

Everything a user can get wrong (a missing file, a directory, a binary, an empty
or huge file, a file that is not UTF-8) is an ``ArticleError`` with a message fit
for the terminal; the CLI prints it and exits with status 2.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field

from reader.document.inert import inert
from reader.document.model import Document

#: Larger files are not articles (and would not be pleasant to read here).
MAX_ARTICLE_BYTES = 50 * 1024 * 1024
#: Above this share of undecodable bytes a file is taken as binary, not text.
MAX_INVALID_SHARE = 0.05


class ArticleError(Exception):
    """The file cannot be opened as an article; ``str()`` is the message for the user."""


@dataclass(slots=True)
class ArticleSource:
    """An article's text as read from disk, before parsing."""

    path: str
    text: str
    format: str  # "markdown" or "plain"
    fingerprint: str
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def fingerprint(text: str) -> str:
    """A content fingerprint that ignores line endings and surrounding blank space."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:32]


def holds(path: str, expected: str) -> bool:
    """Whether the file at ``path`` is still there with the content ``expected``
    (a fingerprint): then a file with that content elsewhere is a copy, not a move."""
    try:
        return os.path.isfile(path) and read_article(path).fingerprint == expected
    except (ArticleError, OSError):
        return False


def read_article(path: str | os.PathLike[str]) -> ArticleSource:
    """Read and check an article file.

    Only a regular file is read (a FIFO, a device such as ``/dev/zero``, a socket or
    a folder is refused before anything is read from it), and never more than
    :data:`MAX_ARTICLE_BYTES` (plus one byte, to tell that it is larger), even when
    the file grows while it is read.

    Raises:
        ArticleError: with a one-line explanation when it cannot be read as text.
    """
    shown = inert(str(path))
    data = read_regular_file(path, shown, MAX_ARTICLE_BYTES)
    text, warnings = decode_text(data, shown)
    if not text.strip():
        raise ArticleError(f"{shown}: the file is empty")
    return ArticleSource(
        path=str(path),
        text=text,
        format=detect_format(text),
        fingerprint=fingerprint(text),
        warnings=warnings,
    )


def _kind(mode: int, what: str) -> str | None:
    """What a file that is not a regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        kind = "a directory"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "something other than a regular file"
    return f"is {kind}, not {what}"


def _too_large(size: int, limit: int, what: str) -> str:
    return f"too large for {what} ({size / 1e6:.0f} MB; the limit is {limit >> 20} MB)"


def read_regular_file(
    path: str | os.PathLike[str],
    shown: str,
    limit: int = MAX_ARTICLE_BYTES,
    what: str = "an article file",
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ArticleError otherwise
    (without reading anything from a FIFO, a device or a socket).

    Args:
        path: The file.
        shown: How messages name it.
        limit: The most bytes read.
        what: What the file should be, for messages ("an article file").
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ArticleError(f"{shown}: no such file") from None
    except PermissionError:
        raise ArticleError(f"{shown}: permission denied") from None
    except OSError as error:
        raise ArticleError(f"{shown}: cannot be read ({error.strerror or error})") from None
    kind = _kind(info.st_mode, what)
    if kind is not None:  # before opening: opening a FIFO would wait for a writer
        raise ArticleError(f"{shown}: {kind}")
    if info.st_size > limit:
        raise ArticleError(f"{shown}: {_too_large(info.st_size, limit, what)}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise ArticleError(f"{shown}: permission denied") from None
    except OSError as error:
        raise ArticleError(f"{shown}: cannot be read ({error.strerror or error})") from None
    try:
        kind = _kind(os.fstat(fd).st_mode, what)  # the path may have been swapped meanwhile
        if kind is not None:
            raise ArticleError(f"{shown}: {kind}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise ArticleError(f"{shown}: cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if size > limit:  # it grew past the limit while being read
        raise ArticleError(f"{shown}: too large for {what} (over the {limit >> 20} MB limit)")
    return b"".join(chunks)


def decode_text(data: bytes, shown: str) -> tuple[str, list[str]]:
    """Decode UTF-8 (with or without BOM); keep going past bad bytes, with a warning."""
    if b"\x00" in data[:65536]:
        raise ArticleError(f"{shown}: is a binary file, not a text article")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if bad > max(16, len(data) * MAX_INVALID_SHARE):
        raise ArticleError(f"{shown}: does not look like UTF-8 text (is it a binary file?)")
    return text, [f"{shown}: {bad} byte(s) were not valid UTF-8 and are shown as �"]


def detect_format(text: str) -> str:
    """"markdown" or "plain": by content first, so a .md file that is really plain
    text gets plain-text structure detection, and a .txt full of Markdown gets Markdown."""
    from reader.document.plaintext import looks_like_plain_text

    return "plain" if looks_like_plain_text(text) else "markdown"


def parse_article(source: ArticleSource) -> Document:
    """Parse a whole article with the parser its format calls for."""
    if source.format == "plain":
        from reader.document.plaintext import parse_plaintext

        return parse_plaintext(source.text, source.path)
    from reader.document.markdown import parse_markdown

    return parse_markdown(source.text, source.path)


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read and parse in one call (for the CLI's non-UI commands and tests)."""
    return parse_article(read_article(path))
