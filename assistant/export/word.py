"""Write a report as a .docx in the official layout (GB/T 9704-2012 page and type, the three tables)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree
from lxml.etree import _Element as Element

from assistant.export.outline import Heading, Paragraph, Title, outline_of
from assistant.format import layout
from assistant.format.display import cell_text
from assistant.format.models import Report

TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
FOOTER_FONT = "宋体"
BODY_SIZE = 32  # half-points: 三号 16 pt
TITLE_SIZE = 44  # 二号 22 pt
TABLE_SIZE = 21  # 五号 10.5 pt
MIN_FIGURE_SIZE = 14  # 7 pt: the smallest a figure is set at when its column cannot be wider
FOOTER_SIZE = 28  # 四号 14 pt
LINE_EXACT = 579  # twips: 28.95 pt, 22 lines on the GB/T 9704 type area
INDENT = 640  # twips: two 16 pt characters
TABLE_LINE = 260  # twips: 13 pt rows keep table 三 compact
AFTER_TABLE = LINE_EXACT // 2  # twips: half a body line between a table and the next heading
BORDER = 4  # eighths of a point: a 0.5 pt line
CELL_MARGIN = 57  # twips, left and right of every cell
TEXT_WIDTH = 8844  # twips: 210 − 28 − 26 = 156 mm
FOOTER_INDENT = 280  # twips: GB/T 9704 §7.5 puts the page number one 4号 (14 pt) character in from the edge

# fontTable entries for the official fonts, so that a reader without them substitutes a face of the same kind
# (Word and WPS read altName, panose, charset and family; charset 86 is GB2312).
# name: (altName, panose, family, pitch)
OFFICIAL_FONTS: dict[str, tuple[str, str, str, str]] = {
    "方正小标宋简体": ("宋体", "02010600030101010101", "roman", "variable"),
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "roman", "fixed"),
    "仿宋": ("FangSong", "02010609060101010101", "roman", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "roman", "fixed"),
    "黑体": ("SimHei", "02010609060101010101", "swiss", "fixed"),
    "宋体": ("SimSun", "02010600030101010101", "roman", "variable"),
}

# A digit's advance as a share of the font size: 0.5 in 仿宋_GB2312, up to 0.64 in the sans faces a reader
# without the official fonts falls back to (DejaVu Sans), so a figure column sized by it never wraps a figure.
DIGIT_EM = 0.64
FIGURE_SLACK = 24  # twips: rounding in the reader's line breaker

APPLICATION = "年报助手"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


_q = lru_cache(maxsize=None)(qn)  # prefixed name → Clark name, looked up thousands of times per file


def _e(tag: str, attrs: dict[str, str] | None = None, *children: Element | None) -> Element:
    """A WordprocessingML element: `_e("w:sz", {"w:val": "32"})`; None children are left out."""
    element = etree.Element(_q(tag), {_q(k): v for k, v in attrs.items()} if attrs else None)
    for child in children:
        if child is not None:
            element.append(child)
    return element


def _copy(template: Element) -> Element:
    """A fresh copy of a cached element (copying a subtree is several times faster than building it)."""
    return deepcopy(template)


def _v(tag: str, value: str | int) -> Element:
    return _e(tag, {"w:val": str(value)})


def _text(value: str) -> str:
    """Run text XML can hold: control characters and lone surrogates that XML forbids are dropped."""
    return _INVALID_XML.sub("", value)


def _rpr(font: str, size: int, bold: bool = False) -> Element:
    return _copy(_rpr_template(font, size, bold))


@lru_cache(maxsize=64)
def _rpr_template(font: str, size: int, bold: bool) -> Element:
    fonts = {"w:ascii": font, "w:hAnsi": font, "w:eastAsia": font, "w:cs": font, "w:hint": "eastAsia"}
    return _e(
        "w:rPr",
        None,
        _e("w:rFonts", fonts),
        _e("w:b") if bold else None,
        _v("w:sz", size),
        _v("w:szCs", size),
    )


def _t(text: str) -> Element:
    t = etree.Element(_q("w:t"), {_XML_SPACE: "preserve"})
    t.text = _text(text)
    return t


def _run(text: str, font: str, size: int) -> Element:
    return _e("w:r", None, _rpr(font, size), _t(text))


def _lines_run(lines: Sequence[str], font: str, size: int) -> Element:
    """One run with a line break between the lines: a label broken where we choose, read back as one text."""
    run = _e("w:r", None, _rpr(font, size))
    for n, line in enumerate(lines):
        if n:
            run.append(_e("w:br"))
        run.append(_t(line))
    return run


def _spacing(line: int, *, before: int = 0, exact: bool = True) -> Element:
    return _e(
        "w:spacing",
        {
            "w:before": str(before),
            "w:after": "0",
            "w:line": str(line),
            "w:lineRule": "exact" if exact else "auto",
        },
    )


def _paragraph(
    text: str,
    font: str,
    size: int = BODY_SIZE,
    *,
    align: str = "both",
    indent: bool = True,
    exact: bool = True,
    keep_next: bool = False,
    before: int = 0,
) -> Element:
    ind = (
        _e("w:ind", {"w:firstLine": str(INDENT), "w:firstLineChars": "200"})
        if indent
        else _e("w:ind", {"w:firstLine": "0"})
    )
    ppr = _e(
        "w:pPr",
        None,
        _e("w:keepNext") if keep_next else None,
        _e("w:widowControl"),
        _spacing(LINE_EXACT, before=before) if exact else _spacing(240, before=before, exact=False),
        ind,
        _v("w:jc", align),
        _rpr(font, size),
    )
    return _e("w:p", None, ppr, _run(text, font, size))


# --- tables ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text (lines broken where the layout wants), span, vertical merge and alignment."""

    lines: tuple[str, ...]
    span: int = 1
    vmerge: str = ""  # "", "restart" or "continue"
    align: str = "center"
    size: int = TABLE_SIZE  # half-points


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: header rows repeat on each page; keep_next keeps it on the page of the row after it."""

    cells: list[Cell]
    header: bool = False
    keep_next: bool = False


def _c(
    text: str | Sequence[str], span: int = 1, vmerge: str = "", align: str = "center", size: int = TABLE_SIZE
) -> Cell:
    lines = (text,) if isinstance(text, str) else tuple(text)
    return Cell(lines, span, vmerge, align, size)


def _cell(cell: Cell, width: int, font: str, keep_next: bool) -> Element:
    tc = _copy(_cell_template(width, cell.span, cell.vmerge, cell.align, cell.size, font, keep_next))
    if any(cell.lines):
        tc[-1].append(_lines_run(cell.lines, font, cell.size))
    return tc


@lru_cache(maxsize=512)
def _cell_template(
    width: int, span: int, vmerge: str, align: str, size: int, font: str, keep_next: bool
) -> Element:
    """An empty cell of this width, span, merge, alignment and size; the text goes into its paragraph."""
    cell = Cell(("",), span, vmerge, align, size)
    tcpr = _e(
        "w:tcPr",
        None,
        _e("w:tcW", {"w:w": str(width), "w:type": "dxa"}),
        _v("w:gridSpan", cell.span) if cell.span > 1 else None,
        (_v("w:vMerge", "restart") if cell.vmerge == "restart" else _e("w:vMerge")) if cell.vmerge else None,
        _v("w:vAlign", "center"),
    )
    ppr = _e(
        "w:pPr",
        None,
        _e("w:keepNext") if keep_next else None,
        _spacing(TABLE_LINE),
        _e("w:ind", {"w:firstLine": "0"}),
        _v("w:jc", cell.align),
        _rpr(font, cell.size),
    )
    return _e("w:tc", None, tcpr, _e("w:p", None, ppr))


def _table(widths: list[int], rows: Iterable[Row], font: str) -> Element:
    """A table with explicit borders; header rows repeat on each page; no row splits across pages."""
    border = {"w:val": "single", "w:sz": str(BORDER), "w:space": "0", "w:color": "000000"}
    tblpr = _e(
        "w:tblPr",
        None,
        _e("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}),
        _v("w:jc", "center"),
        _e(
            "w:tblBorders",
            None,
            *(_e(f"w:{side}", border) for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
        ),
        _e("w:tblLayout", {"w:type": "fixed"}),
        _e(
            "w:tblCellMar",
            None,
            _e("w:left", {"w:w": str(CELL_MARGIN), "w:type": "dxa"}),
            _e("w:right", {"w:w": str(CELL_MARGIN), "w:type": "dxa"}),
        ),
        _v("w:tblLook", "0000"),
    )
    table = _e(
        "w:tbl", None, tblpr, _e("w:tblGrid", None, *(_e("w:gridCol", {"w:w": str(w)}) for w in widths))
    )
    for row in rows:
        trpr = _e("w:trPr", None, _e("w:cantSplit"), _e("w:tblHeader") if row.header else None)
        tr = _e("w:tr", None, trpr)
        col = 0
        for cell in row.cells:
            tr.append(_cell(cell, sum(widths[col : col + cell.span]), font, row.keep_next))
            col += cell.span
        table.append(tr)
    return table


def _spread(values: Sequence[str], columns: int = 3) -> list[Cell]:
    """Values over the figure columns of table 二: one each, the last taking what is left."""
    if not values:
        return [_c("", columns)]
    spans = [1] * (len(values) - 1) + [max(1, columns - len(values) + 1)]
    return [_c(v, s) for v, s in zip(values, spans, strict=True)]


def _block_rows(rows: list[list[Cell]]) -> list[Row]:
    """A 第二十条 block's rows, each kept with the next, so a page breaks only between blocks."""
    return [Row(cells, keep_next=n < len(rows) - 1) for n, cells in enumerate(rows)]


