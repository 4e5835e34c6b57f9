"""The reading screen's highlight actions: make, colour, note, tag, delete, undo and re-attach.

The screen owns one :class:`AnnotationActions` and keeps the key bindings (users
remap them by id); each of its highlight actions calls the method of the same
name here. Every store change goes through ``guarded``, so a failing library is
reported and the reading goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from reader.annotations.annotator import Annotator
from reader.annotations.records import DEFAULT_COLOR, Anchoring, Highlight, trim_span
from reader.document.model import Document
from reader.store import StoreError

if TYPE_CHECKING:
    from reader.tui.screens.reading import ReadingScreen
    from reader.tui.widgets.article_view import ArticleView

_T = TypeVar("_T")


class AnnotationActions:
    """The highlights of the article being read, and what the reader does with them."""

    def __init__(self, screen: ReadingScreen) -> None:
        self._screen = screen
        self.annotator: Annotator | None = None
        self.next_color = DEFAULT_COLOR
        #: A highlight, note or tags asked for before the article had loaded, and the
        #: text it was asked for: done once it has, rather than dropped (keys typed
        #: straight after opening), if the cursor is still on that text.
        self._waiting: tuple[Callable[[], None], str] | None = None

    @property
    def _view(self) -> ArticleView:
        return self._screen.view

    # --------------------------------------------------------------- showing
    def start(self, document: Document, records: list[dict],
              anchoring: Anchoring | None) -> None:
        """Anchor the stored ``records`` in ``document`` and show them (needs an article id)."""
        screen = self._screen
        if screen.article_id is None:
            return
        self.annotator = Annotator(screen.store, screen.article_id)
        try:
            detached = self.annotator.anchor(document, records, anchoring)
        except StoreError as error:
            detached = sum(h.detached for h in self.annotator.highlights)
            screen.notify(f"Highlights were re-anchored but not saved: {error}",
                          severity="warning", timeout=10)
        self.show()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            action, asked_on = waiting
            if self._target_text() == asked_on:
                screen.call_after_refresh(action)
            else:
                screen.notify("The article has loaded; the cursor moved meanwhile, so press "
                              "the key again where you want it.", timeout=5)
        if screen.focus_highlight is not None:
            wanted = self.annotator.get(screen.focus_highlight)
            if wanted is not None and not wanted.detached:
                self._view.move_cursor_to_offset(wanted.start, top=True)
        if detached:
            screen.notify(
                f"{detached} highlight(s) could not be found in this version of the article. "
                "They are kept, under Detached in the highlights panel (p).",
                severity="warning", timeout=10,
            )

    def show(self) -> None:
        """Draw the highlights in the view and list them in the panel (if it is built)."""
        if self.annotator is not None:
            self._view.set_highlights(self.annotator.highlights)
            panel = self._screen.highlights_panel()
            if panel is not None:
                panel.set_highlights(self.annotator.highlights)
                panel.mark_nearest(self._view.cursor_offset)

    def poll(self) -> None:
        """Show what another readmark process changed (notes made in a second terminal)."""
        try:
            if self.annotator is not None and self.annotator.reload_if_changed():
                self.show()
        except StoreError:
            pass  # the next poll tries again; changes here are still saved

    def after_review(self) -> None:
        """Notes and tags may have been edited during a review: read them again."""
        if self.annotator is not None and self.annotator.document is not None:
            self.guarded(self.annotator.anchor, self.annotator.document)
            self.show()

    # --------------------------------------------------------------- helpers
    def _target_span(self) -> tuple[int, int] | None:
        """What h acts on: the selection if there is one, else the cursor's sentence."""
        return self._view.selection_span or self._view.cursor_span

    def _target_text(self) -> str:
        span = self._target_span()
        return self._view.document.text[span[0] : span[1]] if span is not None else ""

    def _under_cursor(self) -> Highlight | None:
        span = self._target_span()
        if span is None:
            return None
        found = self._view.highlights_over(*span)
        return found[0] if found else None

    def guarded(self, action: Callable[..., _T], *args: object) -> _T | None:
        """Run a store change; a failure is reported, never a crash, and nothing is lost."""
        try:
            return action(*args)
        except StoreError as error:
            self._screen.notify(str(error), severity="error", timeout=10)
        except ValueError as error:
            self._screen.notify(str(error), severity="warning", timeout=5)
        return None

    def _ready(self, action: Callable[[], None]) -> bool:
        """Whether highlights can be made now; if not, ``action`` waits for the load."""
        if self.annotator is not None:
            return True
        self._waiting = (action, self._target_text())
        self._screen.notify("Loading the article: that follows in a moment.", timeout=3)
        return False

    def _make(self) -> Highlight | None:
        if self.annotator is None:
            return None
        span = self._target_span()
        if span is None:
            return None
        highlight = self.guarded(self.annotator.add, span[0], span[1], self.next_color)
        if highlight is not None:
            self._view.clear_selection()
            self.show()
        return highlight

    # --------------------------------------------------------------- actions
    def highlight(self) -> None:
        """Highlight the selection, or else the cursor's sentence (not twice)."""
        if not self._ready(self.highlight):
            return
        span = self._target_span()
        if span is not None and self.annotator is not None and self.annotator.document:
            wanted = trim_span(self.annotator.document.text, *span)
            if any((h.start, h.end) == wanted for h in self._view.highlights_over(*span)):
                self._screen.notify("Already highlighted (x deletes it, 1-5 recolour it).",
                                    timeout=3)
                return
        self._make()

    def color(self, color: str) -> None:
        """Recolour the highlight under the cursor, or else choose the next one's colour."""
        highlight = self._under_cursor()
        if highlight is None or self.annotator is None:
            self.next_color = color
            config = getattr(self._screen.app, "user_config", None)  # the file's names
            name = config.colour_name(color) if config is not None else color
            self._screen.notify(f"The next highlight will be {name}.", timeout=2)
            return
        if self.guarded(self.annotator.set_color, highlight.id, color) is not None:
            self.show()

    def delete(self) -> None:
        """Delete the highlight under the cursor."""
        highlight = self._under_cursor()
        if highlight is None or self.annotator is None:
            self._screen.notify("No highlight here.", severity="warning", timeout=2)
            return
        if self.guarded(self.annotator.delete, highlight.id) is not None:
            self.show()
            self._screen.notify("Highlight deleted — u undoes it.", timeout=3)

    def undo(self) -> None:
        """Undo the last highlight change."""
        if self.annotator is None:
            return
        described = self.guarded(self.annotator.undo)
        if described is None:
            self._screen.notify("Nothing to undo.", timeout=2)
            return
        self.show()
        self._screen.notify(f"Undone: {described}.", timeout=2)

    def note(self) -> None:
        """Edit the note of the highlight under the cursor (made first if needed;
        a highlight made only to hold the note goes again if the note is not saved)."""
        if not self._ready(self.note):
            return
        made = self._for_editing()
        if made is None:
            return
        highlight, fresh = made

        def save(note: str | None) -> None:
            if note is None:
                if fresh is not None:
                    self._take_back(highlight, fresh)
                return
            if (note != highlight.note and self.annotator is not None
                    and self.guarded(self.annotator.set_note, highlight.id, note) is not None):
                self.show()

        from reader.tui.screens.note_editor import NoteEditorScreen

        self._screen.app.push_screen(NoteEditorScreen(highlight.text, highlight.note), save)

    def tags(self) -> None:
        """Edit the tags of the highlight under the cursor (made first if needed;
        a highlight made only to hold the tags goes again if they are not saved)."""
        if not self._ready(self.tags):
            return
        made = self._for_editing()
        if made is None or self.annotator is None:
            return
        highlight, fresh = made

        def save(tags: tuple[str, ...] | None) -> None:
            if tags is None:
                if fresh is not None:
                    self._take_back(highlight, fresh)
                return
            if (tags != highlight.tags and self.annotator is not None
                    and self.guarded(self.annotator.set_tags, highlight.id, tags) is not None):
                self.show()

        from reader.tui.screens.tag_editor import TagEditorScreen

        self._screen.app.push_screen(
            TagEditorScreen(highlight.tags, self.annotator.known_tags()), save)

    def _for_editing(self) -> tuple[Highlight, int | None] | None:
        """The highlight under the cursor, or a new one made for it; with a new one,
        the depth of the undo history just after making it (None for an old one)."""
        highlight = self._under_cursor()
        if highlight is not None:
            return highlight, None
        highlight = self._make()
        if highlight is None or self.annotator is None:
            return None
        return highlight, len(self.annotator.history)

    def _take_back(self, highlight: Highlight, depth: int) -> None:
        """Remove a highlight made for a note or tags that were not saved, and its
        step in the undo history, as if it had never been made."""
        annotator = self.annotator
        if annotator is None or annotator.get(highlight.id) is None:
            return
        if len(annotator.history) == depth:  # its step is still the last one
            self.guarded(annotator.undo)
        else:
            self.guarded(annotator.delete, highlight.id)
        self.show()

    async def focus_panel(self) -> None:
        """Move into the highlights panel (opening it first); from inside it, back
        to the article."""
        screen = self._screen
        panel = screen.highlights_panel()
        if panel is not None and panel.display and panel.has_focus_within:
            self._view.focus()
            return
        if panel is None or not panel.display:
            await screen.action_toggle_panel()
            panel = screen.highlights_panel()
        if panel is not None and panel.display:
            panel.focus()

    def chosen_in_panel(self, highlight_id: str) -> None:
        """Show the chosen highlight; a detached one is re-attached to the selection."""
        if self.annotator is None:
            return
        highlight = self.annotator.get(highlight_id)
        if highlight is None:
            return
        view = self._view
        if not highlight.detached:
            view.move_cursor_to_offset(highlight.start)
            view.focus()
            return
        span = view.selection_span
        if span is None:
            self._screen.notify("To re-attach it, select the new text in the article (v, or "
                                "the mouse), then press enter on this entry again.", timeout=6)
            return
        if self.guarded(self.annotator.reattach, highlight.id, *span) is not None:
            view.clear_selection()
            self.show()
            self._screen.notify("Re-attached.", timeout=2)
