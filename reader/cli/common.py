"""What every command shares: the one-line error, the library option, opening it, output."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from reader.document.inert import inert

if TYPE_CHECKING:
    from reader.store import Store


EXIT_USAGE = 2


T = TypeVar("T")


#: Characters of the quote shown in messages before it is cut with "…".
SHOWN_QUOTE = 60


#: Widest the title column of `readmark stats` gets.
TITLE_WIDTH = 48


EMPTY_LIBRARY = "No articles yet — open one with: readmark ARTICLE"


class CliError(Exception):
    """A problem to report in one line, with exit status 2."""


def common_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every command shares (the library file), so they read the same everywhere."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the data file (default: $READMARK_DB, else the user data directory)",
    )


def open_store(cli_value: str | None, path: Path | None = None) -> Store:
    """Open the library named by ``--db``/``$READMARK_DB``; report repairs on stderr.

    Raises:
        StoreError: It cannot be opened (the caller turns it into one line).
    """
    from reader.store import Store, resolve_db_path

    store = Store(path or resolve_db_path(cli_value))
    message = store.recovery_message
    if message:
        for line in message.splitlines():
            print(f"readmark: warning: {line}", file=sys.stderr)
    # What the store finds later (a damaged highlight set aside) is said as it is found.
    store.on_message = warn
    return store


def read_library(cli_value: str | None, read: Callable[[Store], T]) -> T | None:
    """``read(store)`` on the library named by ``--db``, or None when there is none yet:
    commands that only look must not create a library. Store errors become one line."""
    from reader.store import StoreError, resolve_db_path

    db = resolve_db_path(cli_value)
    if not db.exists():
        return None
    try:
        with open_store(cli_value, db) as store:
            return read(store)
    except StoreError as error:
        raise CliError(str(error)) from None


def safe_output() -> None:
    """Never fail on a title or quote the terminal's encoding cannot show."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a detached or odd stream
            reconfigure(errors="replace")


def on_terminal() -> bool:
    """Both stdin and stdout are terminals: only then may a full-screen app start
    (it would write escape codes into a pipe or file, and wait for keys from one)."""
    try:
        return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout))
    except (ValueError, OSError):  # a closed or detached stream
        return False


def warn(message: str) -> None:
    print(f"readmark: warning: {message}", file=sys.stderr)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def shorten(text: str, limit: int = SHOWN_QUOTE) -> str:
    """``text`` on one line (whitespace runs made single spaces), cut to ``limit`` with "…";
    inert (see :func:`shown`)."""
    flat = " ".join(inert(text).split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + "…"


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: 2 for wide characters, 0 for combining marks."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells."""
    fill = " " * max(0, width - cell_width(text))
    return fill + text if right else text + fill


def clip(text: str, width: int) -> str:
    """``text`` on one line, inert, cut with "…" to at most ``width`` cells."""
    flat = " ".join(inert(text).split())
    if cell_width(flat) <= width:
        return flat
    kept = ""
    for char in flat:
        if cell_width(kept + char) > width - 1:
            break
        kept += char
    return kept.rstrip() + "…"


def shown(text: str) -> str:
    """``text`` (a title, a note, a tag, a path) as a command may print it: on one line,
    and inert — no escape sequence, control or bidi override of an article or a note
    reaches the terminal (see :func:`reader.document.inert.inert`)."""
    return inert(text)


class InertStream:
    """A text stream that writes everything inert (lines and tabs kept).

    Every command's standard output and error go through one while it runs (see
    :func:`inert_output`), so no path can print an article's escape sequences;
    ``buffer`` is the stream's own, for output that must keep its exact bytes.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(inert(text, multiline=True))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def inert_output() -> Iterator[None]:
    """Make standard output and error inert while a command runs."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, InertStream):
        sys.stdout = InertStream(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, InertStream):
        sys.stderr = InertStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def exact_stdout(text: str) -> None:
    """Data for a file or a pipe (an export): its exact UTF-8 bytes on standard output,
    except on a terminal, which gets it inert (lines and tabs kept)."""
    stream = sys.stdout
    try:
        terminal = stream.isatty()
    except (ValueError, OSError, AttributeError):
        terminal = False
    stream.flush()
    data = inert(text, multiline=True) if terminal else text
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream without bytes (e.g. a test's): the text itself
        getattr(stream, "_stream", stream).write(data)
        return
    # A lone surrogate cannot be UTF-8: it becomes "?" rather than a traceback.
    buffer.write(data.encode("utf-8", errors="replace"))
    buffer.flush()


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """Python's cycle collector paused: a bulk command (an import of 50,000 annotations,
    an export of a whole library) makes millions of objects and no cycles worth finding,
    and the collector's passes over them took a third of its time."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
