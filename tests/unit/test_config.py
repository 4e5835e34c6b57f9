"""The config file: what it may say, and one line naming file, line and problem when not."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.config import (
    ConfigError,
    Settings,
    config_path,
    default_config_text,
    load_settings,
    parse_config_text,
    write_default_config,
)
from reader.config.lines import key_lines
from reader.config.settings import (
    EXPORT_FORMATS,
    MAX_RETENTION,
    MAX_WIDTH,
    MIN_RETENTION,
    MIN_WIDTH,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE = Path("/home/reader/.config/readmark/config.toml")


def parse(text: str) -> Settings:
    return parse_config_text(text.encode("utf-8"), FILE)


def problem(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(text)
    return caught.value


def test_every_setting_is_read():
    settings = parse("""\
theme = "nord"
reading_width = 72

[panels]
contents = true
highlights = false

[keymap]
"highlight.add" = "y"

[colours]
1 = "key idea"
5 = "question"

[export]
folder = "~/notes"
format = "json"

[review]
retention = 0.85
new = 5
""")
    assert settings.theme == "nord"
    assert settings.reading_width == 72
    assert (settings.contents, settings.highlights) == (True, False)
    assert dict(settings.keymap) == {"highlight.add": "y"}
    assert dict(settings.colour_names) == {1: "key idea", 5: "question"}
    assert settings.export_folder == Path("~/notes").expanduser()
    assert settings.export_format == "json"
    assert settings.review_retention == 0.85 and settings.review_new == 5


def test_dotted_keys_and_nested_tables_name_the_same_binding():
    quoted = parse('[keymap]\n"section.next" = "ctrl+n"\n')
    dotted = parse("[keymap]\nsection.next = \"ctrl+n\"\n")
    nested = parse("[keymap.section]\nnext = \"ctrl+n\"\n")
    inline = parse("[keymap]\nsection = { next = \"ctrl+n\" }\n")
    assert quoted.keymap == dotted.keymap == nested.keymap == inline.keymap == {
        "section.next": "ctrl+n"}


def test_several_keys_comma_separated_or_as_a_list():
    assert parse('[keymap]\n"cursor.next" = "J, down"\n').keymap == {"cursor.next": "J,down"}
    assert parse('[keymap]\n"cursor.next" = ["J", "down"]\n').keymap == {"cursor.next": "J,down"}


def test_relative_folders_are_taken_from_the_files_folder(tmp_path):
    (tmp_path / "notes.md.j2").write_text("{{ title }}", encoding="utf-8")
    settings = parse_config_text(b'[export]\nfolder = "out"\ntemplate = "notes.md.j2"\n',
                                 tmp_path / "config.toml")
    assert settings.export_folder == tmp_path / "out"
    assert settings.export_template == tmp_path / "notes.md.j2"


@pytest.mark.parametrize(("text", "line", "words"), [
    ('theme = "nord"\nreading_width = "wide"\n', 2,
     'reading_width must be a whole number, not "wide"'),
    ("reading_width = 12\n", 1, "reading_width must be from 30 to 200 columns, not 12"),
    ("\n[panels]\ncontents = 1\n", 3, "panels.contents must be true or false, not 1"),
    ("[panels]\ncontnets = true\n", 2, "unknown setting panels.contnets (did you mean contents?)"),
    ("font = 3\n", 1, "unknown setting font"),
    ("[colors]\n1 = \"x\"\n", 1, "unknown table colors (did you mean colours?)"),
    ("panels = true\n", 1, "panels must be a table ([panels]), not true"),
    ('[export]\nformat = "pdf"\n', 2, 'export.format must be one of markdown, json, csv, '),
    ("[review]\nretention = 0.5\n", 2, "review.retention must be from 0.7 to 0.97"),
    ("[review]\nnew = -1\n", 2, "review.new must be from 0 to 1000, not -1"),
    ("[review]\nnew = 2.5\n", 2, "review.new must be a whole number, not 2.5"),
    ('[keymap]\n"highlight.add" = 7\n', 2, 'keymap "highlight.add" must be keys in quotes'),
    ('[keymap]\n"highlight.add" = "y,,z"\n', 2, 'keymap "highlight.add" has an empty key'),
    ('[keymap]\n"highlight.add" = "ctrl y"\n', 2, '"ctrl y" is not a key'),
    ('[keymap]\n"a.b" = "x"\n\n[keymap.a]\nb = "y"\n', 5, '"a.b" is given twice in [keymap]'),
    ('[colours]\n6 = "x"\n', 2, 'colours: "6" is not a colour key'),
    ('[colours]\n2 = ""\n', 2, "colours.2 must be 1 to 24 printable characters"),
    ('[colours]\n2 = "a\\u001b[31m"\n', 2, "colours.2 must be 1 to 24 printable characters"),
    ('theme = "nord\n', 1, "not valid TOML: "),
    ("[panels]\ncontents = true\ncontents = false\n", 3, "not valid TOML: "),
    ('[export]\ntemplate = "missing.j2"\n', 2, "export.template: "),
])
def test_each_problem_is_one_line_naming_file_line_and_problem(text, line, words):
    error = problem(text)
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{FILE}, line {line}: "), message
    assert words in message
    assert error.line == line


def test_the_first_problem_by_line_is_told_and_the_others_counted():
    message = str(problem('[review]\nnew = -1\n\n[panels]\ncontents = "yes"\n\nfont = 1\n'))
    assert message.startswith(f"{FILE}, line 2: review.new")
    assert message.endswith("(and 2 more problems)")


def test_a_file_that_is_not_utf8_names_the_line():
    with pytest.raises(ConfigError) as caught:
        parse_config_text(b'theme = "nord"\nreading_width = 80 # \xff\n', FILE)
    assert str(caught.value) == f"{FILE}, line 2: is not UTF-8 text"


def test_no_file_gives_the_defaults(tmp_path):
    settings = load_settings(tmp_path / "config.toml")
    assert settings == Settings(path=tmp_path / "config.toml", exists=False)
    assert settings.theme is None and not settings.keymap


def test_a_folder_or_an_unreadable_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is not a file (a config file is TOML text)"


def test_readmark_config_names_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv("READMARK_CONFIG", str(tmp_path / "mine.toml"))
    assert config_path() == tmp_path / "mine.toml"
    monkeypatch.delenv("READMARK_CONFIG")
    assert config_path().name == "config.toml"
    assert config_path().parent.name == "readmark"


def test_init_writes_once_and_never_over_a_file(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    assert write_default_config(path, ['"app.quit" = "q"'])
    first = path.read_text(encoding="utf-8")
    path.write_text("theme = \"nord\"\n", encoding="utf-8")
    assert not write_default_config(path)
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'
    assert '# "app.quit" = "q"' in first


def test_the_default_file_is_all_defaults_and_uncommented_it_is_valid():
    text = default_config_text(['"highlight.add" = "h"   # Highlight (on the reading screen)'])
    assert parse(text) == Settings(path=FILE, exists=True, text=text, keymap={},
                                   colour_names={})
    # Every commented setting, uncommented, is a setting the file may hold.
    setting = re.compile(r'^# ("?[\w.]+"? = .+)$')
    uncommented = "\n".join(setting.sub(r"\1", line) for line in text.splitlines())
    uncommented = uncommented.replace('template = "my-notes.md.j2"', "")
    settings = parse(uncommented)
    assert settings.theme == "textual-dark" and settings.reading_width == 80
    assert settings.keymap == {"highlight.add": "h"}
    assert settings.colour_names[1] == "yellow"
    assert settings.review_retention == 0.9 and settings.review_new == 10


def test_the_limits_are_the_ones_the_reader_uses():
    from reader.export.formats import FORMATS
    from reader.review.scheduling import MAX_RETENTION as SCHEDULER_MAX
    from reader.review.scheduling import MIN_RETENTION as SCHEDULER_MIN
    from reader.tui.widgets.article_view import MAX_READING_WIDTH, MIN_READING_WIDTH

    assert (MIN_WIDTH, MAX_WIDTH) == (MIN_READING_WIDTH, MAX_READING_WIDTH)
    assert (MIN_RETENTION, MAX_RETENTION) == (SCHEDULER_MIN, SCHEDULER_MAX)
    assert set(EXPORT_FORMATS) <= set(FORMATS)
    assert EXPORT_FORMATS[0] == FORMATS[0]


# ------------------------------------------------------ where each key is written
_bare = st.from_regex(r"[a-z][a-z0-9_-]{0,7}", fullmatch=True)
_quoted = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8)


@st.composite
def _key(draw) -> tuple[str, tuple[str, ...]]:
    """A key as written (bare, quoted or dotted) and the path it means."""
    parts = draw(st.lists(st.one_of(_bare.map(lambda b: (b, b)),
                                    _quoted.map(lambda q: (_basic(q), q))),
                          min_size=1, max_size=3))
    return ".".join(written for written, _ in parts), tuple(name for _, name in parts)


def _basic(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_values = st.sampled_from([
    "1", "true", '"plain"', '"with # hash = and [brackets]"', "'literal \\ text'",
    '"""\nseveral\nlines = 1\n"""', "'''\n[not.a.table]\n'''", "[1,\n 2, # comment\n 3]",
    '{ a = 1, b = "x" }', '["a", "b = c"]', "2024-01-02",
])


@given(st.lists(st.tuples(_key(), _values), min_size=1, max_size=6),
       st.lists(st.sampled_from(["", "# a comment", "   "]), max_size=6))
def test_each_key_is_found_on_the_line_it_was_written(entries, fillers):
    text = ""
    line = 1
    expected: dict[tuple[str, ...], int] = {}
    for index, ((written, path), value) in enumerate(entries):
        if any(other[: len(path)] == path or path[: len(other)] == other for other in expected):
            continue  # TOML forbids a key twice, or under a key that holds a value
        if index < len(fillers):
            text += fillers[index] + "\n"
            line += 1
        expected[path] = line
        entry = f"{written} = {value}\n"
        text += entry
        line += entry.count("\n")
    tomllib.loads(text)  # the scanner only ever sees what TOML accepted
    found = key_lines(text)
    for path, where in expected.items():
        assert found[path] == where, (path, text)


def test_tables_and_keys_after_them_are_found():
    text = ('# top\ntheme = "x"\n\n[keymap]\n"a.b" = "y"\n\n[keymap.c]\nd = """\n\n"""\n'
            "e = 1\n[[list]]\nf = 2\n")
    found = key_lines(text)
    assert found[("theme",)] == 2
    assert found[("keymap",)] == 4
    assert found[("keymap", "a.b")] == 5
    assert found[("keymap", "c")] == 7
    assert found[("keymap", "c", "d")] == 8
    assert found[("keymap", "c", "e")] == 11
    assert found[("list", "f")] == 13
