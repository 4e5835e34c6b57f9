"""Where the library lives: the default file, and the ``--db`` / ``$READMARK_DB`` choice."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["ENV_DB", "default_db_path", "resolve_db_path", "snapshots_dir"]

#: Environment variable that overrides the default library location.
ENV_DB = "READMARK_DB"


def default_db_path() -> Path:
    """Return the default library file in the user's data folder.

    Returns:
        ``<user data dir>/readmark/readmark.json`` (platform dependent).
    """
    return Path(platformdirs.user_data_dir("readmark", appauthor=False)) / "readmark.json"


def resolve_db_path(cli_value: str | None) -> Path:
    """Pick the library file: command-line value, else ``$READMARK_DB``, else the default.

    Args:
        cli_value: The ``--db`` value given on the command line, if any.

    Returns:
        The path to use; ``~`` is expanded.
    """
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def snapshots_dir(db_path: Path) -> Path:
    """The folder of article snapshots (web pages, books, standard input) beside a library file.

    Args:
        db_path: The library file, as :func:`resolve_db_path` gives it.
    """
    return Path(db_path).expanduser().parent / "snapshots"
