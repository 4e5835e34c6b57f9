"""Exporting again into a file or folder keeps what the reader wrote there.

The file is edited the way a reader edits a note (a line below the title, a
paragraph under a highlight, text at the end, a front-matter key of their own);
then highlights are added, changed and deleted and the export runs again. Both
sides must survive: readmark's part equals a fresh export, the reader's text is
all there, once, where it was written.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.export.files import ExportConflict, ExportFolder, write_export
from reader.export.formats import block_id, to_markdown
from reader.export.markdown import markdown_layout
from reader.export.sync import END, merge, parse_existing, split_front
from tests.unit.test_cli_export import articles, db, out, run, snapshot  # noqa: F401
from tests.unit.test_export import EXPORTED, ident, known_records

LATER = EXPORTED + timedelta(days=1)


def unit_end(lines: list[str], key: str) -> int:
    """The index of the line that closes the unit ``key``."""
    start = next(n for n, line in enumerate(lines) if line.startswith(f"<!-- readmark:{key}"))
    return next(n for n in range(start, len(lines)) if lines[n] == END)


def _owned_lines(text: str) -> list[str]:
    """The lines between readmark's marks, marks included."""
    _, lines = split_front(text)
    kept, inside = [], False
    for line in lines:
        if line.startswith("<!-- readmark:"):
            inside = True
        if inside:
            kept.append(line)
        if line == END:
            inside = False
    return kept


def test_the_readers_text_survives_added_changed_and_deleted_highlights(tmp_path):
    article, document, records = known_records("rich_markdown.md")
    path = tmp_path / "notes.md"
    first = records[:4]
    assert write_export(path, "markdown", article, first, document, exported=EXPORTED) == "written"

    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(lines.index("---", 1), "status: reading")  # a front-matter key of my own
    second = block_id(ident("rich_markdown.md", 1))
    lines.insert(unit_end(lines, second) + 1, "\nMy thought on the second one.")
    lines.insert(unit_end(lines, "head") + 1, "\nRead for the seminar. #course/sleep")
    lines.append("## My summary\n\nSleep does work.")
    path.write_text("\n".join(lines), encoding="utf-8")

    changed = [dict(r) for r in records[:4] + records[4:]]
    del changed[1]  # the second highlight goes: my thought on it moves up to the first
    changed[1]["note"] = "A new note on the third."
    assert write_export(path, "markdown", article, changed, document, exported=LATER) == "updated"

    text = path.read_text(encoding="utf-8")
    fresh = to_markdown(article, changed, document, exported=LATER)
    assert _owned_lines(text) == _owned_lines(fresh)  # readmark's part as a fresh export
    assert split_front(text)[0] == [*split_front(fresh)[0], "status: reading"]
    for mine in ("Read for the seminar. #course/sleep", "My thought on the second one.",
                 "## My summary", "Sleep does work."):  # fmt: skip
        assert text.count(mine) == 1, mine
    lines = text.split("\n")
    first_id = block_id(ident("rich_markdown.md", 0))
    assert lines[unit_end(lines, "head") + 2] == "Read for the seminar. #course/sleep"
    assert lines[unit_end(lines, first_id) + 2] == "My thought on the second one."
    assert text.endswith("\n## My summary\n\nSleep does work.\n")
    assert "A new note on the third." in text and second not in text

    # Nothing changed but the time: the file is left alone, byte for byte.
    before = path.read_bytes()
    again = LATER + timedelta(hours=3)
    assert write_export(path, "markdown", article, changed, document, exported=again) == (
        "unchanged"
    )
    assert path.read_bytes() == before


def test_an_export_from_before_the_marks_is_replaced_keeping_extra_keys(tmp_path):
    article, document, records = known_records("hard_wrapped.txt")
    path = tmp_path / "old.md"
    old = (
        "---\ntitle: Hard wrapped\nhighlights: 1\nnotes: 0\naliases: [hw]\n---\n\n"
        "# Hard wrapped\n\n> a quote\n\nyellow · 2025-03-01 ^hl-2135fe7a3f10\n"
    )
    path.write_text(old, encoding="utf-8")
    assert write_export(path, "markdown", article, records, document) == "updated"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(to_markdown(article, records, document).split("\n---\n")[0])
    assert "aliases: [hw]\n---\n" in text and "^hl-2135fe7a3f10 " not in text


