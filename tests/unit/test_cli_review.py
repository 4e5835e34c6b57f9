"""`readmark review` and `readmark stats`: options, the library they read, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.annotations.records import new_record
from reader.cli.main import main
from reader.cli.review import NOTHING_YET
from reader.cli.stats import format_stats
from reader.review.scheduling import RETENTION_SETTING
from reader.review.stats import ArticleStats
from reader.sources.loader import parse_article, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store


@pytest.fixture(autouse=True)
def no_real_app(monkeypatch):
    """A test that reaches the UI by mistake fails instead of hanging without a terminal."""

    def refuse(store, **options):
        raise AssertionError(f"the review app would start with {options}")

    monkeypatch.setattr("reader.tui.app.make_review_app", refuse)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"


@pytest.fixture
def library(tmp_path: Path, db: Path):
    """Two articles: "How Memory…" with three highlights (one with a note), "Tides" with one."""
    path = tmp_path / "memory.md"
    path.write_text((samples_dir() / "rich_markdown.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    with Store(db) as store:
        source = read_article(path)
        document = parse_article(source)
        article = store.upsert_article(fingerprint=source.fingerprint, path=str(path),
                                       title=document.title)
        ids = [store.add_annotation(new_record(document, article["id"], *document.sentence_span(n),
                                               note="note" if n == 9 else ""))["id"]
               for n in (8, 9, 10)]
        other = store.upsert_article(fingerprint="tides", path=str(tmp_path / "t.md"),
                                     title="Tides")
        store.add_annotation({"article_id": other["id"], "note": "", "tags": []})
    return path, article["id"], ids


def test_stats_table(library, db: Path, capsys):
    assert main(["stats", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Title", "Highlights", "Notes", "New", "Due", "today",
                                "Mastered"]
    memory = next(line for line in lines if line.startswith("How Memory"))
    assert memory.split()[-5:] == ["3", "1", "3", "0", "0"]
    assert lines[-1].split() == ["Total", "4", "1", "4", "0", "0"]


def test_stats_as_a_process(library, db: Path):
    result = subprocess.run([sys.executable, "-m", "reader", "stats", "--db", str(db)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "Tides" in result.stdout


def test_format_stats_aligns_numbers():
    rows = [ArticleStats("a", "Short", 3, 1, 2, 1, 0), ArticleStats("b", "日本語の記事", 12, 0, 0,
                                                                    10, 2)]
    lines = format_stats(rows)
    assert len({len(line.rstrip()) for line in lines[1:]}) <= 2  # wide characters count twice
    assert lines[-1].startswith("Total")


def test_without_a_library_nothing_is_created(db: Path, capsys):
    assert main(["review", "--db", str(db)]) == 0
    assert NOTHING_YET in capsys.readouterr().out
    assert main(["stats", "--db", str(db)]) == 0
    assert not db.exists()


def test_review_starts_the_app_with_its_options(library, db: Path, monkeypatch):
    path, article_id, _ = library
    started = {}

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            started["ran"] = True

    def fake_make_review_app(store, **options):
        started.update(options)
        return FakeApp()

    monkeypatch.setattr("reader.tui.app.make_review_app", fake_make_review_app)
    assert main(["review", str(path), "--db", str(db), "--limit", "5", "--tag", "#idea",
                 "--new", "3", "--retention", "0.85"]) == 0
    assert started == {"article_id": article_id, "limit": 5, "tag": "#idea", "new": 3,
                       "desired_retention": 0.85, "ran": True}
    with Store(db) as store:
        assert store.get_setting(RETENTION_SETTING) == 0.85  # remembered
    started.clear()
    assert main(["review", "memory", "--db", str(db)]) == 0  # part of a title
    assert started["article_id"] == article_id and started["new"] == 10


@pytest.mark.parametrize(("args", "message"), [
    (["--retention", "0.5"], "choose a retention from 0.7 to 0.97"),
    (["--retention", "lots"], "not a number"),
    (["--new", "-1"], "negative"),
    (["--limit", "x"], "not a whole number"),
])
def test_bad_options_exit_2(library, db: Path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "--db", str(db), *args])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(("article", "message"), [
    ("no such thing", "no article file or title matches"),
    ("e", "matches 2 titles"),
])
def test_unknown_or_ambiguous_article(library, db: Path, capsys, article, message):
    assert main(["review", article, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_article_file_without_highlights(library, db: Path, tmp_path: Path, capsys):
    fresh = tmp_path / "fresh.md"
    fresh.write_text("# Fresh\n\nNothing here yet.\n", encoding="utf-8")
    assert main(["review", str(fresh), "--db", str(db)]) == 2
    assert "has no highlights yet" in capsys.readouterr().err


def test_unsuspend(library, db: Path, capsys):
    _, article_id, ids = library
    with Store(db) as store:
        for hid in ids[:2]:
            store.update_card(hid, lambda card: {"suspended": True})
    assert main(["review", "--unsuspend", "--db", str(db)]) == 0
    assert "2 cards can be reviewed again." in capsys.readouterr().out
    assert main(["review", article_id, "--unsuspend", "--db", str(db)]) == 0
    assert "No card was suspended." in capsys.readouterr().out
