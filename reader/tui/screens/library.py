"""The library: every article being read, with its progress, highlights and cards due.

``readmark`` with no argument opens here. ``enter`` opens an article (``q`` there
comes back), ``/`` filters as you type, ``s`` sorts, ``a`` adds a file or a web
address, ``d`` archives, ``D`` removes (after a confirmation; the highlights go to a
backup), ``r`` reviews everything due, ``h`` lists every highlight of every article,
and a missing file is marked and can be relinked (``R``, or ``enter`` on it).
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from reader.document.inert import inert
from reader.review.library import SORTS, LibraryRow, filter_rows, sort_rows, total_due
from reader.sources.loader import ArticleError, parse_article, read_article
from reader.store import StoreError
from reader.tui.screens import library_data as data
from reader.tui.screens.help import describe_bindings
from reader.tui.startup import resume_collection
from reader.tui.widgets.info_line import InfoLine
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.library_table import LibraryTable
from reader.tui.widgets.row_table import RowTable


class LibraryScreen(Screen[None]):
    """Every article of the library, one line each."""

    AUTO_FOCUS = "#library-table"

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="library.filter",
                tooltip="Filter the articles as you type (title, author, site, file)"),
        Binding("s", "sort", "Sort", id="library.sort",
                tooltip="Sort by last opened, title, progress or cards due"),
        Binding("a", "add", "Add", id="library.add",
                tooltip="Add an article: a file's path or a web address"),
        Binding("h", "highlights", "Highlights", id="library.highlights",
                tooltip="Every highlight of every article, searchable"),
        Binding("r", "review", "Review", id="library.review",
                tooltip="Review every card due now"),
        Binding("d", "archive", "Archive", id="library.archive",
                tooltip="Archive the article (hidden unless archived ones are shown), or "
                "bring an archived one back"),
        Binding("D", "remove", "Remove", id="library.remove", show=False,
                tooltip="Remove the article and its highlights (they go to a backup)"),
        Binding("A", "show_archived", "Show archived", id="library.show_archived", show=False,
                tooltip="Show or hide archived articles"),
        Binding("R", "relink", "Relink", id="library.relink", show=False,
                tooltip="Tell where the article's file is now (moved or renamed)"),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear_filter",
                show=False, tooltip="Clear the filter"),
    ]

    def __init__(self, store, *, clock=None) -> None:
        super().__init__()
        self.store = store
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._articles: list[dict] = []
        self._positions: dict[str, dict] = {}
        self._digests: dict = {}
        self._rows: list[LibraryRow] = []
        self.show_archived = False
        self.order = "opened"
        #: Whether the counts (highlights, notes, due) are in the rows yet.
        self.counted = False

    def compose(self) -> ComposeResult:
        yield InfoLine("Library", id="library-status")
        yield LibraryTable(id="library-table")
        box = Input(placeholder="filter: words of the title, author, site or file",
                    id="library-filter")
        box.display = False
        yield box
        yield KeyFooter()

    @property
    def table(self) -> LibraryTable:
        return self.query_one(LibraryTable)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#library-filter", Input)

    def help_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The keys of this screen, for the help screen."""
        return [("Library", [*describe_bindings(self.BINDINGS),
                             *describe_bindings(RowTable.BINDINGS)])]

    # ----------------------------------------------------------------- loading
    def on_mount(self) -> None:
        order = self.app.setting("library_sort", "opened") if hasattr(self.app, "setting") \
            else "opened"
        self.order = order if order in SORTS else "opened"
        try:
            data.seed_sample(self.store)
        except (StoreError, ArticleError) as error:
            self.notify(f"The sample could not be added: {error}", severity="warning")
        self.call_after_refresh(resume_collection)  # start-up is over once this is painted

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown (at first, and back from an article, a review or a dialog): read the
        rows again, since progress, highlights and cards may have changed."""
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Read the articles again (quick), then their counts (a worker)."""
        try:
            self._articles, self._positions = data.articles_and_positions(self.store)
            # Counted at once when every file's digest is cached (a few milliseconds),
            # else in a worker while the rows show without their counts.
            digests = data.library_digests(self.store, cached_only=True)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            digests = None
        if digests is not None:
            self._counted(digests, keep)
            return
        self._show(keep)
        self._count(keep)

    @work(thread=True, exclusive=True, group="library-counts")
    def _count(self, keep: str | None) -> None:
        try:
            digests = data.library_digests(self.store) or {}
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        self.app.call_from_thread(self._counted, digests, keep)

    def _counted(self, digests: dict, keep: str | None) -> None:
        self._digests = digests
        self.counted = True
        self._show(keep)

    def _show(self, keep: str | None = None) -> None:
        now = self._clock()
        current = self.table.current
        keep = keep or (current.article_id if current is not None else None)
        self._rows = data.rows_of(self._articles, self._positions, self._digests, now)
        query = self.filter_box.value if self.filter_box.display else ""
        shown = filter_rows(sort_rows(self._rows, self.order), query,
                            show_archived=self.show_archived)
        if self._rows:
            empty = "No article matches the filter." if query else (
                "Every article is archived (A shows them).")
        else:
            empty = "No articles yet: a adds a file or a web address."
        self.table.show(shown, now=now, keep=keep, empty=empty)
        self._status(shown, query)

    def _status(self, shown: list[LibraryRow], query: str) -> None:
        visible = [row for row in self._rows if self.show_archived or not row.archived]
        parts = [data.plural(len(visible), "article")]
        if query:
            parts = [f"{len(shown):,} of {len(visible):,} articles match “{inert(query)}”"]
        if self.counted:
            parts.append(data.plural(sum(row.highlights for row in visible), "highlight"))
            parts.append(f"{total_due(visible):,} due")
        archived = sum(row.archived for row in self._rows)
        if archived:
            parts.append(f"{archived} archived{' (shown)' if self.show_archived else ''}")
        parts.append(f"by {SORTS[self.order]}")
        self.query_one("#library-status", InfoLine).text = "Library  " + " · ".join(parts)

    # --------------------------------------------------------------- filtering
    def action_filter(self) -> None:
        box = self.filter_box
        box.display = True
        box.focus()

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._show()

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.filter_box
        if box.display:
            box.value = ""
            box.display = False
            self.table.focus()
            self._show()

    def action_sort(self) -> None:
        names = list(SORTS)
        self.order = names[(names.index(self.order) + 1) % len(names)]
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember("library_sort", self.order)
        self._show()

    def action_show_archived(self) -> None:
        self.show_archived = not self.show_archived
        self._show()

    # ----------------------------------------------------------------- opening
    @on(RowTable.Chosen, "#library-table")
    def _chosen(self, event: RowTable.Chosen) -> None:
        event.stop()
        row = self.table.current
        if row is not None:
            self.open_row(row)

    def open_row(self, row: LibraryRow) -> None:
        """Open an article; a missing file asks where it is now."""
        if row.missing:
            if row.web:
                self.notify(f"Fetching {row.url} again…", timeout=4)
                self._add(row.url, open_after=True)
                return
            self.action_relink()
            return
        try:
            source = read_article(row.path)
        except ArticleError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        self.open_source(source)

    def open_source(self, source, *, focus_highlight: str | None = None) -> None:
        """Show an article over the library; ``q`` there comes back here."""
        make = getattr(self.app, "reading_screen", None)
        if make is not None:
            screen = make(source, focus_highlight=focus_highlight, from_library=True)
        else:
            from reader.tui.screens.reading import ReadingScreen

            screen = ReadingScreen(source, self.store, focus_highlight=focus_highlight,
                                   from_library=True)
        self.app.push_screen(screen)

    # ---------------------------------------------------------------- changing
    def action_add(self) -> None:
        from reader.tui.screens.source_prompt import SourcePromptScreen

        def chosen(value: str | None) -> None:
            if value:
                self.notify(f"Adding {value}…", timeout=3)
                self._add(value)

        self.app.push_screen(SourcePromptScreen("Add an article: a file's path or a web address"),
                             chosen)

    @work(thread=True, group="library-add")
    def _add(self, argument: str, open_after: bool = False) -> None:
        try:
            added = data.add(self.store, argument)
        except (ArticleError, StoreError, OSError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            return
        self.app.call_from_thread(self._added, added, open_after)

    def _added(self, added: data.Added, open_after: bool) -> None:
        title = inert(str(added.article.get("title") or ""))
        self.notify(f"Added “{title}”." if added.new else f"“{title}” is already in the "
                    "library.", timeout=4)
        self.reload(keep=added.article["id"])
        if open_after:
            row = self.table.current
            if row is not None and not row.missing:
                self.open_row(row)

    def action_archive(self) -> None:
        row = self.table.current
        if row is None:
            return
        try:
            self.store.set_archived(row.article_id, not row.archived)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        title = inert(row.title)
        self.notify(f"Brought “{title}” back." if row.archived else
                    f"Archived “{title}” (A shows archived articles; d brings it back).",
                    timeout=4)
        self.reload()

    def action_remove(self) -> None:
        row = self.table.current
        if row is None:
            return
        from reader.tui.screens.confirm import ConfirmScreen

        counts = data.plural(row.highlights, "highlight")
        if row.notes:
            counts += f" and {data.plural(row.notes, 'note')}"
        question = (f"Remove “{inert(row.title)}” from the library? Its {counts} go with it "
                    "(into a backup, from which they can be restored). The file itself "
                    "is not touched.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(row)

        self.app.push_screen(ConfirmScreen(question, yes="Remove", no="Keep"), answered)

    def _remove(self, row: LibraryRow) -> None:
        try:
            count, backup = self.store.remove_article(row.article_id)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        kept = f" They are in the backup {backup}." if backup is not None and count else ""
        self.notify(f"Removed “{inert(row.title)}” and its {data.plural(count, 'highlight')}."
                    f"{kept}", timeout=10)
        self.reload()

    def action_relink(self) -> None:
        row = self.table.current
        if row is None:
            return
        from reader.tui.screens.source_prompt import SourcePromptScreen

        question = (f"“{inert(row.title)}” was at {inert(row.path) or 'an unknown place'}"
                    f"{' (missing)' if row.missing else ''}. Where is it now?")

        def chosen(value: str | None) -> None:
            if value:
                self._relink(row, value)

        self.app.push_screen(SourcePromptScreen(question, hint="tab completes · enter "
                                                "relinks · escape cancels"), chosen)

    @work(thread=True, group="library-relink")
    def _relink(self, row: LibraryRow, argument: str) -> None:
        from reader.export.relinking import relink

        try:
            source = read_article(os.path.expanduser(argument.strip()))
            document = parse_article(source)
            done = relink(self.store, row.article_id, source, document)
        except (ArticleError, StoreError) as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
            return
        found = done.highlights - len(done.detached)
        text = f"Relinked “{inert(row.title)}”: {found} of {done.highlights} highlights found"
        if done.detached:
            text += f"; {len(done.detached)} could not be found and are listed under Detached"
        self.app.call_from_thread(self.notify, text + ".", timeout=8)
        self.app.call_from_thread(self.reload, row.article_id)

    # ----------------------------------------------------------------- others
    def action_review(self) -> None:
        due = total_due(self._rows)
        if self.counted and not due:
            try:
                line = data.nothing_due_line(self.store, self._clock())
            except StoreError as error:
                line = f"No card is due now (the highlights could not be read: {error})."
            self.notify(line, timeout=8)
            return
        from reader.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.store, new=0))

    def action_highlights(self) -> None:
        from reader.tui.screens.all_highlights import AllHighlightsScreen

        self.app.push_screen(AllHighlightsScreen(self.store, articles=self._articles))


def go_to_library(app) -> None:
    """Show the library from wherever the reader is: back down to it when it is open
    under this screen, else in place of this screen (which saves its position)."""
    stack = list(app.screen_stack)
    for depth, screen in enumerate(reversed(stack)):
        if isinstance(screen, LibraryScreen):
            for above in stack[len(stack) - depth:]:
                save = getattr(above, "save_position", None)
                if save is not None:  # before the library reads the positions
                    save()
            for _ in range(depth):
                app.pop_screen()
            return
    from reader.tui.screens.review import ReviewScreen

    if any(isinstance(screen, ReviewScreen) for screen in stack):
        app.notify("Finish the review first (q), then the library opens.", timeout=4)
        return
    app.switch_screen(LibraryScreen(app.store))
