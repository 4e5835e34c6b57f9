"""The review card: where a highlight comes from, its passage, its note and its tags.

:class:`ReviewCard` draws one :class:`~reader.review.queue.ReviewItem` as the
review screen asks (before or after ``space``); the screen keeps the session and
the keys.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reader.annotations.records import COLORS
from reader.document.inert import inert
from reader.review.passages import Passage
from reader.review.queue import ReviewItem


class PassageView(Static):
    """The highlighted passage, the highlight marked in its colour, the context muted."""

    COMPONENT_CLASSES = {
        "passage--context",
        *(f"passage--highlight-{color}" for color in COLORS),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.passage = Passage("", "", "")
        self.color = COLORS[0]
        self.with_context = True

    def show(self, passage: Passage, color: str, *, with_context: bool) -> None:
        """Draw ``passage`` (the context only when ``with_context``)."""
        self.passage, self.color, self.with_context = passage, color, with_context
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        # As ArticleView does: keep only the attributes the component sets, with
        # translucent colours blended over the background.
        partial = self.get_component_rich_style(name, partial=True)
        full = self.get_component_rich_style(name)
        return partial.without_color + Style.from_color(
            full.color if partial.color is not None else None,
            full.bgcolor if partial.bgcolor is not None else None,
        )

    def render(self) -> Text:
        marked = self._style(f"passage--highlight-{self.color}")
        before, text, after = (inert(part, multiline=True) for part in (
            self.passage.before, self.passage.text, self.passage.after))
        if not self.with_context:
            return Text(text, style=marked)
        context = self._style("passage--context")
        return Text.assemble((before, context), (text, marked), (after, context))


class ReviewCard(Vertical):
    """The card of the highlight on show (``#card``): title, section, passage, note, tags."""

    def compose(self) -> ComposeResult:
        yield Static("", id="card-title", markup=False)
        yield Static("", id="card-section", markup=False)
        yield PassageView(id="card-passage")
        yield Static("", id="card-back-label")
        yield Static("", id="card-back", markup=False)
        yield Static("", id="card-tags", markup=False)

    def show(self, item: ReviewItem, passage: Passage, *, revealed: bool) -> None:
        """Draw ``item`` with ``passage``, its note (or context) shown when ``revealed``."""
        self.query_one("#card-title", Static).update(inert(item.title))
        section = self.query_one("#card-section", Static)
        section.update(" › ".join(inert(part) for part in item.section))
        section.display = bool(item.section)
        with_context = item.has_note or revealed
        self.query_one(PassageView).show(passage, item.color, with_context=with_context)
        label = self.query_one("#card-back-label", Static)
        back = self.query_one("#card-back", Static)
        if item.has_note:
            label.update("Note")
            label.display = True
            back.update(inert(item.note, multiline=True) if revealed else "space shows the note")
            back.set_class(not revealed, "hidden-answer")
            back.display = True
        else:
            label.display = False
            back.update("space shows the context")
            back.set_class(True, "hidden-answer")
            back.display = not revealed
        if not passage.from_article and with_context:
            back.display = True
            if revealed and not item.has_note:
                back.update("(the article could not be read: this is the context saved "
                            "with the highlight)")
        tags = self.query_one("#card-tags", Static)
        tags.update(" ".join(f"#{inert(tag)}" for tag in item.tags))
        tags.display = bool(item.tags)
