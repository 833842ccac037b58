"""The rules against last year's report: YOY-CARRY, YOY-VALID and SIMILAR."""

from __future__ import annotations

from assistant.checks.findings import Finding, describe
from assistant.checks.similarity import SIMILAR_LIMIT, runs, share
from assistant.format import layout
from assistant.format.models import Report


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


def check_yoy(report: Report, previous: Report, out: list[Finding]) -> None:
    """YOY-CARRY (二、上年结转 is last year's 四、结转) and YOY-VALID (现行有效 follows from last year's)."""
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


def check_similar(report: Report, previous: Report, out: list[Finding]) -> None:
    """SIMILAR: a part that repeats more than half of last year's text."""
    before = "\n".join(p.text for p in previous.parts.values())
    if not before.strip():
        return
    theirs = runs(before)
    for spec in layout.PARTS:
        mine = runs(report.parts[spec.key].text)
        if len(mine) < 10:
            continue
        repeated = share(mine, theirs)
        if repeated > SIMILAR_LIMIT:
            out.append(
                Finding(
                    "SIMILAR",
                    "warning",
                    (layout.part_key(spec.key),),
                    f"“{describe(layout.part_key(spec.key))}”有{repeated:.0%}的文字与{previous.year}年报告相同，考核会扣分，请改写",
                    SIMILAR_LIMIT,
                    round(repeated, 3),
                )
            )
