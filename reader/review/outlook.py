"""What a review session would hold right now, and when the next card comes due.

`readmark review` looks before it starts the full-screen session: with nothing
to review, or without a terminal to show it on, one line says what is due
instead. The counts are those of the very session that would open (its items, read
once), by the rules of :func:`reader.review.queue.build_queue`, so the line and the
session never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from reader.review.queue import DEFAULT_NEW, ReviewItem
from reader.review.scheduling import _utc

if TYPE_CHECKING:
    from reader.review.session import ReviewSession

__all__ = ["Outlook", "due_that_day", "look_ahead", "session_outlook", "waiting_clauses",
           "when"]


@dataclass(frozen=True, slots=True)
class Outlook:
    """A review session's prospects at one moment.

    Attributes:
        highlights: Highlights in scope (the article and tag asked for).
        session: Cards the session would show now (due, then new; limit applied).
        due: Cards due now (whatever the limit).
        new: New highlights the session would take (``--new``, limit applied).
        waiting_new: New highlights in scope the session would leave.
        suspended: Suspended cards in scope.
        later: When each reviewed, unsuspended card not due yet comes due, earliest first.
    """

    highlights: int
    session: int
    due: int
    new: int
    waiting_new: int
    suspended: int
    later: tuple[datetime, ...]

    @property
    def next_due(self) -> datetime | None:
        """When the next card comes due, or None when no card is scheduled."""
        return self.later[0] if self.later else None


def look_ahead(
    items: Iterable[ReviewItem],
    now: datetime,
    *,
    limit: int | None = None,
    new: int = DEFAULT_NEW,
) -> Outlook:
    """The outlook over ``items`` (already narrowed to the scope) at ``now``.

    Counts only: the same rules as :func:`reader.review.queue.build_queue` (due and
    unsuspended cards, then at most ``new`` new ones, then ``limit``), without its sort.
    """
    now = _utc(now)
    due = fresh = suspended = 0
    later: list[datetime] = []
    count = 0
    for item in items:
        count += 1
        if item.suspended:
            suspended += 1
        elif item.due is None:
            fresh += 1
        elif item.due <= now:
            due += 1
        else:
            later.append(item.due)
    taken = min(fresh, max(0, new))
    session = due + taken if limit is None else min(due + taken, max(0, limit))
    in_session = max(0, session - due)
    later.sort()
    return Outlook(
        highlights=count,
        session=session,
        due=due,
        new=in_session,
        waiting_new=fresh - in_session,
        suspended=suspended,
        later=tuple(later),
    )


def session_outlook(session: ReviewSession, *, limit: int | None = None) -> Outlook:
    """The outlook of a session just made (its queue untouched), from what it read."""
    return look_ahead(session.items.values(), session.started, limit=limit,
                      new=session.new_limit)


def due_that_day(later: Iterable[datetime], first: datetime, tz: tzinfo | None = None) -> int:
    """How many of ``later`` fall on the same local day as ``first`` (``tz``, else local)."""
    day = first.astimezone(tz).date()
    return sum(1 for moment in later if moment.astimezone(tz).date() == day)


def when(moment: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """``moment`` said from ``now``, in local time (or ``tz``): "today at 14:05",
    "tomorrow at 09:12", "on Friday at 09:12", "on Tue 14 Apr at 09:12"."""
    local, today = moment.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    clock = f"{local:%H:%M}"
    if days <= 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"on {local:%A} at {clock}"
    year = "" if local.year == today.year else f" {local.year}"
    return f"on {local:%a} {local.day} {local:%b}{year} at {clock}"


def waiting_clauses(
    outlook: Outlook,
    now: datetime,
    *,
    count: Callable[[int, str], str],
    take_new: str,
    bring_back: str = "",
    tz: tzinfo | None = None,
) -> list[str]:
    """What a "Nothing due now" line goes on to say: when the next card comes due (and
    how many that day), the new highlights waiting (``take_new``: how to take them),
    else the suspended cards (``bring_back``: how, if said). ``count`` writes "3 cards"."""
    clauses: list[str] = []
    if outlook.next_due is not None:
        that_day = due_that_day(outlook.later, outlook.next_due, tz)
        clauses.append(f"next review due {when(outlook.next_due, now, tz)} "
                       f"({count(that_day, 'card')} due that day)")
    if outlook.waiting_new:
        clauses.append(f"{count(outlook.waiting_new, 'new highlight')} "
                       f"{'waits' if outlook.waiting_new == 1 else 'wait'} ({take_new})")
    if outlook.suspended and not clauses:
        hint = f" ({bring_back})" if bring_back else ""
        clauses.append(f"{count(outlook.suspended, 'suspended card')}{hint}")
    return clauses
