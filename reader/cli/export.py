"""`readmark export` and `readmark import`, and the export the reading screen calls.

Export never changes the library (it does not even create one); import checks
everything first (the JSON, every article it names) and writes only when all
of it can be placed, so a bad file changes nothing. Files are written to a
temporary file beside the target and renamed over it, so an export is never
seen half-written. Like :mod:`reader.cli.annotations`, this module imports the
store only when a command runs and never imports Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.annotations import open_store, shorten
from reader.cli.main import CliError, common_arguments
from reader.export.files import write_atomic
from reader.export.formats import (
    FORMATS,
    SUFFIXES,
    AnnotationFormatError,
    ExportArticle,
    ParsedAnnotation,
    import_records,
    parse_annotation_json,
    render,
    safe_filename,
    source_path,
)
from reader.sources.loader import ArticleError, ArticleSource, parse_article, read_article

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reader.document.model import Document
    from reader.store import Store

# --------------------------------------------------------------------------- parsers


def export_parser() -> argparse.ArgumentParser:
    """The options of `readmark export`."""
    parser = argparse.ArgumentParser(
        prog="readmark export",
        description="Export an article's highlights and notes: Markdown with YAML front "
        "matter (for Obsidian, Logseq or a Git repository), W3C Web Annotation JSON, or "
        "Readwise CSV. Unchanged notes export to identical bytes (apart from the export "
        "time, which --no-timestamp leaves out).",
    )
    parser.add_argument(
        "article",
        nargs="?",
        help="the article file (if it is gone: its old path, or its title as 'readmark list' "
        "shows it)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of standard output; with --all, the folder to write to",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="markdown, json or csv (default: from the -o file's extension, else markdown)",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="export every article that has highlights, one file each, into the -o folder",
    )
    parser.add_argument(
        "--no-timestamp",
        action="store_true",
        help="leave out the export time (so an unchanged export is byte-for-byte the same)",
    )
    common_arguments(parser)
    return parser


def import_parser() -> argparse.ArgumentParser:
    """The options of `readmark import`."""
    parser = argparse.ArgumentParser(
        prog="readmark import",
        description="Import annotations from readmark's JSON export or any W3C Web Annotation "
        "JSON whose targets quote text (TextQuoteSelector). Each is anchored in its article, "
        "found by the fingerprint or source path in the file (or given with --article); one "
        "whose text cannot be found is kept as detached. Annotations already in the library "
        "are skipped, so importing a file twice adds nothing twice.",
    )
    parser.add_argument("file", help="the JSON file ('-' reads standard input)")
    parser.add_argument(
        "--article", metavar="PATH", help="attach every annotation to this article file"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would be imported; change nothing"
    )
    common_arguments(parser)
    return parser


# --------------------------------------------------------------------------- writing


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None


def _stdout(text: str) -> None:
    """The export on standard output, as UTF-8 bytes whatever the terminal's encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _warn(message: str) -> None:
    print(f"readmark: warning: {message}", file=sys.stderr)


def _counts(items: Sequence[Any]) -> str:
    notes = sum(1 for item in items if str(_get(item, "note") or "").strip())
    return f"{_plural(len(items), 'highlight')}, {_plural(notes, 'note')}"


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _now() -> datetime:
    return datetime.now().astimezone()


# --------------------------------------------------------------------------- export


@dataclass(slots=True)
class _Job:
    """One article to export: what to say about it, its records and its text if readable."""

    article: ExportArticle
    records: list[dict[str, Any]] = field(default_factory=list)
    document: Document | None = None


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output or "").suffix.lower()
    return {".json": "json", ".jsonld": "json", ".csv": "csv"}.get(suffix, "markdown")


def export_command(args: argparse.Namespace) -> int:
    """Export one article (to standard output or ``-o FILE``), or ``--all`` into a folder."""
    fmt = _format(args)
    exported = None if args.no_timestamp else _now()
    if args.all:
        if args.article:
            raise CliError("give either an ARTICLE or --all, not both")
        if not args.output or args.output == "-":
            raise CliError("--all writes one file per article: give a folder with -o DIR")
        return _export_all(args, fmt, exported)
    if not args.article:
        raise CliError("give the article to export (or --all -o DIR for every article)")
    job = _job_for(args)
    text = render(fmt, job.article, job.records, job.document, exported=exported)
    if not args.output or args.output == "-":
        _stdout(text)
        return 0
    target = Path(args.output)
    if target.is_dir():
        raise CliError(f"{target} is a folder; give a file name (or use --all for a folder)")
    _write(target, text)
    print(f"wrote {target} ({_counts(job.records)})")
    return 0


