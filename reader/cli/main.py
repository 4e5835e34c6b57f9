"""The `readmark` command line: the registry of commands, each loaded only when it runs."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable, Sequence

from reader.cli.common import EXIT_USAGE, CliError, inert_output
from reader.cli.read import read_command, read_parser
from reader.sources.loader import ArticleError

#: Commands that live in their own modules, imported only when used. Each module
#: defines ``NAME_parser()`` and ``NAME_command(args)`` for its commands.
COMMAND_MODULES = {
    "outline": "reader.cli.outline",
    "highlight": "reader.cli.highlight",
    "list": "reader.cli.listing",
    "search": "reader.cli.search",
    "relink": "reader.cli.relink",
    "export": "reader.cli.export",
    "import": "reader.cli.importing",
    "review": "reader.cli.review",
    "stats": "reader.cli.stats",
    "config": "reader.cli.config",
    "completion": "reader.cli.completion",
    "serve": "reader.cli.serve",
    "add": "reader.cli.add",
    "refresh": "reader.cli.refresh",
    "text": "reader.cli.text",
}


#: Words that name a command instead of an article (use ./list for a file named so).
SUBCOMMANDS = tuple(COMMAND_MODULES)


EPILOG = """\
commands:
  readmark outline ARTICLE                  print the section outline (--explain: why,
                                            and what was hidden)
  readmark highlight ARTICLE --quote TEXT   add a highlight without opening the reader
                                            (--note, --color, --tag, --occurrence)
  readmark list                             list known articles with their numbers of
                                            highlights and notes
  readmark export ARTICLE [-o FILE]         export an article's notes (--format
                                            markdown|json|csv|anki); --all -o DIR for all
  readmark import FILE.json                 import annotations (readmark's or W3C JSON)
  readmark review [ARTICLE]                 review past highlights with spaced repetition
  readmark stats                            highlights, notes and due cards per article
  readmark config [--init]                  where the config file is and what is in
                                            effect; --init writes a commented one
  readmark completion bash|zsh|fish         print the shell completion script
  readmark serve [ARTICLE]                  read in a web browser (--host, --port;
                                            this computer only by default)

  readmark search QUERY                     search the highlights of every article
                                            (--tag, --color, --article, --json)
  readmark relink OLD NEW                   move an article's highlights to the file it
                                            is now (moved, and perhaps edited)
  readmark add SOURCE...                    add web pages, saved pages, books or files to
                                            the library without opening them
  readmark refresh ARTICLE                  fetch a web article again; highlights follow
  readmark text SOURCE                      print the article as readmark reads it
                                            (--markdown: the Markdown it parses)

ARTICLE and SOURCE may be a Markdown or plain-text file, a web address, a saved
page (.html), an EPUB book, or - for standard input.

Run 'readmark COMMAND --help' for a command's options. Without ARTICLE, the
library opens (the bundled sample is in it on the first run).
"""


def _subcommand(
    name: str,
) -> tuple[argparse.ArgumentParser, Callable[[argparse.Namespace], int]]:
    """The parser and handler of a subcommand, its module loaded on demand."""
    module = importlib.import_module(COMMAND_MODULES[name])
    return getattr(module, f"{name}_parser")(), getattr(module, f"{name}_command")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `readmark` console script."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    # Whatever a command prints (titles, notes, tags, paths, messages) is inert: an
    # article's escape sequences never reach the terminal, nor a pipe (see README).
    with inert_output():
        return _run(arguments)


def _check_not_a_misspelt_command(word: str) -> None:
    """A bare word that is no file but nearly a command's name is taken as that mistake
    ("readmark exprot"), not reported as a missing article."""
    if os.path.exists(word) or any(mark in word for mark in "./\\:"):
        return
    import difflib

    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.75)
    if close:
        raise CliError(f"{word}: no such command or file; did you mean 'readmark {close[0]}'?")


def _parse(parser: argparse.ArgumentParser, arguments: list[str]) -> argparse.Namespace:
    """``parser.parse_args``, with a mistake in the arguments said in one line (argparse
    prints its whole usage first) and exit status 2; --help is left as it is."""
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            return parser.parse_args(arguments)
    except SystemExit as leaving:
        lines = said.getvalue().strip().splitlines()
        if leaving.code == 2 and lines and ": error: " in lines[-1]:
            prog, _, message = lines[-1].partition(": error: ")
            print(f"{prog}: {message} ('{prog} --help' lists the options)", file=sys.stderr)
        else:
            sys.stderr.write(said.getvalue())
        raise


def _run(arguments: list[str]) -> int:
    try:
        if arguments and arguments[0] in SUBCOMMANDS:
            parser, handler = _subcommand(arguments.pop(0))
            args = _parse(parser, arguments)
        else:
            if arguments:
                _check_not_a_misspelt_command(arguments[0])
            args = _parse(read_parser(EPILOG), arguments)
            handler = read_command
        return handler(args)
    except (ArticleError, CliError) as error:
        print(f"readmark: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into head): not an error worth a trace.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
