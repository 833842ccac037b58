"""Shared fixtures: paths to the test data in tests/data (see its SOURCES.md), and a consistent example report."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.example import load_example
from assistant.format.models import Report

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
IN_CI = os.environ.get("CI") == "true"


def need(condition: bool, why: str) -> None:
    """Skip locally when a tool or data set is missing; in CI a missing one is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


def need_tool(name: str) -> str:
    """The path of a command-line tool the test needs."""
    path = shutil.which(name)
    need(path is not None, f"{name} is not installed")
    assert path is not None
    return path


@pytest.fixture
def data() -> Path:
    """The test data folder: seed/, corpus/ and reference/, copied into the repository with their sources."""
    return DATA


@pytest.fixture
def seed_path(data: Path) -> Path:
    return data / "seed" / "xiashi-xiang_2024.txt"


@pytest.fixture
def corpus(data: Path) -> Path:
    return data / "corpus" / "reports"


@pytest.fixture
def example() -> Report:
    return load_example()


@dataclass
class Ran:
    """What one command did: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`python -m assistant ARGS` in this process: main(argv), its output captured (no interpreter to start)."""

    def call(*args: str | Path) -> Ran:
        capsys.readouterr()
        code = main([str(a) for a in args])
        said = capsys.readouterr()
        return Ran(code, said.out, said.err)

    return call


@pytest.fixture(autouse=True)
def _own_database(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test's ASSISTANT_DB is its own: a model request from `draft` or `eval` is logged there, never in the
    working tree's data/assistant.db (a test that needs another sets its own)."""
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path_factory.mktemp("db") / "assistant.db"))