def _job_for(args: argparse.Namespace) -> _Job:
    """The article named on the command line, its records and (if readable) its text."""
    from reader.store import StoreError, resolve_db_path

    given = args.article
    source = read_article(given) if os.path.lexists(given) else None
    db = resolve_db_path(args.db)
    record: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    if db.exists():
        try:
            with open_store(args.db, db) as store:
                if source is not None:
                    record = store.find_article(
                        fingerprint=source.fingerprint, path=os.path.abspath(source.path)
                    )
                else:
                    record = _find_stored(store, given)
                if record is not None:
                    records = store.annotations(record["id"])
        except StoreError as error:
            raise CliError(str(error)) from None
    if source is None and record is None:
        raise CliError(
            f"{given}: no such file, and the library has no article with that path or title"
        )
    if source is None:
        assert record is not None
        source = _readable(str(record.get("path") or ""), len(records))
    for warning in source.warnings if source is not None else ():
        _warn(warning)
    document = parse_article(source) if source is not None else None
    if record is None:
        _warn(f"{given}: no highlights yet (the library does not know this article)")
    return _Job(_export_article(record, source, document), records, document)


def _find_stored(store: Store, given: str) -> dict[str, Any] | None:
    """An article whose file is gone, by its old path, its id or its title."""
    found = store.find_article(path=os.path.abspath(given))
    if found is not None:
        return found
    articles = store.articles()
    for article in articles:
        if article["id"] == given:
            return article
    wanted = " ".join(given.split()).casefold()
    titled = [a for a in articles if " ".join(str(a.get("title", "")).split()).casefold() == wanted]
    if len(titled) > 1:
        raise CliError(f"{len(titled)} articles are titled {given!r}; give the file's path")
    return titled[0] if titled else None


def _readable(path: str, count: int) -> ArticleSource | None:
    """The article at its stored path, or None (with a warning saying what that means)."""
    problem = "the library does not know its file"
    if path:
        try:
            return read_article(path)
        except ArticleError as error:
            problem = str(error)
    if count:
        _warn(
            f"{problem}; exported {_plural(count, 'highlight')} as stored "
            "(headings from the stored section names, texts not checked against the article)"
        )
    return None


def _export_article(
    record: dict[str, Any] | None, source: ArticleSource | None, document: Document | None
) -> ExportArticle:
    record = record or {}
    if source is None:
        path, fingerprint = str(record.get("path") or ""), str(record.get("fingerprint") or "")
    else:
        path, fingerprint = os.path.abspath(source.path), source.fingerprint
    title = str(record.get("title") or "Untitled")
    return ExportArticle.from_document(document, title=title, source=path, fingerprint=fingerprint)


def _export_all(args: argparse.Namespace, fmt: str, exported: datetime | None) -> int:
    from reader.store import StoreError, resolve_db_path

    folder = Path(args.output)
    db = resolve_db_path(args.db)
    jobs: list[_Job] = []
    if db.exists():
        try:
            with open_store(args.db, db) as store:
                articles = sorted(
                    store.articles(),
                    key=lambda a: (
                        str(a.get("title", "")).casefold(),
                        str(a.get("created", "")),
                        a["id"],
                    ),
                )
                for record in articles:
                    records = store.annotations(record["id"])
                    if records:
                        jobs.append(_Job(_export_article(record, None, None), records))
        except StoreError as error:
            raise CliError(str(error)) from None
    if not jobs:
        print("No highlights to export yet.")
        return 0
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot make the folder {folder}: {error.strerror or error}") from None
    taken: set[str] = set()
    total = 0
    for job in jobs:
        source = _readable(job.article.source, len(job.records))
        if source is not None:
            job.document = parse_article(source)
            job.article = ExportArticle.from_document(
                job.document, source=job.article.source, fingerprint=source.fingerprint
            )
        name = safe_filename(job.article.title, taken, SUFFIXES[fmt])
        taken.add(name)
        text = render(fmt, job.article, job.records, job.document, exported=exported)
        _write(folder / name, text)
        total += len(job.records)
        print(f"wrote {folder / name} ({_counts(job.records)})")
    print(f"exported {_plural(len(jobs), 'article')} ({_plural(total, 'highlight')}) to {folder}")
    return 0


