"""Fill the derived cells of tables 三 and 四 where they are blank; typed values are kept for verify."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.format import layout
from assistant.format.models import Report

Cells = dict[str, int | None]

_T3_ROWS = tuple(r.key for r in layout.T3_ROWS)
_T3_COLS = tuple(k for k, _ in layout.T3_COLUMNS)


def sum_or_none(values: Sequence[int | None]) -> int | None:
    """The sum, or None when any value is blank (blank is never 0): the one sum every rule and fill use."""
    return None if None in values else sum(values)  # type: ignore[arg-type]


def _sum_known(cells: Cells, keys: Iterable[str]) -> int | None:
    return sum_or_none([cells[key] for key in keys])


def _set_if_blank(cells: Cells, key: str, value: int | None) -> None:
    if cells[key] is None and value is not None:
        cells[key] = value


def _fill_carried_out(cells: Cells, col: str) -> None:
    """四、结转下年度 = 一 + 二 − （七）, where the clerk left it blank."""
    received = _sum_known(cells, (layout.t3("new", col), layout.t3("carried_in", col)))
    done = cells[layout.t3("r7", col)]
    if received is not None and done is not None:
        # A negative result is kept on purpose: the CELL rule then tells the clerk which input is too large.
        _set_if_blank(cells, layout.t3("carried_out", col), received - done)


def fill_cells(cells: Cells) -> Cells:
    """A copy of the cells with every blank derived cell computed where its inputs are known."""
    out = dict(cells)
    for row in _T3_ROWS:
        if row not in ("r7", "carried_out"):
            _set_if_blank(
                out,
                layout.t3(row, "total"),
                _sum_known(out, layout.t3_row(row, layout.T3_APPLICANT_COLUMNS)),
            )
    for col in _T3_COLS:
        _set_if_blank(
            out, layout.t3("r7", col), _sum_known(out, layout.t3_column(col, layout.T3_RESULT_ROWS))
        )
    for col in layout.T3_APPLICANT_COLUMNS:
        _fill_carried_out(out, col)
    for row in ("r7", "carried_out"):
        _set_if_blank(
            out, layout.t3(row, "total"), _sum_known(out, layout.t3_row(row, layout.T3_APPLICANT_COLUMNS))
        )
    _fill_carried_out(out, "total")  # only where a column was unknown but the totals are known
    for group, _ in layout.T4_GROUPS:
        _set_if_blank(
            out, layout.t4(group, "total"), _sum_known(out, layout.t4_group(group, layout.T4_PARTS))
        )
    return out


def clear_derived(cells: Cells) -> Cells:
    """A copy of the cells with every derived cell blank, so that fill recomputes them from the inputs."""
    return {k: (None if k in layout.DERIVED_CELLS else v) for k, v in cells.items()}


def fill(report: Report) -> Report:
    """A copy of the report with its derived cells filled (总计, （七）总计, 四、结转, 表四 总计)."""
    return report.model_copy(update={"cells": fill_cells(report.cells)})