def _table2(report: Report, font: str) -> Element:
    widths = [2655, 2063, 2063, 2063]
    rows: list[Row] = []
    for block in layout.T2_BLOCKS:
        block_rows = [
            [_c(block.item, 4)],
            [_c(layout.T2_ROW_HEADER), *_spread([label for _, label in block.columns])],
        ]
        for rkey, rlabel in block.rows:
            values = [cell_text(report, layout.t2(rkey, ckey)) for ckey, _ in block.columns]
            block_rows.append([_c(rlabel), *_spread(values)])
        rows += _block_rows(block_rows)
    return _table(widths, rows, font)


def _legacy_table2(report: Report, font: str) -> Element:
    """Table 二 of the 2019–2020 trial format, row by row as read: an item line spans the table, a row's first
    cell is its label and the rest spread over the figure columns, each block kept whole."""
    columns = max(3, *(len(cells) - 1 for cells in report.legacy_table2))
    label = 2655
    widths = [label] + [(TEXT_WIDTH - label) // columns] * columns
    blocks: list[list[list[Cell]]] = []
    for cells in report.legacy_table2:
        if len(cells) <= 1:
            blocks.append([[_c(cells[0] if cells else "", columns + 1)]])
            continue
        if not blocks:
            blocks.append([])
        blocks[-1].append([_c(cells[0]), *_spread(cells[1:], columns)])
    rows = [row for block in blocks for row in _block_rows(block)]
    return _table(widths, rows, font)


def text_width(text: str, size_half_points: int) -> int:
    """The width of a cell text in twips: CJK characters one em, digits and Latin at most DIGIT_EM."""
    em = size_half_points * 10  # twips per em: half-points × 10
    return math.ceil(sum(em if ord(ch) >= 0x2E80 else em * DIGIT_EM for ch in text))


def vertical_lines(label: str) -> tuple[str, ...]:
    """A label set one character a line, punctuation (、，) kept on the line of the character before it."""
    lines: list[str] = []
    for ch in label:
        if ch in "、，。）" and lines:
            lines[-1] += ch
        else:
            lines.append(ch)
    return tuple(lines)


def group_lines(group: str) -> tuple[str, ...]:
    """（三）不予公开 on two lines, broken after its number: （三） / 不予公开."""
    number, _, words = group.partition("）")
    return (f"{number}）", words) if words else (group,)


def figure_size(figures: Iterable[str], width: int) -> int:
    """The size (half-points) at which the widest figure fits a column of this width: the table's own size when it
    can, smaller down to 7 pt when the column cannot be wider."""
    widest = max(figures, key=lambda f: text_width(f, TABLE_SIZE), default="")
    for size in range(TABLE_SIZE, MIN_FIGURE_SIZE, -1):
        if text_width(widest, size) + 2 * CELL_MARGIN + FIGURE_SLACK <= width:
            return size
    return MIN_FIGURE_SIZE


TABLE3_OUTER = 2 * TABLE_SIZE * 10 + 2 * CELL_MARGIN + 6  # two characters: "三、"
TABLE3_GROUP = 4 * TABLE_SIZE * 10 + 2 * CELL_MARGIN + 6  # four characters: "不予公开"
TABLE3_MIN_LABEL = 1600  # twips: seven characters a line, so a row label stays within three or four lines


def table3_widths(figures: Iterable[str]) -> list[int]:
    """Column widths of table 三: the figure columns as wide as the widest figure needs (up to what leaves the row
    labels seven characters a line), the label column the rest."""
    widest = max((text_width(f, TABLE_SIZE) for f in figures), default=0)
    most = (TEXT_WIDTH - TABLE3_OUTER - TABLE3_GROUP - TABLE3_MIN_LABEL) // 7
    figure = min(most, max(620, widest + 2 * CELL_MARGIN + FIGURE_SLACK))
    label = TEXT_WIDTH - TABLE3_OUTER - TABLE3_GROUP - 7 * figure
    return [TABLE3_OUTER, TABLE3_GROUP, label, *([figure] * 7)]


def _table3(report: Report, font: str) -> Element:
    value_cols = [k for k, _ in layout.T3_COLUMNS]
    figures = {row.key: [cell_text(report, layout.t3(row.key, c)) for c in value_cols] for row in layout.T3_ROWS}
    widths = table3_widths(f for values in figures.values() for f in values)
    size = figure_size((f for values in figures.values() for f in values), widths[-1])
    legal = [label for key, label in layout.T3_COLUMNS if key in layout.T3_LEGAL_PERSON_COLUMNS]
    # The header rows repeat on each page and stay with the first data row.
    rows: list[Row] = [
        Row([_c(layout.T3_HEADER_NOTE, 3, "restart"), _c(layout.T3_HEADER_APPLICANT, 7)], True, True),
        Row(
            [
                _c("", 3, "continue"),
                _c("自然人", 1, "restart"),
                _c(layout.T3_HEADER_LEGAL_PERSON, 5),
                _c("总计", 1, "restart"),
            ],
            True,
            True,
        ),
        Row(
            [
                _c("", 3, "continue"),
                _c("", 1, "continue"),
                *(_c(label) for label in legal),
                _c("", 1, "continue"),
            ],
            True,
            True,
        ),
    ]
    group_seen: set[str] = set()
    first_result = True
    for row in layout.T3_ROWS:
        values = [_c(v, size=size) for v in figures[row.key]]
        if row.key in ("new", "carried_in", "carried_out"):
            label = [_c(row.label, 3, align="left")]
        else:
            outer = _c(
                vertical_lines(layout.T3_RESULT_HEADING) if first_result else "",
                1,
                "restart" if first_result else "continue",
            )
            first_result = False
            if row.item:
                first_item = row.group not in group_seen
                group_seen.add(row.group)
                label = [
                    outer,
                    _c(
                        group_lines(row.group) if first_item else "",
                        1,
                        "restart" if first_item else "continue",
                    ),
                    _c(row.label, align="left"),
                ]
            else:
                label = [outer, _c(row.label, 2, align="left")]
        rows.append(Row([*label, *values]))
    return _table(widths, rows, font)


def _table4(report: Report, font: str) -> Element:
    widths = [590] * 14 + [TEXT_WIDTH - 590 * 14]
    labels = [label for _, label in layout.T4_COLUMNS]
    figures = [cell_text(report, layout.t4(g, c)) for g, _ in layout.T4_GROUPS for c, _ in layout.T4_COLUMNS]
    # Fifteen columns fill the line: a figure too wide for its column is set smaller, never broken.
    size = figure_size(figures, min(widths))
    rows = [
        Row([_c(layout.T4_GROUP_SHORT["review"], 5), _c(layout.T4_HEADER_SUIT, 10)], True, True),
        Row(
            [
                *(_c(label, 1, "restart") for label in labels),
                _c(layout.T4_GROUP_SHORT["suit_direct"], 5),
                _c(layout.T4_GROUP_SHORT["suit_after"], 5),
            ],
            True,
            True,
        ),
        Row([*(_c("", 1, "continue") for _ in labels), *(_c(label) for label in labels * 2)], True, True),
        Row([_c(figure, size=size) for figure in figures]),
    ]
    return _table(widths, rows, font)


# --- document -----------------------------------------------------------------------------------------------


def _heading(block: Heading, font: str) -> Element:
    if block.level == 2:
        return _paragraph(block.text, HEADING2_FONT, keep_next=True)
    return _paragraph(block.text, HEADING1_FONT, keep_next=True, before=AFTER_TABLE if block.after_table else 0)


def _body(report: Report) -> list[Element]:
    """The outline of the document (export/outline.py) set in the official type."""
    font = report.body_font
    tables = {"t2": _table2, "t2-2019": _legacy_table2, "t3": _table3, "t4": _table4}
    out: list[Element] = []
    blocks = outline_of(report)
    for n, block in enumerate(blocks):
        if isinstance(block, Title):
            out.append(_paragraph(block.text, TITLE_FONT, TITLE_SIZE, align="center", indent=False, exact=False))
            if not isinstance(blocks[n + 1], Title):
                out.append(_paragraph("", font))  # a blank line between the title and the opening
        elif isinstance(block, Heading):
            out.append(_heading(block, font))
        elif isinstance(block, Paragraph):
            out.append(_paragraph(block.text, font))
        else:
            # Each table follows its heading (kept with the first rows) and flows on: no page is left mostly empty.
            out.append(tables[block.which](report, font))
    return out


def _set_defaults(document: object, font: str) -> None:
    """Body font on docDefaults and Normal, with w:eastAsia and no theme fonts."""
    styles = document.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    rpr = _rpr(font, BODY_SIZE)
    rpr.append(_e("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN"}))
    styles.insert(
        0,
        _e(
            "w:docDefaults",
            None,
            _e("w:rPrDefault", None, rpr),
            _e(
                "w:pPrDefault",
                None,
                _e(
                    "w:pPr",
                    None,
                    _e("w:spacing", {"w:after": "0", "w:line": str(LINE_EXACT), "w:lineRule": "exact"}),
                ),
            ),
        ),
    )
    # Every style's own fonts: drop theme attributes so no theme font leaks into the document.
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)


