"""The PDF page reader's geometry: ruled tables from rules, cells' text, narrative lines (the corpus tests read real PDFs)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant.importers.files import read_bytes
from assistant.importers.pdfpages import Box, Char, Table, cell_texts, find_tables, text_lines
from assistant.importers.result import ReadError


def h(y: float, x0: float, x1: float) -> Box:
    return (x0, y, x1, y)


def v(x: float, top: float, bottom: float) -> Box:
    return (x, top, x, bottom)


GRID_H = [h(0, 0, 20), h(10, 0, 20), h(20, 0, 20)]
GRID_V = [v(0, 0, 20), v(10, 0, 20), v(20, 0, 20)]
TWO_BY_TWO = [[(0, 0, 10, 10), (10, 0, 20, 10)], [(0, 10, 10, 20), (10, 10, 20, 20)]]

# (what, horizontal rules, vertical rules, each table's rows of cells)
CASES: list[tuple[str, list[Box], list[Box], list[list[list[Box | None]]]]] = [
    ("a 2×2 grid", GRID_H, GRID_V, [TWO_BY_TWO]),
    (
        "a cell merged over two rows: None below it",
        [h(0, 0, 20), h(10, 10, 20), h(20, 0, 20)],
        GRID_V,
        [[[(0, 0, 10, 20), (10, 0, 20, 10)], [None, (10, 10, 20, 20)]]],
    ),
    (
        "rules drawn as thin rectangles, with gaps: snapped and joined",
        [h(0, 0, 9), h(0.4, 10.5, 20), h(10, 0, 20), h(10.5, 0, 20), h(20, 0, 20)],
        [v(0, 0, 20), v(0.5, 0, 20), v(10, 0, 9), v(10, 11, 20), v(20, 0, 20)],
        [
            [
                [(0.25, 0.2, 10, 10.25), (10, 0.2, 20, 10.25)],
                [(0.25, 10.25, 10, 20), (10, 10.25, 20, 20)],
            ]
        ],
    ),
    (
        "two tables, the upper one first",
        [*[(x0, y + 100, x1, y + 100) for x0, y, x1, _ in GRID_H], *GRID_H],
        [*GRID_V, *[(x, t + 100, x, b + 100) for x, t, _, b in GRID_V]],
        [TWO_BY_TWO, [[(x0, t + 100, x1, b + 100) for x0, t, x1, b in row] for row in TWO_BY_TWO]],
    ),
    (
        "an underline and a frame of one cell are not tables",
        [h(0, 0, 20), h(50, 0, 20), h(60, 0, 20)],
        [v(0, 50, 60), v(20, 50, 60)],
        [],
    ),
    ("rules shorter than 3 points are not borders", [h(0, 0, 2), h(2, 0, 2)], [v(0, 0, 2), v(2, 0, 2)], []),
]


@pytest.mark.parametrize(("what", "horizontal", "vertical", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ruled_tables(
    what: str, horizontal: list[Box], vertical: list[Box], expected: list[list[list[Box | None]]]
) -> None:
    found = [
        [[None if cell is None else tuple(round(n, 2) for n in cell) for cell in row] for row in table.rows]
        for table in find_tables(horizontal, vertical)
    ]
    assert found == expected


def chars(text: str, x: float, base: float, size: float = 10.0, step: float | None = None) -> list[Char]:
    """Characters set on one baseline from x, each `step` apart (a full em by default)."""
    step = step or size
    return [
        Char(c, x + i * step, base - size, x + i * step + size, base + 0.1 * size, base)
        for i, c in enumerate(text)
    ]


def test_cells_read_line_by_line_and_a_merged_cell_whole() -> None:
    table = Table((0, 0, 200, 40), [[(0, 0, 100, 40), (100, 0, 200, 20)], [None, (100, 20, 200, 40)]])
    page = [
        *chars("结果", 10, 30),  # second line of the merged cell, drawn first
        *chars("办理", 10, 15),
        *chars("1 0", 110, 15, step=6),  # a space inside a figure is not text of the cell
        *chars("其他", 110, 35),
        *chars("页脚", 10, 80),  # outside the table
    ]
    assert cell_texts(table, page) == [["办理结果", "10"], ["", "其他"]]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (chars("政府信息", 0, 20), "政府信息"),
        (chars("3119件", 0, 20, size=10, step=10), "3119件"),
        (
            [*chars("共", 0, 20), *chars("95", 14, 20.5, size=7, step=7)],
            "共 95",
        ),  # 4 pt gap, other font: one line
        ([*chars("申请", 0, 20), Char(" ", 20, 10, 23, 21, 20), *chars("件", 23, 20)], "申请 件"),
    ],
    ids=["plain", "figure", "gap-and-font", "space"],
)
def test_text_lines(line: list[Char], expected: str) -> None:
    assert [found.text for found in text_lines(line)] == [expected]


def test_text_lines_apart_and_in_order() -> None:
    page = [*chars("第二行", 0, 40), *chars("第一行", 0, 20)]
    lines = text_lines(page)
    assert [(line.text, line.top) for line in lines] == [("第一行", 10.0), ("第二行", 30.0)]


def test_a_pdf_locked_only_against_editing_reads_like_its_original(data: Path) -> None:
    # Many offices publish with an owner password: the streams are encrypted, pdfium opens them without one.
    from pypdf import PdfReader, PdfWriter

    original = (data / "corpus" / "huaian-shi-renmin-zhengfu_2024.pdf").read_bytes()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    writer.encrypt(user_password="", owner_password="office", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    assert b"/Encrypt" in locked.getvalue()
    assert read_bytes(locked.getvalue(), ".pdf").report == read_bytes(original, ".pdf").report


def test_a_file_of_countless_streams_is_refused_before_layout() -> None:
    many = b"%PDF-1.4\n" + b"1 0 obj <</Length 1>>stream\nx\nendstream endobj\n" * 20_001
    with pytest.raises(ReadError, match="数据流超过 20000 个"):
        read_bytes(many, ".pdf")
