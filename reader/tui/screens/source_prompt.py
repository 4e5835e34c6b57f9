"""Asks for an article to add or for where a moved file is now: a path (completed) or a URL."""

from __future__ import annotations

import os

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static


def complete_path(value: str) -> str | None:
    """``value`` with its last path part completed as far as the files allow (a folder
    gets its ``/``); None when nothing (more) matches. ``~`` is understood."""
    if not value or "://" in value:
        return None
    expanded = os.path.expanduser(value)
    folder, start = os.path.split(expanded)
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return None
    matches = [n for n in names if n.startswith(start) and (start.startswith(".")
                                                          or not n.startswith("."))]
    if not matches:
        return None
    common = _shared_start(matches)
    if len(matches) == 1 and os.path.isdir(os.path.join(folder or ".", common)):
        common += os.sep
    if common == start:
        return None
    return value[: len(value) - len(start)] + common


def _shared_start(names: list[str]) -> str:
    """The longest start all ``names`` share (character by character: file names)."""
    first, last = min(names), max(names)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name as the path is typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class SourcePromptScreen(ModalScreen[str | None]):
    """A path or a web address in an input; ``tab`` (or ``right`` at the end) completes
    the path, ``enter`` accepts, ``escape`` cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
        Binding("tab", "complete", "Complete", id="prompt.complete",
                tooltip="Complete the file or folder name"),
    ]

    def __init__(self, question: str, value: str = "", *, hint: str = "") -> None:
        super().__init__()
        self._question = question
        self._value = value
        self._hint = hint or "tab completes · enter accepts · escape cancels"

    def compose(self) -> ComposeResult:
        with Vertical(id="source-dialog"):
            yield Static(self._question, id="source-question", markup=False)
            yield Input(self._value, id="source-input", suggester=PathSuggester())
            yield Static(self._hint, classes="dialog-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        box = self.query_one(Input)
        completed = complete_path(box.value)
        if completed is not None:
            box.value = completed
            box.cursor_position = len(completed)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify("Type a file's path or a web address.", severity="warning", timeout=3)
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
