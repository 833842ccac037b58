"""Write a report as a .docx in the official layout (GB/T 9704-2012 page and type, the three tables)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from assistant.export.opening import opening_of
from assistant.format import layout
from assistant.format.models import Report

TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
FOOTER_FONT = "宋体"
BODY_SIZE = 32  # half-points: 三号 16 pt
TITLE_SIZE = 44  # 二号 22 pt
TABLE_SIZE = 21  # 五号 10.5 pt
FOOTER_SIZE = 28  # 四号 14 pt
LINE_EXACT = 579  # twips: 28.95 pt, 22 lines on the GB/T 9704 type area
INDENT = 640  # twips: two 16 pt characters
TABLE_LINE = 260  # twips: 13 pt rows keep table 三 on one page
BORDER = 4  # eighths of a point: a 0.5 pt line

_W = nsdecls("w")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _text(value: str) -> str:
    """XML-safe run text: control characters that XML forbids are dropped, the rest escaped."""
    return escape(_INVALID_XML.sub("", value))


def _rpr(font: str, size: int, bold: bool = False) -> str:
    fonts = (
        f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'
    )
    return f'<w:rPr>{fonts}{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


def _run(text: str, font: str, size: int) -> str:
    return f'<w:r>{_rpr(font, size)}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _paragraph(
    text: str,
    font: str,
    size: int = BODY_SIZE,
    *,
    align: str = "both",
    indent: bool = True,
    exact: bool = True,
    keep_next: bool = False,
    page_break: bool = False,
) -> str:
    spacing = (
        f'<w:spacing w:before="0" w:after="0" w:line="{LINE_EXACT}" w:lineRule="exact"/>'
        if exact
        else ('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    )
    ind = f'<w:ind w:firstLine="{INDENT}" w:firstLineChars="200"/>' if indent else '<w:ind w:firstLine="0"/>'
    extras = ("<w:keepNext/>" if keep_next else "") + ("<w:pageBreakBefore/>" if page_break else "")
    return (
        f'<w:p {_W}><w:pPr>{extras}<w:widowControl/>{spacing}{ind}<w:jc w:val="{align}"/>{_rpr(font, size)}</w:pPr>'
        f"{_run(text, font, size)}</w:p>"
    )


# --- tables ---------------------------------------------------------------------------------------------------


def _cell(text: str, width: int, font: str, *, span: int = 1, vmerge: str = "", align: str = "center") -> str:
    merge = f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else ("<w:vMerge/>" if vmerge else "")
    grid = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    paragraph = (
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{TABLE_LINE}" w:lineRule="exact"/><w:ind w:firstLine="0"/>'
        f'<w:jc w:val="{align}"/>{_rpr(font, TABLE_SIZE)}</w:pPr>'
        + (_run(text, font, TABLE_SIZE) if text else "")
        + "</w:p>"
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}{merge}<w:vAlign w:val="center"/></w:tcPr>'
        f"{paragraph}</w:tc>"
    )


Cell = tuple[str, int, str, str]  # text, span, vmerge, align


def _table(widths: list[int], rows: Iterable[tuple[bool, list[Cell]]], font: str) -> str:
    """A table with explicit borders; header rows repeat on each page; no row splits across pages."""
    border = "".join(
        f'<w:{side} w:val="single" w:sz="{BORDER}" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body: list[str] = []
    for header, cells in rows:
        tr_pr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
        tcs: list[str] = []
        col = 0
        for text, span, vmerge, align in cells:
            tcs.append(
                _cell(text, sum(widths[col : col + span]), font, span=span, vmerge=vmerge, align=align)
            )
            col += span
        body.append(f"<w:tr>{tr_pr}{''.join(tcs)}</w:tr>")
    return (
        f'<w:tbl {_W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(body)}</w:tbl>'
    )


def _count(report: Report, key: str) -> str:
    if key in report.raw_cells:
        return report.raw_cells[key]
    value = report.cells.get(key)
    return "" if value is None else str(value)


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _c(text: str, span: int = 1, vmerge: str = "", align: str = "center") -> Cell:
    return (text, span, vmerge, align)


TEXT_WIDTH = 8844  # twips: 210 − 28 − 26 = 156 mm


def _table2(report: Report, font: str) -> str:
    widths = [2655, 2063, 2063, 2063]
    rows: list[tuple[bool, list[Cell]]] = []
    for block in layout.T2_BLOCKS:
        rows.append((False, [_c(block.item, 4)]))
        span = 3 // len(block.columns)
        rows.append((False, [_c(layout.T2_ROW_HEADER), *(_c(label, span) for _, label in block.columns)]))
        for rkey, rlabel in block.rows:
            values = []
            for ckey, _ in block.columns:
                key = f"t2.{rkey}.{ckey}"
                if key == layout.FEE_CELL:
                    values.append(report.raw_cells.get(key) or _amount(report.fee_amount_wan))
                else:
                    values.append(_count(report, key))
            rows.append((False, [_c(rlabel), *(_c(v, span) for v in values)]))
    return _table(widths, rows, font)


def _table3(report: Report, font: str) -> str:
    widths = [400, 1000, 3104, *([620] * 7)]
    value_cols = [k for k, _ in layout.T3_COLUMNS]
    legal = [label for key, label in layout.T3_COLUMNS if key in layout.T3_LEGAL_PERSON_COLUMNS]
    rows: list[tuple[bool, list[Cell]]] = [
        (True, [_c(layout.T3_HEADER_NOTE, 3, "restart"), _c(layout.T3_HEADER_APPLICANT, 7)]),
        (
            True,
            [
                _c("", 3, "continue"),
                _c("自然人", 1, "restart"),
                _c(layout.T3_HEADER_LEGAL_PERSON, 5),
                _c("总计", 1, "restart"),
            ],
        ),
        (
            True,
            [
                _c("", 3, "continue"),
                _c("", 1, "continue"),
                *(_c(label) for label in legal),
                _c("", 1, "continue"),
            ],
        ),
    ]
    group_seen: set[str] = set()
    first_result = True
    for row in layout.T3_ROWS:
        values = [_c(_count(report, f"t3.{row.key}.{c}")) for c in value_cols]
        if row.key in ("new", "carried_in", "carried_out"):
            label = [_c(row.label, 3, align="left")]
        else:
            outer = _c(layout.T3_RESULT_HEADING, 1, "restart" if first_result else "continue")
            first_result = False
            if row.item:
                first_item = row.group not in group_seen
                group_seen.add(row.group)
                label = [
                    outer,
                    _c(row.group if first_item else "", 1, "restart" if first_item else "continue"),
                    _c(row.label, align="left"),
                ]
            else:
                label = [outer, _c(row.label, 2, align="left")]
        rows.append((False, [*label, *values]))
    return _table(widths, rows, font)


def _table4(report: Report, font: str) -> str:
    widths = [590] * 14 + [TEXT_WIDTH - 590 * 14]
    labels = [label for _, label in layout.T4_COLUMNS]
    rows: list[tuple[bool, list[Cell]]] = [
        (True, [_c(layout.T4_GROUP_SHORT["review"], 5), _c(layout.T4_HEADER_SUIT, 10)]),
        (
            True,
            [
                *(_c(label, 1, "restart") for label in labels),
                _c(layout.T4_GROUP_SHORT["suit_direct"], 5),
                _c(layout.T4_GROUP_SHORT["suit_after"], 5),
            ],
        ),
        (True, [*(_c("", 1, "continue") for _ in labels), *(_c(label) for label in labels * 2)]),
        (
            False,
            [_c(_count(report, f"t4.{g}.{c}")) for g, _ in layout.T4_GROUPS for c, _ in layout.T4_COLUMNS],
        ),
    ]
    return _table(widths, rows, font)


# --- document -----------------------------------------------------------------------------------------------


def _part_paragraphs(text: str, font: str) -> list[str]:
    return [_paragraph(line.strip(), font) for line in text.splitlines() if line.strip()]


def _narrative(report: Report, top: str, font: str) -> list[str]:
    out = _part_paragraphs(report.parts[top].text, font)
    for sub in layout.children_of(top):
        text = report.parts[sub.key].text
        if text.strip():
            out.append(_paragraph(sub.heading, HEADING2_FONT, keep_next=True))
            out.extend(_part_paragraphs(text, font))
    return out


def _body(report: Report) -> list[str]:
    font = report.body_font
    h = layout.SECTION_HEADINGS
    parts = [
        _paragraph(report.agency, TITLE_FONT, TITLE_SIZE, align="center", indent=False, exact=False),
        _paragraph(report.title, TITLE_FONT, TITLE_SIZE, align="center", indent=False, exact=False),
        _paragraph("", font),
    ]
    opening = opening_of(report)
    parts += _part_paragraphs(opening, font)
    parts.append(_paragraph(h[0], HEADING1_FONT, keep_next=True))
    parts += _narrative(report, "overview", font)
    parts.append(_paragraph(h[1], HEADING1_FONT, keep_next=True))
    parts.append(_table2(report, font))
    # Table 三 starts on a new page so that it stays on one page.
    parts.append(_paragraph(h[2], HEADING1_FONT, keep_next=True, page_break=True))
    parts.append(_table3(report, font))
    parts.append(_paragraph(h[3], HEADING1_FONT, keep_next=True))
    parts.append(_table4(report, font))
    parts.append(_paragraph(h[4], HEADING1_FONT, keep_next=True))
    parts += _narrative(report, "problems", font)
    parts.append(_paragraph(h[5], HEADING1_FONT, keep_next=True))
    parts += _narrative(report, "other", font)
    return parts


def _set_defaults(document: object, font: str) -> None:
    """Body font on docDefaults and Normal, with w:eastAsia and no theme fonts."""
    styles = document.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(
        0,
        parse_xml(
            f'<w:docDefaults {_W}><w:rPrDefault>{_rpr(font, BODY_SIZE)[:-8]}<w:lang w:val="en-US" w:eastAsia="zh-CN"/>'
            f'</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{LINE_EXACT}" '
            f'w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>'
        ),
    )
    # Every style's own fonts: drop theme attributes so no theme font leaks into the document.
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)


def _footer(document: object) -> None:
    footer = document.sections[0].footer  # type: ignore[attr-defined]
    element = footer._element
    for p in list(element):
        element.remove(p)
    rpr = _rpr(FOOTER_FONT, FOOTER_SIZE)
    element.append(
        parse_xml(
            f'<w:p {_W}><w:pPr><w:jc w:val="center"/>{rpr}</w:pPr>'
            f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"<w:r>{rpr}<w:t>1</w:t></w:r>"
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>'
        )
    )


def render_docx(report: Report) -> bytes:
    """The report as a .docx file in the official layout."""
    document = Document()
    _set_defaults(document, report.body_font)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sect_pr = body.find(qn("w:sectPr"))
    for xml in _body(report):
        sect_pr.addprevious(parse_xml(xml))
    _footer(document)
    core = document.core_properties
    core.title = f"{report.agency}{report.title}"
    core.author = report.compiler or report.agency
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
