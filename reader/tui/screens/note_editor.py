"""The dialog for writing the note attached to a highlight."""

from __future__ import annotations

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from reader.document.inert import inert
from reader.tui.external_editor import EditorError, edit_text, editor_command
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
    ctrl+o hands the note to $VISUAL (or $EDITOR), the app suspended meanwhile; what
    the editor saves comes back here, still to be saved with ctrl+s.
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note.cancel",
                tooltip="Close without saving (asks if the note changed)"),
        Binding("ctrl+o", "external_editor", "Editor", id="note.editor",
                tooltip="Edit the note in $VISUAL or $EDITOR (it comes back here)"),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self._quote = quote
        self._note = note
        # What the box shows: the note with any control character made visible (an
        # imported note may hold escapes a terminal would obey). Saved unchanged, the
        # note keeps its own characters.
        self._shown = inert(note, multiline=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Note"
            yield Static(inert(shorten_quote(self._quote)), id="note-quote", markup=False)
            yield TextArea(self._shown, soft_wrap=True, id="note-text",
                           placeholder="Write a note about this passage")
            yield Static(self._keys_line(), id="note-keys", classes="dialog-keys",
                         markup=False)

    def on_mount(self) -> None:
        text_area = self.query_one("#note-text", TextArea)
        text_area.move_cursor(text_area.document.end)
        text_area.focus()

    def _keys_line(self) -> str:
        """The dialog's keys, as the config file's [keymap] may have remapped them."""
        config = getattr(self.app, "user_config", None)

        def key(binding_id: str, default: str) -> str:
            remapped = config.keys_for(binding_id) if config is not None else None
            return remapped.split(",")[0] if remapped else default

        return (f"{key('note.save', 'ctrl+s')} save · {key('note.cancel', 'escape')} cancel · "
                f"{key('note.editor', 'ctrl+o')} your $EDITOR")

    @property
    def text(self) -> str:
        """The note as it stands in the editor."""
        return self.query_one("#note-text", TextArea).text

    @property
    def changed(self) -> bool:
        return self.text != self._shown

    def action_save(self) -> None:
        self.dismiss(self.text if self.changed else self._note)

    def action_external_editor(self) -> None:
        """Edit the note in $VISUAL/$EDITOR; the text it saves replaces the editor's."""
        try:
            command = editor_command()
        except EditorError as error:
            self.notify(str(error), severity="warning", timeout=8)
            return
        problem: EditorError | None = None
        edited: str | None = None
        try:
            with self.app.suspend():
                try:  # nothing may escape: the app resumes only after the block
                    edited = edit_text(self.text, command)
                except EditorError as error:
                    problem = error
        except SuspendNotSupported:
            self.notify("The terminal cannot be handed to another program here (a "
                        "browser, say); write the note in this box.", severity="warning",
                        timeout=8)
            return
        if problem is not None or edited is None:
            self.notify(str(problem), severity="error", timeout=10)
            return
        text_area = self.query_one("#note-text", TextArea)
        text_area.load_text(inert(edited, multiline=True))  # as the box shows any note
        text_area.move_cursor(text_area.document.end)
        text_area.focus()

    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def discard(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this note?"), discard)
