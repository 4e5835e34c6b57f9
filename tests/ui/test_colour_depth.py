"""Colours on 256- and 16-colour terminals: the depth comes from the environment, as
the app's console decides it, before the first frame; and on the screen the terminal
gets, every mark (five highlight colours, cursor, search match, current match,
selection) looks different from the others and from the text, in dark and light themes.

The screen is checked as the terminal gets it: the lines Textual composes, each
colour downgraded to the console's colour system as Textual does when it writes them,
so the colours compared are the palette entries a terminal of that depth is sent.
Update the snapshots after looking at the report:
pytest tests/ui/test_colour_depth.py --snapshot-update
"""

from __future__ import annotations

import io
from itertools import combinations
from pathlib import Path

import pytest
from rich._palettes import EIGHT_BIT_PALETTE, STANDARD_PALETTE
from rich.color import ColorTriplet, ColorType
from rich.console import COLOR_SYSTEMS, Console
from rich.style import Style
from rich.text import Text

from reader.annotations.records import COLORS
from reader.tui.screens.review import ReviewScreen
from reader.tui.widgets.annotation_list import SWATCH, AnnotationList
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.review_card import PassageView
from tests.ui.support import cursor_sentence, settle

SIZE = (100, 20)
THEMES = ["textual-dark", "textual-light"]

ARTICLE = """# Colours

Yellow words are marked here. Green words are marked here. Blue words are marked here. \
Pink words are marked here. Purple words are marked here.

A zebra crossed the road. Another zebra followed it. Selected words come last. \
Plain words close the paragraph, with a [link](https://example.org/) in it.
"""

#: Each colour's sentence begins with the colour's name.
WORDS = {color: color.capitalize() for color in COLORS}

#: The environment of each depth: COLORTERM unset, as in tmux or an old terminal.
TERMINALS = {"256": "xterm-256color", "16": "xterm"}

#: The colour type Rich writes at each depth, and the palette a terminal shows it with.
PALETTES = {"256": (ColorType.EIGHT_BIT, EIGHT_BIT_PALETTE),
            "16": (ColorType.STANDARD, STANDARD_PALETTE)}

_CONSOLE = Console(file=io.StringIO())


def use_terminal(monkeypatch, depth: str) -> None:
    """The environment of a terminal with that many colours (before the app is built)."""
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", TERMINALS[depth])


def write_article(tmp_path: Path) -> Path:
    path = tmp_path / "colours.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


async def mark_everything(app, pilot) -> None:
    """A highlight of each colour, a search for "zebra" (two matches, the first
    current), and a selection that leaves the cursor's sentence's first word out."""
    await settle(app, pilot)
    for number, word in enumerate(WORDS.values(), start=1):  # keys 1-5, in order
        while not cursor_sentence(app).startswith(word):
            await pilot.press("j")
        await pilot.press("h", str(number))
    await pilot.press("slash", *"zebra", "enter")
    while not cursor_sentence(app).startswith("Selected"):
        await pilot.press("j")
    await pilot.press("v", "shift+right")
    await pilot.pause()
    view = app.screen.query_one(ArticleView)
    start, end = view.selection_span
    assert view.document.text[start:end] == "words come last."
    assert len(view.matches) == 2 and view.matches.current == 0
    assert sorted(h.color for h in app.screen.annotator.highlights) == sorted(COLORS)


def screen(app) -> list[Text]:
    """The screen's lines in the colours the terminal is sent: each colour downgraded
    to the app console's colour system, as Textual does when it writes a line.

    (Not by writing the lines out: Rich keeps a style's escape codes for the first
    colour system they were made for, so one process writing at two depths would
    mix them up. A real app only ever has one.)"""
    system = COLOR_SYSTEMS[app.console.color_system]

    def written(style: Style) -> Style:
        color, bgcolor = style.color, style.bgcolor
        return style.without_color + Style.from_color(
            color.downgrade(system) if color else None,
            bgcolor.downgrade(system) if bgcolor else None)

    strips = app.screen._compositor.render_strips()
    return [Text.assemble(*((segment.text, written(segment.style or Style()))
                            for segment in strip))
            for strip in strips]


def drawn_screen(app) -> list[Text]:
    """The screen's lines in the colours Textual drew them with (truecolor, as in a
    screenshot), before the console turns them into the terminal's palette."""
    strips = app.screen._compositor.render_strips()
    return [Text.assemble(*((segment.text, segment.style) for segment in strip))
            for strip in strips]


def style_of(lines: list[Text], needle: str, occurrence: int = 0, offset: int = 0) -> Style:
    """The style of the ``offset``-th character of the ``occurrence``-th ``needle``."""
    seen = 0
    for line in lines:
        at = line.plain.find(needle)
        while at >= 0:
            if seen == occurrence:
                return line.get_style_at_offset(_CONSOLE, at + offset)
            seen += 1
            at = line.plain.find(needle, at + 1)
    raise AssertionError(f"{needle!r} #{occurrence} is not on the screen")


#: Where each mark is sampled: text and occurrence.
MARKS = {
    **{color: (f"{word} words", 0) for color, word in WORDS.items()},
    "cursor": ("Selected", 0),
    "selection": ("words come", 0),
    "current match": ("zebra", 0),
    "search match": ("zebra", 1),
    "text": ("Plain words", 0),
}


def marks(lines: list[Text]) -> dict[str, Style]:
    return {name: style_of(lines, *where) for name, where in MARKS.items()}


def look(style: Style) -> tuple:
    """What tells a mark apart at a glance: background and the text styles we vary."""
    bgcolor = style.bgcolor.number if style.bgcolor else None
    return bgcolor, bool(style.underline), bool(style.bold)


