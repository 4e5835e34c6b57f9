"""] and [ move by section: onto a section's first sentence, its heading in view above it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import cursor_sentence, settle

SIZE = (100, 24)

ARTICLE = """# Field Notes

A first paragraph before any section. It has two sentences.

## Morning

The tide was low at dawn. Gulls worked the flats.

## Noon

### Harbour

Boats came in at noon. The market opened.

## Evening

""" + "\n\n".join(
    f"Evening paragraph {n} about lamps and ropes. It goes on." for n in range(30)
) + """

## Empty At The End
"""


@pytest.fixture
def notes_path(tmp_path: Path) -> Path:
    path = tmp_path / "field_notes.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _on_screen(view, phrase: str) -> bool:
    """Whether the line showing ``phrase`` is on screen."""
    line = view.layout_.line_at(view.document.text.index(phrase))
    top = round(view.scroll_offset.y)
    return top <= line < top + view.scrollable_content_region.height


async def test_right_bracket_lands_on_the_first_sentence_below_the_heading(make_reader,
                                                                         notes_path):
    app = make_reader(notes_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "The tide was low at dawn."
        assert _on_screen(view, "Morning")
        # A section with nothing of its own before its first subsection: its heading.
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "Noon"
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "Boats came in at noon."
        assert _on_screen(view, "Harbour")
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "Evening paragraph 0 about lamps and ropes."
        # Far down the article the heading is still shown, near the top.
        assert _on_screen(view, "Evening")
        heading_line = view.layout_.line_at(view.document.text.index("Evening"))
        assert heading_line - round(view.scroll_offset.y) <= 2
        # The last section has no text at all: its heading.
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "Empty At The End"
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "Empty At The End"  # nothing after it


async def test_left_bracket_goes_to_this_sections_start_then_the_one_before(make_reader,
                                                                           notes_path):
    app = make_reader(notes_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("right_square_bracket", "j")
        assert cursor_sentence(app) == "Gulls worked the flats."
        # Inside a section: back to its first sentence.
        await pilot.press("left_square_bracket")
        assert cursor_sentence(app) == "The tide was low at dawn."
        # On it: the section before (here the opening one, under the title).
        await pilot.press("left_square_bracket")
        assert cursor_sentence(app) == "A first paragraph before any section."
        # Then the very top.
        await pilot.press("left_square_bracket")
        assert cursor_sentence(app) == "Field Notes"
        assert round(view.scroll_offset.y) == 0
        await pilot.press("left_square_bracket")
        assert cursor_sentence(app) == "Field Notes"


async def test_brackets_are_symmetric_over_the_whole_article(make_reader, notes_path):
    app = make_reader(notes_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        forward = [cursor_sentence(app)]
        for _ in range(6):
            await pilot.press("right_square_bracket")
            forward.append(cursor_sentence(app))
        backward = [cursor_sentence(app)]
        for _ in range(7):
            await pilot.press("left_square_bracket")
            backward.append(cursor_sentence(app))
        stops = list(dict.fromkeys(forward))
        assert stops == ["Field Notes", "The tide was low at dawn.", "Noon",
                         "Boats came in at noon.", "Evening paragraph 0 about lamps and ropes.",
                         "Empty At The End"]
        # [ stops where ] did, in reverse, and also at the opening section's text.
        assert list(dict.fromkeys(backward)) == [
            *reversed(stops[1:]), "A first paragraph before any section.", "Field Notes"]
