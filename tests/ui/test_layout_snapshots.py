"""What the reading screen shows with both panels asked for, on a narrow and a wide terminal.

Update after looking at the report: pytest tests/ui/test_layout_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from reader.sources.shipped import samples_dir


async def _both_panels_with_highlights(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("j", "h", "j", "j", "2", "h", "right_square_bracket", "h")
    await pilot.pause()
    await pilot.press("t")
    await pilot.pause()
    await pilot.press("p")
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", [(60, 20), (200, 50)], ids=["narrow-60x20", "wide-200x50"])
def test_both_panels(snap_compare, make_reader, size):
    app = make_reader(samples_dir() / "rich_markdown.md")
    assert snap_compare(app, terminal_size=size, run_before=_both_panels_with_highlights)
