"""The terminal every UI test runs in, unless the test says otherwise."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch):
    """A truecolor terminal, whatever the machine running the tests has.

    The app picks its colours for the terminal's colour depth when it is built
    (styles/colours.tcss), so without this the snapshots would depend on the
    TERM and COLORTERM of whoever runs them. Tests of other depths set their own.
    """
    monkeypatch.setenv("COLORTERM", "truecolor")
