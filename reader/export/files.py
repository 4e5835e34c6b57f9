"""Writing an export to disk: atomic replacement, sync, and where each article's file goes.

The reading screen and the command line both call this, so neither reaches into
the other: a file is written beside its target and renamed over it, never seen
half-written. A Markdown export written where one already is keeps what the
reader added to it (:mod:`reader.export.sync`), and is not written at all when
nothing but its export time would change.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reader.export.formats import FORMATS, SUFFIXES, ExportArticle, render, safe_filename
from reader.export.markdown import markdown_layout
from reader.export.model import HighlightLike
from reader.export.sync import (
    assemble,
    front_value,
    is_export,
    merge,
    parse_existing,
    same_but_time,
)

if TYPE_CHECKING:
    from reader.annotations.records import Highlight
    from reader.document.model import Document
    from reader.export.templates import MarkdownTemplate
    from reader.store import Store

#: How much of a file is read to tell whose export it is.
HEAD_BYTES = 4096


class ExportConflict(ValueError):
    """The file to write exists and is not a readmark export; ``str()`` is one line."""


#: Folder beside the library file where the reader's ``E`` puts exports by default.
EXPORTS_FOLDER = "exports"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so readers see the old or the new file.

    The temporary file is created with the usual permissions (umask applies)
    or, when replacing a file, with that file's permissions.
    """
    data = text.encode("utf-8")
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _now() -> datetime:
    return datetime.now().astimezone()


def default_export_path(
    store: Store, article: ExportArticle, fmt: str = "markdown", folder: Path | None = None
) -> Path:
    """Where ``E`` saves an article's export: ``<data folder>/exports/<Title>.md``.

    The same article always gets the same file (so a re-export replaces it); a
    different article with the same title gets ``<Title> (2).md``.
    """
    if folder is None:
        base = store.path.parent if getattr(store, "path", None) else Path.cwd()
        folder = base / EXPORTS_FOLDER
    taken: set[str] = set()
    suffix = SUFFIXES[fmt]
    while True:
        candidate = folder / safe_filename(article.title, taken, suffix)
        if not candidate.exists() or _export_of(candidate, article):
            return candidate
        taken.add(candidate.name)


def _export_of(path: Path, article: ExportArticle) -> bool:
    """Whether an existing file is an export of ``article`` (by source or fingerprint)."""
    if path.suffix in (".csv", ".apkg"):
        return True  # nothing in a Readwise CSV or an Anki package says which file it was
    head = _head(path)
    return any(key and key in head for key in (article.fingerprint, article.source))


def _head(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return ""


def write_export(
    path: Path,
    fmt: str,
    article: ExportArticle,
    items: Sequence[HighlightLike],
    document: Document | None,
    *,
    exported: datetime | None = None,
    template: MarkdownTemplate | None = None,
) -> str:
    """Write one article's export to ``path``: "written", "updated" or "unchanged".

    Markdown into a file that already holds a readmark export is merged into it
    (the reader's text kept) and left alone when only the export time would
    change ("unchanged"); "updated" says an export was there. Other formats
    replace the file.

    Raises:
        ExportConflict: ``path`` is a Markdown file that is not a readmark export.
        OSError: The file could not be read or written.
    """
    if fmt == "anki":
        from reader.export.anki import write_package

        write_package(path, article, items, document)
        return "written"
    if fmt != "markdown":
        write_atomic(path, render(fmt, article, items, document, exported=exported))
        return "written"
    if template is not None:
        layout = template.layout(article, items, document, exported=exported)
    else:
        layout = markdown_layout(article, items, document, exported=exported)
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = None
    except UnicodeDecodeError:
        raise ExportConflict(f"{path} is not a readmark export (not UTF-8 text)") from None
    if old is None or not old.strip():
        write_atomic(path, assemble(layout))
        return "written"
    if not is_export(old):
        raise ExportConflict(
            f"{path} is not a readmark export, and writing would replace it; "
            "choose another file, or move it away"
        )
    text = merge(parse_existing(old), layout)
    if same_but_time(old, text):
        return "unchanged"
    write_atomic(path, text)
    return "updated"


class ExportFolder:
    """Where each article's export goes in a folder, keeping the files found there.

    A Markdown export already in the folder (by its front matter's fingerprint,
    else its source) is written again in its own file, even if it was renamed;
    a new article gets a file named after its title that no other file has.
    """

    def __init__(self, folder: Path, fmt: str) -> None:
        self.folder = folder
        self.suffix = SUFFIXES[fmt]
        self.taken: set[str] = set()
        self.known: dict[str, str] = {}
        if fmt != "markdown":
            return
        try:
            names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
        except OSError:
            return
        for name in names:
            if not name.endswith(self.suffix):
                continue
            head = _head(folder / name)
            if not is_export(head):
                continue
            for key in ("fingerprint", "source"):
                value = front_value(head, key)
                if value:
                    self.known.setdefault(f"{key}:{value}", name)

    def path_for(self, article: ExportArticle) -> Path:
        """The file for ``article`` (call once per article).

        Another article's export, or a Markdown file that is not an export at
        all, is never taken: the name gets `` (2)``, `` (3)``…
        """
        taken = {name.casefold() for name in self.taken}
        for key in (f"fingerprint:{article.fingerprint}", f"source:{article.source}"):
            name = self.known.get(key)
            if name and name.casefold() not in taken:
                self.taken.add(name)
                return self.folder / name
        owned = {name.casefold() for name in self.known.values()}
        while True:
            name = safe_filename(article.title, self.taken, self.suffix)
            self.taken.add(name)
            candidate = self.folder / name
            if self.suffix != ".md" or not candidate.exists():
                return candidate
            if name.casefold() not in owned and not _head(candidate).strip():
                return candidate  # an empty file


def export_article_file(
    store: Store,
    article_id: str,
    document: Document | None,
    path: str | os.PathLike[str] | None = None,
    *,
    fmt: str = "markdown",
    highlights: Sequence[Highlight] | None = None,
    timestamp: bool = True,
    folder: str | os.PathLike[str] | None = None,
) -> Path:
    """Export one article's notes to a file and return the file's path.

    Called by the reading screen (``E`` and the command palette), from a
    worker thread: it reads the store, so call it under the app's store lock.

    Args:
        store: The open library.
        article_id: The article's id in the store.
        document: The parsed article (its current text and headings).
        path: The file to write; None for :func:`default_export_path` (in
            ``folder`` if given, e.g. the one the user chose last time).
        fmt: One of :data:`~reader.export.formats.FORMATS`.
        highlights: The anchored highlights the screen shows; None reads the
            stored records and anchors them in ``document``.
        timestamp: Put the export time in the file.

    A Markdown file already there keeps what the reader added to it (see
    :func:`write_export`).

    Raises:
        OSError: The file could not be written (``str()`` names it).
        ValueError: Unknown ``fmt`` or article, or a file in the way that is
            not a readmark export (:class:`ExportConflict`).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    record = next((a for a in store.articles() if a["id"] == article_id), None)
    if record is None:
        raise ValueError(f"no article with id {article_id!r} in the library")
    article = ExportArticle.from_document(
        document,
        title=str(record.get("title") or ""),
        source=str(record.get("path") or ""),
        fingerprint=str(record.get("fingerprint") or ""),
    )
    items = list(highlights) if highlights is not None else store.annotations(article_id)
    if path is not None:
        target = Path(path)
    else:
        where = Path(folder) if folder is not None else None
        target = default_export_path(store, article, fmt, where)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_export(target, fmt, article, items, document, exported=_now() if timestamp else None)
    return target
