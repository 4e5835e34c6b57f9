"""The library on disk: articles, reading positions, settings, annotations and review cards.

The only package that imports TinyDB. Callers use the :class:`Store` facade and the
errors below; the modules beside this one each own one kind of file or data.

Durable storage for articles, reading positions and annotations. Everything
outside this package sees plain dicts: every value passed in is deep-copied
before it is kept, and every value handed out is a deep copy, so callers can
never alter stored data by accident (TinyDB itself shares nested lists with
its callers).

Layout on disk, for a library file ``<dir>/readmark.json``::

    <dir>/readmark.json                     main TinyDB file: schema, articles,
                                            reading positions, settings
    <dir>/readmark.json.lock                cross-process lock
    <dir>/readmark.d/annotations/<id>.json  one TinyDB file per article with
                                            that article's annotations, their
                                            review cards and review log, and a
                                            copy of its article record
    <dir>/readmark.d/generation             change counter (bumped by every write)
    <dir>/readmark.d/counts.json            cache of annotation counts (derived)
    <dir>/readmark.d/digest-<kind>.json     per-article digests for the library and
                                            the highlights search (derived)
    <dir>/backups/readmark-<time>-<kind>.zip rotating backups (last 10)

Annotations live in one small file per article because every TinyDB change
rewrites the whole file: with 50,000 annotations in one file (32 MB) a durable
change took about 400 ms, against about 2.5 ms with one file per article (and
75 ms against 2.3 ms at 10,000); the target is 20 ms. ``bench/bench_store.py``
measures both layouts. The cost of a change grows with the number of
annotations of *that* article, not with the size of the library.

Review cards (spaced repetition, see :mod:`reader.review.session`) live in the same file
as the annotations they belong to, keyed by the annotation's id, so a card and
its highlight change together under one lock and one atomic write: deleting a
highlight removes its card (kept aside so that undoing the delete brings the
schedule back), editing a highlight keeps it. A rating writes the new card and
its review-log entry in one write, computed from the card as it is on disk at
that moment, so reviews made in two terminals at once both count.

Reliability rules, for every file:

* A write serialises the whole file first, writes it to a temporary file in the
  same folder, flushes and fsyncs it, renames it over the old file with
  ``os.replace`` and fsyncs the folder. A crash leaves either the old or the new
  file, never a mix.
* Every change happens while holding one lock file for the whole library, and
  re-reads any file that another process changed since this one last saw it.
  Other processes' changes are noticed through the change counter and through
  each file's inode, size and modification time.
* Documents are keyed by UUID strings, so two processes never pick the same key.
* A damaged file (invalid UTF-8 or JSON, or the wrong shape) is never
  overwritten or read as empty. It is renamed aside to
  ``<name>.corrupt-<time>``, the newest good copy (from memory or from a
  backup) is put in its place, and :attr:`Store.recovery_message` says what
  happened. A missing or empty file is simply a new, empty library.
* A library written by a newer readmark (higher schema version) opens
  read-only; one written by an older readmark is backed up, then upgraded.
* Backups are zip files of the main file and every annotation file, made
  before the first article or annotation change of each day, before a format
  upgrade and before a bulk change; the newest 10 are kept.
"""

from reader.store.errors import (
    AnnotationNotFound,
    ArticleNotFound,
    CardChanged,
    StoreAccessError,
    StoreError,
    StoreLocked,
    StoreReadOnly,
)
from reader.store.facade import Store
from reader.store.files import SCHEMA_VERSION
from reader.store.paths import default_db_path, resolve_db_path

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationNotFound",
    "ArticleNotFound",
    "CardChanged",
    "Store",
    "StoreAccessError",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "default_db_path",
    "resolve_db_path",
]
