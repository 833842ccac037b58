"""Generators of the hostile input files of issue 10 (made at test time: no large binaries in the repository)."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path


def pdf_file(pages: list[tuple[bytes, tuple[float, float]]], *, compress: bool = True) -> bytes:
    """A minimal valid PDF: each page's content stream and its (width, height) in points, Helvetica as F1."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids: list[int] = []
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for content, (width, height) in pages:
        data = zlib.compress(content, 9) if compress else content
        flate = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
        stream = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (width, height, stream, font)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


A4 = (595.0, 842.0)


def _text(line: str, y: int) -> bytes:
    return b"BT /F1 12 Tf 72 %d Td (%s) Tj ET\n" % (y, line.encode("latin-1"))


def stream_bomb_pdf() -> bytes:
    """About 50 KB: one page whose compressed content stream inflates to about 50 MB of drawing operators."""
    return pdf_file([(_text("Report", 800) + b"0 0 m 1 1 l S\n" * 3_600_000, A4)])


def grid_pdf(pages: int = 10, lines: int = 120) -> bytes:
    """A few KB per page: every page draws a dense grid of ruled lines, which table detection chokes on."""
    step = 700 / lines
    grid = b"".join(b"36 %.2f m 560 %.2f l S\n" % (36 + i * step, 36 + i * step) for i in range(lines))
    grid += b"".join(b"%.2f 36 m %.2f 800 l S\n" % (36 + i * 4.3, 36 + i * 4.3) for i in range(lines))
    return pdf_file([(_text("Grid", 810) + grid, A4) for _ in range(pages)])


def huge_page_pdf() -> bytes:
    """One page of 14,400 × 14,400 points (the PDF maximum, 5 m square) full of text."""
    rows = b"".join(_text("x" * 400, y) for y in range(20, 14_400, 14))
    return pdf_file([(rows, (14_400.0, 14_400.0))])


def docx_bomb(base: bytes, expanded: int = 190 * 1024 * 1024) -> bytes:
    """A real .docx whose document.xml is padded with a comment of `expanded` bytes (compresses ~1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, _, tail = data.partition(b"<w:body>")
                data = head + b"<w:body><!--" + b"x" * expanded + b"-->" + tail
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def quadratic_title_text(size: int = 70_000) -> bytes:
    """A report whose title line repeats “2024年” with no “年报”: the old title regex was quadratic on it."""
    title = "某某" + "2024年 " * (size // 8)
    return (title + "\n一、总体情况\n本年度公开信息。\n").encode("utf-8")


def big_paragraph_text(size: int = 44 * 1024 * 1024) -> bytes:
    """A 44 MB report: one paragraph of a single line."""
    head = "某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n".encode()
    return head + "公开".encode() * (size // 6)


def fifo(folder: Path) -> Path:
    """A named pipe with a report's name: reading it would wait forever for a writer."""
    import os

    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def flipped_pdf(original: bytes, seed: int = 49, flips: int = 20) -> bytes:
    """A real PDF with `flips` random bits flipped (seed 49 on the 淮安 report: a damaged font stream)."""
    import random

    rng = random.Random(seed)
    data = bytearray(original)
    for _ in range(flips):
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
    return bytes(data)
