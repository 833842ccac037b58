"""The Word file's layout, element by element: fonts a reader can substitute, page numbers, tables, properties."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.export import word
from assistant.export.word import render_docx
from assistant.format import layout
from assistant.format.models import Report
from assistant.importers.text import read_text
from assistant.importers.word import read_docx
from tests.conftest import DATA

W = nsdecls("w")


def five_digit_figures() -> Report:
    """The example with a different five-digit figure in every cell (the widest a table must hold)."""
    report = load_example()
    for i, key in enumerate(layout.COUNT_CELLS):
        report.cells[key] = 10000 + (i * 1237) % 89999
    report.fee_amount_wan = Decimal("12345.6789")
    return report


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def tree(xml: str) -> bytes:
    """Canonical XML of an expected element written with the w: prefix."""
    return etree.tostring(etree.fromstring(xml), method="c14n", exclusive=True)


def canon(element: etree._Element) -> bytes:
    return etree.tostring(etree.fromstring(etree.tostring(element)), method="c14n", exclusive=True)


def body_of(data: bytes) -> etree._Element:
    return part(data, "word/document.xml").find(qn("w:body"))


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


@pytest.fixture(scope="module")
def example_docx() -> bytes:
    return render_docx(fill(load_example()))


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (
            "仿宋_GB2312",
            '<w:font {W} w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:panose1 w:val="02010609030101010101"/>'
            '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="fixed"/></w:font>',
        ),
        (
            "方正小标宋简体",
            '<w:font {W} w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:panose1 w:val="02010600030101010101"/>'
            '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>',
        ),
        (
            "楷体_GB2312",
            '<w:font {W} w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:panose1 w:val="02010609030101010101"/>'
            '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="fixed"/></w:font>',
        ),
        (
            "黑体",
            '<w:font {W} w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/>'
            '<w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="fixed"/></w:font>',
        ),
    ],
)
def test_font_table_tells_a_reader_what_to_fall_back_to(
    example_docx: bytes, font: str, expected: str
) -> None:
    fonts = part(example_docx, "word/fontTable.xml")
    entry = next(f for f in fonts if f.get(qn("w:name")) == font)
    assert canon(entry) == tree(expected.format(W=W))


def test_font_table_lists_only_the_fonts_the_document_uses(example_docx: bytes) -> None:
    names = [f.get(qn("w:name")) for f in part(example_docx, "word/fontTable.xml")]
    assert names == ["方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"]
    report = fill(load_example())
    report.body_font = "仿宋"
    names = [f.get(qn("w:name")) for f in part(render_docx(report), "word/fontTable.xml")]
    assert "仿宋" in names and "仿宋_GB2312" not in names


def _footer_paragraphs(data: bytes) -> dict[str, etree._Element]:
    """The footer paragraph of each footer reference type (default = odd pages, even)."""
    document = part(data, "word/document.xml")
    rels = part(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    sect = document.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    out = {}
    for ref in sect.findall(qn("w:footerReference")):
        footer = part(data, "word/" + targets[ref.get(qn("r:id"))])
        (paragraph,) = footer.findall(qn("w:p"))
        out[ref.get(qn("w:type"))] = paragraph
    return out


@pytest.mark.parametrize(("kind", "side"), [("default", "right"), ("even", "left")])
def test_page_numbers_odd_right_even_left_one_character_in(example_docx: bytes, kind: str, side: str) -> None:
    paragraph = _footer_paragraphs(example_docx)[kind]
    rpr = (
        '<w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体" w:hint="eastAsia"/>'
        '<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>'
    )
    expected = (
        f'<w:pPr {W}><w:spacing w:before="0" w:after="0" w:line="280" w:lineRule="exact"/>'
        f'<w:ind w:{side}="280" w:firstLine="0"/><w:jc w:val="{side}"/>{rpr}</w:pPr>'
    )
    assert canon(paragraph.find(qn("w:pPr"))) == tree(expected)
    assert text_of(paragraph) == "— 1 —"
    assert [i.text for i in paragraph.iter(qn("w:instrText"))] == [" PAGE "]
    for run in paragraph.findall(qn("w:r")):
        assert canon(run.find(qn("w:rPr"))) == tree(rpr.replace("<w:rPr>", f"<w:rPr {W}>"))


def test_odd_and_even_footers_are_switched_on_and_the_first_page_is_not_special(example_docx: bytes) -> None:
    settings = part(example_docx, "word/settings.xml")
    assert settings.find(qn("w:evenAndOddHeaders")) is not None
    sect = body_of(example_docx).find(qn("w:sectPr"))
    assert sect.find(qn("w:titlePg")) is None
    assert sorted(r.get(qn("w:type")) for r in sect.findall(qn("w:footerReference"))) == ["default", "even"]


def test_core_properties_name_the_report_and_now(example_docx: bytes) -> None:
    import docx

    core = docx.Document(io.BytesIO(example_docx)).core_properties
    report = load_example()
    assert core.title == f"{report.agency}{report.title}"
    assert core.author == report.agency
    now = datetime.now(UTC).replace(tzinfo=None)
    for stamp in (core.created, core.modified):
        assert abs(stamp.replace(tzinfo=None) - now) < timedelta(minutes=5)
    with zipfile.ZipFile(io.BytesIO(example_docx)) as archive:
        for name in archive.namelist():
            data = archive.read(name).lower()
            assert b"python-docx" not in data and b"macintosh" not in data, name
        assert not any("thumbnail" in name for name in archive.namelist())


def test_every_table_is_followed_by_half_a_line(example_docx: bytes) -> None:
    body = body_of(example_docx)
    tables = body.findall(qn("w:tbl"))
    assert len(tables) == 3
    for table in tables:
        after = table.getnext()
        spacing = after.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
        assert spacing.get(qn("w:before")) == str(word.LINE_EXACT // 2) == "289"
    assert not list(body.iter(qn("w:pageBreakBefore")))  # tables flow: no page is left mostly empty


def _rows(table: etree._Element) -> list[tuple[str, bool, bool]]:
    """(first cell's text, every paragraph keeps with next, header row) for each row."""
    out = []
    for tr in table.findall(qn("w:tr")):
        keeps = [p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in tr.iter(qn("w:p"))]
        assert all(keeps) or not any(keeps)
        out.append(
            (
                text_of(tr.find(qn("w:tc"))),
                all(keeps),
                tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None,
            )
        )
    return out


def test_table2_keeps_each_article_block_together_and_with_its_heading(example_docx: bytes) -> None:
    body = body_of(example_docx)
    table = body.findall(qn("w:tbl"))[0]
    heading = table.getprevious()
    assert text_of(heading) == "二、主动公开政府信息情况"
    assert heading.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    rows = _rows(table)
    # A row keeps with the next except the last of each 第二十条 block: the page may break only there.
    breaks = [text for text, keep, _ in rows if not keep]
    assert breaks == ["行政规范性文件", "行政许可", "行政强制", "行政事业性收费"]
    assert [text for text, _, _ in rows if text.startswith("第二十条")] == [b.item for b in layout.T2_BLOCKS]


@pytest.mark.parametrize("index", [1, 2], ids=["table3", "table4"])
def test_header_rows_repeat_and_stay_with_the_first_data_row(example_docx: bytes, index: int) -> None:
    rows = _rows(body_of(example_docx).findall(qn("w:tbl"))[index])
    assert [(keep, header) for _, keep, header in rows[:4]] == [(True, True)] * 3 + [(False, False)]
    assert not any(keep for _, keep, _ in rows[3:])


@pytest.mark.parametrize(
    ("figure", "figure_width"),
    [
        ("0", 620),
        ("999", 620),
        ("9999", 676),
        ("99999", 810),
        ("123456", 820),
        ("约5", 620),
        ("约12345", 820),
    ],
)
def test_table3_figure_columns_fit_the_widest_figure(figure: str, figure_width: int) -> None:
    widths = word.table3_widths(["1", figure])
    assert widths[3:] == [figure_width] * 7
    size = word.figure_size(["1", figure], figure_width)
    assert figure_width >= word.text_width(figure, size) + 2 * word.CELL_MARGIN
    assert size == word.TABLE_SIZE or figure_width == 820  # smaller only when the column may not be wider
    assert widths[2] >= word.TABLE3_MIN_LABEL
    assert sum(widths) == word.TEXT_WIDTH
    assert widths[:2] == [540, 960]  # "三、" and "不予公开" fit; the label column gives way


@pytest.mark.parametrize(
    ("figure", "size"), [("0", 21), ("999", 21), ("9999", 17), ("99999", 14), ("12345678", 14)]
)
def test_table4_figures_are_set_smaller_rather_than_broken(figure: str, size: int) -> None:
    report = fill(load_example())
    report.cells["t4.review.upheld"] = int(figure)
    table = body_of(render_docx(report)).findall(qn("w:tbl"))[2]
    data = table.findall(qn("w:tr"))[-1]
    sizes = {sz.get(qn("w:val")) for sz in data.iter(qn("w:sz"))}
    assert sizes == {str(size)}
    assert size == word.figure_size([figure], 584)


def test_table3_grid_follows_the_figures() -> None:
    table = body_of(render_docx(fill(five_digit_figures()))).findall(qn("w:tbl"))[1]
    grid = [int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid"))]
    assert grid == word.table3_widths(["99999"])


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("三、本年度办理结果", ("三、", "本", "年", "度", "办", "理", "结", "果")),
        ("甲，乙", ("甲，", "乙")),
        ("、开头", ("、", "开", "头")),
    ],
)
def test_vertical_label_keeps_punctuation_with_its_neighbour(label: str, lines: tuple[str, ...]) -> None:
    assert word.vertical_lines(label) == lines


