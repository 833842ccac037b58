"""The three tables as editable grids of text: rows, columns, which cells the clerk types, and reading edits back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from assistant.checks.blanks import blank_typed_cells
from assistant.checks.fill import fill_cells
from assistant.format import layout
from assistant.format.models import Report
from assistant.importers.cells import is_value_cell, parse_amount, parse_count


@dataclass(frozen=True)
class Grid:
    """One editable grid: row labels, column labels, and the cell key at each place (None: no cell there)."""

    name: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    keys: tuple[tuple[str | None, ...], ...]
    editable: tuple[bool, ...]  # per column
    locked: frozenset[int] = field(default_factory=frozenset)  # rows computed whole (（七）总计)
    short_rows: tuple[str, ...] = ()  # names short enough for a small screen; the full one shows on hover
    short_columns: tuple[str, ...] = ()
    row_notes: tuple[str, ...] = ()  # what each row counts, one line

    def cell_keys(self) -> list[str]:
        return [k for row in self.keys for k in row if k]

    def typed(self, row: int, column: int) -> bool:
        """Whether the clerk types this cell (else it is computed, or there is no cell)."""
        return bool(self.keys[row][column]) and self.editable[column] and row not in self.locked


def _t2_block(index: int, name: str) -> Grid:
    block = layout.T2_BLOCKS[index]
    return Grid(
        name,
        tuple(label for _, label in block.rows),
        tuple(label for _, label in block.columns),
        tuple(tuple(layout.t2(r, c) for c, _ in block.columns) for r, _ in block.rows),
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
        layout.t3_row_words(r.key)
        for r in _T3_INPUT_ROWS
    ),
    tuple(label for _, label in layout.T3_COLUMNS),
    tuple(layout.t3_row(r.key) for r in _T3_INPUT_ROWS),
    tuple(c != "total" for c, _ in layout.T3_COLUMNS),
)
T3_RESULT_GRID = Grid(
    "表三（计算）",
    ("（七）总计",),
    T3_GRID.columns,
    (layout.t3_row("r7"),),
    tuple(False for _ in layout.T3_COLUMNS),
)
# Table 三 as printed: every row in the form's order, （七）总计 computed in its place.
T3_FORM = Grid(
    "表三",
    tuple(
        layout.t3_row_words(r.key)
        for r in layout.T3_ROWS
    ),
    T3_GRID.columns,
    tuple(layout.t3_row(r.key) for r in layout.T3_ROWS),
    T3_GRID.editable,
    frozenset(n for n, r in enumerate(layout.T3_ROWS) if r.key == "r7"),
    tuple(layout.T3_ROW_SHORT[r.key] for r in layout.T3_ROWS),
    tuple(layout.T3_COLUMN_SHORT[c] for c, _ in layout.T3_COLUMNS),
    tuple(layout.T3_ROW_NOTES[r.key] for r in layout.T3_ROWS),
)
T4_GRID = Grid(
    "表四",
    tuple(label for _, label in layout.T4_GROUPS),
    tuple(label for _, label in layout.T4_COLUMNS),
    tuple(layout.t4_group(g) for g, _ in layout.T4_GROUPS),
    tuple(c != "total" for c, _ in layout.T4_COLUMNS),
    short_columns=tuple(layout.T4_COLUMN_SHORT[c] for c, _ in layout.T4_COLUMNS),
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


def grid_inputs(report: Report, grid: Grid) -> list[list[str]]:
    """The cells the clerk types, as typed (nothing computed: a blank 四、结转 stays blank); computed cells empty."""
    return [
        [shown_value(report, k, report.cells) if k and grid.typed(r, c) else "" for c, k in enumerate(row)]
        for r, row in enumerate(grid.keys)
    ]


def write_cell(report: Report, key: str, text: str) -> None:
    """Put what the clerk typed into a cell: a number, a blank, or text that is no number (kept, and flagged)."""
    report.raw_cells.pop(key, None)
    if key == layout.FEE_CELL:
        amount, raw = parse_amount(text)
        report.fee_amount_wan = amount
    else:
        count, raw = parse_count(text)
        report.cells[key] = count
    if raw is not None:
        report.raw_cells[key] = raw


def _clear_computed(report: Report, grid: Grid) -> None:
    # Cells the grid shows but the clerk cannot type are recomputed by fill from what was typed.
    computed = {k for r, row in enumerate(grid.keys) for c, k in enumerate(row) if k and not grid.typed(r, c)}
    if grid.name == T3_GRID.name:
        computed |= set(T3_RESULT_GRID.cell_keys())
    for key in computed & layout.DERIVED_CELLS:
        report.cells[key] = None


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
            if not key or not grid.typed(r, c) or values[r][c] == before[r][c]:
                continue
            write_cell(report, key, values[r][c] or "")
    _clear_computed(report, grid)
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
    new_row = list(layout.t3_row("new", layout.T3_APPLICANT_COLUMNS))
    stated = [k for k in new_row if report.cells[k] or k in report.raw_cells]
    if stated:
        said = "、".join(
            f"{layout.cell_in_table(k)}为“{report.raw_cells.get(k, report.cells[k])}”"
            for k in stated[:3]
        )
        raise RequestsReported(f"表三已填写{said}，与“本年度未收到申请”不符；请先核对这些单元格")
    return zero_blank_cells(report, "三")


class Saving(Protocol):
    """What commit_edit needs of the store: apply a change to the latest saved report, atomically."""

    def update(self, report_id: int, change: Callable[[Report], object]) -> Report | None: ...


@dataclass(frozen=True)
class Commit:
    """What an edit of a grid did: the typed cells as saved now, the cells it wrote, and cells changed elsewhere."""

    saved: list[list[str]]  # as grid_inputs
    written: tuple[str, ...]
    elsewhere: tuple[tuple[str, str, str], ...]  # (cell key, figure drawn here, figure saved by another tab)


def edited_cells(
    grid: Grid, drawn: Sequence[Sequence[str]], shown: Sequence[Sequence[str | None]]
) -> dict[tuple[int, int], str]:
    """The cells the clerk changed: shown now in the grid, different from what the page drew there.

    Compared cell by cell against the drawn figures, not against a list of edits, so a return to an earlier value
    or a cleared cell is a change like any other. A cleared cell may come back as None: it is blank.
    """
    changes: dict[tuple[int, int], str] = {}
    for r, row in enumerate(grid.keys):
        for c in range(len(row)):
            if not grid.typed(r, c):
                continue
            value = shown[r][c] if r < len(shown) and c < len(shown[r]) else None
            text = "" if value is None else str(value).strip()
            if text != drawn[r][c]:
                changes[(r, c)] = text
    return changes


def commit_edit(
    store: Saving,
    report_id: int,
    grid: Grid,
    drawn: Sequence[Sequence[str]],
    shown: Sequence[Sequence[str | None]],
) -> Commit | None:
    """Save what the grid shows, cell by cell, onto the latest saved report; None when the report is gone.

    `drawn` is what the page gave the grid and `shown` what the grid holds now, both as grid_inputs (typed cells).

    Only the cells the clerk changed are written, so a figure another tab saved meanwhile is not overwritten: it is
    returned in `elsewhere`, for the page to say so and show it.
    """
    changes = edited_cells(grid, drawn, shown)
    elsewhere: list[tuple[str, str, str]] = []

    def change(report: Report) -> None:
        latest = grid_inputs(report, grid)
        elsewhere.clear()
        for r, row in enumerate(grid.keys):
            for c, key in enumerate(row):
                if key and grid.typed(r, c) and (r, c) not in changes and latest[r][c] != drawn[r][c]:
                    elsewhere.append((key, drawn[r][c], latest[r][c]))
        for (r, c), text in changes.items():
            key = grid.keys[r][c]
            if key and text != latest[r][c]:
                write_cell(report, key, text)
        if changes:
            _clear_computed(report, grid)

    saved = store.update(report_id, change)
    if saved is None:
        return None
    written = tuple(k for (r, c) in changes if (k := grid.keys[r][c]))
    return Commit(grid_inputs(saved, grid), written, tuple(elsewhere))


@dataclass(frozen=True)
class Paste:
    """A block pasted from Excel or WPS, placed on a grid: the grid's new cells and what went where, or why not."""

    values: list[list[str]] | None  # None: the block does not fit, nothing is changed
    message: str


