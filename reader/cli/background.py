"""Converting a page, a book or a URL in a child process while the reader's interface loads.

The first opening of a web page or a book spends about as long extracting its
article as the reader spends importing its interface; on a machine with two
cores the two can happen at once. :func:`start` forks a child that makes the
snapshot (nothing else: it prints nothing and touches no library) and
:func:`finish` waits for it, then the snapshot is opened as usual. Where there
is no ``fork`` (or nothing to convert) the work is simply done in the process.
"""

from __future__ import annotations

import contextlib
import os
import signal
from dataclasses import dataclass
from pathlib import Path

from reader.sources.loader import ArticleError
from reader.sources.opening import needs_conversion, open_source

#: Bytes of the child's error message read back (it is one line).
MESSAGE_LIMIT = 4096


@dataclass(slots=True)
class Child:
    """A conversion running in a child process."""

    pid: int
    reader: int


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
        status = 0
        try:
            open_source(argument, folder)
        except ArticleError as error:
            os.write(writer, str(error).encode("utf-8", "replace")[:MESSAGE_LIMIT])
            status = 2
        except BaseException as error:  # anything else is reported by the parent's own try
            os.write(writer, f"{type(error).__name__}: {error}".encode("utf-8", "replace")[
                :MESSAGE_LIMIT])
            status = 3
        finally:
            os._exit(status)
    os.close(writer)
    return Child(pid, reader)


def finish(child: Child | None) -> None:
    """Wait for the child; raise its ArticleError in this process when it failed.

    A child that failed in an unexpected way leaves the conversion to this process
    (so the error, if it happens again, comes with its whole story).
    """
    if child is None:
        return
    message = b""
    try:
        while chunk := os.read(child.reader, MESSAGE_LIMIT):
            message += chunk
        _, status = os.waitpid(child.pid, 0)
    except BaseException:  # interrupted (ctrl+c): the child stops too
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGTERM)
            os.waitpid(child.pid, 0)
        raise
    finally:
        os.close(child.reader)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 2:
        raise ArticleError(message.decode("utf-8", "replace").strip() or "conversion failed")
