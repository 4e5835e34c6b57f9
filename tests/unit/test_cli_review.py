"""`readmark review` and `readmark stats`: options, the library they read, one-line errors."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reader.annotations.records import new_record
from reader.cli.main import main
from reader.cli.review import NOTHING_YET, outlook_line
from reader.cli.stats import format_stats
from reader.review.outlook import look_ahead, session_outlook, when
from reader.review.queue import ReviewItem
from reader.review.scheduling import RETENTION_SETTING, Rating, make_scheduler, schedule
from reader.review.session import ReviewSession
from reader.review.stats import ArticleStats
from reader.sources.loader import parse_article, read_article
from reader.sources.shipped import samples_dir
from reader.store import Store


@pytest.fixture(autouse=True)
def no_real_app(monkeypatch):
    """A test that reaches the UI by mistake fails instead of hanging without a terminal."""

    def refuse(store, **options):
        raise AssertionError(f"the review app would start with {options}")

    monkeypatch.setattr("reader.tui.app.make_review_app", refuse)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"


@pytest.fixture
def library(tmp_path: Path, db: Path):
    """Two articles: "How Memory…" with three highlights (one with a note), "Tides" with one."""
    path = tmp_path / "memory.md"
    path.write_text((samples_dir() / "rich_markdown.md").read_text(encoding="utf-8"),
                    encoding="utf-8")
    with Store(db) as store:
        source = read_article(path)
        document = parse_article(source)
        article = store.upsert_article(fingerprint=source.fingerprint, path=str(path),
                                       title=document.title)
        ids = [store.add_annotation(new_record(document, article["id"], *document.sentence_span(n),
                                               note="note" if n == 9 else ""))["id"]
               for n in (8, 9, 10)]
        other = store.upsert_article(fingerprint="tides", path=str(tmp_path / "t.md"),
                                     title="Tides")
        store.add_annotation({"article_id": other["id"], "note": "", "tags": []})
    return path, article["id"], ids


def test_stats_table(library, db: Path, capsys):
    assert main(["stats", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Title", "Highlights", "Notes", "New", "Due", "today",
                                "Mastered"]
    memory = next(line for line in lines if line.startswith("How Memory"))
    assert memory.split()[-5:] == ["3", "1", "3", "0", "0"]
    assert lines[-1].split() == ["Total", "4", "1", "4", "0", "0"]


def test_stats_as_a_process(library, db: Path):
    result = subprocess.run([sys.executable, "-m", "reader", "stats", "--db", str(db)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "Tides" in result.stdout


def test_format_stats_aligns_numbers():
    rows = [ArticleStats("a", "Short", 3, 1, 2, 1, 0), ArticleStats("b", "日本語の記事", 12, 0, 0,
                                                                    10, 2)]
    lines = format_stats(rows)
    assert len({len(line.rstrip()) for line in lines[1:]}) <= 2  # wide characters count twice
    assert lines[-1].startswith("Total")


def test_without_a_library_nothing_is_created(db: Path, capsys):
    assert main(["review", "--db", str(db)]) == 0
    assert NOTHING_YET in capsys.readouterr().out
    assert main(["stats", "--db", str(db)]) == 0
    assert not db.exists()


def test_review_starts_the_app_with_its_options(library, db: Path, monkeypatch):
    path, article_id, _ = library
    started = {}

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            started["ran"] = True

    def fake_make_review_app(store, **options):
        started.update(options)
        return FakeApp()

    monkeypatch.setattr("reader.tui.app.make_review_app", fake_make_review_app)
    monkeypatch.setattr("reader.cli.review.on_terminal", lambda: True)  # as if at a terminal
    with Store(db) as store:  # something tagged #idea to review: else no session opens
        store.update_annotation(library[2][0], {"tags": ["idea"]})
    assert main(["review", str(path), "--db", str(db), "--limit", "5", "--tag", "#idea",
                 "--new", "3", "--retention", "0.85"]) == 0
    session = started.pop("session")  # made to look first, handed over (read once)
    settings = started.pop("settings")  # the config file's (none here: the defaults)
    assert (settings.exists, settings.review_new, started.pop("config_message")) == (
        False, None, None)
    assert started == {"article_id": article_id, "limit": 5, "tag": "#idea", "new": 3,
                       "desired_retention": 0.85, "ran": True}
    assert (session.article_id, session.tag, session.new_limit) == (article_id, "idea", 3)
    assert session.desired_retention == 0.85
    assert list(session.queue) == [library[2][0]]
    with Store(db) as store:
        assert store.get_setting(RETENTION_SETTING) == 0.85  # remembered
    started.clear()
    assert main(["review", "memory", "--db", str(db)]) == 0  # part of a title
    assert started["article_id"] == article_id and started["new"] == 10
    assert started["session"].desired_retention == 0.85  # remembered


@pytest.mark.parametrize(("args", "message"), [
    (["--retention", "0.5"], "choose a retention from 0.7 to 0.97"),
    (["--retention", "lots"], "not a number"),
    (["--new", "-1"], "negative"),
    (["--limit", "x"], "not a whole number"),
])
def test_bad_options_exit_2(library, db: Path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["review", "--db", str(db), *args])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(("article", "message"), [
    ("no such thing", "no article file or title matches"),
    ("e", "matches 2 titles"),
])
def test_unknown_or_ambiguous_article(library, db: Path, capsys, article, message):
    assert main(["review", article, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_an_article_file_without_highlights(library, db: Path, tmp_path: Path, capsys):
    fresh = tmp_path / "fresh.md"
    fresh.write_text("# Fresh\n\nNothing here yet.\n", encoding="utf-8")
    assert main(["review", str(fresh), "--db", str(db)]) == 2
    assert "has no highlights yet" in capsys.readouterr().err


def test_unsuspend(library, db: Path, capsys):
    _, article_id, ids = library
    with Store(db) as store:
        for hid in ids[:2]:
            store.update_card(hid, lambda card: {"suspended": True})
    assert main(["review", "--unsuspend", "--db", str(db)]) == 0
    assert "2 cards can be reviewed again." in capsys.readouterr().out
    assert main(["review", article_id, "--unsuspend", "--db", str(db)]) == 0
    assert "No card was suspended." in capsys.readouterr().out


# --------------------------------------------------------------------------- no session to open

#: A time zone far from UTC, with a half hour, so that local time is visibly used.
ZONE = "Asia/Kolkata"


def run_review(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`readmark review` with stdout and stderr piped, in a time zone far from UTC."""
    return subprocess.run([sys.executable, "-m", "reader", "review", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=60, check=False,
                          env=dict(os.environ, TZ=ZONE))


def set_due(db: Path, annotation_id: str, due: datetime) -> None:
    """Give a highlight a real FSRS card (rated good once), due at ``due``."""
    def review(current):
        card, entry = schedule(make_scheduler(), annotation_id, current, Rating.Good,
                               due - timedelta(days=3))
        card["fsrs"]["due"] = due.isoformat()
        return card, entry

    with Store(db) as store:
        store.record_review(annotation_id, review)


def all_ids(db: Path) -> list[str]:
    with Store(db) as store:
        return [ann["id"] for article in store.articles() for ann in store.annotations(
            article["id"])]


@pytest.fixture
def nothing_due(library, db: Path) -> str:
    """Every highlight reviewed: three come due tomorrow (local time), one in five days.

    Returns the line `readmark review` should print.
    """
    zone = ZoneInfo(ZONE)
    midnight = datetime.combine(datetime.now(zone).date() + timedelta(days=1),
                                datetime.min.time(), tzinfo=zone)
    dues = [midnight + timedelta(hours=13), midnight + timedelta(hours=9, minutes=12),
            midnight + timedelta(hours=23, minutes=59), midnight + timedelta(days=5)]
    for annotation_id, due in zip(all_ids(db), dues, strict=True):
        set_due(db, annotation_id, due)
    return "Nothing due now — next review due tomorrow at 09:12 (3 cards due that day)."


def test_nothing_due_at_a_terminal_is_one_line_not_the_app(nothing_due, db: Path, capsys,
                                                           monkeypatch):
    monkeypatch.setattr("reader.cli.review.on_terminal", lambda: True)
    monkeypatch.setenv("TZ", ZONE)
    time.tzset()
    try:
        assert main(["review", "--db", str(db)]) == 0  # the app would raise (no_real_app)
    finally:
        monkeypatch.undo()  # TZ as it was (and the other patches: the call is over)
        time.tzset()
    assert capsys.readouterr().out == nothing_due + "\n"


def test_nothing_due_into_a_pipe(nothing_due, db: Path):
    result = run_review(db)
    assert (result.returncode, result.stdout, result.stderr) == (0, nothing_due + "\n", "")


def read_all(fd: int, deadline: float) -> bytes:
    """What a pseudo-terminal's other end receives until the process closes it."""
    out = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the process exited and closed its end
            break
        if not chunk:
            break
        out += chunk
    return out


def run_on_a_terminal(db: Path, *, stdin_too: bool) -> tuple[int, str]:
    """Run `readmark review` with a real pseudo-terminal as stdout (and stdin)."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "review", "--db", str(db)],
        stdin=slave if stdin_too else subprocess.DEVNULL, stdout=slave,
        stderr=subprocess.PIPE, env=dict(os.environ, TZ=ZONE, TERM="xterm-256color"))
    os.close(slave)
    try:
        output = read_all(master, time.monotonic() + 30)
        code = process.wait(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()  # the app started after all: fail below, do not hang
            process.wait()
        os.close(master)
    assert process.stderr is not None
    process.stderr.close()
    return code, output.decode("utf-8", "replace")


def test_nothing_due_on_a_real_terminal_writes_no_escape_codes(nothing_due, db: Path):
    code, output = run_on_a_terminal(db, stdin_too=True)
    assert "\x1b" not in output
    assert (code, output.replace("\r\n", "\n")) == (0, nothing_due + "\n")


def test_cards_due_without_a_terminal_say_how_many_and_start_nothing(library, db: Path):
    ids = all_ids(db)
    past = datetime.now(timezone.utc) - timedelta(hours=2)
    for annotation_id in ids[:2]:
        set_due(db, annotation_id, past)
    result = run_review(db)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert result.stdout == ("2 cards due now and 2 new highlights to review — run readmark "
                             "review in a terminal for the session.\n")
    with Store(db) as store:  # looking reviewed nothing
        assert len(store.reviews()) == 2


def test_stdin_not_a_terminal_starts_nothing_either(library, db: Path):
    code, output = run_on_a_terminal(db, stdin_too=False)  # e.g. `echo | readmark review`
    assert "\x1b" not in output
    assert code == 0
    assert output.replace("\r\n", "\n") == (
        "4 new highlights to review — run readmark review in a terminal for the session.\n")


def test_the_line_without_a_terminal_never_imports_textual(library, db: Path):
    code = (
        "import sys\n"
        "from reader.cli.main import main\n"
        f"status = main(['review', '--db', {str(db)!r}])\n"
        "print(status, any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 False"


def test_an_empty_library_at_a_terminal_is_one_line(db: Path, capsys, monkeypatch):
    monkeypatch.setattr("reader.cli.review.on_terminal", lambda: True)
    Store(db).close()
    assert main(["review", "--db", str(db)]) == 0
    assert capsys.readouterr().out == NOTHING_YET + "\n"


def test_scope_and_new_highlights_left_out_are_named(library, db: Path, capsys, monkeypatch):
    monkeypatch.setattr("reader.cli.review.on_terminal", lambda: True)
    assert main(["review", "memory", "--new", "0", "--db", str(db)]) == 0
    assert capsys.readouterr().out == (
        "Nothing due in “How Memory Consolidates During Sleep” now — 3 new highlights wait "
        "(--new N takes them).\n")
    assert main(["review", "--tag", "#nope", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "No highlights tagged #nope to review.\n"


def test_only_suspended_cards(library, db: Path, capsys, monkeypatch):
    monkeypatch.setattr("reader.cli.review.on_terminal", lambda: True)
    with Store(db) as store:
        for annotation_id in all_ids(db):
            store.update_card(annotation_id, lambda card: {"suspended": True})
    assert main(["review", "--db", str(db)]) == 0
    assert capsys.readouterr().out == (
        "Nothing due now — 4 suspended cards (--unsuspend brings them back).\n")


def test_help_documents_the_one_line_and_the_exit_status(capsys):
    with pytest.raises(SystemExit):
        main(["review", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Without a terminal" in text and "status 0" in text and "status 2" in text


# --------------------------------------------------------------------------- the line itself

UTC = timezone.utc
NOW = datetime(2025, 3, 12, 22, 30, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(("moment", "zone", "expected"), [
    (NOW + timedelta(minutes=10), UTC, "today at 22:40"),
    (NOW + timedelta(hours=2), UTC, "tomorrow at 00:30"),
    (NOW + timedelta(hours=2), ZoneInfo("America/New_York"), "today at 20:30"),
    (NOW + timedelta(days=2), UTC, "on Friday at 22:30"),
    (NOW + timedelta(days=12), UTC, "on Mon 24 Mar at 22:30"),
    (NOW + timedelta(days=300), UTC, "on Tue 6 Jan 2026 at 22:30"),
])
def test_when(moment, zone, expected):
    assert when(moment, NOW, zone) == expected


def item(key: str, due: datetime | None = None, *, suspended: bool = False) -> ReviewItem:
    card = None if due is None else {"fsrs": {"due": due.isoformat()}}
    if suspended:
        card = (card or {}) | {"suspended": True}
    return ReviewItem(record={"id": key, "article_id": "a"}, card=card)


def test_look_ahead_counts():
    items = [item("d1", NOW - timedelta(days=1)), item("d2", NOW),
             item("l1", NOW + timedelta(days=2)), item("l2", NOW + timedelta(hours=1)),
             item("n1"), item("n2"), item("n3"), item("s", NOW - timedelta(days=1),
                                                      suspended=True)]
    outlook = look_ahead(items, NOW, new=1)
    assert (outlook.highlights, outlook.session, outlook.due, outlook.new,
            outlook.waiting_new, outlook.suspended) == (8, 3, 2, 1, 2, 1)
    assert outlook.later == (NOW + timedelta(hours=1), NOW + timedelta(days=2))
    assert outlook.next_due == NOW + timedelta(hours=1)
    limited = look_ahead(items, NOW, limit=0)
    assert (limited.session, limited.due) == (0, 2)  # due whatever the limit
    assert outlook_line(limited, NOW, tz=UTC).startswith("Nothing due now — 2 cards due now; ")


@pytest.mark.parametrize(("limit", "new"), [(None, 10), (None, 0), (None, 1), (2, 10), (0, 10),
                                            (1, 3), (5, 1)])
def test_the_outlook_counts_the_session_that_would_open(library, db: Path, limit, new):
    ids = all_ids(db)
    set_due(db, ids[0], datetime.now(timezone.utc) - timedelta(days=1))
    set_due(db, ids[1], datetime.now(timezone.utc) - timedelta(minutes=5))
    set_due(db, ids[2], datetime.now(timezone.utc) + timedelta(days=2))
    with Store(db) as store:
        session = ReviewSession(store, limit=limit, new=new)
        outlook = session_outlook(session, limit=limit)
    assert outlook.session == len(session.queue)
    assert outlook.new == sum(1 for key in session.queue if session.items[key].is_new)
    assert (outlook.due, outlook.highlights, len(outlook.later)) == (2, 4, 1)


def test_the_line_counts_the_cards_of_the_next_day_only():
    items = [item("a", NOW + timedelta(hours=2)), item("b", NOW + timedelta(hours=20)),
             item("c", NOW + timedelta(hours=30)), item("d", NOW + timedelta(days=1))]
    outlook = look_ahead(items, NOW)
    # 00:30, 18:30 and 22:30 on the 13th; 04:30 on the 14th is another day
    assert outlook_line(outlook, NOW, tz=UTC) == (
        "Nothing due now — next review due tomorrow at 00:30 (3 cards due that day).")
    one = look_ahead(items[:1], NOW)
    assert outlook_line(one, NOW, tz=UTC) == (
        "Nothing due now — next review due tomorrow at 00:30 (1 card due that day).")
