"""The whole report as HTML, laid out as it will print, with what needs a look marked: for the 导出 page."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from assistant.checks.facts import Ledger, build_ledger, table_summary
from assistant.checks.fill import fill
from assistant.checks.guard import marks_for, placeholder_marks
from assistant.export.opening import opening_of
from assistant.format import layout
from assistant.format.models import GuardMark, Report
from assistant.grids import shown_value

_STYLE = (
    "<style>.nb{font-family:'FangSong','仿宋','STFangsong',serif;font-size:16px;line-height:1.8;max-width:820px}"
    ".nb h1{text-align:center;font-size:24px;font-weight:normal;margin:0}.nb h2{font-size:17px;font-family:'SimHei','黑体',sans-serif}"
    ".nb h3{font-size:16px;font-family:'KaiTi','楷体',serif;font-weight:normal}.nb p{text-indent:2em;margin:0}"
    ".nb table{border-collapse:collapse;font-size:13px;margin:6px 0 14px}.nb td,.nb th{border:1px solid #333;padding:2px 6px;text-align:center}"
    ".nb td.l{text-align:left}.nb mark{background:#ffe58f;cursor:help}</style>"
)


def marked_html(text: str, marks: Sequence[GuardMark], offset: int = 0) -> str:
    """The text escaped, each mark highlighted where it stands with its reason as the tooltip.

    offset is where the text starts in the text the marks were computed on; a mark that no longer
    matches the text at its place is left out rather than shown in the wrong place.
    """
    out, at = [], 0
    for mark in sorted(marks, key=lambda m: m.start):
        start, end = mark.start - offset, mark.end - offset
        if start < at or end > len(text) or text[start:end] != mark.text:
            continue
        out.append(escape(text[at:start]))
        out.append(f'<mark title="{escape(mark.reason)}">{escape(mark.text)}</mark>')
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def _paragraphs(text: str, marks: Sequence[GuardMark] = ()) -> str:
    out, at = [], 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        shown = line.strip()
        if shown:
            offset = start + len(line) - len(line.lstrip())
            out.append(f"<p>{marked_html(shown, marks, offset)}</p>")
    return "".join(out)


def _narrative(report: Report, top: str, summary: dict[str, Any], ledger: Ledger) -> str:
    def part(key: str) -> str:
        text = report.parts[key].text
        return _paragraphs(text, marks_for(report, key, text, ledger, summary))

    out = part(top)
    for sub in layout.children_of(top):
        if report.parts[sub.key].text.strip():
            out += f"<h3>{escape(sub.heading)}</h3>" + part(sub.key)
    return out


def _row(cells: list[str], label_first: bool = True) -> str:
    tds = "".join(
        f'<td class="l">{escape(c)}</td>' if i == 0 and label_first else f"<td>{escape(c)}</td>"
        for i, c in enumerate(cells)
    )
    return f"<tr>{tds}</tr>"


def report_html(report: Report) -> str:
    """The report as HTML: title, opening, the six parts with the three tables.

    Placeholders, figures that disagree with the tables and figures without a source are highlighted,
    checked against the report as it is now.
    """
    report = fill(report)
    cells = report.cells
    summary = table_summary(report, cells)
    ledger = build_ledger(report, summary, cells)
    opening = opening_of(report)

    def value(key: str) -> str:
        return shown_value(report, key, cells)

    t2 = "".join(
        f'<tr><th colspan="4">{block.item}</th></tr>'
        + _row([layout.T2_ROW_HEADER, *(label for _, label in block.columns)])
        + "".join(_row([label, *(value(f"t2.{r}.{c}") for c, _ in block.columns)]) for r, label in block.rows)
        for block in layout.T2_BLOCKS
    )
    header = _row(["", *(label for _, label in layout.T3_COLUMNS)])
    t3 = header + "".join(
        _row(
            [
                layout.describe_cell(f"t3.{r.key}.total")[3:-3],
                *(value(f"t3.{r.key}.{c}") for c, _ in layout.T3_COLUMNS),
            ]
        )
        for r in layout.T3_ROWS
    )
    t4 = _row(["", *(label for _, label in layout.T4_COLUMNS)]) + "".join(
        _row([label, *(value(f"t4.{g}.{c}") for c, _ in layout.T4_COLUMNS)]) for g, label in layout.T4_GROUPS
    )
    h = layout.SECTION_HEADINGS
    return (
        _STYLE
        + '<div class="nb">'
        + f"<h1>{escape(report.agency)}</h1><h1>{escape(report.title)}</h1><br>"
        + _paragraphs(opening, placeholder_marks(opening))
        + f"<h2>{h[0]}</h2>{_narrative(report, 'overview', summary, ledger)}"
        + f"<h2>{h[1]}</h2><table>{t2}</table>"
        + f"<h2>{h[2]}</h2><table>{t3}</table>"
        + f"<h2>{h[3]}</h2><table>{t4}</table>"
        + f"<h2>{h[4]}</h2>{_narrative(report, 'problems', summary, ledger)}"
        + f"<h2>{h[5]}</h2>{_narrative(report, 'other', summary, ledger)}"
        + "</div>"
    )
