"""`readmark highlight` and `readmark list`: real processes, the stored records, one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.annotations.records import new_record
from reader.annotations.selectors import parse_selectors
from reader.cli.common import EMPTY_LIBRARY, cell_width, shorten
from reader.cli.highlight import Match, find_quote, merge_changes, quote_pattern, split_tags
from reader.cli.listing import format_table
from reader.sources.loader import load_document, parse_article, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store

RICH = samples_dir() / "rich_markdown.md"
WRAPPED = samples_dir() / "hard_wrapped.txt"

SMALL = """# Tides

## Harbours

The tide comes in twice a day. The tide goes out twice a day.

## Ships

Ships wait in the harbour for the tide.
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "tides.md"
    path.write_text(SMALL, encoding="utf-8")
    return path


def highlight(article: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("highlight", str(article), "--db", str(db), *args)


def stored(db: Path) -> list[dict]:
    """Every annotation in the library, in the order added."""
    with Store(db) as store:
        return [ann for article in store.articles() for ann in store.annotations(article["id"])]


def span_of(record: dict) -> tuple[tuple[int, int] | None, str]:
    position, quote = parse_selectors(record["target"]["selector"])
    assert quote is not None
    return position, quote.exact


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("readmark: ")
    for fragment in fragments:
        assert fragment in lines[0]
    assert result.stdout == ""
    return lines[0]


# --------------------------------------------------------------------------- highlight


def test_highlight_stores_a_record_pointing_at_the_quote(db):
    result = highlight(RICH, db, "--quote", "wrinkled outer layer")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        'highlighted in "How Memory Consolidates During Sleep" (What "consolidation" means): '
        "“wrinkled outer layer” [yellow]\n"
    )
    [record] = stored(db)
    text = load_document(RICH).text
    (start, end), exact = span_of(record)
    assert exact == "wrinkled outer layer" == text[start:end]
    assert text.index("wrinkled outer layer") == start
    assert record["color"] == "yellow" and record["tags"] == [] and record["note"] == ""
    with Store(db) as store:
        [article] = store.articles()
    assert article["path"] == str(RICH.resolve())
    assert article["title"] == "How Memory Consolidates During Sleep"
    assert record["article_id"] == article["id"]


def test_highlight_ignores_markup_because_the_text_has_none(db):
    # The source says "**not** paying"; the reader's text has no asterisks.
    assert highlight(RICH, db, "--quote", "we are not paying attention").returncode == 0
    result = highlight(RICH, db, "--quote", "**not** paying")
    assert_one_line_error(result, "not in", "Markdown markup")


def test_quote_not_found(small, db):
    assert_one_line_error(highlight(small, db, "--quote", "lighthouse"), "“lighthouse”", "not in")
    assert not db.exists() or stored(db) == []


def test_quote_differing_in_case_gets_a_hint(small, db):
    assert_one_line_error(highlight(small, db, "--quote", "THE TIDE comes"), "capital letters")


def test_ambiguous_quote_asks_for_occurrence(small, db):
    line = assert_one_line_error(highlight(small, db, "--quote", "twice a day"))
    assert "occurs 2 times" in line and "--occurrence" in line
    assert not db.exists() or stored(db) == []


def test_occurrence_picks_the_nth(small, db):
    text = load_document(small).text
    second = text.index("twice a day", text.index("twice a day") + 1)
    result = highlight(small, db, "--quote", "twice a day", "--occurrence", "2")
    assert result.returncode == 0, result.stderr
    [record] = stored(db)
    assert span_of(record) == ((second, second + len("twice a day")), "twice a day")
    assert record["section"] == ["Tides", "Harbours"]
    assert "(Harbours)" in result.stdout  # the article's own title is not repeated


@pytest.mark.parametrize("occurrence", ["3", "0", "-1"])
def test_occurrence_out_of_range(small, db, occurrence):
    result = highlight(small, db, "--quote", "twice a day", "--occurrence", occurrence)
    assert_one_line_error(result, f"--occurrence {occurrence}")


def test_occurrence_with_a_unique_quote(small, db):
    assert highlight(small, db, "--quote", "Ships wait", "--occurrence", "1").returncode == 0
    assert_one_line_error(
        highlight(small, db, "--quote", "Ships wait", "--occurrence", "2"), "only once"
    )


def test_quote_copied_from_a_hard_wrapped_file_is_found(db):
    lines = WRAPPED.read_text(encoding="utf-8").splitlines()
    quote = "\n".join(lines[0:2])  # spans a line break of the source
    result = highlight(WRAPPED, db, "--quote", quote)
    assert result.returncode == 0, result.stderr
    assert "\n" not in result.stdout.rstrip("\n")  # still one line
    (start, end), exact = span_of(stored(db)[0])
    text = load_document(WRAPPED).text
    assert text[start:end] == exact == " ".join(quote.split())