def _labels_of(grid: Grid, r: int) -> tuple[str, ...]:
    """The words a pasted row label may carry for grid row r: the full name, the short one, the printed label."""
    names = [grid.rows[r], *(grid.short_rows[r : r + 1] if grid.short_rows else ())]
    key = grid.keys[r][0] or ""
    if layout.cell_table(key) == "三":
        row = layout.T3_ROW_BY_KEY[layout.cell_row(key)]
        names += [row.label, *row.keywords]
    return tuple(n.replace(" ", "") for n in names if n)


def _match_row(grid: Grid, label: str, after: int) -> int | None:
    """The grid row a pasted label names, preferring the first one below the previous pasted row."""
    text = label.replace(" ", "")
    found = [
        r for r in range(len(grid.keys)) if any(n and (n in text or text in n) for n in _labels_of(grid, r))
    ]
    if not found:
        return None
    # The most specific name wins ("1.属于国家秘密" over "（三）不予公开"); ties go to the row after the last one.
    best = max(max(len(n) for n in _labels_of(grid, r) if n in text or text in n) for r in found)
    found = [r for r in found if max(len(n) for n in _labels_of(grid, r) if n in text or text in n) == best]
    return next((r for r in found if r > after), found[0])


def paste_block(grid: Grid, current: Sequence[Sequence[str]], text: str, start: int = 0) -> Paste:
    """Place a tab-separated block (rows of cells, optionally led by row labels) on the grid from row `start`.

    Rows with labels go to the row they name; rows without follow the previous one. Header rows (labels only) are
    skipped. A block that does not fit (more rows or columns than the grid, a label naming no row) changes nothing.
    """
    reader = csv.reader(io.StringIO(text.strip("\r\n")), delimiter="\t")
    rows = [[cell.strip() for cell in row] for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return Paste(None, "没有可粘贴的内容：请先在 Excel 或 WPS 里选中单元格并复制。")

    def numeric(cell: str) -> bool:
        return bool(cell) and is_value_cell(cell)

    def label_end(row: list[str]) -> int:
        """Where a row's labels end: after the last text before the first number (merged cells copy as blanks)."""
        end = 0
        for n, cell in enumerate(row):
            if numeric(cell):
                break
            if cell:
                end = n + 1
        else:
            end = common  # no number in the row: take the block's usual label width
        # Blank cells after the labels that would make the row wider than the grid are the labels' merged cells.
        extra = len(row) - end - len(grid.columns)
        if extra > 0 and not any(row[end : end + extra]):
            end += extra
        return min(end, len(row))

    first = next((n for n, row in enumerate(rows) if any(numeric(cell) for cell in row)), None)
    if first is None:
        return Paste(None, "粘贴的内容里只有文字，没有数字。")
    data = rows[first:]  # rows of labels only above the first number are the header
    common = 0  # label_end reads it only for rows without a number, and none is measured here
    widths = [label_end(row) for row in data if any(numeric(cell) for cell in row)]
    common = max(set(widths), key=widths.count)
    values = [list(row) for row in current]
    placed: list[str] = []
    target = start - 1
    for n, row in enumerate(data, 1):
        end = label_end(row)
        if end < common and not any(numeric(cell) for cell in row[:common]):
            end = common  # the row's labels are blank: merged with the rows above
        label = "".join(row[:end])
        cells = row[end:]
        while len(cells) > len(grid.columns) and not cells[-1]:
            cells.pop()  # Excel adds empty cells at the end of a row
        if label:
            matched = _match_row(grid, label, target)
            if matched is None:
                return Paste(None, f"粘贴的第 {n} 行“{label}”对不上表格中的任何一行，没有填入任何数字。")
            target = matched
        else:
            target += 1
        if target >= len(grid.keys):
            return Paste(
                None,
                f"粘贴的内容有 {len(data)} 行，超出了表格（到第 {n} 行已没有对应的行），没有填入任何数字。",
            )
        if len(cells) > len(grid.columns):
            return Paste(
                None,
                f"粘贴的第 {n} 行有 {len(cells)} 个格子，表格只有 {len(grid.columns)} 列，没有填入任何数字。",
            )
        for c, cell in enumerate(cells):
            if grid.typed(target, c):
                values[target][c] = cell
                placed.append(grid.keys[target][c] or "")
    if not placed:
        return Paste(None, "粘贴的内容只落在自动计算的格子上，没有填入任何数字。")
    note = f"已填入 {len(placed)} 格：从“{layout.describe_cell(placed[0])}”到“{layout.describe_cell(placed[-1])}”。"
    if first:
        note += f"跳过了 {first} 行表头。"
    return Paste(values, note)
