"""The three tables as editable grids of text: rows, columns, which cells the clerk types, and reading edits back."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assistant.checks.blanks import blank_typed_cells
from assistant.checks.fill import fill_cells
from assistant.format import layout
from assistant.format.models import Report
from assistant.importers.imported import parse_amount, parse_count


@dataclass(frozen=True)
class Grid:
    """One editable grid: row labels, column labels, and the cell key at each place (None: no cell there)."""

    name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    keys: tuple[tuple[str | None, ...], ...]
    editable: tuple[bool, ...]  # per column

    def cell_keys(self) -> list[str]:
        return [k for row in self.keys for k in row if k]


def _t2_block(index: int, name: str) -> Grid:
    block = layout.T2_BLOCKS[index]
    return Grid(
        name,
        tuple(label for _, label in block.rows),
        tuple(label for _, label in block.columns),
        tuple(tuple(f"t2.{r}.{c}" for c, _ in block.columns) for r, _ in block.rows),
        tuple(True for _ in block.columns),
    )


T2_GRIDS: tuple[Grid, ...] = (
    _t2_block(0, "第二十条第（一）项"),
    Grid(
        "第二十条第（五）（六）项",
        ("行政许可", "行政处罚", "行政强制"),
        ("本年处理决定数量",),
        (("t2.licensing.decisions",), ("t2.punishment.decisions",), ("t2.coercion.decisions",)),
        (True,),
    ),
    _t2_block(3, "第二十条第（八）项"),
)
# 四、结转下年度 is typed by the clerk (it is a fact they report); left blank, fill computes it.
_T3_INPUT_ROWS = tuple(r for r in layout.T3_ROWS if r.key != "r7")
T3_GRID = Grid(
    "表三",
    tuple(
        layout.describe_cell(f"t3.{r.key}.total").removeprefix("表三 ").removesuffix(" 总计")
        for r in _T3_INPUT_ROWS
    ),
    tuple(label for _, label in layout.T3_COLUMNS),
    tuple(tuple(f"t3.{r.key}.{c}" for c, _ in layout.T3_COLUMNS) for r in _T3_INPUT_ROWS),
    tuple(c != "total" for c, _ in layout.T3_COLUMNS),
)
T3_RESULT_GRID = Grid(
    "表三（计算）",
    ("（七）总计",),
    T3_GRID.columns,
    (tuple(f"t3.r7.{c}" for c, _ in layout.T3_COLUMNS),),
    tuple(False for _ in layout.T3_COLUMNS),
)
T4_GRID = Grid(
    "表四",
    tuple(label for _, label in layout.T4_GROUPS),
    tuple(label for _, label in layout.T4_COLUMNS),
    tuple(tuple(f"t4.{g}.{c}" for c, _ in layout.T4_COLUMNS) for g, _ in layout.T4_GROUPS),
    tuple(c != "total" for c, _ in layout.T4_COLUMNS),
)


def shown_value(report: Report, key: str, cells: dict[str, int | None]) -> str:
    """What a grid shows in a cell: typed text kept as typed, else the (filled) figure, blank as empty."""
    if key in report.raw_cells:
        return report.raw_cells[key]
    if key == layout.FEE_CELL:
        return "" if report.fee_amount_wan is None else format(report.fee_amount_wan, "f")
    value = cells.get(key)
    return "" if value is None else str(value)


def grid_values(report: Report, grid: Grid) -> list[list[str]]:
    """The grid's cells as text, derived cells computed."""
    cells = fill_cells(report.cells)
    return [[shown_value(report, k, cells) if k else "" for k in row] for row in grid.keys]


def apply_grid(report: Report, grid: Grid, values: list[list[str]]) -> bool:
    """Read an edited grid back into the report; typed text that is no number is kept in raw_cells.

    Returns True when anything changed. The derived cells of the table are cleared so that fill recomputes
    them from what the clerk typed (an imported total is kept until the clerk edits that table).
    """
    before = grid_values(report, grid)
    if before == values:
        return False
    for r, row in enumerate(grid.keys):
        for c, key in enumerate(row):
            if not key or not grid.editable[c] or values[r][c] == before[r][c]:
                continue
            text = values[r][c] or ""
            report.raw_cells.pop(key, None)
            if key == layout.FEE_CELL:
                amount, raw = parse_amount(text)
                report.fee_amount_wan = amount
            else:
                count, raw = parse_count(text)
                report.cells[key] = count
            if raw is not None:
                report.raw_cells[key] = raw
    # Cells the grid shows but the clerk cannot type are recomputed by fill from what was typed.
    computed = {k for row in grid.keys for c, k in enumerate(row) if k and not grid.editable[c]}
    if grid is T3_GRID:
        computed |= set(T3_RESULT_GRID.cell_keys())
    for key in computed & layout.DERIVED_CELLS:
        report.cells[key] = None
    return True


def zero_blank_cells(report: Report, table: str) -> int:
    """本表其余填 0: every typed cell of table 二, 三 or 四 still blank becomes 0; returns how many.

    Figures and text already there are kept, and derived cells stay blank so that fill computes them (四、结转
    included): a body with nothing to report says so in one click instead of typing 0 a hundred times.
    """
    blanks = blank_typed_cells(report, table)
    for key in blanks:
        if key == layout.FEE_CELL:
            report.fee_amount_wan = Decimal(0)
        else:
            report.cells[key] = 0
    return len(blanks)


class RequestsReported(ValueError):
    """Table 三 already states applications: “本年度未收到申请” would contradict it."""


def no_requests(report: Report) -> int:
    """本年度未收到政府信息公开申请: table 三's blank typed cells become 0; returns how many were filled.

    Refused (RequestsReported) when 一、本年新收 already holds a figure other than 0 or text. Figures already
    there, such as 二、上年结转 carried from last year, are kept; 四、结转 is then computed from them.
    """
    new_row = [f"t3.new.{c}" for c in layout.T3_APPLICANT_COLUMNS]
    stated = [k for k in new_row if report.cells[k] or k in report.raw_cells]
    if stated:
        said = "、".join(
            f"{layout.describe_cell(k).removeprefix('表三 ')}为“{report.raw_cells.get(k, report.cells[k])}”"
            for k in stated[:3]
        )
        raise RequestsReported(f"表三已填写{said}，与“本年度未收到申请”不符；请先核对这些单元格")
    return zero_blank_cells(report, "三")
