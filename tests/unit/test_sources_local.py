"""Saved pages and standard input as articles, and what opening a Markdown file does not import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli.main import main
from reader.sources.snapshots import read_front_matter
from tests.unit.sources_helpers import PAGES


def run(*args: str, stdin: bytes | None = None, db: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "reader", *args, "--db", str(db)],
                          input=stdin if stdin is not None else b"", capture_output=True,
                          timeout=60)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library" / "readmark.json"


def test_a_saved_page_reads_offline_with_its_declared_charset(tmp_path, db, capsys):
    page = shutil.copy(PAGES / "encyclopedia.html", tmp_path / "lighthouse.html")
    code, text, err = cli(capsys, "text", str(page), "--db", str(db))
    assert code == 0, err
    assert "the cafés of the harbour" in text and "[edit]" not in text
    meta = read_front_matter(cli(capsys, "text", "--markdown", str(page), "--db", str(db))[1])
    assert meta["url"] == "https://encyclopedia.example.org/wiki/Lighthouse_of_Alexandria"
    assert meta["kind"] == "page" and meta["origin"] == str(page)


def test_a_saved_page_is_converted_again_only_when_it_changes(tmp_path, db, capsys):
    page = tmp_path / "post.html"
    shutil.copy(PAGES / "blog.html", page)
    assert cli(capsys, "add", str(page), "--db", str(db))[0] == 0
    [snapshot] = list((db.parent / "snapshots").iterdir())
    stamp = snapshot.stat().st_mtime_ns
    assert cli(capsys, "outline", str(page), "--db", str(db))[0] == 0
    assert snapshot.stat().st_mtime_ns == stamp
    page.write_text(page.read_text(encoding="utf-8").replace("The rule", "The one rule"),
                    encoding="utf-8")
    outline = cli(capsys, "outline", str(page), "--db", str(db))[1]
    assert "  The one rule" in outline.splitlines()


def test_a_page_without_html_in_its_name_is_still_read_as_a_page(tmp_path, db, capsys):
    page = shutil.copy(PAGES / "blog.html", tmp_path / "saved-page")
    assert cli(capsys, "outline", str(page), "--db", str(db))[1].splitlines()[0] == (
        "Notes on Slow Reading")


@pytest.mark.parametrize(("data", "first_line"), [
    (b"# Piped Notes\n\nSome *Markdown* from a pipe.\n", "Piped Notes"),
    (b"A PLAIN TITLE\n\nA plain paragraph of text that came down a pipe.\n\nSECOND PART\n\n"
     b"More text in the second part of the piped article.\n", "A PLAIN TITLE"),
    ((PAGES / "blog.html").read_bytes(), "Notes on Slow Reading"),
], ids=["markdown", "plain", "html"])
def test_standard_input_is_detected_and_kept(db, data, first_line):
    result = run("outline", "-", stdin=data, db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[0] == first_line
    [snapshot] = list((db.parent / "snapshots").iterdir())
    again = run("outline", "-", stdin=data, db=db)  # the same text is the same snapshot
    assert again.stdout == result.stdout
    assert list((db.parent / "snapshots").iterdir()) == [snapshot]


def test_text_prints_what_the_reader_reads_from_a_pipe(db):
    result = run("text", "-", stdin=b"# Title\n\nOne **bold** word.\n", db=db)
    assert result.returncode == 0
    assert result.stdout.decode() == "Title\n\nOne bold word.\n"
    markdown = run("text", "--markdown", "-", stdin=b"# Title\n\nOne **bold** word.\n", db=db)
    assert markdown.stdout.decode() == "# Title\n\nOne **bold** word.\n"


@pytest.mark.parametrize("data", [b"", b"  \n\n \t\n"], ids=["empty", "blank"])
@pytest.mark.parametrize("command", ["text", "outline", "add"])
def test_empty_standard_input_is_one_line_and_exit_2(db, data, command):
    result = run(command, "-", stdin=data, db=db)
    assert result.returncode == 2
    assert result.stderr.decode().strip().splitlines() == [
        "readmark: standard input: nothing was read (it is empty)"]
    assert not (db.parent / "snapshots").exists()
    assert not db.exists()


def test_binary_standard_input_is_refused(db):
    result = run("text", "-", stdin=b"\x00\x01\x02binary\x00" * 50, db=db)
    assert result.returncode == 2
    assert b"standard input: is a binary file" in result.stderr


LAZY = ("trafilatura", "httpx", "ebooklib", "lxml", "justext", "htmldate", "courlan")


def test_opening_a_markdown_file_imports_none_of_the_web_and_book_libraries(article_path,
                                                                            tmp_path):
    code = (
        "import sys\n"
        "from reader.cli.main import main\n"
        f"main(['outline', {str(article_path)!r}, '--db', {str(tmp_path / 'db.json')!r}])\n"
        f"main(['text', {str(article_path)!r}, '--db', {str(tmp_path / 'db.json')!r}])\n"
        "import reader.cli.read, reader.cli.articles, reader.sources.opening\n"
        "from reader.cli.articles import open_article\n"
        f"open_article({str(article_path)!r}, {str(tmp_path / 'db.json')!r})\n"
        f"roots = {{name.split('.')[0] for name in sys.modules}} & {set(LAZY)!r}\n"
        "print('LOADED', ','.join(sorted(roots)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip().splitlines()[-1] == "LOADED"


def test_opening_a_page_does_import_them(tmp_path):
    page = shutil.copy(PAGES / "blog.html", tmp_path / "p.html")
    code = (
        "import sys\n"
        "from reader.cli.main import main\n"
        f"main(['outline', {str(page)!r}, '--db', {str(tmp_path / 'db.json')!r}])\n"
        "print('LOADED', 'trafilatura' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip().splitlines()[-1] == "LOADED True"
