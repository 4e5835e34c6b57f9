"""Cyclic collection is paused for start-up and always comes back on."""

from __future__ import annotations

import gc

import pytest

from reader.cli import main as cli
from reader.tui import startup


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    startup.resume_collection()
    gc.enable()
    gc.unfreeze()


def test_pause_then_resume_turns_collection_back_on_and_freezes_startup_objects():
    startup.pause_collection()
    assert not gc.isenabled() and startup.collection_paused()
    startup.resume_collection()
    assert gc.isenabled() and not startup.collection_paused()
    assert gc.get_freeze_count() > 0
    startup.resume_collection()  # a second call changes nothing
    assert gc.isenabled()


def test_resume_leaves_a_collector_someone_else_disabled_alone():
    gc.disable()
    startup.pause_collection()  # already off: not ours to turn back on
    startup.resume_collection()
    assert not gc.isenabled()


def test_a_failed_start_does_not_leave_collection_off(tmp_path, capsys):
    assert cli.main([str(tmp_path / "missing.md")]) == cli.EXIT_USAGE
    assert "no such file" in capsys.readouterr().err
    assert gc.isenabled() and not startup.collection_paused()
