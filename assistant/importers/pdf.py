"""Read a PDF report with a text layer: narrative lines and table rows, in page order, into the text layout."""

from __future__ import annotations

import re
import time
import zlib
from typing import Any

from assistant.importers.pdfpages import (
    Box,
    Line,
    cell_texts,
    find_tables,
    page_chars,
    page_rules,
    text_lines,
)
from assistant.importers.result import Imported, ReadError
from assistant.importers.text import read_text

MB = 1024 * 1024
MAX_PAGES = 200
MAX_PAGE_SIDE = 5000.0  # points, about 1.76 m: A0 is 2384 × 3370
MAX_PAGE_CONTENT = 1 * MB  # drawing instructions of one page once inflated; real report pages have < 50 KB
MAX_STREAM = 64 * MB  # any other stream once inflated (a full embedded CJK font is 10–20 MB)
MAX_GRID = 4000  # ruled rows × ruled columns on a page; table 三 has about 30 × 12
TIME_BUDGET = 20.0  # seconds of reading per file, enforced by ending the reading process
MEMORY_BUDGET = 1024 * MB  # memory the reading process may add to what it starts with
_GRACE = 2.0  # seconds the reading process has past its budget to say where it stopped, before it is ended
_SENTENCE_END = re.compile(r"[。；;：:！!？?）)]$")
_STARTS_BLOCK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|第[一二三四五六七八九十]+)"
)
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")


def _inside(line: Line, boxes: list[Box]) -> bool:
    middle = (line.top + line.bottom) / 2
    return any(x0 - 2 <= line.x0 and line.x1 <= x1 + 2 and top <= middle <= bottom for x0, top, x1, bottom in boxes)


def _check_grid(horizontal: list[Box], vertical: list[Box], n: int) -> None:
    """Refuse a page whose ruled lines are far beyond any report's, before tables are looked for in them."""
    rows = {round(r[1]) for r in horizontal}
    columns = {round(r[0]) for r in vertical}
    if len(rows) * len(columns) > MAX_GRID:
        raise ReadError(
            f"PDF 第 {n} 页画有 {len(rows)} 条横线、{len(columns)} 条竖线，"
            f"超过表格识别的上限（{MAX_GRID} 个交点），不像一份年度报告，未读取"
        )


def _page_blocks(page: Any, textpage: Any, height: float, n: int) -> list[tuple[float, str, bool]]:
    """(top, text, is_table_row) for every narrative line and table row of a page."""
    horizontal, vertical = page_rules(page, height)
    _check_grid(horizontal, vertical, n)
    chars = page_chars(textpage, height)
    tables = [t for t in find_tables(horizontal, vertical) if t.rows and len(t.rows[0]) >= 2]
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, str, bool]] = []
    for line in text_lines(chars):
        if not _inside(line, boxes) and not _PAGE_NUMBER.match(line.text):
            blocks.append((line.top, line.text, False))
    for table in tables:
        for row, cells in enumerate(cell_texts(table, chars)):
            if any(cells):
                blocks.append((table.bbox[1] + row * 0.01, "\t".join(cells), True))
    return sorted(blocks, key=lambda b: b[0])


def _check_time(deadline: float, budget: float, what: str) -> None:
    if time.monotonic() > deadline:
        raise ReadError(f"读取这个 PDF 超过 {budget:g} 秒的时间上限（{what}），未读取")


