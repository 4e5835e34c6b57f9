"""The dialog for a highlight's tags, completing tags used before."""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from reader.annotations.records import normalise_tags
from reader.document.inert import inert

#: Known tags listed in the hint line; the rest are summed up as "+N more".
HINT_LIMIT = 12
#: The last tag being typed: after the last comma or space, without its "#".
_LAST_TAG = re.compile(r"#?(?P<name>[^,\s#]*)$")


class TagSuggester(Suggester):
    """Completes the tag being typed (the last one) from tags used before.

    Matching ignores case and the completion uses the known tag's spelling, so
    "Meth" becomes "method" when that is how it was first written. Tags already
    in the box are not offered again.
    """

    def __init__(self, known_tags: Sequence[str]) -> None:
        # case_sensitive=True: Input shows the suggestion after the value as typed,
        # so the earlier tags must come back exactly; case is ignored below.
        super().__init__(use_cache=True, case_sensitive=True)
        self._known = normalise_tags(known_tags)

    async def get_suggestion(self, value: str) -> str | None:
        match = _LAST_TAG.search(value)
        name = match.group("name") if match else ""
        if not name:
            return None
        head = value[: match.start("name")]
        typed = name.casefold()
        used = {tag.casefold() for tag in normalise_tags(value[: match.start()])}
        for tag in self._known:
            folded = tag.casefold()
            if folded.startswith(typed) and folded != typed and folded not in used:
                return head + tag
        return None


def known_tags_hint(known_tags: Sequence[str], limit: int = HINT_LIMIT) -> str:
    """A line listing tags used before: "Used before: #idea #method +3 more"."""
    tags = normalise_tags(known_tags)
    if not tags:
        return "No tags used yet."
    hint = "Used before: " + " ".join(f"#{tag}" for tag in tags[:limit])
    if len(tags) > limit:
        hint += f" +{len(tags) - limit} more"
    return hint


class TagEditorScreen(ModalScreen[tuple[str, ...] | None]):
    """Edits tags as text ("idea, method"); dismisses with the normalised tags on
    enter, or None on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, tags: Sequence[str], known_tags: Sequence[str]) -> None:
        super().__init__()
        self._tags = normalise_tags(tags)
        # Shown with any control character made visible (a tag from an imported file
        # may hold escapes a terminal would obey); entered unchanged, the tags stay.
        self._known = tuple(inert(tag) for tag in normalise_tags(known_tags))
        value = ", ".join(inert(tag) for tag in self._tags)
        self._shown = value + ", " if value else ""

    def compose(self) -> ComposeResult:
        with Vertical(id="tags-dialog") as dialog:
            dialog.border_title = "Tags"
            yield Input(
                self._shown,
                placeholder="tags, separated by commas or spaces",
                suggester=TagSuggester(self._known),
                select_on_focus=False,  # add to the tags, don't type over them
                id="tags-input",
            )
            yield Static(known_tags_hint(self._known), id="tags-known", markup=False)
            yield Static("enter save · → complete · escape cancel", id="tags-keys",
                         classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#tags-input", Input).focus()

    @on(Input.Submitted, "#tags-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self._tags if event.value == self._shown else normalise_tags(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
