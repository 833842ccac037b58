"""Nothing heavy is imported before it is needed: `check` and the first page load no model SDK, Word, PDF or grid library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

# The libraries only some commands and pages need, each with what needs it.
HEAVY = {
    "openai": "a model request",
    "docx": "writing or reading a .docx",
    "pdfplumber": "reading a PDF",
    "pdfminer": "reading a PDF",
    "pypdfium2": "reading a PDF",
    "pandas": "drawing a grid",
    "numpy": "comparing two or more bodies' reports (PEER-SIMILAR)",
    "openpyxl": "reading or writing a spreadsheet",
    "jinja2": "drafting",
}

_RUN_CLI = """
import runpy, sys
sys.argv = ["assistant", *sys.argv[1:]]
try:
    runpy.run_module("assistant", run_name="__main__")
except SystemExit as exc:
    assert exc.code in (0, None), f"exit code {exc.code}"
"""

_FIRST_PAGE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=60).run()
assert not at.exception, at.exception
assert any("硤石乡" in m.value for m in at.markdown), "the 报告 page did not show the example report"
"""

_REPORT = """
import json, os, sys
heavy = set(json.loads(os.environ["HEAVY_LIBRARIES"]))
print("\\nLOADED " + json.dumps(sorted({name.split(".")[0] for name in sys.modules} & heavy)))
"""


def loaded_by(code: str, *args: str, tmp_path: Path) -> set[str]:
    """The heavy libraries a fresh interpreter has imported after running `code` with `args`."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ASSISTANT_DB": str(tmp_path / "lazy.db"),
        "HEAVY_LIBRARIES": json.dumps(sorted(HEAVY)),
    }
    done = subprocess.run(
        [sys.executable, "-c", code + _REPORT, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.rsplit("LOADED ", 1)[1]
    return set(json.loads(line))


@pytest.mark.parametrize(
    ("what", "code", "args", "needed"),
    [
        ("check of a text report", _RUN_CLI, ["check", str(DATA / "seed" / "xiashi-xiang_2024.txt")], set()),
        ("the 报告 page", _FIRST_PAGE, [str(ROOT / "app.py")], set()),
        # The control: reading a PDF does load the PDF reader, and still none of the others.
        (
            "import of a PDF",
            _RUN_CLI,
            ["import", str(DATA / "corpus" / "hongze-qu-renmin-zhengfu_2024.pdf"), "-o", os.devnull],
            {"pypdfium2"},
        ),
    ],
    ids=["check", "first-page", "pdf-import"],
)
def test_only_what_is_needed_is_imported(
    what: str, code: str, args: list[str], needed: set[str], tmp_path: Path
) -> None:
    loaded = loaded_by(code, *args, tmp_path=tmp_path)
    unexpected = {name: HEAVY[name] for name in loaded - needed}
    assert not unexpected, f"{what} imported libraries only needed for other work: {unexpected}"
    assert needed <= loaded, f"{what} should have loaded {needed - loaded}"
