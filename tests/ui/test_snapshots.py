"""What the reading screen shows, at 100x30, for each sample article.

Update after looking at the report: pytest tests/ui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from reader.sources.shipped import samples_dir

SIZE = (100, 30)
SAMPLES = ["rich_markdown.md", "one_line_paragraphs.txt", "hard_wrapped.txt"]


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("sample", SAMPLES)
def test_reading_view(snap_compare, make_reader, sample):
    app = make_reader(samples_dir() / sample)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


@pytest.mark.parametrize("sample", SAMPLES)
def test_reading_view_with_contents(snap_compare, make_reader, sample):
    app = make_reader(samples_dir() / sample, show_outline=True)

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, make_reader):
    app = make_reader(samples_dir() / "rich_markdown.md")

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_search_matches_marked(snap_compare, make_reader):
    app = make_reader(samples_dir() / "rich_markdown.md")

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"the", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_highlights_colours_notes_and_panel(snap_compare, make_reader):
    """Five colours, an overlap, a note marker, a selection, and the panel beside them."""
    app = make_reader(samples_dir() / "rich_markdown.md")

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("j", "h", "j", "h", "2", "j", "h", "3", "j", "h", "4")
        await pilot.press("j", "h", "5", "a", *"Why a third?", "ctrl+s")
        await pilot.pause()
        await pilot.press("k", "v", "j", "h")  # overlaps the pink and purple ones
        await pilot.press("j", "j", "v", "j", "shift+right")
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)
