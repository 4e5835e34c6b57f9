"""The dialog for writing the note attached to a highlight."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.tui.screens.confirm import ConfirmScreen

#: Longest quote shown above the note; the passage is context, not the subject.
QUOTE_LIMIT = 240


def shorten_quote(quote: str, limit: int = QUOTE_LIMIT) -> str:
    """The quote on one paragraph, cut at a word boundary with an ellipsis past ``limit``."""
    text = " ".join(quote.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.") + "…"


class NoteEditorScreen(ModalScreen[str | None]):
    """Edits a note; dismisses with the text on ctrl+s, or None when cancelled.

    Escape with unsaved changes asks first, so a stray key never loses a note.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note.cancel",
                tooltip="Close without saving (asks if the note changed)"),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self._quote = quote
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(shorten_quote(self._quote), id="note-quote", markup=False)
            yield TextArea(self._note, soft_wrap=True, id="note-text",
                           placeholder="Write a note about this passage")
            yield Static("ctrl+s save · escape cancel", id="note-keys", classes="dialog-keys")

    def on_mount(self) -> None:
        text_area = self.query_one("#note-text", TextArea)
        text_area.move_cursor(text_area.document.end)
        text_area.focus()

    @property
    def text(self) -> str:
        """The note as it stands in the editor."""
        return self.query_one("#note-text", TextArea).text

    @property
    def changed(self) -> bool:
        return self.text != self._note

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def discard(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this note?"), discard)
