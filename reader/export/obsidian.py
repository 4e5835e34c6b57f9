"""Obsidian's rules for what an export names: block ids and tags.

Obsidian's help: a block id is ``^`` and Latin letters, digits and dashes; at the
end of a paragraph's line it names that paragraph, and for a block quote, a
list or a table it goes on a line of its own with a blank line before and
after. A tag holds letters, digits, ``_``, ``-`` and ``/`` (for nesting), no
spaces, and at least one character that is not a digit (``#1984`` is no tag).
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence

from reader.annotations.records import Highlight
from reader.export.model import one_line

#: What an Obsidian block id may hold.
BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")
# A run of letters and digits, with single underscores inside it (snake_case stays).
_TAG_WORD = re.compile(r"[^\W_]+(?:_[^\W_]+)*")


def block_id(annotation_id: str) -> str:
    """The Obsidian block id of a highlight: ``hl-`` and 12 hex digits, stable per id."""
    try:
        digits = uuid.UUID(annotation_id).hex
    except ValueError:
        digits = hashlib.sha256(annotation_id.encode("utf-8")).hexdigest()
    return "hl-" + digits[:12]


def block_ids(highlights: Sequence[Highlight]) -> dict[str, str]:
    """Block ids, longer for the (very unlikely) ids whose 12 digits collide."""
    ids = {h.id: block_id(h.id) for h in highlights}
    seen: dict[str, int] = {}
    for value in ids.values():
        seen[value] = seen.get(value, 0) + 1
    for key, value in ids.items():
        if seen[value] > 1:
            ids[key] = value + "-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return ids


@functools.lru_cache(maxsize=4096)
def obsidian_tag(tag: str) -> str:
    """``tag`` as a valid Obsidian tag (without the ``#``), or "" when nothing of it is left.

    Each ``/``-separated level keeps its runs of letters and digits joined by
    ``-`` (so ``needs source`` and ``a:b`` become ``needs-source`` and ``a-b``);
    underscores stay only inside a word, where they cannot start emphasis. A tag
    of digits only gets a leading ``_`` (``123`` becomes ``_123``).
    """
    levels = ("-".join(_TAG_WORD.findall(level)) for level in one_line(tag).split("/"))
    text = "/".join(level for level in levels if level)
    if text and all(ch.isdigit() or ch == "/" for ch in text):
        text = "_" + text
    return text


def obsidian_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Valid Obsidian tags, in the given order, without empty ones or repeats (Obsidian
    takes ``Idea`` and ``idea`` for one tag, so the first spelling is kept)."""
    seen: dict[str, str] = {}
    for tag in tags:
        made = obsidian_tag(tag)
        if made:
            seen.setdefault(made.casefold(), made)
    return tuple(seen.values())
