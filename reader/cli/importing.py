"""`readmark import`: annotation JSON into the library, all of it placed or nothing written."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    CliError,
    bulk_work,
    common_arguments,
    open_store,
    plural,
    shorten,
    shown,
    warn,
)
from reader.export.formats import (
    AnnotationFormatError,
    ParsedAnnotation,
    import_records,
    parse_annotation_json,
    source_path,
)
from reader.sources.loader import (
    ArticleError,
    ArticleSource,
    parse_article,
    read_article,
    read_regular_file,
)

if TYPE_CHECKING:
    from reader.document.model import Document
    from reader.store import Store


def import_parser() -> argparse.ArgumentParser:
    """The options of `readmark import`."""
    parser = argparse.ArgumentParser(
        prog="readmark import",
        description="Import annotations from readmark's JSON export or any W3C Web Annotation "
        "JSON whose targets quote text (TextQuoteSelector). Each is anchored in its article, "
        "found by the fingerprint or source path in the file (or given with --article); one "
        "whose text cannot be found is kept as detached. Annotations already in the library "
        "are skipped, so importing a file twice adds nothing twice, unless the file's copy "
        "was changed later (its modified time, Hypothesis's 'updated', is newer): then its "
        "note, tags and colour replace the library's. Reads Hypothesis's export file too.",
    )
    parser.add_argument("file", help="the JSON file ('-' reads standard input)")
    parser.add_argument(
        "--article", metavar="PATH", help="attach every annotation to this article file"
    )
    parser.add_argument(
        "--move",
        action="store_true",
        help="with --article: annotations the library already has in another article are "
        "moved to this one (with their review cards), instead of skipped",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would be imported; change nothing"
    )
    common_arguments(parser)
    return parser


@dataclass(slots=True)
class _Target:
    """Where some imported annotations go: a known article or a file to add."""

    label: str
    article: dict[str, Any] | None = None
    source: ArticleSource | None = None
    document: Document | None = None
    annotations: list[ParsedAnnotation] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    #: Stored annotations the file has a newer copy of: (article id, id, changes).
    updates: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    #: Records already stored in another article, to move here (--move).
    moves: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.document is not None:
            return self.document.title
        return str((self.article or {}).get("title") or self.label)


#: The largest annotation file read (about 400,000 annotations of readmark's export).
MAX_IMPORT_BYTES = 256 * 1024 * 1024


def _read_input(name: str) -> str:
    """The text of the file to import (or of standard input, for "-"): a regular file
    only, and never more than MAX_IMPORT_BYTES of it."""
    if name == "-":
        try:
            data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise CliError(f"standard input cannot be read ({error.strerror or error})") from None
        if len(data) > MAX_IMPORT_BYTES:
            raise CliError(f"standard input: too large (over {MAX_IMPORT_BYTES >> 20} MB)")
    else:
        try:
            data = read_regular_file(name, name, MAX_IMPORT_BYTES, "a JSON file")
        except ArticleError as error:
            raise CliError(str(error)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{name}: not JSON (not UTF-8 text)") from None


def import_command(args: argparse.Namespace) -> int:
    """Check the file and every article it needs, then add what is new."""
    with bulk_work():
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from reader.store import StoreError, resolve_db_path

    shown = "standard input" if args.file == "-" else args.file
    try:
        parsed = parse_annotation_json(_read_input(args.file))
    except AnnotationFormatError as error:
        raise CliError(f"{shown}: {error}") from None
    if args.move and not args.article:
        raise CliError("--move needs --article PATH: the article the annotations move to")
    if not parsed:
        raise CliError(f"{shown}: holds no annotations")
    quoted = [a for a in parsed if a.quote is not None]
    if not quoted:
        raise CliError(
            f"{shown}: none of its {plural(len(parsed), 'annotation')} quotes text "
            "(a TextQuoteSelector), so there is nothing to anchor"
        )
    base = Path.cwd() if args.file == "-" else Path(args.file).resolve().parent
    db = resolve_db_path(args.db)
    try:
        store = open_store(args.db, db) if db.exists() else None
        try:
            targets = _plan(quoted, args.article, store, base)
            new, present = _new_records(targets, store, move=args.move)
            changed = any(t.updates or t.moves for t in targets)
            if (new or changed) and not args.dry_run:
                if store is None:
                    store = open_store(args.db, db)
                _save(store, targets)
        finally:
            if store is not None:
                store.close()
    except StoreError as error:
        raise CliError(str(error)) from None
    _report(targets, present, len(parsed) - len(quoted), dry_run=args.dry_run)
    return 0


def _plan(
    annotations: list[ParsedAnnotation], article_path: str | None, store: Store | None, base: Path
) -> list[_Target]:
    """Group the annotations by the article they belong to; CliError if one has none."""
    if article_path:
        target = _Target(article_path, source=read_article(article_path))
        if store is not None:
            target.article = store.find_article(
                fingerprint=target.source.fingerprint, path=os.path.abspath(article_path)
            )
        target.annotations = list(annotations)
        targets = [target]
    else:
        by_key: dict[tuple[str, str], _Target] = {}
        for annotation in annotations:
            key = (annotation.fingerprint, annotation.source)
            if key not in by_key:
                by_key[key] = _locate(annotation.fingerprint, annotation.source, store, base)
            by_key[key].annotations.append(annotation)
        targets = _merge(list(by_key.values()))
    for target in targets:
        if target.source is None and target.article is not None:
            path = str(target.article.get("path") or "")
            with contextlib.suppress(ArticleError):
                target.source = read_article(path) if path else None
            if target.source is None:
                warn(
                    f"the file of “{target.title}” ({path or 'unknown'}) cannot be read; its "
                    "annotations are imported as they are, without checking them against its text"
                )
        if target.source is not None:
            for warning in target.source.warnings:
                warn(warning)
            target.document = parse_article(target.source)
    return targets


def _locate(fingerprint: str, source: str, store: Store | None, base: Path) -> _Target:
    """The article that annotations with this fingerprint and source belong to."""
    path = source_path(source) if source else ""
    candidates: list[str] = []
    if path:
        candidates = [path] if os.path.isabs(path) else [str(base / path), os.path.abspath(path)]
    elif source.startswith(("http://", "https://")) and store is not None and store.path:
        # A web article's annotations: its snapshot in this library, if it has one.
        from reader.sources.snapshots import snapshots_of_url
        from reader.store.paths import snapshots_dir

        candidates = [str(found) for found in snapshots_of_url(source, snapshots_dir(store.path))]
    label = source or fingerprint or "the file"
    if store is not None:
        found = store.find_article(fingerprint=fingerprint) if fingerprint else None
        for candidate in candidates:
            if found is None:
                found = store.find_article(path=os.path.abspath(candidate))
        if found is not None:
            return _Target(label, article=found)
    for candidate in candidates:
        if os.path.isfile(candidate):
            article_source = read_article(candidate)
            found = None
            if store is not None:
                found = store.find_article(
                    fingerprint=article_source.fingerprint, path=os.path.abspath(candidate)
                )
            return _Target(label, article=found, source=article_source)
    where = f"“{shorten(source)}”" if source else "an unnamed article"
    raise CliError(
        f"annotations of {where} belong to no article in the library, and no such file "
        "exists; give the article with --article PATH"
    )


def _merge(targets: list[_Target]) -> list[_Target]:
    """One target per article, even when several fingerprints or sources lead to it."""
    merged: dict[str, _Target] = {}
    for target in targets:
        if target.article is not None:
            key = "id:" + target.article["id"]
        elif target.source is not None:
            key = "path:" + os.path.abspath(target.source.path)
        else:
            key = "label:" + target.label
        if key in merged:
            merged[key].annotations += target.annotations
        else:
            merged[key] = target
    return list(merged.values())


def _new_records(
    targets: list[_Target], store: Store | None, *, move: bool = False
) -> tuple[int, int]:
    """Build each target's records, leaving out those already stored (with ``move``,
    those stored in another article are set aside to be moved); (new, present)."""
    seen: set[str] = set()
    # One pass over the library, not a look-up per annotation (50,000 took seconds).
    library = {a["id"]: a for a in store.annotations_and_cards()[0]} if store is not None else {}
    new = present = 0
    for target in targets:
        article_id = target.article["id"] if target.article is not None else "pending"
        quoted = [a for a in target.annotations if a.quote is not None]
        records = import_records(target.annotations, article_id, target.document)
        for annotation, record in zip(quoted, records):
            stored = library.get(record["id"])
            if move and stored is not None and record["id"] not in seen and (
                target.article is None or stored.get("article_id") != target.article["id"]
            ):
                seen.add(record["id"])
                target.moves.append(record)
                continue
            if record["id"] in seen or stored is not None:
                seen.add(record["id"])
                changes = _newer_changes(annotation, record, stored)
                if changes and stored is not None:
                    target.updates.append((stored["article_id"], record["id"], changes))
                else:
                    present += 1
                continue
            seen.add(record["id"])
            target.records.append(record)
            new += 1
    return new, present


def _moment(stamp: Any) -> datetime | None:
    if not isinstance(stamp, str) or not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _newer_changes(
    annotation: ParsedAnnotation, record: dict[str, Any], stored: dict[str, Any] | None
) -> dict[str, Any]:
    """What a newer copy in the file changes of a stored annotation ({} if it is not newer)."""
    if stored is None:
        return {}
    theirs, ours = _moment(annotation.modified), _moment(stored.get("modified"))
    if theirs is None or (ours is not None and theirs <= ours):
        return {}
    changes = {"note": record["note"], "tags": record["tags"]}
    if annotation.has_color:
        changes["color"] = record["color"]
    return {key: value for key, value in changes.items() if stored.get(key) != value}


def _save(store: Store, targets: list[_Target]) -> None:
    """Add the new records and apply the updates (a backup first, as before any bulk change)."""
    store.backup("import")
    by_article: dict[str, dict[str, dict[str, Any]]] = {}
    for target in targets:
        for article_id, annotation_id, changes in target.updates:
            by_article.setdefault(article_id, {})[annotation_id] = changes
    for article_id, changes in by_article.items():
        store.update_annotations(article_id, changes)
    for target in targets:
        if not target.records and not target.moves:
            continue
        if target.article is None:
            assert target.source is not None and target.document is not None
            target.article = store.upsert_article(
                fingerprint=target.source.fingerprint,
                path=os.path.abspath(target.source.path),
                title=target.document.title,
            )
        for record in target.records:
            record["article_id"] = target.article["id"]
        # One write of the article's file: an import cut short (a kill, a full disk)
        # leaves each article with all its new annotations or none; those added by
        # another process since we looked are left out, not added twice.
        target.records = store.add_annotations(target.article["id"], target.records)
        if target.moves:  # with their review cards and log (a backup was made above)
            target.moves = store.move_annotations(
                {record["id"]: record for record in target.moves}, target.article["id"])


def _report(targets: list[_Target], present: int, unquoted: int, *, dry_run: bool) -> None:
    verb = "would import" if dry_run else "imported"
    updated = sum(len(target.updates) for target in targets)
    for target in targets:
        if target.moves:
            print(f"{'would move' if dry_run else 'moved'} "
                  f"{plural(len(target.moves), 'annotation')} from other articles into "
                  f"“{shown(target.title)}”, with their review cards")
        if not target.records:
            continue
        detached = [r for r in target.records if r.get("detached")]
        line = f"{verb} {plural(len(target.records), 'annotation')} into “{shown(target.title)}”"
        if detached:
            line += f" ({len(detached)} detached: not found in the article's text)"
        print(line)
        for record in detached:
            exact = next(
                (
                    s.get("exact", "")
                    for s in record["target"]["selector"]
                    if s.get("type") == "TextQuoteSelector"
                ),
                "",
            )
            print(f"  detached: “{shorten(exact)}”")
    if updated:
        print(
            f"{'would update' if dry_run else 'updated'} {plural(updated, 'annotation')} "
            "changed in the file since the library's copy (note, tags, colour)"
        )
    if present:
        print(f"skipped {plural(present, 'annotation')} already in the library")
    if unquoted:
        print(f"skipped {plural(unquoted, 'annotation')} that quote no text")
    moved = any(target.moves for target in targets)
    if not any(target.records for target in targets) and not present and not updated and not moved:
        print("nothing to import")
