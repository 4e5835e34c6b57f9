"""reader.review.library: the library's rows from articles, positions and digests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from reader.review.library import (
    filter_rows,
    library_digest,
    library_rows,
    site_of,
    sort_rows,
    total_due,
)

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)


def card(due: datetime, *, suspended: bool = False) -> dict:
    return {"fsrs": {"due": due.isoformat()}, "suspended": suspended}


def test_digest_counts_notes_new_and_due_times():
    annotations = [{"id": "a", "note": "yes"}, {"id": "b", "note": "  "}, {"id": "c"},
                   {"id": "d", "note": 7}]
    cards = {"a": card(NOW + timedelta(days=2)), "b": card(NOW - timedelta(hours=1)),
             "c": card(NOW, suspended=True)}
    digest = library_digest("x", annotations, cards)
    assert digest == {"highlights": 4, "notes": 1, "new": 1,
                      "due": sorted([int((NOW + timedelta(days=2)).timestamp()),
                                     int((NOW - timedelta(hours=1)).timestamp())])}


ARTICLES = [
    {"id": "1", "title": "Lighthouses", "path": "/here/light.md", "author": "R. Coase",
     "words": 4600, "last_opened": "2025-03-09T10:00:00+00:00"},
    {"id": "2", "title": "Sleep", "path": "/gone/sleep.md",
     "last_opened": "2025-03-01T10:00:00+00:00", "archived": True},
    {"id": "3", "title": "A web essay", "path": "/snap/essay.md",
     "url": "https://www.example.org/essays/1", "last_opened": "2025-02-01T10:00:00+00:00"},
    {"id": "4", "title": "", "path": ""},
]


def rows():
    digests = {
        "1": {"highlights": 12, "notes": 4, "new": 2,
              "due": [int((NOW - timedelta(days=1)).timestamp()),
                      int((NOW + timedelta(days=1)).timestamp())]},
        "3": {"highlights": 1, "notes": 0, "new": 0,
              "due": [int((NOW - timedelta(days=3)).timestamp())] * 3},
    }
    positions = {"1": {"line": 3, "percent": 37}, "2": {"line": 1}, "3": {"percent": 140}}
    return library_rows(ARTICLES, positions, digests, NOW,
                        exists=lambda path: path.startswith(("/here", "/snap")))


def test_rows_carry_what_the_library_shows():
    light, sleep, web, untitled = rows()
    assert (light.title, light.byline, light.percent, light.words, light.highlights,
            light.notes, light.due, light.new) == ("Lighthouses", "R. Coase", 37, 4600, 12, 4,
                                                   1, 2)
    assert light.last_opened == datetime(2025, 3, 9, 10, tzinfo=timezone.utc)
    assert not light.missing and not light.archived and not light.web
    assert sleep.missing and sleep.archived and sleep.percent is None and sleep.due == 0
    assert web.web and web.byline == "example.org" and web.percent == 100 and web.due == 3
    assert untitled.title == "(untitled)" and untitled.missing and untitled.last_opened is None


def test_sorting_filtering_and_archived_rows():
    all_rows = rows()
    assert [r.article_id for r in sort_rows(all_rows, "opened")] == ["1", "2", "3", "4"]
    assert [r.title for r in sort_rows(all_rows, "title")] == [
        "(untitled)", "A web essay", "Lighthouses", "Sleep"]
    assert [r.article_id for r in sort_rows(all_rows, "progress")][:2] == ["3", "1"]
    assert [r.article_id for r in sort_rows(all_rows, "due")][:2] == ["3", "1"]
    assert [r.article_id for r in filter_rows(all_rows, "")] == ["1", "3", "4"]
    assert [r.article_id for r in filter_rows(all_rows, "", show_archived=True)] == [
        "1", "2", "3", "4"]
    assert [r.article_id for r in filter_rows(all_rows, "EXAMPLE essay")] == ["3"]
    assert [r.article_id for r in filter_rows(all_rows, "coase")] == ["1"]
    assert filter_rows(all_rows, "sleep") == []  # archived
    assert total_due(all_rows) == 4


def test_site_of():
    assert site_of("https://www.example.org/x") == "example.org"
    assert site_of("") == "" and site_of("not a url") == ""
