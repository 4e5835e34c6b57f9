"""What config.toml may say: each setting, its type and range, and the one-line error.

Pure: a parsed TOML table goes in, a :class:`Settings` comes out, or a
:class:`ConfigError` naming the file, the line and the problem. Whether a binding
id exists, whether keys clash and whether a theme exists are for the layer that
knows the keys and themes (``reader.tui.keymap``); it reports through
:meth:`Settings.error` so its messages read the same.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from reader.config.lines import KeyPath, line_of

#: Keys 1 to 5 colour a highlight; [colours] names what each is for.
COLOUR_KEYS = 5
#: The reading column the reading view accepts (it clamps to these).
MIN_WIDTH, MAX_WIDTH = 30, 200
#: Desired retention as the review scheduler accepts it.
MIN_RETENTION, MAX_RETENTION = 0.70, 0.97
#: The export formats, as `readmark export --format` names them.
EXPORT_FORMATS = ("markdown", "json", "csv")
#: Longest name a colour may be given (it shares a line with its key in the help).
MAX_COLOUR_NAME = 24
#: Most new highlights one review session may take.
MAX_NEW = 1000


class ConfigError(ValueError):
    """A problem in the config file, said in one line: file, line, problem."""

    def __init__(self, path: Path | None, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = str(self.path) if self.path is not None else "config"
        if self.line is not None:
            where += f", line {self.line}"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class Settings:
    """What the config file says; None (or empty) for what it leaves out."""

    path: Path | None = None
    exists: bool = False
    theme: str | None = None
    reading_width: int | None = None
    contents: bool | None = None
    highlights: bool | None = None
    #: Binding id -> keys, comma-separated, as written.
    keymap: Mapping[str, str] = field(default_factory=dict)
    #: 1-5 -> the name shown for that colour.
    colour_names: Mapping[int, str] = field(default_factory=dict)
    export_folder: Path | None = None
    export_format: str | None = None
    export_template: Path | None = None
    review_retention: float | None = None
    review_new: int | None = None
    #: The file's text, for finding the line of a problem found later.
    text: str = field(default="", repr=False)
    #: Binding id -> the key path it was written as (``"a.b" = …`` or ``a.b = …``).
    keymap_paths: Mapping[str, KeyPath] = field(default_factory=dict, repr=False)

    def error(self, path: KeyPath, problem: str) -> ConfigError:
        """A :class:`ConfigError` for the setting at ``path`` (its line looked up)."""
        return ConfigError(self.path, line_of(self.text, path) if self.text else None, problem)

    def keymap_error(self, binding_id: str, problem: str) -> ConfigError:
        """A :class:`ConfigError` for the ``[keymap]`` entry of ``binding_id``."""
        return self.error(self.keymap_paths.get(binding_id, ("keymap", binding_id)), problem)


# ------------------------------------------------------------------ the schema
Check = Callable[[Any], str | None]


@dataclass(frozen=True)
class _Setting:
    attribute: str
    kind: str  # "text", "whole", "number", "bool"
    check: Check | None = None


def _width(value: int) -> str | None:
    if not MIN_WIDTH <= value <= MAX_WIDTH:
        return f"must be from {MIN_WIDTH} to {MAX_WIDTH} columns, not {value}"
    return None


def _retention(value: float) -> str | None:
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        return (f"must be from {MIN_RETENTION} to {MAX_RETENTION} (0.9 remembers 9 "
                f"highlights in 10), not {value}")
    return None


def _new(value: int) -> str | None:
    if not 0 <= value <= MAX_NEW:
        return f"must be from 0 to {MAX_NEW}, not {value}"
    return None


def _format(value: str) -> str | None:
    if value not in EXPORT_FORMATS:
        return f"must be one of {', '.join(EXPORT_FORMATS)}, not {_shown(value)}"
    return None


def _nonempty(value: str) -> str | None:
    return "must not be empty" if not value.strip() else None


#: Top-level settings, then each table's.
_TOP: dict[str, _Setting] = {
    "theme": _Setting("theme", "text", _nonempty),
    "reading_width": _Setting("reading_width", "whole", _width),
}
_TABLES: dict[str, dict[str, _Setting]] = {
    "panels": {
        "contents": _Setting("contents", "bool"),
        "highlights": _Setting("highlights", "bool"),
    },
    "export": {
        "folder": _Setting("export_folder", "text", _nonempty),
        "format": _Setting("export_format", "text", _format),
        "template": _Setting("export_template", "text", _nonempty),
    },
    "review": {
        "retention": _Setting("review_retention", "number", _retention),
        "new": _Setting("review_new", "whole", _new),
    },
}
#: Tables whose keys are the user's: binding ids, colour keys.
_FREE_TABLES = ("keymap", "colours")

_KIND_NAMES = {
    "text": "text in quotes",
    "whole": "a whole number",
    "number": "a number",
    "bool": "true or false",
}


def known_names() -> list[str]:
    """Every setting's dotted name, in the order of the file."""
    names = list(_TOP)
    for table, settings in _TABLES.items():
        names.append(f"[{table}]")
        names.extend(f"{table}.{name}" for name in settings)
    names.extend(f"[{table}]" for table in _FREE_TABLES)
    return names


