"""Markdown exports written by Jinja2 templates (``--template``).

The built-in layout ships as a template and must write exactly what the
built-in writer writes (golden samples and hostile text alike). A template
may replace only some pieces; sync keeps the reader's text whatever the
template; a broken template gets one line naming the file, the line and the
problem, and exit status 2.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from reader.export.formats import ExportArticle, to_markdown
from reader.export.sync import assemble
from reader.export.templates import DEFAULT_TEMPLATE, TemplateError, load_template
from tests.unit.test_cli_export import articles, db, out, run  # noqa: F401
from tests.unit.test_export import EXPORTED, SAMPLES, hostile_highlights, known_records

DEFAULT = load_template(DEFAULT_TEMPLATE)


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_shipped_template_is_the_built_in_layout(sample):
    article, document, records = known_records(sample)
    for exported in (None, EXPORTED):
        made = assemble(DEFAULT.layout(article, records, document, exported=exported))
        assert made == to_markdown(article, records, document, exported=exported)
    assert assemble(DEFAULT.layout(article, records, None)) == to_markdown(article, records)


@settings(
    max_examples=int(os.environ.get("HYPO_N", 100)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(highlights=hostile_highlights())
def test_the_shipped_template_writes_hostile_text_like_the_built_in_layout(highlights):
    article = ExportArticle("T <b>|", source="/a b/c.md", author="A & B", url="https://x.org/",
                            date="2024-01-02", tags=("a b", "123"))  # fmt: skip
    made = assemble(DEFAULT.layout(article, highlights, exported=EXPORTED))
    assert made == to_markdown(article, highlights, exported=EXPORTED)


def write(tmp_path: Path, text: str, name: str = "mine.md.j2") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_template_may_replace_only_some_pieces(tmp_path):
    path = write(
        tmp_path,
        "{% macro highlight(h, page) -%}\n"
        "- {{ h.text | md_inline }} ({{ h.color }}) ^{{ h.block_id }}\n"
        "{%- endmacro %}\n",
    )
    article, document, records = known_records("hard_wrapped.txt")
    text = assemble(load_template(path).layout(article, records, document))
    assert "- Those habits were fixed by the printing press (yellow) ^hl-" in text
    assert "\n# Hard wrapped\n" in text and "\ntitle: Hard wrapped\n" in text  # built-in pieces


def test_callouts_are_one_switch_in_the_template(tmp_path):
    source = DEFAULT_TEMPLATE.read_text(encoding="utf-8")
    assert source.count("{%- set callout = false -%}") == 1
    path = write(tmp_path, source.replace("set callout = false", "set callout = true"))
    article, document, records = known_records("one_line_paragraphs.txt")
    lines = assemble(load_template(path).layout(article, records, document)).split("\n")
    at = lines.index("> [!yellow]")
    assert lines[at + 1] == "> the cleanest possible example of a public good"
    assert lines[at + 2] == "" and lines[at + 3].startswith("^hl-")


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("{% macro highlight(h, page) %}\n{{ h.text }\n{% endmacro %}", 2, "unexpected '}'"),
        ("{% macro highlight(h, page) %}\n\n{{ h.colour }}\n{% endmacro %}", 3, "colour"),
        ("{% macro head(page) %}{{ page.title | nosuchfilter }}{% endmacro %}", 1, "nosuchfilter"),
        ("{% macro head(page) %}\n{{ 1 / 0 }}{% endmacro %}", 2, "division by zero"),
    ],
)
def test_a_broken_template_is_one_line_with_file_and_line(tmp_path, text, line, problem):
    path = write(tmp_path, text)
    article, document, records = known_records("hard_wrapped.txt")
    with pytest.raises(TemplateError) as error:
        load_template(path).layout(article, records, document)
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{path}, line {line}: ")
    assert problem in message


def test_a_template_that_defines_nothing_or_cannot_be_read(tmp_path):
    with pytest.raises(TemplateError, match="defines none of the macros"):
        load_template(write(tmp_path, "just text\n"))
    with pytest.raises(TemplateError, match="cannot be read"):
        load_template(tmp_path / "missing.j2")


def test_the_command_uses_a_template_and_reports_a_broken_one(db, articles, tmp_path):  # noqa: F811
    article = str(articles["rich_markdown.md"])
    good = write(tmp_path, "{% macro head(page) %}# Notes on {{ page.title | md_inline }}"
                 "{% endmacro %}")  # fmt: skip
    text = out(run("export", article, "--db", str(db), "--template", str(good)))
    assert "\n# Notes on How Memory Consolidates During Sleep\n" in text
    target = tmp_path / "notes.md"
    out(run("export", article, "--db", str(db), "--template", str(good), "-o", str(target)))
    target.write_text(target.read_text(encoding="utf-8") + "\nMine.\n", encoding="utf-8")
    out(run("export", article, "--db", str(db), "--template", str(good), "-o", str(target)))
    assert target.read_text(encoding="utf-8").endswith("\nMine.\n")

    bad = write(tmp_path, "{% macro head(page) %}\n{% if %}{% endmacro %}", "bad.j2")
    result = run("export", article, "--db", str(db), "--template", str(bad))
    assert result.returncode == 2 and result.stdout == b""
    [line] = result.stderr.decode().strip().splitlines()
    assert line.startswith(f"readmark: {bad.resolve()}, line 2: ")

    shown = out(run("export", "--print-template"))
    assert shown == DEFAULT_TEMPLATE.read_text(encoding="utf-8")
