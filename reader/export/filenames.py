"""File names made from article titles that every file system accepts."""

from __future__ import annotations

import re

# What file systems refuse, and what breaks an Obsidian link to the note (# ^ [ ] |).
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#^\[\]]+')
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)
#: Longest file name stem, in UTF-8 bytes (file systems allow 255 for the whole name).
MAX_STEM_BYTES = 120


def safe_filename(
    title: str, taken: set[str] | frozenset[str] = frozenset(), suffix: str = ".md"
) -> str:
    """A file name made from ``title`` that is safe everywhere and not in ``taken``.

    Characters no file system accepts (``/ \\ : * ? " < > |``, control
    characters) and those Obsidian's links cannot hold (``# ^ [ ]``) become
    spaces, runs of spaces one space; leading dots and dashes go (no hidden
    files, nothing read as an option); Windows device names get a
    ``_``; the stem is cut to :data:`MAX_STEM_BYTES` bytes. A name already in
    ``taken`` (compared without case, as macOS and Windows do) gets `` (2)``,
    `` (3)``… The caller adds the result to ``taken``.
    """
    stem = _UNSAFE.sub(" ", title)
    stem = " ".join(stem.split()).lstrip(".- ").rstrip(". ")
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").rstrip(". ")
    if not stem:
        stem = "Untitled"
    if _RESERVED.fullmatch(stem):
        stem += "_"
    folded = {name.casefold() for name in taken}
    name = stem + suffix
    number = 2
    while name.casefold() in folded:
        name = f"{stem} ({number}){suffix}"
        number += 1
    return name
