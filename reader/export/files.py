"""Writing an export to disk: atomic replacement, and where the reader's ``E`` puts a file.

The reading screen and the command line both call this, so neither reaches into
the other: a file is written beside its target and renamed over it, never seen
half-written.
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

if TYPE_CHECKING:
    from reader.annotations.records import Highlight
    from reader.document.model import Document
    from reader.store import Store

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
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if path.suffix == ".csv":
        return True  # nothing in a Readwise CSV says which file it came from
    return any(key and key in head for key in (article.fingerprint, article.source))


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
        fmt: One of ``markdown``, ``json``, ``csv``.
        highlights: The anchored highlights the screen shows; None reads the
            stored records and anchors them in ``document``.
        timestamp: Put the export time in the file.

    Raises:
        OSError: The file could not be written (``str()`` names it).
        ValueError: Unknown ``fmt`` or article.
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
    text = render(fmt, article, items, document, exported=_now() if timestamp else None)
    if path is not None:
        target = Path(path)
    else:
        where = Path(folder) if folder is not None else None
        target = default_export_path(store, article, fmt, where)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    return target
