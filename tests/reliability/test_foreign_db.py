"""``--db`` naming a file that was never a readmark library: refused, one line, untouched."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.store import Store, StoreAccessError
from tests.reliability.conftest import record, run

ARTICLE = "# A Title\n\nThe tide goes out. The tide comes in.\n"

FOREIGN = {
    "markdown": ARTICLE.encode(),
    "package json": json.dumps({"name": "x", "version": "1.0", "files": ["a"]}).encode(),
    "json object of objects": json.dumps({"name": {"first": {"x": 1}}}).encode(),
    "json list": b"[1, 2, 3]",
    "binary": bytes(range(256)) * 8,
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_a_users_file_is_refused_and_left_untouched(tmp_path, capsys, kind):
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "mine.data"
    target.write_bytes(FOREIGN[kind])
    before = _snapshot(tmp_path)
    commands = [
        ["highlight", str(article), "--quote", "tide goes", "--db", str(target)],
        ["list", "--db", str(target)],
        ["stats", "--db", str(target)],
        ["export", str(article), "--db", str(target)],
        ["review", "--db", str(target)],
    ]
    problems = []
    for command in commands:
        status = main(command)
        err = capsys.readouterr().err
        ok = (status == 2 and len(err.splitlines()) == 1 and "not a readmark library" in err
              and "left untouched" in err and _snapshot(tmp_path) == before)
        record("--db at a user's file refused", failures=int(not ok),
               lost=int(_snapshot(tmp_path) != before))
        if not ok:
            problems.append((command[0], status, err))
    assert problems == []
    assert sorted(os.listdir(tmp_path)) == sorted(before)  # no lock, no folder, no backup


def test_the_reader_refuses_it_too(tmp_path):
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run(str(article), "--db", str(article), timeout=30)
    err = result.stderr.decode()
    record("--db at a user's file refused", failures=int(result.returncode != 2))
    assert result.returncode == 2 and "not a readmark library" in err, err
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert sorted(os.listdir(tmp_path)) == ["article.md"]


def test_the_store_itself_refuses_it(tmp_path):
    target = tmp_path / "notes.md"
    target.write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(StoreAccessError, match="not a readmark library"):
        Store(target)
    assert target.read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize("content", [b"", b"  \n"])
def test_a_missing_or_empty_file_is_a_new_library(tmp_path, content):
    target = tmp_path / "new.json"
    target.write_bytes(content)
    with Store(target) as store:
        assert store.articles() == []


def test_a_damaged_library_is_still_recovered_not_refused(tmp_path):
    """Garbage where a library was (its folder beside it) is damage, not a user's file."""
    target = tmp_path / "readmark.json"
    with Store(target) as store:
        article = store.upsert_article(fingerprint="f", path="/a.md", title="A")
        store.add_annotation({"article_id": article["id"], "note": "kept"})
    for damage in (b"\x00" * 64, b"# not json at all", b'{"meta": {"sch'):
        target.write_bytes(damage)
        with Store(target) as store:
            assert store.recovery_message and "damaged" in store.recovery_message
            notes = [a["note"] for a in store.annotations(article["id"])]
        record("--db damaged library recovered", failures=int(notes != ["kept"]),
               lost=int(notes != ["kept"]))
        assert notes == ["kept"]


def test_a_truncated_library_alone_is_recognised_by_its_marker(tmp_path):
    target = tmp_path / "readmark.json"
    with Store(target) as store:
        store.upsert_article(fingerprint="f", path="/a.md", title="A")
    raw = target.read_bytes()
    for name in os.listdir(tmp_path):  # nothing beside it: only the marker tells
        if name != "readmark.json":
            path = tmp_path / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    target.write_bytes(raw[: len(raw) // 2])
    with Store(target) as store:
        assert "damaged" in (store.recovery_message or "")


def test_a_format_0_library_is_recognised(tmp_path):
    target = tmp_path / "old.json"
    target.write_text(json.dumps({"articles": {"a1": {"title": "Old", "path": "/x.md",
                                                      "fingerprint": "f"}}}))
    with Store(target) as store:
        assert [a["title"] for a in store.articles()] == ["Old"]