def test_vertical_label_is_one_run_broken_by_line_breaks(example_docx: bytes) -> None:
    table = body_of(example_docx).findall(qn("w:tbl"))[1]
    cell = next(tc for tc in table.iter(qn("w:tc")) if text_of(tc) == "三、本年度办理结果")
    (run,) = cell.iter(qn("w:r"))
    assert [child.tag for child in run][1:4] == [qn("w:t"), qn("w:br"), qn("w:t")]
    assert [t.text for t in run.iter(qn("w:t"))][:2] == ["三、", "本"]
    group = next(tc for tc in table.iter(qn("w:tc")) if text_of(tc) == "（三）不予公开")
    assert [t.text for t in group.iter(qn("w:t"))] == ["（三）", "不予公开"]


def test_five_digit_figures_read_back_cell_for_cell() -> None:
    report = fill(five_digit_figures())
    back = read_docx(render_docx(report)).report
    assert back.cells == report.cells and back.fee_amount_wan == report.fee_amount_wan


@pytest.fixture(scope="module")
def trial_format() -> Report:
    path = next((DATA / "corpus" / "reports").glob("05_*2019.txt"))
    report = read_text(path.read_text(encoding="utf-8")).report
    assert report.format_edition == "2019" and report.legacy_table2
    return report


def test_trial_format_table2_is_laid_out_as_printed(trial_format: Report) -> None:
    data = render_docx(fill(trial_format))
    table = body_of(data).findall(qn("w:tbl"))[0]
    assert table.getprevious() is not None and text_of(table.getprevious()) == "二、主动公开政府信息情况"
    printed = [[text_of(tc) for tc in tr.findall(qn("w:tc"))] for tr in table.findall(qn("w:tr"))]
    assert printed == trial_format.legacy_table2
    # A block is kept whole: rows break only before the next 第二十条 line.
    rows = _rows(table)
    for (_, keep, _), (next_text, _, _) in zip(rows, rows[1:], strict=False):
        assert keep == (not next_text.startswith("第二十条"))
    # Read back: the same rows, still recognised as the trial format.
    back = read_docx(data).report
    assert back.format_edition == "2019" and back.legacy_table2 == trial_format.legacy_table2