def test_a_file_that_is_no_export_is_never_overwritten(tmp_path):
    article, document, records = known_records("hard_wrapped.txt")
    path = tmp_path / "mine.md"
    path.write_text("# My own notes\n\nNot from readmark.\n", encoding="utf-8")
    with pytest.raises(ExportConflict, match="is not a readmark export"):
        write_export(path, "markdown", article, records, document)
    assert path.read_text(encoding="utf-8") == "# My own notes\n\nNot from readmark.\n"
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    assert write_export(empty, "markdown", article, records, document) == "written"


def test_a_folder_keeps_renamed_exports_and_skips_foreign_files(tmp_path):
    article, document, records = known_records("hard_wrapped.txt")
    other, _, _ = known_records("one_line_paragraphs.txt")
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "Hard wrapped.md").write_text("my own file\n", encoding="utf-8")
    place = ExportFolder(folder, "markdown")
    path = place.path_for(article)
    assert path.name == "Hard wrapped (2).md"
    write_export(path, "markdown", article, records, document)
    path.rename(folder / "Printing.md")  # the reader renames the note in Obsidian
    place = ExportFolder(folder, "markdown")
    assert place.path_for(article) == folder / "Printing.md"
    assert place.path_for(other).name == "The Economics of Lighthouses.md"


# --------------------------------------------------------------------------- any edit

USER_TEXT = st.lists(
    st.sampled_from(
        [
            "A thought.",
            "- a list item",
            "> my own quote",
            "## My heading",
            "#tag",
            "```",
            "text with <!-- a comment -->",
            "^not-an-id",
            "---",
            "",
            "   ",
        ]
    ),
    min_size=1,
    max_size=4,
).map(lambda lines: "\n".join(lines))


@settings(
    max_examples=int(os.environ.get("HYPO_N", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_edit_between_units_survives_any_change_of_highlights(data):
    article, document, records = known_records("rich_markdown.md")
    before = data.draw(st.lists(st.sampled_from(records), unique_by=lambda r: r["id"]))
    text = to_markdown(article, before, document, exported=EXPORTED)
    lines = text.rstrip("\n").split("\n")
    ends = [n for n, line in enumerate(lines) if line == END]
    spots = data.draw(st.lists(st.sampled_from(ends), unique=True, max_size=3))
    written = {}
    for spot in sorted(spots, reverse=True):
        words = data.draw(USER_TEXT)
        if not words.strip() or any(w.startswith("<!-- readmark") for w in words.split("\n")):
            continue
        written[spot] = words
        lines.insert(spot + 1, "\n" + words)
    edited = "\n".join(lines) + "\n"
    after = data.draw(st.lists(st.sampled_from(records), unique_by=lambda r: r["id"]))
    merged = merge(parse_existing(edited), markdown_layout(article, after, document))
    assert _owned_lines(merged) == _owned_lines(to_markdown(article, after, document))
    for words in written.values():
        assert words.strip() in merged
    # merging again changes nothing
    again = merge(parse_existing(merged), markdown_layout(article, after, document))
    assert again == merged


# --------------------------------------------------------------------------- the command


def test_export_all_into_a_vault_every_day_keeps_the_readers_edits(db, articles, tmp_path):  # noqa: F811
    vault = tmp_path / "vault"
    command = ("export", "--all", "-o", str(vault), "--db", str(db))
    out(run(*command))
    note = vault / "How Memory Consolidates During Sleep.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(text + "\nMy own conclusion.\n", encoding="utf-8")
    note.rename(vault / "Sleep.md")
    before = snapshot(vault)
    report = out(run(*command))
    assert snapshot(vault) == before  # only the export time would change: nothing written
    assert f"unchanged {vault / 'Sleep.md'} (2 highlights, 1 note)" in report
    out(run("highlight", str(articles["rich_markdown.md"]), "--quote", "Sleep spindles",
            "--db", str(db)))  # fmt: skip
    report = out(run(*command))
    assert f"updated {vault / 'Sleep.md'} (3 highlights, 1 note)" in report
    text = (vault / "Sleep.md").read_text(encoding="utf-8")
    assert "> Sleep spindles" in text and text.endswith("\nMy own conclusion.\n")
    assert sorted(p.name for p in vault.iterdir()) == ["Hard wrapped.md", "Sleep.md"]


def test_export_refuses_to_overwrite_a_file_that_is_not_an_export(db, articles, tmp_path):  # noqa: F811
    mine = tmp_path / "mine.md"
    mine.write_text("my notes\n", encoding="utf-8")
    result = run("export", str(articles["rich_markdown.md"]), "--db", str(db), "-o", str(mine))
    assert result.returncode == 2 and b"is not a readmark export" in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert mine.read_text(encoding="utf-8") == "my notes\n"
