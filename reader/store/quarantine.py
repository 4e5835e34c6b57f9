"""Damaged annotation records: found when read, set aside untouched, reported once.

:func:`~reader.store.shapes.annotation_problem` says whether a record can be
handed out. The :class:`Quarantine` of an open library checks each annotation
file's records when the file is read (once per version of the file: results are
kept by the file's signature), leaves the damaged ones out of what the store
hands out, and tells about them once per process, in one line per article:
"1 highlight in “Title” is damaged and was set aside: its section is a number,
not a list of headings (kept untouched in PATH)". The records stay in their file
as they were; ``Store.damaged_annotations`` lists them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reader.store.files import Signature
from reader.store.shapes import annotation_problem

if TYPE_CHECKING:
    from reader.store.core import StoreCore

#: Versions of annotation files whose check results are kept.
_KEPT = 4096


class Quarantine:
    """Which stored annotations are damaged, per article file."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core
        self._checked: dict[str, tuple[Signature | None, dict[str, str]]] = {}
        self._reported: set[tuple[str, str]] = set()

    def damaged(
        self, article_id: str, table: Mapping[str, Any], sig: Signature | None
    ) -> dict[str, str]:
        """Key -> reason for each damaged record of ``table`` (mutex held).

        Args:
            article_id: Whose file the table is from.
            table: The file's annotations table, as read.
            sig: The file's signature when read (None: checked again every time).
        """
        hit = self._checked.get(article_id)
        if sig is not None and hit is not None and hit[0] == sig:
            return hit[1]
        found = {}
        for key, doc in table.items():
            problem = annotation_problem(key, doc)
            if problem is not None:
                found[key] = problem
        if sig is not None:
            if len(self._checked) >= _KEPT:
                self._checked.clear()
            self._checked[article_id] = (sig, found)
        if found:
            self._report(article_id, found)
        return found

    def listing(self, article_id: str, table: Mapping[str, Any],
                sig: Signature | None) -> list[dict[str, Any]]:
        """The damaged records of one article, each with its key and reason (copies)."""
        return [
            {"article_id": article_id, "key": key, "reason": reason,
             "record": copy.deepcopy(table[key])}
            for key, reason in self.damaged(article_id, table, sig).items()
        ]

    def _report(self, article_id: str, found: Mapping[str, str]) -> None:
        new = [key for key in found if (article_id, key) not in self._reported]
        if not new:
            return
        self._reported.update((article_id, key) for key in new)
        core = self._core
        record = core.record_for(article_id) or {}
        title = str(record.get("title") or article_id)
        where = "" if core.ann_dir is None else f" in {core.ann_dir / (article_id + '.json')}"
        n = len(new)
        first = found[new[0]]
        if n == 1:
            text = (f"1 highlight in \u201c{title}\u201d is damaged and was set aside: {first} "
                    f"(kept untouched{where}).")
        else:
            text = (f"{n} highlights in \u201c{title}\u201d are damaged and were set aside "
                    f"(the first: {first}); they are kept untouched{where}.")
        core.note(text)
