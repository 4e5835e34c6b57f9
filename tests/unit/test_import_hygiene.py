"""The core never imports Textual: it is usable (and fast to start) without a UI."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "reader.document.model",
    "reader.document.builder",
    "reader.document.sentences",
    "reader.document.markdown",
    "reader.document.plaintext",
    "reader.document.layout",
    "reader.sources.loader",
    "reader.sources.progressive",
    "reader.store",
    "reader.annotations.records",
    "reader.annotations.annotator",
    "reader.annotations.anchoring",
    "reader.review.session",
    "reader.export.formats",
    "reader.cli.main",
    "reader.cli.annotations",
    "reader.cli.review",
    "reader.cli.export",
]


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


def test_only_the_store_imports_tinydb():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES if m != "reader.store")
        + "print('tinydb' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
