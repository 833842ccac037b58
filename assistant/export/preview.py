"""The whole report as HTML, laid out as it will print, with what needs a look marked: for the 导出 page."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from assistant.checks.facts import build_ledger, table_summary
from assistant.checks.fill import fill
from assistant.checks.guard import marks_for, placeholder_marks
from assistant.export.opening import opening_of
from assistant.export.outline import OPENING, Heading, Paragraph, Title, outline_of
from assistant.format import layout
from assistant.format.display import cell_text
from assistant.format.models import GuardMark, Report

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


def _row(cells: list[str], label_first: bool = True) -> str:
    tds = "".join(
        f'<td class="l">{escape(c)}</td>' if i == 0 and label_first else f"<td>{escape(c)}</td>"
        for i, c in enumerate(cells)
    )
    return f"<tr>{tds}</tr>"


def _tables(report: Report, cells: dict[str, int | None]) -> dict[str, str]:
    """The three tables as HTML rows (the trial format's table 二 row by row, as read)."""

    def value(key: str) -> str:
        return cell_text(report, key, cells)

    t2 = "".join(
        f'<tr><th colspan="4">{block.item}</th></tr>'
        + _row([layout.T2_ROW_HEADER, *(label for _, label in block.columns)])
        + "".join(
            _row([label, *(value(layout.t2(r, c)) for c, _ in block.columns)]) for r, label in block.rows
        )
        for block in layout.T2_BLOCKS
    )
    t2_2019 = "".join(_row(list(row)) for row in report.legacy_table2)
    t3 = _row(["", *(label for _, label in layout.T3_COLUMNS)]) + "".join(
        _row([layout.t3_row_words(r.key), *(value(layout.t3(r.key, c)) for c, _ in layout.T3_COLUMNS)])
        for r in layout.T3_ROWS
    )
    t4 = _row(["", *(label for _, label in layout.T4_COLUMNS)]) + "".join(
        _row([label, *(value(layout.t4(g, c)) for c, _ in layout.T4_COLUMNS)]) for g, label in layout.T4_GROUPS
    )
    return {"t2": t2, "t2-2019": t2_2019, "t3": t3, "t4": t4}


def report_html(report: Report) -> str:
    """The report as HTML, from the same outline as the Word file: title, opening, the six parts, the tables.

    Placeholders, figures that disagree with the tables and figures without a source are highlighted,
    checked against the report as it is now.
    """
    report = fill(report)
    cells = report.cells
    summary = table_summary(report, cells)
    ledger = build_ledger(report, summary, cells)
    tables = _tables(report, cells)
    marks: dict[str, list[GuardMark]] = {}

    def marks_of(part: str) -> list[GuardMark]:
        if part not in marks:
            if part == OPENING:
                marks[part] = placeholder_marks(opening_of(report))
            else:
                marks[part] = marks_for(report, part, report.parts[part].text, ledger, summary)
        return marks[part]

    out = [_STYLE, '<div class="nb">']
    blocks = outline_of(report)
    for n, block in enumerate(blocks):
        if isinstance(block, Title):
            out.append(f"<h1>{escape(block.text)}</h1>")
            if not isinstance(blocks[n + 1], Title):
                out.append("<br>")
        elif isinstance(block, Heading):
            tag = "h2" if block.level == 1 else "h3"
            out.append(f"<{tag}>{escape(block.text)}</{tag}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{marked_html(block.text, marks_of(block.part), block.offset)}</p>")
        else:
            out.append(f"<table>{tables[block.which]}</table>")
    out.append("</div>")
    return "".join(out)
