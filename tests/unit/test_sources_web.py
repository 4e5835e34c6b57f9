"""Web articles from a site served on 127.0.0.1: what is kept, what is left out, how it fails."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from reader.cli.main import main
from reader.sources.loader import ArticleError
from reader.sources.snapshots import read_front_matter
from reader.sources.web import USER_AGENT, fetch
from tests.unit.sources_helpers import PAGES, Response, article_page, standard_site


@pytest.fixture(scope="module")
def site():
    served = standard_site()
    yield served
    served.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library" / "readmark.json"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def snapshots(db: Path) -> list[Path]:
    folder = db.parent / "snapshots"
    return sorted(folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------- what is kept
NEWS_KEPT = [
    "Rivers across three continents have warmed by an average of half a degree",
    "weeks earlier than it did in the 1990s.",
    "Snow-fed rivers warmed the most.",
    "Warmer water holds less oxygen, and fish feel that first.",
    "Trout and salmon need cold water to breed.",
    "[image: A river in spring flood]",
    "The authors call for more stations in the tropics, where data are scarce.",
]
NEWS_LEFT_OUT = ["We use cookies", "Accept all cookies", "ADVERTISEMENT", "SuperPhone",
                 "Get our science newsletter", "Sign up to receive", "Subscribe",
                 "Related stories", "Glaciers retreat", "Comments (42)", "First! This is fake",
                 "Great article, thanks", "All rights reserved", "Privacy policy", "Sport"]


def test_a_news_article_without_its_page(site, db, capsys):
    code, markdown, err = cli(capsys, "text", "--markdown", site.url("/news.html"), "--db",
                              str(db))
    assert code == 0, err
    meta = read_front_matter(markdown)
    assert meta["title"] == "Rivers Are Running Warmer, Study Finds"
    assert meta["author"] == "Maria Okafor"
    assert meta["date"] == "2024-05-14"
    assert meta["site"] == "The Daily Current"
    assert meta["url"] == "https://news.example.org/science/rivers-warmer"  # the canonical one
    assert meta["origin"] == site.url("/news.html")
    assert "[weeks earlier than it did](https://journal.example.org/paper)" in markdown
    assert "| Snow-fed | 0.8 |" in markdown
    code, text, _ = cli(capsys, "text", site.url("/news.html"), "--db", str(db))
    for line in NEWS_KEPT:
        assert line in text
    for line in NEWS_LEFT_OUT:
        assert line not in text, line
    code, outline, _ = cli(capsys, "outline", site.url("/news.html"), "--db", str(db))
    assert outline.splitlines() == ["Rivers Are Running Warmer, Study Finds",
                                    "  What the measurements show", "  Why it matters"]


ENCYCLOPEDIA_KEPT = [
    "The Lighthouse of Alexandria, sometimes called the Pharos of Alexandria, was a lighthouse",
    "Ptolemy II Philadelphus. It stood on the island of Pharos",  # no [1] between them
    "Sailors saw it from far out at sea – the cafés of the harbour",  # windows-1252
    "The tower was designed by Sostratus of Cnidus.",
    "The top stage held the fire.",
    "Clayton, Peter (1990). The Seven Wonders of the Ancient World. p. 138.",
]
ENCYCLOPEDIA_LEFT_OUT = ["[edit]", "edit]", "Edit section", "[1]", "[2]", "[3]", "^ ",
                         "Jump to content", "Navigation menu", "Random article", "Donate",
                         "From the Free Encyclopedia", "Categories:", "last edited",
                         "Privacy policy", "tocnumber", "1 Origin"]


@pytest.mark.parametrize("path", ["/encyclopedia.html", "/encyclopedia-header.html"])
def test_an_encyclopedia_page_in_windows_1252(site, db, capsys, path):
    if path == "/encyclopedia-header.html":  # the charset from the server instead
        data = (PAGES / "encyclopedia.html").read_bytes().replace(b"charset=windows-1252", b"")
        site.html(path, data, "text/html; charset=windows-1252")
    code, text, err = cli(capsys, "text", site.url(path), "--db", str(db))
    assert code == 0, err
    for line in ENCYCLOPEDIA_KEPT:
        assert line in text
    for line in ENCYCLOPEDIA_LEFT_OUT:
        assert line not in text, line
    code, outline, _ = cli(capsys, "outline", site.url(path), "--db", str(db))
    assert outline.splitlines() == ["Lighthouse of Alexandria", "  Origin", "  Structure",
                                    "  References"]  # no empty "Contents" heading
    meta = read_front_matter(snapshots(db)[0].read_text(encoding="utf-8"))
    assert meta["title"] == "Lighthouse of Alexandria"
    assert meta["site"] == "The Free Encyclopedia"


def test_a_blog_post_through_a_redirect(site, db, capsys):
    code, markdown, err = cli(capsys, "text", "--markdown", site.url("/old-blog"), "--db",
                              str(db))
    assert code == 0, err
    meta = read_front_matter(markdown)
    assert meta["title"] == "Notes on Slow Reading"
    assert meta["author"] == "Ana Lima"
    assert meta["url"] == site.url("/blog.html")  # where the page was found
    assert meta["origin"] == site.url("/old-blog")  # what was asked for (and is refreshed)
    assert "```python\ndef week(essay):\n    return read(read(essay))\n```" in markdown
    code, text, _ = cli(capsys, "text", site.url("/old-blog"), "--db", str(db))
    for line in ["For a year now I have read one long essay a week", "1. Read it once",
                 "I remember fewer articles, but I remember them better."]:
        assert line in text or line.split(". ", 1)[-1] in text
    for line in ["Share on Twitter", "Powered by", "Posted by", "6 min read", "Archive", "RSS"]:
        assert line not in text, line
    code, outline, _ = cli(capsys, "outline", site.url("/old-blog"), "--db", str(db))
    assert outline.splitlines() == ["Notes on Slow Reading", "  The rule", "  What changed"]


def test_a_markdown_file_served_as_text_is_read_as_markdown(site, db, capsys):
    code, outline, err = cli(capsys, "outline", site.url("/notes.md"), "--db", str(db))
    assert code == 0, err
    assert outline.splitlines() == ["Served Notes"]


KEEPERS_LOG = """The Keeper's Log