_STREAM = re.compile(rb">>[ \t\r\n]{0,16}stream\r?\n")
MAX_STREAMS = 20_000  # streams in one file; a 200-page report has a few thousand
MAX_INFLATED = 256 * MB  # all the streams checked, once inflated
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d{1,10})\b(?!\s+\d+\s+R)")
_TYPED = re.compile(rb"/(?:Type|Subtype|Length[123]|N|Width|BitsPerComponent)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FLATE_ONLY = re.compile(rb"/Filter\s*(?:\[\s*)?/FlateDecode\s*\]?(?!\s*/[A-Z][a-zA-Z0-9]*Decode)")


def _stream_end(head: bytes, data: bytes, start: int) -> int:
    """Where a stream's data ends: its /Length when the dictionary states it, else the next `endstream`."""
    length = _DIRECT_LENGTH.search(head)
    if length:
        end = start + int(length.group(1))
        if data[end : end + 32].lstrip().startswith(b"endstream"):
            return end
    end = data.find(b"endstream", start)  # no length, or a wrong one (pdfium reads past it too)
    return len(data) if end < 0 else end


def _check_streams(data: bytes) -> None:
    """Refuse, before pdfium lays anything out, a file whose streams are damaged or too long.

    pdfium reads a damaged stream as far as it inflates and goes on, so one flipped bit could drop a font or an
    object stream and shift a table's figures into other rows without a word: every deflated stream but an image
    must inflate whole and pass its checksum. Drawing instructions (the streams whose dictionary names no type) may
    inflate to MAX_PAGE_CONTENT, the rest to MAX_STREAM; inflating stops one byte past, so a 50 KB file carrying
    50 MB of instructions (millions of objects on one page) costs no more than a real one; the streams of a file and
    all they inflate to are bounded too. What cannot be checked here (a filter chain; an encrypted file, which many
    offices publish with an owner password only) is left to pdfium within the reading process's bounds.
    """
    if re.search(rb"/Encrypt\b", data):
        return  # its streams are encrypted: pdfium decrypts and reads them, within the process's bounds
    total = 0
    for count, match in enumerate(_STREAM.finditer(data)):
        if count >= MAX_STREAMS:
            raise ReadError(f"PDF 中的数据流超过 {MAX_STREAMS} 个，不像一份年度报告，未读取")
        window = data[max(0, match.start() - 2048) : match.start()]
        head, start = window[window.rfind(b"obj") + 1 :], match.end()  # this object's dictionary
        if _IMAGE.search(head):
            continue
        content = not _TYPED.search(head)
        limit = MAX_PAGE_CONTENT if content else MAX_STREAM
        end = _stream_end(head, data, start)
        if b"/Filter" not in head:
            size = end - start
        elif _FLATE_ONLY.search(head):
            inflater = zlib.decompressobj()
            try:
                size = len(inflater.decompress(data[start:end], limit + 1))
            except zlib.error:
                raise ReadError("PDF 文件已损坏，无法读取（压缩数据有误）") from None
            if size <= limit and not inflater.eof:
                raise ReadError("PDF 文件已损坏，无法读取（压缩数据不完整）")
            total += size
        else:
            continue  # another filter or a chain: pdfium decodes it, within the process's bounds
        if size > limit and content:
            raise ReadError(
                f"PDF 中有一页的绘制内容超过每页 {MAX_PAGE_CONTENT // MB} MB 的上限（可能是恶意构造的文件），未读取"
            )
        if size > limit or total > MAX_INFLATED:
            raise ReadError(
                f"PDF 中的数据流解压后超过 {MAX_STREAM // MB} MB（合计 {MAX_INFLATED // MB} MB）的上限"
                "（可能是恶意构造的文件），未读取"
            )


def join_blocks(blocks: list[tuple[float, str, bool]]) -> list[str]:
    """The page blocks (top, text, is a table row) as the text reader's lines: a line the PDF layout wrapped is
    joined to the one before it; table rows stay one line each."""
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


def _lines_of(data: bytes, budget: float) -> list[str]:
    """The PDF as lines: wrapped narrative lines joined into paragraphs, table rows tab-separated."""
    import pypdfium2 as pdfium  # imported here: only PDF import needs it

    deadline = time.monotonic() + budget
    _check_streams(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(f"无法打开这个 PDF 文件（文件损坏、加密或不是 PDF）：{exc}") from None
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise ReadError(f"PDF 有 {pages} 页，超过 {MAX_PAGES} 页的上限，不像一份年度报告")
        for index in range(pages):  # from the page tree, before any page is laid out
            width, height = pdf.get_page_size(index)
            if width > MAX_PAGE_SIDE or height > MAX_PAGE_SIDE:
                raise ReadError(
                    f"PDF 第 {index + 1} 页大小为 {width:.0f}×{height:.0f} 磅，"
                    f"超过 {MAX_PAGE_SIDE:.0f} 磅的上限，不像一份年度报告，未读取"
                )
        blocks: list[tuple[float, str, bool]] = []
        for index in range(pages):
            _check_time(deadline, budget, f"读到第 {index + 1} 页")
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                blocks.extend(_page_blocks(page.raw, textpage.raw, page.get_height(), index + 1))
            finally:  # the page's objects are freed: memory stays that of one page
                textpage.close()
                page.close()
    finally:
        pdf.close()
    if not any(text for _, text, is_row in blocks if not is_row):
        raise ReadError("这个 PDF 没有文字层（可能是扫描件），请用文字版 PDF、Word 或文本文件导入")
    return join_blocks(blocks)


def _bound_process(budget: float, memory: int) -> None:
    """In the reading process: cap its address space and its CPU time.

    pdfium is native code: nothing in Python can stop it mid-call, so the bounds are the kernel's. RLIMIT_AS makes
    its allocations fail past the memory budget (pdfium then gives up the page, or the process ends and the app
    says so), RLIMIT_CPU and the app's SIGKILL at the deadline end it whatever it is doing.
    """
    import math
    import resource

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
    """Read a tiny PDF once in the fork server: each reading process starts with pdfium loaded and initialised."""
    _lines_of(_tiny_pdf(), 60)
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
    except Exception as exc:  # whatever else a damaged file trips on, while reading pages too
        return ["error", f"PDF 文件已损坏，无法读取（{type(exc).__name__}）"]


def pdf_lines(data: bytes) -> list[str]:
    """The PDF as lines, read in a separate process bounded in time and memory (pdfium is native code: a
    damaged file that crashed it would otherwise end the app)."""
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
