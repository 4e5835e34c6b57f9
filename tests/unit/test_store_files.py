"""reader.store.files on its own: atomic writes, shape checks, the JSON storage, UUID keys."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.store.errors import StoreAccessError, StoreReadOnly, _CorruptFile
from reader.store.file_shapes import _article_problem, _main_problem
from reader.store.files import (
    SCHEMA_VERSION,
    _atomic_write,
    _AtomicJSONStorage,
    _check_id,
    _check_json,
    _new_tinydb,
    _put,
    _read_json_file,
    _schema_doc,
    _schema_version,
    _signature,
)


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "f.json"
    target.write_bytes(b"old")
    _atomic_write(target, b'{"new":1}')
    assert target.read_bytes() == b'{"new":1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_atomic_write_failure_keeps_the_old_bytes(tmp_path: Path, monkeypatch):
    target = tmp_path / "f.json"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        _atomic_write(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_read_json_file_tells_missing_empty_and_damaged_apart(tmp_path: Path):
    path = tmp_path / "a.json"
    assert _read_json_file(path, _article_problem) == (None, None)
    path.write_bytes(b"  \n")
    data, sig = _read_json_file(path, _article_problem)
    assert data is None and sig == _signature(path)
    path.write_bytes(b"{not json")
    with pytest.raises(_CorruptFile, match="invalid JSON at line 1"):
        _read_json_file(path, _article_problem)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(_CorruptFile, match="not UTF-8"):
        _read_json_file(path, _article_problem)
    path.write_bytes(b'{"annotations": {"x": 3}}')
    with pytest.raises(_CorruptFile, match="entry 'x' in table 'annotations' is not an object"):
        _read_json_file(path, _article_problem)


def test_read_json_file_refuses_a_folder(tmp_path: Path):
    with pytest.raises(StoreAccessError, match="not a regular file"):
        _read_json_file(tmp_path, _article_problem)


def test_main_shape_check_accepts_newer_formats_and_rejects_bad_versions():
    assert _main_problem({"meta": {"schema": _schema_doc()}, "articles": {}}) is None
    assert _main_problem({"meta": {"schema": {"version": 99}}, "articles": [1]}) is None
    assert "not a whole number" in _main_problem({"meta": {"schema": {"version": "1"}}})
    assert "expected a JSON object" in _main_problem([])
    assert _schema_version({}) == 0
    assert _schema_version({"meta": {"schema": _schema_doc()}}) == SCHEMA_VERSION


def test_check_id_and_check_json():
    assert _check_id("abc-DEF_1", "id") == "abc-DEF_1"
    for bad in ("", "../x", "-x", 5, None, "a" * 129):
        with pytest.raises(ValueError):
            _check_id(bad, "id")
    _check_json({"a": [1, "b", None]}, "value")
    with pytest.raises(ValueError, match="cannot be saved as JSON"):
        _check_json({"a": float("nan")}, "value")
    with pytest.raises(ValueError, match="cannot be saved as JSON"):
        _check_json({"a": object()}, "value")


def test_storage_writes_durably_and_notices_changes_by_others(tmp_path: Path):
    path = tmp_path / "sub" / "a.json"  # the folder is made on first write
    writes = []
    storage = _AtomicJSONStorage(path, _article_problem, on_write=lambda: writes.append(1))
    assert storage.read() is None and storage.loaded
    storage.write({"t": {"k": {"v": 1}}})
    assert json.loads(path.read_text()) == {"t": {"k": {"v": 1}}}
    assert writes == [1] and not storage.needs_reload()
    assert storage.table("t") == {"k": {"v": 1}} and storage.table("none") == {}
    path.write_text(json.dumps({"t": {"k": {"v": 2}}, "pad": {}}))  # another process
    assert storage.changed_unnoticed() and storage.needs_reload()
    storage.load()
    assert storage.table("t") == {"k": {"v": 2}}


def test_storage_read_only_refuses_writes_and_forgets_its_cache(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"t": {"k": {"v": 1}}}))
    storage = _AtomicJSONStorage(path, _article_problem)
    storage.load()
    storage.read_only = "because"
    with pytest.raises(StoreReadOnly, match="because"):
        storage.write({})
    assert not storage.loaded
    assert json.loads(path.read_text()) == {"t": {"k": {"v": 1}}}


def test_storage_in_memory_touches_no_file(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    storage = _AtomicJSONStorage(None, _article_problem)
    storage.write({"t": {}})
    assert storage.read() == {"t": {}} and not storage.needs_reload()
    assert list(tmp_path.iterdir()) == []


def test_tinydb_keys_are_uuid_strings_and_put_inserts_or_replaces(tmp_path: Path):
    storage = _AtomicJSONStorage(tmp_path / "a.json", _article_problem)
    db = _new_tinydb(storage)
    table = db.table("docs")
    doc_id = table.insert({"a": 1})
    assert isinstance(doc_id, str) and len(doc_id) == 36
    _put(table, "fixed", {"b": 1})
    _put(table, "fixed", {"c": 2})
    on_disk = json.loads((tmp_path / "a.json").read_text())
    assert on_disk["docs"]["fixed"] == {"c": 2}
    assert on_disk["docs"][doc_id] == {"a": 1}
