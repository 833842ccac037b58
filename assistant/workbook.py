"""The roll-up as an .xlsx workbook for the office: a sheet per table with a row per body, findings, who is missing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assistant.checks.findings import RULE_IDS, describe
from assistant.format import layout
from assistant.rollup import Rollup, rule_counts

_ERROR = PatternFill("solid", fgColor="F8CBAD")
_WARNING = PatternFill("solid", fgColor="FFE699")
_BLANK = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_SEVERITY_WORDS = {"error": "错误", "warning": "警告", "cannot-check": "无法核对"}
_TABLES = (("表二", "t2."), ("表三", "t3."), ("表四", "t4."))


def _header(sheet: Any, titles: list[str], widths: dict[int, int] | None = None) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2" if len(titles) > 2 else "A2"
    for column, width in (widths or {}).items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def _value(rollup: Rollup, key: str, index: int) -> int | float | None:
    report = rollup.bodies[index].imported.report
    value = report.fee_amount_wan if key == layout.FEE_CELL else report.cells[key]
    return float(value) if isinstance(value, Decimal) else value


def _overview(book: Workbook, rollup: Rollup) -> None:
    sheet = book.active
    sheet.title = "汇总"
    rules = [r for r in RULE_IDS if any(r in rule_counts(b.findings) for b in rollup.bodies)]
    _header(sheet, ["文件", "机关", "错误", "警告", *rules], {1: 36, 2: 28})
    for body in rollup.bodies:
        counts = rule_counts(body.findings)
        errors = sum(c["error"] for c in counts.values())
        warnings = sum(c["warning"] for c in counts.values())
        row = [body.file, body.agency, errors, warnings]
        row += [(counts[r]["error"] + counts[r]["warning"]) if r in counts else None for r in rules]
        sheet.append(row)
        for rule, cell in zip(rules, sheet[sheet.max_row][4:], strict=True):
            if rule in counts:
                cell.fill = _ERROR if counts[rule]["error"] else _WARNING
        if errors:
            sheet.cell(sheet.max_row, 3).fill = _ERROR
        if warnings:
            sheet.cell(sheet.max_row, 4).fill = _WARNING


def _table(book: Workbook, rollup: Rollup, title: str, prefix: str) -> None:
    sheet = book.create_sheet(title)
    keys = [k for k in rollup.cells if k.startswith(prefix)]
    _header(sheet, ["文件", "机关", *(describe(k).removeprefix(title + " ") for k in keys)], {1: 36, 2: 28})
    for index, body in enumerate(rollup.bodies):
        sheet.append([body.file, body.agency, *(_value(rollup, k, index) for k in keys)])
        for cell in sheet[sheet.max_row][2:]:
            if cell.value is None:
                cell.fill = _BLANK
    sums = [rollup.cells[k] for k in keys]
    sheet.append(
        [
            "合计",
            f"{len(rollup.bodies)} 个机关",
            *(float(s.total) if isinstance(s.total, Decimal) else s.total for s in sums),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
    sheet.append(["空白", "（未计入合计的机关数）", *(len(s.blank) or None for s in sums)])


def _findings(book: Workbook, rollup: Rollup) -> None:
    sheet = book.create_sheet("检查结果")
    _header(sheet, ["文件", "机关", "规则", "严重程度", "单元格", "说明"], {1: 36, 2: 28, 5: 30, 6: 90})
    for body in rollup.bodies:
        for f in body.findings:
            sheet.append(
                [
                    body.file,
                    body.agency,
                    f.rule,
                    _SEVERITY_WORDS[f.severity],
                    "；".join(describe(c) for c in f.cells),
                    f.message,
                ]
            )
            fill = {"error": _ERROR, "warning": _WARNING}.get(f.severity)
            if fill is not None:
                sheet.cell(sheet.max_row, 4).fill = fill


def _gaps(book: Workbook, rollup: Rollup) -> None:
    sheet = book.create_sheet("缺报与其他")
    _header(sheet, ["情况", "机关", "文件", "说明"], {1: 16, 2: 28, 3: 36, 4: 60})
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
    book = Workbook()
    _overview(book, rollup)
    for title, prefix in _TABLES:
        _table(book, rollup, title, prefix)
    _findings(book, rollup)
    _gaps(book, rollup)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
