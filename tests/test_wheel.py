"""The wheel works on its own: built offline, installed outside the repository, each command run end to end."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.format.models import report_to_json

ROOT = Path(__file__).resolve().parent.parent
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel` of a copy of the sources (a build leaves build/ and egg-info behind), with nothing downloaded."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", source)
    shutil.copytree(ROOT / "assistant", source / "assistant", ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-build-isolation", "--no-deps", "--no-index", "-w",
         str(work / "dist"), str(source)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    assert "is absent from the `packages` configuration" not in built.stdout + built.stderr  # -v shows it
    (path,) = (work / "dist").glob("nianbao_assistant-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Run:
    """The wheel installed into a folder of its own and run by a fresh venv's Python from outside the repository.

    The fresh venv has no site-packages of ours, so the repository's editable install is out of sight; the
    dependencies come from this venv's site-packages on PYTHONPATH, after the wheel's folder.
    """
    work = wheel.parent.parent
    target = work / "installed"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--no-compile", "--target",
         str(target), str(wheel)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(work / "venv")], check=True, timeout=60
    )
    python = work / "venv" / "bin" / "python"
    cwd = work / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ASSISTANT_", "PYTHON"))}
    env["PYTHONPATH"] = os.pathsep.join([str(target), *site.getsitepackages()])

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
        )

    where = run("-c", "import assistant; print(assistant.__file__)")
    assert where.stdout.strip() == str(target / "assistant" / "__init__.py"), where.stdout + where.stderr
    return run


def test_the_wheel_carries_the_prompts_the_cases_and_the_example(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assistant" / "prompts").rglob("*.j2")}
    cases = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assistant" / "data").rglob("*.json")}
    assert templates and templates <= names
    assert "assistant/data/example_2024.json" in cases and "assistant/data/eval/xiashi_2024.json" in cases
    assert cases <= names


def test_every_command_runs_from_the_installed_wheel(installed: Run, tmp_path: Path) -> None:
    example = "assistant/data/example_2024.json"
    where = installed("-c", "from assistant.example import EXAMPLE_PATH; print(EXAMPLE_PATH)").stdout.strip()
    assert where.endswith(example) and Path(where).is_file()

    broken = fill(load_example())  # with its totals printed, as a published report has them
    broken.cells.update({"t3.new.natural": 8, "t3.new.total": 8})  # 8 more new applications: T3-BALANCE
    bad = tmp_path / "bad.json"
    bad.write_text(report_to_json(broken), encoding="utf-8")
    checked = installed("-m", "assistant", "check", where, bad, "--format", "json")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    clean, errors = json.loads(checked.stdout)
    assert clean["file"] == where and not [f for f in clean["findings"] if f["severity"] == "error"]
    assert errors["file"] == str(bad) and "T3-BALANCE" in {f["rule"] for f in errors["findings"]}

    docx = tmp_path / "report.docx"
    rendered = installed("-m", "assistant", "render", where, "-o", docx)
    assert rendered.returncode == 0 and docx.read_bytes()[:2] == b"PK", rendered.stderr

    drafted = tmp_path / "drafted.json"
    draft = installed("-m", "assistant", "draft", where, "-o", drafted, "--force", "--offline")
    assert draft.returncode == 0, draft.stdout + draft.stderr
    assert "离线起草" in draft.stdout and "已起草" in draft.stdout  # the offline sentences are templates too

    evaluated = installed("-m", "assistant", "eval", "--offline")
    assert evaluated.returncode == 0, evaluated.stdout + evaluated.stderr
    assert "评测：3 个案例，离线起草" in evaluated.stdout

    imported = tmp_path / "imported.json"
    seed = ROOT / "tests" / "data" / "seed" / "xiashi-xiang_2024.txt"
    read = installed("-m", "assistant", "import", seed, "-o", imported)
    assert read.returncode == 0 and imported.is_file(), read.stdout + read.stderr

    started = tmp_path / "2025.json"
    new = installed("-m", "assistant", "new", "--from", where, "-o", started)
    assert new.returncode == 0 and "生成 2025 年报告" in new.stdout, new.stdout + new.stderr
