"""The command palette's readmark commands (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from reader.annotations.records import COLORS

#: (title, help, action run on the screen)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("contents: toggle panel", "Show or hide the table of contents (t)", "toggle_outline"),
    ("search: find in article", "Open the search box (/)", "open_search"),
    ("search: next match", "Go to the next match (n)", "article('search_next')"),
    ("search: previous match", "Go to the previous match (N)", "article('search_previous')"),
    ("go: next section", "Cursor to the next section (])", "article('section_next')"),
    ("go: previous section", "Cursor to the previous section ([)", "article('section_previous')"),
    ("go: start of article", "Back to the beginning (g)", "article('go_start')"),
    ("go: end of article", "To the last sentence (G)", "article('go_end')"),
    ("width: wider reading column", "Widen the text by 4 columns (+)", "article('wider')"),
    ("width: narrower reading column", "Narrow the text by 4 columns (-)", "article('narrower')"),
    ("link: open link in sentence", "Open the current sentence's link (o)", "article('open_link')"),
    ("highlight: current sentence or selection", "Highlight it (h)", "highlight"),
    ("highlight: start a selection", "Select from the cursor; j/k extend it (v)",
     "article('select')"),
    ("highlight: write a note", "Note on the highlight under the cursor (a)", "note"),
    ("highlight: edit tags", "Tags of the highlight under the cursor (#)", "tags"),
    ("highlight: delete", "Delete the highlight under the cursor (x)", "delete_highlight"),
    ("highlight: undo last change", "Undo the last highlight change (u)", "undo"),
    *(
        (f"highlight: colour {color}", f"Colour the highlight under the cursor ({number})",
         f"color('{color}')")
        for number, color in enumerate(COLORS, start=1)
    ),
    ("highlights: toggle panel", "Show or hide the highlights panel (p)", "toggle_panel"),
    *(
        (f"export: {name}", f"Export this article's notes as {name} (E for Markdown)",
         f"export('{fmt}')")
        for fmt, name in (("markdown", "Markdown"), ("json", "JSON"), ("csv", "CSV"),
                          ("anki", "an Anki deck"))
    ),
    ("export: Markdown to a folder…", "Choose (and remember) where exports go",
     "export_to('markdown')"),
    ("review: start session", "Review this article's highlights (r)", "review"),
    ("help: show keys", "Every key and what it does (?)", "app.help"),
)


class ReadmarkCommands(Provider):
    """Offers the reading screen's actions by name."""

    def _run(self, action: str) -> None:
        self.app.call_later(self.screen.run_action, action)

    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, action),
                          help=help_text)
