"""Text-fragment links (``URL#:~:text=…``) to exported highlights, encoded as the WICG spec says."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from reader.cli.main import main
from reader.export.fragments import (
    EXPLICIT,
    encode_term,
    fragment_url,
    link_part,
    passage_link,
    text_directive,
)
from tests.unit.sources_helpers import Site, article_page

_ENCODED = re.compile(r"(?:[A-Za-z0-9!$'*+./:;=?@_~]|%[0-9A-F]{2})*")


@given(st.text(min_size=1, max_size=60))
def test_a_term_is_made_of_explicit_characters_and_percent_bytes_and_decodes_back(term):
    encoded = encode_term(term)
    assert _ENCODED.fullmatch(encoded)
    # The directive's own separators never appear as themselves.
    assert not set("-,&#% ()") & set(encoded.replace("%", "")) - set("0123456789ABCDEF")
    assert unquote(encoded, errors="surrogatepass") == term


def test_the_separators_and_non_ascii_are_encoded_the_rest_kept():
    assert encode_term("well-known, 5 & more") == "well%2Dknown%2C%205%20%26%20more"
    assert encode_term("café (1)") == "caf%C3%A9%20%281%29"
    assert encode_term("a!$'*+./:;=?@_~z") == "a!$'*+./:;=?@_~z"
    assert set("-,&") & EXPLICIT == set()


def test_a_short_passage_is_given_whole():
    assert text_directive("The keeper climbed") == "text=The%20keeper%20climbed"


def test_a_long_passage_or_one_over_paragraphs_is_given_by_its_ends():
    long = ("Rivers across three continents have warmed by an average of half a degree over "
            "two decades, according to a study published on Tuesday.")
    assert text_directive(long) == (
        "text=Rivers%20across%20three%20continents%20have,"
        "a%20study%20published%20on%20Tuesday.")
    two = "The first paragraph ends here.\n\nThe second one starts here and goes on."
    assert text_directive(two) == (
        "text=The%20first%20paragraph%20ends%20here.,starts%20here%20and%20goes%20on.")


def test_context_is_added_only_when_the_passage_occurs_more_than_once():
    article = "The lamp was lit. Then the lamp was lit again at dusk."
    assert text_directive("the lamp was lit", prefix="It was late. Then ", suffix=" again at",
                          article=article) == "text=the%20lamp%20was%20lit"  # once (case)
    assert text_directive("lamp was lit", prefix="\nThe keeper saw. Then the ",
                          suffix=" again at dusk", article=article) == (
        "text=saw.%20Then%20the-,lamp%20was%20lit,-again%20at%20dusk")


def test_a_link_keeps_the_address_and_drops_its_own_fragment():
    assert fragment_url("https://example.org/a?b=1#top", "text=x") == (
        "https://example.org/a?b=1#:~:text=x")
    assert passage_link("/home/me/a.md", "words") == ""
    assert passage_link("https://example.org/", "  ") == ""
    assert link_part("", "words") == ""
    assert link_part("https://example.org/p", "Night came early in winter and stayed") == (
        " · [source](https://example.org/p#:~:text=Night%20came%20early%20in%20winter%20and"
        "%20stayed)")


def test_a_short_passage_without_the_article_at_hand_gets_its_context():
    assert passage_link("https://e.org/", "the lamp", "Then ", " was lit") == (
        "https://e.org/#:~:text=Then-,the%20lamp,-was%20lit")


def test_each_exported_highlight_of_a_web_article_links_to_its_passage(tmp_path: Path, capsys):
    db = tmp_path / "lib" / "readmark.json"
    site = Site()
    try:
        url = site.html("/essay.html", article_page("Harbour Notes", [
            "The harbour master counted the ships each morning at six, and wrote them down.",
            "Storms came from the west in the autumn months and closed the port for days.",
        ]))
        assert main(["add", url, "--db", str(db)]) == 0
        for quote in ("Storms came from the west in the autumn months and closed the port",
                      "counted the ships"):
            assert main(["highlight", url, "--quote", quote, "--db", str(db)]) == 0
        capsys.readouterr()
        assert main(["export", url, "--db", str(db), "--no-timestamp"]) == 0
        exported = capsys.readouterr().out
    finally:
        site.close()
    assert f'url: "{url}"' in exported or f"url: {url}" in exported
    links = re.findall(r"\[source\]\(([^)]*)\)", exported)
    assert links == [
        # three words: given with their context, as such a passage often occurs twice
        f"{url}#:~:text=The%20harbour%20master-,counted%20the%20ships,-each%20morning%20at",
        f"{url}#:~:text=Storms%20came%20from%20the%20west%20in%20the%20autumn%20months%20and"
        "%20closed%20the%20port",
    ]
