"""The config file as the app and the commands use it: read, then checked against the
real themes and keys (reader.config knows neither)."""

from __future__ import annotations

from pathlib import Path

from reader.config import ConfigError, Settings, load_settings


def theme_names() -> list[str]:
    """The themes a config file may name (Textual's built-in ones)."""
    from textual.theme import BUILTIN_THEMES

    return sorted(BUILTIN_THEMES)


def quick_problem(settings: Settings) -> ConfigError | None:
    """A problem that can be found at once: an unknown theme, a key that is not a key."""
    if settings.theme is not None and settings.theme not in theme_names():
        return settings.error(("theme",), f'theme "{settings.theme}" is not a theme; choose '
                              f"one of {', '.join(theme_names())}")
    if settings.keymap:
        from reader.tui.keys import check_keys

        problems = check_keys(settings.keymap)
        if problems:
            return _first(settings, problems)
    return None


def keymap_problem(settings: Settings) -> ConfigError | None:
    """The first problem of the [keymap] (unknown binding ids, clashes), by line."""
    if not settings.keymap:
        return None
    from reader.tui.keymap import check_keymap

    problems = check_keymap(settings.keymap)
    return _first(settings, problems) if problems else None


def full_problem(settings: Settings) -> ConfigError | None:
    """Every check: :func:`quick_problem`, then :func:`keymap_problem`."""
    return quick_problem(settings) or keymap_problem(settings)


def _first(settings: Settings, problems) -> ConfigError:
    errors = sorted((settings.keymap_error(p.binding_id, p.problem) for p in problems),
                    key=lambda error: error.line or 0)
    first, more = errors[0], len(errors) - 1
    if more:
        first = ConfigError(first.path, first.line, f"{first.problem} (and {more} more "
                            f"problem{'s' if more > 1 else ''})")
    return first


def startup_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings to start the app with, and the message to show when the file has a
    problem (then the settings are the defaults). Only the quick checks run here; the
    app checks the [keymap] against every screen once its first screen is up."""
    try:
        settings = load_settings(path)
    except ConfigError as error:
        return Settings(path=error.path), error.message
    problem = quick_problem(settings)
    if problem is not None:
        return Settings(path=settings.path), problem.message
    return settings, None


#: Seconds after mount before the [keymap] is checked against every screen (the
#: check imports every screen's module; the first screen comes first).
KEYMAP_CHECK_DELAY = 0.5

#: The remembered preference each setting of the file stands for (see ReadmarkApp.setting).
_PREFERENCES = {
    "theme": "theme",
    "reading_width": "reading_width",
    "contents": "outline",
    "highlights": "panel",
    "export_folder": "export_folder",
}


class AppConfig:
    """The config file's part in a running app: the preferences it sets, the keymap,
    the colour names, and the message when the file had a problem."""

    def __init__(self, settings: Settings | None = None, message: str | None = None) -> None:
        self.settings = settings or Settings()
        self.message = message
        #: Preference -> value the file gives; a choice made in the app replaces it.
        self.preferences: dict[str, object] = {}
        for attribute, preference in _PREFERENCES.items():
            value = getattr(self.settings, attribute)
            if value is not None:
                self.preferences[preference] = str(value) if isinstance(value, Path) else value
        #: Binding id -> keys, as Textual compares them.
        self.keymap: dict[str, str] = {}
        if self.settings.keymap:
            from reader.tui.keys import normalise_keys

            self.keymap = {binding_id: ",".join(normalise_keys(keys))
                           for binding_id, keys in self.settings.keymap.items()}

    def start(self, app) -> None:
        """Apply the keymap, show the file's problem if it had one, and check the keymap
        against every screen soon after the first one is up."""
        if self.message:
            app.notify(self.message, title="Config file", severity="error", timeout=20)
        if self.keymap:
            app.set_keymap(self.keymap)
            app.set_timer(KEYMAP_CHECK_DELAY, lambda: app.run_worker(
                lambda: self._check(app), thread=True, group="config", exit_on_error=False))

    def _check(self, app) -> None:
        problem = keymap_problem(self.settings)
        if problem is not None:
            app.call_from_thread(self._refuse, app, problem.message)

    def _refuse(self, app, message: str) -> None:
        """A keymap that does not work as written: every key as it is by default."""
        self.keymap = {}
        app.set_keymap({})
        self.message = message
        app.notify(message, title="Config file: keys left as they are", severity="error",
                   timeout=20)

    def colour_name(self, colour: str) -> str:
        """How a colour is named to the reader: "key idea (yellow)" when the file names it."""
        from reader.annotations.records import COLORS

        number = COLORS.index(colour) + 1 if colour in COLORS else 0
        name = self.settings.colour_names.get(number)
        return f"{name} ({colour})" if name else colour

    def describe(self, binding_id: str | None, description: str) -> str:
        """A binding's description, with the file's name for a colour key."""
        if binding_id and binding_id.startswith("highlight.color_"):
            colour = binding_id.removeprefix("highlight.color_")
            named = self.colour_name(colour)
            if named != colour:
                return f"{description} — {named.split(' (')[0]}"
        return description

    def keys_for(self, binding_id: str | None) -> str | None:
        """The keys the keymap gives ``binding_id`` (as Textual names them), or None."""
        return self.keymap.get(binding_id) if binding_id else None
