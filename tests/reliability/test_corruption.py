"""Each kind of damage to each kind of store file: nothing lost beyond the last change.

A library gets its changes one write at a time (five notes on one article, five
reading positions), then one of its files is damaged the way disks, crashes,
editors and other programs damage files. A new process opens it. What counts:

* every note (every position) but the last change is still there;
* the damaged bytes are kept, byte for byte, in ``NAME.corrupt-TIME``;
* the library works on (a new note can be added and is there next time).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.store import Store
from tests.reliability.conftest import record

NOTES = 5

Damage = Callable[[bytes, random.Random], bytes | None]


def _truncate(raw: bytes, rng: random.Random) -> bytes:
    return raw[: rng.randrange(1, len(raw))]


def _zero_block(raw: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(0, len(raw) - 1)
    size = min(len(raw) - start, rng.choice((1, 16, 512, 4096)))
    return raw[:start] + b"\x00" * size + raw[start + size:]


def _flip_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randrange(1, 4)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def _wrong_types(raw: bytes, rng: random.Random) -> bytes:
    """Valid JSON of the wrong shape: one table's entry is no longer an object."""
    data = json.loads(raw)
    tables = [name for name, table in data.items() if isinstance(table, dict) and table
              and name != "meta"]
    name = rng.choice(tables)
    key = rng.choice(list(data[name]))
    data[name][key] = rng.choice((3, "text", [1, 2], None))
    return json.dumps(data).encode()


DAMAGE: dict[str, Damage] = {
    "truncated": _truncate,
    "emptied": lambda raw, rng: b"",
    "zeroed block": _zero_block,
    "flipped bits": _flip_bytes,
    "garbage appended": lambda raw, rng: raw + rng.randbytes(rng.randrange(1, 64)),
    "garbage prepended": lambda raw, rng: rng.randbytes(rng.randrange(1, 64)) + raw,
    "all garbage": lambda raw, rng: rng.randbytes(len(raw)),
    "wrong types": _wrong_types,
    "not an object": lambda raw, rng: b"[1, 2, 3]",
    "deleted": lambda raw, rng: None,
}
#: Damaged files per kind of damage and file: different cut points, blocks, bits.
TRIES = 6


def _build(folder: Path) -> tuple[Path, str, list[str], list[str]]:
    """A library whose last changes were five notes, then five positions, one write each."""
    db = folder / "readmark.json"
    with Store(db) as store:
        articles = [store.upsert_article(fingerprint=f"fp{n}", path=f"/a{n}.md", title=f"A{n}")
                    for n in range(NOTES)]
        first = articles[0]["id"]
        store.backup()  # an old backup, made before every change below
        notes = []
        for n in range(NOTES):
            added = store.add_annotation({"article_id": first, "note": f"note {n}",
                                          "section": ["S"], "tags": [f"t{n}"]})
            notes.append(added["id"])
        for n, article in enumerate(articles):
            store.set_position(article["id"], {"offset": 100 + n, "line": n, "delta": 0})
    return db, first, notes, [a["id"] for a in articles]


def _apply(path: Path, damage: Damage, rng: random.Random) -> bytes | None:
    raw = path.read_bytes()
    damaged = damage(raw, rng)
    if damaged is None:
        path.unlink()
    else:
        path.write_bytes(damaged)
    return damaged


def _aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_annotation_file_loses_at_most_the_last_note(tmp_path, kind):
    lost_total = failures = 0
    for attempt in range(TRIES):
        rng = random.Random(f"{kind}-{attempt}")
        folder = tmp_path / f"try{attempt}"
        db, article_id, notes, _ = _build(folder)
        path = db.parent / "readmark.d" / "annotations" / f"{article_id}.json"
        damaged = _apply(path, DAMAGE[kind], rng)
        with Store(db) as store:
            found = {a["id"] for a in store.annotations(article_id)}
            message = store.recovery_message or ""
            store.add_annotation({"article_id": article_id, "note": "after the repair"})
        with Store(db) as store:
            again = [a["note"] for a in store.annotations(article_id)]
        lost = [n for n in notes[:-1] if n not in found]  # the last one may go
        aside = _aside(path)
        # A flipped bit that leaves valid JSON of the right shape is not noticed (the
        # files have no checksums); then nothing is set aside, and nothing may be lost.
        kept = damaged is None or (len(aside) == 1 and aside[0].read_bytes() == damaged) or (
            damaged is not None and path.exists() and not aside and found >= set(notes))
        works = "after the repair" in again and len(again) == len(found) + 1
        ok = not lost and kept and works and (aside == [] or str(aside[0]) in message)
        lost_total += len(lost)
        failures += not ok
        assert not lost, f"{kind} #{attempt}: lost {len(lost)} notes; {message}"
        assert kept, f"{kind} #{attempt}: the damaged bytes were not kept: {aside}"
        assert works, f"{kind} #{attempt}: not writable after the repair: {again}"
    record(f"corruption: annotation file, {kind}", attempts=TRIES, failures=failures,
           lost=lost_total)


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_library_file_loses_at_most_the_last_change(tmp_path, kind):
    lost_total = failures = 0
    for attempt in range(TRIES):
        rng = random.Random(f"main-{kind}-{attempt}")
        folder = tmp_path / f"try{attempt}"
        db, first, notes, article_ids = _build(folder)
        damaged = _apply(db, DAMAGE[kind], rng)
        with Store(db) as store:
            known = {a["id"] for a in store.articles()}
            positions = [store.get_position(aid) for aid in article_ids]
            notes_found = {a["id"] for a in store.annotations(first)}
            store.set_position(first, {"offset": 1, "line": 0, "delta": 0})
        lost_positions = sum(
            1 for n, position in enumerate(positions[:-1])
            if position != {"offset": 100 + n, "line": n, "delta": 0}
        )
        lost = lost_positions + len(set(article_ids) - known) + len(set(notes) - notes_found)
        aside = _aside(db)
        # A flipped bit that leaves valid JSON of the right shape is not noticed (the
        # files have no checksums); then nothing is set aside, and nothing may be lost.
        kept = damaged is None or not damaged.strip() or (
            len(aside) == 1 and aside[0].read_bytes() == damaged) or (not aside and lost == 0)
        lost_total += lost
        failures += bool(lost) or not kept
        assert lost == 0, f"{kind} #{attempt}: lost {lost}: {positions}"
        assert kept, f"{kind} #{attempt}: the damaged bytes were not kept"
    record(f"corruption: library file, {kind}", attempts=TRIES, failures=failures,
           lost=lost_total)


