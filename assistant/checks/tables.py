"""The table rules of DESIGN §2: CELL, T3-ROW, T3-RESULT, T3-BALANCE and T4-SUM; and T2-VALID."""

from __future__ import annotations

from operator import add, itemgetter
from typing import Any

from assistant.checks.fill import sum_or_none
from assistant.checks.findings import Finding, describe
from assistant.format import layout
from assistant.format.models import Report, raw_problem

Cells = dict[str, int | None]
_COL_LABEL = dict(layout.T3_COLUMNS)

# Precomputed key lists: verify runs tens of thousands of times a second in batch checks.
_T3_ROW_KEYS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (r.key, layout.t3(r.key, "total"), layout.t3_row(r.key, layout.T3_APPLICANT_COLUMNS))
    for r in layout.T3_ROWS
)
_T3_RESULT_KEYS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (c, layout.t3("r7", c), layout.t3_column(c, layout.T3_RESULT_ROWS)) for c, _ in layout.T3_COLUMNS
)
_T3_BALANCE_KEYS: tuple[tuple[str, str, str, str, str], ...] = tuple(
    (c, layout.t3("new", c), layout.t3("carried_in", c), layout.t3("r7", c), layout.t3("carried_out", c))
    for c, _ in layout.T3_COLUMNS
)
_T4_KEYS: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (g, layout.t4(g, "total"), layout.t4_group(g, layout.T4_PARTS)) for g, _ in layout.T4_GROUPS
)


def _blank(rule: str, keys: tuple[str, ...], cells: Cells, what: str) -> Finding:
    blanks = tuple(k for k in keys if cells[k] is None)
    words = "、".join(describe(k) for k in blanks[:3]) + ("等" if len(blanks) > 3 else "")
    return Finding(rule, "cannot-check", blanks, f"{what}：{words}为空白，无法核对")


_T3_KEYS: tuple[str, ...] = tuple(k for r in layout.T3_ROWS for k in layout.t3_row(r.key))
_T3_GET = itemgetter(*_T3_KEYS)
_WIDTH = len(layout.T3_COLUMNS)
_RESULT_INDEXES = tuple(i for i, r in enumerate(layout.T3_ROWS) if r.key in layout.T3_RESULT_ROWS)
_R7_INDEX = next(i for i, r in enumerate(layout.T3_ROWS) if r.key == "r7")
# The result rows are contiguous in the layout, so their cells are one slice of the flat value tuple.
assert tuple(range(_RESULT_INDEXES[0], _RESULT_INDEXES[-1] + 1)) == _RESULT_INDEXES
_RESULT_SLICE = slice(_RESULT_INDEXES[0] * _WIDTH, (_RESULT_INDEXES[-1] + 1) * _WIDTH)
_R7_SLICE = slice(_R7_INDEX * _WIDTH, (_R7_INDEX + 1) * _WIDTH)


def _t3_sums_hold(cells: Cells) -> bool:
    """The fast branch of T3-ROW and T3-RESULT: True when no cell is blank and every total adds up.

    Written with map/slices so that the loops run in C: batch checks verify tens of thousands of reports.
    """
    values = _T3_GET(cells)
    if None in values:
        return False
    rows = zip(*[iter(values)] * _WIDTH, strict=True)
    totals = values[_WIDTH - 1 :: _WIDTH]
    # A row holds when the sum of all seven cells is twice its 总计.
    if list(map(sum, rows)) != list(map(add, totals, totals)):
        return False
    results = values[_RESULT_SLICE]
    return [sum(results[c::_WIDTH]) for c in range(_WIDTH)] == list(values[_R7_SLICE])


def check_t3_sums(cells: Cells, out: list[Finding]) -> None:
    """T3-ROW (a row's 总计 is its six applicants' sum) and T3-RESULT (（七）总计 is the results' sum).

    One check, two branches: the fast one proves in C that every sum holds, the usual case of a batch; only
    when it cannot does the detailed one find which totals differ or are blank, cell by cell.
    """
    if _t3_sums_hold(cells):
        return
    _sums_findings(cells, "T3-ROW", _T3_ROW_KEYS, out)
    _sums_findings(cells, "T3-RESULT", _T3_RESULT_KEYS, out)


def _sums_findings(
    cells: Cells, rule: str, groups: tuple[tuple[str, str, tuple[str, ...]], ...], out: list[Finding]
) -> None:
    """The detailed branch: a finding for each total that differs from the sum of its parts or cannot be checked."""
    for name, total_key, parts in groups:
        total = cells[total_key]
        acc = sum_or_none([cells[k] for k in parts])
        if acc is None or total is None:
            if any(cells[k] is not None for k in (*parts, total_key)):
                what = (
                    f"表三“{layout.t3_row_words(name)}”行"
                    if rule == "T3-ROW"
                    else f"表三{_COL_LABEL[name]}列办理结果"
                )
                out.append(_blank(rule, (*parts, total_key), cells, what))
        elif acc != total:
            if rule == "T3-ROW":
                message = f"表三“{layout.t3_row_words(name)}”行：总计（{total}）应等于六类申请人之和（{acc}）"
            else:
                message = f"表三{_COL_LABEL[name]}列：（七）总计（{total}）应等于（一）至（六）各项办理结果之和（{acc}）"
            out.append(Finding(rule, "error", (total_key, *parts), message, acc, total))


