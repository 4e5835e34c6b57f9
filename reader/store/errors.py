"""The errors the store raises: one-line messages the user can act on.

:class:`_CorruptFile` is private to the package: a damaged file is repaired where
it is found (see :mod:`reader.store.recovery`) and never reaches a caller.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "AnnotationNotFound",
    "ArticleNotFound",
    "CardChanged",
    "StoreAccessError",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
]


class StoreError(Exception):
    """A problem with the library the user can act on; ``str()`` is one line."""


class StoreReadOnly(StoreError):
    """The library is open read-only (see :attr:`Store.read_only_reason`)."""


class StoreLocked(StoreError):
    """Another process held the library lock for longer than the timeout."""


class StoreAccessError(StoreError):
    """The library's files or folder cannot be read or written."""


class AnnotationNotFound(StoreError, KeyError):
    """No annotation has the given id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "annotation not found"


class ArticleNotFound(StoreError, KeyError):
    """No article has the given id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "article not found"


class CardChanged(StoreError):
    """A review cannot be undone: the card changed since (e.g. in another window)."""


class _CorruptFile(Exception):
    """A file exists but does not hold valid data of the expected shape."""

    def __init__(self, path: Path, reason: str, data: Any = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.data = data  # the parsed JSON when it parsed but has the wrong shape
