"""The PDF readers compared for issue 16: import time, reading time per corpus PDF and cells read right.

Run with `.venv/bin/python bench/pdf_readers.py` (needs the dev extras: pdfplumber, pypdf). Each reader runs in a fresh
process: its import is timed once, then each PDF is read 5 times (median). "Reading" is what that reader needs to give
characters with positions and the ruled lines; for pdfplumber and pypdfium2 it is the whole import into lines, whose
cells are compared with the text twins in tests/data/corpus/reports (as tests/test_corpus.py does).
"""

from __future__ import annotations

import io
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PDFS = sorted((ROOT / "tests" / "data" / "corpus").glob("*.pdf"))
TWINS = {
    "huaian-shi-renmin-zhengfu_2024.pdf": "01_huaian-shi-renmin-zhengfu_2024.txt",
    "hongze-qu-renmin-zhengfu_2023.pdf": "02_hongze-qu-renmin-zhengfu_2023.txt",
    "hongze-qu-renmin-zhengfu_2024.pdf": "03_hongze-qu-renmin-zhengfu_2024.txt",
}


def pdfplumber_lines(data: bytes) -> list[str]:
    """The reader before issue 16: pdfplumber's text lines and its "lines" table finder (assistant/importers/pdf.py)."""
    import pdfplumber

    from assistant.importers.pdf import _PAGE_NUMBER, join_blocks

    def inside(line: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
        middle = (line["top"] + line["bottom"]) / 2
        return any(x0 - 2 <= line["x0"] and line["x1"] <= x1 + 2 and t <= middle <= b for x0, t, x1, b in boxes)

    blocks: list[tuple[float, str, bool]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            tables = [t for t in page.find_tables() if t.rows and len(t.rows[0].cells) >= 2]
            boxes = [t.bbox for t in tables]
            page_blocks = []
            for line in page.extract_text_lines(layout=False, strip=True):
                text = line["text"].strip()
                if text and not inside(line, boxes) and not _PAGE_NUMBER.match(text):
                    page_blocks.append((line["top"], text, False))
            for table in tables:
                for n, row in enumerate(table.extract()):
                    cells = [re.sub(r"\s+", "", str(c)) if c is not None else "" for c in row]
                    if any(cells):
                        page_blocks.append((table.bbox[1] + n * 0.01, "\t".join(cells), True))
            blocks.extend(sorted(page_blocks, key=lambda b: b[0]))
    return join_blocks(blocks)


def pdfium_lines(data: bytes) -> list[str]:
    """The reader now: pypdfium2's characters and paths, our ruled-table finder (assistant/importers/pdfpages.py)."""
    from assistant.importers.pdf import pdf_lines

    return pdf_lines(data)


def pdfminer_raw(data: bytes) -> tuple[int, int]:
    """pdfminer.six without pdfplumber: its characters and curves (tables would still have to be built)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTCurve
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    chars = curves = 0
    for page in PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))):
        interpreter.process_page(page)
        for item in device.get_result():
            chars += isinstance(item, LTChar)
            curves += isinstance(item, LTCurve)
    return chars, curves


def pypdf_raw(data: bytes) -> tuple[int, int]:
    """pypdf with visitors: text runs with their matrices and the path operators (no per-character boxes)."""
    from pypdf import PdfReader

    runs = ops = 0

    def text(t: str, *_: object) -> None:
        nonlocal runs
        runs += bool(t.strip())

    def operator(op: bytes, *_: object) -> None:
        nonlocal ops
        ops += op in (b"re", b"m", b"l")

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=text, visitor_operand_before=operator)
    return runs, ops


READERS: dict[str, tuple[Callable[[bytes], object], bool]] = {
    "pdfplumber 0.11 (before)": (pdfplumber_lines, True),
    "pdfminer.six direct": (pdfminer_raw, False),
    "pypdf + visitor": (pypdf_raw, False),
    "pypdfium2 (now)": (pdfium_lines, True),
}


def cells_right(lines: list[str], twin: str) -> tuple[int, int]:
    from assistant.importers.files import read_path
    from assistant.importers.text import read_text

    got = read_text("\n".join(lines)).report.cells
    want = read_path(ROOT / "tests" / "data" / "corpus" / "reports" / twin).report.cells
    return sum(got.get(k) == v for k, v in want.items()), len(want)


def measure(name: str) -> dict[str, Any]:
    """In this (fresh) process: the reader's import, then each PDF."""
    read, whole = READERS[name]
    start = time.perf_counter()
    read(PDFS[0].read_bytes())  # the first call pays the imports and lazy loading
    out: dict[str, Any] = {"first": time.perf_counter() - start, "files": {}}
    for pdf in PDFS:
        data = pdf.read_bytes()
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = read(data)
            times.append(time.perf_counter() - start)
        right = cells_right(result, TWINS[pdf.name]) if whole else None  # type: ignore[arg-type]
        out["files"][pdf.name] = (statistics.median(times), right)
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
        sys.exit()
    for name in READERS:
        done = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        files = "; ".join(
            f"{pdf[:12]}…{pdf[-8:-4]} {seconds * 1000:.0f} ms" + (f", cells {right[0]}/{right[1]}" if right else "")
            for pdf, (seconds, right) in result["files"].items()
        )
        print(f"{name}: first call with imports {result['first'] * 1000:.0f} ms; {files}")
