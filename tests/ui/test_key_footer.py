"""The footer shows its keys in the first frame and follows what the keys can do."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from reader.widgets.key_footer import KeyFooter
from tests.ui.support import settle


def _shown(app) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


async def test_keys_are_in_the_first_frame_and_not_rebuilt_for_nothing(
    make_reader, article_path, monkeypatch
):
    frames: list[list[str]] = []
    rebuilds = []
    original = KeyFooter.recompose

    async def counting_recompose(self):
        rebuilds.append(1)
        await original(self)

    monkeypatch.setattr(KeyFooter, "recompose", counting_recompose)
    app = make_reader(article_path)
    display = app._display

    def recording_display(screen, renderable):
        if renderable is not None and not frames:
            frames.append(_shown(app))
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", recording_display)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "}")
        await pilot.pause()
        assert "Contents" in frames[0] and "Quit" in frames[0]
        assert rebuilds == []
        await pilot.press("q")


async def test_keys_follow_a_change_of_what_can_be_done(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "Cancel selection" not in _shown(app)
        await pilot.press("v")  # start selecting: the selection keys come up
        await pilot.pause()
        assert "Cancel selection" in _shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Cancel selection" not in _shown(app)
        await pilot.press("q")