def check_t3_balance(cells: Cells, out: list[Finding]) -> None:
    """T3-BALANCE: per column, 一 + 二 equals （七）总计 + 四、结转."""
    for col, new, carried_in, done, carried_out in _T3_BALANCE_KEYS:
        a, b, c, d = cells[new], cells[carried_in], cells[done], cells[carried_out]
        if a is None or b is None or c is None or d is None:
            if not (a is None and b is None and c is None and d is None):
                out.append(
                    _blank(
                        "T3-BALANCE",
                        (new, carried_in, done, carried_out),
                        cells,
                        f"表三{_COL_LABEL[col]}列勾稽关系",
                    )
                )
            continue
        if a + b != c + d:
            out.append(
                Finding(
                    "T3-BALANCE",
                    "error",
                    (new, carried_in, done, carried_out),
                    f"表三{_COL_LABEL[col]}列：第一项加第二项之和（{a + b}）应等于第三项加第四项之和（{c + d}）",
                    a + b,
                    c + d,
                )
            )


def check_t4(cells: Cells, out: list[Finding]) -> None:
    """T4-SUM: each group's 总计 is the sum of its four results."""
    for group, total_key, parts in _T4_KEYS:
        values = [cells[k] for k in parts]
        total = cells[total_key]
        if total is None or None in values:
            if total is not None or any(v is not None for v in values):
                out.append(
                    _blank("T4-SUM", (*parts, total_key), cells, f"表四{layout.T4_GROUP_SHORT[group]}")
                )
            continue
        acc = sum(v for v in values if v is not None)
        if acc != total:
            out.append(
                Finding(
                    "T4-SUM",
                    "error",
                    (total_key, *parts),
                    f"表四{layout.T4_GROUP_SHORT[group]}：总计（{total}）应等于结果维持、结果纠正、其他结果、尚未审结之和（{acc}）",
                    acc,
                    total,
                )
            )


_T2_VALID_KEYS: tuple[tuple[str, str, str, str], ...] = tuple(
    (label, layout.t2(row, "issued"), layout.t2(row, "repealed"), layout.t2(row, "valid"))
    for row, label in layout.T2_BLOCKS[0].rows
)


def check_t2_valid(cells: Cells, out: list[Finding]) -> None:
    """T2-VALID: 现行有效 is at least this year's 制发 less this year's 废止: a document made this year and not
    repealed is still in force. (Against last year's report YOY-VALID checks the exact figure.)"""
    for label, issued_key, repealed_key, valid_key in _T2_VALID_KEYS:
        issued, repealed, valid = cells[issued_key], cells[repealed_key], cells[valid_key]
        if issued is None or repealed is None or valid is None:
            continue  # a blank is said by BLANK or the import's notes
        if valid < issued - repealed:
            out.append(
                Finding(
                    "T2-VALID",
                    "warning",
                    (valid_key, issued_key, repealed_key),
                    f"表二{label}：现行有效件数（{valid}）少于本年制发减本年废止（{issued - repealed}），"
                    "本年制发而未废止的文件应计入现行有效，请核对",
                )  # no expected figure: the difference is a lower bound, not the value
            )


def check_cells(report: Report, out: list[Finding]) -> None:
    """CELL: every count is a non-negative whole number, every amount non-negative, no text left in a cell."""
    values: list[Any] = list(report.cells.values())
    if None in values:
        values = [v for v in values if v is not None]
    # Fast path in C for the usual case, all non-negative ints; the exact type matters: a bool is an int to
    # sum() and min(), and True must not pass as a count of 1. Only otherwise does the per-cell loop run.
    clean = set(map(type, values)) <= {int} and (not values or min(values) >= 0)
    if not clean:
        for key, value in report.cells.items():
            if value is not None and (type(value) is not int or value < 0):
                out.append(
                    Finding(
                        "CELL",
                        "error",
                        (key,),
                        f"{describe(key)}：件数应为不小于0的整数，现为 {value}",
                        None,
                        value,
                    )
                )
    for key, raw in report.raw_cells.items():
        out.append(Finding("CELL", "error", (key,), f"{describe(key)}：{raw_problem(key, raw)}", None, raw))
    for key, amount in (
        (layout.FEE_CELL, report.fee_amount_wan),
        ("report.info_fee_yuan", report.info_fee_yuan),
    ):
        if amount is not None and amount < 0:
            out.append(
                Finding(
                    "CELL", "error", (key,), f"{describe(key)}：金额不能为负数，现为 {amount}", None, amount
                )
            )
