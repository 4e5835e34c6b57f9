"""FSRS scheduling of review cards: the scheduler, rating a card, intervals, mastery.

Each highlight can have a review *card* in the store (keyed by the highlight's
id): the FSRS card of the `fsrs` package (``Card.to_dict()``) under ``"fsrs"``,
and ``"suspended"``. A highlight without a card is *new*.

Scheduling choices, each for a reason:

* One learning step of 10 minutes (FSRS's default is 1 and 10 minutes): a
  highlight was already read once, so "good" the first time sends it days
  ahead, while "again" brings it back later in the same session.
* Interval fuzz is done here, seeded by the card, instead of by `fsrs` with
  the global random generator: the due date shown on each rating key is then
  exactly the one the rating gives, and tests are repeatable.
* *Mastered* means a card in the review state whose stability is at least
  :data:`MASTERED_DAYS` (21) days, the threshold Anki calls "mature": FSRS
  expects it to be remembered three weeks on.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from fsrs import Card, Rating, Scheduler, State

__all__ = [
    "DEFAULT_RETENTION",
    "MASTERED_DAYS",
    "RETENTION_SETTING",
    "Rating",
    "describe_interval",
    "is_mastered",
    "make_scheduler",
    "preview",
    "schedule",
]

#: The store setting holding the desired retention the user chose.
RETENTION_SETTING = "review_retention"
DEFAULT_RETENTION = 0.9
#: Retention the user may choose: below 0.7 too much is forgotten, above 0.97
#: the workload explodes (Anki offers the same range).
MIN_RETENTION, MAX_RETENTION = 0.70, 0.97
#: Stability (days) from which a card counts as mastered.
MASTERED_DAYS = 21.0
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
MAXIMUM_INTERVAL = 36500

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
RATING_NAMES = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good",
                Rating.Easy: "easy"}

# FSRS's fuzz ranges (days from, days to, share of the interval).
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("review times must be timezone-aware")
    return moment.astimezone(timezone.utc)


def clamp_retention(value: Any) -> float:
    """A usable desired retention from a stored or typed value (else the default)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return DEFAULT_RETENTION
    return round(min(MAX_RETENTION, max(MIN_RETENTION, float(value))), 3)


# --------------------------------------------------------------------------- scheduling
def make_scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS scheduler readmark uses (see the module notes for the settings)."""
    return Scheduler(
        desired_retention=clamp_retention(desired_retention),
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL,
        enable_fuzzing=False,  # done in _fuzz, deterministically
    )


def card_id_for(annotation_id: str) -> int:
    """A stable integer id for the FSRS card of a highlight (FSRS wants an int)."""
    return int.from_bytes(hashlib.blake2b(annotation_id.encode(), digest_size=6).digest(), "big")


def fsrs_card(annotation_id: str, card: Mapping[str, Any] | None, now: datetime) -> Card:
    """The FSRS card stored in ``card``, or a new one (never reviewed) due ``now``."""
    stored = (card or {}).get("fsrs")
    if stored:
        return Card.from_dict(stored)  # type: ignore[arg-type]
    # card_id and due given: Card() would otherwise sleep a millisecond and read the clock
    return Card(card_id=card_id_for(annotation_id), due=_utc(now))


def _fuzz(card: Card, now: datetime, seed: str) -> Card:
    """Spread a review interval like FSRS does, but from a seed, not the global RNG."""
    if card.state != State.Review:
        return card
    days = (card.due - now).total_seconds() / 86400
    if days < 2.5:
        return card
    delta = 1.0
    for low, high, share in _FUZZ_RANGES:
        delta += share * max(min(days, high) - low, 0.0)
    low_days = max(2, round(days - delta))
    high_days = min(round(days + delta), MAXIMUM_INTERVAL)
    low_days = min(low_days, high_days)
    chance = random.Random(seed).random()
    fuzzed = min(int(chance * (high_days - low_days + 1)) + low_days, MAXIMUM_INTERVAL)
    card.due = now + timedelta(days=fuzzed)
    return card


def schedule(
    scheduler: Scheduler,
    annotation_id: str,
    card: Mapping[str, Any] | None,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rate a card.

    Args:
        scheduler: From :func:`make_scheduler`.
        annotation_id: The highlight.
        card: Its stored card (None if never reviewed).
        rating: The user's answer.
        now: The time of the review.
        duration_ms: How long the card was looked at.

    Returns:
        ``(new card, review-log entry)`` as JSON dicts for the store. The log
        entry is FSRS's ``ReviewLog.to_dict()`` plus the retention used.
    """
    now = _utc(now)
    before = fsrs_card(annotation_id, card, now)
    after, log = scheduler.review_card(before, rating, now, duration_ms)
    seed = f"{annotation_id}|{before.last_review.isoformat() if before.last_review else 'new'}"
    after = _fuzz(after, now, f"{seed}|{int(rating)}")
    entry: dict[str, Any] = dict(log.to_dict())
    entry["desired_retention"] = scheduler.desired_retention
    entry["due"] = after.due.isoformat()
    new = dict(card or {}) | {"fsrs": dict(after.to_dict()), "suspended": False}
    return new, entry


def preview(
    scheduler: Scheduler, annotation_id: str, card: Mapping[str, Any] | None, now: datetime
) -> dict[Rating, datetime]:
    """When the card would next be due after each rating (what the keys show)."""
    due = {}
    for rating in RATINGS:
        new, _ = schedule(scheduler, annotation_id, card, rating, now)
        due[rating] = datetime.fromisoformat(new["fsrs"]["due"])
    return due


def describe_interval(delta: timedelta) -> str:
    """A short interval the way Anki shows it on its buttons: 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4
        return f"{months:.1f}".rstrip("0").rstrip(".") + "mo"
    years = days / 365
    return f"{years:.1f}".rstrip("0").rstrip(".") + "y"


def card_due(card: Mapping[str, Any] | None) -> datetime | None:
    """When a stored card is due (None for a new highlight)."""
    stored = (card or {}).get("fsrs")
    if not stored:
        return None
    try:
        return _utc(datetime.fromisoformat(stored["due"]))
    except (KeyError, TypeError, ValueError):
        return None


def is_mastered(card: Mapping[str, Any] | None) -> bool:
    """In the review state with a stability of at least :data:`MASTERED_DAYS` days."""
    stored = (card or {}).get("fsrs") or {}
    stability = stored.get("stability")
    return (
        stored.get("state") == State.Review.value
        and isinstance(stability, (int, float))
        and stability >= MASTERED_DAYS
    )
