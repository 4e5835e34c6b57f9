"""The end of a review session: the summary, or why there was nothing to review.

:class:`SessionEnd` is the page the review screen switches to (``#review-end``);
the functions here write its text, in Textual markup, from the session.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from reader.review.scheduling import describe_interval
from reader.review.session import ReviewSession, Summary


class SessionEnd(VerticalScroll):
    """The end page (``#review-end``): one block of text."""

    def compose(self) -> ComposeResult:
        yield Static("", id="review-end-text")

    def show(self, text: str) -> None:
        """Show ``text`` (Textual markup)."""
        self.query_one("#review-end-text", Static).update(text)


def end_text(session: ReviewSession) -> str:
    """The text at the end of ``session``: its summary, or why there was nothing."""
    if session.reviewed == 0 and session.current is None and not session.history:
        return empty_text(session)
    return summary_text(session.summary())


def empty_text(session: ReviewSession) -> str:
    """The end text of a session that had no card to show: why, and what comes next."""
    if not session.items:
        scope = " with this tag" if session.tag else ""
        return (f"[b]No highlights to review{scope} yet.[/b]\n\nHighlight passages while "
                "reading ([b]h[/b]), then come back.\n\n[dim]q close[/dim]")
    lines = ["[b]Nothing to review now.[/b]", ""]
    due = session.next_due()
    now = session.clock()
    if due is not None:
        local = due.astimezone()
        lines.append(f"The next card is due in {describe_interval(due - now)} "
                     f"({local:%a %d %b, %H:%M}).")
    waiting = session.waiting_new()
    if waiting:
        lines.append(f"{waiting} new highlight{'s' if waiting != 1 else ''} "
                     f"{'are' if waiting != 1 else 'is'} waiting: "
                     "readmark review --new N takes them.")
    lines += ["", "[dim]q close[/dim]"]
    return "\n".join(lines)


def summary_text(summary: Summary) -> str:
    """The end-of-session summary, in Textual markup."""
    title = "Session ended" if summary.left else "Session complete"
    minutes, seconds = divmod(round(summary.seconds), 60)
    spent = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
    ratings = " · ".join(f"{name} {count}" for name, count in summary.ratings.items())
    rows = [
        ("Cards reviewed", str(summary.reviewed)),
        ("Ratings", ratings),
        ("Time spent", spent),
        ("Due by tomorrow", str(summary.due_tomorrow)),
        ("Due within 7 days", str(summary.due_week)),
    ]
    if summary.left:
        rows.append(("Left for later", str(summary.left)))
    width = max(len(name) for name, _ in rows)
    lines = [f"[b]{title}[/b]", ""]
    lines += [f"  [dim]{name.ljust(width)}[/dim]  {value}" for name, value in rows]
    lines += ["", "[dim]q close · u undo the last rating[/dim]"]
    return "\n".join(lines)
