"""ctrl+o in the note editor: the note goes to $VISUAL/$EDITOR and comes back."""

from __future__ import annotations

import contextlib
import os
import stat

import pytest
from textual.widgets import TextArea

from reader.tui.external_editor import EditorError, edit_text, editor_command
from reader.tui.screens.note_editor import NoteEditorScreen
from reader.tui.screens.reading import ReadingScreen
from tests.ui.support import settle

SIZE = (100, 30)


def _script(folder, name: str, body: str) -> str:
    """A fake editor: a shell script that edits the file it is given."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def _messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


@contextlib.contextmanager
def _no_suspend():
    """What App.suspend does on a terminal, less the terminal (the test has none)."""
    yield


async def _open_note_editor(app, pilot):
    await settle(app, pilot)
    await pilot.press("j", "a")
    await pilot.pause()
    assert isinstance(app.screen, NoteEditorScreen)


async def test_the_note_goes_to_the_editor_and_comes_back(make_reader, article_path, store,
                                                          tmp_path, monkeypatch):
    seen = tmp_path / "seen.txt"
    editor = _script(tmp_path, "fake-editor", f'cp "$1" "{seen}"\n'
                     'printf "Written in my editor.\\nSecond line.\\n" > "$1"\n')
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor)
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_note_editor(app, pilot)
        monkeypatch.setattr(app, "suspend", _no_suspend)
        await pilot.press(*"draft", "ctrl+o")
        await pilot.pause()
        assert seen.read_text(encoding="utf-8") == "draft"  # the editor got the note
        assert isinstance(app.screen, NoteEditorScreen)  # back in the dialog, not saved yet
        assert app.screen.query_one(TextArea).text == "Written in my editor.\nSecond line."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        (record,) = store.annotations(app.screen.article_id)
        assert record["note"] == "Written in my editor.\nSecond line."


async def test_visual_comes_before_editor(make_reader, article_path, tmp_path, monkeypatch):
    monkeypatch.setenv("VISUAL", _script(tmp_path, "visual", 'printf "from visual" > "$1"\n'))
    monkeypatch.setenv("EDITOR", _script(tmp_path, "editor", 'printf "from editor" > "$1"\n'))
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_note_editor(app, pilot)
        monkeypatch.setattr(app, "suspend", _no_suspend)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "from visual"


async def test_an_editor_that_fails_leaves_the_note_as_it_was(make_reader, article_path,
                                                              tmp_path, monkeypatch):
    editor = _script(tmp_path, "failing", 'printf "half-written" > "$1"\nexit 3\n')
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor)
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_note_editor(app, pilot)
        monkeypatch.setattr(app, "suspend", _no_suspend)
        await pilot.press(*"kept", "ctrl+o")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "kept"
        assert f"{editor} exited with status 3; the note is as it was" in _messages(app)


async def test_no_editor_set_says_how_to_set_one(make_reader, article_path, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_note_editor(app, pilot)
        await pilot.press(*"kept", "ctrl+o")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "kept"
        assert any(m.startswith("Set $VISUAL or $EDITOR") for m in _messages(app))


async def test_where_the_terminal_cannot_be_handed_over_it_says_so(
        make_reader, article_path, tmp_path, monkeypatch):
    """A headless app (as in a browser) cannot suspend: the note stays in the box."""
    monkeypatch.setenv("VISUAL", _script(tmp_path, "visual", 'printf "x" > "$1"\n'))
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_note_editor(app, pilot)
        await pilot.press(*"kept", "ctrl+o")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "kept"
        assert any("cannot be handed to another program" in m for m in _messages(app))


def test_the_editor_command_is_split_like_a_shell_would():
    assert editor_command({"VISUAL": "", "EDITOR": "code --wait"}) == ["code", "--wait"]
    assert editor_command({"VISUAL": "'my editor' -n"}) == ["my editor", "-n"]
    with pytest.raises(EditorError):
        editor_command({"EDITOR": "   "})
    with pytest.raises(EditorError):
        editor_command({"EDITOR": "'unclosed"})


def test_a_missing_editor_is_named_and_the_temporary_file_is_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    with pytest.raises(EditorError, match="no-such-editor-here: no such editor"):
        edit_text("note", ["no-such-editor-here"])
    assert os.listdir(tmp_path) == []


def test_a_trailing_newline_the_editor_adds_is_taken_off(tmp_path):
    editor = _script(tmp_path, "append", 'printf " more\\n" >> "$1"\n')
    assert edit_text("a note", [editor]) == "a note more"
    assert edit_text("ends in a newline\n", [editor]) == "ends in a newline\n more\n"
