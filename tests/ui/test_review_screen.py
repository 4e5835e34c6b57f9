"""The review screen driven by keys: a whole session, edits in place, opening the article,
and snapshots of a card before and after it is revealed and of the summary.

Update the snapshots after looking at the report:
pytest tests/ui/test_review_screen.py --snapshot-update
"""

from __future__ import annotations

import gc
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Static

from reader.annotations.records import new_record
from reader.review.scheduling import RETENTION_SETTING, Rating, make_scheduler, schedule
from reader.sources.loader import parse_article, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store
from reader.tui import startup
from reader.tui.app import make_app, make_review_app
from reader.tui.screens.reading import ReadingScreen
from reader.tui.screens.review import ReviewScreen
from tests.ui.test_first_screen import restore_collector

SIZE = (100, 30)
START = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Day boundaries (due tomorrow, next 7 days) are local: pin the zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def library(tmp_path: Path, clock: Clock):
    """The sample article with four highlights: the 2nd already reviewed and due now
    (so it comes first), the 1st and 3rd with notes, the 1st tagged."""
    path = tmp_path / "memory.md"
    path.write_text((samples_dir() / "rich_markdown.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    store = Store(tmp_path / "db" / "readmark.json", clock=clock)
    source = read_article(path)
    document = parse_article(source)
    article = store.upsert_article(fingerprint=source.fingerprint, path=str(path),
                                   title=document.title)
    specs = [
        (9, "yellow", "Sleep after learning beats a night of cramming.", ["sleep"]),
        (11, "green", "", []),
        (14, "blue", "Compare with the spacing effect.", []),
        (18, "pink", "", []),
    ]
    ids = []
    for n, (sentence, color, note, tags) in enumerate(specs, start=1):
        record = new_record(document, article["id"], *document.sentence_span(sentence),
                            color=color, note=note, tags=tags)
        # fixed ids: interval fuzz is seeded by the card, and snapshots show intervals
        record["id"] = f"00000000-0000-4000-8000-00000000000{n}"
        ids.append(store.add_annotation(record)["id"])
    earlier = START - timedelta(days=3)
    store.record_review(ids[1], lambda card: schedule(make_scheduler(), ids[1], card,
                                                      Rating.Good, earlier))
    yield store, path, article["id"], ids
    store.close()


def review_app(store: Store, clock: Clock, **options):
    return make_review_app(store, clock=clock, **options)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# --------------------------------------------------------------------------- Pilot


async def test_a_whole_session_by_keys(library, clock: Clock):
    store, _, _, ids = library
    app = review_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        session = screen.session
        # the due card first, then new ones in reading order
        assert list(session.queue) == [ids[1], ids[0], ids[2], ids[3]]
        assert text_of(app, "#review-count") == "0 / 4"
        # ratings need the answer shown first
        await pilot.press("3")
        assert session.reviewed == 0
        await pilot.press("space")
        assert screen.revealed
        clock.advance(seconds=5)
        await pilot.press("space")  # = good
        await settle(pilot)
        assert session.reviewed == 1 and session.current.id == ids[0]
        assert not screen.revealed
        assert "space shows the note" in text_of(app, "#card-back")
        await pilot.press("enter", "1")  # reveal, again: it comes back at the end
        await settle(pilot)
        assert list(session.queue) == [ids[2], ids[3], ids[0]]
        await pilot.press("s")  # skip
        assert session.current.id == ids[3]
        await pilot.press("S")  # suspend
        await settle(pilot)
        assert store.card(ids[3])["suspended"] is True
        await pilot.press("u")  # undo the suspend
        await settle(pilot)
        assert store.card(ids[3]) is None and session.current.id == ids[3]
        await pilot.press("space", "4")
        await settle(pilot)
        assert session.current.id == ids[0]  # the card rated again, back already
        await pilot.press("space", "2")  # hard: still learning, back again later
        await settle(pilot)
        assert list(session.queue) == [ids[2], ids[0]]
        await pilot.press("space", "3", "space", "3")
        await settle(pilot)
        assert screen.finished
        summary = text_of(app, "#review-end-text")
        assert "Session complete" in summary and "Cards reviewed     6" in summary
        assert "again 1 · hard 1 · good 3 · easy 1" in summary
        await pilot.press("q")
    # the review made before the session, then this session's six
    assert [entry["rating"] for entry in store.reviews()] == [3, 3, 1, 4, 2, 3, 3]
    assert app.return_code in (0, None)


async def test_undo_from_the_summary_goes_back_to_the_card(library, clock: Clock):
    store, _, _, ids = library
    app = review_app(store, clock, new=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")
        await settle(pilot)
        assert app.screen.finished
        await pilot.press("u")
        await settle(pilot)
        assert not app.screen.finished and app.screen.session.current.id == ids[1]
        assert app.screen.revealed
        assert len(store.reviews()) == 1  # only the review made before the session


async def test_q_ends_early_with_a_summary(library, clock: Clock):
    store, _, _, _ = library
    app = review_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "3", "q")
        await settle(pilot)
        summary = text_of(app, "#review-end-text")
        assert "Session ended" in summary and "Left for later     3" in summary
        await pilot.press("q")
    assert len(store.reviews()) == 2  # saved as it went


async def test_edit_note_and_tags_in_place(library, clock: Clock):
    store, _, _, ids = library
    app = review_app(store, clock, new=1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")  # to the new card (with a note)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" More.", "ctrl+s")
        await settle(pilot)
        assert store.get_annotation(ids[0])["note"].endswith("cramming. More.")
        await pilot.press("space")
        assert "cramming. More." in text_of(app, "#card-back")
        await pilot.press("number_sign")
        await pilot.pause()
        await pilot.press(*"idea", "enter")
        await settle(pilot)
        assert store.get_annotation(ids[0])["tags"] == ["sleep", "idea"]
        assert text_of(app, "#card-tags") == "#sleep #idea"
        assert "idea" in store.get_setting("known_tags")
        assert app.screen.revealed  # editing keeps the card as it was


async def test_o_opens_the_article_at_the_highlight_and_comes_back(library, clock: Clock):
    store, _, _, ids = library
    app = review_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        reading = app.screen
        assert isinstance(reading, ReadingScreen) and reading.focus_highlight == ids[1]
        wanted = reading.annotator.get(ids[1])
        assert reading.view.cursor_offset == wanted.start
        await pilot.press("x")  # delete that highlight while reading
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.current.id == ids[0]  # the deleted one left the queue


async def test_empty_queue_says_when_the_next_card_is_due(library, clock: Clock):
    store, _, _, _ = library
    clock.advance(days=-3)  # before the reviewed card is due
    app = review_app(store, clock, new=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = text_of(app, "#review-end-text")
        assert "Nothing to review now." in text
        assert "The next card is due in 2d" in text
        assert "3 new highlights are waiting" in text


async def test_retention_is_set_from_the_screen_and_remembered(library, clock: Clock):
    store, _, _, _ = library
    app = review_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space")
        good = text_of(app, "#rating-3")
        await pilot.press("R")
        await pilot.pause()
        await pilot.press(*"0.97", "enter")  # the old value is selected: typed over
        await settle(pilot)
        assert store.get_setting(RETENTION_SETTING) == 0.97
        assert app.screen.session.desired_retention == 0.97
        assert text_of(app, "#rating-3") != good  # a shorter interval
    app = review_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.session.desired_retention == 0.97


async def test_over_the_reading_screen_q_returns_to_it(library, clock: Clock):
    """As the reading view's r will open it: one article, and q goes back."""
    store, path, article_id, ids = library
    app = make_app(read_article(path), store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = app.screen
        app.push_screen(ReviewScreen(store, article_id=article_id, clock=clock))
        await settle(pilot)
        assert app.screen.session.current.id == ids[1]
        assert "How Memory Consolidates During Sleep" in text_of(app, "#review-heading")
        await pilot.press("q", "q")
        await settle(pilot)
        assert app.screen is reading


# --------------------------------------------------------------------------- snapshots


def test_card_before_reveal(snap_compare, library, clock: Clock):
    store, _, _, _ = library
    app = review_app(store, clock, new=2)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("s")  # the new card with a note and a tag

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_card_after_reveal(snap_compare, library, clock: Clock):
    store, _, _, _ = library
    app = review_app(store, clock, new=2)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("s", "space")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_card_without_a_note_reveals_its_context(snap_compare, library, clock: Clock):
    store, _, _, _ = library
    app = review_app(store, clock)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("space")  # the reviewed card has no note
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_summary(snap_compare, library, clock: Clock):
    store, _, _, _ = library

    async def run_before(pilot) -> None:
        await settle(pilot)
        for rating in ("3", "1", "4", "2", "3", "3"):  # "again" brings a card back
            clock.advance(seconds=40)
            await pilot.press("space", rating)
            await settle(pilot)
        assert pilot.app.screen.finished

    app = review_app(store, clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_first_card_resumes_collection_paused_for_start_up(library, clock: Clock):
    store, _path, _article, _ids = library
    startup.pause_collection()
    try:
        app = review_app(store, clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert text_of(app, "#review-count") == "0 / 4"
            assert gc.isenabled() and not startup.collection_paused()
            await pilot.press("q")
    finally:
        restore_collector()
