"""Benchmarks: prints figures for each speed the issues name (run with `make bench`)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCHES: dict[str, Callable[[], None]] = {}


def bench(func: Callable[[], None]) -> Callable[[], None]:
    BENCHES[func.__name__] = func
    return func


@bench
def verify_throughput() -> None:
    """verify ≥ 20,000 reports/s on one core (the filled example, consistent)."""
    from assistant.checks.fill import fill
    from assistant.checks.rules import verify
    from assistant.example import load_example

    report = fill(load_example())
    n = 20_000
    for label, narrative in (
        ("tables and text rules of DESIGN §2", False),
        ("plus TEXT-TABLE and NUMBER-GUARD", True),
    ):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            verify(report, narrative=narrative)
        elapsed, used = time.perf_counter() - start, time.process_time() - cpu
        # CPU time too: on a machine shared with other jobs the wall clock measures the neighbours.
        print(
            f"verify ({label}): {n / elapsed:,.0f} reports/s ({elapsed / n * 1e6:.1f} µs each); "
            f"by CPU time {n / used:,.0f} reports/s"
        )
    # Distinct texts, so the number cache never hits: the cost of a batch of different reports.
    reports = []
    for i in range(2000):
        r = report.model_copy(deep=True)
        for part in r.parts.values():
            part.text += f"第{i}版。"
        reports.append(r)
    start = time.perf_counter()
    for r in reports:
        verify(r)
    elapsed = time.perf_counter() - start
    print(f"verify (all rules, every text new): {len(reports) / elapsed:,.0f} reports/s")


@bench
def check_folder() -> None:
    """check over 1,000 text reports in one call ≥ 500 files/s, parsing included."""
    from assistant.example import load_example
    from assistant.importers.text import read_text  # noqa: F401  (warm import outside the timing)

    seed = ROOT / "tests" / "data" / "seed" / "xiashi-xiang_2024.txt"
    text = seed.read_text(encoding="utf-8") if seed.exists() else None
    if text is None:
        print("check: tests/data/seed missing, skipped")
        return
    del load_example
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1000):
            # Years a report can cover (2008 on), so every file is a valid report.
            (Path(tmp) / f"r{i:04}.txt").write_text(
                text.replace("2024", str(2008 + i % 17)), encoding="utf-8"
            )
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "check", tmp], capture_output=True, cwd=ROOT
        )
        elapsed = time.perf_counter() - start
    print(
        f"check: 1,000 text reports in {elapsed:.2f} s = {1000 / elapsed:,.0f} files/s (process start included; exit {result.returncode})"
    )


@bench
def docx_render_and_read() -> None:
    """render ≤ 50 ms and read ≤ 50 ms per report, median over 200 reports in one process."""
    from assistant.checks.fill import fill
    from assistant.example import load_example
    from assistant.export.word import render_docx
    from assistant.format import layout
    from assistant.importers.word import read_docx

    reports = []
    for i in range(200):
        report = fill(load_example())
        for j, key in enumerate(layout.COUNT_CELLS):
            report.cells[key] = (i * 7 + j) % 997
        reports.append(report)
    files: list[bytes] = []
    render = median_ms_each(lambda r: files.append(render_docx(r)), reports)
    read = median_ms_each(read_docx, files)
    print(f"docx: render median {render:.1f} ms, read median {read:.1f} ms (200 reports)")


@bench
def pdf_render() -> None:
    """render .pdf ≤ 3 s for the example, LibreOffice start included (the first run also builds its profile)."""
    from assistant.checks.fill import fill
    from assistant.example import load_example
    from assistant.export.pdf import pdf_available, render_pdf

    if not pdf_available():
        print("pdf: LibreOffice is not installed, skipped")
        return
    report = fill(load_example())
    times = []
    for _ in range(5):
        start = time.perf_counter()
        render_pdf(report)
        times.append(time.perf_counter() - start)
    print(
        f"pdf: example rendered through LibreOffice, first {times[0]:.2f} s, "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s (5 runs, process start included)"
    )


@bench
def drafting() -> None:
    """All parts against a 1 s-latency endpoint ≤ 1.5 s wall; guard on 3,000 characters ≤ 5 ms; prompt sizes."""
    from assistant.checks.facts import build_ledger, table_summary
    from assistant.checks.guard import guard_text, marks_for
    from assistant.checks.numbers import extract_numbers
    from assistant.drafting.drafter import draft_all
    from assistant.drafting.llm import LLMSettings, OpenAIChat
    from assistant.drafting.prompts import DRAFT_PARTS, draft_messages
    from assistant.example import load_example
    from tests.fakeopenai import FakeOpenAI, Reply

    report = load_example()
    server = FakeOpenAI(
        lambda body: Reply(text="硤石乡持续完善政务公开工作机制，不断提升公开质量。", delay=1.0)
    ).start()
    try:
        client = OpenAIChat(LLMSettings(base_url=server.url, api_key="k", model="fake", timeout=10))
        for attempt in (
            "first call in a fresh process (templates compiled)",
            "a later call (the app's case)",
        ):
            start = time.perf_counter()
            results = draft_all(report, client)
            wall = time.perf_counter() - start
            ok = sum(r.ok for r in results.values())
            print(
                f"draft_all, {attempt}: {len(results)} parts ({ok} ok) against a 1 s endpoint in {wall:.2f} s wall"
            )
    finally:
        server.stop()
    ledger = build_ledger(report)
    base = "一是依托政府网站发布信息16条，及时更新公开栏内容，做好政策解读和回应关切工作；"
    text = (base * (3000 // len(base) + 1))[:3000]
    times = []
    for i in range(200):
        variant = text[:-4] + f"{i:04d}"  # a new text each time: the extraction cache never hits
        start = time.perf_counter()
        guard_text(variant, ledger)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"guard: 3,000-character part, median {statistics.median(times):.2f} ms (cold), "
        f"max {max(times):.2f} ms; {len(extract_numbers(text))} numbers found"
    )
    # What the 正文 page and the preview compute each time a part is shown: placeholders, TEXT-TABLE, guard.
    summary = table_summary(report)
    text = text[:2000] + "共收到政府信息公开申请2024件，其中不予公开3件；本年度收取信息处理费情况：（请填写金额）。" * 20
    times = []
    for i in range(200):
        variant = text[:-4] + f"{i:04d}"
        start = time.perf_counter()
        marks = marks_for(report, "overview.request", variant, ledger, summary)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"marks of a shown part (placeholders, TEXT-TABLE, guard): {len(text):,}-character part, "
        f"median {statistics.median(times):.2f} ms (cold), max {max(times):.2f} ms; {len(marks)} marks"
    )
    sizes = {key: sum(len(m["content"]) for m in draft_messages(report, key)) for key in DRAFT_PARTS}
    print("prompt size (characters, seed example): " + ", ".join(f"{k} {v}" for k, v in sizes.items()))


@bench
def candidates() -> None:
    """A candidate and its diff shown ≤ 100 ms for a 3,000-character part; the 密级 scan ≤ 5 ms a part."""
    from assistant.checks.facts import build_ledger, table_summary
    from assistant.checks.guard import marks_for
    from assistant.drafting.diff import diff
    from assistant.drafting.secrecy import parse_words, scan_all
    from assistant.example import load_example

    report = load_example()
    ledger, summary = build_ledger(report), table_summary(report)
    base = "一是依托政府网站发布信息16条，及时更新公开栏内容，做好政策解读和回应关切工作。"
    old = (base * (3000 // len(base) + 1))[:3000]
    times, scans = [], []
    words = parse_words("工作秘密\n仅供领导参阅\n内部敏感")
    for i in range(100):
        # A rewrite: some sentences changed, some moved, numbers changed, a tail added; new each time.
        new = old.replace("16条", f"{i}条", 20).replace("及时更新", "持续更新", 15)[200:] + f"新增第{i}句。"
        start = time.perf_counter()
        shown = diff(old, new)
        marks_for(report, "overview.active", new, ledger, summary)
        times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        scan_all({"要点": new, "当前文字": old, "修改意见": "更具体一些"}, words)
        scans.append((time.perf_counter() - start) * 1000 / 2)
    print(
        f"candidate shown (diff + marks), 3,000-character part: median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms ({shown.removed} removed, {shown.added} added)"
    )
    print(f"密级 scan: median {statistics.median(scans):.3f} ms a part, max {max(scans):.3f} ms")
    _candidate_page(old, new)


def _candidate_page(old: str, new: str) -> None:
    """The 正文 page drawn with a 3,000-character part and its candidate (AppTest, the whole page)."""
    import os

    from streamlit.testing.v1 import AppTest

    from assistant.example import load_example
    from assistant.format.models import Version
    from assistant.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ASSISTANT_DB"] = str(Path(tmp) / "bench.db")
        report = load_example()
        report.parts["overview"].text = old
        report.parts["overview"].candidate = Version(text=new, source="llm", model="bench")
        Store(Path(os.environ["ASSISTANT_DB"])).add(report)

        def run_text() -> None:
            from assistant.ui.pages import text

            text.show()

        at = AppTest.from_function(run_text, default_timeout=60).run()
        times = []
        for _ in range(20):
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
        assert not at.exception and any("候选稿" in m.value for m in at.markdown)
        print(
            f"app: 正文 page with a 3,000-character part and its candidate, median {statistics.median(times):.0f} ms "
            "a rerun (AppTest, whole page: diff, marks, versions)"
        )


@bench
def app() -> None:
    """A rerun after one cell edit ≤ 150 ms median (AppTest); /_stcore/health ≤ 5 s after start."""
    import os

    from streamlit.testing.v1 import AppTest

    from assistant.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ASSISTANT_DB"] = str(Path(tmp) / "bench.db")

        def run_tables() -> None:
            from assistant.ui.pages import tables

            tables.show()

        at = AppTest.from_function(run_tables, default_timeout=60).run()
        times = []
        store = Store(Path(os.environ["ASSISTANT_DB"]))
        from assistant.grids import T3_FORM, grid_inputs

        for i in range(30):
            entry = store.list()[0]
            rows = grid_inputs(entry.report, T3_FORM)
            rows[0][0] = str(i + 1)
            # What the AG Grid component sends after an edit: every row as shown.
            at.session_state[f"ag-{entry.id}-表三-0"] = {
                "nodes": [
                    {"rowIndex": r, "data": {"i": str(r), **{f"c{c}": v for c, v in enumerate(row)}}}
                    for r, row in enumerate(rows)
                ]
            }
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            assert store.list()[0].report.cells["t3.new.natural"] == i + 1, "the edit did not land"
        assert not at.exception
        print(
            f"app: rerun after one cell edit, median {statistics.median(times):.0f} ms over 30 edits (AppTest, tables page)"
        )

        from tests.appserver import running_app

        with running_app(Path(tmp)) as (_, seconds):
            print(f"app: /_stcore/health answered {seconds:.2f} s after start")


@bench
def grid_typing() -> None:
    """In Chromium: from Enter on a cell to the updated 总计 on screen ≤ 300 ms median, 20 edits typed at human speed."""
    import os

    from playwright.sync_api import sync_playwright

    from tests.appserver import running_app
    from tests.test_browser import CHROMIUM_ARGS

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ASSISTANT_DB": str(Path(tmp) / "bench.db")}
        with running_app(Path(tmp), env) as (url, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/tables")
            page.get_by_role("tab", name="三、依申请公开").click()
            panel = page.locator('[data-testid="stTabPanel"]:visible')
            frame_element = panel.locator("iframe").first
            frame_element.wait_for()
            frame = frame_element.element_handle().content_frame()
            frame.locator(".ag-row[row-index='0'] .ag-cell[col-id='c0']").click()
            page.wait_for_timeout(1000)
            times: list[float] = []
            settled: list[float] = []
            for row in range(20):  # down the 自然人 column, as a clerk types it: digits, Enter, next row
                total = frame.locator(f".ag-row[row-index='{row}'] .ag-cell[col-id='c6']")
                before = int(total.inner_text() or 0) - int(
                    frame.locator(f".ag-row[row-index='{row}'] .ag-cell[col-id='c0']").inner_text() or 0
                )
                value = 11 + row * 3
                page.keyboard.type(str(value), delay=120)
                start = time.perf_counter()
                page.keyboard.press("Enter")
                frame.wait_for_function(
                    "([row, want]) => { const c = document.querySelector(`.ag-row[row-index='${row}'] "
                    ".ag-cell[col-id='c6']`); return c && c.innerText.trim() === want; }",
                    arg=[row, str(before + value)],
                    polling="raf",
                    timeout=10_000,
                )
                times.append((time.perf_counter() - start) * 1000)
                # The findings beside the grid come in the same run, drawn after the grid: the run's end is when
                # everything on the page (总计, marks, findings, sidebar count) is up to date.
                page.wait_for_function(
                    "() => document.querySelector('[data-testid=stApp]')"
                    "?.getAttribute('data-test-script-state') === 'notRunning'",
                    polling="raf",
                    timeout=10_000,
                )
                settled.append((time.perf_counter() - start) * 1000)
                page.wait_for_timeout(800)  # a clerk reads the next row's label
            browser.close()
    print(
        f"grid: Enter to updated 总计 on screen (Chromium), median {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms over {len(times)} edits; to the end of the run (findings and sidebar too) "
        f"median {statistics.median(settled):.0f} ms, max {max(settled):.0f} ms"
    )


@bench
def imports() -> None:
    """.docx import ≤ 50 ms and PDF import ≤ 500 ms per report (the corpus PDFs, the example as .docx)."""
    from assistant.checks.fill import fill
    from assistant.example import load_example
    from assistant.export.word import render_docx
    from assistant.importers.files import read_bytes

    pdfs = sorted((ROOT / "tests" / "data" / "corpus").glob("*.pdf"))
    docx = render_docx(fill(load_example()))
    read_bytes(docx, ".docx")  # load python-docx outside the timing
    print(
        f"import: .docx median {median_ms_each(lambda d: read_bytes(d, '.docx'), [docx] * 50):.1f} ms (50 reads)"
    )
    for pdf in pdfs:
        data = pdf.read_bytes()
        print(
            f"import: {pdf.name} median {median_ms_each(lambda d: read_bytes(d, '.pdf'), [data] * 5):.0f} ms (5 reads)"
        )


@bench
def html_import() -> None:
    """A published web page (.html) imported ≤ 50 ms: the three 平潭 pages, median of 20 reads each."""
    from assistant.importers.files import read_bytes

    pages = sorted((ROOT / "tests" / "data" / "corpus" / "html").glob("*.html"))
    read_bytes(pages[0].read_bytes(), ".html")  # load lxml outside the timing
    for page in pages:
        data = page.read_bytes()
        ms = median_ms_each(lambda d: read_bytes(d, ".html"), [data] * 20)
        print(f"import: {page.name} ({len(data) // 1024} KB) median {ms:.1f} ms (20 reads)")


@bench
def peer_similar() -> None:
    """PEER-SIMILAR over 500 reports of one year: the find alone, and `check` of the files end to end."""
    import random

    from assistant.checks.peers import find_peer_similar
    from assistant.example import load_example
    from assistant.format.models import report_to_json

    def prose(rng: random.Random, length: int) -> str:
        # GB2312 level-1 characters, what reports are written in.
        return "".join(
            bytes((rng.randrange(0xB0, 0xD8), rng.randrange(0xA1, 0xFF))).decode("gb2312", "replace")
            for _ in range(length)
        )

    rng = random.Random(1)
    boilerplate = [prose(rng, 40) for _ in range(30)]  # sentences every body writes
    pool = [prose(rng, 60) for _ in range(400)]  # sentences passed round a county
    template = prose(rng, 1500)
    scenarios: dict[str, list[tuple[str, str, str]]] = {
        "own text, 20 % boilerplate": [
            ("".join(rng.sample(boilerplate, 8)) + prose(rng, 1200), prose(rng, 400), prose(rng, 200))
            for _ in range(500)
        ],
        "each part drawn from a pool of 400 sentences": [
            tuple("".join(rng.sample(pool, k)) for k in (25, 8, 4))  # type: ignore[misc]
            for _ in range(500)
        ],
        "200 bodies fill in one template (70 % of 一 the same)": [
            (
                template[:1050] + prose(rng, 450) if n < 200 else prose(rng, 1500),
                prose(rng, 400),
                prose(rng, 200),
            )
            for n in range(500)
        ],
    }
    example = load_example()
    for name, texts in scenarios.items():
        reports = []
        for n, (overview, problems, other) in enumerate(texts):
            report = example.model_copy(deep=True)
            report.agency = f"某县第{n}局"
            for key in report.parts:
                report.parts[key].text = ""
            report.parts["overview"].text = overview
            report.parts["problems"].text = problems
            report.parts["other"].text = other
            reports.append((f"r{n:03}.json", report))
        start = time.perf_counter()
        found = find_peer_similar(reports)
        elapsed = time.perf_counter() - start
        flagged = sum(len(f) for f in found.values())
        print(
            f"PEER-SIMILAR: 500 reports, {name}: {elapsed:.2f} s ({flagged} findings in {len(found)} files)"
        )
        if name.startswith("200"):
            with tempfile.TemporaryDirectory() as tmp:
                for file, report in reports:
                    (Path(tmp) / file).write_text(report_to_json(report), encoding="utf-8")
                start = time.perf_counter()
                result = subprocess.run(
                    [sys.executable, "-m", "assistant", "check", tmp, "--format", "json"],
                    capture_output=True,
                    cwd=ROOT,
                )
                elapsed = time.perf_counter() - start
            print(f"check: 500 JSON reports with PEER-SIMILAR in {elapsed:.2f} s (exit {result.returncode})")


@bench
def rollup_and_overview() -> None:
    """rollup of 500 reports ≤ 10 s and check --format html of 500 reports ≤ 15 s (text files, process included)."""
    import random

    seed = (ROOT / "tests" / "data" / "seed" / "xiashi-xiang_2024.txt").read_text(encoding="utf-8")
    rng = random.Random(3)

    def prose(length: int) -> str:
        return "".join(
            bytes((rng.randrange(0xB0, 0xD8), rng.randrange(0xA1, 0xFF))).decode("gb2312", "replace")
            for _ in range(length)
        )

    with tempfile.TemporaryDirectory() as tmp:
        for n in range(500):
            # The seed's layout and tables under another body's name, each part with text of its own.
            text = seed.replace("三门峡市陕州区硤石乡人民政府", f"某县第{n}局")
            for heading in ("（一）主动公开情况。", "（五）政府信息公开监督保障及教育培训情况。"):
                text = text.replace(heading, heading + "\n" + prose(600) + "。")
            text = text.replace(
                "## 五、存在的主要问题及改进情况", "## 五、存在的主要问题及改进情况\n" + prose(300) + "。"
            )
            (Path(tmp) / f"r{n:03}.txt").write_text(text, encoding="utf-8")
        for name, args in (
            ("rollup -o summary.json", ["rollup", tmp, "-o", str(Path(tmp) / "s.json")]),
            ("rollup -o summary.xlsx", ["rollup", tmp, "-o", str(Path(tmp) / "s.xlsx")]),
            ("check --format html", ["check", tmp, "--format", "html", "-o", str(Path(tmp) / "o.html")]),
        ):
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, cwd=ROOT)
            elapsed = time.perf_counter() - start
            print(f"{name}: 500 text reports in {elapsed:.2f} s (exit {result.returncode})")


def median_ms_each(func: Callable[[Any], object], items: list[Any]) -> float:
    """The median wall time of func over the items, in milliseconds."""
    times = []
    for item in items:
        start = time.perf_counter()
        func(item)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    names = sys.argv[1:] or list(BENCHES)
    for name in names:
        BENCHES[name]()
