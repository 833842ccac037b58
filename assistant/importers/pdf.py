"""Read a PDF report with a text layer: narrative lines and table rows, in page order, into the text layout."""

from __future__ import annotations

import contextlib
import io
import re
import time
import zlib
from typing import Any

from assistant.importers.imported import Imported, ReadError
from assistant.importers.text import read_text

MB = 1024 * 1024
MAX_PAGES = 200
MAX_PAGE_SIDE = 5000.0  # points, about 1.76 m: A0 is 2384 × 3370
MAX_PAGE_CONTENT = 1 * MB  # drawing instructions of one page once inflated; real report pages have < 50 KB
MAX_STREAM = 64 * MB  # any one stream once inflated (a full embedded CJK font is 10–20 MB)
MAX_GRID = 4000  # ruled rows × ruled columns on a page; table 三 has about 30 × 12
TIME_BUDGET = 20.0  # seconds of reading per file, enforced by ending the reading process
MEMORY_BUDGET = 1024 * MB  # memory the reading process may add to what it starts with
_GRACE = 2.0  # seconds the reading process has past its budget to say where it stopped, before it is ended
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


def _check_time(deadline: float, budget: float, what: str) -> None:
    if time.monotonic() > deadline:
        raise ReadError(f"读取这个 PDF 超过 {budget:g} 秒的时间上限（{what}），未读取")


def _check_page(page: Any, n: int) -> None:
    """Refuse a page whose drawing instructions or ruled lines are far beyond any report's, before laying it out."""
    from pdfminer.pdftypes import PDFStream, resolve1

    size = 0
    for stream in page.page_obj.contents:
        stream = resolve1(stream)
        if isinstance(stream, PDFStream):
            size += len(stream.get_data())
    if size > MAX_PAGE_CONTENT:
        raise ReadError(
            f"PDF 第 {n} 页的绘制内容有 {size / MB:.1f} MB，超过每页 {MAX_PAGE_CONTENT // MB} MB 的上限，未读取"
        )
    edges = page.edges
    rows = {round(e["top"]) for e in edges if e["orientation"] == "h"}
    columns = {round(e["x0"]) for e in edges if e["orientation"] == "v"}
    if len(rows) * len(columns) > MAX_GRID:
        raise ReadError(
            f"PDF 第 {n} 页画有 {len(rows)} 条横线、{len(columns)} 条竖线，"
            f"超过表格识别的上限（{MAX_GRID} 个交点），不像一份年度报告，未读取"
        )


def _lines_of(data: bytes, budget: float) -> list[str]:
    """The PDF as lines: wrapped narrative lines joined into paragraphs, table rows tab-separated."""
    import pdfplumber  # imported here: only PDF import needs it

    deadline = time.monotonic() + budget
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        raise ReadError(f"无法打开这个 PDF 文件（文件损坏或不是 PDF）：{type(exc).__name__}") from None
    with pdf:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise ReadError(f"PDF 有 {len(pages)} 页，超过 {MAX_PAGES} 页的上限，不像一份年度报告")
        for page in pages:
            if page.width > MAX_PAGE_SIDE or page.height > MAX_PAGE_SIDE:
                raise ReadError(
                    f"PDF 第 {page.page_number} 页大小为 {page.width:.0f}×{page.height:.0f} 磅，"
                    f"超过 {MAX_PAGE_SIDE:.0f} 磅的上限，不像一份年度报告，未读取"
                )
        blocks: list[tuple[float, str, bool]] = []
        for page in pages:
            _check_time(deadline, budget, f"读到第 {page.page_number} 页")
            _check_page(page, page.page_number)
            blocks.extend(_page_blocks(page))
            page.close()  # frees the page's objects: memory stays that of one page
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


class _StreamTooLarge(ReadError):
    def __init__(self) -> None:
        super().__init__(
            f"PDF 中有一个压缩数据流解压后超过 {MAX_STREAM // MB} MB 的上限（可能是恶意构造的文件），未读取"
        )


