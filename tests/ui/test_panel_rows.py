"""What the highlights panel's rows show: tags beside long notes, and the text as it is now."""

from __future__ import annotations

from reader.export.markdown import to_markdown
from reader.export.model import ExportArticle
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.annotation_panel import AnnotationPanel
from tests.ui.support import settle

SIZE = (120, 30)
LONG_NOTE = ("This passage sets the scene better than anything else in the article, and I "
             "want to come back to it when I write the review next week")

FOOTNOTED = """# Harbour Notes

Intro sentence here.

## Alpha

Alpha text has a note.[^1] More alpha.

## Beta

Beta text here. The keeper wrote a line.

[^1]: The footnote text lives here. It has two sentences.
"""
# The edit: a sentence changes, and a new section comes before the footnote.
EDITED = FOOTNOTED.replace("The keeper wrote", "The keeper now wrote").replace(
    "[^1]:", "## Gamma\n\nGamma text, added later.\n\n[^1]:")


def _panel_lines(app) -> list[str]:
    """The rows of the highlights list as drawn on screen."""
    entries = app.screen.query_one(AnnotationList)
    return ["".join(segment.text for segment in entries.render_line(y)).rstrip()
            for y in range(entries.size.height)]


async def test_a_long_note_is_cut_short_and_the_tags_stay_visible(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "a", *LONG_NOTE, "ctrl+s")
        await pilot.pause()
        await pilot.press("number_sign", *"scene, review", "enter")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        lines = _panel_lines(app)
        note_line = next(line for line in lines if "✎" in line)
        assert note_line.endswith("#scene #review")
        assert "✎ This passage" in note_line and "…" in note_line
        entries = app.screen.query_one(AnnotationList)
        assert len(note_line) <= entries.size.width


async def test_a_short_note_is_shown_whole_beside_its_tags(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "a", *"Good start.", "ctrl+s")
        await pilot.pause()
        await pilot.press("number_sign", *"scene", "enter", "p")
        await pilot.pause()
        note_line = next(line for line in _panel_lines(app) if "✎" in line)
        assert note_line.endswith("✎ Good start.  #scene")


async def test_tags_too_long_for_the_row_still_leave_the_note_a_start(make_reader,
                                                                      article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "a", *LONG_NOTE, "ctrl+s")
        await pilot.pause()
        tags = ", ".join(f"tagnumber{n}" for n in range(8))
        await pilot.press("number_sign", *tags, "enter", "p")
        await pilot.pause()
        note_line = next(line for line in _panel_lines(app) if "✎" in line)
        assert "✎ Thi" in note_line and "#tagnumber0" in note_line
        assert note_line.endswith("…")


async def test_right_after_an_edit_the_panel_shows_the_text_and_sections_of_now(
        make_reader, tmp_path):
    path = tmp_path / "harbour.md"
    path.write_text(FOOTNOTED, encoding="utf-8")
    app = make_reader(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "h", "k", "k", "h", "q")
    path.write_text(EDITED, encoding="utf-8")
    again = make_reader(path)
    async with again.run_test(size=SIZE) as pilot:
        view = await settle(again, pilot)
        await pilot.press("p")
        await pilot.pause()
        lines = _panel_lines(again)
        shown = "\n".join(lines)
        # The quote as the article says it now, on the first opening after the edit.
        assert "The keeper now wrote a line." in shown
        assert "The keeper wrote" not in shown
        # Each highlight under the heading the export puts it under.
        highlights = again.screen.annotator.highlights
        exported = to_markdown(ExportArticle(title=view.document.title), highlights,
                               view.document)
        for highlight in highlights:
            assert _heading_above(exported.splitlines(), highlight.text) == _group_above(
                lines, highlight.text)
        assert _group_above(lines, "It has two sentences.") == "Gamma"
        panel = again.screen.query_one(AnnotationPanel)
        assert panel.display


def _heading_above(lines: list[str], quote: str) -> str:
    at = next(n for n, line in enumerate(lines) if quote in line)
    return next(line.lstrip("# ") for line in reversed(lines[:at]) if line.startswith("#"))


def _group_above(lines: list[str], quote: str) -> str:
    """The group header above the entry showing ``quote`` (headers have no swatch)."""
    at = next(n for n, line in enumerate(lines) if quote in line)
    return next(line.strip() for line in reversed(lines[:at])
                if line.strip() and not line.lstrip().startswith("▌"))
