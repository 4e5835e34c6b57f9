"""Every highlight of every article on one screen, filtered as you type.

The filter is :mod:`reader.annotations.search`'s query (words, ``c:colour``,
``#tag``, ``in:article``, ``has:note``); ``enter`` opens the article at the
highlight, and ``q`` there comes back here. The highlights are read from the
store's digests and indexed by a worker, so the screen shows at once.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from reader.annotations.search import HighlightIndex
from reader.document.inert import inert
from reader.sources.loader import ArticleError, read_article
from reader.store import StoreError
from reader.tui.screens import library_data as data
from reader.tui.screens.help import describe_bindings
from reader.tui.widgets.highlights_table import HighlightsTable
from reader.tui.widgets.info_line import InfoLine
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.row_table import RowTable


class AllHighlightsScreen(Screen[None]):
    """The highlights of the whole library, newest first."""

    #: The list has the focus at first, as in the library: its keys (j, k, enter) work
    #: at once, and ``/`` goes to the filter.
    AUTO_FOCUS = "#highlights-table"

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="highlights.filter",
                tooltip="Filter: words, c:colour, #tag, in:article, has:note"),
        Binding("escape", "back", "Back", id="highlights.back",
                tooltip="From the filter to the list; from the list back to the library"),
        Binding("down", "to_list", "To the list", id="highlights.to_list", show=False,
                tooltip="From the filter down into the list"),
    ]

    #: ``q`` goes back to the screen below (the library) instead of quitting.
    returns = True

    def __init__(self, store, *, articles: list[dict] | None = None) -> None:
        super().__init__()
        self.store = store
        self._articles = articles
        self.index: HighlightIndex | None = None

    def compose(self) -> ComposeResult:
        yield InfoLine("Highlights  loading…", id="highlights-status")
        yield Input(placeholder="filter: words  c:colour  #tag  in:article  has:note",
                    id="highlights-filter")
        yield HighlightsTable(id="highlights-table")
        yield KeyFooter()

    @property
    def table(self) -> HighlightsTable:
        return self.query_one(HighlightsTable)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#highlights-filter", Input)

    def help_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys of this screen, for the help screen."""
        return [("Highlights", [*describe_bindings(self.BINDINGS),
                                *describe_bindings(RowTable.BINDINGS)])]

    # ----------------------------------------------------------------- loading
    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="highlights-load")
    def _load(self) -> None:
        try:
            articles = self._articles if self._articles is not None else self.store.articles()
            index = HighlightIndex(articles, data.search_digests_of(self.store))
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._loaded, index)

    def _loaded(self, index: HighlightIndex) -> None:
        self.index = index
        self.apply_filter(self.filter_box.value)

    def apply_filter(self, query: str) -> None:
        """Show the highlights matching ``query`` (what each keystroke in the filter does)."""
        if self.index is None:
            return
        found = self.index.search(query)
        total = len(self.index)
        if not total:
            empty = "No highlights yet: h in an article highlights a sentence."
        else:
            empty = "No highlight matches the filter."
        self.table.show(self.index, found, empty=empty)
        articles = self.index.article_count  # those with a highlight, not the library
        if query.strip():
            status = f"{len(found):,} of {total:,} highlights match “{inert(query.strip())}”"
        else:
            status = f"{total:,} highlight{'s' if total != 1 else ''} in {articles:,} " \
                     f"article{'s' if articles != 1 else ''}, newest first"
        self.query_one("#highlights-status", InfoLine).text = "Highlights  " + status

    @on(Input.Changed, "#highlights-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    @on(Input.Submitted, "#highlights-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    # ----------------------------------------------------------------- moving
    def action_filter(self) -> None:
        self.filter_box.focus()

    def action_to_list(self) -> None:
        if self.filter_box.has_focus:
            self.table.focus()

    def action_back(self) -> None:
        if self.filter_box.has_focus:
            self.table.focus()
        else:
            self.dismiss(None)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from an article: its highlights may have changed; index them again."""
        if self.index is not None:
            self._articles = None  # titles may have changed too
            self._load()

    @on(RowTable.Chosen, "#highlights-table")
    def _chosen(self, event: RowTable.Chosen) -> None:
        event.stop()
        hit = self.table.current
        if hit is None:
            return
        try:
            source = read_article(hit.path)
        except ArticleError as error:
            self.notify(f"{error} (the library can relink a moved file: R)", severity="error",
                        timeout=8)
            return
        make = getattr(self.app, "reading_screen", None)
        if make is not None:
            screen = make(source, focus_highlight=hit.id, from_library=True)
        else:
            from reader.tui.screens.reading import ReadingScreen

            screen = ReadingScreen(source, self.store, focus_highlight=hit.id,
                                   from_library=True)
        self.app.push_screen(screen)
