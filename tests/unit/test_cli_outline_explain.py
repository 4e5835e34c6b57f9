"""`readmark outline --explain`: what a user sees when asking why an article reads as it does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "plain"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "outline", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_explain_lists_hidden_regions_and_the_rule_of_each_heading() -> None:
    result = run(str(CORPUS / "etext_lamps.txt"), "--explain")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    plain = run(str(CORPUS / "etext_lamps.txt")).stdout.splitlines()
    assert out[: len(plain)] == plain  # the outline comes first, as without --explain
    assert plain[1] == "  CHAPTER I. THE ARRIVAL AT SKERRY HEAD"
    hidden = [line for line in out if " hidden " in line]
    assert len(hidden) == 2
    assert hidden[0].split()[0] == "1-22" and "*** START OF" in hidden[0]
    assert "*** END OF" in hidden[1]
    [chapter] = [line for line in out if "'CHAPTER I. THE ARRIVAL" in line]
    assert " heading " in chapter and "chapter label joined" in chapter and "level 2" in chapter
    assert any("'THE END'" in line and " text " in line for line in out)
    assert any("author: 'Eliza Marrow' from the Author: line" in line for line in out)


def test_explain_lists_dropped_page_litter() -> None:
    result = run(str(CORPUS / "news_tidal.txt"), "--explain")
    assert result.returncode == 0, result.stderr
    dropped = [line for line in result.stdout.splitlines() if " dropped " in line]
    assert [line.split()[0] for line in dropped] == ["9", "11", "17", "25", "33", "41"]
    assert "'Advertisement'" in dropped[2]
    assert any(
        "byline: sets the author (Marta Quill and Jonas Reed)" in line
        for line in result.stdout.splitlines()
    )


def test_explain_on_markdown_says_where_headings_come_from(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("# Title\n\nText.\n\n## Part\n\nMore text.\n", encoding="utf-8")
    result = run(str(article), "--explain")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Title", "  Part"]
    assert lines[-1].startswith("Markdown: headings come from")


def test_explain_without_headings_says_so(tmp_path: Path) -> None:
    article = tmp_path / "note.txt"
    article.write_text("Just one short note, with nothing that heads it.\n", encoding="utf-8")
    result = run(str(article), "--explain")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "(no headings)"