def contrast(one: ColorTriplet, other: ColorTriplet) -> float:
    """WCAG contrast ratio."""
    def luminance(triplet: ColorTriplet) -> float:
        def channel(value: int) -> float:
            value /= 255
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        red, green, blue = (channel(value) for value in triplet)
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# ------------------------------------------------------------------ detection


@pytest.mark.parametrize(("colorterm", "term", "expected"), [
    ("truecolor", "xterm-256color", "-truecolor"),
    ("24bit", "xterm", "-truecolor"),
    (None, "xterm-256color", "-256"),
    (None, "tmux-256color", "-256"),
    (None, "screen-256color", "-256"),
    (None, "xterm-16color", "-16"),
    (None, "xterm", "-16"),
    (None, "linux", "-16"),
    (None, "dumb", "-truecolor"),  # Rich reports no colour; Textual draws truecolor
])
def test_the_depth_comes_from_the_environment_before_the_first_frame(
        monkeypatch, make_reader, article_path, colorterm, term, expected):
    monkeypatch.delenv("COLORTERM", raising=False)
    if colorterm:
        monkeypatch.setenv("COLORTERM", colorterm)
    monkeypatch.setenv("TERM", term)
    app = make_reader(article_path)  # built, not yet run
    depths = {"-truecolor", "-256", "-16"}
    assert depths & set(app.classes) == {expected}
    # The class says what the console will write with.
    written = {"truecolor": "-truecolor", "256": "-256", "standard": "-16", None: "-truecolor"}
    assert written[app.console.color_system] == expected
    # A truecolor terminal does not even read the fallbacks: it looks as it always did.
    assert (app.COLOURS_CSS_PATH in app.css_path) == (expected != "-truecolor")


# ---------------------------------------------------------- distinct marks


@pytest.mark.parametrize("depth", ["256", "16"])
async def test_every_mark_looks_different_at_each_depth(monkeypatch, make_reader, tmp_path,
                                                        depth):
    use_terminal(monkeypatch, depth)
    app = make_reader(write_article(tmp_path))
    color_type, palette = PALETTES[depth]
    async with app.run_test(size=SIZE) as pilot:
        assert f"-{depth}" in app.classes
        await mark_everything(app, pilot)
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            written = marks(screen(app))
            drawn = marks(drawn_screen(app))

            # Written in the terminal's own palette, nothing finer.
            for name, style in written.items():
                assert style.bgcolor is not None and style.bgcolor.type is color_type, name

            # Each mark looks unlike every other and unlike the plain text.
            looks = {name: look(style) for name, style in written.items()}
            for (one, one_look), (other, other_look) in combinations(looks.items(), 2):
                assert one_look != other_look, f"{theme}: {one} and {other} look alike"

            # Each mark but the cursor at 16 colours (underlined) has a background of
            # its own, and it is exactly a palette colour: what a truecolor
            # screenshot shows is what the terminal shows.
            tinted = {name: style for name, style in written.items()
                      if name != "text" and not (depth == "16" and name == "cursor")}
            backgrounds = [style.bgcolor.number for style in tinted.values()]
            backgrounds.append(written["text"].bgcolor.number)
            assert len(set(backgrounds)) == len(backgrounds), (theme, backgrounds)
            for name, style in tinted.items():
                assert palette[style.bgcolor.number] == drawn[name].bgcolor.triplet, (
                    theme, name)

            # The text on every mark is readable.
            for name, style in written.items():
                foreground = palette[style.color.number]
                background = palette[style.bgcolor.number]
                assert contrast(foreground, background) >= 4.5, (theme, name)


@pytest.mark.parametrize("depth", ["256", "16"])
async def test_the_panel_and_the_review_passage_follow_the_depth(monkeypatch, make_reader,
                                                                 tmp_path, depth):
    use_terminal(monkeypatch, depth)
    app = make_reader(write_article(tmp_path))
    async with app.run_test(size=(120, 20)) as pilot:
        await mark_everything(app, pilot)
        await pilot.press("escape", "p")
        await pilot.pause()
        panel = app.screen.query_one(AnnotationList)
        for theme in THEMES:
            app.theme = theme
            for focused in (False, True):
                (panel if focused else app.screen.query_one(ArticleView)).focus()
                await pilot.pause()
                lines = screen(app)
                # Each colour's swatch is a colour of its own.
                swatches = {color: style_of(lines, f"{SWATCH} {word} words")
                            for color, word in WORDS.items()}
                numbers = [style.color.number for style in swatches.values()]
                assert len(set(numbers)) == len(COLORS), (theme, numbers)
                # The panel's cursor is on one entry and can be told from the rest.
                rows = {color: look(style_of(lines, f"{SWATCH} {word} words", offset=2))
                        for color, word in WORDS.items()}
                assert len(set(rows.values())) == 2, (theme, focused, rows)
        view = app.screen.query_one(ArticleView)
        await pilot.press("r")  # the new highlights are due for review
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        passage = app.screen.query_one(PassageView)
        for color in COLORS:
            in_review = passage.get_component_rich_style(f"passage--highlight-{color}")
            in_article = view.get_component_rich_style(f"article-view--highlight-{color}")
            assert in_review.bgcolor == in_article.bgcolor, color
            assert in_review.color == in_article.color, color


# ------------------------------------------------------------------ snapshots


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("depth", ["256", "16"])
def test_reading_screen_at_each_depth(snap_compare, monkeypatch, make_reader, tmp_path,
                                      depth, theme):
    """The colours of the marks as the terminal shows them (exact palette colours;
    the theme's own background and text are drawn in truecolor by the screenshot)."""
    use_terminal(monkeypatch, depth)
    app = make_reader(write_article(tmp_path))

    async def run_before(pilot) -> None:
        await mark_everything(app, pilot)
        app.theme = theme
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
