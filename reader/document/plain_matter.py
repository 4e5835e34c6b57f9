"""Front and back matter of e-texts and scans: the source lines kept out of the reading text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_START = re.compile(
    r"(?i)[ \t]*\*{3,}[ \t]*START[ \t]+OF[ \t]+(?:THE[ \t]+|THIS[ \t]+)?"
    r"(?P<what>PROJECT[ \t]+GUTENBERG[ \t]+)?E-?(?:BOOK|TEXT)\b.*\*{3}[ \t]*$"
)
_SMALL_PRINT_END = re.compile(r"(?i)[ \t]*\*END\*[ \t]*THE[ \t]+SMALL[ \t]+PRINT.*\*[ \t]*$")
_END = re.compile(
    r"(?i)[ \t]*\*{3,}[ \t]*END[ \t]+OF[ \t]+(?:THE[ \t]+|THIS[ \t]+)?"
    r"(?P<what>PROJECT[ \t]+GUTENBERG[ \t]+)?E-?(?:BOOK|TEXT)\b.*\*{3}[ \t]*$"
)
_END_LINE = re.compile(
    r"(?i)[ \t]*end[ \t]+of[ \t]+(?:the[ \t]+|this[ \t]+)?"
    r"(?:project[ \t]+gutenberg(?:'s|’s)?|e-?book|e-?text)\b"
)
_PG_FIRST = re.compile(
    r"(?i)[ \t]*(?:the[ \t]+)?project[ \t]+gutenberg(?:(?:'s|’s)[ \t]+|[ \t]+e-?(?:book|text)"
    r"[ \t]+of[ \t]+)(?P<title>.+?)(?:,[ \t]+by[ \t]+(?P<author>.+?))?[ \t]*$"
)
_KEY_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z .#'’-]{0,30}?)[ \t]*:[ \t]*(?P<value>\S.*)")
_CREDITS = re.compile(
    r"(?i)[ \t]*(?:produced|prepared|transcribed|scanned|proofread)[ \t]+by\b"
    r"|[ \t]*(?:e-?text|this[ \t]+e-?(?:book|text))[ \t]+(?:was[ \t]+)?(?:produced|prepared)\b"
)
_ETEXT_WORDS = re.compile(
    r"(?i)gutenberg|\be-?books?\b|\be-?texts?\b|licen[cs]e|public[ \t]+domain|produced[ \t]+by"
    r"|transcribed[ \t]+by|https?://|www\."
)
_SCAN_NOTE = re.compile(
    r"(?i)[ \t]*digiti[sz]ed[ \t]+by[ \t]+(?:google|the[ \t]+internet[ \t]+archive|microsoft)\b"
)
_GOOGLE_URL = re.compile(r"(?i)books\.google\.")
_GOOGLE = re.compile(r"\bGoogle\b")
_RULE_LINE = re.compile(r"[ \t]*([-=*_~#])\1{4,}[ \t]*")
_BRACKET = re.compile(r"\s*\[[^\]]*\]\s*")

#: Header keys and the metadata key each one sets ("" when it sets none).
_KEYS = {
    "title": "title",
    "subtitle": "subtitle",
    "author": "author",
    "authors": "author",
    "by": "author",
    "editor": "editor",
    "editors": "editor",
    "translator": "translator",
    "illustrator": "illustrator",
    "release date": "release_date",
    "posting date": "release_date",
    "date first posted": "release_date",
    "first posted": "release_date",
    "published": "date",
    "publication date": "date",
    "original publication": "date",
    "date": "date",
    "language": "language",
    "most recently updated": "",
    "last updated": "",
    "most recent update": "",
    "character set encoding": "",
    "credits": "",
    "produced by": "",
    "ebook #": "",
    "ebook no.": "",
    "ebook no": "",
    "copyright": "",
    "source": "",
    "subject": "",
}


@dataclass(frozen=True, slots=True)
class Region:
    """Source lines ``first`` to ``last`` (0-based, inclusive) kept out of the reading text.

    ``action`` is ``hidden`` for front and back matter, ``dropped`` for a
    stray line; ``rule`` says which rule fired, for ``--explain``.
    """

    first: int
    last: int
    action: str
    rule: str


@dataclass(slots=True)
class Matter:
    """What the front and back matter search found."""

    body_start: int
    body_end: int
    regions: list[Region] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)
    metadata: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)
    etext: bool = False
    paras: list[tuple[int, int]] = field(default_factory=list)


def paragraphs(lines: list[str], start: int, stop: int) -> list[tuple[int, int]]:
    """(first, last) line of each blank-line separated paragraph in ``lines[start:stop]``."""
    found: list[tuple[int, int]] = []
    first = -1
    for index in range(start, stop):
        if lines[index].strip():
            if first < 0:
                first = index
        elif first >= 0:
            found.append((first, index - 1))
            first = -1
    if first >= 0:
        found.append((first, stop - 1))
    return found


def _key(line: str) -> tuple[str, str] | None:
    match = _KEY_LINE.fullmatch(line.strip())
    if match is None:
        return None
    key = " ".join(match.group("key").lower().split())
    if key not in _KEYS:
        return None
    return key, match.group("value").strip()


def _read_keys(lines: list[str], first: int, last: int, matter: Matter) -> bool:
    """Read ``Key: value`` lines (and indented continuations); True if a title or author was."""
    current = ""
    for index in range(first, last + 1):
        line = lines[index]
        pair = _key(line) if line.strip() else None
        if pair is None:
            if current and line[:1] in " \t" and line.strip():
                extra = line.strip()
                if current == "title":
                    _set(matter, index, "subtitle", extra, "an indented line under Title:")
                elif current in matter.metadata:
                    matter.metadata[current] += "; " + extra
            else:
                current = ""
            continue
        key, value = pair
        current = target = _KEYS[key]
        if not target:
            continue
        if target in ("release_date", "date"):
            value = _BRACKET.sub(" ", value).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        _set(matter, index, target, value, f"the {key.title()}: line")
    return "title" in matter.metadata or "author" in matter.metadata


def _set(matter: Matter, line: int, key: str, value: str, why: str) -> bool:
    if not value or key in matter.metadata:
        return False
    matter.metadata[key] = value
    matter.notes.append((line, f"{key}: {value!r} from {why}"))
    return True


def _hide(matter: Matter, first: int, last: int, rule: str) -> None:
    if first <= last:
        matter.regions.append(Region(first, last, "hidden", rule))


def _header(lines: list[str], matter: Matter, paras: list[tuple[int, int]]) -> None:
    start = matter.body_start
    limit = min(len(lines), start + max(400, len(lines) * 2 // 5), start + 3000)
    marker = -1
    for index in range(start, limit):
        line = lines[index]
        if line[:8].lstrip()[:1] == "*" and (_START.match(line) or _SMALL_PRINT_END.match(line)):
            marker = index
            break
    if marker >= 0:
        _read_keys(lines, start, marker, matter)
        first = lines[start:marker]
        match = next((_PG_FIRST.match(line) for line in first if line.strip()), None)
        if match is not None:
            _set(matter, start, "title", match.group("title").strip(), "the first line")
            if match.group("author"):
                _set(matter, start, "author", match.group("author").strip(), "the first line")
        end = marker
        for first_line, last_line in paras:
            if first_line <= marker:
                continue
            if first_line > marker + 40:
                break
            if _CREDITS.match(lines[first_line]) or _SCAN_NOTE.match(lines[first_line]):
                end = last_line
                continue
            break
        what = "Project Gutenberg" if "GUTENBERG" in lines[marker].upper() else "e-text"
        _hide(
            matter,
            start,
            end,
            f"{what} header: everything up to the line {lines[marker].strip()!r}",
        )
        matter.body_start = end + 1
        matter.etext = True
        return
    # No marker: a header is a stack of paragraphs at the top made of Key: value lines,
    # archive notices or rules, with a title or an author among them.
    end = -1
    has_keys = False
    for first_line, last_line in paras[:12]:
        if last_line - first_line > 40:
            break  # a long paragraph is the text itself
        keys = sum(1 for i in range(first_line, last_line + 1) if _key(lines[i]) is not None)
        text = " ".join(lines[first_line : last_line + 1])
        rule = all(_RULE_LINE.fullmatch(lines[i]) for i in range(first_line, last_line + 1))
        if keys * 2 >= last_line - first_line + 1 or rule:
            has_keys = has_keys or keys > 0
            end = last_line
        elif _ETEXT_WORDS.search(text) and (end >= 0 or first_line == paras[0][0]):
            end = last_line
        else:
            break
    if end < 0 or not has_keys:
        return
    probe = Matter(start, matter.body_end)
    if not _read_keys(lines, start, end, probe):
        return
    for key, value in probe.metadata.items():
        matter.metadata.setdefault(key, value)
    matter.notes.extend(probe.notes)
    etext = bool(_ETEXT_WORDS.search(" ".join(lines[start : end + 1])))
    rule = "e-text header" if etext else "header of Key: value lines"
    _hide(matter, start, end, f"{rule} with a Title: or Author: line, up to line {end + 1}")
    matter.body_start = end + 1
    matter.etext = etext


def _footer(lines: list[str], matter: Matter, paras: list[tuple[int, int]]) -> None:
    start, stop = matter.body_start, matter.body_end
    half = start + (stop - start) // 2
    marker = -1
    for index in range(stop - 1, start - 1, -1):
        line = lines[index]
        if line[:8].lstrip()[:1] == "*" and _END.match(line):
            if matter.etext or index >= half:
                marker = index
            break
    tail = [p for p in paras if p[0] >= max(start, marker - 60 if marker >= 0 else half)]
    end_line = -1
    for first_line, last_line in tail:
        if marker >= 0 and first_line >= marker:
            break
        if last_line - first_line > 1:
            continue
        text = " ".join(lines[first_line : last_line + 1]).strip()
        if len(text) <= 160 and _END_LINE.match(text) and not text.endswith("."):
            end_line = first_line
    cut = min(x for x in (marker, end_line, stop) if x >= 0)
    if cut < stop:
        what = lines[cut].strip()
        _hide(matter, cut, stop - 1, f"e-text licence footer: everything from the line {what!r}")
        matter.body_end = cut
        matter.etext = True
    _colophon(lines, matter, [p for p in paras if start <= p[0] < matter.body_end])


def _section_end(paras: list[tuple[int, int]], at: int, lines: list[str]) -> int:
    """Last line of the labelled section whose label paragraph is ``paras[at]``."""
    last = paras[at][1]
    for first_line, last_line in paras[at + 1 :]:
        if first_line == last_line and len(lines[first_line].strip()) <= 40:
            break
        last = last_line
    return last


def _colophon(lines: list[str], matter: Matter, paras: list[tuple[int, int]]) -> None:
    """An ebook's imprint at the front and colophon or uncopyright at the back."""
    count = len(paras)
    for position, (first_line, last_line) in enumerate(paras):
        if first_line != last_line:
            continue
        label = lines[first_line].strip().lower().rstrip(".:")
        front = position < max(6, count // 10)
        back = position >= count - max(6, count // 8)
        if not ((label == "imprint" and front) or (label in ("colophon", "uncopyright") and back)):
            continue
        end = _section_end(paras, position, lines) if label == "imprint" else matter.body_end - 1
        if not _ETEXT_WORDS.search(" ".join(lines[first_line : min(end, first_line + 60) + 1])):
            continue
        matter.etext = True
        if label == "imprint":
            _hide(matter, first_line, end, "ebook imprint: a section headed 'Imprint' about it")
        else:
            _hide(
                matter,
                first_line,
                end,
                f"ebook {label}: a closing section headed {lines[first_line].strip()!r}",
            )
            matter.body_end = first_line
            return


def _scans(lines: list[str], matter: Matter, paras: list[tuple[int, int]]) -> None:
    """A digitiser's notice at the top, and its stamp on single lines further down."""
    top = [
        p for p in paras if matter.body_start <= p[0] < matter.body_start + 200 and p[1] - p[0] < 30
    ]
    mentions = [
        (p, _GOOGLE_URL.search(text) is not None)
        for p in top
        if not _SCAN_NOTE.match(lines[p[0]])
        and (_GOOGLE.search(text := " ".join(lines[p[0] : p[1] + 1])) or _GOOGLE_URL.search(text))
    ]
    ends = [p for p, url in mentions if url]
    if ends:
        first, last = mentions[0][0][0], ends[-1][1]
        _hide(matter, first, last, "scan notice: paragraphs about Google's digital copy")
        matter.etext = True
        if first == matter.body_start:
            matter.body_start = last + 1
    for position, (first_line, last_line) in enumerate(paras[:3]):
        if first_line < matter.body_start or not _SCAN_NOTE.match(lines[first_line]):
            continue
        end = last_line
        if position + 1 < len(paras):
            following = paras[position + 1]
            if following[0] == following[1] and lines[following[0]].strip().startswith("http"):
                end = following[1]
        _hide(matter, first_line, end, "scan notice: 'Digitized by ...' at the top")
        matter.etext = True
        matter.body_start = max(matter.body_start, end + 1)
    hidden = [(r.first, r.last) for r in matter.regions]
    for index in range(matter.body_start, matter.body_end):
        line = lines[index]
        if (
            len(line) <= 90
            and "igiti" in line[:12]
            and _SCAN_NOTE.match(line)
            and not any(a <= index <= b for a, b in hidden)
        ):
            matter.regions.append(
                Region(index, index, "dropped", "scan stamp: a 'Digitized by ...' line")
            )


def find_matter(lines: list[str], start: int) -> Matter:
    """Find the e-text header and footer and scan notices in ``lines[start:]``."""
    matter = Matter(start, len(lines))
    if start >= len(lines):
        return matter
    paras = paragraphs(lines, start, len(lines))
    _header(lines, matter, paras)
    _footer(lines, matter, paras)
    _scans(lines, matter, [p for p in paras if matter.body_start <= p[0] < matter.body_end])
    matter.paras = [p for p in paras if matter.body_start <= p[0] and p[1] < matter.body_end]
    matter.regions.sort(key=lambda region: region.first)
    for region in matter.regions:
        if region.last >= matter.body_start and region.first < matter.body_end:
            matter.skipped.update(range(region.first, region.last + 1))
    return matter
