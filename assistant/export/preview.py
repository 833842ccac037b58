"""The whole report as HTML, laid out as it will print: for the 导出 page's preview."""

from __future__ import annotations

from html import escape

from assistant.checks.fill import fill
from assistant.export.opening import opening_of
from assistant.format import layout
from assistant.format.models import Report
from assistant.grids import shown_value

_STYLE = (
    "<style>.nb{font-family:'FangSong','仿宋','STFangsong',serif;font-size:16px;line-height:1.8;max-width:820px}"
    ".nb h1{text-align:center;font-size:24px;font-weight:normal;margin:0}.nb h2{font-size:17px;font-family:'SimHei','黑体',sans-serif}"
    ".nb h3{font-size:16px;font-family:'KaiTi','楷体',serif;font-weight:normal}.nb p{text-indent:2em;margin:0}"
    ".nb table{border-collapse:collapse;font-size:13px;margin:6px 0 14px}.nb td,.nb th{border:1px solid #333;padding:2px 6px;text-align:center}"
    ".nb td.l{text-align:left}</style>"
)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _narrative(report: Report, top: str) -> str:
    out = _paragraphs(report.parts[top].text)
    for sub in layout.children_of(top):
        if report.parts[sub.key].text.strip():
            out += f"<h3>{escape(sub.heading)}</h3>" + _paragraphs(report.parts[sub.key].text)
    return out


def _row(cells: list[str], label_first: bool = True) -> str:
    tds = "".join(
        f'<td class="l">{escape(c)}</td>' if i == 0 and label_first else f"<td>{escape(c)}</td>"
        for i, c in enumerate(cells)
    )
    return f"<tr>{tds}</tr>"


def report_html(report: Report) -> str:
    """The report as HTML: title, opening, the six parts with the three tables."""
    report = fill(report)
    cells = report.cells

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
        + _paragraphs(opening_of(report))
        + f"<h2>{h[0]}</h2>{_narrative(report, 'overview')}"
        + f"<h2>{h[1]}</h2><table>{t2}</table>"
        + f"<h2>{h[2]}</h2><table>{t3}</table>"
        + f"<h2>{h[3]}</h2><table>{t4}</table>"
        + f"<h2>{h[4]}</h2>{_narrative(report, 'problems')}"
        + f"<h2>{h[5]}</h2>{_narrative(report, 'other')}"
        + "</div>"
    )
