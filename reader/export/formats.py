"""The export formats by name, and the public face of the export layer.

The export is how notes leave readmark for Obsidian, Logseq, a Git repository,
Readwise or Anki, so every writer is deterministic: the same highlights give the
same bytes, in reading order, with nothing time-dependent but the optional
``exported`` stamp. Each format lives in its own module (``markdown``, ``w3c``,
``readwise``, ``anki``); reading annotation JSON back is ``importing``.

Pure: no Textual, no storage import.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from reader.document.model import Document
from reader.export.filenames import MAX_STEM_BYTES, safe_filename
from reader.export.importing import (
    AnnotationFormatError,
    ParsedAnnotation,
    import_id,
    import_records,
    parse_annotation_json,
)
from reader.export.markdown import (
    DETACHED_HEADING,
    DETACHED_NOTICE,
    escape_inline,
    escape_markdown,
    paragraphs,
    to_markdown,
)
from reader.export.model import ExportArticle, HighlightLike, export_highlights
from reader.export.obsidian import block_id, obsidian_tag
from reader.export.readwise import CSV_COLUMNS, to_csv
from reader.export.w3c import (
    READMARK_NS,
    W3C_CONTEXT,
    annotation_iri,
    source_iri,
    source_path,
    store_id,
    to_json,
)

__all__ = [
    "CSV_COLUMNS",
    "DETACHED_HEADING",
    "DETACHED_NOTICE",
    "FORMATS",
    "MAX_STEM_BYTES",
    "READMARK_NS",
    "SUFFIXES",
    "W3C_CONTEXT",
    "AnnotationFormatError",
    "ExportArticle",
    "HighlightLike",
    "ParsedAnnotation",
    "annotation_iri",
    "block_id",
    "escape_inline",
    "escape_markdown",
    "export_highlights",
    "import_id",
    "import_records",
    "obsidian_tag",
    "paragraphs",
    "parse_annotation_json",
    "render",
    "safe_filename",
    "source_iri",
    "source_path",
    "store_id",
    "to_csv",
    "to_json",
    "to_markdown",
]

#: Export formats, the first being the default. ``anki`` is a package file (binary), written
#: by :func:`reader.export.files.write_export`, not :func:`render`.
FORMATS = ("markdown", "json", "csv", "anki")
#: File name ending of each format.
SUFFIXES = {"markdown": ".md", "json": ".json", "csv": ".csv", "anki": ".apkg"}


def render(
    fmt: str,
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> str:
    """The export in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "markdown":
        return to_markdown(article, highlights, document, exported=exported)
    if fmt == "json":
        return to_json(article, highlights, document, exported=exported)
    if fmt == "csv":
        return to_csv(article, highlights, document)
    if fmt == "anki":
        raise ValueError("an Anki package is a file, not text: give a file to write it to")
    raise ValueError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
