"""The config file in the running app: remapped keys, the help, preferences, the message."""

from __future__ import annotations

import io

from rich.console import Console

from reader.config import parse_config_text
from reader.sources.loader import read_article
from reader.tui.app import make_app
from reader.tui.screens.help import HelpScreen
from reader.tui.user_config import startup_settings
from tests.ui.support import settle

SIZE = (100, 30)
OPENING = "The opening paragraph sets the scene."


def _settings(tmp_path, text: str):
    return parse_config_text(text.encode("utf-8"), tmp_path / "config.toml")


def _texts(app) -> list[str]:
    return [h.text for h in app.screen.annotator.highlights]


def _messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def _help_text(app) -> str:
    console = Console(width=140, record=True, file=io.StringIO())
    for table in app.screen.query(".help-table"):
        console.print(table.content)
    return console.export_text()


async def test_a_remapped_key_does_the_action_and_the_old_key_does_not(
        article_path, store, tmp_path):
    settings = _settings(tmp_path, '[keymap]\n"highlight.add" = "y"\n"cursor.next" = "J,down"\n')
    app = make_app(read_article(article_path), store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h")  # the old keys: nothing happens
        await pilot.pause()
        assert _texts(app) == []
        await pilot.press("J", "y")
        await pilot.pause()
        assert _texts(app) == [OPENING]


async def test_the_help_shows_the_keys_as_remapped(article_path, store, tmp_path):
    settings = _settings(tmp_path, '[keymap]\n"highlight.add" = "y"\n"app.help" = "f1"\n'
                         '[colours]\n2 = "question"\n')
    app = make_app(read_article(article_path), store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)  # ? is no longer the help key
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = _help_text(app).splitlines()
        highlight = next(line for line in lines if "Highlight the selection" in line)
        assert highlight.split()[0] == "y"
        assert next(line for line in lines if "Show every key" in line).split()[0] == "f1"
        green = next(line for line in lines if "the next one) green" in line)
        assert green.split()[0] == "2" and green.rstrip().endswith("— question")


async def test_the_colour_name_is_said_when_choosing_the_next_colour(article_path, store,
                                                                    tmp_path):
    settings = _settings(tmp_path, '[colours]\n3 = "definition"\n')
    app = make_app(read_article(article_path), store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await pilot.pause()
        assert "The next highlight will be definition (blue)." in _messages(app)


async def test_the_files_preferences_win_over_remembered_ones(article_path, store, tmp_path):
    store.set_setting("reading_width", 100)
    store.set_setting("outline", False)
    settings = _settings(tmp_path, "reading_width = 60\n[panels]\ncontents = true\n")
    app = make_app(read_article(article_path), store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        assert view.reading_width == 60
        assert app.screen.outline.display
        await pilot.press("plus")  # a choice made now is remembered, and holds for now
        await pilot.pause()
        assert store.get_setting("reading_width", 0) == 64
        assert app.setting("reading_width", 80) == 64


async def test_a_command_line_width_wins_over_the_file(article_path, store, tmp_path):
    settings = _settings(tmp_path, "reading_width = 60\n")
    app = make_app(read_article(article_path), store, reading_width=50, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        assert view.reading_width == 50


async def test_a_bad_file_starts_with_the_defaults_and_says_why(article_path, store, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('reading_width = 60\n[keymap]\n"highlight.add" = "ctl+y"\n',
                    encoding="utf-8")
    settings, message = startup_settings(path)
    app = make_app(read_article(article_path), store, settings=settings,
                   config_message=message)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        assert view.reading_width == 80
        assert f"{path}, line 3: \"highlight.add\" = \"ctl+y\": 'ctl' is not a modifier " \
               "(use ctrl, shift, alt, meta)" in _messages(app)
        await pilot.press("j", "h")
        await pilot.pause()
        assert _texts(app) == [OPENING]  # h as it always was


async def test_a_clash_found_after_start_puts_every_key_back(article_path, store, tmp_path):
    settings = _settings(tmp_path, '[keymap]\n"highlight.add" = "y"\n"cursor.next" = "t"\n')
    app = make_app(read_article(article_path), store, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.7)  # the check runs once the first screen is up
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = (f'{tmp_path / "config.toml"}, line 3: "cursor.next" = "t": t already '
                    "does Contents (outline.toggle) on the reading screen")
        assert expected in _messages(app)
        await pilot.press("j", "h")  # every key as it is by default
        await pilot.pause()
        assert _texts(app) == [OPENING]