def _shown(value: Any) -> str:
    """A value as TOML writes it, for a message (cut when long)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, list):
        return "a list"
    elif isinstance(value, (datetime, date, time)):
        return f"a date ({value.isoformat()})"
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "whole":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _suggest(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


class _Problems:
    """Problems found so far, each with the key path it is about."""

    def __init__(self) -> None:
        self.found: list[tuple[KeyPath, str]] = []

    def add(self, path: KeyPath, problem: str) -> None:
        self.found.append((path, problem))


def parse_settings(data: Mapping[str, Any], *, path: Path | None = None,
                   text: str = "") -> Settings:
    """The settings in a parsed config file.

    Args:
        data: What ``tomllib`` read from the file.
        path: The file (relative folders and templates are taken from its folder).
        text: The file's text, to name the line of a problem.

    Raises:
        ConfigError: The first problem in the file (by line); the message says
            how many more there are.
    """
    problems = _Problems()
    values: dict[str, Any] = {}
    base = path.parent if path is not None else Path.cwd()
    for name, value in data.items():
        if name in _TOP:
            _one(_TOP[name], (name,), value, values, problems)
        elif name in _TABLES:
            if not isinstance(value, dict):
                problems.add((name,), f"{name} must be a table ([{name}]), not {_shown(value)}")
                continue
            for key, item in value.items():
                setting = _TABLES[name].get(key)
                if setting is None:
                    problems.add((name, key), f"unknown setting {name}.{key}"
                                 + _suggest(key, list(_TABLES[name]))
                                 + f"; [{name}] has {', '.join(_TABLES[name])}")
                else:
                    _one(setting, (name, key), item, values, problems)
        elif name == "keymap":
            _keymap(value, values, problems)
        elif name == "colours":
            _colours(value, values, problems)
        else:
            choices = [*_TOP, *_TABLES, *_FREE_TABLES]
            what = "table" if isinstance(value, dict) else "setting"
            problems.add((name,), f"unknown {what} {name}" + _suggest(name, choices))
    settings = Settings(path=path, exists=path is not None, text=text, **values)
    if problems.found:
        raise _first(settings, problems.found)
    return _with_paths(settings, base, problems)


def _first(settings: Settings, found: list[tuple[KeyPath, str]]) -> ConfigError:
    errors = [settings.error(key, problem) for key, problem in found]
    errors.sort(key=lambda error: error.line or 0)
    first = errors[0]
    more = len(errors) - 1
    if more:
        first = ConfigError(first.path, first.line,
                            f"{first.problem} (and {more} more problem{'s' if more > 1 else ''})")
    return first


def _one(setting: _Setting, key: KeyPath, value: Any, values: dict[str, Any],
         problems: _Problems) -> None:
    dotted = ".".join(key)
    if not _type_ok(setting.kind, value):
        problems.add(key, f"{dotted} must be {_KIND_NAMES[setting.kind]}, not {_shown(value)}")
        return
    problem = setting.check(value) if setting.check is not None else None
    if problem:
        problems.add(key, f"{dotted} {problem}")
        return
    values[setting.attribute] = float(value) if setting.kind == "number" else value


def _keymap(table: Any, values: dict[str, Any], problems: _Problems) -> None:
    if not isinstance(table, dict):
        problems.add(("keymap",), f"keymap must be a table ([keymap]), not {_shown(table)}")
        return
    keymap: dict[str, str] = {}
    paths: dict[str, KeyPath] = {}

    def walk(node: dict[str, Any], prefix: KeyPath) -> None:
        for name, value in node.items():
            key = (*prefix, name)
            if isinstance(value, dict):
                walk(value, key)
                continue
            binding_id = ".".join(key[1:])
            if binding_id in keymap:
                problems.add(key, f'"{binding_id}" is given twice in [keymap]')
                continue
            keys = _keys(value)
            if keys is None:
                problems.add(key, f'keymap "{binding_id}" must be keys in quotes, such as "y" '
                             f'or "ctrl+y,f2", not {_shown(value)}')
                continue
            empty = [piece for piece in keys.split(",") if not piece.strip()]
            spaced = [piece.strip() for piece in keys.split(",") if " " in piece.strip()]
            if empty:
                problems.add(key, f'keymap "{binding_id}" has an empty key in {_shown(keys)}')
            elif spaced:
                problems.add(key, f'keymap "{binding_id}": {_shown(spaced[0])} is not a key '
                             '(separate keys with commas)')
            else:
                keymap[binding_id] = ",".join(piece.strip() for piece in keys.split(","))
                paths[binding_id] = key

    walk(table, ("keymap",))
    values["keymap"] = keymap
    values["keymap_paths"] = paths


def _keys(value: Any) -> str | None:
    """Keys as one comma-separated string (a list of keys is taken too), or None."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return ",".join(value)
    return None


