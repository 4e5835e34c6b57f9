"""Searching every highlight of every article: the query language, the index, and its digest.

One pure function of stored records, used by the highlights screen (as you type)
and by ``readmark search``. A query is words and filters, all of which must hold:

* ``word`` or ``"a phrase"``: in the quote, the note or the tags (any case);
* ``c:green`` (``color:``/``colour:``): the colour, by its start (``c:gr``); several
  ``c:`` terms allow any of those colours;
* ``#idea``: a tag starting so;
* ``in:lighthouse``: an article whose title holds the word;
* ``has:note``: only highlights with a note.

Each filter only narrows as a query grows by a character, so the index filters a
longer query from the previous result (typing stays fast with 100,000 highlights).

The store caches a digest of each article file (:func:`search_digest`): its
highlights as lines of tab-separated fields, quote and note on one line each.
Loading strings is what JSON does fastest, and a line is searched as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains
from typing import Any

from reader.annotations.records import COLORS, DEFAULT_COLOR
from reader.annotations.selectors import parse_selectors

#: The store's digest of one article for searching (see :func:`search_digest`).
SEARCH_DIGEST = "search"
SEARCH_DIGEST_VERSION = 2

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
#: The fields of a line of a digest's text, and of its meta.
_QUOTE, _NOTE, _TAGS = range(3)
_CREATED, _ID, _COLOR, _SECTION, _DETACHED, _START = range(6)


def _flat(text: str) -> str:
    """On one line: every run of whitespace (tabs and line breaks too) one space."""
    return " ".join(text.split())


def _texts(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def search_digest(
    article_id: str, annotations: Sequence[Mapping[str, Any]], cards: Mapping[str, Any]
) -> dict[str, Any]:
    """What searching needs of one article's records, compact enough to cache for all.

    Returns:
        ``{"sections": [section path, ...], "text": ..., "meta": ...}``: one line
        per highlight in each of ``text`` (quote, note and tags, each flattened to
        one line, separated by tabs: what words are looked for in) and ``meta``
        (created, id, colour, section as its place in ``sections``, detached as
        "1" or "", start offset), in the same order.
    """
    sections: dict[tuple[str, ...], int] = {}
    text, meta = [], []
    for record in annotations:
        target = record.get("target")
        selectors = target.get("selector") if isinstance(target, dict) else None
        position, quote = parse_selectors(selectors if isinstance(selectors, list) else [])
        color = _text(record.get("color"))
        section = tuple(_flat(part) for part in _texts(record.get("section")))
        place = sections.setdefault(section, len(sections))
        text.append("\t".join((
            _flat(quote.exact if quote is not None else ""), _flat(_text(record.get("note"))),
            " ".join(_flat(tag) for tag in _texts(record.get("tags"))),
        )))
        meta.append("\t".join((
            _flat(_text(record.get("created"))), _flat(_text(record.get("id"))),
            color if color in COLORS else DEFAULT_COLOR, str(place),
            "1" if record.get("detached") else "", str(position[0] if position else 0),
        )))
    return {"sections": [list(s) for s in sections], "text": "\n".join(text),
            "meta": "\n".join(meta)}


@dataclass(slots=True)
class Hit:
    """One highlight as the search shows it (quote and note on one line)."""

    id: str
    article_id: str
    title: str
    path: str
    section: tuple[str, ...]
    quote: str
    note: str
    tags: tuple[str, ...]
    color: str
    created: str
    detached: bool = False
    start: int = 0

    @property
    def has_note(self) -> bool:
        return bool(self.note)

    @property
    def where(self) -> tuple[str, ...]:
        """The section path without a first part that only repeats the title."""
        parts = self.section
        return parts[1:] if parts and parts[0] == self.title else parts


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query (see the module's description); the empty query matches everything."""

    words: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    needs_note: bool = False

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        words: list[str] = []
        colors: list[str] = []
        tags: list[str] = []
        articles: list[str] = []
        needs_note = False
        for match in _TOKEN.finditer(text):
            phrase, token = match.group(1), match.group(2)
            if phrase is not None:
                if _flat(phrase):
                    words.append(_flat(phrase).lower())
                continue
            lower = token.lower()
            key, _, value = lower.partition(":")
            if value and key in ("c", "color", "colour"):
                colors.append(value)
            elif value and key == "in":
                articles.append(value)
            elif lower in ("has:note", "has:notes"):
                needs_note = True
            elif lower.startswith("#") and len(lower) > 1:
                tags.append(lower[1:])
            elif lower == "#" or (lower.endswith(":") and key in ("c", "color", "colour", "in",
                                                                   "has")):
                continue  # a filter still being typed: no constraint yet
            else:
                words.append(lower)
        return cls(tuple(words), tuple(colors), tuple(tags), tuple(articles), needs_note)

    @property
    def empty(self) -> bool:
        return not (self.words or self.colors or self.tags or self.articles or self.needs_note)

    def narrows(self, other: SearchQuery) -> bool:
        """Whether everything this query matches, ``other`` matches too (so this one
        can be run over ``other``'s result instead of over every highlight)."""
        return (
            all(any(old in new for new in self.words) for old in other.words)
            and all(any(new.startswith(old) for old in other.colors) for new in self.colors)
            and bool(self.colors or not other.colors)
            and all(any(new.startswith(old) for new in self.tags) for old in other.tags)
            and all(any(old in new for new in self.articles) for old in other.articles)
            and (self.needs_note or not other.needs_note)
        )


