"""Per-article digests of the annotation files, cached by each file's signature.

The library screen wants a few numbers per article (highlights, notes, cards due)
and the highlights search wants a few fields per highlight; reading every
annotation file of a library of 100,000 highlights for that takes seconds. A
digest is what a caller's function makes of one article file (its annotations
and review cards); digests are kept in ``readmark.d/digest-<kind>.json`` with the
signature of the file they were made from, so only files that changed since are
read again. The cache is derived data: when it is unreadable it is rebuilt, and
it is never part of a backup.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.store.errors import StoreError, _CorruptFile
from reader.store.file_shapes import _article_problem
from reader.store.files import (
    _ANNOTATIONS,
    _CARDS,
    Signature,
    _atomic_write,
    _dumps,
    _read_json_file,
    annotation_file_signatures,
)

if TYPE_CHECKING:
    from reader.store.core import StoreCore

log = logging.getLogger(__name__)

#: Makes the digest of one article: (article id, its annotations, their cards by id).
Digester = Callable[[str, list[dict[str, Any]], dict[str, dict[str, Any]]], Any]

_KIND_RE = re.compile(r"[a-z][a-z0-9-]{0,30}")
_FORMAT = 1


class Digests:
    """Digests of every article file, each made again only when its file changed."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core
        #: kind -> (version, article id -> (signature, digest)), as last read or made.
        self._memo: dict[str, tuple[int, dict[str, tuple[Signature, Any]]]] = {}

    def digests(
        self, kind: str, version: int, make: Digester, *, cached_only: bool = False
    ) -> dict[str, Any] | None:
        """The digest of every article that has an annotation file.

        Args:
            kind: Names the cache (lowercase letters, digits, '-').
            version: Of ``make``'s output; a cache of another version is rebuilt.
            make: Called for each file that changed since its digest was made, with
                the annotations the store hands out (damaged records left out)
                and their cards. Its result must be JSON-able.
            cached_only: Return None rather than read any file (for a caller that
                would rather read them in a worker than make its user wait).

        Returns:
            Article id -> digest. Articles without highlights may be missing.
        """
        if not _KIND_RE.fullmatch(kind):
            raise ValueError("a digest kind is lowercase letters, digits or '-'")
        core = self._core
        with core.mutex:
            core.sync()
            if core.ann_dir is None:  # in memory: nothing to cache
                return {aid: make(aid, *self._contents_in_memory(aid))
                        for aid in core.article_ids_on_disk()}
            cache = self._load(kind, version)
            result: dict[str, Any] = {}
            present: set[str] = set()
            changed = False
            for aid, sig in annotation_file_signatures(core.ann_dir):
                present.add(aid)
                if sig is None:
                    continue
                hit = cache.get(aid)
                if hit is not None and hit[0] == sig:
                    result[aid] = hit[1]
                    continue
                if cached_only:
                    return None
                contents = self._contents(aid)
                if contents is None:
                    continue
                (annotations, cards), read_sig = contents
                digest = make(aid, annotations, cards)
                result[aid] = digest
                if read_sig is not None:
                    cache[aid] = (read_sig, digest)
                    changed = True
            for aid in set(cache) - present:
                del cache[aid]
                changed = True
            if changed:
                self._save(kind, version, cache)
            return result

    def _contents_in_memory(self, aid: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        f = self._core.article_file(aid)
        return self._usable(aid, f.storage.read() or {}, None)

    def _contents(
        self, aid: str
    ) -> tuple[tuple[list[dict[str, Any]], dict[str, Any]], Signature | None] | None:
        """An article file's usable annotations and cards, and the signature read (mutex held)."""
        assert self._core.ann_dir is not None
        try:
            data, sig = _read_json_file(self._core.ann_dir / f"{aid}.json", _article_problem)
        except _CorruptFile:  # read through the store, which repairs it and says so
            f = self._core.article_file(aid)
            data, sig = f.storage.read(), f.storage.signature
        except StoreError as error:
            log.debug("digest of %s skipped: %s", aid, error)
            return None
        return self._usable(aid, data or {}, sig), sig

    def _usable(
        self, aid: str, data: dict[str, Any], sig: Signature | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        table = data.get(_ANNOTATIONS) or {}
        damaged = self._core.quarantine.damaged(aid, table, sig)
        annotations = [doc for key, doc in table.items() if key not in damaged]
        cards = {key: card for key, card in (data.get(_CARDS) or {}).items()
                 if key in table and key not in damaged}
        return annotations, cards

    # ------------------------------------------------------------------ cache file
    def _path(self, kind: str):
        assert self._core.data_dir is not None
        return self._core.data_dir / f"digest-{kind}.json"

    def _load(self, kind: str, version: int) -> dict[str, tuple[Signature, Any]]:
        memo = self._memo.get(kind)
        if memo is not None and memo[0] == version:
            return memo[1]
        cache: dict[str, tuple[Signature, Any]] = {}
        try:
            raw = json.loads(self._path(kind).read_bytes())
            if raw.get("format") == _FORMAT and raw.get("version") == version:
                for aid, (sig, digest) in raw["files"].items():
                    dev, ino, size, mtime = (int(x) for x in sig)
                    cache[aid] = ((dev, ino, size, mtime), digest)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            cache = {}  # derived data: made again when unreadable
        self._memo[kind] = (version, cache)
        return cache

    def _save(self, kind: str, version: int, cache: dict[str, tuple[Signature, Any]]) -> None:
        self._memo[kind] = (version, cache)
        if self._core.read_only_reason or self._core.data_dir is None:
            return
        try:
            payload = _dumps({"format": _FORMAT, "version": version,
                              "files": {aid: [list(sig), digest]
                                        for aid, (sig, digest) in cache.items()}})
        except (TypeError, ValueError) as error:
            raise ValueError(f"a {kind} digest cannot be saved as JSON: {error}") from None
        try:
            with self._core.locked(timeout=0):
                self._core.data_dir.mkdir(parents=True, exist_ok=True)
                _atomic_write(self._path(kind), payload, durable=False)
        except (StoreError, OSError) as error:  # only a cache
            log.debug("%s digests not saved: %s", kind, error)
