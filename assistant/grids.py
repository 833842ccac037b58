"""The three tables as editable grids of text: rows, columns, which cells the clerk types, and reading edits back."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def zero_inputs(report: Report) -> None:
    """A new report's form: every cell the clerk types starts at 0 (visible, to be overwritten), totals computed."""
    typed = {
        k
        for grid in (*T2_GRIDS, T3_GRID, T4_GRID)
        for row in grid.keys
        for c, k in enumerate(row)
        if k and grid.editable[c]
    }
    for key in typed:
        if key != layout.FEE_CELL and report.cells.get(key) is None:
            report.cells[key] = 0
    if report.fee_amount_wan is None:
        report.fee_amount_wan = Decimal(0)
