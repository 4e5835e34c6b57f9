"""Keep the cyclic garbage collector out of the way until the first screen is up.

Starting the reader imports several hundred modules and builds the widget tree:
hundreds of thousands of objects, none of them garbage, that the collector would
otherwise walk again and again (about a tenth of the time to the first screen).
The command line pauses collection before that work; the first painted screen
resumes it, after freezing what start-up made, so later collections (while the
reader pages through the article) do not walk the imported modules either.
Reference counting frees ordinary objects all the while; only cycles wait.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = False


def pause_collection() -> None:
    """Stop cyclic collection for the start-up (a no-op when it is already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Undo :func:`pause_collection`; safe to call any number of times, from anywhere."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


@contextmanager
def paused_collection() -> Iterator[None]:
    """Pause collection for a command that starts the app; resume it when the command ends.

    The first painted screen resumes it sooner; leaving the block covers a command
    that ends (or fails) before any screen got that far.
    """
    pause_collection()
    try:
        yield
    finally:
        resume_collection()


def collection_paused() -> bool:
    """Whether start-up has collection paused (for tests)."""
    return _paused
