"""Sources benchmark: how fast readmark opens web pages, saved pages, EPUB books and stored URLs.

    python bench/bench_sources.py            # the full run (a few minutes)
    python bench/bench_sources.py --quick    # 2 repetitions instead of 5

It generates, in a temporary folder: a 1 MB saved web page (menus, footer and a
long article), a 5 MB EPUB book (the .epub file's size; chapters of generated
text), 100 saved pages of 20–60 KB, and serves a 1 MB page from a local HTTP
server on 127.0.0.1. Each figure is measured as a whole process, with a fresh
library each time, the first screen read from a detached 100x30 tmux session as
``bench_reading.py`` does:

* ``readmark PAGE.html``: the first full screen on the first opening (the page is
  extracted then), and on a later one (its snapshot is read);
* ``readmark BOOK.epub``: first screen and the whole book ready, first opening;
* ``readmark add`` of the 100 saved pages;
* reopening a stored URL (the server stopped: no network) against opening a
  Markdown file of the same size (a copy of the snapshot);
* which of trafilatura, httpx, ebooklib and lxml a Markdown file's opening imports
  (none may be).
"""

from __future__ import annotations

import argparse
import http.server
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import bench_reading  # noqa: E402
from bench_reading import (  # noqa: E402
    HEIGHT,
    ROOT,
    WIDTH,
    Article,
    Bench,
    Launch,
    Row,
    Samples,
    Tmux,
    child_environment,
    print_table,
    readmark_first,
    readmark_ready,
)
from generate_article import WORDS  # noqa: E402

LAZY = ("trafilatura", "httpx", "ebooklib", "lxml")


def _cpu_with_children(pid: int) -> float | None:
    """User and system CPU seconds of ``pid`` and of its children, finished or not (the
    child converting a page or a book on its first opening may still be writing the
    rest of it when the first screen is up)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(value) for value in fields[11:15])  # its own, and its waited children's
    for child in _live_children(pid):
        try:
            ticks += sum(int(v) for v in Path(f"/proc/{child}/stat").read_text()
                         .rsplit(")", 1)[1].split()[11:13])
        except OSError:
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def _live_children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_live_children(child)]
    return found


bench_reading.process_cpu_seconds = _cpu_with_children  # what Bench.watch records


# ------------------------------------------------------------------ generated sources
def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.15:
        at = rng.randrange(len(words))
        words[at] = f'<a href="/wiki/{words[at]}">{words[at]}</a>'
    return " ".join(words) + rng.choice("....?!")


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 7)))


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(2, 5)))


def article_html(size: int, seed: int, title: str) -> str:
    """Paragraphs, headings and lists of about ``size`` characters, as HTML."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    count = 0
    while total < size:
        count += 1
        if count % 9 == 0:
            piece = f"<h2>{_title(rng)}</h2>"
        elif count % 13 == 0:
            piece = "<ul>" + "".join(f"<li>{_sentence(rng)}</li>" for _ in range(4)) + "</ul>"
        else:
            piece = f"<p>{_paragraph(rng)}</p>"
        parts.append(piece)
        total += len(piece)
    return f"<h1>{title}</h1>\n" + "\n".join(parts)


def web_page(size: int, seed: int = 3) -> tuple[str, str]:
    """A saved web page of about ``size`` bytes, and its title."""
    rng = random.Random(seed)
    title = _title(rng)
    nav = "".join(f'<li><a href="/{w}">{w.capitalize()}</a></li>' for w in WORDS[:20])
    body = article_html(size - 3000, seed, title)
    page = (f'<!doctype html><html><head><meta charset="utf-8"><title>{title} | The Bench '
            f'Gazette</title><meta name="author" content="Bench Writer"></head><body>'
            f'<header><nav><ul>{nav}</ul></nav></header><div class="cookie-banner">We use '
            f"cookies.</div><main><article>{body}</article></main><aside class=\"related\">"
            f"<h3>Related</h3><ul>{nav}</ul></aside><footer><p>© The Bench Gazette</p>"
            f"</footer></body></html>")
    return page, title