def test_any_whitespace_run_matches_any_whitespace_run(tmp_path, db):
    article = tmp_path / "a.txt"
    article.write_text("Alpha beta\n\tgamma   delta.\n\nEnd of it all here.\n", encoding="utf-8")
    text = load_document(article).text
    result = highlight(article, db, "--quote", "  beta gamma\n\n delta ")
    assert result.returncode == 0, result.stderr
    (start, end), exact = span_of(stored(db)[0])
    assert exact == text[start:end]
    assert exact.startswith("beta") and exact.endswith("delta")


def test_colour_tags_and_note(small, db):
    result = highlight(
        small, db, "--quote", "Ships wait", "--color", "Green", "--note", "why wait?",
        "--tag", "ships,#ports", "--tag", "later", "--tag", "Ships",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n").endswith("[green] #ships #ports #later + note")
    [record] = stored(db)
    assert record["color"] == "green"
    assert record["note"] == "why wait?"
    assert record["tags"] == ["ships", "ports", "later"]


def test_colour_spelled_colour(small, db):
    assert highlight(small, db, "--quote", "Ships wait", "--colour", "pink").returncode == 0
    assert stored(db)[0]["color"] == "pink"


def test_unknown_colour_lists_the_colours(small, db):
    line = assert_one_line_error(highlight(small, db, "--quote", "Ships wait", "--color", "red"))
    assert "'red'" in line and "yellow, green, blue, pink, purple" in line
    assert not db.exists()


def test_empty_quote(small, db):
    assert_one_line_error(highlight(small, db, "--quote", "  \n "), "--quote")


def test_missing_article(tmp_path, db):
    assert_one_line_error(highlight(tmp_path / "gone.md", db, "--quote", "x"), "no such file")


@pytest.mark.parametrize("command", [("highlight", "--quote", "Ships wait"), ("list",)])
def test_a_folder_as_the_library_is_one_line(small, tmp_path, command):
    args = [command[0], *([str(small)] if command[0] == "highlight" else []), *command[1:]]
    assert_one_line_error(run(*args, "--db", str(tmp_path)), "is a folder")


def test_missing_quote_option_is_an_argparse_usage_error(small, db):
    result = run("highlight", str(small), "--db", str(db))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--quote" in result.stderr


def test_run_as_python_m_reader_cli(small, db):
    # `python -m reader.cli` must catch the same CliError the commands raise.
    result = subprocess.run(
        [sys.executable, "-m", "reader.cli", "highlight", str(small), "--db", str(db),
         "--quote", "twice a day"],
        capture_output=True, text=True, timeout=60,
    )
    assert_one_line_error(result, "--occurrence")


# --------------------------------------------------------------------------- again


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    return lines[0]


def test_the_same_passage_twice_is_one_highlight(small, db):
    first = one_line(highlight(small, db, "--quote", "Ships wait"))
    [record] = stored(db)
    again = one_line(highlight(small, db, "--quote", "Ships  wait"))
    assert again == "already " + first + " — nothing changed"
    assert stored(db) == [record]  # not even its modified time changed


def test_again_with_a_note_and_tags_updates_the_existing_highlight(small, db):
    one_line(highlight(small, db, "--quote", "Ships wait", "--note", "why?", "--tag", "ships"))
    [before] = stored(db)
    line = one_line(highlight(small, db, "--quote", "Ships wait", "--note", "they need water",
                              "--tag", "Ships,tides", "--tag", "ports"))
    assert line.startswith('already highlighted in "Tides" (Ships): “Ships wait” [yellow] '
                           "#ships #tides #ports + note — ")
    assert line.endswith("note replaced, tags added #tides #ports")
    [after] = stored(db)
    assert after["id"] == before["id"] and after["target"] == before["target"]
    assert after["note"] == "they need water"
    assert after["tags"] == ["ships", "tides", "ports"]  # merged, first spelling kept


def test_a_note_on_a_highlight_without_one_is_added(small, db):
    one_line(highlight(small, db, "--quote", "Ships wait"))
    assert one_line(highlight(small, db, "--quote", "Ships wait", "--note", "n")).endswith(
        "+ note — note added")
    assert stored(db)[0]["note"] == "n"


def test_an_empty_note_never_wipes_the_stored_one(small, db):
    one_line(highlight(small, db, "--quote", "Ships wait", "--note", "keep me"))
    line = one_line(highlight(small, db, "--quote", "Ships wait", "--note", "  "))
    assert line.endswith("+ note — nothing changed")
    assert stored(db)[0]["note"] == "keep me"


def test_another_colour_recolours_the_passage_instead_of_stacking(small, db):
    one_line(highlight(small, db, "--quote", "Ships wait", "--color", "green"))
    kept = one_line(highlight(small, db, "--quote", "Ships wait"))  # no --color: keep green
    assert kept.endswith("[green] — nothing changed")
    line = one_line(highlight(small, db, "--quote", "Ships wait", "--colour", "Pink"))
    assert line.endswith("“Ships wait” [pink] — colour green → pink")
    [record] = stored(db)
    assert record["color"] == "pink"


def test_another_occurrence_is_another_passage(small, db):
    one_line(highlight(small, db, "--quote", "twice a day", "--occurrence", "1"))
    one_line(highlight(small, db, "--quote", "twice a day", "--occurrence", "2"))
    assert len(stored(db)) == 2
    assert one_line(highlight(small, db, "--quote", "twice a day", "--occurrence", "2")).endswith(
        "nothing changed")
    assert len(stored(db)) == 2


def test_a_longer_or_shorter_quote_is_another_passage(small, db):
    one_line(highlight(small, db, "--quote", "Ships wait"))
    assert one_line(highlight(small, db, "--quote", "Ships wait in")).startswith("highlighted")
    assert one_line(highlight(small, db, "--quote", "wait")).startswith("highlighted")
    assert len(stored(db)) == 3


def test_found_where_it_is_now_after_the_article_was_edited(small, db):
    one_line(highlight(small, db, "--quote", "Ships wait"))
    [before] = stored(db)
    small.write_text(SMALL.replace("## Ships\n", "## Ships\n\nA new first paragraph.\n\n"),
                     encoding="utf-8")
    text = load_document(small).text
    moved_to = text.index("Ships wait")
    assert span_of(before)[0] != (moved_to, moved_to + len("Ships wait"))  # offsets are stale
    line = one_line(highlight(small, db, "--quote", "Ships wait", "--tag", "later"))
    assert line.startswith('already highlighted in "Tides" (Ships)')
    [after] = stored(db)
    assert after["id"] == before["id"] and after["tags"] == ["later"]
    # saved with the change: the selectors now point where the passage is
    assert span_of(after) == ((moved_to, moved_to + len("Ships wait")), "Ships wait")


def test_stored_offsets_that_only_coincide_are_not_the_same_passage(tmp_path, db):
    article = tmp_path / "swap.md"
    article.write_text("# Swap\n\nShips wait here. Boats rest there.\n", encoding="utf-8")
    one_line(highlight(article, db, "--quote", "Ships wait"))
    [(old_span, _)] = [span_of(record) for record in stored(db)]
    # The passage moves; other words of the same length now sit at its old offsets.
    article.write_text("# Swap\n\nBoats rest here. Ships wait there.\n", encoding="utf-8")
    text = load_document(article).text
    assert text[old_span[0]:old_span[1]] == "Boats rest"
    line = one_line(highlight(article, db, "--quote", "Boats rest"))
    assert line.startswith("highlighted in")  # a new highlight, not "already"
    assert sorted(span_of(record)[1] for record in stored(db)) == ["Boats rest", "Ships wait"]
    assert one_line(highlight(article, db, "--quote", "Ships wait")).endswith("nothing changed")


def test_of_two_highlights_already_on_the_passage_the_one_of_that_colour_is_named(small, db):
    source = read_article(small)
    document = parse_article(source)
    start = document.text.index("Ships wait")
    with Store(db) as store:
        article = store.upsert_article(fingerprint=source.fingerprint,
                                       path=str(small.resolve()), title=document.title)
        for color in ("blue", "pink"):
            store.add_annotation(new_record(document, article["id"], start, start + 10,
                                            color=color))
    assert one_line(highlight(small, db, "--quote", "Ships wait", "--color", "pink")).endswith(
        "[pink] — nothing changed")
    assert one_line(highlight(small, db, "--quote", "Ships wait")).endswith(
        "[blue] — nothing changed")  # no colour asked: the oldest
    assert [record["color"] for record in stored(db)] == ["blue", "pink"]


def test_merge_changes():
    record = {"color": "yellow", "note": "old", "tags": ["Idea"]}
    assert merge_changes(record, color=None, note="", tags=("idea",)) == ({}, [])
    assert merge_changes(record, color="yellow", note="old", tags=()) == ({}, [])
    changes, said = merge_changes(record, color="blue", note="new", tags=("x", "IDEA"))
    assert changes == {"color": "blue", "note": "new", "tags": ["Idea", "x"]}
    assert said == ["colour yellow → blue", "note replaced", "tags added #x"]


# --------------------------------------------------------------------------- list


def test_list_of_a_library_that_does_not_exist_is_friendly_and_creates_nothing(db):
    result = run("list", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout == EMPTY_LIBRARY + "\n"
    assert not db.exists() and not db.parent.exists()


def test_list_of_an_empty_library(db):
    Store(db).close()
    result = run("list", "--db", str(db))
    assert (result.returncode, result.stdout) == (0, EMPTY_LIBRARY + "\n")


def test_list_counts_most_recent_first_and_aligned(small, db):
    assert highlight(RICH, db, "--quote", "wrinkled outer layer").returncode == 0
    assert highlight(small, db, "--quote", "Ships wait", "--note", "n").returncode == 0
    assert highlight(small, db, "--quote", "tide comes").returncode == 0
    result = run("list", "--db", str(db))
    assert result.returncode == 0, result.stderr
    header, first, second = result.stdout.splitlines()
    assert header.split() == ["Title", "Path", "Highlights", "Notes"]
    assert first.split() == ["Tides", str(small.resolve()), "2", "1"]
    assert second.split()[-2:] == ["1", "0"]
    assert second.startswith("How Memory Consolidates During Sleep  ")
    # columns line up: each path starts under "Path", counts end under their headings
    column = header.index("Path")
    assert first[column:].startswith(str(small.resolve()))
    assert second[column:].startswith(str(RICH.resolve()))
    assert len(first) == len(second) == len(header)
    assert all(line == line.rstrip() for line in (header, first, second))


def test_list_marks_missing_files(small, db):
    assert highlight(small, db, "--quote", "Ships wait").returncode == 0
    small.unlink()
    result = run("list", "--db", str(db))
    assert result.returncode == 0, result.stderr
    row = result.stdout.splitlines()[1]
    assert f"{small.resolve()} (missing)" in row


def test_library_from_the_environment(small, tmp_path):
    env = dict(os.environ, READMARK_DB=str(tmp_path / "env" / "lib.json"))
    assert run("highlight", str(small), "--quote", "Ships wait", env=env).returncode == 0
    assert (tmp_path / "env" / "lib.json").exists()
    listed = run("list", env=env)
    assert listed.returncode == 0 and "Tides" in listed.stdout


# --------------------------------------------------------------------------- no Textual


@pytest.mark.parametrize("command", ["highlight", "list"])
def test_commands_do_not_import_textual(small, db, command):
    args = ["highlight", str(small), "--quote", "Ships wait", "--db", str(db)]
    if command == "list":
        args = ["list", "--db", str(db)]
    code = (
        "import sys\n"
        "from reader.cli.main import main\n"
        f"status = main({args!r})\n"
        "print(status, any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 False"


# --------------------------------------------------------------------------- direct


def test_main_called_directly(small, db, capsys):
    from reader.cli.main import main

    assert main(["highlight", str(small), "--quote", "tide goes", "--db", str(db)]) == 0
    assert "“tide goes” [yellow]" in capsys.readouterr().out
    assert main(["highlight", str(small), "--quote", "nowhere", "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith("readmark: the quote “nowhere” is not in")


def test_find_quote_counts_overlapping_occurrences():
    assert find_quote("ha ha ha", "ha ha") == [Match(0, 5), Match(3, 8)]
    assert find_quote("a\n\tb a b", " a  b ") == [Match(0, 4), Match(5, 8)]
    assert find_quote("a.b", "a b") == []
    assert find_quote("anything", " \n ") == []
    assert quote_pattern("\t") is None


def test_regex_characters_in_the_quote_are_literal():
    assert find_quote("cost (in $) is 3.5*x", "(in $) is 3.5*x") == [Match(5, 20)]


def test_split_tags():
    assert split_tags(["a,b", "#c", "A", " d , e "]) == ("a", "b", "c", "d", "e")
    assert split_tags([]) == ()


def test_shorten():
    assert shorten("one\ntwo") == "one two"
    assert shorten("x" * 61) == "x" * 60 + "…"


def test_format_table_aligns_wide_characters_and_clips_long_titles():
    lines = format_table([
        ("日本語のタイトル", "/a", "1", "0"),
        ("T" * 80, "/bb", "12", "3"),
    ])
    widths = {cell_width(line) for line in lines}
    assert len(widths) == 1
    assert lines[2].startswith("T" * 47 + "…")
    # the path column starts at the same cell in every row
    assert {cell_width(line[: line.index("/")]) for line in lines[1:]} == {
        cell_width(lines[0][: lines[0].index("Path")])
    }
