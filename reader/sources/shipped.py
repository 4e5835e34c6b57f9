"""Files shipped with the package: styles and the sample articles.

In a checkout they sit beside ``reader/``; in an installed wheel they are copied
into the package (see pyproject's force-include). Both layouts are looked up.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the reader/ folder


def _shipped(installed_name: str, checkout_name: str) -> Path:
    installed = _PACKAGE / installed_name
    return installed if installed.is_dir() else _PACKAGE.parent / checkout_name


def styles_dir() -> Path:
    return _shipped("_styles", "styles")


def samples_dir() -> Path:
    return _shipped("_sample_articles", "sample_articles")


def default_article() -> Path:
    """The article `readmark` opens when given none."""
    return samples_dir() / "rich_markdown.md"
