"""The `?` screen: every key, grouped by what it acts on."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

HelpGroup = tuple[str, list[tuple[str, str]]]


class HelpScreen(ModalScreen[None]):
    """Lists keys and what they do; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close", id="help.close"),
    ]

    def __init__(self, groups: list[HelpGroup]) -> None:
        super().__init__()
        self._groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static("[b]readmark keys[/b]   (escape closes)", id="help-title")
            for title, rows in self._groups:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", min_width=16)
                table.add_column()
                for keys, description in rows:
                    table.add_row(keys, description)
                yield Static(f"[b]{title}[/b]", classes="help-group")
                yield Static(table, classes="help-table")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


def describe_bindings(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys as shown to a person, description) for each binding with a description."""
    rows = []
    for binding in bindings:
        if not binding.description:
            continue
        keys = ", ".join(_key_label(key) for key in binding.key.split(","))
        rows.append((keys, binding.tooltip or binding.description))
    return rows


_KEY_LABELS = {
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "slash": "/",
    "plus": "+",
    "minus": "-",
    "equals_sign": "=",
    "number_sign": "#",
    "space": "space",
}


def _key_label(key: str) -> str:
    key = key.strip()
    return _KEY_LABELS.get(key, key)