The keeper climbed the stairs each night at dusk and lit the lamp. He wrote
the weather in a book, and the ships that passed, and the state of the sea.

WINTER

In winter the storms came from the west and the lamp burned until morning.
Some nights no ship passed at all, and he wrote that down too.
"""


def test_a_plain_text_article_is_kept_with_front_matter_and_read_as_plain_text(site, db,
                                                                              capsys):
    from reader.document.plaintext import parse_plaintext

    url = site.url("/log.txt")
    site.pages["/log.txt"] = Response(200, KEEPERS_LOG.encode(),
                                      {"Content-Type": "text/plain; charset=utf-8"})
    assert cli(capsys, "add", url, "--db", str(db))[0] == 0
    [snapshot] = snapshots(db)
    meta = read_front_matter(snapshot.read_text(encoding="utf-8"))
    assert meta["url"] == url and meta["origin"] == url and meta["kind"] == "web"
    assert meta["format"] == "plain"
    # Read as plain text still: the same text, headings and title as the file alone.
    alone = parse_plaintext(KEEPERS_LOG, "log.txt")
    code, text, err = cli(capsys, "text", url, "--db", str(db))
    assert code == 0, err
    assert text.split() == alone.text.split()
    local = db.parent.parent / "log.txt"
    local.write_text(KEEPERS_LOG, encoding="utf-8")
    outline = cli(capsys, "outline", url, "--db", str(db))[1]
    assert outline == cli(capsys, "outline", str(local), "--db", str(db))[1]
    assert outline.splitlines()[0] == "The Keeper's Log" and "WINTER" in outline
    assert "The Keeper's Log" in cli(capsys, "list", "--db", str(db))[1]
    # Known by its title: refreshed by it.
    site.pages["/log.txt"] = Response(200, KEEPERS_LOG.replace("at dusk", "at six").encode(),
                                      {"Content-Type": "text/plain; charset=utf-8"})
    code, out, err = cli(capsys, "refresh", "The Keeper's Log", "--db", str(db))
    assert code == 0, err
    assert out.startswith(f"refreshed “The Keeper's Log” ({url})")
    assert "each night at six" in cli(capsys, "text", url, "--db", str(db))[1]


def test_a_text_article_without_a_title_line_is_named_by_its_address(site, db, capsys):
    url = site.url("/untitled.txt")
    first = "this first line runs on and on like a paragraph, far too long to be a title " * 2
    site.pages["/untitled.txt"] = Response(200, (first + "\n\nAnd more.\n").encode(),
                                           {"Content-Type": "text/plain"})
    assert cli(capsys, "add", url, "--db", str(db))[0] == 0
    [snapshot] = snapshots(db)
    assert read_front_matter(snapshot.read_text(encoding="utf-8"))["title"] == url
    assert url in cli(capsys, "list", "--db", str(db))[1]


def test_a_markdown_article_keeps_its_own_front_matter_and_gains_readmarks(site, db, capsys):
    url = site.url("/fm.md")
    served = "---\ntitle: Tide Tables\ntags: [sea, tides]\n---\n\n# Tides\n\nHigh water at six.\n"
    site.pages["/fm.md"] = Response(200, served.encode(), {"Content-Type": "text/markdown"})
    assert cli(capsys, "add", url, "--db", str(db))[0] == 0
    [snapshot] = snapshots(db)
    kept = snapshot.read_text(encoding="utf-8")
    meta = read_front_matter(kept)
    assert meta["title"] == "Tide Tables" and meta["tags"] == "[sea, tides]"
    assert meta["origin"] == url and meta["kind"] == "web" and "format" not in meta
    assert kept.endswith("---\n\n# Tides\n\nHigh water at six.\n")
    served_notes = cli(capsys, "text", "--markdown", site.url("/notes.md"), "--db", str(db))[1]
    assert read_front_matter(served_notes)["title"] == "Served Notes"


def test_reopening_a_url_reads_its_snapshot_without_the_network(db, capsys):
    from tests.unit.sources_helpers import Site

    own = Site()
    url = own.html("/story.html", article_page("A Story", ["It began at the harbour. " * 20]))
    try:
        assert cli(capsys, "add", url, "--db", str(db))[0] == 0
    finally:
        own.close()  # nothing listens there any more
    assert own.hits == {"/story.html": 1}
    assert own.user_agents[0] == USER_AGENT and USER_AGENT.startswith("readmark/")
    code, outline, err = cli(capsys, "outline", url, "--db", str(db))
    assert code == 0, err
    assert outline.splitlines() == ["A Story"]
    code, listing, _ = cli(capsys, "list", "--db", str(db))
    assert "A Story" in listing


# ----------------------------------------------------------------- what fails, and how
def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


FAILURES = [
    ("/missing", "the server answered 404"),
    ("/broken", "the server answered 500"),
    ("/loop", "too many redirects"),
    ("/paper.pdf", "is a PDF (application/pdf), not a web page"),
    ("/photo.png", "is an image (image/png), not a web page"),
    ("/menus-only.html", "no article found in the page"),
    ("/empty", "the server sent an empty page"),
    ("/slow.html", "timed out after 0.5 s"),
    ("refused", "the connection was refused"),
    ("tls", "a secure connection could not be made"),
]


def _failing_url(site, what: str) -> str:
    if what == "refused":
        return f"http://127.0.0.1:{_closed_port()}/article.html"
    if what == "tls":  # https to a server that speaks plain http
        return site.url("/news.html").replace("http://", "https://")
    return site.url(what)


@pytest.mark.parametrize(("what", "reason"), FAILURES, ids=[f[0] for f in FAILURES])
@pytest.mark.parametrize("command", ["text", "add", "outline"])
def test_a_failure_is_one_line_exit_2_and_leaves_nothing(site, db, capsys, monkeypatch, what,
                                                         reason, command):
    monkeypatch.setenv("READMARK_FETCH_TIMEOUT", "0.5")
    url = _failing_url(site, what)
    code, out, err = cli(capsys, command, url, "--db", str(db))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"readmark: {url}: ") and reason in lines[0]
    assert "Traceback" not in err and out == ""
    assert snapshots(db) == []  # no partial snapshot (nor a temporary file)
    if db.exists():  # add opened the library: nothing was added to it
        assert cli(capsys, "list", "--db", str(db))[1].startswith("No articles yet")


def test_the_reader_itself_refuses_a_bad_url_in_one_line(site, tmp_path):
    db = tmp_path / "lib" / "readmark.json"
    result = subprocess.run([sys.executable, "-m", "reader", site.url("/paper.pdf"), "--db",
                             str(db)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"readmark: {site.url('/paper.pdf')}: is a PDF (application/pdf), not a web page"]
    assert not (db.parent / "snapshots").exists() or not any((db.parent / "snapshots").iterdir())
    assert not db.exists()


def test_no_such_host():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with pytest.raises(ArticleError, match="no such host"):
        fetch("https://no-such-host.invalid/", transport=httpx.MockTransport(refuse))


def test_a_page_over_the_cap_is_refused_without_reading_it_all():
    sent: list[int] = []

    def endless():
        for _ in range(1000):
            sent.append(1)
            yield b"<p>" + b"x" * 1000 + b"</p>"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=endless())

    with pytest.raises(ArticleError, match="too large"):
        fetch("https://example.test/long", max_bytes=20_000, transport=httpx.MockTransport(answer))
    assert len(sent) < 100  # it stopped soon after the cap

    def declared(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html",
                                            "Content-Length": str(60 * 2**20)}, content=b"")

    with pytest.raises(ArticleError, match=r"too large \(63 MB; the limit is 50 MB\)"):
        fetch("https://example.test/huge", transport=httpx.MockTransport(declared))


# ----------------------------------------------------------------- add and refresh
def test_add_says_what_was_added_and_why_not(site, db, capsys):
    code, out, err = cli(capsys, "add", site.url("/news.html"), site.url("/missing"),
                         str(PAGES / "blog.html"), "--db", str(db))
    assert code == 2
    assert out.splitlines() == [
        f"added “Rivers Are Running Warmer, Study Finds” (web page: {site.url('/news.html')})",
        f"added “Notes on Slow Reading” (saved page: {PAGES / 'blog.html'})",
    ]
    assert err.splitlines() == [
        f"readmark: {site.url('/missing')}: the server answered 404 Not Found",
        "added 2 articles; 1 could not be added",
    ]
    code, out, _ = cli(capsys, "add", site.url("/news.html"), "--db", str(db))
    assert code == 0
    assert out.startswith("already in the library: “Rivers Are Running Warmer, Study Finds”")
    listing = cli(capsys, "list", "--db", str(db))[1]
    assert "Rivers Are Running Warmer" in listing and "Notes on Slow Reading" in listing


def test_list_shows_where_each_article_came_from_not_its_snapshot(site, db, capsys):
    url = site.url("/news.html")
    assert cli(capsys, "add", url, str(PAGES / "blog.html"), "--db", str(db))[0] == 0
    rows = {line.split("  ")[0]: line for line in cli(capsys, "list", "--db", str(db))[1]
            .splitlines()[1:]}
    news, blog = rows["Rivers Are Running Warmer, Study Finds"], rows["Notes on Slow Reading"]
    assert url in news and str(PAGES / "blog.html") in blog
    assert all("snapshots" not in row and "(missing)" not in row for row in (news, blog))
    for snapshot in snapshots(db):  # the text readmark reads is gone: said so
        snapshot.unlink()
    rows = cli(capsys, "list", "--db", str(db))[1].splitlines()[1:]
    assert all("(missing)" in row for row in rows)


def test_the_w3c_export_of_a_web_article_targets_its_address_and_imports_back(site, tmp_path,
                                                                             capsys):
    import json

    url = site.html("/harbour-notes.html", article_page("Harbour Notes", FIRST))
    first, second = tmp_path / "one" / "readmark.json", tmp_path / "two" / "readmark.json"
    assert cli(capsys, "add", url, "--db", str(first))[0] == 0
    assert cli(capsys, "highlight", url, "--quote", "Storms came from the west", "--note",
               "every autumn", "--db", str(first))[0] == 0
    exported = tmp_path / "notes.json"
    code, _, err = cli(capsys, "export", url, "--format", "json", "-o", str(exported), "--db",
                       str(first))
    assert code == 0, err
    [annotation] = json.loads(exported.read_text(encoding="utf-8"))["first"]["items"]
    assert annotation["target"]["source"] == url
    assert annotation["target"]["readmark:fingerprint"]  # readmark's text, named too

    # Another library holds the page as it is now (a different text, so another
    # fingerprint): the annotations find it by its address.
    site.html("/harbour-notes.html", article_page("Harbour Notes", [*FIRST, "A new pier."]))
    assert cli(capsys, "add", url, "--db", str(second))[0] == 0
    code, _, err = cli(capsys, "import", str(exported), "--db", str(second))
    assert code == 0, err
    exported_again = cli(capsys, "export", url, "--db", str(second), "--no-timestamp")[1]
    assert "> Storms came from the west" in exported_again and "every autumn" in exported_again
    assert "Detached" not in exported_again


FIRST = ["The harbour master counted the ships each morning at six.",
         "Storms came from the west in the autumn months and closed the port.",
         "A new lighthouse was finished in the spring of that year."]
SECOND = ["The harbour master counted the ships each morning at seven.",
          "Storms came from the west in the autumn months and closed the port."]


def test_refresh_replaces_the_snapshot_and_reanchors_the_highlights(site, db, capsys):
    url = site.html("/changing.html", article_page("Harbour Notes", FIRST))
    assert cli(capsys, "add", url, "--db", str(db))[0] == 0
    for quote in ("Storms came from the west", "A new lighthouse was finished"):
        code, _, err = cli(capsys, "highlight", url, "--quote", quote, "--db", str(db))
        assert code == 0, err
    before = {p.name: p.read_text(encoding="utf-8") for p in snapshots(db)}

    code, out, _ = cli(capsys, "refresh", url, "--db", str(db))
    assert code == 0 and out.startswith("unchanged: “Harbour Notes”")
    assert {p.name: p.read_text(encoding="utf-8") for p in snapshots(db)} == before

    site.html("/changing.html", article_page("Harbour Notes", SECOND))
    code, out, err = cli(capsys, "refresh", url, "--db", str(db))
    assert code == 0, err
    assert out.splitlines() == [
        f"refreshed “Harbour Notes” ({url})",
        "1 highlight found in the new text, 1 detached",
        "  detached: “A new lighthouse was finished”",
    ]
    text = cli(capsys, "text", url, "--db", str(db))[1]
    assert "at seven." in text and "lighthouse" not in text
    exported = cli(capsys, "export", url, "--db", str(db), "--no-timestamp")[1]
    assert "> Storms came from the west" in exported
    assert "Detached highlights" in exported and "A new lighthouse was finished" in exported
    # Refreshing by the article's title finds the same URL.
    site.pages["/changing.html"] = Response(500, b"down", {"Content-Type": "text/html"})
    code, out, err = cli(capsys, "refresh", "Harbour Notes", "--db", str(db))
    assert code == 2 and err.strip() == f"readmark: {url}: the server answered 500 " \
                                        "Internal Server Error"
    assert "at seven." in cli(capsys, "text", url, "--db", str(db))[1]  # the snapshot stayed


def test_refresh_of_a_plain_file_says_there_is_nothing_to_refresh(db, capsys, article_path):
    code, _, err = cli(capsys, "refresh", str(article_path), "--db", str(db))
    assert code == 2 and "nothing to refresh" in err
