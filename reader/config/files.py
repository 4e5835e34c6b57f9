"""Where config.toml lives, reading it, and the commented file `readmark config --init` writes."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from reader.config.settings import (
    COLOUR_KEYS,
    EXPORT_FORMATS,
    MAX_RETENTION,
    MAX_WIDTH,
    MIN_RETENTION,
    MIN_WIDTH,
    ConfigError,
    Settings,
    parse_settings,
)

#: Environment variable naming the config file to use instead of the default.
ENV_CONFIG = "READMARK_CONFIG"
#: A config file is a few lines; anything this big is not one.
MAX_CONFIG_BYTES = 1024 * 1024

_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def default_config_path() -> Path:
    """``config.toml`` in the user config folder (``~/.config/readmark/`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("readmark", appauthor=False)) / "config.toml"


def config_path() -> Path:
    """The config file: ``$READMARK_CONFIG`` when set, else :func:`default_config_path`."""
    given = os.environ.get(ENV_CONFIG, "").strip()
    return Path(given).expanduser() if given else default_config_path()


def load_settings(path: Path | None = None) -> Settings:
    """The settings in the config file; defaults (no file) when there is none.

    Raises:
        ConfigError: The file cannot be read, is not TOML, or says something wrong.
    """
    path = config_path() if path is None else path
    try:
        info = path.stat()
    except FileNotFoundError:
        return Settings(path=path, exists=False)
    except OSError as error:
        raise ConfigError(path, None, f"cannot read it: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfigError(path, None, "is not a file (a config file is TOML text)")
    if info.st_size > MAX_CONFIG_BYTES:
        raise ConfigError(path, None, f"is {info.st_size} bytes; a config file is a few lines")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(path, None, f"cannot read it: {error.strerror or error}") from None
    return parse_config_text(data, path)


def parse_config_text(data: bytes, path: Path | None = None) -> Settings:
    """The settings in a config file's bytes (``path`` only names it in messages).

    Raises:
        ConfigError: Not UTF-8, not TOML, or a setting that is wrong.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(path, line, "is not UTF-8 text") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _toml_error(path, text, str(error)) from None
    return parse_settings(table, path=path, text=text)


def _toml_error(path: Path | None, text: str, message: str) -> ConfigError:
    line: int | None = None
    found = _AT_LINE.search(message)
    if found:
        line = int(found.group(1))
        message = message[: found.start()]
    elif _AT_END.search(message):
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
        message = _AT_END.sub("", message)
    message = message.rstrip(".")
    return ConfigError(path, line, f"not valid TOML: {message[:1].lower()}{message[1:]}")


def write_default_config(path: Path, keymap_lines: Sequence[str] = ()) -> bool:
    """Write the commented default file at ``path``; False (and nothing written) when
    a file is already there.

    Raises:
        OSError: The folder cannot be made or the file written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(default_config_text(keymap_lines))
    except FileExistsError:
        return False
    return True


def default_config_text(keymap_lines: Sequence[str] = ()) -> str:
    """The commented default config file: every setting, each commented out.

    ``keymap_lines`` are the ``[keymap]`` entries to list (commented, with what each
    key does); the caller that knows the bindings supplies them.
    """
    keymap = "\n".join(f"# {line}" for line in keymap_lines)
    colours = "\n".join(f'# {n} = "{name}"' for n, name in
                        zip(range(1, COLOUR_KEYS + 1),
                            ("yellow", "green", "blue", "pink", "purple")))
    return f"""\
# readmark settings. Every line starting with "#" is a comment: remove the "#"
# in front of a setting to use it. `readmark config` shows what is in effect.
# What a setting here says wins over what readmark remembered from last time;
# an option on the command line wins over both.

# The colour theme (ctrl+p lists them: textual-dark, textual-light, nord, ...).
# theme = "textual-dark"

# Width of the reading column, from {MIN_WIDTH} to {MAX_WIDTH} columns (+ and - change it).
# reading_width = 80

[panels]
# Panels open at start: the table of contents (t) and the highlights panel (p).
# contents = false
# highlights = false

[keymap]
# Keys for actions, by binding id: "id" = "key". Several keys: "j,down".
# Keys are written as Textual names them: "y", "Y", "ctrl+y", "f2", "space",
# "question_mark" or "?". A key that clashes with another on the same screen is
# refused. Every id and its key (the help screen, ?, shows them as remapped):
{keymap}

[colours]
# The name shown for each colour key (1 to {COLOUR_KEYS}), for what you use it for.
{colours}

[export]
# Where E in the reader puts exports (default: exports/ beside the library);
# a relative folder is taken from this file's folder.
# folder = "~/notes/readmark"
# The format `readmark export` writes when neither --format nor -o's
# extension says: {", ".join(EXPORT_FORMATS)}.
# format = "markdown"
# A Jinja2 template for Markdown exports (a file; relative to this folder).
# template = "my-notes.md.j2"

[review]
# Desired retention, from {MIN_RETENTION} to {MAX_RETENTION}: the chance of still
# remembering a highlight when it comes back (higher: shorter intervals).
# retention = 0.9
# New (never reviewed) highlights a session takes.
# new = 10
"""
