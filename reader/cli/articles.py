"""The one way every command turns its ARTICLE argument into an article: file, URL, page, book or -.

Snapshots go in the folder beside the library the command uses (``--db``), so a
URL opened by ``readmark URL`` is the one ``outline``, ``highlight``, ``export``,
``text`` and ``refresh`` find. Warnings of the source go to stderr here, once.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from reader.cli.common import warn
from reader.document.inert import inert
from reader.sources.loader import ArticleSource
from reader.sources.opening import STDIN, Opened, kind_of, open_source


def snapshot_folder(db_option: str | None) -> Path:
    """Where snapshots of the library named by ``--db`` (or its default) are kept."""
    from reader.store.paths import resolve_db_path, snapshots_dir

    return snapshots_dir(resolve_db_path(db_option))


def open_article(
    argument: str,
    db_option: str | None,
    *,
    refresh: bool = False,
    stdin: BinaryIO | None = None,
    quiet: bool = False,
    show_warnings: bool = True,
) -> Opened:
    """Open ``argument`` as every command does; print the source's warnings (unless
    ``show_warnings`` is False) and, on a terminal, that a page is being fetched (unless ``quiet``).

    Raises:
        ArticleError: The source cannot be read (one line, exit status 2).
    """
    if not quiet:
        announce_fetch(argument, db_option, refresh=refresh)
    opened = open_source(argument, snapshot_folder(db_option), refresh=refresh, stdin=stdin)
    for message in opened.source.warnings if show_warnings else ():
        warn(message)
    return opened


def announce_fetch(argument: str, db_option: str | None, *, refresh: bool = False) -> None:
    """On a terminal, say that a page is being fetched (it may take a while)."""
    if kind_of(argument) != "web" or not _on_terminal(sys.stderr):
        return
    from reader.sources.snapshots import key_for_url, normal_url

    if refresh or not (snapshot_folder(db_option) / key_for_url(normal_url(argument))).is_file():
        print(f"readmark: fetching {inert(argument)} …", file=sys.stderr, flush=True)


def article_source(argument: str, db_option: str | None) -> ArticleSource:
    """The article's text (a snapshot's, for anything but a Markdown or plain-text file)."""
    return open_article(argument, db_option).source


def is_source_argument(argument: str) -> bool:
    """Whether an argument is something to open (a URL, ``-``, an existing path)
    rather than the title of an article the library knows."""
    return kind_of(argument) in ("web", "stdin") or os.path.lexists(argument)


def piped_stdin() -> bool:
    """Standard input is a pipe or a file (``curl … | readmark``), not a terminal."""
    stream = sys.stdin
    if stream is None:
        return False
    try:
        if stream.isatty():
            return False
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def reattach_terminal() -> bool:
    """After reading an article from a pipe, take keys from the terminal again.

    The reader needs its keys from the terminal, but standard input was the pipe;
    the controlling terminal is put in its place. False when there is none.
    """
    if not _on_terminal(sys.stdout):
        return False
    try:
        fd = os.open("/dev/tty", os.O_RDWR | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return False
    try:
        os.dup2(fd, 0)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError, ValueError):
        sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    return True


def _on_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError, AttributeError):
        return False


__all__ = [
    "STDIN",
    "announce_fetch",
    "article_source",
    "is_source_argument",
    "open_article",
    "piped_stdin",
    "reattach_terminal",
    "snapshot_folder",
]
