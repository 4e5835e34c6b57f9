"""The [keymap] checks: binding ids found on every screen, keys that are keys, clashes."""

from __future__ import annotations

import sys
import textwrap

import pytest

from reader.config import parse_config_text
from reader.tui import keymap
from reader.tui.keymap import binding_infos, check_keymap
from reader.tui.keys import key_problem, normalise_keys
from reader.tui.user_config import full_problem, startup_settings


def problems(mapping: dict[str, str]) -> list[str]:
    return [found.problem for found in check_keymap(mapping)]


def test_every_binding_of_every_screen_is_found_by_its_id():
    ids = {info.id for info in binding_infos()}
    # The reading view, its screen, the panel, the app, modal dialogs and the review.
    assert {"cursor.next", "highlight.add", "annotations.next", "app.quit", "note.save",
            "note.editor", "confirm.yes", "review.again", "help.close"} <= ids
    info = next(info for info in binding_infos() if info.id == "cursor.next")
    assert set(info.keys) == {"j", "down"} and info.owner == "in the article view"


def test_a_free_key_is_fine_and_a_swap_is_not_a_clash():
    assert problems({"highlight.add": "y"}) == []
    assert problems({"highlight.add": "t", "outline.toggle": "y"}) == []
    assert problems({"cursor.next": "J,down", "cursor.previous": "K,up"}) == []


def test_an_unknown_id_is_named_with_the_nearest_one():
    assert problems({"highlight.ad": "y"}) == [
        '"highlight.ad" is not a binding id (did you mean "highlight.add"?); '
        "readmark config lists them"]


@pytest.mark.parametrize(("mapping", "expected"), [
    ({"highlight.add": "j"},
     '"highlight.add" = "j": j already does Next sentence (cursor.next) in the article view'),
    ({"cursor.next": "t"},
     '"cursor.next" = "t": t already does Contents (outline.toggle) on the reading screen'),
    ({"review.again": "space"},
     '"review.again" = "space": space already does Show (review.reveal) on the review screen'),
    ({"highlight.add": "ctrl+q"},
     '"highlight.add" = "ctrl+q": ctrl+q already does Quit everywhere'),
    ({"note.save": "s"},
     '"note.save" = "s": s would be typed into the text box on the note editor screen'),
])
def test_a_key_that_clashes_is_named_with_what_it_already_does(mapping, expected):
    assert expected in problems(mapping)


def test_two_actions_given_one_key_clash():
    (found,) = problems({"highlight.add": "y", "highlight.note": "y"})
    assert found in (
        '"highlight.add" = "y": y already does Note (highlight.note) on the reading screen',
        '"highlight.note" = "y": y already does Highlight (highlight.add) on the reading screen')


def test_an_app_key_moved_onto_a_screens_key_clashes():
    # ? is everywhere; h is the reading screen's (and perhaps other screens'): one line.
    (found,) = problems({"app.help": "h"})
    assert found.startswith('"app.help" = "h": h already does ')


def test_a_key_only_typed_into_a_box_there_already_is_no_clash():
    # h is typed into the search box today; y would be too: nothing is lost.
    assert problems({"highlight.add": "y"}) == []
    # In the panel, n is free: the article view's n (next match) is not active there.
    assert problems({"annotations.next": "n"}) == []


@pytest.mark.parametrize(("key", "expected"), [
    ("ctl+y", "'ctl' is not a modifier"),
    ("ctrl+", "has no key after the modifier"),
    ("sapce", "'sapce' is not a key name"),
    ("banana", "'banana' is not a key name"),
    ("ctrl+shift+banana", "'banana' is not a key name"),
])
def test_a_key_that_is_not_a_key(key, expected):
    assert expected in key_problem(normalise_keys(key)[0])


@pytest.mark.parametrize("key", ["y", "Y", "ctrl+y", "f2", "space", "?", "question_mark",
                                 "shift+left", "enter", "#", "ctrl+shift+up"])
def test_keys_textual_knows_are_keys(key):
    assert all(key_problem(one) is None for one in normalise_keys(key))


def test_a_screen_added_later_is_covered_without_listing_it(tmp_path, monkeypatch):
    """Whatever screen exists (another issue's library screen, say), its ids may be mapped."""
    import reader.tui.screens

    folder = tmp_path / "extra"
    folder.mkdir()
    (folder / "shelf_screen.py").write_text(textwrap.dedent("""\
        from textual.binding import Binding
        from textual.screen import Screen
        from textual.widgets import DataTable


        class ShelfScreen(Screen):
            BINDINGS = [Binding("o", "open", "Open", id="shelf.open"),
                        Binding("d", "drop", "Drop", id="shelf.drop")]
        """), encoding="utf-8")
    monkeypatch.setattr(reader.tui.screens, "__path__", [*reader.tui.screens.__path__,
                                                          str(folder)])
    keymap._catalogue.cache_clear()
    try:
        assert "shelf.open" in {info.id for info in binding_infos()}
        assert problems({"shelf.open": "enter"}) != []  # the table's own enter
        assert problems({"shelf.open": "x"}) == []
        assert problems({"shelf.open": "d"}) == [
            '"shelf.open" = "d": d already does Drop (shelf.drop) on the shelf screen']
    finally:
        sys.modules.pop("reader.tui.screens.shelf_screen", None)
        monkeypatch.undo()
        keymap._catalogue.cache_clear()


def test_the_problem_names_the_line_of_the_entry(tmp_path):
    text = b'theme = "nord"\n\n[keymap]\n"highlight.add" = "y"\ncursor.next = "t"\n'
    settings = parse_config_text(text, tmp_path / "config.toml")
    error = full_problem(settings)
    assert error is not None
    assert str(error).startswith(f"{tmp_path / 'config.toml'}, line 5: \"cursor.next\" = \"t\"")


def test_an_unknown_theme_is_refused_before_the_app_starts(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('reading_width = 90\ntheme = "solarised"\n', encoding="utf-8")
    settings, message = startup_settings(path)
    assert message is not None
    assert message.startswith(f"{path}, line 2: theme \"solarised\" is not a theme")
    assert settings.reading_width is None  # the defaults, all of them


def test_a_good_file_starts_with_its_settings(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n[keymap]\n"highlight.add" = "y"\n', encoding="utf-8")
    settings, message = startup_settings(path)
    assert message is None
    assert settings.theme == "nord" and settings.keymap == {"highlight.add": "y"}
