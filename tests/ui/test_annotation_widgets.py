"""The annotation panel and the note, tag and confirm dialogs, driven through Pilot.

Each test runs a small harness app with only the widget under test, styled by
styles/annotations.tcss. Update the snapshots after looking at the report:
pytest tests/ui/test_annotation_widgets.py --snapshot-update
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from reader.annotations.records import COLORS, Highlight
from reader.annotations.selectors import TextQuote
from reader.sources.shipped import styles_dir
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.note_editor import NoteEditorScreen
from reader.tui.screens.tag_editor import TagEditorScreen
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.annotation_rows import DETACHED_TITLE

SIZE = (100, 30)
CSS = [styles_dir() / "annotations.tcss"]


def highlight(
    id: str,
    start: int,
    text: str,
    section: tuple[str, ...] = ("Article", "Intro"),
    *,
    color: str = "yellow",
    note: str = "",
    tags: tuple[str, ...] = (),
) -> Highlight:
    end = start + len(text) if start >= 0 else -1
    return Highlight(id=id, article_id="a", start=start, end=end, quote=TextQuote(text),
                     section=section, color=color, note=note, tags=tags)


#: Document order: a highlight before the first heading, two sections, one detached.
HIGHLIGHTS = [
    highlight("pre", 5, "Words before any heading", ()),
    highlight("h1", 100, "The lighthouse keeper climbed the stairs", color="yellow",
              note="Why at dusk?\nSecond line of the note", tags=("light",)),
    highlight("h2", 200, "Tides and harbours", color="green", tags=("sea", "idea")),
    highlight("h3", 400, "A quoted passage with two sentences", ("Article", "Methods"),
              color="blue", note="Check the source"),
    highlight("h4", 600, "Filler about harbours", ("Article", "Methods"), color="green"),
    highlight("lost", -1, "Text that was edited away", ("Article", "Intro"), color="pink",
              tags=("idea",)),
]


class ArticleStub(Static, can_focus=True):
    """Stands in for the article view: something else to hold the focus."""

    DEFAULT_CSS = "ArticleStub { width: 1fr; height: 1fr; }"


class PanelApp(App[None]):
    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "escaped", "Escape reached the app")]

    def __init__(self, highlights: Sequence[Highlight] = HIGHLIGHTS) -> None:
        super().__init__()
        self.highlights = list(highlights)
        self.selected: list[str] = []
        self.escapes = 0

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ArticleStub("The article", id="article")
            yield AnnotationPanel(id="panel")

    def on_mount(self) -> None:
        self.query_one(AnnotationPanel).set_highlights(self.highlights)
        self.query_one(ArticleStub).focus()

    @on(AnnotationPanel.Selected)
    def _selected(self, event: AnnotationPanel.Selected) -> None:
        assert event.control is self.query_one(AnnotationPanel)
        self.selected.append(event.highlight_id)

    def action_escaped(self) -> None:
        self.escapes += 1


def _panel(app: App) -> AnnotationPanel:
    return app.query_one(AnnotationPanel)


def _entries(app: App) -> AnnotationList:
    return app.query_one(AnnotationList)


def _screen_lines(app: App) -> list[str]:
    """The list as the reader sees it: the text of each line in the window."""
    entries = _entries(app)
    return [entries.render_line(y).text.rstrip() for y in range(entries.size.height)]


def _counts(app: App) -> str:
    return str(app.query_one("#annotation-counts", Static).content)


def _line_of(app: App, needle: str) -> int:
    return next(n for n, line in enumerate(_screen_lines(app)) if needle in line)


# ------------------------------------------------------------------ the panel
async def test_entries_grouped_by_section_in_document_order_detached_last() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _entries(app).entry_ids == ["pre", "h1", "h2", "h3", "h4", "lost"]
        lines = _screen_lines(app)
        text = "\n".join(lines)
        headers = ["(before the first heading)", "Intro", "Methods", "Detached"]
        positions = [text.index(header) for header in headers]
        assert positions == sorted(positions)
        # Each entry sits under its own section's header.
        assert text.index("Intro") < text.index("The lighthouse") < text.index("Methods")
        assert text.index("Methods") < text.index("Filler about") < text.index("Detached")
        assert text.index("Detached") < text.index("Text that was edited away")
        # The detached header tells the reader what to do (wrapped to the panel).
        assert " ".join(" ".join(lines).split()).count(DETACHED_TITLE) == 1


async def test_entry_shows_swatch_text_note_preview_and_tags() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = _screen_lines(app)
        first = _line_of(app, "The lighthouse keeper")
        assert lines[first].lstrip().startswith("▌ The lighthouse keeper")
        # The second line: the note's first line only, then the tags.
        assert lines[first + 1].split() == ["▌", "✎", "Why", "at", "dusk?", "#light"]
        assert "Second line" not in "\n".join(lines)
        tides = _line_of(app, "Tides and harbours")
        assert lines[tides + 1].split() == ["▌", "#sea", "#idea"]
        # No note and no tags: a single line, the next entry's header follows.
        filler = _line_of(app, "Filler about harbours")
        assert lines[filler + 1].strip() == ""


async def test_long_text_is_cut_with_an_ellipsis_on_one_line() -> None:
    long = "word " * 60
    app = PanelApp([highlight("long", 10, long.strip())])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = [line for line in _screen_lines(app) if "word" in line]
        assert len(lines) == 1
        assert lines[0].endswith("…")
        assert len(lines[0]) <= _entries(app).size.width


async def test_swatch_uses_the_colour_component_class() -> None:
    app = PanelApp([highlight("g", 10, "Green text", color="green")])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = _entries(app)
        line = _line_of(app, "Green text")
        swatch = next(seg for seg in entries.render_line(line) if seg.text == "▌")
        expected = entries.get_component_rich_style("annotation-panel--green").color
        assert swatch.style.color == expected
        assert {f"annotation-panel--{color}" for color in COLORS} <= entries.COMPONENT_CLASSES


async def test_counts_in_the_header() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _counts(app) == "6 highlights · 2 notes · 1 detached"
        _panel(app).set_highlights(HIGHLIGHTS[:1])
        await pilot.pause()
        assert _counts(app) == "1 highlight · 0 notes"
        _panel(app).set_highlights([])
        await pilot.pause()
        assert _counts(app) == "No highlights"
        assert "No highlights yet." in _screen_lines(app)[0]
        assert _panel(app).selected_id is None


async def test_live_filter_by_words_colour_tag_and_note() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _panel(app).focus()
        await pilot.press("slash")
        box = app.query_one("#annotation-filter", Input)
        assert box.has_focus
        cases = {
            "harbours": ["h2", "h4"],
            "c:green": ["h2", "h4"],
            "#idea": ["h2", "lost"],
            "has:note": ["h1", "h3"],
            "dusk": ["h1"],  # words match the note too
            "c:green #idea": ["h2"],
            "has:note c:blue source": ["h3"],
            "c:purple": [],
        }
        for query, expected in cases.items():
            box.value = ""
            await pilot.press(*query)
            await pilot.pause()
            assert _entries(app).entry_ids == expected, query
            assert _counts(app) == f"{len(expected)} of 6 shown", query
        assert "Nothing matches the filter." in "\n".join(_screen_lines(app))


async def test_filter_typed_key_by_key_narrows_as_it_goes() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _panel(app).focus()
        await pilot.press("slash", "c", "colon", "g")
        assert _entries(app).entry_ids == []  # "c:g" is not a colour yet
        await pilot.press(*"reen")
        assert _entries(app).entry_ids == ["h2", "h4"]
        await pilot.press("space", "number_sign", "s")
        assert _entries(app).entry_ids == []
        await pilot.press("e", "a")
        assert _entries(app).entry_ids == ["h2"]


async def test_enter_and_escape_in_the_filter_box() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _panel(app).focus()
        await pilot.press("slash", *"#idea", "enter")
        assert _entries(app).has_focus
        assert _entries(app).entry_ids == ["h2", "lost"]
        # escape in the box goes back to the list and keeps the filter…
        await pilot.press("slash", "escape")
        assert _entries(app).has_focus
        assert _entries(app).entry_ids == ["h2", "lost"]
        # …a second escape clears it, keeping the entry under the cursor…
        await pilot.press("down")
        assert _panel(app).selected_id == "lost"
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one("#annotation-filter", Input).value == ""
        assert len(_entries(app).entry_ids) == 6
        assert _panel(app).selected_id == "lost"
        assert app.escapes == 0
        # …and with no filter left, escape is the screen's to handle.
        await pilot.press("escape")
        assert app.escapes == 1


async def test_slash_in_the_box_is_typed_not_a_key() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _panel(app).focus()
        await pilot.press("slash", "a", "slash", "b")
        assert app.query_one("#annotation-filter", Input).value == "a/b"


async def test_arrows_skip_group_headers_and_enter_posts_selected() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _panel(app).focus()
        assert _panel(app).selected_id == "pre"
        visited = []
        for _ in range(7):
            await pilot.press("down")
            visited.append(_panel(app).selected_id)
        assert visited == ["h1", "h2", "h3", "h4", "lost", "lost", "lost"]
        await pilot.press("up", "up", "enter")
        await pilot.pause()
        assert app.selected == ["h3"]
        await pilot.press("home", "enter", "end", "enter")
        await pilot.pause()
        assert app.selected == ["h3", "pre", "lost"]


async def test_click_on_an_entry_posts_selected_and_headers_do_nothing() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = _entries(app)
        # Click the note line (second line) of h3's entry.
        line = _line_of(app, "A quoted passage") + 1
        await pilot.click(entries, offset=(4, line))
        await pilot.pause()
        assert app.selected == ["h3"]
        assert _panel(app).selected_id == "h3"
        # A group header is not an entry: nothing is posted, the cursor stays.
        await pilot.click(entries, offset=(4, _line_of(app, "Methods")))
        await pilot.pause()
        assert app.selected == ["h3"]
        assert _panel(app).selected_id == "h3"


async def test_mark_nearest_follows_the_reading_position() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = _panel(app)
        assert app.query_one(ArticleStub).has_focus
        for offset, expected in [(0, "pre"), (110, "h1"), (180, "h2"), (390, "h3"),
                                 (5_000, "h4")]:
            panel.mark_nearest(offset)
            assert panel.selected_id == expected, offset
        # Detached highlights have no position to be near.
        panel.mark_nearest(-1)
        assert panel.selected_id == "pre"


async def test_mark_nearest_leaves_the_cursor_alone_while_the_panel_has_focus() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = _panel(app)
        panel.focus()
        await pilot.press("down", "down")
        assert panel.selected_id == "h2"
        panel.mark_nearest(600)
        assert panel.selected_id == "h2"
        await pilot.press("slash")  # the filter box is part of the panel too
        panel.mark_nearest(600)
        assert panel.selected_id == "h2"
        app.query_one(ArticleStub).focus()
        await pilot.pause()
        panel.mark_nearest(600)
        assert panel.selected_id == "h4"


async def test_mark_nearest_scrolls_a_long_list_to_the_entry() -> None:
    many = [highlight(f"m{n}", n * 100, f"Passage {n}", ("A", f"Part {n // 10}"))
            for n in range(300)]
    app = PanelApp(many)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = _panel(app)
        panel.mark_nearest(25_010)
        await pilot.pause()
        assert panel.selected_id == "m250"
        assert _entries(app).scroll_offset.y > 0
        assert any(line.endswith("Passage 250") for line in _screen_lines(app))


async def test_new_highlights_keep_the_filter_and_the_selected_entry() -> None:
    app = PanelApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = _panel(app)
        panel.focus()
        await pilot.press("slash", *"c:green", "enter", "down")
        assert panel.selected_id == "h4"
        added = highlight("h5", 650, "A new green one", ("Article", "Methods"), color="green")
        panel.set_highlights([*HIGHLIGHTS, added])
        await pilot.pause()
        assert _entries(app).entry_ids == ["h2", "h4", "h5"]
        assert panel.selected_id == "h4"
        assert _counts(app) == "3 of 7 shown"
        # When the selected one goes, the cursor stays at the same place in the list.
        panel.set_highlights([h for h in [*HIGHLIGHTS, added] if h.id != "h4"])
        await pilot.pause()
        assert panel.selected_id == "h5"


async def test_set_highlights_is_fast_for_two_thousand() -> None:
    many = [
        highlight(f"m{n}", n * 100, f"Passage number {n} about tides", ("A", f"S{n // 8}"),
                  color=COLORS[n % 5], note="a note" if n % 3 == 0 else "",
                  tags=("idea",) if n % 4 == 0 else ())
        for n in range(2_000)
    ]
    app = PanelApp([])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = _panel(app)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            panel.set_highlights(many)
            timings.append(time.perf_counter() - started)
        await pilot.pause()
        assert min(timings) < 0.1
        assert _counts(app) == "2000 highlights · 667 notes"


# ---------------------------------------------------------------- the dialogs
class DialogApp(App[None]):
    """Pushes ``screen`` on mount and keeps what it was dismissed with."""

    CSS_PATH = CSS
    NOTHING = object()

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.dialog = screen
        self.result: object = self.NOTHING

    def compose(self) -> ComposeResult:
        yield Static("The article behind the dialog")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self._dismissed)

    def _dismissed(self, result: object) -> None:
        self.result = result


LONG_QUOTE = " ".join(["The lighthouse keeper climbed the stairs at dusk."] * 12)


async def test_note_editor_saves_with_ctrl_s() -> None:
    app = DialogApp(NoteEditorScreen("A quote", "First thought"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#note-text", TextArea).has_focus
        await pilot.press("enter", *"More", "space", *"thoughts", "ctrl+s")
        await pilot.pause()
        # The cursor started at the end, so the typing went after the old note.
        assert app.result == "First thought\nMore thoughts"
        assert not isinstance(app.screen, NoteEditorScreen)


async def test_note_editor_shows_a_shortened_quote_and_the_keys() -> None:
    app = DialogApp(NoteEditorScreen(LONG_QUOTE, ""))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        quote = str(app.screen.query_one("#note-quote", Static).content)
        assert quote.startswith("The lighthouse keeper")
        assert quote.endswith("…")
        assert len(quote) < len(LONG_QUOTE)
        assert "ctrl+s save" in str(app.screen.query_one("#note-keys", Static).content)
        assert app.screen.query_one(TextArea).soft_wrap


async def test_note_editor_escape_unchanged_closes_at_once() -> None:
    app = DialogApp(NoteEditorScreen("A quote", "Unchanged"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.result is None
        assert not isinstance(app.screen, (NoteEditorScreen, ConfirmScreen))


async def test_note_editor_escape_after_changes_asks_first() -> None:
    app = DialogApp(NoteEditorScreen("A quote", "Draft"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"ed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard the changes to this note?" in str(
            app.screen.query_one("#confirm-question", Static).content)
        await pilot.press("n")
        await pilot.pause()
        # Still editing, nothing lost.
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.result is DialogApp.NOTHING
        assert app.screen.query_one(TextArea).text == "Drafted"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.result is None
        assert not isinstance(app.screen, (NoteEditorScreen, ConfirmScreen))


async def test_note_editor_shows_control_characters_inert_and_keeps_them_if_unchanged():
    note = "imported \x1b]0;title\x07 note\u202e"
    app = DialogApp(NoteEditorScreen("quote \x1b[2J here", note))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = app.screen.query_one(TextArea).text
        assert "\x1b" not in shown and "\u202e" not in shown and "␛]0;title␇" in shown
        assert "␛[2J" in str(app.screen.query_one("#note-quote", Static).content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.result == note  # saved as it was: nothing of it lost


async def test_tag_editor_shows_control_characters_inert_and_keeps_them_if_unchanged():
    app = DialogApp(TagEditorScreen(["tag\x1b[2J"], ["tag\x1b[2J", "other"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#tags-input", Input)
        assert box.value == "tag␛[2J, "
        assert "\x1b" not in str(app.screen.query_one("#tags-known", Static).content)
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ("tag\x1b[2J",)


async def test_tag_editor_prefilled_completes_and_normalises() -> None:
    app = DialogApp(TagEditorScreen(["idea", "method"], ["idea", "Later", "method", "sea"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#tags-input", Input)
        assert box.has_focus
        assert box.value == "idea, method, "
        assert "#idea #Later #method #sea" in str(
            app.screen.query_one("#tags-known", Static).content)
        await pilot.press("l", "A")
        await pilot.pause()
        assert box._suggestion == "idea, method, Later"
        await pilot.press("right")
        assert box.value == "idea, method, Later"
        await pilot.press("space", *"#Idea", "comma", *"new", "space", *"NEW", "enter")
        await pilot.pause()
        assert app.result == ("idea", "method", "Later", "new")


async def test_tag_completion_is_for_the_last_tag_and_skips_ones_already_there() -> None:
    app = DialogApp(TagEditorScreen([], ["idea", "ideas", "method"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#tags-input", Input)
        assert box.value == ""
        await pilot.press(*"method", "space", "i")
        await pilot.pause()
        assert box._suggestion == "method idea"
        await pilot.press("d", "e", "a", "comma", "space", "i")
        await pilot.pause()
        assert box._suggestion == "method idea, ideas"  # "idea" is already there
        await pilot.press("backspace", "m")
        await pilot.pause()
        assert box._suggestion == ""  # "method" is used; nothing else starts with m
        await pilot.press("right")
        assert box.value == "method idea, m"


async def test_tag_editor_escape_cancels() -> None:
    app = DialogApp(TagEditorScreen(["idea"], []))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No tags used yet." in str(app.screen.query_one("#tags-known", Static).content)
        await pilot.press("x", "escape")
        await pilot.pause()
        assert app.result is None


async def _confirm_result(*keys: str, click: str | None = None) -> object:
    app = DialogApp(ConfirmScreen("Delete this highlight?", yes="Delete", no="Keep"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#confirm-yes").label) == "Delete"
        assert str(app.screen.query_one("#confirm-no").label) == "Keep"
        if click:
            await pilot.click(click)
        await pilot.press(*keys)
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        return app.result


async def test_confirm_keys() -> None:
    assert await _confirm_result("y") is True
    assert await _confirm_result("enter") is True
    assert await _confirm_result("n") is False
    assert await _confirm_result("escape") is False
    # enter presses the focused button: tab over to "Keep" first.
    assert await _confirm_result("right", "enter") is False


async def test_confirm_buttons() -> None:
    assert await _confirm_result(click="#confirm-yes") is True
    assert await _confirm_result(click="#confirm-no") is False


# ---------------------------------------------------------------- snapshots
def test_panel_snapshot(snap_compare) -> None:
    app = PanelApp()

    async def run_before(pilot) -> None:
        await pilot.pause()
        app.query_one("#annotation-filter", Input).cursor_blink = False
        _panel(app).focus()
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_note_editor_snapshot(snap_compare) -> None:
    app = DialogApp(NoteEditorScreen(LONG_QUOTE, "Why at dusk?\nThe keeper's log says so."))

    async def run_before(pilot) -> None:
        await pilot.pause()
        app.screen.query_one(TextArea).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