def font_entry(name: str) -> Element:
    """The fontTable entry of an official font: what a reader without it should use instead."""
    alt, panose, family, pitch = OFFICIAL_FONTS[name]
    return _e(
        "w:font",
        {"w:name": name},
        _v("w:altName", alt),
        _v("w:panose1", panose),
        _v("w:charset", "86"),
        _v("w:family", family),
        _v("w:pitch", pitch),
    )


def _font_table(document: object, body_font: str) -> None:
    """Replace the template's Latin and Japanese font entries with the fonts this document uses."""
    part = next(
        rel.target_part
        for rel in document.part.rels.values()  # type: ignore[attr-defined]
        if rel.reltype.endswith("/fontTable")
    )
    fonts = etree.fromstring(part.blob)
    for child in list(fonts):
        fonts.remove(child)
    for name in (TITLE_FONT, body_font, HEADING1_FONT, HEADING2_FONT, FOOTER_FONT):
        fonts.append(font_entry(name))
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_number_paragraph(align: str) -> Element:
    """— N — in 4号 宋体, one character in from the right (odd pages) or the left (even pages): GB/T 9704 §7.5."""
    side = "w:right" if align == "right" else "w:left"

    def run(*children: Element) -> Element:
        return _e("w:r", None, _rpr(FOOTER_FONT, FOOTER_SIZE), *children)

    ppr = _e(
        "w:pPr",
        None,
        _spacing(FOOTER_SIZE * 10),
        _e("w:ind", {side: str(FOOTER_INDENT), "w:firstLine": "0"}),
        _v("w:jc", align),
        _rpr(FOOTER_FONT, FOOTER_SIZE),
    )
    instr = _e("w:instrText")
    instr.set(_XML_SPACE, "preserve")
    instr.text = " PAGE "
    return _e(
        "w:p",
        None,
        ppr,
        run(_t("— ")),
        run(_e("w:fldChar", {"w:fldCharType": "begin"})),
        run(instr),
        run(_e("w:fldChar", {"w:fldCharType": "separate"})),
        run(_t("1")),
        run(_e("w:fldChar", {"w:fldCharType": "end"})),
        run(_t(" —")),
    )


