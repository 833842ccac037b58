"""The consistency rules of DESIGN §2: `verify(report, previous)` returns findings that point at cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import add, itemgetter
from typing import Any

from assistant.checks.assessment import check_assessment
from assistant.checks.blanks import check_blank
from assistant.checks.facts import build_ledger, table_summary
from assistant.checks.fill import sum_or_none
from assistant.checks.findings import RULE_IDS, Finding, Severity, describe
from assistant.checks.guard import check_number_guard, check_text_table
from assistant.checks.placeholders import check_placeholders, find_placeholders, without_placeholders
from assistant.format import layout
from assistant.format.models import Report, raw_problem

__all__ = ["RULE_IDS", "Finding", "Severity", "describe", "verify"]

Cells = dict[str, int | None]
_COL_LABEL = dict(layout.T3_COLUMNS)
_T4_COL_LABEL = dict(layout.T4_COLUMNS)

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
    """Fast path for T3-ROW and T3-RESULT: True when no cell is blank and every total adds up.

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


def _check_sums(
    cells: Cells, rule: str, groups: tuple[tuple[str, str, tuple[str, ...]], ...], out: list[Finding]
) -> None:
    """One check for T3-ROW and T3-RESULT: a total cell equals the sum of its parts."""
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


def _check_t3_balance(cells: Cells, out: list[Finding]) -> None:
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


def _check_t4(cells: Cells, out: list[Finding]) -> None:
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


def _check_cells(report: Report, out: list[Finding]) -> None:
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


def _consecutive(report: Report, previous: Report, rule: str, out: list[Finding]) -> bool:
    if previous.year == report.year - 1:
        return True
    out.append(
        Finding(
            rule,
            "cannot-check",
            (),
            f"上年报告是{previous.year}年的，本报告是{report.year}年的，年份不相连，无法核对",
            report.year - 1,
            previous.year,
        )
    )
    return False


def _check_yoy(report: Report, previous: Report, out: list[Finding]) -> None:
    if not _consecutive(report, previous, "YOY-CARRY", out):
        return
    for col, label in layout.T3_COLUMNS:
        now_key, prev_key = layout.t3("carried_in", col), layout.t3("carried_out", col)
        now, before = report.cells[now_key], previous.cells[prev_key]
        if now is None or before is None:
            out.append(
                Finding(
                    "YOY-CARRY",
                    "cannot-check",
                    (now_key,),
                    f"表三{label}列：本年上年结转或上年报告的结转下年度为空白，无法核对",
                )
            )
        elif now != before:
            out.append(
                Finding(
                    "YOY-CARRY",
                    "error",
                    (now_key,),
                    f"表三{label}列：二、上年结转（{now}）应等于{previous.year}年报告的四、结转下年度继续办理（{before}）",
                    before,
                    now,
                )
            )
    if "2019" in (report.format_edition, previous.format_edition):
        return  # the trial format's table 二 has no 现行有效 column
    for row, label in layout.T2_BLOCKS[0].rows:
        keys = (layout.t2(row, "valid"), layout.t2(row, "issued"), layout.t2(row, "repealed"))
        valid, issued, repealed = (report.cells[k] for k in keys)
        prev_valid = previous.cells[keys[0]]
        if valid is None or issued is None or repealed is None or prev_valid is None:
            out.append(
                Finding("YOY-VALID", "cannot-check", keys, f"表二{label}：有空白单元格，无法核对现行有效件数")
            )
            continue
        expected = prev_valid + issued - repealed
        if valid != expected:
            out.append(
                Finding(
                    "YOY-VALID",
                    "warning",
                    keys,
                    f"表二{label}：现行有效件数（{valid}）与上年现行有效（{prev_valid}）加本年制发（{issued}）减本年废止（{repealed}）"
                    f"得到的{expected}不一致，请核实（如有修订或自然失效，请在正文说明）",
                    expected,
                    valid,
                )
            )


# --- text rules --------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"^[\s\W_]*(?:(?:文字描述|待补充|待填写|此处填写|暂无内容|略|XXX+|xxx+|TODO|……)[\s\W_]*)*$"
)


def is_placeholder(text: str) -> bool:
    """True for empty text or text that is only a placeholder such as （文字描述） or 待补充."""
    return len(text) < 40 and bool(_PLACEHOLDER.match(text))


_TOP_FAMILIES = tuple((top, (top, *(p.key for p in layout.children_of(top)))) for top in layout.TOP_PARTS)


def _check_empty(report: Report, out: list[Finding]) -> None:
    for top, keys in _TOP_FAMILIES:
        # A part holding only placeholders (（请…）, 共主动公开条 …) is as empty as one holding nothing.
        if all(is_placeholder(without_placeholders(report.parts[k].text)) for k in keys):
            heading = layout.PART_BY_KEY[top].heading
            out.append(
                Finding("EMPTY", "error", (layout.part_key(top),), f"“{heading}”还没有内容，请填写或起草")
            )


_FEE_WORDS = re.compile(r"处理费")
_SENTENCES = re.compile(r"[^。；;\n]+")


def _states_fee(text: str) -> bool:
    """True when a sentence names the 处理费 and leaves nothing to fill (（请填写金额） states no fee)."""
    if not _FEE_WORDS.search(text):
        return False
    if not find_placeholders(text):
        return True
    return any(_FEE_WORDS.search(s) and not find_placeholders(s) for s in _SENTENCES.findall(text))


_NO_FEE = re.compile(r"未收取|未产生|没有收取|无收取|未发生|不收取|未收|零元|(?<![\d.])0元")


