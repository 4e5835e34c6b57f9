"""`readmark review` makes the session to look before it opens the screen: the screen
must show that very session, without reading the library a second time."""

from __future__ import annotations

from reader.review.session import ReviewSession
from reader.tui.app import make_review_app
from reader.tui.screens.review import ReviewScreen
from tests.ui.test_review_screen import (  # noqa: F401  (fixtures used by name)
    SIZE,
    Clock,
    clock,
    library,
    settle,
    text_of,
    utc,
)


async def test_the_screen_shows_the_session_it_is_given(library, clock: Clock, monkeypatch):  # noqa: F811
    store, _, _, ids = library
    session = ReviewSession(store, clock=clock, new=2)

    def read_again(*args, **kwargs):
        raise AssertionError("the screen read the library again")

    monkeypatch.setattr(store, "annotations_and_cards", read_again)
    app = make_review_app(store, clock=clock, session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.session is session
        assert list(session.queue) == [ids[1], ids[0], ids[2]]  # new=2 as it was made
        assert text_of(app, "#review-count") == "0 / 3"
        await pilot.press("space", "3")
        await settle(pilot)
        assert session.reviewed == 1
        assert store.card(ids[1]) is not None
