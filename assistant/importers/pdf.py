"""Read a PDF report with a text layer: narrative lines and table rows, in page order, into the text layout."""

from __future__ import annotations

import io
import re
from typing import Any

from assistant.importers.imported import Imported, ReadError
from assistant.importers.text import read_text

MAX_PAGES = 200
_SENTENCE_END = re.compile(r"[。；;：:！!？?）)]$")
_STARTS_BLOCK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)"
)
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")


def _cell(text: Any) -> str:
    return re.sub(r"\s+", "", str(text)) if text is not None else ""


def _inside(line: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    middle = (line["top"] + line["bottom"]) / 2
    return any(
        x0 - 2 <= line["x0"] and line["x1"] <= x1 + 2 and top <= middle <= bottom
        for x0, top, x1, bottom in boxes
    )


def _page_blocks(page: Any) -> list[tuple[float, str, bool]]:
    """(top, text, is_table_row) for every narrative line and table row of a page."""
    tables = [t for t in page.find_tables() if t.rows and len(t.rows[0].cells) >= 2]
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, str, bool]] = []
    for line in page.extract_text_lines(layout=False, strip=True):
        text = line["text"].strip()
        if text and not _inside(line, boxes) and not _PAGE_NUMBER.match(text):
            blocks.append((line["top"], text, False))
    for table in tables:
        for n, row in enumerate(table.extract()):
            cells = [_cell(c) for c in row]
            if any(cells):
                blocks.append((table.bbox[1] + n * 0.01, "\t".join(cells), True))
    return sorted(blocks, key=lambda b: b[0])


def pdf_lines(data: bytes) -> list[str]:
    """The PDF as lines: wrapped narrative lines joined into paragraphs, table rows tab-separated."""
    import pdfplumber  # imported here: only PDF import needs it

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        raise ReadError(f"无法打开这个 PDF 文件（文件损坏或不是 PDF）：{type(exc).__name__}") from None
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ReadError(f"PDF 有 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页的上限，不像一份年度报告")
        blocks = [block for page in pdf.pages for block in _page_blocks(page)]
    if not any(text for _, text, is_row in blocks if not is_row):
        raise ReadError("这个 PDF 没有文字层（可能是扫描件），请用文字版 PDF、Word 或文本文件导入")
    lines: list[str] = []
    joinable = False
    for _, text, is_row in blocks:
        if is_row:
            lines.append(text)
            joinable = False
        elif joinable and not _STARTS_BLOCK.match(text):
            lines[-1] += text  # a line wrapped by the PDF layout
            joinable = not _SENTENCE_END.search(text)
        else:
            lines.append(text)
            joinable = not _SENTENCE_END.search(text) and len(text) > 25
    return lines


def read_pdf(data: bytes) -> Imported:
    """Read a PDF report (with a text layer) into a Report with import notes."""
    if not data.startswith(b"%PDF"):
        raise ReadError("这个文件不是 PDF（文件头不对），可能是改了扩展名的图片或其他文件")
    return read_text("\n".join(pdf_lines(data)))
