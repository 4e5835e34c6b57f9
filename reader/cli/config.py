"""`readmark config`: where the config file is, what is in effect, and --init to write one."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from reader.cli.common import CliError, safe_output

if TYPE_CHECKING:
    from reader.config import Settings


def config_parser() -> argparse.ArgumentParser:
    """The options of `readmark config`."""
    parser = argparse.ArgumentParser(
        prog="readmark config",
        description="Print where the config file is and the settings in effect (every "
        "key by its binding id, for [keymap]). The file is config.toml in the user config "
        "folder, or the file $READMARK_CONFIG names. A problem in it is one line naming "
        "the file, the line and the problem, with exit status 2.",
    )
    parser.add_argument(
        "--init",
        action="store_true",
        help="write a commented config file with every setting (never over an existing one)",
    )
    parser.add_argument("--path", action="store_true", help="print only the file's path")
    return parser


def config_command(args: argparse.Namespace) -> int:
    from reader.config import config_path

    path = config_path()
    safe_output()
    if args.path:
        print(path)
        return 0
    if args.init:
        return _init(path)
    settings = checked_settings(full=True)
    print(_report(settings))
    return 0


def checked_settings(*, full: bool = False) -> Settings:
    """The config file's settings for a command; any problem is a :class:`CliError`
    (exit 2). ``full`` also checks the theme and the [keymap] against every screen."""
    from reader.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        raise CliError(error.message) from None
    if full:
        from reader.tui.user_config import full_problem

        problem = full_problem(settings)
        if problem is not None:
            raise CliError(problem.message)
    return settings


def _init(path) -> int:
    from reader.config import write_default_config
    from reader.tui.keymap import binding_infos

    lines = [f"{_toml_key(info.id)} = {_toml_value(_keys(info.keys))}   # {info.description} "
             f"({info.owner})" for info in binding_infos()]
    try:
        written = write_default_config(path, lines)
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from None
    if not written:
        raise CliError(f"{path} already exists; it is left as it is (edit it, or move it "
                       "away and run readmark config --init again)")
    print(f"wrote {path} (every setting is commented out: remove the # to use one)")
    return 0


def _toml_key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _keys(keys) -> str:
    from reader.tui.keys import shown_keys

    return shown_keys(keys).replace(", ", ",")


def _report(settings: Settings) -> str:
    """The settings in effect, as TOML, each with where it comes from."""
    from reader.annotations.records import COLORS
    from reader.tui.keymap import binding_infos
    from reader.tui.keys import normalise_keys

    where = str(settings.path)
    if not settings.exists:
        where += "  (no file there: the defaults; readmark config --init writes one)"
    out = [f"# config file: {where}"]

    def line(name: str, value: Any, default: str) -> None:
        if value is None:
            out.append(f"# {name}: not set ({default})")
        else:
            out.append(f"{name} = {_toml_value(value)}  # from the file")

    line("theme", settings.theme, "the theme last chosen in the app, else textual-dark")
    line("reading_width", settings.reading_width, "the width last used, else 80")
    out.append("\n[panels]")
    line("contents", settings.contents, "open if it was open last time")
    line("highlights", settings.highlights, "open if it was open last time")
    out.append("\n[export]")
    line("folder", settings.export_folder, "the folder last chosen, else exports/ beside "
         "the library")
    line("format", settings.export_format, "markdown, unless -o's extension says")
    line("template", settings.export_template, "the built-in Markdown layout")
    out.append("\n[review]")
    line("retention", settings.review_retention, "the one last set with R or --retention, "
         "else 0.9")
    line("new", settings.review_new, "10")
    out.append("\n[colours]")
    for number, colour in enumerate(COLORS, start=1):
        name = settings.colour_names.get(number)
        out.append(f'{number} = {_toml_value(name or colour)}'
                   + ("  # from the file" if name else ""))
    out.append("\n[keymap]")
    for info in binding_infos():
        given = settings.keymap.get(info.id)
        keys = _keys(normalise_keys(given)) if given is not None else _keys(info.keys)
        note = f"; from the file, default {_keys(info.keys)}" if given is not None else ""
        out.append(f"{_toml_key(info.id)} = {_toml_value(keys)}  # {info.description} "
                   f"({info.owner}{note})")
    return "\n".join(out)
