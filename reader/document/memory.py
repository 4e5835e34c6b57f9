"""Giving the C heap's free pages back to the system after a large article is built."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import lru_cache

#: Characters of text from which building an article is worth a trim of the heap.
TRIM_FROM_CHARS = 4_000_000


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only for a large article: opening a small one needs none of it

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def release_free_memory(chars: int) -> None:
    """After building a text of ``chars`` characters, return what the heap has free.

    The text is joined from its pieces, which are then freed; glibc keeps that
    memory mapped (a 50 MB article left about a hundred megabytes resident that
    no one used) unless asked to give it back.
    """
    if chars < TRIM_FROM_CHARS:
        return
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