class _BoundedDecompressor:
    """zlib's decompressor that refuses to inflate past MAX_STREAM (pdfminer's fallback for damaged streams)."""

    def __init__(self) -> None:
        self._inner = zlib.decompressobj()
        self._size = 0

    def decompress(self, data: bytes) -> bytes:
        out = self._inner.decompress(data, MAX_STREAM + 1 - self._size)
        self._size += len(out)
        if self._size > MAX_STREAM or self._inner.unconsumed_tail:
            raise _StreamTooLarge
        return out


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer, in the reading process only: inflation stops at MAX_STREAM."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes) -> bytes:
        inner = zlib.decompressobj()
        out = inner.decompress(data, MAX_STREAM + 1)
        if len(out) > MAX_STREAM:
            raise _StreamTooLarge
        if not inner.eof:
            raise zlib.error("incomplete or truncated stream")  # as zlib.decompress says it
        return out

    @staticmethod
    def decompressobj() -> _BoundedDecompressor:
        return _BoundedDecompressor()


def _decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream with a bad checksum, in linear time (its own joins bytes one by one)."""
    inflater = _BoundedDecompressor()
    out: list[bytes] = []
    at = 0
    try:
        for at in range(len(data)):  # byte by byte, as pdfminer does, to keep what inflated before the damage
            out.append(inflater.decompress(data[at : at + 1]))
    except zlib.error:
        if at < len(data) - 3:
            raise
    return b"".join(out)


def _bound_process(budget: float, memory: int) -> None:
    """In the reading process: cap its address space, its CPU time and every stream pdfminer inflates."""
    import math
    import resource

    import pdfminer.pdftypes

    setattr(pdfminer.pdftypes, "zlib", _BoundedZlib)  # noqa: B010 (the module does not export its zlib)
    pdfminer.pdftypes.decompress_corrupted = _decompress_corrupted
    # Should the app be gone, the process still ends by itself a little after its budget.
    cpu = math.ceil(budget + _GRACE) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    try:
        with open("/proc/self/statm") as statm:
            now = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (now + memory, now + memory))
    except (OSError, ValueError):  # no /proc or no limit allowed: the time budget still holds
        pass


def _tiny_pdf() -> bytes:
    """A one-page PDF with a line of text and a two-cell table: what warm_up reads."""
    content = b"BT /F1 12 Tf 72 760 Td (Warm) Tj ET 72 600 200 40 re S 172 600 m 172 640 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def warm_up() -> None:
    """Read a tiny PDF once in the fork server: each reading process starts with pdfplumber's lazy parts loaded."""
    from pdfminer.cmapdb import CMapDB

    _lines_of(_tiny_pdf(), 60)
    for name in ("UniGB-UCS2-H", "Adobe-GB1-UCS2"):  # the CMaps of Chinese fonts, loaded lazily otherwise
        with contextlib.suppress(Exception):  # a pdfminer without them reads the same, a little slower
            CMapDB.get_cmap(name)
    import math  # noqa: F401  (used by each reading process)
    import resource  # noqa: F401


def read_in_process(data: bytes, budget: float, memory: int) -> list[object]:
    """In the reading process: ["ok", lines] or ["error", the Chinese reason]."""
    try:
        _bound_process(budget, memory)
        return ["ok", _lines_of(data, budget)]
    except ReadError as exc:
        return ["error", str(exc)]
    except MemoryError:
        return ["error", f"读取这个 PDF 需要的内存超过 {memory // MB} MB 的上限，未读取"]
    except RecursionError:
        return ["error", "PDF 文件结构嵌套过深（可能已损坏），未读取"]
    except Exception as exc:  # pdfminer raises many kinds for a damaged file, while reading pages too
        return ["error", f"PDF 文件已损坏，无法读取（{type(exc).__name__}）"]


def pdf_lines(data: bytes) -> list[str]:
    """The PDF as lines, read in a separate process bounded in time and memory (pdfminer is pure Python)."""
    from assistant.importers import sandbox

    status, payload = sandbox.run(data, TIME_BUDGET, MEMORY_BUDGET, _GRACE)
    if status == "ok":
        return [str(line) for line in payload]
    if status == "error":
        raise ReadError(str(payload))
    if status == "timeout":
        raise ReadError(f"读取这个 PDF 超过 {TIME_BUDGET:g} 秒的时间上限，未读取")
    raise ReadError(
        f"读取这个 PDF 的进程意外结束（可能需要的内存超过 {MEMORY_BUDGET // MB} MB 的上限），未读取"
    )


def read_pdf(data: bytes) -> Imported:
    """Read a PDF report (with a text layer) into a Report with import notes."""
    if not data.startswith(b"%PDF"):
        raise ReadError("这个文件不是 PDF（文件头不对），可能是改了扩展名的图片或其他文件")
    return read_text("\n".join(pdf_lines(data)))