def _fields(line: str, count: int) -> list[str]:
    fields = line.split("\t")
    return fields + [""] * (count - len(fields)) if len(fields) < count else fields


def _lines(digest: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """A digest's text and meta lines (as many of each: a damaged cache is cut short)."""
    text, meta = str(digest.get("text") or ""), str(digest.get("meta") or "")
    if not text or not meta:
        return [], []
    texts, metas = text.split("\n"), meta.split("\n")
    size = min(len(texts), len(metas))
    return texts[:size], metas[:size]


class HighlightIndex:
    """Every highlight of some articles, newest first, filtered again at each keystroke.

    Built from the store's digests (:func:`search_digest`); :meth:`hit` makes the
    :class:`Hit` of one position only when it is shown.
    """

    def __init__(
        self, articles: Sequence[Mapping[str, Any]], digests: Mapping[str, Mapping[str, Any]]
    ) -> None:
        self._articles = _article_table(articles)
        self._sections = [_sections(digests.get(aid) or {}) for aid, _, _ in self._articles]
        texts: list[str] = []
        metas: list[str] = []
        owner: list[int] = []
        for number, (aid, _title, _path) in enumerate(self._articles):
            text, meta = _lines(digests.get(aid) or {})
            texts.extend(text)
            metas.extend(meta)
            owner.extend([number] * len(text))
        # A meta line starts with the time the highlight was made: newest first.
        order = sorted(range(len(metas)), key=metas.__getitem__, reverse=True)
        self._text = [texts[i] for i in order]
        self._meta = [metas[i] for i in order]
        self._owner = [owner[i] for i in order]
        # What the filters look at, made once so that a keystroke only compares.
        self._lower = [line.lower() for line in self._text]
        fields = [_fields(line, 3) for line in self._text]
        self._noted = [bool(f[_NOTE]) for f in fields]
        self._tags = [" " + f[_TAGS].lower() for f in fields]  # " idea method": by start
        self._color = [_fields(line, 6)[_COLOR] for line in self._meta]
        self._last: tuple[SearchQuery, list[int]] | None = None

    def __len__(self) -> int:
        return len(self._text)

    @property
    def article_count(self) -> int:
        """How many articles have at least one highlight here."""
        return len(set(self._owner))

    def hit(self, position: int) -> Hit:
        """The highlight at ``position`` (in newest-first order)."""
        number = self._owner[position]
        return _hit(self._text[position], self._meta[position], self._articles[number],
                    self._sections[number])

    def search(self, query: str | SearchQuery) -> list[int]:
        """The positions of the highlights matching ``query``, newest first."""
        wanted = SearchQuery.parse(query) if isinstance(query, str) else query
        if wanted.empty:
            found = list(range(len(self._text)))
        else:
            last = self._last
            pool: Iterable[int] = (
                last[1] if last is not None and wanted.narrows(last[0])
                else range(len(self._text))
            )
            found = self._filter(wanted, pool)
        self._last = (wanted, found)
        return found

    def _filter(self, query: SearchQuery, pool: Iterable[int]) -> list[int]:
        # Each test runs as map() over the pool, in C: a Python loop over 100,000
        # highlights would take most of a keystroke's 50 ms.
        found = list(pool)
        everything = len(found) == len(self._text)
        if query.articles:
            keep = {n for n, (_, title, _) in enumerate(self._articles)
                    if all(word in title.lower() for word in query.articles)}
            found = _keep(found, map(keep.__contains__, _pick(self._owner, found, everything)))
            everything = False
        if query.needs_note:
            found = _keep(found, _pick(self._noted, found, everything))
            everything = False
        if query.colors:
            found = _keep(found, map(str.startswith, _pick(self._color, found, everything),
                                     repeat(query.colors)))
            everything = False
        for prefix in query.tags:  # a tag starting so follows a space in " idea method"
            found = _keep(found, map(contains, _pick(self._tags, found, everything),
                                     repeat(" " + prefix)))
            everything = False
        for word in sorted(query.words, key=len, reverse=True):  # the longest cuts most
            found = _keep(found, map(contains, _pick(self._lower, found, everything),
                                     repeat(word)))
            everything = False
        return found


def _pick(column: list[Any], found: list[int], everything: bool) -> Iterable[Any]:
    """The values of ``column`` at ``found`` (the whole column when that is everything)."""
    return column if everything else map(column.__getitem__, found)


def _keep(found: list[int], wanted: Iterable[Any]) -> list[int]:
    return list(compress(found, wanted))


def _matches_fields(text: str, meta: str, query: SearchQuery) -> bool:
    fields = _fields(text, 3)
    if query.needs_note and not fields[_NOTE]:
        return False
    if query.colors and not _fields(meta, 6)[_COLOR].startswith(query.colors):
        return False
    if query.tags:
        tags = fields[_TAGS].lower().split()
        return all(any(tag.startswith(prefix) for tag in tags) for prefix in query.tags)
    return True


def _article_table(articles: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    return [(str(a.get("id") or ""), str(a.get("title") or "") or "(untitled)",
             str(a.get("path") or "")) for a in articles]


def _sections(digest: Mapping[str, Any]) -> list[tuple[str, ...]]:
    found = digest.get("sections")
    if not isinstance(found, list):
        return []
    return [tuple(str(part) for part in s) if isinstance(s, list) else () for s in found]


def _hit(text: str, meta: str, article: tuple[str, str, str],
         sections: Sequence[tuple[str, ...]]) -> Hit:
    quote, note, tags = _fields(text, 3)[:3]
    created, hid, color, place, detached, start = _fields(meta, 6)[:6]
    aid, title, path = article
    section = sections[int(place)] if place.isdigit() and int(place) < len(sections) else ()
    return Hit(hid, aid, title, path, section, quote, note, tuple(tags.split()), color,
               created, detached == "1", int(start) if start.isdigit() else 0)


def search_digests(
    articles: Sequence[Mapping[str, Any]],
    digests: Mapping[str, Mapping[str, Any]],
    query: SearchQuery,
) -> list[Hit]:
    """The highlights matching ``query``, newest first, without indexing them all (for
    the command line): an article whose text lacks a word of the query is passed over
    whole, and only the lines that match are made into hits and sorted."""
    table = _article_table(articles)
    words = sorted(query.words, key=len, reverse=True)
    fields_needed = query.needs_note or query.colors or query.tags
    found: list[tuple[str, str, int]] = []
    for number, (aid, title, _path) in enumerate(table):
        if query.articles and not all(word in title.lower() for word in query.articles):
            continue
        digest = digests.get(aid) or {}
        if words:
            lower = str(digest.get("text") or "").lower()
            if any(word not in lower for word in words):
                continue
        texts, metas = _lines(digest)
        lowers = lower.split("\n") if words else texts
        if len(lowers) < len(texts):  # lower case changed a line break: rare, slow path
            lowers = [line.lower() for line in texts]
        first = words[0] if words else ""
        for text, meta, low in zip(texts, metas, lowers):
            if first not in low or (len(words) > 1 and not all(w in low for w in words)):
                continue
            if fields_needed and not _matches_fields(text, meta, query):
                continue
            found.append((meta, text, number))
    found.sort(key=lambda item: item[0], reverse=True)
    sections = {number: _sections(digests.get(table[number][0]) or {})
                for number in {number for _, _, number in found}}
    return [_hit(text, meta, table[number], sections[number]) for meta, text, number in found]


def record_quote(record: Mapping[str, Any]) -> str:
    """The exact text a stored record quotes ("" when it has none)."""
    target = record.get("target")
    selectors = target.get("selector") if isinstance(target, dict) else None
    _, quote = parse_selectors(selectors if isinstance(selectors, list) else [])
    return quote.exact if quote is not None else ""


def shared_passages(text: str, quotes: Iterable[str]) -> tuple[int, int]:
    """How many of ``quotes`` (highlighted passages) appear in ``text``, of how many.

    Whitespace runs match any whitespace, so a re-wrapped copy of an article still
    shares its passages. Used to tell that a new file is a moved and edited copy
    of an article whose file is missing.
    """
    flat = _flat(text)
    total = found = 0
    for quote in quotes:
        wanted = _flat(quote)
        if not wanted:
            continue
        total += 1
        found += wanted in flat
    return found, total


__all__ = [
    "SEARCH_DIGEST",
    "SEARCH_DIGEST_VERSION",
    "HighlightIndex",
    "Hit",
    "SearchQuery",
    "record_quote",
    "search_digest",
    "search_digests",
    "shared_passages",
]
