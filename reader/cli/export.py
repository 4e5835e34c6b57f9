"""`readmark export`: an article's notes to a file or standard output, or all to a folder."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.articles import is_source_argument, open_article
from reader.cli.common import (
    CliError,
    bulk_work,
    common_arguments,
    exact_stdout,
    open_store,
    plural,
    warn,
)
from reader.export.files import ExportConflict, ExportFolder, write_export
from reader.export.formats import FORMATS, ExportArticle, render
from reader.sources.loader import ArticleError, ArticleSource, parse_article, read_article

if TYPE_CHECKING:
    from reader.document.model import Document
    from reader.store import Store


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
        help="the article: a file, a URL, a saved page, an EPUB book or - (if its file is gone: "
        "its old path, or its title as 'readmark list' shows it)",
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
        help="markdown, json, csv or anki (an .apkg package; default: from the -o file's "
        "extension, else the config file's export.format, else markdown)",
    )
    parser.add_argument(
        "--template",
        metavar="FILE",
        help="write the Markdown with this Jinja2 template (see --print-template for the "
        "built-in one to start from)",
    )
    parser.add_argument(
        "--print-template",
        action="store_true",
        help="print the built-in Markdown template and exit",
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


def _write(path: Path, fmt: str, job: _Job, exported: datetime | None, template: Any) -> str:
    """Write (or sync) one export; "written", "updated" or "unchanged"."""
    try:
        return write_export(
            path, fmt, job.article, job.records, job.document, exported=exported,
            template=template,
        )  # fmt: skip
    except ExportConflict as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None


def _template(args: argparse.Namespace, fmt: str) -> Any:
    """The --template, loaded (Jinja2 is imported only then), or None."""
    if not args.template:
        return None
    if fmt != "markdown":
        raise CliError("--template is for the Markdown export")
    from reader.export.templates import TemplateError, load_template

    try:
        return load_template(args.template)
    except TemplateError as error:
        raise CliError(str(error)) from None


def _said(status: str, path: Path, items: Sequence[Any]) -> str:
    verb = {"unchanged": "unchanged", "updated": "updated"}.get(status, "wrote")
    return f"{verb} {path} ({_counts(items)})"


def _stdout(text: str) -> None:
    """The export on standard output, as UTF-8 bytes whatever the terminal's encoding:
    exact into a pipe or a file, inert on a terminal (see :func:`exact_stdout`)."""
    exact_stdout(text)


def _counts(items: Sequence[Any]) -> str:
    notes = sum(1 for item in items if str(_get(item, "note") or "").strip())
    return f"{plural(len(items), 'highlight')}, {plural(notes, 'note')}"


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _now() -> datetime:
    return datetime.now().astimezone()


@dataclass(slots=True)
class _Job:
    """One article to export: what to say about it, its records and its text if readable."""

    article: ExportArticle
    records: list[dict[str, Any]] = field(default_factory=list)
    document: Document | None = None


#: The formats the output file's suffix chooses (without --format).
_SUFFIX_FORMATS = {".json": "json", ".jsonld": "json", ".csv": "csv", ".apkg": "anki",
                   ".md": "markdown", ".markdown": "markdown"}
#: Suffixes of text files the default format (Markdown, say) may go in as well.
_TEXT_SUFFIXES = {"", ".txt", ".text"}


def _format(args: argparse.Namespace, default: str = "markdown") -> str:
    if args.format:
        return args.format
    suffix = Path(args.output or "").suffix.lower()
    if not args.all and args.output not in (None, "-") and (
            suffix not in _SUFFIX_FORMATS and suffix not in _TEXT_SUFFIXES):
        # Markdown in a file named .docx or .pdf would open as a broken document.
        raise CliError(f"{args.output}: not a kind of file readmark writes (.md, .json, .csv, "
                       ".apkg); name one of those, or choose the format with --format")
    return _SUFFIX_FORMATS.get(suffix, default)


def export_command(args: argparse.Namespace) -> int:
    """Export one article (to standard output or ``-o FILE``), or ``--all`` into a folder."""
    with bulk_work():
        return _export(args)


def _export(args: argparse.Namespace) -> int:
    if args.print_template:
        from reader.export.templates import DEFAULT_TEMPLATE

        _stdout(DEFAULT_TEMPLATE.read_text(encoding="utf-8"))
        return 0
    from reader.cli.config import checked_settings

    settings = checked_settings()  # the config file's defaults; a problem in it: exit 2
    fmt = _format(args, settings.export_format or "markdown")
    if args.template is None and fmt == "markdown" and settings.export_template is not None:
        args.template = str(settings.export_template)
    if args.all and not args.output and settings.export_folder is not None:
        args.output = str(settings.export_folder)
    exported = None if args.no_timestamp else _now()
    template = _template(args, fmt)
    if args.all:
        if args.article:
            raise CliError("give either an ARTICLE or --all, not both")
        if not args.output or args.output == "-":
            raise CliError("--all writes one file per article: give a folder with -o DIR")
        return _export_all(args, fmt, exported, template)
    if not args.article:
        raise CliError("give the article to export (or --all -o DIR for every article)")
    if fmt == "anki" and (not args.output or args.output == "-"):
        raise CliError("an Anki package is a file: give one with -o FILE.apkg")
    job = _job_for(args)
    if not args.output or args.output == "-":
        if template is not None:
            from reader.export.sync import assemble

            layout = template.layout(job.article, job.records, job.document, exported=exported)
            _stdout(assemble(layout))
        else:
            _stdout(render(fmt, job.article, job.records, job.document, exported=exported))
        return 0
    target = Path(args.output)
    if target.is_dir():
        raise CliError(f"{target} is a folder; give a file name (or use --all for a folder)")
    print(_said(_write(target, fmt, job, exported, template), target, job.records))
    return 0


def _job_for(args: argparse.Namespace) -> _Job:
    """The article named on the command line, its records and (if readable) its text."""
    from reader.store import StoreError, resolve_db_path

    given = args.article
    source: ArticleSource | None = None
    if is_source_argument(given):
        source = open_article(given, args.db, show_warnings=False).source
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
        warn(warning)
    document = parse_article(source) if source is not None else None
    if record is None:
        warn(f"{given}: no highlights yet (the library does not know this article)")
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
        warn(
            f"{problem}; exported {plural(count, 'highlight')} as stored "
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


def _export_all(
    args: argparse.Namespace, fmt: str, exported: datetime | None, template: Any = None
) -> int:
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
    place = ExportFolder(folder, fmt)
    total = 0
    for job in jobs:
        source = _readable(job.article.source, len(job.records))
        if source is not None:
            job.document = parse_article(source)
            job.article = ExportArticle.from_document(
                job.document, source=job.article.source, fingerprint=source.fingerprint
            )
        path = place.path_for(job.article)
        status = _write(path, fmt, job, exported, template)
        total += len(job.records)
        print(_said(status, path, job.records))
    print(f"exported {plural(len(jobs), 'article')} ({plural(total, 'highlight')}) to {folder}")
    return 0
