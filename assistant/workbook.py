"""The roll-up as an .xlsx workbook for the office: a sheet per table with a row per body, findings, who is missing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assistant.checks.findings import describe
from assistant.checks.rules import RULE_IDS
from assistant.format import layout
from assistant.rollup import Rollup, rule_counts

_ERROR = PatternFill("solid", fgColor="F8CBAD")
_WARNING = PatternFill("solid", fgColor="FFE699")
_BLANK = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_SEVERITY_WORDS = {"error": "错误", "warning": "警告", "cannot-check": "无法核对"}
_TABLES = ("二", "三", "四")


def _sheet(book: Workbook, title: str, titles: list[str], widths: dict[int, int]) -> Any:
    """A write-only sheet with its bold header row (write-only: 500 bodies × 182 cells of 表三 in a second)."""
    sheet = book.create_sheet(title)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C2" if len(titles) > 4 else "A2"
    header = []
    for text in titles:
        cell = WriteOnlyCell(sheet, text)
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    return sheet


def _cell(sheet: Any, value: Any, fill: PatternFill | None = None, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    if fill is not None:
        cell.fill = fill
    if bold:
        cell.font = _BOLD
    return cell


def _number(value: int | Decimal | None) -> int | float | None:
    return float(value) if isinstance(value, Decimal) else value


def _overview(book: Workbook, rollup: Rollup) -> None:
    rules = [r for r in RULE_IDS if any(r in rule_counts(b.findings) for b in rollup.bodies)]
    sheet = _sheet(book, "汇总", ["文件", "机关", "错误", "警告", *rules], {1: 36, 2: 28})
    for body in rollup.bodies:
        counts = rule_counts(body.findings)
        errors = sum(c["error"] for c in counts.values())
        warnings = sum(c["warning"] for c in counts.values())
        row = [body.file, body.agency, _cell(sheet, errors, _ERROR if errors else None)]
        row.append(_cell(sheet, warnings, _WARNING if warnings else None))
        for rule in rules:
            if rule in counts:
                fill = _ERROR if counts[rule]["error"] else _WARNING
                row.append(_cell(sheet, counts[rule]["error"] + counts[rule]["warning"], fill))
            else:
                row.append(None)
        sheet.append(row)


def _table(book: Workbook, rollup: Rollup, table: str) -> None:
    title = "表" + table
    keys = [k for k in rollup.cells if layout.cell_table(k) == table]
    titles = ["文件", "机关", *(layout.cell_in_table(k) for k in keys)]
    sheet = _sheet(book, title, titles, {1: 36, 2: 28})
    for body in rollup.bodies:
        report = body.filled or body.imported.report
        values = [report.fee_amount_wan if k == layout.FEE_CELL else report.cells[k] for k in keys]
        sheet.append(
            [
                body.file,
                body.agency,
                *(_cell(sheet, None, _BLANK) if v is None else _number(v) for v in values),
            ]
        )
    sums = [rollup.cells[k] for k in keys]
    total = f"{len(rollup.bodies)} 个机关"
    sheet.append(
        [_cell(sheet, "合计", bold=True), total, *(_cell(sheet, _number(s.total), bold=True) for s in sums)]
    )
    sheet.append(["空白", "（未计入合计的机关数）", *(len(s.blank) or None for s in sums)])


def _findings(book: Workbook, rollup: Rollup) -> None:
    titles = ["文件", "机关", "规则", "严重程度", "单元格", "说明"]
    sheet = _sheet(book, "检查结果", titles, {1: 36, 2: 28, 5: 30, 6: 90})
    for body in rollup.bodies:
        for f in body.findings:
            fill = {"error": _ERROR, "warning": _WARNING}.get(f.severity)
            cells = "；".join(describe(c) for c in f.cells)
            sheet.append(
                [
                    body.file,
                    body.agency,
                    f.rule,
                    _cell(sheet, _SEVERITY_WORDS[f.severity], fill),
                    cells,
                    f.message,
                ]
            )


def _gaps(book: Workbook, rollup: Rollup) -> None:
    sheet = _sheet(book, "缺报与其他", ["情况", "机关", "文件", "说明"], {1: 16, 2: 28, 3: 36, 4: 60})
    for name in rollup.missing:
        sheet.append(["未报送", name, "", f"名单上有，没有找到{rollup.year}年度报告"])
    for body in rollup.not_on_roster:
        sheet.append(["不在名单", body.agency, body.file, "已计入合计，请核对名单"])
    for body in rollup.other_year:
        sheet.append(
            [
                "其他年度",
                body.agency,
                body.file,
                f"{body.imported.report.year}年度报告，未计入{rollup.year}年合计",
            ]
        )
    for kept, left in rollup.duplicates:
        sheet.append(["重复", left.agency, left.file, f"同一机关的报告已有 {kept.file}，这一份未计入合计"])
    for file, error in rollup.unreadable:
        sheet.append(["无法读取", "", file, error])


def rollup_workbook(rollup: Rollup) -> bytes:
    """The workbook: 汇总, 表二, 表三, 表四, 检查结果, 缺报与其他."""
    book = Workbook(write_only=True)
    _overview(book, rollup)
    for table in _TABLES:
        _table(book, rollup, table)
    _findings(book, rollup)
    _gaps(book, rollup)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
