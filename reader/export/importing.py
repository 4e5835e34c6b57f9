"""Reading W3C annotation JSON (readmark's own, Hypothesis and others) back into store records."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reader.annotations.anchoring import anchor_all
from reader.annotations.records import COLORS, DEFAULT_COLOR, normalise_tags
from reader.annotations.selectors import TextQuote, parse_selectors, selectors
from reader.document.model import Document
from reader.export.importing_hypothesis import (
    hypothesis_annotations,
    hypothesis_modified,
    hypothesis_source,
)
from reader.export.w3c import store_id


class AnnotationFormatError(ValueError):
    """The JSON is not annotations readmark can read; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class ParsedAnnotation:
    """One annotation read from W3C JSON, before it is tied to an article.

    ``quote`` is None when the annotation quotes no text (a page note, say):
    there is nothing to anchor, so it cannot be imported.
    """

    id: str
    source: str = ""
    fingerprint: str = ""
    quote: TextQuote | None = None
    position: tuple[int, int] | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    color: str = DEFAULT_COLOR
    section: tuple[str, ...] = ()
    created: str = ""
    modified: str = ""
    detached: bool = False
    has_color: bool = False


_COLLECTION_TYPES = {"AnnotationCollection", "AnnotationPage", "OrderedCollection"}
#: Pages followed through ``next`` before giving up (a loop in the file, say).
MAX_PAGES = 10_000