def _footers(document: object) -> None:
    """Odd pages' number on the right, even pages' on the left (settings: different odd and even pages)."""
    document.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    section = document.sections[0]  # type: ignore[attr-defined]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        element = footer._element
        for child in list(element):
            element.remove(child)
        element.append(page_number_paragraph(align))


def _properties(document: object, report: Report) -> None:
    """Title and author of the report; created and modified now; none of the template's own text."""
    core = document.core_properties  # type: ignore[attr-defined]
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    core.title = f"{report.agency}{report.title}"
    core.author = report.agency
    core.last_modified_by = report.agency
    core.created = core.modified = now
    core.comments = core.subject = core.keywords = core.category = ""
    core.revision = 1
    package = document.part.package  # type: ignore[attr-defined]
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]  # the template's picture of a blank page
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            # The template claims "Microsoft Macintosh Word" and one page: say which program wrote the file.
            props = etree.Element(f"{{{_EXTENDED}}}Properties", nsmap={None: _EXTENDED})
            etree.SubElement(props, f"{{{_EXTENDED}}}Application").text = APPLICATION
            etree.SubElement(props, f"{{{_EXTENDED}}}Company").text = report.agency
            rel.target_part._blob = etree.tostring(
                props, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def render_docx(report: Report) -> bytes:
    """The report as a .docx file in the official layout."""
    document = Document()
    _set_defaults(document, report.body_font)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The number's 一字线 sits 7 mm below the type area (35 − 7 = 28 mm up): the middle of a 14 pt footer line.
    section.footer_distance = Mm(25.5)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    sect_pr = body.find(qn("w:sectPr"))
    for element in _body(report):
        sect_pr.addprevious(element)
    _footers(document)
    _font_table(document, report.body_font)
    _properties(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
