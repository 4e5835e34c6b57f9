"""Editing a note in the user's own editor ($VISUAL, else $EDITOR) through a temporary file."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path


class EditorError(Exception):
    """The editor could not be used; the message says why, and the note is unchanged."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The editor to run, as words: ``$VISUAL``, else ``$EDITOR`` (``"code -w"`` is two).

    Raises:
        EditorError: Neither is set (or one is only spaces, or cannot be split).
    """
    environ = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as error:
                raise EditorError(f"${name} cannot be read as a command ({error}); "
                                  "the note is as it was") from None
            if words:
                return words
    raise EditorError("Set $VISUAL or $EDITOR to write notes in your own editor "
                      "(for example: export EDITOR=nano); the note is as it was")


def edit_text(text: str, command: list[str], *, suffix: str = ".md") -> str:
    """``text`` as the editor leaves it: written to a temporary file, the editor run on
    it (waiting for it to exit), the file read back. One final newline the editor
    added is taken off.

    Raises:
        EditorError: The editor is not found, cannot be run, or exits with a failure.
    """
    handle, name = tempfile.mkstemp(prefix="readmark-note-", suffix=suffix)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            status = subprocess.run([*command, str(path)], check=False).returncode
        except FileNotFoundError:
            raise EditorError(f"{command[0]}: no such editor (from $VISUAL or $EDITOR); "
                              "the note is as it was") from None
        except OSError as error:
            raise EditorError(f"{command[0]} could not be run: {error.strerror or error}; "
                              "the note is as it was") from None
        if status != 0:
            raise EditorError(f"{command[0]} exited with status {status}; the note is as "
                              "it was")
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EditorError(f"the edited note could not be read back ({error}); the note "
                              "is as it was") from None
    finally:
        path.unlink(missing_ok=True)
    return edited[:-1] if edited.endswith("\n") and not text.endswith("\n") else edited