def test_every_write_keeps_the_bytes_it_replaces(tmp_path):
    """Never a file replaced without a copy: NAME.prev holds what the last write replaced."""
    db = tmp_path / "readmark.json"
    with Store(db) as store:
        article = store.upsert_article(fingerprint="f", path="/a.md", title="A")
        path = db.parent / "readmark.d" / "annotations" / f"{article['id']}.json"
        added = store.add_annotation({"article_id": article["id"], "note": "one"})
        for n in range(5):
            before, main_before = path.read_bytes(), db.read_bytes()
            store.update_annotation(added["id"], {"note": f"edit {n}"})
            assert path.with_name(path.name + ".prev").read_bytes() == before
            store.set_position(article["id"], {"offset": n, "line": 0, "delta": 0})
            assert db.with_name(db.name + ".prev").read_bytes() == main_before
    record("corruption: writes keeping the previous bytes", attempts=10)


def test_damaged_derived_files_are_rebuilt_quietly(tmp_path):
    db, first, notes, _ = _build(tmp_path)
    for name in ("counts.json", "generation"):
        (db.parent / "readmark.d" / name).write_bytes(b"\x00garbage{")
    with Store(db) as store:
        assert store.annotation_counts()[first] == (NOTES, NOTES)
        assert [a["id"] for a in store.annotations(first)] == notes
        store.add_annotation({"article_id": first, "note": "more"})
    record("corruption: derived files", attempts=2)


def test_a_damaged_backup_does_not_stop_a_repair(tmp_path):
    db, first, notes, _ = _build(tmp_path)
    for backup in (db.parent / "backups").iterdir():
        backup.write_bytes(b"PK\x03\x04 not a zip")
    path = db.parent / "readmark.d" / "annotations" / f"{first}.json"
    path.write_bytes(path.read_bytes()[:-30])
    with Store(db) as store:
        found = [a["id"] for a in store.annotations(first)]
    assert found[: NOTES - 1] == notes[:-1]
    record("corruption: damaged backups", attempts=1)


@given(cut=st.integers(min_value=0, max_value=10_000), seed=st.integers(0, 1000))
@settings(max_examples=60, deadline=None)
def test_salvage_of_a_cut_file_gives_back_only_whole_records(cut, seed):
    from reader.store.files import _dumps
    from reader.store.salvage import ANNOTATION_FILE_ENTRIES, salvage

    rng = random.Random(seed)
    records = {}
    for n in range(rng.randrange(1, 12)):
        key = f"id-{n}"
        records[key] = {"id": key, "article_id": "a", "note": "x" * rng.randrange(0, 40),
                        "target": {"selector": [{"type": "TextQuoteSelector", "exact": "q"}]},
                        "tags": ["t"] * rng.randrange(3)}
    raw = _dumps({"article": {"a": {"id": "a"}}, "annotations": records,
                  "cards": {"id-0": {"annotation_id": "id-0", "due": 1}}})
    found = salvage(raw[: cut % (len(raw) + 1)], ANNOTATION_FILE_ENTRIES).get("annotations", {})
    assert all(records[key] == doc for key, doc in found.items())
    # Every record that ends before the cut comes back.
    whole = [key for key in records if raw.find(_dumps(records[key])) + len(
        _dumps(records[key])) <= cut % (len(raw) + 1)]
    assert set(whole) <= set(found)