def _check_fee(report: Report, out: list[Finding]) -> None:
    text = report.parts["other"].text
    key = (layout.part_key("other"),)
    if not _states_fee(text):
        out.append(
            Finding(
                "FEE",
                "warning",
                key,
                "“六、其他需要报告的事项”应说明本年度收取信息处理费的情况（金额，或未收取）",
            )
        )
        return
    fee = report.info_fee_yuan
    if fee is not None and fee > 0 and _NO_FEE.search(text):
        out.append(
            Finding(
                "FEE",
                "warning",
                key,
                f"正文说未收取信息处理费，但填写的信息处理费为 {fee} 元，请核实",
                fee,
                0,
            )
        )


_STRIP = re.compile(r"[\s\W_\d]+")
_SHINGLE = 8
SIMILAR_LIMIT = 0.5


def _shingles(text: str) -> set[str]:
    flat = _STRIP.sub("", text)
    return {flat[i : i + _SHINGLE] for i in range(len(flat) - _SHINGLE + 1)}


def similarity(text: str, previous_text: str) -> float:
    """The share of this text's 8-character runs (punctuation and digits ignored) found in the previous text."""
    mine = _shingles(text)
    if not mine:
        return 0.0
    return len(mine & _shingles(previous_text)) / len(mine)


def _check_similar(report: Report, previous: Report, out: list[Finding]) -> None:
    before = "\n".join(p.text for p in previous.parts.values())
    if not before.strip():
        return
    prev_shingles = _shingles(before)
    for spec in layout.PARTS:
        mine = _shingles(report.parts[spec.key].text)
        if len(mine) < 10:
            continue
        share = len(mine & prev_shingles) / len(mine)
        if share > SIMILAR_LIMIT:
            out.append(
                Finding(
                    "SIMILAR",
                    "warning",
                    (layout.part_key(spec.key),),
                    f"“{describe(layout.part_key(spec.key))}”有{share:.0%}的文字与{previous.year}年报告相同，考核会扣分，请改写",
                    SIMILAR_LIMIT,
                    round(share, 3),
                )
            )


# Characters that GB2312 codecs map elsewhere but every _GB2312 font draws (dashes, middle dot).
_GB2312_FONT_EXTRAS = frozenset("—―·‧")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # zero-width marks: nothing is drawn


_CHAR_REF = re.compile(rb"&#(\d+);")


def non_gb2312(text: str) -> list[str]:
    """The distinct characters of the text that GB2312 fonts cannot show, in order of appearance."""
    # The codec marks each character it cannot encode as &#N; — one pass in C instead of one per character.
    encoded = text.encode("gb2312", errors="xmlcharrefreplace")
    if b"&#" not in encoded:
        return []
    seen: list[str] = []
    for number in _CHAR_REF.findall(encoded):
        ch = chr(int(number))
        # A no-break or thin space copied from a web page prints as a space in any font: no glyph is missing.
        if ch in seen or ch in _GB2312_FONT_EXTRAS or ch.isspace() or ch in _INVISIBLE:
            continue
        if ch in text:  # not a literal “&#N;” the text itself holds
            seen.append(ch)
    return seen


_PART_KEYS = {p.key: layout.part_key(p.key) for p in layout.PARTS}


def _check_gb2312(report: Report, out: list[Finding]) -> None:
    if report.body_font != "仿宋_GB2312":
        return
    places = [("report.agency", report.agency), ("report.preamble", report.preamble)]
    places += [(_PART_KEYS[k], p.text) for k, p in report.parts.items()]
    # One encode of all the text finds the characters; the places are then found by substring search.
    chars = non_gb2312("\n".join(text for _, text in places))
    if not chars:
        return
    pattern = re.compile("|".join(map(re.escape, chars)))
    keys = [key for key, text in places if pattern.search(text)]
    where = "、".join(describe(k) for k in keys[:4]) + ("等处" if len(keys) > 4 else "")
    out.append(
        Finding(
            "GB2312",
            "warning",
            tuple(keys),
            f"“{'”“'.join(chars[:8])}”在仿宋_GB2312字体中无法显示（见{where}），请在设置中改用仿宋字体或换用常用字",
            None,
            "".join(chars),
        )
    )


def verify(
    report: Report,
    previous: Report | None = None,
    *,
    narrative: bool = True,
    headings: Sequence[tuple[int, str]] | None = None,
) -> list[Finding]:
    """Every finding of every rule on the report (and on last year's report, when given).

    narrative=False leaves out TEXT-TABLE and NUMBER-GUARD, the two rules that read every number in the text:
    the tables page re-checks on each keystroke in a cell, where the text has not changed.
    headings: an imported report's part headings as printed (rule PARTS); None for a report made in the app.
    """
    out: list[Finding] = []
    cells = report.cells
    _check_cells(report, out)
    if not _t3_sums_hold(cells):
        _check_sums(cells, "T3-ROW", _T3_ROW_KEYS, out)
        _check_sums(cells, "T3-RESULT", _T3_RESULT_KEYS, out)
    _check_t3_balance(cells, out)
    _check_t4(cells, out)
    check_blank(report, out)
    _check_empty(report, out)
    _check_fee(report, out)
    _check_gb2312(report, out)
    out += check_placeholders(report)
    check_assessment(report, out, headings)
    if narrative and any(p.text for p in report.parts.values()):
        summary = table_summary(report, cells)
        out += check_text_table(report, summary)
        out += check_number_guard(report, build_ledger(report, summary, cells))
    if previous is not None:
        _check_yoy(report, previous, out)
        _check_similar(report, previous, out)
    return out


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    counts = {"error": 0, "warning": 0, "cannot-check": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts
