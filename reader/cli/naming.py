"""Finding the article a user named on the command line: an id, a path (even of a
file that is gone), a file readmark knows by its content, or part of a title."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from reader.cli.common import CliError, clip

if TYPE_CHECKING:
    from reader.store import Store


def named_article(store: Store, wanted: str) -> dict[str, Any]:
    """The one article ``wanted`` names, or CliError (one line) saying why there is none.

    Tried in order: an article id; the path an article was read from (a file that
    has moved or gone still names its article); an existing file whose content
    the library knows; a title (exactly, else a part of it that only one title holds).
    """
    articles = store.articles()
    for article in articles:
        if article["id"] == wanted:
            return article
    if wanted.strip():
        absolute = os.path.abspath(os.path.expanduser(wanted))
        by_path = [a for a in articles if a.get("path") in (absolute, wanted)]
        if len(by_path) == 1:
            return by_path[0]
        if os.path.isfile(absolute):
            from reader.sources.loader import ArticleError, read_article

            try:
                source = read_article(absolute)
            except ArticleError as error:
                raise CliError(str(error)) from None
            found = store.find_article(fingerprint=source.fingerprint, path=absolute)
            if found is not None:
                return found
            raise CliError(f"{wanted}: the library does not know this file (see: readmark list)")
    needle = " ".join(wanted.split()).casefold()
    titles = {a["id"]: " ".join(str(a.get("title") or "").split()).casefold() for a in articles}
    exact = [a for a in articles if needle and titles[a["id"]] == needle]
    matches = exact or [a for a in articles if needle and needle in titles[a["id"]]]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CliError(f"no article's id, file or title matches {wanted!r} (see: readmark list)")
    shown = ", ".join(f"“{clip(str(a.get('title') or ''), 40)}”" for a in matches[:3])
    more = f" and {len(matches) - 3} more" if len(matches) > 3 else ""
    raise CliError(
        f"{wanted!r} matches {len(matches)} articles ({shown}{more}); give more of the "
        "title, the file's path or the id"
    )
