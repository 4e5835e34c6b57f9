"""Shared fixtures: articles written to temporary files and apps built like the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.sources.loader import read_article

#: A small article with every kind of block, long enough to scroll at 100x30.
ARTICLE = """---
title: Test Article
---
# Test Article

The opening paragraph sets the scene. It has a second sentence with **bold** text. \
A third sentence mentions Dr. Smith and the U.S. economy, e.g. its ports.

## First Section

This section's first paragraph is here. Another sentence follows it. \
The lighthouse keeper climbed the stairs at dusk and lit the great lamp again.

A second paragraph in the first section. It ends with a [link](https://example.org/x).

- A bulleted item with some words.
- Another item.
  - A nested item.

## Second Section

Paragraph of the second section, which is rather long so that it wraps across several \
lines of the reading view when the width is narrow enough to force wrapping of the text.

> A quoted passage. It has two sentences.

```python
def keep():
    return "code"
```

### A Subsection

Sentence one of the subsection. Sentence two of the subsection.

## Third Section

""" + "\n\n".join(
    f"Filler paragraph {n} talks about tides and harbours. It keeps the article long." for n in
    range(1, 31)
) + "\n\n## Last Section\n\nThe final words of the article.\n"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory, monkeypatch):
    """No test reads the config file of whoever runs the tests (READMARK_CONFIG names one
    that is not there; a test that wants one writes it and points READMARK_CONFIG at it)."""
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))


@pytest.fixture
def article_path(tmp_path: Path) -> Path:
    path = tmp_path / "test_article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path):
    from reader.store import Store

    opened = Store(tmp_path / "data" / "readmark.json")
    yield opened
    opened.close()


@pytest.fixture
def make_reader(store):
    """Build the app the way the CLI does, for any article path."""
    from reader.tui.app import make_app

    def build(path: Path, **options):
        return make_app(read_article(path), store, **options)

    return build
