"""The highlights of every article on one screen: filtering as you type, opening one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.sources.loader import read_article
from reader.tui.app import make_library_app
from reader.tui.screens.all_highlights import AllHighlightsScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.highlights_table import HighlightsTable
from tests.ui.library_support import build_library, screen_text

SIZE = (120, 24)


@pytest.fixture
def library(tmp_path: Path):
    built = build_library(tmp_path)
    yield built
    built.store.close()


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def quotes(app) -> list[str]:
    table = app.screen.query_one(HighlightsTable)
    assert table.index is not None
    return [table.index.hit(i).quote for i in table.found]


async def open_highlights(pilot) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AllHighlightsScreen)


async def test_every_highlight_of_every_article_newest_first(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_highlights(pilot)
        assert quotes(app) == [  # made on 7, 6, 4 and 2 March (the archived one too)
            "Every light has a rhythm of its own.",
            "The tide comes in twice a day.",
            "It has its own architecture.",
            "The hippocampus replays the day at night.",
            "Markets found a way.",
            "They collected dues at the ports.",
            "Many lights were built by private individuals.",
        ]
        table = app.screen.query_one(HighlightsTable)
        dates = [table.index.hit(i).created for i in table.found]
        assert dates == sorted(dates, reverse=True) and len(dates) == 7
        text = screen_text(app)
        assert "Highlights  7 highlights in 4 articles, newest first" in text
        row = next(line for line in text.splitlines() if "Many lights" in line)
        assert "The Economics of" in row and "Who Paid" in row and "✎ Coase" in row
        assert "#economics" in row and "2025-03-02" in row


@pytest.mark.parametrize("typed, expected", [
    ("private", ["Many lights were built by private individuals."]),
    ("coase", ["Many lights were built by private individuals."]),  # in the note
    ("c:pink", ["The hippocampus replays the day at night."]),
    ("#econ has:note", ["Many lights were built by private individuals."]),
    ("in:sleep #sleep", ["It has its own architecture.",
                         "The hippocampus replays the day at night."]),
    ("nothing-like-this", []),
])
async def test_filtering_as_you_type(library, typed, expected):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_highlights(pilot)
        await pilot.press("slash", *typed)
        await pilot.pause()
        assert sorted(quotes(app)) == sorted(expected)
        if not expected:
            assert "No highlight matches the filter." in screen_text(app)
        else:
            assert f"{len(expected)} of 7 highlights match “{typed}”" in screen_text(app)


async def test_enter_opens_the_article_at_the_highlight_and_q_comes_back(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_highlights(pilot)
        await pilot.press("slash", *"dues", "enter")  # enter in the filter: into the list
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingScreen)
        span = screen.view.cursor_span
        assert screen.view.document.text[span[0]:span[1]] == "They collected dues at the ports."
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, AllHighlightsScreen)
        assert app.screen.query_one("#highlights-filter").value == "dues"
        await pilot.press("escape")  # out of the list: back to the library
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_a_highlight_of_a_missing_file_says_so(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_highlights(pilot)
        await pilot.press("slash", *"hippocampus", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AllHighlightsScreen)  # nothing to open


async def test_the_list_has_the_focus_and_slash_goes_to_the_filter(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_highlights(pilot)
        screen = app.screen
        table = screen.query_one(HighlightsTable)
        box = screen.query_one("#highlights-filter")
        assert table.has_focus and "/ Filter" in screen_text(app)
        await pilot.press("j", "j")  # the list's keys work at once
        assert table.cursor == 2
        await pilot.press("slash")  # the key, not text: nothing is filtered
        assert box.has_focus and box.value == ""
        assert len(quotes(app)) == 7 and "match" not in screen_text(app)
        await pilot.press(*"tide")
        await pilot.pause()
        assert quotes(app) == ["The tide comes in twice a day."]
        await pilot.press("escape")  # from the filter back to the list, filter kept
        assert table.has_focus and box.value == "tide"


async def test_the_count_of_articles_is_of_those_with_a_highlight(library, tmp_path):
    bare = tmp_path / "articles" / "bare.md"
    bare.write_text("# Nothing Marked\n\nNot a single highlight here.\n", encoding="utf-8")
    source = read_article(bare)
    library.store.upsert_article(fingerprint=source.fingerprint, path=str(bare),
                                 title="Nothing Marked")
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await open_highlights(pilot)
        assert "Nothing Marked" in {row.title for row in app.screen_stack[-2].table.rows}
        assert "Highlights  7 highlights in 4 articles, newest first" in screen_text(app)


def test_snapshot_highlights_filtered(snap_compare, library):
    app = make_library_app(library.store)

    async def run_before(pilot) -> None:
        await open_highlights(pilot)
        await pilot.press("slash", *"#econ")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(110, 12), run_before=run_before)
