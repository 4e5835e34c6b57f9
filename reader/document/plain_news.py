"""News copy, line by line: bylines, datelines and the page litter of web pages."""

from __future__ import annotations

import re

from reader.document.plain_headings import DATE
from reader.document.plain_matter import Region

_BY = re.compile(
    r"(?i)(?:by|written[ \t]+by|words[ \t]+by|story[ \t]+by|text[ \t]+by|posted[ \t]+by"
    r"|interview(?:ed)?[ \t]+by"
    r"|reporting[ \t]+by|author[ \t]*:)[ \t]+(?P<names>\S.*)"
)
_NAME_CUT = re.compile(r"[ \t]+(?:\||—|–|-|·|•)[ \t]+")
_NAME_TOKEN = re.compile(r"[^\W\d_][\w.'’\-]*|&|,")
_CONNECTORS = frozenset(
    "and & , de da di del della van von der den la le du y bin al st. mc".split()
)
_INITIALS = re.compile(r"(?:[A-Z]\.){1,4}")
_DEGREES = re.compile(r"(?:(?:[A-Z][a-z]?\.){1,4}|esq\.?|Esq\.?|ESQ\.?|[A-Z]{2,4})")
_TRAILING_LINK = re.compile(r"(?i)[ \t]+(?:on|at|in|\||-|–|—)[ \t]*$")
_NOT_IN_NAMES = frozenset("a an the of in on at to for with from by is was".split())
_ROLE_WORDS = re.compile(
    r"(?i)\b(?:writer|correspondent|reporter|editor|contributor|staff|columnist|bureau|chief"
    r"|senior|special|news|press|reuters|photographer|analyst|critic|desk)\b"
)
_DATE_WORDS = re.compile(
    r"(?i)(?:published|updated|posted|last[ \t]+updated|first[ \t]+published|filed|dated?"
    r"|originally[ \t]+published|modified|recorded|delivered|broadcast|aired)\b"
)
_TIME = re.compile(
    r"(?i)\b\d{1,2}(?::\d\d)?[ \t]*(?:a\.?m\.?|p\.?m\.?)|\b\d{1,2}:\d\d\b"
    r"|\b(?:et|est|edt|pt|pst|pdt|ct|cst|gmt|bst|utc|cet|cest)\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_FIRST = re.compile(r"(?i)([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(?i)(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)")

# --------------------------------------------------------------------------- litter

#: Whole lines that are page furniture of a web page, compared lower-cased.
LITTER = frozenset(
    " ".join(item.split())
    for item in """advertisement|advertisements|sponsored|sponsored content|paid content|share
    |share this|share this article|share this story|share article|copy link
    |copy link to clipboard|save
    |save article|save for later|print this article|read more|continue reading
    |continue reading the main story|continue reading below|skip advertisement|skip to content
    |skip to main content|supported by|subscribe|subscribe now|listen to this article
    |view comments|show comments|back to top|scroll to continue|story continues below
    |story continues below advertisement|article continues below|gift this article
    |all rights reserved""".split("|")
)
#: Share targets: litter only next to other litter.
_SHARE_TARGETS = frozenset(
    "facebook twitter x linkedin email e-mail whatsapp reddit pinterest flipboard print".split()
)
_LITTER_PATTERN = re.compile(
    r"(?i)(?:listen[ \t]+to[ \t]+this[ \t]+article|\d+[ \t]*min(?:ute)?s?[ \t]+read"
    r"|\d+[ \t]+comments?)(?:[ \t]*[·•|–-][ \t]*\d+[ \t]*min(?:ute)?s?(?:[ \t]+read)?)?"
)
_LITTER_PREFIX = re.compile(
    r"(?i)(?:related|read[ \t]+(?:more|also|next)|also[ \t]+read|see[ \t]+also|recommended"
    r"|most[ \t]+(?:read|popular)|more[ \t]+on[ \t]+this[ \t]+story|watch|photo|photos"
    r"|photograph|image|picture|illustration|video|credit|photo[ \t]+credit|caption"
    r")[ \t]*:[ \t]*\S"
    r"|(?:©|\(c\)|copyright[ \t]+©?)[ \t]*\d{4}\b"
)


def _litter_key(line: str) -> str:
    return " ".join(line.strip().strip("•·|>»›→▸ \t").rstrip(".:!").lower().split())


def find_litter(
    lines: list[str], paras: list[tuple[int, int]], front_lines: int = 15
) -> list[Region]:
    """Page-litter lines of web copy, as dropped regions; none unless the text is web copy.

    A line is litter when it is one of a small list of page-furniture phrases
    on its own, or a short credit, caption or pointer ("Photo: ...",
    "Related: ...", "© 2025 ...") that stands as a paragraph of its own. The
    text is web copy when it has two such phrases, or a byline or dateline
    near the top.
    """
    exact: list[int] = []
    prefixed: list[int] = []
    for first, last in paras:
        alone: bool | None = None  # the paragraph is one line, or all its lines are short
        for index in range(first, last + 1):
            line = lines[index]
            size = len(line)
            if size <= 60:
                key = _litter_key(line)
                if key in LITTER or _LITTER_PATTERN.fullmatch(key):
                    exact.append(index)
                    continue
            if size > 200 or not (":" in line[:40] or "©" in line[:8] or "(" in line[:8]):
                continue
            if alone is None:
                alone = first == last or all(len(lines[i]) <= 100 for i in range(first, last + 1))
            if alone and _LITTER_PREFIX.match(line.strip()):
                prefixed.append(index)
    if not exact and not prefixed:
        return []
    top = [i for first, last in paras[:front_lines] for i in range(first, last + 1)]
    news = any(len(lines[i]) <= 160 and (byline(lines[i]) or dateline(lines[i])) for i in top)
    if not (len(exact) >= 2 or news or (exact and prefixed)):
        return []
    found = set(exact) | set(prefixed)
    for first, last in paras:  # share targets next to litter
        for index in range(first, last + 1):
            if _litter_key(lines[index]) in _SHARE_TARGETS and (
                index - 1 in found or index + 1 in found
            ):
                found.add(index)
    return [
        Region(index, index, "dropped", f"page litter: {lines[index].strip()!r}")
        for index in sorted(found)
    ]


# --------------------------------------------------------------------------- bylines, dates


def _title_case(name: str) -> str:
    """An author's name set in capitals, in ordinary case; initials stay as they are."""
    if not name.isupper():
        return name
    words = []
    for word in name.split():
        if _INITIALS.fullmatch(word):
            words.append(word)
        elif word.lower() in _CONNECTORS:
            words.append(word.lower())
        else:
            words.append(word.capitalize())
    return " ".join(words)


def byline(text: str) -> str:
    """The author named by a byline ("By A and B, Staff Writer"), or ''."""
    match = _BY.fullmatch(text.strip())
    if match is None or len(text) > 120:
        return ""
    names = _NAME_CUT.split(match.group("names"))[0]
    date = DATE.search(names)
    if date:
        names = _TRAILING_LINK.sub("", names[: date.start()])
    parts = [part.strip() for part in names.split(",")]
    while len(parts) > 1 and (
        not parts[-1] or _ROLE_WORDS.search(parts[-1]) or _DEGREES.fullmatch(parts[-1])
    ):
        parts.pop()
    names = ", ".join(parts).strip(" ,;")
    tokens = _NAME_TOKEN.findall(names)
    capitals = sum(1 for token in tokens if token[0].isupper())
    if not tokens or capitals == 0 or len(tokens) > 14:
        return ""
    if any(not t[0].isupper() and t.lower() not in _CONNECTORS for t in tokens):
        return ""
    if names.endswith(".") and not re.search(r"\b[A-Z]\.$", names):
        return ""
    return _title_case(names)


def name_line(text: str) -> str:
    """A line that is only a person's name ("Adela Moss"), as an author, or ''."""
    text = text.strip()
    name = byline("By " + text)
    words = text.lower().split()
    if not name or not 2 <= len(words) <= 4 or any(w in _NOT_IN_NAMES for w in words):
        return ""
    return name


def iso_date(text: str) -> str:
    """The first date in ``text`` as YYYY-MM-DD when it can be read, else as written."""
    match = DATE.search(text)
    if match is None:
        return ""
    found = match.group()
    for pattern, order in ((_ISO, "ymd"), (_MONTH_FIRST, "mdy"), (_DAY_FIRST, "dmy")):
        parts = pattern.fullmatch(found)
        if parts is None:
            continue
        values = dict(zip(order, parts.groups(), strict=True))
        month = values["m"]
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
        day = int(values["d"])
        if 1 <= number <= 12 and 1 <= day <= 31:
            return f"{values['y']}-{number:02d}-{day:02d}"
    return found


def dateline(text: str) -> str:
    """The date a dateline ("Published March 4, 2025, 6:00 a.m. ET") gives, or ''."""
    text = text.strip()
    if len(text) > 160 or DATE.search(text) is None:
        return ""
    if not _DATE_WORDS.match(text):
        rest = _TIME.sub(" ", DATE.sub(" ", text))
        words = re.findall(r"[^\W\d_]{2,}", rest)
        if len(words) > 3 or text.endswith("."):
            return ""
    return iso_date(text)
