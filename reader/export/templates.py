"""Markdown exports written by a Jinja2 template (``--template``), the way Readwise's are.

A template is a file of macros, one per piece of the export: ``front_matter``,
``head``, ``heading``, ``highlight`` and ``detached_heading`` (see the built-in
layout, ``templates/default.md.j2``, which documents what each gets). A template
may define only some of them; the others come from the built-in one. readmark
puts each piece between its marks, so sync keeps the reader's text whatever the
template. Jinja2 is imported only here, and only when a template is used.
"""

from __future__ import annotations

import json
import os
import re
import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from reader.document.model import Document
from reader.export.fragments import link_part
from reader.export.layout import HighlightView, PageView, build
from reader.export.markdown import (
    DETACHED_HEADING,
    DETACHED_NOTICE,
    escape_inline,
    escape_markdown,
    quote_lines,
    yaml_date,
    yaml_scalar,
)
from reader.export.model import CONTROL, ExportArticle, HighlightLike, one_line
from reader.export.sync import Layout

#: The built-in layout as a template (package data), to copy and change.
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "default.md.j2"
MACROS = ("front_matter", "head", "heading", "highlight", "detached_heading")


class TemplateError(ValueError):
    """A template that cannot be used; ``str()`` is one line: the file, the line, the problem."""


def _filters() -> dict[str, Any]:
    return {
        "md": lambda text: "\n".join(escape_markdown(str(text))),
        "md_inline": lambda text: escape_inline(_joined(str(text)), line_start=False),
        "quote": lambda text, code=None: "\n".join(quote_lines(str(text), code)),
        "yaml": lambda text: yaml_scalar(str(text)),
        "yaml_date": lambda text: yaml_date(str(text)),
        "one_line": lambda text: one_line(str(text)),
        "json": lambda value: json.dumps(value, ensure_ascii=False),
        "source_link": _source_link,
    }


def _source_link(h: HighlightView, page: PageView) -> str:
    """` · [source](URL#:~:text=…)` for a highlight of a web article (see fragments)."""
    return "" if h.detached else link_part(page.url, h.text, h.prefix, h.suffix)


def _joined(text: str) -> str:
    """Text on one line (its line breaks become spaces), its other spacing kept."""
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", CONTROL.sub("", text))


def _where(error: BaseException, templates: dict[str, Any]) -> str:
    """``FILE, line N`` of the deepest template frame of an error (a template's lines, not
    the lines of the Python code Jinja2 compiled it to)."""
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        template = templates.get(frame.filename or "")
        if template is not None and frame.lineno:
            line = template.get_corresponding_lineno(frame.lineno)
            where = f"{frame.filename}, line {line}"
    return where or next(iter(templates))


def _problem(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(message).split())


class MarkdownTemplate:
    """A loaded template: its macros, with the built-in ones for any it lacks."""

    def __init__(self, path: Path, macros: dict[str, Any], templates: dict[str, Any]) -> None:
        self.path = path
        self._macros = macros
        self._templates = templates

    def _call(self, name: str, *args: Any) -> list[str]:
        try:
            text = str(self._macros[name](*args))
        except Exception as error:  # any failure inside the template is the template's
            raise TemplateError(f"{_where(error, self._templates)}: {_problem(error)}") from None
        return text.strip("\n").split("\n") if text.strip() else []

    def front_matter(self, page: PageView) -> list[str]:
        return self._call("front_matter", page)

    def head(self, page: PageView) -> list[str]:
        return self._call("head", page)

    def heading(self, level: int, title: str, page: PageView) -> list[str]:
        return self._call("heading", level, title, page)

    def highlight(self, view: HighlightView, page: PageView) -> list[str]:
        return self._call("highlight", view, page)

    def detached_heading(self, page: PageView) -> list[str]:
        return self._call("detached_heading", page)

    def layout(
        self,
        article: ExportArticle,
        highlights: Iterable[HighlightLike],
        document: Document | None = None,
        *,
        exported: datetime | None = None,
    ) -> Layout:
        """The export as front matter and units, each piece written by a macro."""
        return build(self, article, highlights, document, exported=exported)


def load_template(path: str | os.PathLike[str]) -> MarkdownTemplate:
    """Read and compile a template file.

    Raises:
        TemplateError: It cannot be read, is not a valid template, or fails
            when its top level runs (one line naming the file and line).
    """
    import jinja2

    where = Path(path).resolve()
    try:
        source = where.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise TemplateError(f"{path}: cannot be read ({reason})") from None
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters.update(_filters())
    env.globals.update(DETACHED_HEADING=DETACHED_HEADING, DETACHED_NOTICE=DETACHED_NOTICE)
    modules = []
    templates: dict[str, Any] = {}
    # The built-in template supplies any macro the file leaves out (compiled once
    # when the file is the built-in template itself).
    sources = [(where, source)]
    if where != DEFAULT_TEMPLATE.resolve():
        sources.append((DEFAULT_TEMPLATE, None))
    for file, text in sources:
        try:
            code = text if text is not None else file.read_text(encoding="utf-8")
            template = env.template_class.from_code(
                env, env.compile(code, filename=str(file)), env.globals, None
            )
            templates[str(file)] = template
            modules.append(template.module)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(f"{file}, line {error.lineno}: {_problem(error)}") from None
        except Exception as error:
            raise TemplateError(f"{_where(error, templates)}: {_problem(error)}") from None
    own, default = modules[0], modules[-1]
    macros = {name: getattr(own, name, None) or getattr(default, name) for name in MACROS}
    if not any(hasattr(own, name) for name in MACROS):
        raise TemplateError(
            f"{path}: defines none of the macros {', '.join(MACROS)} (see the built-in "
            "template: readmark export --print-template)"
        )
    return MarkdownTemplate(where, macros, templates)
