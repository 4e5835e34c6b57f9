"""What the reliability suite shares: running the installed command, and the figures it prints.

Every test that makes attempts (kills, writers, corruptions, hostile inputs) records
them with :func:`record`; the suite prints one table at the end of the run —
attempts, failures and data lost — so a run says how hard it tried, not only that
it passed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Figure:
    """One kind of attempt: how many were made, how many failed, how much was lost."""

    attempts: int = 0
    failures: int = 0
    lost: int = 0


FIGURES: dict[str, Figure] = {}


def record(name: str, *, attempts: int = 1, failures: int = 0, lost: int = 0) -> None:
    """Add to the figures printed at the end of the run."""
    figure = FIGURES.setdefault(name, Figure())
    figure.attempts += attempts
    figure.failures += failures
    figure.lost += lost


def pytest_terminal_summary(terminalreporter) -> None:
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("reliability figures")
    width = max(len(name) for name in FIGURES)
    write(f"{'what':<{width}}  attempts  failures  data lost")
    for name, figure in sorted(FIGURES.items()):
        write(f"{name:<{width}}  {figure.attempts:>8}  {figure.failures:>8}  {figure.lost:>9}")
    total = Figure()
    for figure in FIGURES.values():
        total.attempts += figure.attempts
        total.failures += figure.failures
        total.lost += figure.lost
    write(f"{'total':<{width}}  {total.attempts:>8}  {total.failures:>8}  {total.lost:>9}")


def readmark_command() -> list[str]:
    """The installed command (beside this Python), else the module."""
    beside = Path(sys.executable).parent / "readmark"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("readmark")
    return [found] if found else [sys.executable, "-m", "reader"]


def environment() -> dict[str, str]:
    """The environment for child processes: this one, without a terminal size or a library."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "READMARK_DB")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(*args: str, timeout: float = 60, stdin: bytes | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``readmark ARGS`` and return its exit status and raw output bytes."""
    return subprocess.run(
        [*readmark_command(), *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env=environment(),
        cwd=cwd,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"
