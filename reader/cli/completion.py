"""`readmark completion SHELL`: a completion script for bash, zsh or fish.

The scripts are made from the commands' own parsers, so a new command or option is
completed as soon as it exists. An ARTICLE that may be named by its title (the help
of the argument says "title") completes to the titles in the library as well as to
files; the script asks `readmark completion --articles PREFIX` for them, so titles
are never put through the shell's own expansion.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass, field

from reader.cli.common import clip, common_arguments, read_library, safe_output

SHELLS = ("bash", "zsh", "fish")
#: Option metavars and positional names whose values are files or folders.
_FILE_WORDS = frozenset({"PATH", "FILE", "DIR", "FOLDER", "TEMPLATE", "OUTPUT", "SOURCE",
                         "file", "files", "path", "source", "sources", "folder", "output"})
#: The longest title offered (a title is a completion, not a paragraph).
TITLE_LIMIT = 80


def completion_parser() -> argparse.ArgumentParser:
    """The options of `readmark completion`."""
    parser = argparse.ArgumentParser(
        prog="readmark completion",
        description="Print the shell completion script for bash, zsh or fish: commands, "
        "options, and article titles from the library. To use it now: "
        "source <(readmark completion bash), or for zsh the same with zsh; for fish: "
        "readmark completion fish | source. To keep it, put that line in your shell's "
        "start-up file (~/.bashrc, ~/.zshrc, ~/.config/fish/config.fish).",
    )
    parser.add_argument("shell", nargs="?", choices=SHELLS, help="bash, zsh or fish")
    parser.add_argument("--articles", metavar="PREFIX", help=argparse.SUPPRESS)
    common_arguments(parser)
    return parser


def completion_command(args: argparse.Namespace) -> int:
    safe_output()
    if args.articles is not None:
        for title in article_titles(args.articles, args.db):
            print(title)
        return 0
    if args.shell is None:
        from reader.cli.common import CliError

        raise CliError("name the shell: readmark completion bash (or zsh, or fish)")
    sys.stdout.write(script(args.shell))
    return 0


# ---------------------------------------------------------------- the commands
@dataclass
class Option:
    flags: list[str]
    choices: list[str] = field(default_factory=list)
    takes_value: bool = False
    files: bool = False


@dataclass
class Command:
    """What completes after ``readmark NAME`` ("" is `readmark ARTICLE` itself)."""

    name: str
    options: list[Option]
    positional: str | None  # "titles", "files" or None


def commands() -> list[Command]:
    """Every command, from its parser; `readmark [ARTICLE]` first, named ""."""
    from reader.cli.main import COMMAND_MODULES, EPILOG
    from reader.cli.read import read_parser

    found = [_command("", read_parser(EPILOG))]
    for name, module_name in COMMAND_MODULES.items():
        module = importlib.import_module(module_name)
        found.append(_command(name, getattr(module, f"{name}_parser")()))
    return found


def _command(name: str, parser: argparse.ArgumentParser) -> Command:
    options: list[Option] = []
    positional: str | None = None
    for action in parser._actions:  # argparse keeps no public list of its arguments
        if action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            takes_value = action.nargs != 0
            metavar = str(action.metavar or action.dest).upper()
            options.append(Option(
                list(action.option_strings),
                [str(choice) for choice in action.choices or ()],
                takes_value,
                takes_value and not action.choices and metavar in _FILE_WORDS,
            ))
        elif positional is None:
            if "title" in str(action.help or ""):
                positional = "titles"
            elif action.dest in _FILE_WORDS or action.dest == "article":
                positional = "files"
            elif action.choices:
                positional = None
    return Command(name, options, positional)


def article_titles(prefix: str, db: str | None) -> list[str]:
    """Titles in the library that start with ``prefix`` (any case), each on one line, in
    alphabetical order."""
    wanted = " ".join(prefix.split()).casefold()

    def titles(store) -> list[str]:
        return [str(article.get("title") or "") for article in store.articles()]

    found: list[str] = []
    for title in read_library(db, titles) or []:
        shown = clip(title, TITLE_LIMIT)
        if shown and shown.casefold().startswith(wanted) and shown not in found:
            found.append(shown)
    return sorted(found, key=str.casefold)


def script(shell: str) -> str:
    """The completion script for ``shell``."""
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](commands())


def _words(items: list[str]) -> str:
    return " ".join(items)


def _value_cases(cmds: list[Command], files: str, choices: str) -> list[str]:
    """Shell ``case`` branches for options that take a value, keyed "command:option"."""
    cases = []
    for command in cmds:
        for option in command.options:
            if not option.takes_value:
                continue
            pattern = "|".join(f"{command.name}:{flag}" for flag in option.flags)
            if option.choices:
                cases.append(f"        {pattern}) {choices.format(_words(option.choices))} ;;")
            elif option.files:
                cases.append(f"        {pattern}) {files} ;;")
            else:
                cases.append(f"        {pattern}) return ;;")
    return cases


def _names(cmds: list[Command]) -> list[str]:
    return [command.name for command in cmds if command.name]


def _label(command: Command) -> str:
    """The command as a ``case`` pattern (`readmark ARTICLE` has the empty name)."""
    return command.name or '""'


def _flags(command: Command) -> str:
    return _words([flag for option in command.options for flag in option.flags])


def _bash(cmds: list[Command]) -> str:
    option_cases = "\n".join(f'        {_label(command)}) opts="{_flags(command)}" ;;'
                             for command in cmds)
    positional_cases = "\n".join(
        f"        {_label(command)}) what={command.positional or 'none'} ;;" for command in cmds)
    value_cases = "\n".join(_value_cases(
        cmds, files="COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null;"
        " return", choices='COMPREPLY=($(compgen -W "{}" -- "$cur")); return'))
    return f"""\
