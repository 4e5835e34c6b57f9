"""The review core: queue, FSRS scheduling with a fixed clock, a session's changes, stats."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.annotations.records import new_record
from reader.annotations.selectors import TextQuote
from reader.review.passages import PassageLoader, passage_from_quote, passage_in
from reader.review.queue import ReviewItem, build_queue, make_items
from reader.review.scheduling import (
    MASTERED_DAYS,
    Rating,
    clamp_retention,
    describe_interval,
    is_mastered,
    make_scheduler,
    preview,
    schedule,
)
from reader.review.session import LEARN_AHEAD, ReviewSession
from reader.review.stats import article_stats
from reader.sources.loader import parse_article, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store

START = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    """A clock that stands still until told to move."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sample(tmp_path: Path):
    path = tmp_path / "memory.md"
    path.write_text((samples_dir() / "rich_markdown.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    source = read_article(path)
    return path, source, parse_article(source)


@pytest.fixture
def library(tmp_path: Path, clock: Clock, sample):
    """A store with one article and six highlights, the 2nd and 5th with notes."""
    path, source, document = sample
    store = Store(tmp_path / "db" / "readmark.json", clock=clock)
    article = store.upsert_article(fingerprint=source.fingerprint, path=str(path),
                                   title=document.title)
    ids = []
    for n in range(6):
        index = 8 + 3 * n
        record = new_record(document, article["id"], document.sentence_starts[index],
                            document.sentence_ends[index], note="A note." if n in (1, 4) else "",
                            tags=["sleep"] if n % 2 == 0 else ())
        ids.append(store.add_annotation(record)["id"])
    yield store, article["id"], ids
    store.close()


def session(store: Store, clock: Clock, **options) -> ReviewSession:
    return ReviewSession(store, clock=clock, **options)


# --------------------------------------------------------------------------- scheduling


def test_good_is_not_due_again_until_its_interval_has_passed(clock: Clock):
    scheduler = make_scheduler(0.9)
    card, entry = schedule(scheduler, "h1", None, Rating.Good, clock())
    due = datetime.fromisoformat(card["fsrs"]["due"])
    assert due - clock() >= timedelta(days=1)
    assert entry["rating"] == 3 and entry["review_datetime"] == clock().isoformat()
    item = ReviewItem({"id": "h1"}, card)
    assert build_queue([item], due - timedelta(seconds=1)) == []
    assert build_queue([item], due) == [item]


def test_again_makes_it_due_soon(clock: Clock):
    scheduler = make_scheduler(0.9)
    good, _ = schedule(scheduler, "h1", None, Rating.Good, clock())
    clock.now = datetime.fromisoformat(good["fsrs"]["due"])
    again, _ = schedule(scheduler, "h1", good, Rating.Again, clock())
    due = datetime.fromisoformat(again["fsrs"]["due"])
    assert timedelta(0) < due - clock() <= LEARN_AHEAD


def test_the_due_date_shown_is_the_one_the_rating_gives(clock: Clock):
    scheduler = make_scheduler(0.9)
    card = None
    for rating in (Rating.Good, Rating.Good, Rating.Hard, Rating.Easy):
        shown = preview(scheduler, "h1", card, clock())
        card, _ = schedule(scheduler, "h1", card, rating, clock())
        assert datetime.fromisoformat(card["fsrs"]["due"]) == shown[rating]
        clock.now = shown[rating]
    # ratings order the intervals
    shown = preview(scheduler, "h1", card, clock())
    assert shown[Rating.Again] < shown[Rating.Hard] < shown[Rating.Good] < shown[Rating.Easy]


def test_higher_retention_means_shorter_intervals(clock: Clock):
    card = None
    for rating in (Rating.Good, Rating.Good):
        card, _ = schedule(make_scheduler(0.9), "h1", card, rating, clock())
        clock.now = datetime.fromisoformat(card["fsrs"]["due"])
    relaxed = preview(make_scheduler(0.8), "h1", card, clock())[Rating.Good]
    strict = preview(make_scheduler(0.95), "h1", card, clock())[Rating.Good]
    assert strict < relaxed


def test_retention_is_clamped():
    assert clamp_retention(0.5) == 0.7
    assert clamp_retention(1.0) == 0.97
    assert clamp_retention("0.8") == 0.9  # not a number: the default
    assert clamp_retention(0.85) == 0.85


def test_mastered_means_stability_of_three_weeks(clock: Clock):
    assert not is_mastered(None)
    card = {"fsrs": {"state": 2, "stability": MASTERED_DAYS}}
    assert is_mastered(card)
    assert not is_mastered({"fsrs": {"state": 2, "stability": MASTERED_DAYS - 0.1}})
    assert not is_mastered({"fsrs": {"state": 3, "stability": 40.0}})  # relearning


@pytest.mark.parametrize(("delta", "shown"), [
    (timedelta(seconds=20), "<1m"), (timedelta(minutes=10), "10m"), (timedelta(hours=5), "5h"),
    (timedelta(days=3), "3d"), (timedelta(days=45), "1.5mo"), (timedelta(days=400), "1.1y"),
])
def test_describe_interval(delta, shown):
    assert describe_interval(delta) == shown


# --------------------------------------------------------------------------- queue


def _item(n: int, *, due: datetime | None = None, suspended: bool = False, start: int = 0,
          article_order: int = 0, tags=()) -> ReviewItem:
    card = None
    if due is not None or suspended:
        card = {"fsrs": {"due": (due or START).isoformat(), "state": 2}, "suspended": suspended}
    record = {"id": f"h{n}", "article_id": f"a{article_order}", "tags": list(tags),
              "target": {"selector": [{"type": "TextPositionSelector", "start": start,
                                       "end": start + 5}]}}
    return ReviewItem(record, card, article_order=article_order)


def test_queue_due_first_most_overdue_first_then_new_in_reading_order():
    items = [
        _item(1, start=50), _item(2, start=10, article_order=1), _item(3, start=10),
        _item(4, due=START - timedelta(days=1)), _item(5, due=START - timedelta(days=9)),
        _item(6, due=START + timedelta(hours=1)),
    ]
    queue = build_queue(items, START)
    assert [item.id for item in queue] == ["h5", "h4", "h3", "h1", "h2"]
    assert [item.id for item in build_queue(items, START, new=1)] == ["h5", "h4", "h3"]
    assert [item.id for item in build_queue(items, START, limit=3)] == ["h5", "h4", "h3"]
    assert [item.id for item in build_queue(items, START, new=0)] == ["h5", "h4"]


def test_queue_by_tag_and_without_suspended():
    items = [_item(1, tags=["Idea"]), _item(2), _item(3, due=START, suspended=True,
                                                      tags=["idea"])]
    assert [item.id for item in build_queue(items, START, tag="#idea")] == ["h1"]
    assert [item.id for item in build_queue(items, START)] == ["h1", "h2"]


# --------------------------------------------------------------------------- session


def test_a_session_rates_saves_and_moves_on(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock)
    assert list(s.queue) == ids
    assert (s.reviewed, s.total) == (0, 6)
    clock.advance(seconds=7)
    rated = s.rate(Rating.Good)
    assert rated.id == ids[0] and s.current.id == ids[1]
    assert (s.reviewed, s.total) == (1, 6)
    assert store.card(ids[0]) == rated.card
    [entry] = store.reviews()
    assert entry["annotation_id"] == ids[0] and entry["review_duration"] == 7000
    # a new session later the same day does not show it again, nor before it is due
    again = session(store, clock)
    assert ids[0] not in again.queue
    clock.now = rated.due
    assert ids[0] in session(store, clock).queue


def test_again_brings_the_card_back_in_the_same_session(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock, new=2)
    s.rate(Rating.Again)
    assert list(s.queue) == [ids[1], ids[0]]
    assert s.total == 3


def test_skip_puts_the_card_at_the_back(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock, new=3)
    assert s.skip()
    assert list(s.queue) == [ids[1], ids[2], ids[0]]
    assert store.reviews() == []
    single = session(store, clock, new=1)
    assert not single.skip()


def test_suspend_removes_it_for_good(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock)
    s.suspend()
    assert ids[0] not in s.queue
    assert store.card(ids[0])["suspended"] is True
    clock.advance(days=365)
    assert ids[0] not in session(store, clock).queue
    store.unsuspend_cards()
    assert ids[0] in session(store, clock).queue


def test_undo_restores_the_exact_previous_card_state(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock)
    s.rate(Rating.Good)
    clock.now = s.items[ids[0]].due
    s = session(store, clock)
    assert s.current.id == ids[0]
    before = store.card(ids[0])
    s.rate(Rating.Easy)
    assert store.card(ids[0]) != before
    assert s.undo() == "rating “easy”"
    assert store.card(ids[0]) == before
    assert len(store.reviews()) == 1
    assert s.current.id == ids[0] and s.current.card == before
    assert (s.reviewed, s.progress.ratings["easy"]) == (0, 0)


def test_undo_of_a_first_rating_and_of_a_requeued_card(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock, new=2)
    s.rate(Rating.Again)  # back at the end of the queue
    assert s.undo() is not None
    assert list(s.queue) == [ids[0], ids[1]]
    assert store.card(ids[0]) is None and store.reviews() == []


def test_undo_of_a_suspend(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock)
    s.suspend()
    assert s.undo() == "suspend"
    assert store.card(ids[0]) is None
    assert s.current.id == ids[0]
    assert s.undo() is None


def test_a_card_reviewed_in_another_window_is_not_shown_again(library, clock: Clock, tmp_path):
    store, _, ids = library
    s = session(store, clock, new=3)
    with Store(store.path, clock=clock) as other:
        ReviewSession(other, clock=clock, new=3).rate(Rating.Good)  # rates ids[0]
        other.delete_annotation(ids[1])
    s.sync_current()
    assert s.current.id == ids[2]
    assert list(s.queue) == [ids[2]]


def test_reviews_in_two_sessions_at_once_both_count(library, clock: Clock):
    store, _, ids = library
    mine = session(store, clock, new=1)
    with Store(store.path, clock=clock) as other:
        theirs = ReviewSession(other, clock=clock, new=1)
        theirs.rate(Rating.Good)
        clock.advance(minutes=1)
        mine.rate(Rating.Hard)  # built on the card the other window saved
    assert [entry["rating"] for entry in store.reviews()] == [3, 2]
    card = store.card(ids[0])
    assert card["fsrs"]["last_review"] == clock().isoformat()


def test_tag_and_article_scope(library, clock: Clock, tmp_path):
    store, article_id, ids = library
    assert list(session(store, clock, tag="sleep").queue) == ids[0::2]
    other = store.upsert_article(fingerprint="other", path=str(tmp_path / "x.md"), title="X")
    extra = store.add_annotation({"article_id": other["id"], "note": "", "tags": []})["id"]
    assert extra not in session(store, clock, article_id=article_id).queue
    assert extra in session(store, clock, new=20).queue


def test_summary_and_next_due(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock, new=3)
    s.rate(Rating.Good)
    s.rate(Rating.Easy)
    clock.advance(minutes=3)
    s.rate(Rating.Again)
    summary = s.summary()
    assert summary.reviewed == 3
    assert summary.ratings == {"again": 1, "hard": 0, "good": 1, "easy": 1}
    assert summary.seconds == 180
    assert summary.left == 1  # the card rated again is back in the queue
    assert summary.due_tomorrow == 1  # the one rated again
    assert summary.due_week >= 2
    assert s.next_due() == s.items[ids[2]].due
    assert s.waiting_new() == 3


def test_empty_session(tmp_path: Path, clock: Clock):
    with Store(tmp_path / "db.json", clock=clock) as store:
        s = session(store, clock)
        assert s.current is None and s.total == 0 and s.next_due() is None
        with pytest.raises(IndexError):
            s.rate(Rating.Good)


# --------------------------------------------------------------------------- stats


def test_article_stats(library, clock: Clock):
    store, _, ids = library
    s = session(store, clock)
    s.rate(Rating.Good)
    s.rate(Rating.Again)
    s.suspend()
    store.update_card(ids[3], lambda c: {"fsrs": {"state": 2, "stability": 30.0,
                                                  "due": (START + timedelta(days=30)).isoformat()}})
    annotations, cards = store.annotations_and_cards()
    [row] = article_stats(store.articles(), make_items(store.articles(), annotations, cards),
                          clock())
    assert (row.highlights, row.notes, row.new, row.due_today, row.mastered, row.suspended) == (
        6, 2, 2, 1, 1, 1)


# --------------------------------------------------------------------------- context


def test_passage_has_a_sentence_of_context_each_side(sample):
    _, _, document = sample
    index = 12
    start, end = document.sentence_starts[index], document.sentence_ends[index]
    passage = passage_in(document, start, end)
    previous = document.text[slice(*document.sentence_span(index - 1))]
    following = document.text[slice(*document.sentence_span(index + 1))]
    assert passage.text == " ".join(document.text[start:end].split())
    assert passage.before == " ".join(previous.split()) + " "
    assert passage.after == " " + " ".join(following.split())


def test_passage_of_part_of_a_sentence_keeps_the_rest_of_it(sample):
    _, _, document = sample
    start, end = document.sentence_span(12)
    passage = passage_in(document, start + 4, end - 4)
    whole = " ".join(document.text[document.sentence_starts[11]:
                                   document.sentence_ends[13]].split())
    assert passage.before + passage.text + passage.after == whole


def test_passage_loader_falls_back_to_the_stored_quote(library, tmp_path):
    store = library[0]
    items = make_items(store.articles(), *store.annotations_and_cards())
    loader = PassageLoader()
    found = loader.passage(items[1])
    assert found.from_article and found.before and found.after
    assert loader.passage(items[0]).before == ""  # the sentence before is a heading
    gone = ReviewItem(items[1].record, None, path=str(tmp_path / "missing.md"))
    fallback = loader.passage(gone)
    assert not fallback.from_article and fallback.text == found.text


def test_passage_from_quote_cuts_to_whole_words():
    passage = passage_from_quote(TextQuote("the quote", prefix="ords before it ",
                                           suffix=" after it and mo"))
    assert passage.before == "…before it "
    assert passage.after == " after it and…"


# --------------------------------------------------------------------------- hygiene


@pytest.mark.parametrize("module", ["reader.review.scheduling", "reader.review.queue",
                                    "reader.review.stats", "reader.review.passages",
                                    "reader.review.session", "reader.cli.review"])
def test_review_core_does_not_import_textual(module):
    code = (f"import sys, {module}\n"
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_context_never_crosses_a_heading():
    from reader.document.markdown import parse_markdown

    document = parse_markdown("# T\n\nFirst para ends here.\n\n## Part two\n\nOpening line. "
                              "Second line.\n\n## Part three\n\nAfter.\n", "x.md")
    start = document.text.index("Opening line.")
    passage = passage_in(document, start, start + len("Opening line."))
    assert passage.before == ""
    assert passage.after == " Second line."
    start = document.text.index("Second line.")
    passage = passage_in(document, start, start + len("Second line."))
    assert passage.before == "Opening line. " and passage.after == ""