def epub_book(path: Path, text_size: int, file_size: int, seed: int = 5) -> int:
    """An EPUB with ``text_size`` characters of chapters, padded with illustrations to about
    ``file_size`` bytes on disk (text compresses well, pictures do not).
    Returns the characters of XHTML written."""
    from ebooklib import epub

    rng = random.Random(seed)
    book = epub.EpubBook()
    book.set_identifier(f"bench-{seed}")
    book.set_title("The Generated Book")
    book.set_language("en")
    book.add_author("Bench Writer")
    chapters = []
    toc = []
    written = packed = 0
    number = 0
    while written < text_size:
        number += 1
        name = f"Chapter {number}: {_title(rng)}"
        html = article_html(60_000, seed * 1000 + number, name)
        html += f'<p><img src="../images/plate{number:03}.jpg" alt="Plate {number}"/></p>'
        chapter = epub.EpubHtml(title=name, file_name=f"text/ch{number:03}.xhtml", lang="en")
        chapter.content = html
        book.add_item(chapter)
        chapters.append(chapter)
        toc.append(epub.Link(chapter.file_name, name, f"ch{number}"))
        written += len(html)
        packed += len(zlib.compress(html.encode("utf-8"), 6))
    pictures = max(0, file_size - packed)
    for index in range(1, number + 1):
        book.add_item(epub.EpubItem(uid=f"plate{index}", file_name=f"images/plate{index:03}.jpg",
                                    media_type="image/jpeg",
                                    content=rng.randbytes(pictures // number)))
    book.toc = toc
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = chapters
    epub.write_epub(str(path), book)
    return written


# ------------------------------------------------------------------ a local server
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = lambda *a, **k: _Quiet(*a, directory=str(folder), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ------------------------------------------------------------------ measures
class SourcesBench(Bench):
    def argv(self, target: str, db: Path) -> list[str]:
        return [self.python, "-m", "reader", target, "--db", str(db)]

    def launch(self, target: str, snippet: str, db: Path) -> Launch:
        article = Article("", "markdown", 0, Path(target), snippet)
        return self.watch(self.argv(target, db), readmark_first(article, at_start=True),
                          readmark_ready, "-m reader")

    def first_screens(self, what: str, label: str, target: str, snippet: str, reps: int,
                      *, limit: float | None, ready_limit: float | None = None,
                      keep_db: bool = False) -> Samples:
        first, ready, cpu = Samples(limit=self.args.timeout), Samples(), Samples()
        template = self.fresh_db() if keep_db else None
        if template is not None:  # opened once, untimed: the snapshot exists from then on
            self.launch(target, snippet, template)
        for rep in range(reps):
            db = self.fresh_db(template) if template is not None else self.fresh_db()
            launch = self.launch(target, snippet, db)
            first.add(launch.first)
            ready.add(launch.ready)
            if launch.cpu_first is not None:
                cpu.add(launch.cpu_first)
            self.log(f"  {label} {what} {rep + 1}/{reps}: first screen "
                     f"{_s(launch.first)}, ready {_s(launch.ready)}"
                     + (f"  [{launch.error}]" if launch.error else ""))
            if rep == 0:
                self.screens[f"{what}, {label}"] = launch.first_screen
        self.rows.append(Row(what, label, "s", first,
                             target=f"≤ {limit} s" if limit else "",
                             passed=None if limit is None else first.median <= limit))
        if cpu.ok:
            self.rows.append(Row("(info) CPU time to first screen", label, "s", cpu,
                                 note="user+sys, with the converting child; less sensitive "
                                 "to a busy machine"))
        if ready_limit is not None:
            self.rows.append(Row(what.replace("first screen", "whole article ready"), label,
                                 "s", ready, target=f"≤ {ready_limit} s",
                                 passed=ready.median <= ready_limit))
        return first

    def add_many(self, pages: list[Path], reps: int) -> None:
        samples = Samples()
        for rep in range(reps):
            db = self.fresh_db()
            started = time.perf_counter()
            result = subprocess.run([self.python, "-m", "reader", "add", *map(str, pages),
                                     "--db", str(db)], cwd=ROOT, env=self.env,
                                    capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
            added = result.stdout.count("added “")
            samples.add(elapsed if result.returncode == 0 else None)
            self.log(f"  add {len(pages)} pages {rep + 1}/{reps}: {elapsed:.2f} s, "
                     f"{added} added, exit {result.returncode}")
        self.rows.append(Row(f"readmark add, {len(pages)} saved pages", "20–60 KB each", "s",
                             samples, target="≤ 30 s", passed=samples.median <= 30,
                             note=f"{samples.median / len(pages) * 1000:.0f} ms a page"))

    def lazy_imports(self, markdown: Path) -> None:
        argv = ["readmark", "outline", str(markdown), "--db", str(self.fresh_db())]
        code = "\n".join((
            f"import sys; sys.argv = {argv!r}",
            "from reader.cli.main import main",
            "main()",
            "roots = {name.split('.')[0] for name in sys.modules}",
            f"print('LOADED', ','.join(sorted(roots & {set(LAZY)!r})))",
        ))
        result = subprocess.run([self.python, "-c", code], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, check=False)
        loaded = next((line.split(" ", 1)[1] if " " in line else "" for line in
                       result.stdout.splitlines() if line.startswith("LOADED")), "?")
        self.rows.append(Row("modules a Markdown file's opening imports", "md", "x",
                             target="none of " + ", ".join(LAZY),
                             passed=loaded == "", note=loaded or "none"))


def _s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f} s"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repetitions instead of 5")
    parser.add_argument("--reps", type=int, help="repetitions per timing (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--pages", type=int, default=100, help="saved pages to add (100)")
    parser.add_argument("--show-screens", action="store_true")
    parser.add_argument("--only", choices=("page", "book", "screens"),
                        help="time only the saved page's first opening, the book's, or both "
                        "(the first screens), not add or the stored URL")
    args = parser.parse_args(argv)
    args.reps = args.reps or (2 if args.quick else 5)
    args.no_bytecode_cache = False
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"readmark sources benchmark — Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, terminal "
          f"{WIDTH}x{HEIGHT}, {args.reps} repetitions")
    with tempfile.TemporaryDirectory(prefix="readmark-bench-sources-") as temp:
        work = Path(temp)
        env = child_environment(work, bytecode_cache=True)
        tmux = Tmux(WIDTH, HEIGHT, env)
        bench = SourcesBench(args, tmux, work, env)
        server = None
        try:
            bench.log("generating sources …")
            site = work / "site"
            site.mkdir()
            page, title = web_page(1_000_000)
            (work / "page.html").write_text(page, encoding="utf-8")
            (site / "article.html").write_text(page, encoding="utf-8")
            book = work / "book.epub"
            book_text = epub_book(book, 5_000_000, 5_000_000)
            pages = []
            for number in range(args.pages if args.only is None else 0):
                small, _ = web_page(random.Random(number).randint(20_000, 60_000), seed=number)
                path = work / "pages" / f"page-{number:03}.html"
                path.parent.mkdir(exist_ok=True)
                path.write_text(small, encoding="utf-8")
                pages.append(path)
            markdown = work / "plain.md"
            markdown.write_text("# A Markdown file\n\nThe first paragraph of a small file.\n")
            bench.log(f"  page.html {len(page) / 1e6:.2f} MB, book.epub "
                      f"{book.stat().st_size / 1e6:.2f} MB ({book_text / 1e6:.1f} MB of XHTML)")
            # Warm up: bytecode caches for the app, trafilatura, ebooklib.
            bench.launch(str(work / "page.html"), title, bench.fresh_db())
            bench.launch(str(book), "Chapter 1", bench.fresh_db())

            if args.only in (None, "page", "screens"):
                bench.first_screens("first screen, first opening", "saved page 1 MB",
                                    str(work / "page.html"), title, args.reps, limit=1.0)
            if args.only is None:
                bench.first_screens("first screen, opened before", "saved page 1 MB",
                                    str(work / "page.html"), title, args.reps, limit=None,
                                    keep_db=True)
            if args.only in (None, "book", "screens"):
                bench.first_screens("first screen, first opening", f"EPUB "
                                    f"{book.stat().st_size / 1e6:.1f} MB", str(book),
                                    "Chapter 1", args.reps, limit=1.0, ready_limit=5.0)
            if args.only is not None:
                _report(bench, args)
                return 0

            bench.add_many(pages, max(1, args.reps // 2))

            server, base = serve(site)
            url = f"{base}/article.html"
            stored = bench.fresh_db()
            subprocess.run([args.python, "-m", "reader", "add", url, "--db", str(stored)],
                           cwd=ROOT, env=env, check=True, capture_output=True)
            server.shutdown()
            server.server_close()
            server = None
            snapshot = next((stored.parent / "snapshots").glob("*.md"))
            copy = work / "same-size.md"
            shutil.copyfile(snapshot, copy)
            bench.log(f"  stored URL's snapshot: {snapshot.stat().st_size / 1e6:.2f} MB")
            first_url, first_md = Samples(limit=args.timeout), Samples(limit=args.timeout)
            cpu_url, cpu_md = Samples(), Samples()
            for rep in range(args.reps):
                launch = bench.launch(url, title, bench.fresh_db(stored))
                launch_md = bench.launch(str(copy), title, bench.fresh_db())
                first_url.add(launch.first)
                first_md.add(launch_md.first)
                for samples, run in ((cpu_url, launch), (cpu_md, launch_md)):
                    if run.cpu_first is not None:
                        samples.add(run.cpu_first)
                bench.log(f"  reopen {rep + 1}/{args.reps}: stored URL {_s(launch.first)}, "
                          f"Markdown file {_s(launch_md.first)}"
                          + (f"  [{launch.error}]" if launch.error else ""))
            ratio = first_url.median / first_md.median if first_md.median else float("inf")
            bench.rows.append(Row("first screen, reopening a stored URL", "1 MB snapshot", "s",
                                  first_url, target="≈ the Markdown file",
                                  passed=ratio <= 1.15, note=f"{ratio:.2f}× the Markdown file"))
            bench.rows.append(Row("first screen, the same text as a Markdown file",
                                  f"{copy.stat().st_size / 1e6:.2f} MB", "s", first_md))
            if cpu_url.ok and cpu_md.ok:
                bench.rows.append(Row("(info) CPU time to first screen, stored URL",
                                      "1 MB snapshot", "s", cpu_url,
                                      note=f"{cpu_url.median / cpu_md.median:.2f}× the file's"))
                bench.rows.append(Row("(info) CPU time to first screen, Markdown file",
                                      "1 MB", "s", cpu_md))
            bench.lazy_imports(markdown)
        finally:
            if server is not None:
                server.shutdown()
                server.server_close()
            tmux.close()
        _report(bench, args)
    return 0


def _report(bench: SourcesBench, args: argparse.Namespace) -> None:
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")
    print_table(bench.rows, footnote=None)
    if args.show_screens:
        for name, screen in bench.screens.items():
            print(f"\n--- {name} ---")
            print("\n".join(row.rstrip() for row in screen))


if __name__ == "__main__":
    raise SystemExit(main())
