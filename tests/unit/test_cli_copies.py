"""A copy of an article's file is not a move: the entry keeps its file while that is there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from reader.sources.loader import holds, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=60)


def entries(db: Path) -> list[tuple[str, str]]:
    with Store(db) as store:
        return [(a["id"], a["path"]) for a in store.articles()]


def test_holds_tells_a_file_still_there_from_a_gone_or_edited_one(tmp_path):
    article = tmp_path / "a.md"
    article.write_text("# A\n\nSome words.\n", encoding="utf-8")
    expected = read_article(article).fingerprint
    assert holds(str(article), expected)
    article.write_text("# A\n\nOther words.\n", encoding="utf-8")
    assert not holds(str(article), expected)
    article.unlink()
    assert not holds(str(article), expected)


def test_adding_or_highlighting_a_copy_leaves_the_original_entry_alone(tmp_path):
    db = tmp_path / "lib.json"
    original = tmp_path / "hard_wrapped.txt"
    shutil.copy(samples_dir() / "hard_wrapped.txt", original)
    copy = tmp_path / "copy.txt"
    shutil.copy(original, copy)
    quote = " ".join(read_article(original).text.split()[:6])

    assert run("add", str(original), "--db", str(db)).returncode == 0
    [(aid, path)] = entries(db)
    assert path == str(original)

    added = run("add", str(copy), "--db", str(db))
    assert added.returncode == 0, added.stderr
    assert "already in the library" in added.stdout
    highlighted = run("highlight", str(copy), "--quote", quote, "--db", str(db))
    assert highlighted.returncode == 0, highlighted.stderr
    assert entries(db) == [(aid, str(original))]  # same entry, still the original's file
    with Store(db) as store:
        assert len(store.annotations(aid)) == 1  # the copy's highlight is the entry's

    original.unlink()  # now the copy is where the article is
    assert run("add", str(copy), "--db", str(db)).returncode == 0
    assert entries(db) == [(aid, str(copy))]
