"""`readmark serve` in a real browser: headless Chromium (Playwright) opens the page, the
article arrives, a key press moves the cursor. Only this computer is ever contacted."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _readmark() -> str:
    beside = Path(sys.executable).parent / "readmark"
    return str(beside) if beside.exists() else (shutil.which("readmark") or "readmark")


@pytest.fixture
def chromium() -> Path:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        playwright_missing = True
    else:
        playwright_missing = False
    if playwright_missing or not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("the browser test needs Playwright and /usr/bin/chromium "
                        "(.ci/run installs both)")
        pytest.skip("no Chromium (apt-get install chromium) or no Playwright here")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(article_path, tmp_path):
    """`readmark serve ARTICLE` on a free port; (url, the first line it printed)."""
    port = _free_port()
    process = subprocess.Popen(
        [_readmark(), "serve", str(article_path), "--port", str(port),
         "--db", str(tmp_path / "db.json")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"readmark serve ended: {process.stdout.read()}")
                time.sleep(0.1)
        else:
            pytest.fail("readmark serve did not start listening")
        said = process.stdout.readline().strip()
        yield f"http://127.0.0.1:{port}", said
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and every app it started
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_server_says_where_and_that_only_this_computer_can_open_it(served):
    url, said = served
    assert said == (f"readmark: serving at {url} — only this computer can open it "
                    "(--host 0.0.0.0 lets other devices on your network in). Ctrl+C stops it.")


def test_a_page_asked_for_by_another_name_is_refused(served):
    url, _ = served
    request = urllib.request.Request(url + "/", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    with urllib.request.urlopen(url + "/", timeout=10) as page:
        assert f'data-session-websocket-url="ws://{url.split("//")[1]}/ws"' in page.read().decode()


async def test_another_sites_page_cannot_open_the_web_socket(served):
    import aiohttp

    url, _ = served
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url.replace("http", "ws") + "/ws",
                                     origin="http://attacker.example")
        assert refused.value.status == 403


def test_chromium_shows_the_article_and_a_key_moves_the_cursor(chromium, served, tmp_path):
    from playwright.sync_api import sync_playwright

    url, _ = served
    received: list[bytes] = []

    def screen_text() -> str:
        raw = b"".join(received).decode("utf-8", errors="replace")
        return ESCAPES.sub("", raw)

    def wait_for(predicate, what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(screen_text()):
                return
            page.wait_for_timeout(100)
        page.screenshot(path=str(tmp_path / "failed.png"))
        raise AssertionError(f"{what}: not seen in the page's terminal output")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                             args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 700})
            # Nothing but this computer: the page's web font request is refused.
            page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"),
                       lambda route: route.abort())
            page.on("websocket", lambda socket_: socket_.on(
                "framereceived",
                lambda payload: received.append(
                    payload if isinstance(payload, bytes) else payload.encode())))
            page.goto(url + "/")
            # The page's script marks the first bytes the terminal got from the app.
            page.wait_for_selector("body.-first-byte", timeout=30000)
            wait_for(lambda text: "The opening paragraph sets the scene." in text
                     and "Test Article" in text, "the article's opening")
            assert page.locator("#terminal canvas").count() > 0  # drawn by the terminal
            before = len(received)
            page.click("#terminal")
            page.keyboard.press("G")  # the cursor to the last sentence
            wait_for(lambda text: "The final words of the article." in
                     ESCAPES.sub("", b"".join(received[before:]).decode("utf-8", "replace"))
                     and "100%" in ESCAPES.sub("", b"".join(received[before:]).decode(
                         "utf-8", "replace")), "the end of the article after G")
            page.screenshot(path=str(tmp_path / "end.png"))
        finally:
            browser.close()
