"""Salvaging a damaged file: every entry that can still be read, table by table.

A file cut short, overwritten in the middle or with a few bad bytes is no longer
JSON as a whole, but most of its entries usually are: the store writes compact
JSON, one table after another, each entry an object under its key. :func:`salvage`
finds each ``"key":{`` and tries to read one object from there; an object read
whole whose shape fits the table it sits in (an annotation whose ``id`` is its
key, a card whose ``annotation_id`` is its key…) is kept, and reading goes on
after it. A damaged entry is skipped, and with it nothing else. A file that does
parse but has the wrong shape (an entry or a table of the wrong type) gives its
entries that fit.

:func:`merge` lays what was salvaged (the newest data there is) over an intact
older copy (the previous generation, a copy in memory or a backup): an entry
found in both keeps the one changed last.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _CARDS,
    _ID_RE,
    _META,
    _POSITIONS,
    _RECORD,
    _REMOVED_CARDS,
    _REVIEWS,
    _SETTINGS,
)

__all__ = ["ANNOTATION_FILE_ENTRIES", "MAIN_FILE_ENTRIES", "merge", "salvage"]

Fits = Callable[[str, Any], bool]


def _keyed_by(field: str) -> Fits:
    return lambda key, doc: isinstance(doc, dict) and doc.get(field) == key


def _position(key: str, doc: Any) -> bool:
    return (bool(_ID_RE.fullmatch(key)) and isinstance(doc, dict)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                    for v in doc.values()))


def _setting(key: str, doc: Any) -> bool:
    return isinstance(doc, dict) and set(doc) == {"value"}


def _schema(key: str, doc: Any) -> bool:
    return key == "schema" and isinstance(doc, dict) and isinstance(doc.get("version"), int)


#: What an entry of each table of an annotation file must look like to be salvaged.
ANNOTATION_FILE_ENTRIES: dict[str, Fits] = {
    _RECORD: _keyed_by("id"),
    _ANNOTATIONS: _keyed_by("id"),
    _CARDS: _keyed_by("annotation_id"),
    _REMOVED_CARDS: _keyed_by("annotation_id"),
    _REVIEWS: _keyed_by("id"),
}
#: The same for the main file.
MAIN_FILE_ENTRIES: dict[str, Fits] = {
    _META: _schema,
    _ARTICLES: _keyed_by("id"),
    _POSITIONS: _position,
    _SETTINGS: _setting,
}

_KEY_THEN_OBJECT = re.compile(r'"((?:[^"\\]|\\.){1,256})"\s*:\s*\{')


def salvage(raw: bytes, tables: Mapping[str, Fits]) -> dict[str, dict[str, Any]]:
    """Every entry of ``raw`` that can be read and fits its table.

    Args:
        raw: The damaged file's bytes.
        tables: Table name -> what an entry of it must look like.

    Returns:
        Table name -> key -> entry (only tables with something in them).
    """
    text = raw.decode("utf-8", errors="replace")
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = None
    found: dict[str, dict[str, Any]] = {}
    if isinstance(whole, dict):
        for name, table in whole.items():
            if name in tables and isinstance(table, dict):
                for key, doc in table.items():
                    if tables[name](key, doc):
                        found.setdefault(name, {})[key] = doc
        return found
    decoder = json.JSONDecoder()
    current: str | None = None
    at = 0
    while (match := _KEY_THEN_OBJECT.search(text, at)) is not None:
        try:
            key = json.loads(f'"{match.group(1)}"')
        except ValueError:
            at = match.start() + 1
            continue
        brace = match.end() - 1
        if key in tables:  # a table starts: read its entries one by one
            current = key
            at = match.end()
            continue
        if current is not None:
            try:
                doc, end = decoder.raw_decode(text, brace)
            except (ValueError, RecursionError):
                at = match.end()  # a damaged entry: look inside it for the next one
                continue
            if tables[current](key, doc):
                found.setdefault(current, {})[key] = doc
                at = end
                continue
        at = match.end()
    return found


def merge(base: Mapping[str, Any] | None, salvaged: Mapping[str, Mapping[str, Any]]
          ) -> tuple[dict[str, Any], int]:
    """``base`` (an intact older copy) with the salvaged entries laid over it.

    An entry in both keeps the salvaged one, unless both say when they were
    changed (``modified``) and the base's is as new, or the salvaged one holds a
    byte that could not be read and the base's does not: a byte garbled in an
    entry never wins over its intact copy.

    Returns:
        The merged data, and how many entries came from the salvage.
    """
    merged: dict[str, Any] = {name: dict(table) if isinstance(table, dict) else table
                              for name, table in (base or {}).items()}
    taken = 0
    for name, entries in salvaged.items():
        table = merged.get(name)
        if not isinstance(table, dict):
            table = merged[name] = {}
        for key, doc in entries.items():
            old = table.get(key)
            if old == doc or (old is not None and _keep_old(old, doc)):
                continue
            table[key] = doc
            taken += 1
    return merged, taken


def _keep_old(old: Any, new: Any) -> bool:
    """Whether the intact copy of an entry wins over the salvaged one."""
    old_time, new_time = _modified(old), _modified(new)
    if old_time and new_time:
        return old_time >= new_time  # the same change: the salvaged one is garbled
    return _garbled(new) and not _garbled(old)


def _modified(doc: Any) -> str:
    value = doc.get("modified") if isinstance(doc, dict) else None
    return value if isinstance(value, str) else ""


def _garbled(doc: Any) -> bool:
    """Whether an entry holds U+FFFD, the mark of bytes that were not UTF-8."""
    return "\ufffd" in json.dumps(doc, ensure_ascii=False)
