"""First-touch speed beside its baselines: `check`, PDF import and the first page, each next to a floor that does less.

Run with `.venv/bin/python bench/startup.py` (part of `make bench`). Whole processes, interleaved, median of 5, so a
busy machine slows both columns alike; the ratio is the figure the issue sets a goal for.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.appserver import running_app  # noqa: E402

PY = sys.executable
SEED = ROOT / "tests" / "data" / "seed" / "xiashi-xiang_2024.txt"
PDFS = sorted((ROOT / "tests" / "data" / "corpus").glob("*.pdf"))
RUNS = 5
ONE_LINE_APP = "import streamlit as st\nst.title('年报助手')\n"
PYPDF_TEXT = "import sys\nfrom pypdf import PdfReader\n[p.extract_text() for p in PdfReader(sys.argv[1]).pages]\n"


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def side_by_side(label: str, ours: list[str], baseline: list[str], goal: float) -> None:
    """Interleaved runs of both commands; prints both medians and their ratio against the goal."""
    a: list[float] = []
    b: list[float] = []
    wall(ours)  # warm the file cache for both
    wall(baseline)
    for _ in range(RUNS):
        a.append(wall(ours))
        b.append(wall(baseline))
    ma, mb = statistics.median(a), statistics.median(b)
    verdict = "ok" if ma <= goal * mb else "OVER"
    print(f"{label}: {ma:.2f} s against {mb:.2f} s — {ma / mb:.1f}× (goal ≤ {goal}×) {verdict}")


def first_content(url: str, wait_for: str, browser: object) -> float:
    """Seconds from opening the page to `wait_for` being visible."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    start = time.perf_counter()
    page.goto(url)
    page.get_by_text(wait_for).first.wait_for(state="visible", timeout=60_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def served(app_file: Path, wait_for: str, browser: object, env: dict[str, str]) -> tuple[float, float]:
    """(cold, warm median) first-content seconds of an app served by a fresh `streamlit run`."""
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp), env, app=app_file) as (url, _):
        cold = first_content(url, wait_for, browser)
        warm = statistics.median(first_content(url, wait_for, browser) for _ in range(RUNS))
    return cold, warm


def first_page() -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM_ARGS

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        one_line = Path(tmp) / "one_line.py"
        one_line.write_text(ONE_LINE_APP, encoding="utf-8")
        env = {**os.environ, "ASSISTANT_DB": str(Path(tmp) / "bench.db")}
        ours = served(ROOT / "app.py", "硤石乡", browser, env)
        base = served(one_line, "年报助手", browser, env)
        browser.close()
    for name, index, goal in (("cold", 0, 2.0), ("warm", 1, 1.5)):
        ratio = ours[index] / base[index]
        verdict = "ok" if ratio <= goal else "OVER"
        print(
            f"first page content ({name}): {ours[index]:.2f} s against {base[index]:.2f} s for a one-line app — "
            f"{ratio:.1f}× (goal ≤ {goal}×) {verdict}"
        )


BENCHES: dict[str, Callable[[], None]] = {
    "check": lambda: side_by_side(
        "check of one text report", [PY, "-m", "assistant", "check", str(SEED)], [PY, "-c", "import pydantic"], 3.0
    ),
    "pdf": lambda: [
        side_by_side(
            f"import {pdf.name}",
            [PY, "-m", "assistant", "import", str(pdf), "-o", os.devnull],
            [PY, "-c", PYPDF_TEXT, str(pdf)],
            1.2,
        )
        for pdf in PDFS
    ],
    "first_page": first_page,
}


def byte_compile() -> None:
    """Compile the package first, as installing it does: where PYTHONDONTWRITEBYTECODE is set (some sandboxes and
    CI runners) every run would otherwise compile our sources again (about 0.1 s) while the baselines' libraries,
    compiled by pip, load from bytecode."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "assistant")], check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    byte_compile()
    for name in sys.argv[1:] or list(BENCHES):
        BENCHES[name]()
