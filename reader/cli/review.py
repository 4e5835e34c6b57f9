"""`readmark review`: a spaced-repetition session over past highlights."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    CliError,
    clip,
    common_arguments,
    on_terminal,
    open_store,
    plural,
    safe_output,
)
from reader.review.outlook import waiting_clauses  # said alike in the library

if TYPE_CHECKING:
    from reader.review.outlook import Outlook
    from reader.store import Store

NOTHING_YET = "Nothing to review yet — highlight passages while reading (h), then come back."


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def _retention(text: str) -> float:
    from reader.review.scheduling import MAX_RETENTION, MIN_RETENTION

    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number such as 0.9") from None
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise argparse.ArgumentTypeError(
            f"{text}: choose a retention from {MIN_RETENTION} to {MAX_RETENTION} "
            "(0.9 remembers 9 highlights in 10)"
        )
    return value


def review_parser() -> argparse.ArgumentParser:
    """The options of `readmark review`."""
    parser = argparse.ArgumentParser(
        prog="readmark review",
        description="Review past highlights with spaced repetition (FSRS): the cards due "
        "now, most overdue first, then a few new highlights in reading order. Keys: space "
        "shows the note, 1-4 rate (again, hard, good, easy), e note, # tags, s skip, "
        "S suspend, o open the article there, u undo, q end.",
        epilog="With nothing to review, the session does not open: one line says so and when "
        "the next card is due (local time). Without a terminal (stdin or stdout a pipe or a "
        "file, as in a script or a status bar) the session never opens either: one line says "
        "how many cards are due now and how many new highlights wait. Both exit with status 0; "
        "status 2 is for errors (a bad option, an unknown article, an unreadable library).",
    )
    parser.add_argument(
        "article",
        nargs="?",
        help="only this article: its file, or (part of) its title as 'readmark list' shows it",
    )
    parser.add_argument("--limit", type=_count, metavar="N", help="at most N cards in this session")
    parser.add_argument("--tag", metavar="TAG", help="only highlights with this tag")
    parser.add_argument(
        "--new",
        type=_count,
        default=None,
        metavar="N",
        help="at most N never-reviewed highlights (default 10)",
    )
    parser.add_argument(
        "--retention",
        type=_retention,
        metavar="R",
        help="desired retention, from 0.7 to 0.97 (default 0.9); remembered",
    )
    parser.add_argument(
        "--unsuspend",
        action="store_true",
        help="let suspended cards (of ARTICLE, or all) be reviewed again, then exit",
    )
    common_arguments(parser)
    return parser


def review_command(args: argparse.Namespace) -> int:
    """Start a review session in the terminal, or say in one line why there is none."""
    from reader.tui.startup import paused_collection

    with paused_collection():  # until the first card is painted (see reader.tui.startup)
        return _review(args)


def _review(args: argparse.Namespace) -> int:
    from reader.review.queue import DEFAULT_NEW
    from reader.review.scheduling import RETENTION_SETTING
    from reader.store import StoreError, StoreReadOnly, resolve_db_path

    if args.tag is not None and not args.tag.strip().lstrip("#").strip():
        raise CliError("--tag is empty; give a tag such as --tag idea")
    db = resolve_db_path(args.db)
    from reader.tui.user_config import startup_settings

    # A config file with a problem: a session opens with the defaults and says why;
    # without a session to say it in, the problem is the answer (exit 2).
    settings, problem = startup_settings()
    if problem and (args.unsuspend or not db.exists() or not on_terminal()):
        raise CliError(problem)
    retention = args.retention if args.retention is not None else settings.review_retention
    if not db.exists():
        safe_output()
        print(NOTHING_YET)  # reviewing must not create a library as a side effect
        return 0
    try:
        store = open_store(args.db, db)
    except StoreError as error:
        raise CliError(str(error)) from None
    try:
        article_id = None
        if args.article:
            article_id = find_article(store, args.article)["id"]
        if args.retention is not None:
            try:
                store.set_setting(RETENTION_SETTING, args.retention)
            except StoreReadOnly as error:
                print(
                    f"readmark: warning: the retention is used but not remembered: {error}",
                    file=sys.stderr,
                )
        if args.unsuspend:
            count = store.unsuspend_cards(article_id)
            safe_output()
            print(
                "No card was suspended."
                if count == 0
                else f"{count} card{'s' if count != 1 else ''} can be reviewed again."
            )
            return 0
        from reader.review.outlook import session_outlook
        from reader.review.session import ReviewSession

        new = settings.review_new if args.new is None else args.new
        new = DEFAULT_NEW if new is None else new
        session = ReviewSession(store, article_id=article_id, limit=args.limit, tag=args.tag,
                                new=new, desired_retention=_retention_of(store, retention))
        outlook = session_outlook(session, limit=args.limit)
        if not session.queue or not on_terminal():
            if problem:
                raise CliError(problem)
            safe_output()
            print(outlook_line(outlook, session.started,
                               scope=_scope(store, article_id, session.tag)))
            return 0
        from reader.tui.app import make_review_app

        # The session read the library once; the screen takes it as it is.
        app = make_review_app(
            store,
            article_id=article_id,
            limit=args.limit,
            tag=args.tag,
            new=new,
            desired_retention=retention,
            session=session,
            settings=settings,
            config_message=problem,
        )
        app.run()
        return app.return_code or 0
    except StoreError as error:
        raise CliError(str(error)) from None
    finally:
        store.close()


def find_article(store: Store, wanted: str) -> dict[str, Any]:
    """The article a user named: a file readmark knows, an id, or part of a title.

    Raises:
        CliError: Nothing matches, or several titles do.
    """
    if os.path.isfile(wanted):
        from reader.sources.loader import read_article

        source = read_article(wanted)
        found = store.find_article(fingerprint=source.fingerprint, path=os.path.abspath(wanted))
        if found is None:
            raise CliError(f"{wanted} has no highlights yet (open it with: readmark {wanted})")
        return found
    articles = store.articles()
    for article in articles:
        if article["id"] == wanted:
            return article
    needle = wanted.casefold().strip()
    matches = [a for a in articles if needle and needle in str(a.get("title") or "").casefold()]
    exact = [a for a in matches if str(a.get("title") or "").casefold() == needle]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    if not matches:
        raise CliError(f"no article file or title matches {wanted!r} (see: readmark list)")
    titles = ", ".join(f"“{clip(str(a.get('title')), 40)}”" for a in matches[:3])
    more = f" and {len(matches) - 3} more" if len(matches) > 3 else ""
    raise CliError(f"{wanted!r} matches {len(matches)} titles ({titles}{more}); be more precise")


def _retention_of(store: Store, given: float | None) -> float:
    """The desired retention: ``--retention``, else the remembered one, else the default."""
    from reader.review.scheduling import DEFAULT_RETENTION, RETENTION_SETTING, clamp_retention
    from reader.store import StoreError

    if given is not None:
        return clamp_retention(given)
    try:
        return clamp_retention(store.get_setting(RETENTION_SETTING, DEFAULT_RETENTION))
    except StoreError:
        return DEFAULT_RETENTION


def _scope(store: Store, article_id: str | None, tag: str | None) -> str:
    """How the line names what was asked for: "" for the whole library."""
    parts = []
    if article_id is not None:
        title = next((str(a.get("title") or "") for a in store.articles()
                      if a["id"] == article_id), "")
        parts.append(f"in “{clip(title, 40)}”" if title else "in that article")
    if tag is not None:
        parts.append(f"tagged #{tag}")
    return " ".join(parts)


def outlook_line(
    outlook: Outlook, now: datetime, *, scope: str = "", tz: tzinfo | None = None
) -> str:
    """The one line `readmark review` prints instead of opening a session.

    Args:
        outlook: What the session would hold.
        now: The current time (timezone-aware).
        scope: How to name the article or tag asked for ("" for all).
        tz: The time zone times are shown in (default: the local one).
    """
    where = f" {scope}" if scope else ""
    if outlook.highlights == 0:
        return f"No highlights{where} to review." if scope else NOTHING_YET
    if outlook.session:  # only said when there is no terminal to review them in
        parts = []
        if outlook.due:
            parts.append(f"{plural(outlook.due, 'card')} due now")
        if outlook.new:
            parts.append(plural(outlook.new, "new highlight"))
        return (f"{' and '.join(parts)} to review{where} — run readmark review in a "
                "terminal for the session.")
    extra: list[str] = []
    if outlook.due:  # an empty session only because of --limit 0
        extra.append(f"{plural(outlook.due, 'card')} due now")
    extra += waiting_clauses(outlook, now, count=plural, take_new="--new N takes them",
                             bring_back="--unsuspend brings them back", tz=tz)
    head = f"Nothing due{where} now"
    return f"{head} — {'; '.join(extra)}." if extra else f"{head}."
