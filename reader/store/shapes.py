"""The shape a stored annotation must have to be handed out; the others are quarantined.

A file of annotations can be valid JSON and still hold a record no reader can
use: a ``section`` that is a number, no ``id``, tags that are not strings (an
edit by hand, another tool, a bug of an old version). Such a record would
crash whatever reads it, so :func:`annotation_problem` checks each record when
it is read: one that does not fit is left out of what the store hands out,
kept untouched in its file (a later write of the file writes it back as it
was) and listed by ``Store.damaged_annotations`` with the reason, in words.

Only the fields readmark reads are checked, and a missing optional field is
fine: records from older versions and other W3C tools carry fewer fields.
"""

from __future__ import annotations

from typing import Any

__all__ = ["annotation_problem", "kind_of"]


def kind_of(value: Any) -> str:
    """A JSON value's kind, in words ("a number", "a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


#: Optional text fields (null is allowed: readers treat it as empty).
_TEXT_FIELDS = ("note", "color", "created", "modified", "type")
#: Optional fields that are lists of text.
_TEXT_LISTS = {"section": "a list of headings", "tags": "a list of tags"}


def annotation_problem(key: str, doc: Any) -> str | None:
    """Why a stored annotation cannot be handed out, in words; None if it can.

    Args:
        key: Its key in the file's table (the store's id for it).
        doc: The stored record.
    """
    if not isinstance(doc, dict):
        return f"it is {kind_of(doc)}, not an object"
    if "id" not in doc:
        return "it has no id"
    if not isinstance(doc["id"], str) or not doc["id"]:
        return f"its id is {kind_of(doc['id'])}, not text"
    if doc["id"] != key:
        return f"its id {doc['id']!r} is not its key {key!r}"
    if not isinstance(doc.get("article_id"), str):
        return f"its article_id is {kind_of(doc.get('article_id'))}, not text"
    for name in _TEXT_FIELDS:
        value = doc.get(name)
        if value is not None and not isinstance(value, str):
            return f"its {name} is {kind_of(value)}, not text"
    for name, what in _TEXT_LISTS.items():
        value = doc.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            return f"its {name} is {kind_of(value)}, not {what}"
        for item in value:
            if not isinstance(item, str):
                return f"its {name} holds {kind_of(item)}, not only text"
    detached = doc.get("detached")
    if detached is not None and not isinstance(detached, bool):
        return f"its detached is {kind_of(detached)}, not true or false"
    target = doc.get("target")
    if target is not None:
        if not isinstance(target, dict):
            return f"its target is {kind_of(target)}, not an object"
        selector = target.get("selector")
        if selector is not None and not isinstance(selector, (list, dict)):
            return f"its selector is {kind_of(selector)}, not a list"
    return None
