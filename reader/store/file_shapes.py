"""What a library file and an article's annotation file may hold: the shape checks
applied to each one read, so a damaged file is told from a good one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _CARDS,
    _META,
    _POSITIONS,
    _RECORD,
    _REMOVED_CARDS,
    _REVIEWS,
    _SETTINGS,
    SCHEMA_VERSION,
)


def _tinydb_shape_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return f"expected a JSON object at the top, found {type(data).__name__}"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is a {type(table).__name__}, not an object"
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                return f"entry {doc_id!r} in table {name!r} is not an object"
    return None


def _newer_version(data: Any) -> bool:
    """True for a main file written by a newer readmark (its shape may differ)."""
    try:
        version = data[_META]["schema"]["version"]
    except (TypeError, KeyError, IndexError):
        return False
    return isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION


def _main_problem(data: Any) -> str | None:
    if _newer_version(data):
        return None  # opened read-only; not ours to judge
    reason = _tinydb_shape_problem(data)
    if reason:
        return reason
    schema = data.get(_META, {}).get("schema")
    if schema is not None:
        version = schema.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            return f"schema version {version!r} is not a whole number"
    return _unknown_table(data, MAIN_TABLES)


def _article_problem(data: Any) -> str | None:
    return _tinydb_shape_problem(data)


#: Every table a main file or an annotation file may hold. A table readmark does not
#: know is taken for a damaged name (a flipped bit turns "positions" into
#: "posi|ions" and every position would silently go): a new table needs a new
#: SCHEMA_VERSION, or to be added here.
MAIN_TABLES = frozenset({_META, _ARTICLES, _POSITIONS, _SETTINGS, _ANNOTATIONS, "_default"})
ANNOTATION_FILE_TABLES = frozenset(
    {_META, _RECORD, _ANNOTATIONS, _CARDS, _REVIEWS, _REMOVED_CARDS, "_default"}
)


def _unknown_table(data: Mapping[str, Any], known: frozenset[str]) -> str | None:
    unknown = sorted(name for name in data if name not in known)
    return f"unknown table {unknown[0]!r} (a damaged name?)" if unknown else None


def _annotation_file_problem(data: Any) -> str | None:
    """Why the data of an article's annotation file is damaged, or None."""
    return _tinydb_shape_problem(data) or _unknown_table(data, ANNOTATION_FILE_TABLES)