# --------------------------------------------------------------------------- import


@dataclass(slots=True)
class _Target:
    """Where some imported annotations go: a known article or a file to add."""

    label: str
    article: dict[str, Any] | None = None
    source: ArticleSource | None = None
    document: Document | None = None
    annotations: list[ParsedAnnotation] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.document is not None:
            return self.document.title
        return str((self.article or {}).get("title") or self.label)


def _read_input(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise CliError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{name}: is a folder, not a JSON file") from None
    except OSError as error:
        raise CliError(f"{name}: cannot be read ({error.strerror or error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{name}: not JSON (not UTF-8 text)") from None


def import_command(args: argparse.Namespace) -> int:
    """Check the file and every article it needs, then add what is new."""
    from reader.store import StoreError, resolve_db_path

    shown = "standard input" if args.file == "-" else args.file
    try:
        parsed = parse_annotation_json(_read_input(args.file))
    except AnnotationFormatError as error:
        raise CliError(f"{shown}: {error}") from None
    if not parsed:
        raise CliError(f"{shown}: holds no annotations")
    quoted = [a for a in parsed if a.quote is not None]
    if not quoted:
        raise CliError(
            f"{shown}: none of its {_plural(len(parsed), 'annotation')} quotes text "
            "(a TextQuoteSelector), so there is nothing to anchor"
        )
    base = Path.cwd() if args.file == "-" else Path(args.file).resolve().parent
    db = resolve_db_path(args.db)
    try:
        store = open_store(args.db, db) if db.exists() else None
        try:
            targets = _plan(quoted, args.article, store, base)
            new, present = _new_records(targets, store)
            if new and not args.dry_run:
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
                _warn(
                    f"the file of “{target.title}” ({path or 'unknown'}) cannot be read; its "
                    "annotations are imported as they are, without checking them against its text"
                )
        if target.source is not None:
            for warning in target.source.warnings:
                _warn(warning)
            target.document = parse_article(target.source)
    return targets


def _locate(fingerprint: str, source: str, store: Store | None, base: Path) -> _Target:
    """The article that annotations with this fingerprint and source belong to."""
    path = source_path(source) if source else ""
    candidates: list[str] = []
    if path:
        candidates = [path] if os.path.isabs(path) else [str(base / path), os.path.abspath(path)]
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


def _new_records(targets: list[_Target], store: Store | None) -> tuple[int, int]:
    """Build each target's records, leaving out those already stored; (new, present)."""
    seen: set[str] = set()
    new = present = 0
    for target in targets:
        article_id = target.article["id"] if target.article is not None else "pending"
        for record in import_records(target.annotations, article_id, target.document):
            if record["id"] in seen or (
                store is not None and store.get_annotation(record["id"]) is not None
            ):
                present += 1
                continue
            seen.add(record["id"])
            target.records.append(record)
            new += 1
    return new, present


def _save(store: Store, targets: list[_Target]) -> None:
    """Add the new records (a backup first, as before any bulk change)."""
    store.backup("import")
    for target in targets:
        if not target.records:
            continue
        if target.article is None:
            assert target.source is not None and target.document is not None
            target.article = store.upsert_article(
                fingerprint=target.source.fingerprint,
                path=os.path.abspath(target.source.path),
                title=target.document.title,
            )
        kept = []
        for record in target.records:
            record["article_id"] = target.article["id"]
            try:
                store.add_annotation(record)
            except ValueError:  # added by another process since we looked: not twice
                continue
            kept.append(record)
        target.records = kept


def _report(targets: list[_Target], present: int, unquoted: int, *, dry_run: bool) -> None:
    verb = "would import" if dry_run else "imported"
    for target in targets:
        if not target.records:
            continue
        detached = [r for r in target.records if r.get("detached")]
        line = f"{verb} {_plural(len(target.records), 'annotation')} into “{target.title}”"
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
    if present:
        print(f"skipped {_plural(present, 'annotation')} already in the library")
    if unquoted:
        print(f"skipped {_plural(unquoted, 'annotation')} that quote no text")
    if not any(target.records for target in targets) and not present:
        print("nothing to import")
