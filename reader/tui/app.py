"""The readmark application and the factory the CLI and the tests share."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from reader.document.inert import inert
from reader.sources.loader import ArticleSource
from reader.sources.shipped import styles_dir
from reader.store import StoreError
from reader.tui.commands import ReadmarkCommands
from reader.tui.screens.help import HelpScreen, describe_bindings
from reader.tui.user_config import AppConfig

if TYPE_CHECKING:
    from reader.tui.screens.reading import ReadingScreen

#: The app's CSS class for each colour system Rich can write with (``Console.color_system``).
#: ``None`` (a terminal Rich thinks has no colour) is drawn in truecolor by Textual.
COLOUR_DEPTH_CLASSES = {
    "truecolor": "-truecolor",
    "256": "-256",
    "standard": "-16",
    "windows": "-16",
}


def colour_depth_class(color_system: str | None) -> str:
    """The CSS class (``-truecolor``, ``-256`` or ``-16``) for the colours the terminal gets.

    ``color_system`` is the app console's, which Rich decides from the environment
    (``COLORTERM``, ``TERM``, Textual's ``TEXTUAL_COLOR_SYSTEM``); styles/colours.tcss
    gives solid colours for the tints that would run together at 256 and 16.
    """
    return COLOUR_DEPTH_CLASSES.get(color_system or "truecolor", "-truecolor")


class ReadmarkApp(App[None]):
    """A terminal reader for long-form articles."""

    CSS_PATH = [
        styles_dir() / "app.tcss",
        styles_dir() / "reading.tcss",
        styles_dir() / "annotations.tcss",
        styles_dir() / "library.tcss",
    ]
    #: Solid colours for terminals with 256 or 16 colours, read only on those.
    COLOURS_CSS_PATH = styles_dir() / "colours.tcss"
    TITLE = "readmark"
    COMMANDS = App.COMMANDS | {ReadmarkCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Save the position and quit"),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Show every key"),
    ]

    def __init__(
        self,
        source: ArticleSource | None,
        store,
        *,
        reading_width: int | None = None,
        show_outline: bool | None = None,
        review: dict | None = None,
        settings=None,
        config_message: str | None = None,
    ) -> None:
        super().__init__()
        #: The config file's settings (reader.config.Settings); none: every default.
        self.user_config = AppConfig(settings, config_message)
        # Before the first frame, so the colours suit the terminal from the start.
        depth = colour_depth_class(self.console.color_system)
        self.add_class(depth, update=False)
        if depth != "-truecolor":
            self.css_path.append(self.COLOURS_CSS_PATH)
        self.source = source
        self.store = store
        self.review_options = review
        self.reading_width = (
            reading_width if reading_width is not None else self.setting("reading_width", 80)
        )
        self.show_outline = (
            show_outline if show_outline is not None else self.setting("outline", False)
        )
        self.show_panel = self.setting("panel", False)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification (widgets' and screens' come here too) is shown inert: a
        title, note, path or link from an article never writes escapes to the terminal."""
        super().notify(inert(message, multiline=True), title=inert(title), severity=severity,
                       timeout=timeout, markup=markup)

    def setting(self, key: str, default):
        """The config file's value, else a remembered preference, else ``default``."""
        if key in self.user_config.preferences:
            return self.user_config.preferences[key]
        try:
            value = self.store.get_setting(key, default)
        except StoreError:  # preferences are a convenience; reading goes on without
            return default
        return value if isinstance(value, type(default)) else default

    def remember(self, key: str, value) -> None:
        """Keep a preference for next time (quietly skipped when the store is read-only)."""
        self.user_config.preferences.pop(key, None)  # a choice made now wins for now
        with contextlib.suppress(StoreError):
            self.store.set_setting(key, value)

    def on_mount(self) -> None:
        if hasattr(self.store, "on_message"):  # what the store finds later (a damaged
            # highlight set aside) is shown when it is found
            self.store.on_message = lambda text: self.notify(text, severity="warning",
                                                             timeout=15)
        theme = self.setting("theme", "")
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, lambda theme: self.remember("theme", theme.name))
        if self.review_options is not None:
            from reader.tui.screens.review import ReviewScreen

            self.push_screen(ReviewScreen(self.store, **self.review_options))
        elif self.source is None:  # readmark with no article: the library
            from reader.tui.screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.store))
        else:
            self.push_screen(self.reading_screen(self.source))
        message = getattr(self.store, "recovery_message", None) or getattr(
            self.store, "read_only_reason", None)
        if message:
            self.notify(message, severity="warning", timeout=15)
        self.user_config.start(self)

    def reading_screen(
        self, source: ArticleSource, *, focus_highlight: str | None = None,
        returns: bool = False, from_library: bool = False,
    ) -> ReadingScreen:
        """A reading screen with the reader's preferences.

        Args:
            source: The article.
            focus_highlight: Open at this highlight (by id) instead of the saved position.
            returns: Pushed over another screen (a review): ``q`` goes back to it, and
                the article's reading position is left as it was.
            from_library: Opened from the library: ``q`` goes back to it (the position
                is saved as usual).
        """
        # Imported when first needed: the library opens without the reader's modules.
        from reader.tui.screens.reading import ReadingScreen

        return ReadingScreen(source, self.store, reading_width=self.reading_width,
                             show_outline=self.show_outline, show_panel=self.show_panel,
                             focus_highlight=focus_highlight, returns=returns,
                             from_library=from_library)

    async def action_quit(self) -> None:
        """Quit, or go back when the screen was opened over another one."""
        if getattr(self.screen, "returns", False):
            save = getattr(self.screen, "save_position", None)
            if save is not None:  # before the screen below (the library) reads it
                save()
            self.screen.dismiss(None)
            return
        self.exit()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        own = getattr(self.screen, "help_groups", None)  # the library's screens
        if own is not None:
            self.push_screen(HelpScreen([*own(), ("Application",
                                                  describe_bindings(self.BINDINGS))]))
            return
        from reader.tui.screens.review import ReviewScreen

        if isinstance(self.screen, ReviewScreen):
            self.push_screen(HelpScreen([
                ("Review", describe_bindings(ReviewScreen.BINDINGS)),
                ("Application", describe_bindings(self.BINDINGS)),
            ]))
            return
        from reader.tui.screens.reading import ReadingScreen
        from reader.tui.widgets.annotation_panel import AnnotationPanel
        from reader.tui.widgets.article_view import ArticleView
        from reader.tui.widgets.search_bar import SearchBar

        groups = [
            ("Reading", describe_bindings(ArticleView.BINDINGS)),
            ("Panels, search and highlights", [*describe_bindings(ReadingScreen.BINDINGS),
                                               *describe_bindings(SearchBar.BINDINGS)]),
            ("Highlights panel", describe_bindings(AnnotationPanel.help_bindings())),
            ("Application", [*describe_bindings(self.BINDINGS),
                             ("ctrl+p", "Command palette: every command by name, themes")]),
        ]
        self.push_screen(HelpScreen(groups))


def make_app(
    source: ArticleSource | None,
    store,
    *,
    reading_width: int | None = None,
    show_outline: bool | None = None,
    settings=None,
    config_message: str | None = None,
) -> ReadmarkApp:
    """Build the app; the CLI and the tests both come through here (no ``source``: the
    library opens).

    ``reading_width`` and ``show_outline`` default to the config file's ``settings``
    (reader.config.Settings), else to what the reader chose last time;
    ``config_message`` is the config file's problem, shown at start.
    """
    return ReadmarkApp(source, store, reading_width=reading_width, show_outline=show_outline,
                       settings=settings, config_message=config_message)


def make_review_app(store, *, settings=None, config_message: str | None = None,
                    **review_options) -> ReadmarkApp:
    """An app that opens on a review session (``readmark review``); the options go to
    ``ReviewScreen`` (article_id, limit, tag, new)."""
    return ReadmarkApp(None, store, review=review_options, settings=settings,
                       config_message=config_message)


def make_library_app(store, **options) -> ReadmarkApp:
    """An app that opens on the library (``readmark`` with no article); ``options`` are
    :class:`ReadmarkApp`'s (the reading width, the contents, the config)."""
    return ReadmarkApp(None, store, **options)
