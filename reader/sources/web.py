"""Fetching a web page with httpx: time limits, redirects, a size cap, and one sentence per failure.

httpx is imported only when a URL is fetched. Every way a fetch can fail (no such
host, a refused connection, a time-out, a TLS error, an HTTP error status, a
redirect loop, something that is not a page, a page over the cap) becomes an
``ArticleError`` naming the address and the reason, for the CLI to print.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from typing import Any

from reader import __version__
from reader.sources.loader import MAX_ARTICLE_BYTES, ArticleError

#: Seconds a fetch may take in all (connecting, waiting and reading), unless
#: ``$READMARK_FETCH_TIMEOUT`` says otherwise.
DEFAULT_TIMEOUT = 30.0
MAX_REDIRECTS = 10
USER_AGENT = f"readmark/{__version__} (a terminal reader; fetches a page when its reader opens it)"
#: Content types read as a web page, and those read as a text article.
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
#: How the system's resolver says that a name does not exist (Linux, macOS, Windows).
_NO_SUCH_HOST = ("name or service not known", "nodename nor servname", "getaddrinfo",
                 "name resolution", "no address associated", "errno -2]", "errno -3]",
                 "errno -5]", "errno 8]", "errno 11001]")
_KINDS = {
    "application/pdf": "a PDF",
    "image/": "an image",
    "video/": "a video",
    "audio/": "a sound file",
    "application/zip": "a zip archive",
    "application/epub+zip": "an EPUB book (download it and open the file)",
    "application/json": "JSON data",
    "application/octet-stream": "a binary file",
}


@dataclass(slots=True)
class Fetched:
    """A page as the server sent it.

    Attributes:
        url: The address asked for.
        final_url: Where it was found, after redirects.
        content_type: The media type, without parameters ("text/html").
        charset: The charset the server declared, if any.
        data: The body (at most the cap).
    """

    url: str
    final_url: str
    content_type: str
    charset: str | None
    data: bytes

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES


def is_url(argument: str) -> bool:
    """Whether a command-line argument names a web page rather than a file."""
    return bool(re.match(r"https?://[^\s/]", argument.strip(), re.IGNORECASE))


def fetch_timeout() -> float:
    """The time limit of one fetch, in seconds (``$READMARK_FETCH_TIMEOUT`` or 30)."""
    try:
        value = float(os.environ.get("READMARK_FETCH_TIMEOUT", "") or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    transport: Any = None,
) -> Fetched:
    """Fetch ``url`` (following up to 10 redirects) and return the page.

    Args:
        url: An http or https address.
        timeout: Seconds for the whole fetch (default :func:`fetch_timeout`).
        max_bytes: Larger bodies are refused, without reading past the cap.
        transport: An httpx transport, for tests.

    Raises:
        ArticleError: With the address and the reason, in one line.
    """
    import httpx

    limit = fetch_timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    shown = _shown(url)
    client = httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(limit, connect=min(limit, 15.0)),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5,*/*;q=0.1",
        },
        transport=transport,
    )
    try:
        with client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise ArticleError(f"{shown}: the server answered {response.status_code} {reason}")
            content_type, charset = _content_type(response.headers.get("content-type", ""))
            _check_type(shown, content_type)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ArticleError(f"{shown}: the page is too large ({int(declared) / 1e6:.0f} MB; "
                                   f"the limit is {max_bytes >> 20} MB)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ArticleError(f"{shown}: the page is too large (over the "
                                       f"{max_bytes >> 20} MB limit)")
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise ArticleError(f"{shown}: timed out after {limit:g} s")
            final = str(response.url)
    except httpx.TooManyRedirects:
        raise ArticleError(f"{shown}: too many redirects (more than {MAX_REDIRECTS}; "
                           "a redirect loop?)") from None
    except httpx.TimeoutException:
        raise ArticleError(f"{shown}: timed out after {limit:g} s") from None
    except httpx.ConnectError as error:
        raise ArticleError(f"{shown}: {_connect_reason(error)}") from None
    except httpx.UnsupportedProtocol:
        raise ArticleError(f"{shown}: only http and https addresses can be opened") from None
    except (httpx.InvalidURL, ValueError) as error:
        raise ArticleError(f"{shown}: not a valid address ({error})") from None
    except httpx.HTTPError as error:  # the connection broke, or the body could not be decoded
        raise ArticleError(f"{shown}: the page could not be read ({_first_line(error)})") from None
    data = b"".join(chunks)
    if not data.strip():
        raise ArticleError(f"{shown}: the server sent an empty page")
    if not content_type:
        content_type = "text/html" if _sniff_html(data) else "application/octet-stream"
        _check_type(shown, content_type)
    return Fetched(url=url, final_url=final, content_type=content_type, charset=charset, data=data)


def _shown(url: str) -> str:
    from reader.document.inert import inert

    return inert(url.strip())


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, parameters = header.partition(";")
    charset = None
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return kind.strip().lower(), charset


def _check_type(shown: str, content_type: str) -> None:
    if not content_type or content_type in HTML_TYPES or content_type in TEXT_TYPES:
        return
    what = next((name for prefix, name in _KINDS.items() if content_type.startswith(prefix)),
                f"not a web page ({content_type})")
    if not what.startswith("not "):
        what = f"{what} ({content_type}), not a web page"
    raise ArticleError(f"{shown}: is {what}")


def _sniff_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _connect_reason(error: Exception) -> str:
    text = _first_line(error)
    lowered = text.lower()
    if any(word in lowered for word in _NO_SUCH_HOST):
        return "no such host (the name could not be looked up; are you online?)"
    if "refused" in lowered:
        return "the connection was refused (nothing is listening there)"
    if any(word in lowered for word in ("ssl", "certificate", "tls", "handshake")):
        return f"a secure connection could not be made (TLS: {text})"
    if "unreachable" in lowered:
        return "the network is unreachable (are you online?)"
    return f"could not connect ({text})"


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
