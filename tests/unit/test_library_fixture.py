"""A library written by an earlier readmark opens in this one, reads the same, exports the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.store import Store

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "library_v1"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the fixture library (opening may write, and the fixture must stay as it is)."""
    shutil.copytree(FIXTURE / "library", tmp_path / "library")
    return tmp_path / "library" / "readmark.json"


def read_back(db: Path) -> dict:
    with Store(db) as store:
        articles = store.articles()
        return {
            "articles": articles,
            "positions": {a["id"]: store.get_position(a["id"]) for a in articles},
            "settings": {
                key: store.get_setting(key)
                for key in ("width", "contents_open", "review_retention")
            },
            "annotations": {a["id"]: store.annotations(a["id"]) for a in articles},
            "cards": {
                x["id"]: store.card(x["id"]) for a in articles for x in store.annotations(a["id"])
            },
            "reviews": store.reviews(),
            "counts": {k: list(v) for k, v in store.annotation_counts().items()},
        }


def test_store_reads_what_the_earlier_version_read(library: Path):
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    assert read_back(library) == expected
    # Opening and reading changed nothing the earlier version would read differently.
    assert read_back(library) == expected


def test_list_prints_what_the_earlier_version_printed(library: Path, capsys):
    assert main(["list", "--db", str(library)]) == 0
    assert capsys.readouterr().out == (FIXTURE / "list.txt").read_text(encoding="utf-8")


def _export_all(library: Path, tmp_path: Path) -> Path:
    out = tmp_path / "exports"
    assert main(["export", "--all", "-o", str(out), "--no-timestamp", "--db", str(library)]) == 0
    return out


def _body(text: str) -> str:
    """The export without its front matter."""
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def test_exports_keep_every_line_the_earlier_version_wrote(library: Path, tmp_path: Path):
    """The export format has moved on (block ids on their own line, sync marks), but every
    quote, note, heading and colour line the earlier readmark wrote is still written."""
    out = _export_all(library, tmp_path)
    earlier = sorted(p.name for p in (FIXTURE / "exports").iterdir())
    assert sorted(p.name for p in out.iterdir()) == earlier
    for name in earlier:
        now = set(_body((out / name).read_text(encoding="utf-8")).splitlines())
        then = _body((FIXTURE / "exports" / name).read_text(encoding="utf-8")).splitlines()
        missing = [line for line in then if "^hl-" not in line and line not in now]
        assert not missing, (name, missing)


def test_exports_of_the_earlier_library_match_the_current_golden(library: Path, tmp_path: Path):
    out = _export_all(library, tmp_path)
    golden = FIXTURE / "exports-current"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in golden.iterdir())
    for path in golden.iterdir():
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_change_to_the_earlier_library_is_kept(library: Path):
    with Store(library) as store:
        article = store.articles()[0]
        first = store.annotations(article["id"])[0]
        store.update_annotation(first["id"], {"note": "changed by this version"})
    with Store(library) as store:
        assert store.get_annotation(first["id"])["note"] == "changed by this version"
        assert store.recovery_message is None
