"""The dialog asking for the desired retention of reviews (the review screen's ``R``).

Its styles are in styles/review.tcss, loaded with the review screen that opens it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.review.scheduling import MAX_RETENTION, MIN_RETENTION


class RetentionScreen(ModalScreen[float | None]):
    """Asks for the desired retention; dismisses with it, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="retention.cancel", tooltip="Keep it as it is"),
    ]

    def __init__(self, current: float) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="retention-dialog") as dialog:
            dialog.border_title = "Desired retention"
            yield Static(
                f"The chance of still remembering a highlight when it comes back, from "
                f"{MIN_RETENTION} to {MAX_RETENTION}. Higher means shorter intervals and "
                "more reviews.", id="retention-help")
            yield Input(f"{self._current:g}", id="retention-input")
            yield Static("enter save · escape cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#retention-input", Input).focus()

    @on(Input.Submitted, "#retention-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip().rstrip("%")
        try:
            value = float(text) / (100 if event.value.strip().endswith("%") else 1)
        except ValueError:
            self.notify(f"“{event.value}” is not a number such as 0.9.", severity="warning")
            return
        if not MIN_RETENTION <= value <= MAX_RETENTION:
            self.notify(f"Choose from {MIN_RETENTION} to {MAX_RETENTION}.", severity="warning")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)

