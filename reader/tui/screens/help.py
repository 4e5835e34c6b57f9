"""The `?` screen: every key, grouped by what it acts on."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import _character_to_key, key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

HelpGroup = tuple[str, list[tuple[str, str]]]


class HelpRow(tuple):
    """One row, ``(keys, description)``, that also knows its binding's id, so the help
    shows the keys as the config file's [keymap] remapped them."""

    binding_id: str | None

    def __new__(cls, keys: str, description: str, binding_id: str | None = None) -> HelpRow:
        row = super().__new__(cls, (keys, description))
        row.binding_id = binding_id
        return row


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
            config = getattr(self.app, "user_config", None)
            for title, rows in self._groups:
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", min_width=16)
                table.add_column()
                for row in rows:
                    keys, description = row
                    binding_id = getattr(row, "binding_id", None)
                    if config is not None:
                        remapped = config.keys_for(binding_id)
                        if remapped:
                            keys = ", ".join(_key_label(key) for key in remapped.split(","))
                        description = config.describe(binding_id, description)
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
        rows.append(HelpRow(keys, binding.tooltip or binding.description, binding.id))
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
    if key in _KEY_LABELS:
        return _KEY_LABELS[key]
    character = key_to_character(key) if len(key) > 1 and "+" not in key else None
    if character is not None and character.isprintable() and _character_to_key(character) == key:
        return character
    return key
