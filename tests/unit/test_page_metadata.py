"""What a page declares about itself: title, author, site and the date it declares."""

from __future__ import annotations

import pytest

from reader.sources.html_article import extract_article

BODY = ("<p>The harbour master kept a log of every ship that came in, and of the weather, "
        "the tide and the state of the lamps, for forty years without missing a day.</p>" * 3)


def page(head: str = "", article: str = "", footer: str = "") -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>The Harbour Log | "
            f"Coast Weekly</title>{head}</head><body><nav><a href='/'>Home</a></nav><main>"
            f"<article><h1>The Harbour Log</h1>{article}{BODY}</article></main>"
            f"<footer>{footer}</footer></body></html>")


def metadata(html: str) -> dict[str, str]:
    return extract_article(html, shown="page.html", url="https://coast.example.org/log").metadata


@pytest.mark.parametrize(("html", "date"), [
    (page(head="<meta property='article:published_time' content='2023-11-02T08:00:00Z'>"),
     "2023-11-02"),
    (page(head="<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
               "\"datePublished\": \"2022-02-03\"}</script>"), "2022-02-03"),
    (page(article="<p class='byline'>By Ann Reed, <time datetime='2021-06-07'>7 June"
                  "</time></p>"), "2021-06-07"),
    (page(footer="This page was last edited on 1 May 2024."), "2024-05-01"),
], ids=["meta", "json-ld", "time", "footer"])
def test_the_date_a_page_declares(html, date):
    assert metadata(html)["date"] == date


def test_a_date_only_mentioned_in_the_text_is_not_the_pages():
    found = metadata(page(article="<p>On 2021-06-03 the harbour closed for a week.</p>"))
    assert "date" not in found
    assert found["title"] == "The Harbour Log"
    assert found["url"] == "https://coast.example.org/log"


def test_author_and_site_from_the_head():
    found = metadata(page(head="<meta name='author' content='Ann Reed'>"
                               "<meta property='og:site_name' content='Coast Weekly'>"))
    assert found["author"] == "Ann Reed"
    assert found["site"] == "Coast Weekly"
