"""The library screen: rows, marks, filter, sort, open and back, archive, remove, relink, add."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reader.sources.loader import read_article
from reader.store import Store
from reader.tui.app import make_app, make_library_app
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.library_table import LibraryTable
from tests.ui.library_support import build_library, screen_text

SIZE = (110, 24)


@pytest.fixture
def library(tmp_path: Path):
    built = build_library(tmp_path)
    yield built
    built.store.close()


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def titles(app) -> list[str]:
    return [row.title for row in app.screen.query_one(LibraryTable).rows]


async def test_rows_show_progress_counts_and_what_is_missing_or_from_the_web(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        # Last opened first; the archived article is hidden.
        assert titles(app) == ["The Economics of Lighthouses",
                               "How Memory Consolidates During Sleep",
                               "A Field Guide to Harbour Lights"]
        text = screen_text(app)
        lines = {line.split("  ")[0].strip(): line for line in text.splitlines()}
        light = lines["The Economics of Lighthouses"]
        assert "Ronald Coase" in light and "███░░░░░  40%" in light and "yesterday" in light
        assert light.split()[-4:-1] == ["3", "2", "2"]  # highlights, notes, cards due
        sleep = next(line for line in text.splitlines() if "How Memory" in line)
        assert "missing" in sleep and "3 days ago" in sleep
        web = next(line for line in text.splitlines() if "Field Guide" in line)
        assert "web" in web and "Harbour Month" in web and "100%" in web
        assert "Library  3 articles · 6 highlights · 3 due · 1 archived · by last opened" in text


async def test_filter_sort_and_archived(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbour")
        await pilot.pause()
        assert titles(app) == ["A Field Guide to Harbour Lights"]
        assert "1 of 3 articles match “harbour”" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 3
        await pilot.press("s")  # by title
        await pilot.pause()
        assert titles(app) == sorted(titles(app))
        await pilot.press("s", "s")  # by cards due
        await pilot.pause()
        assert titles(app)[0] == "The Economics of Lighthouses"
        assert library.store.get_setting("library_sort") == "due"
        await pilot.press("A")
        await pilot.pause()
        assert "Notes on Tides" in titles(app)
        assert "archived" in next(line for line in screen_text(app).splitlines()
                                  if "Notes on Tides" in line)


async def test_the_mark_column_takes_room_only_when_a_row_has_a_mark(library):
    app = make_library_app(library.store)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)

        def line_of(start: str) -> str:
            return next(line for line in screen_text(app).splitlines()
                        if line.strip().startswith(start))

        # The missing file and the web article are marked: the marks have a column.
        assert "missing" in line_of("How Memory") and "web" in line_of("A Field Guide")
        assert "The Economics of Lighthouses" not in line_of("The Economics")  # cut short
        await pilot.press("slash", *"economics")
        await pilot.pause()
        assert titles(app) == ["The Economics of Lighthouses"]
        # No row shown has a mark: its cells go to the title, which fits now.
        assert "The Economics of Lighthouses  Ronald Coase" in line_of("The Economics")
        header = line_of("Title")
        assert header.index("Author or site") == line_of("The Economics").index("Ronald Coase")


async def test_open_from_the_library_and_q_comes_back_with_the_progress(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert app.screen.source.path == str(library.paths["lighthouses"])
        await pilot.press("G")  # to the end
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        row = app.screen.query_one(LibraryTable).rows[0]
        assert row.title == "The Economics of Lighthouses" and row.percent == 100
        assert library.store.get_position(library.ids["lighthouses"])["percent"] == 100


async def test_L_in_an_article_opened_directly_shows_the_library(library):
    app = make_app(read_article(library.paths["lighthouses"]), library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert len(app.screen_stack) == 2  # the article was replaced, not stacked
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("L")  # from an article opened in the library: back down to it
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen) and len(app.screen_stack) == 2


async def test_archive_then_remove_with_a_confirmation_and_a_backup(library):
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "The Economics of Lighthouses" not in titles(app)
        assert library.store.articles()[0]["archived"] is True
        await pilot.press("A", "home")  # show archived ones; the first is now archived
        await settle(pilot)
        assert titles(app)[0] == "The Economics of Lighthouses"
        await pilot.press("D")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question").render())
        assert question.startswith("Remove “The Economics of Lighthouses” from the library? "
                                   "Its 3 highlights and 2 notes go with it (into a backup")
        await pilot.press("n")
        await settle(pilot)
        assert titles(app)[0] == "The Economics of Lighthouses"
        await pilot.press("D", "y")
        await settle(pilot)
        assert "The Economics of Lighthouses" not in titles(app)
        assert library.ids["lighthouses"] not in [a["id"] for a in library.store.articles()]
        backup = [p for p in library.store.backups() if p.name.endswith("-remove.zip")][-1]
        with zipfile.ZipFile(backup) as z:
            assert f"annotations/{library.ids['lighthouses']}.json" in z.namelist()
        assert library.paths["lighthouses"].exists()  # the file itself is left alone


async def test_enter_on_a_missing_article_relinks_it(library, tmp_path: Path):
    moved = tmp_path / "elsewhere" / "sleep.md"
    moved.parent.mkdir()
    from tests.ui.library_support import SLEEP

    moved.write_text(SLEEP.replace("It has its own architecture.", "It is structured."),
                     encoding="utf-8")
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        question = str(app.screen.query_one("#source-question").render())
        assert question == (f"“How Memory Consolidates During Sleep” was at "
                            f"{library.paths['sleep']} (missing). Where is it now?")
        await pilot.press(*str(moved.parent / "sl"), "tab")  # tab completes the name
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        row = next(r for r in app.screen.query_one(LibraryTable).rows
                   if r.article_id == library.ids["sleep"])
        assert not row.missing and row.path == str(moved)
        records = library.store.annotations(library.ids["sleep"])
        assert sorted(bool(r.get("detached")) for r in records) == [False, True]


async def test_a_adds_a_file(library, tmp_path: Path):
    new = tmp_path / "new-article.md"
    new.write_text("# Fog Signals\n\nHorns sound when the light cannot be seen.\n",
                   encoding="utf-8")
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", *str(new), "enter")
        await settle(pilot)
        assert app.screen.query_one(LibraryTable).current.title == "Fog Signals"
        assert library.store.find_article(path=str(new)) is not None


async def test_the_first_run_gets_the_sample_once(tmp_path: Path):
    store = Store(tmp_path / "readmark.json")
    try:
        app = make_library_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert titles(app) == ["How Memory Consolidates During Sleep"]
            await pilot.press("D", "y")
            await settle(pilot)
            assert titles(app) == []
            assert "No articles yet: a adds a file or a web address." in screen_text(app)
        app = make_library_app(store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert titles(app) == []  # removed for good
    finally:
        store.close()


async def test_r_with_nothing_due_says_when_the_next_is_and_what_new_ones_wait(library):
    from tests.ui.library_support import local_noon

    tomorrow = local_noon(-1)  # noon tomorrow, local time
    _, cards = library.store.annotations_and_cards(None)
    due_now = [record_id for record_id, card in cards.items()
               if (card or {}).get("fsrs", {}).get("due")]
    for record_id in due_now:  # every scheduled card comes due tomorrow at noon
        library.store.update_card(record_id, lambda _: {
            "fsrs": {"due": tomorrow.isoformat(), "state": 2, "stability": 3.0}})
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "0 due" in screen_text(app)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)  # no empty review opens
        said = [notification.message for notification in app._notifications]
        assert said[-1] == (f"Nothing due now — next review due tomorrow at 12:00 "
                            f"({len(due_now)} cards due that day); 3 new highlights wait "
                            "(r in an article reviews them).")


async def test_r_reviews_the_cards_due_and_the_help_lists_the_library_keys(library):
    from reader.tui.screens.help import HelpScreen
    from reader.tui.screens.review import ReviewScreen

    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        groups = dict(app.screen._groups)
        assert list(groups) == ["Library", "Application"]
        assert ("R", "Tell where the article's file is now (moved or renamed)") in \
            groups["Library"]
        assert ("D", "Remove the article and its highlights (they go to a backup)") in \
            groups["Library"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session is not None and app.screen.session.total == 3  # due only
        await pilot.press("q", "q")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


def test_snapshot_library(snap_compare, library):
    app = make_library_app(library.store)

    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 14), run_before=run_before)


async def test_opening_keeps_the_reading_view_fast_path(library):
    """An article opened from the library is the ordinary reading screen (first screen
    first, the rest from a worker), with q going back."""
    app = make_library_app(library.store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingScreen) and screen.from_library and screen.returns
        assert screen.query_one(ArticleView).document.title == "The Economics of Lighthouses"