def _colours(table: Any, values: dict[str, Any], problems: _Problems) -> None:
    if not isinstance(table, dict):
        problems.add(("colours",), f"colours must be a table ([colours]), not {_shown(table)}")
        return
    names: dict[int, str] = {}
    slots = [str(number) for number in range(1, COLOUR_KEYS + 1)]
    for key, value in table.items():
        if key not in slots:
            problems.add(("colours", key), f'colours: "{key}" is not a colour key; name the '
                         f"keys 1 to {COLOUR_KEYS}, such as 1 = \"key idea\"")
            continue
        if not isinstance(value, str):
            problems.add(("colours", key), f"colours.{key} must be text in quotes, "
                         f"not {_shown(value)}")
            continue
        name = value.strip()
        if not name or not name.isprintable() or len(name) > MAX_COLOUR_NAME:
            problems.add(("colours", key), f"colours.{key} must be 1 to {MAX_COLOUR_NAME} "
                         f"printable characters on one line, not {_shown(value)}")
            continue
        names[int(key)] = name
    values["colour_names"] = names


def _with_paths(settings: Settings, base: Path, problems: _Problems) -> Settings:
    """Folders and templates as paths (``~`` expanded, relative to the file's folder);
    a template that is not a file is a problem."""
    changes: dict[str, Any] = {}
    for attribute in ("export_folder", "export_template"):
        value = getattr(settings, attribute)
        if value is not None:
            changes[attribute] = _path(str(value), base)
    template = changes.get("export_template")
    if template is not None and not template.is_file():
        problems.add(("export", "template"),
                     f"export.template: {template} is not a file")
        raise _first(settings, problems.found)
    return replace(settings, **changes) if changes else settings


def _path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path