def parse_annotation_json(text: str) -> list[ParsedAnnotation]:
    """Read annotations from readmark's JSON export or any W3C annotation JSON.

    Accepts one Annotation, a list of them, an AnnotationCollection or
    AnnotationPage with ``items`` (also under ``first``, following embedded
    ``next`` pages), Hypothesis's export file (``annotations``) and its API's
    ``rows``. A body may be a TextualBody, text or a list (``tagging`` bodies
    become tags; a link, i.e. an IRI or a resource with no text, is no note); a
    target may be an object or a list, its ``selector`` an object or a list
    (``refinedBy`` is followed). Hypothesis's ``updated`` becomes ``modified``
    and its ``uri`` the source when the target names none.

    Raises:
        AnnotationFormatError: Not JSON, or not shaped like annotations.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise AnnotationFormatError(
            f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise AnnotationFormatError("not usable JSON: nested too deeply") from None
    defaults: dict[str, str] = {}
    items = _items(data, defaults, "the file")
    return [_parse_one(item, defaults, n) for n, item in enumerate(items, 1)]


def _types(value: Mapping[str, Any]) -> set[str]:
    kind = value.get("type", value.get("@type"))
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _is_annotation(value: Mapping[str, Any]) -> bool:
    return "Annotation" in _types(value) or "oa:Annotation" in _types(value) or "target" in value


def _is_collection(value: Mapping[str, Any]) -> bool:
    return bool(_types(value) & _COLLECTION_TYPES) or any(
        key in value for key in ("items", "first", "rows", "annotations")
    )


def _items(data: Any, defaults: dict[str, str], where: str) -> list[Mapping[str, Any]]:
    expected = "a W3C Annotation, a list of annotations or an AnnotationCollection"
    if isinstance(data, list):
        found: list[Mapping[str, Any]] = []
        for n, item in enumerate(data, 1):
            if isinstance(item, dict) and _is_collection(item) and not _is_annotation(item):
                found += _items(item, defaults, f"item {n}")
            elif isinstance(item, dict) and _is_annotation(item):
                found.append(item)
            elif isinstance(item, str):
                raise AnnotationFormatError(
                    f"item {n} is a link ({item[:60]!r}), not an annotation included in the file"
                )
            else:
                raise AnnotationFormatError(
                    f"item {n} is {_json_kind(item)}, not an annotation (it has no target)"
                )
        return found
    if not isinstance(data, dict):
        raise AnnotationFormatError(f"expected {expected}; {where} holds {_json_kind(data)}")
    if _is_annotation(data):
        return [data]
    if not _is_collection(data):
        keys = ", ".join(repr(str(k)) for k in sorted(data, key=str)[:6])
        shown = f"an object with the keys {keys}" if keys else "an empty object"
        raise AnnotationFormatError(f"expected {expected}; found {shown}")
    for key in ("readmark:source", "readmark:fingerprint"):
        if isinstance(data.get(key), str) and data[key]:
            defaults.setdefault(key, data[key])
    listed = hypothesis_annotations(data)
    if listed is not None:  # Hypothesis's export file or its API's search results
        name = "rows" if "rows" in data else "annotations"
        return _items(_list(listed, name), defaults, name)
    found = []
    page: Any = data
    for _ in range(MAX_PAGES):
        if "items" in page:
            found += _items(_list(page["items"], "items"), defaults, "items")
        following = page.get("first") if page is data else page.get("next")
        if following is None:
            break
        if isinstance(following, str):
            raise AnnotationFormatError(
                f"the annotations are on another page ({following[:60]!r}), not in the file"
            )
        if not isinstance(following, dict):
            raise AnnotationFormatError(f"a collection's page is {_json_kind(following)}")
        page = following
    return found


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise AnnotationFormatError(f"'{name}' should be a list, found {_json_kind(value)}")
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _purposes(body: Mapping[str, Any]) -> set[str]:
    purpose = body.get("purpose")
    if isinstance(purpose, str):
        return {purpose.removeprefix("oa:")}
    if isinstance(purpose, list):
        return {p.removeprefix("oa:") for p in purpose if isinstance(p, str)}
    return set()


def _flat_selectors(selector: Any, depth: int = 0) -> list[Mapping[str, Any]]:
    if depth > 8:
        return []
    pieces = selector if isinstance(selector, list) else [selector]
    flat: list[Mapping[str, Any]] = []
    for piece in pieces:
        if isinstance(piece, dict):
            flat.append(piece)
            if "refinedBy" in piece:
                flat += _flat_selectors(piece["refinedBy"], depth + 1)
    return flat


def _pick_target(target: Any) -> tuple[str, Mapping[str, Any], list[Mapping[str, Any]]]:
    """(source, the target object holding the selectors, its selectors, flattened)."""
    if isinstance(target, dict):  # the common case: one target object
        return _target_source(target), target, _flat_selectors(target.get("selector"))
    options = target if isinstance(target, list) else [target]
    first_source = ""
    objects: list[Mapping[str, Any]] = []
    for option in options:
        if isinstance(option, str):
            first_source = first_source or option
        elif isinstance(option, dict):
            objects.append(option)
    for option in objects:
        flat = _flat_selectors(option.get("selector"))
        if any(s.get("type") == "TextQuoteSelector" for s in flat):
            return _target_source(option) or first_source, option, flat
    if objects:
        flat = _flat_selectors(objects[0].get("selector"))
        return _target_source(objects[0]) or first_source, objects[0], flat
    return first_source, {}, []


def _target_source(target: Mapping[str, Any]) -> str:
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id") or source.get("@id")
    if isinstance(source, str):
        return source
    if "selector" not in target:
        return _text(target.get("id")) or _text(target.get("@id"))
    return ""


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def _parse_one(item: Mapping[str, Any], defaults: Mapping[str, str], n: int) -> ParsedAnnotation:
    notes: list[str] = []
    tags: list[str] = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, str):
            if not _IRI.fullmatch(body.strip()):  # a body given as a string is a link
                notes.append(body)
        elif isinstance(body, dict):
            value = body.get("value", body.get("chars"))
            if not isinstance(value, str):
                continue
            if "tagging" in _purposes(body):
                tags.append(value)
            else:
                notes.append(value)
    notes.append(_text(item.get("bodyValue")))
    notes.append(_text(item.get("text")))  # Hypothesis
    if isinstance(item.get("tags"), list):
        tags += [tag for tag in item["tags"] if isinstance(tag, str)]
    source, target, flat = _pick_target(item.get("target"))
    position, quote = parse_selectors(flat)
    if quote is not None and not quote.exact.strip():
        quote = None
    style = target.get("styleClass")
    color = style.lower() if isinstance(style, str) and style.lower() in COLORS else DEFAULT_COLOR
    section = item.get("readmark:section")
    section = section if isinstance(section, list) else []
    raw_id = item.get("id", item.get("@id"))
    if raw_id is not None and not isinstance(raw_id, str):
        raise AnnotationFormatError(f"annotation {n}: its id is {_json_kind(raw_id)}, not text")
    return ParsedAnnotation(
        id=store_id(raw_id) if raw_id else "",
        source=source or hypothesis_source(item) or defaults.get("readmark:source", ""),
        fingerprint=_text(target.get("readmark:fingerprint"))
        or defaults.get("readmark:fingerprint", ""),
        quote=quote,
        position=position,
        note=_join_notes(notes),
        tags=normalise_tags(tags),
        color=color,
        section=tuple(part for part in section if isinstance(part, str)),
        created=_text(item.get("created")),
        modified=hypothesis_modified(item),
        detached=item.get("readmark:detached") is True,
        has_color=isinstance(style, str) and style.lower() in COLORS,
    )


def _join_notes(parts: list[str]) -> str:
    """The note: a single body exactly as given (so a round trip keeps it), several
    bodies one paragraph each."""
    parts = [part for part in parts if part.strip()]
    if len(parts) == 1:
        return parts[0]
    return "\n\n".join(part.strip() for part in parts)


def import_id(annotation: ParsedAnnotation) -> str:
    """The id an imported annotation is stored under.

    Its own id when it has one; otherwise one derived from its content, so
    importing the same file twice finds the annotations already there.
    """
    if annotation.id:
        return annotation.id
    quote = annotation.quote or TextQuote("")
    key = json.dumps(
        [
            annotation.source,
            annotation.fingerprint,
            quote.exact,
            quote.prefix,
            quote.suffix,
            annotation.position,
            annotation.note,
        ],
        ensure_ascii=False,
    )
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "readmark-import:" + key))


def import_records(
    annotations: Sequence[ParsedAnnotation], article_id: str, document: Document | None
) -> list[dict[str, Any]]:
    """Store records for annotations with a quote, anchored in ``document``.

    One found in the text gets fresh selectors and its section; one that is not
    found is kept, marked ``detached``, with the selectors it came with. Without
    a document nothing can be checked: records keep what the file said.
    """
    records: list[dict[str, Any]] = []
    for annotation in annotations:
        if annotation.quote is None:
            continue
        quote = annotation.quote
        chosen: list[dict[str, Any]] = []
        if annotation.position is not None:
            start, end = annotation.position
            chosen.append({"type": "TextPositionSelector", "start": start, "end": end})
        chosen.append(
            {
                "type": "TextQuoteSelector",
                "exact": quote.exact,
                "prefix": quote.prefix,
                "suffix": quote.suffix,
            }
        )
        record: dict[str, Any] = {
            "id": import_id(annotation),
            "article_id": article_id,
            "type": "Annotation",
            "target": {"selector": chosen},
            "section": list(annotation.section),
            "color": annotation.color,
            "note": annotation.note,
            "tags": list(annotation.tags),
            "detached": annotation.detached,
        }
        if annotation.created:
            record["created"] = annotation.created
        if annotation.modified:
            record["modified"] = annotation.modified
        records.append(record)
    if document is None or not records:
        return records
    # Anchored here rather than through anchor_records: an import needs only the
    # spans and sections, not highlights (50,000 annotations spent seconds on them).
    text = document.text
    quoted = [a for a in annotations if a.quote is not None]
    found = anchor_all(text, [(a.position, a.quote) for a in quoted])  # type: ignore[misc]
    paths: dict[int | None, list[str]] = {}  # section -> its path (many share one)
    for record, anchor in zip(records, found):
        if anchor is None:
            record["detached"] = True
            continue
        where = document.section_index_at(anchor.start)
        section = paths.get(where)
        if section is None:
            section = paths[where] = document.section_path(anchor.start)
        record["target"] = {"selector": selectors(text, anchor.start, anchor.end)}
        record["section"] = list(section)
        record["detached"] = False
    return records
