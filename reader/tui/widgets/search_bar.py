"""The search box that `/` opens at the bottom of the reading screen."""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class SearchBar(Horizontal):
    """An input that posts Search on enter and Closed on escape."""

    BINDINGS = [Binding("escape", "close", "Close search", id="search.close")]

    class Search(Message):
        def __init__(self, bar: SearchBar, query: str) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> SearchBar:
            return self.bar

    class Closed(Message):
        def __init__(self, bar: SearchBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> SearchBar:
            return self.bar

    def compose(self):
        yield Label("Search:", id="search-label")
        yield Input(placeholder="words to find (enter: search, n/N: next/previous)",
                    id="search-input")

    def open(self, query: str = "") -> None:
        self.display = True
        field = self.query_one(Input)
        if query:
            field.value = query
        field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Search(self, event.value))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed(self))
