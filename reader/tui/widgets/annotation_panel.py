"""The side panel that lists every highlight of the article, grouped by section.

The panel owns the counts line and the filter box; the entries are drawn by
:class:`AnnotationList` (annotation_list.py), grouped by annotation_rows.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from reader.annotations.records import Highlight, HighlightFilter
from reader.tui.widgets.annotation_list import AnnotationList


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class AnnotationPanel(Vertical):
    """Every highlight of the article, grouped by section, with a filter box.

    ``enter`` or a click on an entry posts :class:`AnnotationPanel.Selected`.
    ``mark_nearest`` makes the cursor follow the reading position while the
    reader is not using the panel. ``panel.focus()`` focuses the list; ``/``
    there goes to the filter box, and escape backs out one step at a time: out
    of the box, then the filter cleared, then it is the screen's.
    """

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="annotations.filter",
                tooltip="Filter the highlights: words, c:colour, #tag, has:note"),
        Binding("escape", "back", "Back", id="annotations.back", show=False,
                tooltip="Leave the filter box; again to clear the filter"),
    ]

    @classmethod
    def help_bindings(cls) -> list[Binding]:
        """Every key of the panel, its list's first, for the help screen."""
        return [*AnnotationList.BINDINGS, *cls.BINDINGS]

    class Selected(Message):
        """An entry was chosen: the screen shows that highlight in the article."""

        def __init__(self, panel: AnnotationPanel, highlight_id: str) -> None:
            super().__init__()
            self.panel = panel
            self.highlight_id = highlight_id

        @property
        def control(self) -> AnnotationPanel:
            return self.panel

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._highlights: list[Highlight] = []
        self._query = ""
        self._filter = HighlightFilter()
        self._reading_offset: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="annotation-counts", markup=False)
        yield Input(placeholder="/ filter: words c:green #tag has:note", id="annotation-filter")
        yield AnnotationList(id="annotation-list")

    def on_mount(self) -> None:
        self._show()
        if self._reading_offset is not None:
            self.mark_nearest(self._reading_offset)

    @property
    def _entries(self) -> AnnotationList:
        return self.query_one(AnnotationList)

    @property
    def _filter_box(self) -> Input:
        return self.query_one("#annotation-filter", Input)

    # ------------------------------------------------------------------ public
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Replace the list (in document order), keeping the filter and the cursor."""
        self._highlights = list(highlights)
        if self.is_mounted:
            self._show(keep=self._entries.cursor_id, same_place=True)

    @property
    def selected_id(self) -> str | None:
        """Id of the highlight under the cursor, or None."""
        return self._entries.cursor_id if self.is_mounted else None

    @property
    def filter_text(self) -> str:
        """The text of the filter box ("" when everything is shown)."""
        return self._query

    def mark_nearest(self, offset: int) -> None:
        """Follow the reading position: put the cursor on the attached highlight
        nearest to ``offset``, unless the reader is working in the panel."""
        self._reading_offset = offset
        if not self.is_mounted or self.has_focus_within:
            return
        entries = self._entries
        row = entries.row_nearest(offset)
        if row >= 0:
            entries.cursor = row

    def move_to(self, highlight_id: str) -> bool:
        """Put the cursor on ``highlight_id`` (a new highlight, say); False if not shown."""
        return self.is_mounted and self._entries.move_to_id(highlight_id)

    def focus(self, scroll_visible: bool = True) -> AnnotationPanel:
        """Focus the list of entries (the panel itself takes no focus)."""
        if self.is_mounted:
            self._entries.focus(scroll_visible)
        return self

    # ---------------------------------------------------------------- showing
    def _show(self, keep: str | None = None, same_place: bool = False) -> None:
        filtered = bool(self._query.strip())
        if filtered:
            matches = self._filter.matches
            shown = [highlight for highlight in self._highlights if matches(highlight)]
        else:
            shown = self._highlights
        self._entries.set_entries(
            shown,
            keep=keep,
            same_place=same_place,
            empty_message="Nothing matches the filter." if filtered else "No highlights yet.",
        )
        self.query_one("#annotation-counts", Static).update(self._counts(len(shown), filtered))

    def _counts(self, shown: int, filtered: bool) -> str:
        total = len(self._highlights)
        if filtered:
            return f"{shown} of {total} shown"
        if not total:
            return "No highlights"
        notes = sum(1 for highlight in self._highlights if highlight.has_note)
        parts = [_plural(total, "highlight"), _plural(notes, "note")]
        detached = sum(1 for highlight in self._highlights if highlight.detached)
        if detached:
            parts.append(f"{detached} detached")
        return " · ".join(parts)

    # ----------------------------------------------------------------- filter
    @on(Input.Changed, "#annotation-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = event.value
        self._filter = HighlightFilter.parse(event.value)
        # Keep the entry under the cursor when it still matches, else go to the top.
        self._show(keep=self._entries.cursor_id)

    @on(Input.Submitted, "#annotation-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._entries.focus()

    @on(AnnotationList.EntrySelected)
    def _entry_selected(self, event: AnnotationList.EntrySelected) -> None:
        event.stop()
        self.post_message(self.Selected(self, event.highlight_id))

    def action_focus_filter(self) -> None:
        self._filter_box.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # Only while there is something to go back from; otherwise escape
            # goes on to the screen (which may close the panel).
            return self._filter_box.has_focus or bool(self._query)
        return True

    def action_back(self) -> None:
        box = self._filter_box
        if box.has_focus:
            self._entries.focus()
        else:
            box.value = ""  # posts Input.Changed, which shows everything again
