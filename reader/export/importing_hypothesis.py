"""Hypothesis's own shapes: its "Export annotations" file and its API's annotations.

Hypothesis exports ``{"export_date", "export_userid", "client_version",
"annotations": [...]}``; its API answers a search with ``{"total", "rows": [...]}``.
An annotation in either is W3C-like (``target`` with ``source`` and selectors)
plus Hypothesis's own fields: ``text`` (the note), ``tags``, ``uri`` (the page),
``created`` and ``updated`` (which readmark keeps as ``modified``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: The keys that make an object Hypothesis's export file.
EXPORT_KEYS = frozenset({"export_date", "export_userid", "client_version"})


def hypothesis_annotations(data: Mapping[str, Any]) -> Any:
    """The annotation list of a Hypothesis export file or API answer, else None."""
    if "annotations" in data and (EXPORT_KEYS & data.keys() or "type" not in data):
        return data["annotations"]
    if "rows" in data:
        return data["rows"]
    return None


def is_hypothesis(item: Mapping[str, Any]) -> bool:
    """Whether an annotation comes from Hypothesis (it has ``uri`` and ``updated``
    or ``text`` instead of W3C bodies)."""
    return "uri" in item and ("updated" in item or "text" in item)


def hypothesis_modified(item: Mapping[str, Any]) -> str:
    """When it was last changed: Hypothesis's ``updated`` (W3C's ``modified`` if given)."""
    for key in ("modified", "updated"):
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def hypothesis_source(item: Mapping[str, Any]) -> str:
    """The page the annotation is on: Hypothesis's ``uri``."""
    uri = item.get("uri")
    return uri if isinstance(uri, str) else ""
