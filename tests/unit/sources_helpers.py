"""For the sources tests: a web site served on 127.0.0.1, and EPUB books built with ebooklib."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "web"

#: How long the slow page keeps a client waiting (the server's own bound).
SLOW_SECONDS = 5.0


@dataclass
class Response:
    """What the site answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (the slow page)


class Site:
    """A small web site on 127.0.0.1 for the tests; nothing leaves the machine.

    ``site.pages[path] = Response(...)`` changes what a path answers; ``site.hits``
    counts the requests per path (to prove a reopening did not fetch).
    """

    def __init__(self) -> None:
        self.pages: dict[str, Response] = {}
        self.hits: dict[str, int] = {}
        self.user_agents: list[str] = []
        self._stop = threading.Event()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                site.user_agents.append(self.headers.get("User-Agent", ""))
                page = site.pages.get(self.path, Response(404, b"<h1>Not found</h1>",
                                                          {"Content-Type": "text/html"}))
                if page.delay and site._stop.wait(page.delay):
                    return
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(page.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def html(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8"
             ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Response(200, data, {"Content-Type": content_type})
        return self.url(path)

    def close(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()


def standard_site() -> Site:
    """The pages the issue names: a news article, an encyclopedia page in windows-1252,
    a blog post, a redirect, a 404, a slow page, a PDF, and a few more failures."""
    site = Site()
    site.html("/news.html", (PAGES / "news.html").read_bytes())
    # No charset from the server: the page's own <meta> says windows-1252.
    site.html("/encyclopedia.html", (PAGES / "encyclopedia.html").read_bytes(), "text/html")
    site.html("/blog.html", (PAGES / "blog.html").read_bytes())
    site.pages["/old-blog"] = Response(301, b"", {"Location": "/blog.html"})
    site.pages["/loop"] = Response(302, b"", {"Location": "/loop"})
    site.pages["/missing"] = Response(404, b"gone", {"Content-Type": "text/html"})
    site.pages["/broken"] = Response(500, b"oops", {"Content-Type": "text/html"})
    site.pages["/slow.html"] = Response(200, (PAGES / "blog.html").read_bytes(),
                                        {"Content-Type": "text/html"}, delay=SLOW_SECONDS)
    site.pages["/paper.pdf"] = Response(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
                                        {"Content-Type": "application/pdf"})
    site.pages["/photo.png"] = Response(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                                        {"Content-Type": "image/png"})
    site.html("/menus-only.html", "<!doctype html><html><head><title>Home</title></head><body>"
              "<nav><a href='/a'>A</a> <a href='/b'>B</a></nav><footer>© Site</footer>"
              "</body></html>")
    site.pages["/empty"] = Response(200, b"", {"Content-Type": "text/html"})
    site.pages["/notes.md"] = Response(200, b"# Served Notes\n\nA Markdown file on the web.\n",
                                       {"Content-Type": "text/markdown; charset=utf-8"})
    return site


def article_page(title: str, paragraphs: Sequence[str], *, author: str = "A. Writer") -> str:
    """A web page holding one article (for the tests that change a page between fetches)."""
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta name='author' content='{author}'></head><body><nav><a href='/'>Home</a>"
            f"</nav><main><article><h1>{title}</h1>{body}</article></main>"
            "<footer>© Example</footer></body></html>")


# ------------------------------------------------------------------ EPUB books
@dataclass
class Chapter:
    file: str
    title: str
    html: str


def build_epub(
    path: Path,
    chapters: Iterable[Chapter],
    toc: Callable[[dict[str, object]], list] | None = None,
    *,
    title: str = "The Harbour Book",
    authors: Sequence[str] = ("Jane Keeper",),
    nav: bool = True,
) -> Path:
    """Write an EPUB with ebooklib: EPUB 3 with a navigation document, or (``nav=False``)
    EPUB 2 style with only an NCX. ``toc`` gets the chapters by file name and returns
    the book's table of contents (default: one entry per chapter)."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-book")
    book.set_title(title)
    book.set_language("en")
    for author in authors:
        book.add_author(author)
    items: dict[str, object] = {}
    for chapter in chapters:
        item = epub.EpubHtml(title=chapter.title, file_name=chapter.file, lang="en")
        item.content = chapter.html
        book.add_item(item)
        items[chapter.file] = item
    book.toc = toc(items) if toc is not None else [
        epub.Link(name, item.title, name) for name, item in items.items()  # type: ignore[attr-defined]
    ]
    book.add_item(epub.EpubNcx())
    if nav:
        book.add_item(epub.EpubNav())
    book.spine = (["nav"] if nav else []) + list(items.values())
    epub.write_epub(str(path), book)
    return path