# bash completion for readmark: source <(readmark completion bash)
_readmark() {{
    local cur prev cmd="" opts="" what=none db="" i
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    case " {_words(_names(cmds))} " in
        *" ${{COMP_WORDS[1]}} "*) (( COMP_CWORD > 1 )) && cmd="${{COMP_WORDS[1]}}" ;;
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        [[ ${{COMP_WORDS[i]}} == --db ]] && db="${{COMP_WORDS[i+1]}}"
    done
    case "$cmd:$prev" in
{value_cases}
    esac
    case "$cmd" in
{option_cases}
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case "$cmd" in
{positional_cases}
    esac
    COMPREPLY=()
    if (( COMP_CWORD == 1 )); then
        COMPREPLY=($(compgen -W "{_words(_names(cmds))}" -- "$cur"))
    fi
    if [[ $what == titles ]]; then
        local title word="${{cur//\\\\/}}"
        word=${{word#[\\"\\']}}
        while IFS= read -r title; do
            COMPREPLY+=("$title")
        done < <("${{COMP_WORDS[0]}}" completion --articles="$word" ${{db:+--db "$db"}} 2>/dev/null)
    fi
    if [[ $what == titles || $what == files ]]; then
        local IFS=$'\\n'
        COMPREPLY+=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
    fi
}}
complete -F _readmark readmark
"""


def _zsh(cmds: list[Command]) -> str:
    option_cases = "\n".join(f"    {_label(command)}) compadd -- {_flags(command)} ;;"
                             for command in cmds)
    positional_cases = "\n".join(
        f"    {_label(command)}) what={command.positional or 'none'} ;;" for command in cmds)
    value_cases = "\n".join(_value_cases(cmds, files="_files; return",
                                         choices="compadd -- {}; return"))
    return f"""\
#compdef readmark
# zsh completion for readmark: source <(readmark completion zsh), or save it as
# _readmark in a folder of your $fpath.
_readmark() {{
  local cmd="" what=none db="" i
  local -a names titles
  names=({_words(_names(cmds))})
  if (( CURRENT > 2 )) && (( ${{names[(Ie)${{words[2]}}]}} )); then
    cmd=${{words[2]}}
  fi
  for (( i = 2; i < CURRENT; i++ )); do
    [[ ${{words[i]}} == --db ]] && db=${{words[i+1]}}
  done
  case "$cmd:${{words[CURRENT-1]}}" in
{value_cases}
  esac
  if [[ ${{words[CURRENT]}} == -* ]]; then
    case "$cmd" in
{option_cases}
    esac
    return
  fi
  (( CURRENT == 2 )) && compadd -- $names
  case "$cmd" in
{positional_cases}
  esac
  if [[ $what == titles ]]; then
    titles=("${{(@f)$(${{words[1]}} completion --articles="${{words[CURRENT]}}" \\
      ${{db:+--db "$db"}} 2>/dev/null)}}")
    (( ${{#titles}} )) && [[ -n ${{titles[1]}} ]] && compadd -- "${{titles[@]}}"
  fi
  [[ $what == titles || $what == files ]] && _files
  return 0
}}
if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
  _readmark "$@"
else
  compdef _readmark readmark
fi
"""


def _fish(cmds: list[Command]) -> str:
    names = _names(cmds)
    lines = [
        "# fish completion for readmark: readmark completion fish | source",
        "complete -c readmark -f",
        f'complete -c readmark -n __fish_use_subcommand -a "{_words(names)}"',
    ]
    for command in cmds:
        condition = ("__fish_use_subcommand" if not command.name
                     else f'"__fish_seen_subcommand_from {command.name}"')
        for option in command.options:
            flags = " ".join(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}"
                             for flag in option.flags)
            if option.choices:
                extra = f' -x -a "{_words(option.choices)}"'
            elif option.files:
                extra = " -r -F"
            elif option.takes_value:
                extra = " -x"
            else:
                extra = ""
            lines.append(f"complete -c readmark -n {condition} {flags}{extra}")
        if command.positional == "titles":
            lines.append(f"complete -c readmark -n {condition} -a "
                         "'(readmark completion --articles=(commandline -ct) 2>/dev/null)'")
        if command.positional in ("titles", "files"):
            lines.append(f"complete -c readmark -n {condition} -F")
    return "\n".join(lines) + "\n"
