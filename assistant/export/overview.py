"""One self-contained HTML page over many reports' findings: bodies × rules, a chart by rule, every finding."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape

from assistant.checks.checking import Checked
from assistant.checks.findings import Finding, describe
from assistant.checks.rules import RULE_IDS

GENERATOR = "年报助手 check --format html"  # the html reader knows its own page by this and refuses it
_SEVERITY_WORDS = {"error": "错误", "warning": "警告", "cannot-check": "无法核对"}
_STYLE = """
body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;margin:24px;color:#222;font-size:14px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:26px 0 8px}p.lead{color:#555;margin:0 0 14px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 7px;vertical-align:top}
th{background:#f2f2f2;font-weight:600}td.n{text-align:center;min-width:2.4em}
td.e{background:#f8cbad}td.w{background:#ffe699}td.ok{color:#4a8a3a}td.bad{background:#ddd}
details{margin:4px 0}summary{cursor:pointer}summary b.e{color:#b3261e}summary b.w{color:#8a6d00}
.matrix th.r{writing-mode:vertical-rl;white-space:nowrap;font-size:12px;padding:6px 2px}
.legend span{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px;border:1px solid #999}
"""


def _counts(findings: Sequence[Finding]) -> Counter[tuple[str, str]]:
    return Counter((f.rule, f.severity) for f in findings if f.severity in ("error", "warning"))


def _chart(per_rule: Counter[tuple[str, str]], rules: list[str]) -> str:
    """A horizontal bar chart of errors and warnings by rule, as inline SVG (nothing fetched, nothing run)."""
    if not rules:
        return "<p>没有错误或警告。</p>"
    top = max(per_rule[(r, s)] for r in rules for s in ("error", "warning")) or 1
    row, label, width = 22, 130, 420
    bars = []
    for i, rule in enumerate(rules):
        y = i * row * 2 + 4
        bars.append(f'<text x="{label - 8}" y="{y + row - 6}" text-anchor="end">{escape(rule)}</text>')
        for j, (severity, colour) in enumerate((("error", "#d9534f"), ("warning", "#f0ad4e"))):
            n = per_rule[(rule, severity)]
            w = round(width * n / top)
            yy = y + j * (row - 4)
            bars.append(f'<rect x="{label}" y="{yy}" width="{w}" height="{row - 6}" fill="{colour}"/>')
            if n:
                bars.append(f'<text x="{label + w + 4}" y="{yy + row - 9}">{n}</text>')
    height = len(rules) * row * 2 + 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label + width + 60}" height="{height}" '
        f'font-size="12" role="img" aria-label="按规则统计的错误和警告">{"".join(bars)}</svg>'
        '<p class="legend"><span style="background:#d9534f"></span>错误 <span style="background:#f0ad4e"></span>警告</p>'
    )


def _matrix(checked: Sequence[Checked], rules: list[str]) -> str:
    head = "".join(f'<th class="r">{escape(r)}</th>' for r in rules)
    rows = []
    for index, item in enumerate(checked):
        if item.error:
            rows.append(
                f'<tr><td>{escape(item.file)}</td><td class="bad" colspan="{len(rules) + 2}">无法读取：'
                f"{escape(item.error)}</td></tr>"
            )
            continue
        counts = _counts(item.findings)
        errors = sum(n for (_, s), n in counts.items() if s == "error")
        warnings = sum(n for (_, s), n in counts.items() if s == "warning")
        cells = []
        for rule in rules:
            e, w = counts[(rule, "error")], counts[(rule, "warning")]
            css = "e" if e else "w" if w else ""
            text = f"{e}/{w}" if e and w else str(e or w or "")
            cells.append(f'<td class="n {css}">{text}</td>')
        rows.append(
            f'<tr><td><a href="#f{index}">{escape(item.file)}</a></td>'
            f'<td class="n {"e" if errors else "ok"}">{errors}</td><td class="n {"w" if warnings else ""}">{warnings}</td>'
            f"{''.join(cells)}</tr>"
        )
    return (
        f'<table class="matrix"><tr><th>报告</th><th>错误</th><th>警告</th>{head}</tr>{"".join(rows)}</table>'
        "<p>每格为该规则的错误数/警告数（只有一种时为其个数）；红色有错误，黄色只有警告。</p>"
    )


def _details(index: int, item: Checked) -> str:
    if item.error:
        return f'<details id="f{index}"><summary>{escape(item.file)}：无法读取</summary><p>{escape(item.error)}</p></details>'
    counts = Counter(f.severity for f in item.findings)
    rows = "".join(
        f'<tr><td class="n {"e" if f.severity == "error" else "w" if f.severity == "warning" else ""}">'
        f"{_SEVERITY_WORDS[f.severity]}</td><td>{escape(f.rule)}</td><td>{escape(f.message)}</td>"
        f"<td>{escape('；'.join(describe(c) for c in f.cells))}</td></tr>"
        for f in item.findings
    )
    table = (
        f"<table><tr><th>程度</th><th>规则</th><th>说明</th><th>单元格/部分</th></tr>{rows}</table>"
        if rows
        else "<p>没有发现问题。</p>"
    )
    return (
        f'<details id="f{index}"{" open" if counts["error"] else ""}><summary>{escape(item.file)}：'
        f'<b class="e">{counts["error"]} 个错误</b>，<b class="w">{counts["warning"]} 个警告</b>，'
        f"{counts['cannot-check']} 项无法核对</summary>{table}</details>"
    )


def overview_html(checked: Sequence[Checked], title: str = "政府信息公开工作年度报告检查结果") -> str:
    """The page: totals, a chart of errors and warnings by rule, bodies × rules, then every finding per file."""
    per_rule: Counter[tuple[str, str]] = Counter()
    for item in checked:
        per_rule.update(_counts(item.findings))
    order = {r: i for i, r in enumerate(RULE_IDS)}
    rules = sorted({r for r, _ in per_rule}, key=lambda r: (order.get(r, len(order)), r))
    unreadable = sum(1 for c in checked if c.error)
    errors = sum(n for (_, s), n in per_rule.items() if s == "error")
    warnings = sum(n for (_, s), n in per_rule.items() if s == "warning")
    with_errors = sum(1 for c in checked if any(f.severity == "error" for f in c.findings))
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="generator" content="{GENERATOR}">'
        f"<title>{escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>"
        f'<p class="lead">共 {len(checked)} 份报告：{with_errors} 份有错误，{unreadable} 份无法读取；'
        f"共 {errors} 个错误、{warnings} 个警告。</p>"
        f"<h2>按规则统计</h2>{_chart(per_rule, rules)}"
        f"<h2>各报告 × 规则</h2>{_matrix(checked, rules)}"
        f"<h2>逐份报告的检查结果</h2>{''.join(_details(i, c) for i, c in enumerate(checked))}"
        "</body></html>\n"
    )
