"""Asks where exports go; the answer is remembered by the caller."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class FolderPromptScreen(ModalScreen[Path | None]):
    """A folder path in an input; enter accepts (``~`` is expanded), escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="folder.cancel")]

    def __init__(self, question: str, folder: Path) -> None:
        super().__init__()
        self._question = question
        self._folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="folder-dialog"):
            yield Static(self._question, id="folder-question", markup=False)
            yield Input(str(self._folder), id="folder-input")
            yield Static("enter export here · escape cancel", classes="dialog-keys")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify("Type a folder to export to.", severity="warning")
            return
        folder = Path(value).expanduser()
        if folder.exists() and not folder.is_dir():
            self.notify(f"{folder} is a file, not a folder.", severity="error")
            return
        self.dismiss(folder)

    def action_cancel(self) -> None:
        self.dismiss(None)
