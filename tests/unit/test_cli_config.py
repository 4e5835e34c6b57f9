"""`readmark config` and `readmark completion` as a user runs them: real processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli.completion import commands, script


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("READMARK_CONFIG", str(path))
    return path


def test_config_without_a_file_says_so_and_shows_the_defaults(config):
    result = run("config")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"# config file: {config}  (no file there: the defaults; "
                        "readmark config --init writes one)")
    assert '"highlight.add" = "h"  # Highlight the selection, or else the current sentence ' \
           "(on the reading screen)" in lines
    assert "1 = \"yellow\"" in lines
    assert run("config", "--path").stdout == f"{config}\n"


def test_config_shows_what_the_file_changes(config):
    config.parent.mkdir()
    config.write_text('reading_width = 72\n[keymap]\n"highlight.add" = "y"\n[colours]\n'
                      '1 = "key idea"\n', encoding="utf-8")
    result = run("config")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "reading_width = 72  # from the file" in lines
    assert '1 = "key idea"  # from the file' in lines
    assert '"highlight.add" = "y"  # Highlight the selection, or else the current sentence ' \
           "(on the reading screen; from the file, default h)" in lines


@pytest.mark.parametrize(("text", "line", "problem"), [
    ('[review]\nretention = "high"\n', 2, 'review.retention must be a number, not "high"'),
    ('[keymap]\n"highlight.add" = "y"\n"cursor.next" = "t"\n', 3,
     '"cursor.next" = "t": t already does Contents (outline.toggle) on the reading screen'),
    ('[keymap]\n"higlight.add" = "y"\n', 2, '"higlight.add" is not a binding id (did you mean '
     '"highlight.add"?); readmark config lists them'),
    ('theme = "sepia"\n', 1, 'theme "sepia" is not a theme; choose one of '),
])
def test_a_problem_is_one_line_and_exit_status_2(config, text, line, problem):
    config.parent.mkdir()
    config.write_text(text, encoding="utf-8")
    result = run("config")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"readmark: {config}, line {line}: {problem}")
    assert result.stderr.count("\n") == 1


def test_review_without_a_session_refuses_a_bad_file(config, tmp_path):
    config.parent.mkdir()
    config.write_text("[review]\nnew = -3\n", encoding="utf-8")
    result = run("review", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 2
    assert result.stderr == f"readmark: {config}, line 2: review.new must be from 0 to 1000, " \
                            "not -3\n"


def test_init_writes_a_commented_file_once(config):
    result = run("config", "--init")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {config}")
    text = config.read_text(encoding="utf-8")
    assert '# "note.editor" = "ctrl+o"' in text
    # Everything in it is commented out: it changes nothing.
    assert run("config").stdout.count("# from the file") == 0
    again = run("config", "--init")
    assert again.returncode == 2
    assert "already exists; it is left as it is" in again.stderr
    assert config.read_text(encoding="utf-8") == text


def test_every_setting_of_the_written_file_uncommented_is_valid(config):
    """The default keymap, written out in full, has no clash: the checks see what Textual does."""
    run("config", "--init")
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^# ("?[\w.]+"? = .+)$', r"\1", text)
    config.write_text(text.replace('template = "my-notes.md.j2"', ""), encoding="utf-8")
    result = run("config")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("from the file") > 80


# ------------------------------------------------------------------ completion
def test_the_commands_are_read_from_their_parsers():
    found = {command.name: command for command in commands()}
    assert {"", "export", "review", "config", "completion"} <= set(found)
    assert found["export"].positional == "titles"
    assert found["review"].positional == "titles"
    assert found["outline"].positional == "files"
    export_format = next(o for o in found["export"].options if "--format" in o.flags)
    assert {"markdown", "json", "csv"} <= set(export_format.choices)
    assert next(o for o in found[""].options if "--db" in o.flags).files


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_script_for_each_shell(shell):
    result = run("completion", shell)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text == script(shell)
    option = "-l format" if shell == "fish" else "--format"
    for word in ("export", "review", "config", option, "markdown", "completion --articles"):
        assert word in text, word
    program = shutil.which(shell)
    if program is not None:  # the shell reads it without a syntax error
        check = subprocess.run([program, "-n"], input=text, capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_no_shell_named_is_one_line():
    result = run("completion")
    assert result.returncode == 2
    assert result.stderr == "readmark: name the shell: readmark completion bash (or zsh, or fish)\n"


@pytest.fixture
def library(tmp_path) -> Path:
    from reader.store import Store

    db = tmp_path / "lib.json"
    with Store(db) as store:
        for n, title in enumerate(["How Memory Consolidates", "How Lighthouses Paid",
                                   "Hard $(touch pwned) Title", "Tides"]):
            store.upsert_article(fingerprint=f"f{n}", path=str(tmp_path / f"a{n}.md"),
                                 title=title)
    return db


def test_titles_for_an_article_argument_come_from_the_library(library):
    result = run("completion", "--articles", "how", "--db", str(library))
    assert result.stdout.splitlines() == ["How Lighthouses Paid", "How Memory Consolidates"]
    assert run("completion", "--articles", "", "--db", str(library)).stdout.count("\n") == 4
    dashed = run("completion", "--articles=--fo", "--db", str(library))  # an option typed
    assert (dashed.returncode, dashed.stdout, dashed.stderr) == (0, "", "")


def _bash_complete(words: list[str], library: Path, cwd: Path) -> list[str]:
    """What bash's completion offers for ``words`` (the last one being completed)."""
    readmark = Path(sys.executable).with_name("readmark")
    program = f"""
source <("{readmark}" completion bash)
complete -p readmark
COMP_WORDS=({" ".join(f"'{w}'" for w in ["readmark", *words])})
COMP_CWORD={len(words)}
_readmark
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "READMARK_DB": str(library),
           "PATH": f"{readmark.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(["bash", "--norc", "--noprofile", "-c", program], cwd=cwd,
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "complete -F _readmark readmark"
    return [line for line in lines[1:] if line]  # printf prints one empty line for none


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_and_titles(library, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "hollow.md").write_text("# Hollow\n", encoding="utf-8")
    assert {"export", "review", "config"} <= set(_bash_complete([""], library, work))
    assert _bash_complete(["con"], library, work) == ["config"]
    assert set(_bash_complete(["export", "--f"], library, work)) == {"--format"}
    assert set(_bash_complete(["export", "--format", "j"], library, work)) == {"json"}
    # Titles (as typed, safely: never expanded by the shell) and files.
    offered = _bash_complete(["export", "Ho"], library, work)
    assert set(offered) == {"How Memory Consolidates", "How Lighthouses Paid"}
    offered = _bash_complete(["review", "Hard"], library, work)
    assert offered == ["Hard $(touch pwned) Title"]
    assert not (work / "pwned").exists()
    assert _bash_complete(["export", "hol"], library, work) == ["hollow.md"]
    # An argument that is only a file gets files, not titles.
    assert _bash_complete(["outline", "Ho"], library, work) == []


# ------------------------------------------------------------- export defaults
@pytest.fixture
def highlighted(article_path, tmp_path) -> Path:
    db = tmp_path / "export.json"
    result = run("highlight", str(article_path), "--quote", "sets the scene", "--note",
                 "Why here?", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


def test_export_takes_its_format_from_the_file_unless_told(config, highlighted, article_path,
                                                           tmp_path):
    config.parent.mkdir()
    config.write_text('[export]\nformat = "csv"\n', encoding="utf-8")
    shown = run("export", str(article_path), "--db", str(highlighted))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Highlight,Title,Author,URL,Note,Location,Date")
    told = run("export", str(article_path), "--format", "json", "--db", str(highlighted))
    assert '"type": "AnnotationCollection"' in told.stdout
    by_name = run("export", str(article_path), "-o", str(tmp_path / "notes.md"), "--db",
                  str(highlighted))
    assert by_name.returncode == 0, by_name.stderr
    assert (tmp_path / "notes.md").read_text(encoding="utf-8").startswith("---\n")


def test_export_all_goes_to_the_files_folder_with_its_template(config, highlighted, tmp_path):
    config.parent.mkdir()
    (config.parent / "mine.md.j2").write_text(
        "{% macro highlight(h, page) -%}\n- {{ h.text | md_inline }} (mine)\n"
        "{%- endmacro %}\n", encoding="utf-8")
    config.write_text('[export]\nfolder = "out"\ntemplate = "mine.md.j2"\n', encoding="utf-8")
    result = run("export", "--all", "--db", str(highlighted))
    assert result.returncode == 0, result.stderr
    (written,) = (config.parent / "out").iterdir()
    assert "- sets the scene (mine)" in written.read_text(encoding="utf-8")


def test_export_refuses_a_bad_file_in_one_line(config, highlighted, article_path):
    config.parent.mkdir()
    config.write_text('[export]\nformat = "docx"\n', encoding="utf-8")
    result = run("export", str(article_path), "--db", str(highlighted))
    assert result.returncode == 2
    assert result.stderr == (f"readmark: {config}, line 2: export.format must be one of "
                             'markdown, json, csv, not "docx"\n')


def test_review_takes_new_and_retention_from_the_file(config, highlighted, monkeypatch):
    from reader.cli.main import main

    config.parent.mkdir()
    config.write_text("[review]\nnew = 2\nretention = 0.8\n", encoding="utf-8")
    started: dict = {}

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            started["ran"] = True

    def fake_make_review_app(store, **options):
        started.update(options)
        return FakeApp()

    monkeypatch.setattr("reader.tui.app.make_review_app", fake_make_review_app)
    monkeypatch.setattr("reader.cli.review.on_terminal", lambda: True)
    assert main(["review", "--db", str(highlighted)]) == 0
    assert (started["new"], started["desired_retention"]) == (2, 0.8)
    assert started["session"].desired_retention == 0.8
    started.clear()
    assert main(["review", "--db", str(highlighted), "--new", "7", "--retention", "0.9"]) == 0
    assert (started["new"], started["desired_retention"]) == (7, 0.9)  # the options win
