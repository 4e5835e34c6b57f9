"""Converting a page, a book or a URL in a child process while the reader's interface loads.

The first opening of a web page or a book spends about as long extracting its
article as the reader spends importing its interface; on a machine with two
cores the two can happen at once. :func:`start` forks a child that makes the
snapshot (nothing else: it prints nothing and touches no library). For a long
article the child sends the snapshot's first part as soon as it has it, and
:func:`first_part` gives the reader that part to show (the whole follows, see
:mod:`reader.sources.partial`); :func:`finish` waits for the child's end. Where
there is no ``fork`` (or nothing to convert) the work is simply done in the process.

The child writes messages on a pipe: a tag byte, four bytes of length, then the
payload ("P": the first part as JSON; "E": the reason the conversion failed). A
thread of this process reads them as they come, so the child never waits on a
full pipe while this process imports.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reader.sources.loader import ArticleError, ArticleSource, fingerprint
from reader.sources.opening import needs_conversion, open_source
from reader.sources.partial import PartialSource

#: Bytes of the child's error message kept (it is one line).
MESSAGE_LIMIT = 4096
_HEADER = struct.Struct(">cI")
#: The child's exit statuses: converted, an ArticleError (its message sent), anything else.
_DONE, _REFUSED, _BROKEN = 0, 2, 3


@dataclass(eq=False)
class Child:
    """A conversion running in a child process, and what it has said so far."""

    pid: int
    reader: int
    part: dict | None = None
    error: str = ""
    status: int | None = None
    said: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)
    _listener: threading.Thread | None = None

    def listen(self) -> None:
        self._listener = threading.Thread(target=self._read, name="readmark-child", daemon=True)
        self._listener.start()

    def _read(self) -> None:
        """Read the child's messages until it closes the pipe (it has ended)."""
        buffer = b""
        try:
            while chunk := os.read(self.reader, 1 << 16):
                buffer += chunk
                while len(buffer) >= _HEADER.size:
                    tag, size = _HEADER.unpack_from(buffer)
                    if len(buffer) < _HEADER.size + size:
                        break
                    payload = buffer[_HEADER.size : _HEADER.size + size]
                    buffer = buffer[_HEADER.size + size :]
                    self._take(tag, payload)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                os.close(self.reader)
            self.ended.set()
            self.said.set()

    def _take(self, tag: bytes, payload: bytes) -> None:
        if tag == b"P":
            with contextlib.suppress(ValueError):
                self.part = json.loads(payload)
            self.said.set()
        elif tag == b"E":
            self.error = payload.decode("utf-8", "replace")[:MESSAGE_LIMIT]


def _send(fd: int, tag: bytes, payload: bytes) -> None:
    data = _HEADER.pack(tag, len(payload)) + payload
    while data:
        data = data[os.write(fd, data) :]


def start(argument: str, folder: Path) -> Child | None:
    """Fork a child converting ``argument`` into its snapshot in ``folder``, if it needs it.

    Returns None when there is nothing to convert, or no way to fork.
    """
    if not hasattr(os, "fork") or not needs_conversion(argument, folder):
        return None
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # the child: convert, report, and leave without running the parent's exits
        os.close(reader)
        status = _DONE

        def tell(path: Path, text: str, expected: int) -> None:
            part = {"path": str(path), "text": text, "expected": expected}
            _send(writer, b"P", json.dumps(part).encode("utf-8", "surrogatepass"))

        try:
            open_source(argument, folder, first_part=tell)
        except ArticleError as error:
            _send(writer, b"E", str(error).encode("utf-8", "replace")[:MESSAGE_LIMIT])
            status = _REFUSED
        except BaseException as error:  # anything else is reported by the parent's own try
            _send(writer, b"E", f"{type(error).__name__}: {error}".encode("utf-8", "replace")[
                :MESSAGE_LIMIT])
            status = _BROKEN
        finally:
            os._exit(status)
    os.close(writer)
    child = Child(pid, reader)
    child.listen()
    return child


def finish(child: Child | None) -> None:
    """Wait for the child; raise its ArticleError in this process when it failed.

    A child that failed in an unexpected way leaves the conversion to this process
    (so the error, if it happens again, comes with its whole story).
    """
    if child is None:
        return
    if child.status is None:
        try:
            child.ended.wait()
            _, status = os.waitpid(child.pid, 0)
        except BaseException:  # interrupted (ctrl+c): the child stops too
            stop(child)
            raise
        child.status = os.WEXITSTATUS(status) if os.WIFEXITED(status) else _BROKEN
    if child.status == _REFUSED:
        raise ArticleError(child.error.strip() or "conversion failed")


def stop(child: Child) -> None:
    """End the child (the reader is closing before it finished)."""
    if child.status is not None:
        return
    with contextlib.suppress(OSError):
        os.kill(child.pid, signal.SIGTERM)
        os.waitpid(child.pid, 0)
    child.status = _BROKEN


def first_part(child: Child, argument: str, db_option: str | None) -> PartialSource | None:
    """The snapshot's first part, once the child sends it, as an article whose whole
    comes later; None when the child ended first (the snapshot is then complete, or
    :func:`finish` says why not).
    """
    try:
        child.said.wait()
    except BaseException:
        stop(child)
        raise
    part = child.part
    if part is None:
        return None
    text = str(part.get("text", ""))

    def rest() -> ArticleSource:
        from reader.cli.articles import open_article

        finish(child)
        return open_article(argument, db_option, quiet=True, show_warnings=False).source

    return PartialSource(path=str(part.get("path", "")), text=text, format="markdown",
                         fingerprint=fingerprint(text), expected_chars=int(part.get("expected", 0)),
                         rest=rest)
