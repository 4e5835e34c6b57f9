"""Opening any source as an article: a file, a URL, a saved page, an EPUB book or standard input.

Everything but a Markdown or plain-text file becomes a snapshot (see
:mod:`reader.sources.snapshots`) in a folder the caller gives, and is then read
exactly like a Markdown file: reopening a URL reads its snapshot without the
network, and a page or a book that has not changed is not converted again. A
failure raises ``ArticleError`` before anything is written.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from reader.document.inert import inert
from reader.sources.loader import (
    MAX_ARTICLE_BYTES,
    ArticleError,
    ArticleSource,
    decode_text,
    fingerprint,
    read_article,
    read_regular_file,
)
from reader.sources.snapshots import (
    body_of,
    front_matter_of,
    key_for_file,
    key_for_stdin,
    key_for_url,
    normal_url,
    read_front_matter,
    with_front_matter,
    write_snapshot,
)
from reader.sources.web import is_url

#: Suffixes read as a saved web page, and as a book.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
BOOK_SUFFIXES = (".epub",)
STDIN = "-"
#: How messages name standard input.
STDIN_NAME = "standard input"
#: Front matter keys that do not make a refreshed snapshot different.
_VOLATILE = ("fetched",)

#: Told of a snapshot's first part before the whole is written: (the snapshot's path,
#: the first part's text, the whole's expected length); see :mod:`reader.sources.partial`.
FirstPart = Callable[[Path, str, int], None]


@dataclass(slots=True)
class Opened:
    """An article ready to read, and where it came from.

    Attributes:
        source: The text to parse (a snapshot's, for everything but a file).
        origin: What was opened: the URL, the file's absolute path, or "standard input".
        kind: "file", "web", "page", "book" or "stdin".
        snapshot: The snapshot file, or None for a Markdown or plain-text file.
        written: Whether the snapshot was written (new, or changed by a refresh).
        previous: The snapshot's text before it was replaced, on a refresh.
    """

    source: ArticleSource
    origin: str
    kind: str
    snapshot: Path | None = None
    written: bool = False
    previous: str | None = None


def kind_of(argument: str) -> str:
    """What an ARTICLE argument names: "web", "stdin", "book", "page" or "file"."""
    if argument == STDIN:
        return "stdin"
    if is_url(argument):
        return "web"
    suffix = os.path.splitext(argument)[1].lower()
    if suffix in BOOK_SUFFIXES:
        return "book"
    if suffix in PAGE_SUFFIXES:
        return "page"
    return "file"


def open_source(argument: str, folder: Path, *, refresh: bool = False,
                stdin: BinaryIO | None = None, first_part: FirstPart | None = None) -> Opened:
    """Open ``argument`` (a path, a URL or ``-``), making or reusing its snapshot in ``folder``.

    Args:
        argument: As given on the command line.
        folder: Where snapshots live.
        refresh: Fetch or convert again even when a snapshot exists.
        stdin: The stream ``-`` reads (default: the process's standard input).
        first_part: For a long page, book or URL converted into a new snapshot: told
            of the snapshot's beginning as soon as it is known.

    Raises:
        ArticleError: One line naming the source and the reason.
    """
    kind = kind_of(argument)
    if kind == "web":
        return open_url(argument, folder, refresh=refresh, first_part=first_part)
    if kind == "stdin":
        return open_stdin(stdin if stdin is not None else sys.stdin.buffer, folder)
    if kind in ("book", "page"):
        return open_converted(argument, folder, kind, refresh=refresh, first_part=first_part)
    source = read_article(argument)
    if os.path.splitext(argument)[1].lower() not in (".md", ".markdown", ".txt", ".text"):
        from reader.sources.html_article import looks_like_html

        if looks_like_html(source.text):  # a saved page without .html in its name
            return open_converted(argument, folder, "page", refresh=refresh,
                                  first_part=first_part)
    return Opened(source=source, origin=os.path.abspath(argument), kind="file")


def needs_conversion(argument: str, folder: Path) -> bool:
    """Whether opening ``argument`` means fetching or converting (no up-to-date snapshot yet).

    Cheap: it reads the snapshot's front matter and, for a page or a book, hashes the file.
    """
    kind = kind_of(argument)
    if kind == "web":
        return not (folder / key_for_url(normal_url(argument))).is_file()
    if kind not in ("page", "book"):
        return False
    try:
        info = os.stat(argument)
    except OSError:
        return False  # the error is the opening's to give
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ARTICLE_BYTES:
        return False  # never opened here: a FIFO would wait, a huge file is refused later
    stored_front = front_matter_of(folder / key_for_file(os.path.abspath(argument), kind))
    if stored_front is None:
        return True  # no snapshot yet
    stored = stored_front.get("origin_sha256")
    try:
        digest = hashlib.sha256()
        with open(argument, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return True  # the file cannot be read: the error comes with the opening
    return stored != digest.hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _existing(path: Path) -> ArticleSource | None:
    """The snapshot at ``path`` if there is a readable one."""
    if not path.is_file():
        return None
    try:
        return read_article(path)
    except ArticleError:
        return None  # damaged or emptied: it is made again


def _same(old: str, new: str) -> bool:
    """Whether two snapshots say the same (apart from when they were fetched)."""
    if body_of(old) != body_of(new):
        return False
    first, second = read_front_matter(old), read_front_matter(new)
    for key in _VOLATILE:
        first.pop(key, None)
        second.pop(key, None)
    return first == second


def _store(path: Path, text: str, origin: str, kind: str, old: ArticleSource | None) -> Opened:
    """Write ``text`` as the snapshot at ``path`` unless it says what the old one said."""
    if old is not None and _same(old.text, text):
        return Opened(source=old, origin=origin, kind=kind, snapshot=path, written=False,
                      previous=old.text)
    try:
        write_snapshot(path, text)
    except OSError as error:
        raise ArticleError(f"{inert(origin)}: its snapshot could not be saved in {path.parent} "
                           f"({error.strerror or error})") from None
    return Opened(source=read_article(path), origin=origin, kind=kind, snapshot=path,
                  written=True, previous=None if old is None else old.text)


def _told(first_part: FirstPart | None, path: Path, old: ArticleSource | None
          ) -> Callable[[str, int], None] | None:
    """``first_part`` for the snapshot at ``path``: only for a new one (a reader showing
    an old snapshot's file is not shown another beginning)."""
    if first_part is None or old is not None or path.exists():
        return None
    return lambda text, expected: first_part(path, text, expected)


def open_url(url: str, folder: Path, *, refresh: bool = False,
             first_part: FirstPart | None = None) -> Opened:
    """A web article: its snapshot if there is one (unless ``refresh``), else fetched now."""
    from reader.sources.web import fetch

    origin = normal_url(url)
    path = folder / key_for_url(origin)
    old = _existing(path)
    if old is not None and not refresh:
        return Opened(source=old, origin=origin, kind="web", snapshot=path)
    page = fetch(url)
    shown = inert(url.strip())
    extra = {"origin": origin, "kind": "web", "fetched": _now()}
    if page.is_html:
        from reader.sources.html_article import decode_html, extract_article

        html, _ = decode_html(page.data, page.charset)
        text = extract_article(html, shown=shown, url=page.final_url, extra=extra,
                               first_part=_told(first_part, path, old)).markdown
    else:  # a text article (Markdown or plain text): kept as sent, with front matter
        text = _text_snapshot(_text_of(page.data, page.charset, shown), page.final_url, extra)
    return _store(path, text, origin, "web", old)


def _text_of(data: bytes, charset: str | None, shown: str) -> str:
    """A text article's text, in the charset its server named (else as a file's)."""
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass
    return decode_text(data, shown)[0]


#: A first line longer than this is a paragraph, not a title (the address is the title).
TITLE_LINE_LIMIT = 100


def _text_snapshot(text: str, url: str, extra: dict[str, str]) -> str:
    """A text article with the front matter of a web article, so that it is known by
    its title and address like any other (``format: plain`` keeps plain text plain).

    The title is its first line (a Markdown heading's text), else its address. Plain
    text whose first line the plain-text reader already takes as its title is given
    none (a title in front matter changes how that reader ranks the headings).
    """
    from reader.document.plaintext import looks_like_plain_text, parse_plaintext

    plain = looks_like_plain_text(text)
    first = next((line.strip() for line in body_of(text).splitlines() if line.strip()), "")
    if not plain and first.startswith("#"):
        first = first.lstrip("#").strip().rstrip("#").strip()
    title = " ".join(first.split())
    if not title or len(title) > TITLE_LINE_LIMIT:
        title = url
    fields = {"title": title, "url": url, **extra}
    if plain:
        fields["format"] = "plain"
        if parse_plaintext(text[:20_000]).title == title:
            del fields["title"]
    return with_front_matter(text, fields)


def open_converted(path_argument: str, folder: Path, kind: str, *, refresh: bool = False,
                   first_part: FirstPart | None = None) -> Opened:
    """A saved page or an EPUB book: converted once, and again only when the file changes."""
    shown = inert(path_argument)
    origin = os.path.abspath(path_argument)
    data = read_regular_file(path_argument, shown, MAX_ARTICLE_BYTES,
                             "a book" if kind == "book" else "a web page")
    if not data.strip():
        raise ArticleError(f"{shown}: the file is empty")
    digest = hashlib.sha256(data).hexdigest()
    path = folder / key_for_file(origin, kind)
    old = _existing(path)
    unchanged = old is not None and read_front_matter(old.text).get("origin_sha256") == digest
    if old is not None and unchanged and not refresh:
        return Opened(source=old, origin=origin, kind=kind, snapshot=path)
    extra = {"origin": origin, "kind": kind, "origin_sha256": digest}
    if kind == "book":
        from reader.sources.epub import read_book

        text = read_book(data, shown=shown, extra=extra,
                         first_part=_told(first_part, path, old)).markdown
    else:
        from reader.sources.html_article import decode_html, extract_article

        html, _ = decode_html(data)
        text = extract_article(html, shown=shown, extra=extra,
                               first_part=_told(first_part, path, old)).markdown
    return _store(path, text, origin, kind, old)


def open_stdin(stream: BinaryIO, folder: Path) -> Opened:
    """Markdown, plain text or HTML from standard input, kept as a snapshot named by its content."""
    try:
        data = stream.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        raise ArticleError(f"{STDIN_NAME}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{STDIN_NAME}: too large for an article (over the "
                           f"{MAX_ARTICLE_BYTES >> 20} MB limit)")
    if not data.strip():
        raise ArticleError(f"{STDIN_NAME}: nothing was read (it is empty)")
    from reader.sources.html_article import decode_html, looks_like_html

    start = data[:4096].decode("utf-8", errors="replace")
    if looks_like_html(start):
        html, _ = decode_html(data)
        from reader.sources.html_article import extract_article

        digest = hashlib.sha256(data).hexdigest()
        extra = {"origin": STDIN_NAME, "kind": "stdin", "origin_sha256": digest}
        text = extract_article(html, shown=STDIN_NAME, extra=extra).markdown
        path = folder / key_for_stdin(digest)
    else:
        text, _ = decode_text(data, STDIN_NAME)
        path = folder / key_for_stdin(fingerprint(text), ".txt")
    return _store(path, text, STDIN_NAME, "stdin", _existing(path))


def origin_of(source: ArticleSource) -> tuple[str, str]:
    """Where a snapshot came from, from its front matter: (origin, kind); ("", "") for others."""
    meta = read_front_matter(source.text[:8192])
    return meta.get("origin", ""), meta.get("kind", "")
