"""Snapshots: the Markdown readmark keeps of an article read from the web, a page, a book or a pipe.

A snapshot is an ordinary Markdown file with front matter, in a folder the caller
names (the command line passes the one beside the library). Its name follows from
where the article came from, so opening the same URL, page or book again finds it
without the network or a second extraction; highlights anchor to its text, which
changes only when the reader asks for it (``readmark refresh``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: Front matter keys a snapshot writes, in this order (others follow, sorted).
FIELD_ORDER = ("title", "author", "date", "site", "url", "origin", "kind", "format",
               "origin_sha256", "fetched")
_PLAIN = re.compile(r"[A-Za-z0-9/][\w ./,()&+@%?=~:#-]*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_SLUG = re.compile(r"[^a-z0-9]+")


def normal_url(url: str) -> str:
    """A web address as a snapshot is known by: no fragment, lower-case scheme and host."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _slug(text: str, limit: int = 48) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:limit].strip("-")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def key_for_url(url: str) -> str:
    """The file name (without folder) of a web article's snapshot."""
    url = normal_url(url)
    parts = urlsplit(url)
    words = _slug(f"{parts.hostname or 'web'} {parts.path}")
    return f"{words or 'web'}-{_digest(url)}.md"


def key_for_file(path: str | os.PathLike[str], kind: str) -> str:
    """The snapshot's file name for a saved page or a book, by the file's absolute path."""
    absolute = os.path.abspath(os.fspath(path))
    stem = _slug(Path(absolute).stem) or kind
    return f"{kind}-{stem}-{_digest(absolute)}.md"


def key_for_stdin(fingerprint: str, extension: str = ".md") -> str:
    """Standard input is known by its content: the same text piped twice is one article."""
    return f"stdin-{fingerprint[:16]}{extension}"


def yaml_scalar(value: str) -> str:
    """One line of text as a YAML scalar readmark's front matter reader gives back as is."""
    value = " ".join(value.split())
    plain = _PLAIN.fullmatch(value) and ": " not in value and " #" not in value
    if plain and value.lower() not in _RESERVED:
        return value
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def front_matter(fields: Mapping[str, str]) -> str:
    """YAML front matter with the non-empty ``fields`` (known keys first)."""
    known = [key for key in FIELD_ORDER if key in fields]
    keys = known + sorted(key for key in fields if key not in FIELD_ORDER)
    lines = [f"{key}: {yaml_scalar(str(fields[key]))}" for key in keys if str(fields[key]).strip()]
    return "\n".join(["---", *lines, "---"])


def with_front_matter(text: str, fields: Mapping[str, str]) -> str:
    """``text`` with ``fields`` in its front matter: added to the one it has (where
    the keys it already has stay as they are), else in a new one before it."""
    existing = read_front_matter(text)
    if existing:
        end = text.find("\n---", 3)
        added = {key: value for key, value in fields.items() if key not in existing}
        lines = front_matter(added).split("\n")[1:-1]
        return text[: end + 1] + "".join(line + "\n" for line in lines) + text[end + 1 :]
    return front_matter(fields) + "\n\n" + text


def read_front_matter(text: str) -> dict[str, str]:
    """The ``key: value`` lines of a snapshot's front matter (what :func:`front_matter` wrote)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    found: dict[str, str] = {}
    for line in text[3:end].splitlines():
        key, colon, value = line.partition(":")
        if not colon or not key.strip() or key[:1] in " \t#-":
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        found[key.strip().lower()] = value
    return found


def front_matter_of(path: str | os.PathLike[str]) -> dict[str, str] | None:
    """The front matter of the snapshot file at ``path`` (read from its head); None
    when the file cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return read_front_matter(stream.read(8192))
    except OSError:
        return None


def snapshot_origin(path: str | os.PathLike[str], folder: Path) -> tuple[str, str] | None:
    """Where the snapshot at ``path`` came from, from its front matter: (origin, kind),
    such as (its URL, "web"); None when ``path`` is not a snapshot in ``folder``."""
    if os.path.dirname(os.path.abspath(path)) != os.path.abspath(folder):
        return None
    meta = front_matter_of(path)
    if meta is None:
        return None
    origin, kind = meta.get("origin", ""), meta.get("kind", "")
    return (origin, kind) if origin and kind else None


def snapshots_of_url(url: str, folder: Path) -> list[Path]:
    """The snapshots in ``folder`` of the web article at ``url``: the one opening ``url``
    makes, and those whose front matter gives ``url`` as their address or origin."""
    wanted = normal_url(url)
    found: list[Path] = []
    own = folder / key_for_url(wanted)
    if own.is_file():
        found.append(own)
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return found
    for name in names:
        path = folder / name
        if path == own or not name.endswith(".md") or name.startswith("."):
            continue
        meta = front_matter_of(path)
        if meta is None:
            continue
        addresses = (meta.get("url", ""), meta.get("origin", ""))
        if any(address and normal_url(address) == wanted for address in addresses):
            found.append(path)
    return found


def body_of(text: str) -> str:
    """A snapshot's text after its front matter."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end >= 0:
            return text[text.find("\n", end + 1) + 1 :] if text.find("\n", end + 1) >= 0 else ""
    return text


def write_snapshot(path: Path, text: str) -> None:
    """Write a snapshot atomically: a temporary file beside it, flushed, then renamed.

    A failed write leaves nothing behind (no temporary file, and the old snapshot
    if there was one). The folder is made when needed.

    Raises:
        OSError: The folder or the file could not be written.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8", "surrogatepass"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
