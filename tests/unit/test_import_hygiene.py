"""The layers stay honest: imports point one way, and the core never imports Textual.

The rules are import-linter contracts in pyproject.toml; this runs them, so CI fails
when a change breaks one. The subprocess checks below prove the same at run time:
importing a core module (or the CLI before it starts the app) loads no Textual.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Every module outside the Textual layer, found on disk so a new module is covered too.
CORE_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in (ROOT / "reader").rglob("*.py")
    if "tui" not in path.relative_to(ROOT).parts
    and path.name not in {"__init__.py", "__main__.py"}
)


def test_import_linter_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    command = [str(lint_imports)] if lint_imports.exists() else ["lint-imports"]
    result = subprocess.run(
        [*command, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "0 broken" in report, report


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"{module} pulled in {result.stdout.strip()}"


def test_the_core_modules_are_found():
    assert {"reader.store.facade", "reader.cli.main", "reader.export.markdown"} <= set(CORE_MODULES)


def test_only_the_store_imports_tinydb():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES if not m.startswith("reader.store"))
        + "print('tinydb' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_the_default_export_imports_neither_jinja2_nor_genanki(tmp_path):
    """Templates (Jinja2) and Anki packages (genanki) cost start-up time: only their
    own exports load them."""
    article = tmp_path / "a.md"
    article.write_text("# A\n\nOne sentence here. Another one.\n", encoding="utf-8")
    db, out = str(tmp_path / "db.json"), str(tmp_path / "out.")
    code = (
        "import sys\n"
        "from reader.cli.main import main\n"
        "for fmt in ('markdown', 'json', 'csv'):\n"
        f"    main(['export', {str(article)!r}, '--format', fmt, '--db', {db!r},"
        f" '-o', {out!r} + fmt])\n"
        "print(sorted(m for m in ('jinja2', 'genanki') if m in sys.modules))\n"
        "from reader.export.templates import load_template, DEFAULT_TEMPLATE\n"
        "load_template(DEFAULT_TEMPLATE)\n"
        "from reader.export.anki import note_guid\n"
        "note_guid('x')\n"
        "print(sorted(m for m in ('jinja2', 'genanki') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines()[-2:] == ["[]", "['genanki', 'jinja2']"], result.stdout
