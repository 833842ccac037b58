"""The Word file: official layout in the XML, a lossless round trip, and LibreOffice renders it."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.export.word import render_docx
from assistant.format import layout
from assistant.format.models import Report
from assistant.importers.result import ReadError
from assistant.importers.word import docx_lines, read_docx
from tests.conftest import ROOT, need_tool

FONTS_CONF = ROOT / "tests" / "fonts" / "fonts.conf"


def distinct_figures() -> Report:
    """A report with a different nonzero figure in every cell, so no cell can be read into the wrong place."""
    report = load_example()
    for i, key in enumerate(layout.COUNT_CELLS, start=1):
        report.cells[key] = 1000 + i
    report.fee_amount_wan = Decimal("12.3456")
    return report


def xml_of(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


@pytest.mark.parametrize(
    "make", [lambda: fill(load_example()), distinct_figures], ids=["example", "distinct"]
)
def test_round_trip_keeps_every_cell_part_and_fact(make: object) -> None:
    report: Report = make()  # type: ignore[operator]
    data = render_docx(report)
    back = read_docx(data)
    assert back.notes == []
    assert back.report.cells == report.cells
    assert back.report.fee_amount_wan == report.fee_amount_wan
    assert (back.report.agency, back.report.year) == (report.agency, report.year)
    assert (back.report.compiler, back.report.published_at) == (report.compiler, report.published_at)
    assert {k: p.text for k, p in back.report.parts.items()} == {k: p.text for k, p in report.parts.items()}
    # Import, then render again: the same document text.
    assert docx_lines(render_docx(back.report)) == docx_lines(data)


def test_round_trip_of_the_seed_text(seed_path: Path) -> None:
    from assistant.importers.text import read_text

    report = fill(read_text(seed_path.read_text()).report)
    back = read_docx(render_docx(report)).report
    assert back.cells == report.cells
    assert back.parts["problems.measures"].text == report.parts["problems.measures"].text


def test_blank_and_raw_cells_survive() -> None:
    report = fill(load_example())
    report.cells["t3.r5_2.legal"] = None
    report.cells["t3.r5_2.total"] = None
    report.cells["t2.licensing.decisions"] = None
    report.raw_cells["t2.licensing.decisions"] = "约5"
    back = read_docx(render_docx(report)).report
    assert back.cells["t3.r5_2.legal"] is None
    assert back.raw_cells == {"t2.licensing.decisions": "约5"}


def test_page_margins_fonts_and_sizes_in_the_xml() -> None:
    data = render_docx(fill(load_example()))
    doc = xml_of(data)
    # A4 and GB/T 9704 margins, in twips (1 mm = 56.7 twips).
    assert re.search(r'<w:pgSz w:w="1190\d" w:h="1683\d"', doc)
    margins = dict(
        re.findall(r'w:(top|bottom|left|right)="(\d+)"', re.search(r"<w:pgMar [^>]+>", doc).group(0))
    )  # type: ignore[union-attr]
    assert {k: round(int(v) / 56.7) for k, v in margins.items()} == {
        "top": 37,
        "bottom": 35,
        "left": 28,
        "right": 26,
    }
    # Every run names its East Asian font; no theme font anywhere.
    fonts = re.findall(r"<w:rFonts [^>]*>", doc)
    assert fonts and all("w:eastAsia=" in f for f in fonts)
    assert "Theme" not in doc and "Theme=" not in xml_of(data, "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in xml_of(data, "word/styles.xml")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", doc)
    title = paragraphs[0]
    assert "方正小标宋简体" in title and '<w:sz w:val="44"/>' in title and '<w:jc w:val="center"/>' in title
    heading = next(p for p in paragraphs if ">一、总体情况</w:t>" in p)
    assert 'w:eastAsia="黑体"' in heading
    sub = next(p for p in paragraphs if ">（一）主动公开情况</w:t>" in p)
    assert 'w:eastAsia="楷体_GB2312"' in sub
    assert 'w:line="579" w:lineRule="exact"' in doc and 'w:firstLineChars="200"' in doc


def test_tables_have_official_merges_borders_and_repeating_headers() -> None:
    doc = xml_of(render_docx(fill(load_example())))
    tables = re.findall(r"<w:tbl>.*?</w:tbl>|<w:tbl .*?</w:tbl>", doc, flags=re.S)
    assert len(tables) == 3
    t2, t3, t4 = tables
    assert t2.count("<w:tr>") == 14 and t3.count("<w:tr>") == 28 and t4.count("<w:tr>") == 4
    for table in tables:
        assert '<w:insideH w:val="single"' in table and '<w:insideV w:val="single"' in table
        assert table.count("<w:cantSplit/>") == table.count("<w:tr>")
    assert t3.count("<w:tblHeader/>") == 3 and t4.count("<w:tblHeader/>") == 3
    # 三、本年度办理结果 spans the 24 result rows; （三）不予公开 its 8 items.
    assert (
        t3.count('<w:vMerge w:val="restart"/>') == 1 + 2 + 1 + 4
    )  # note, 自然人, 总计, 办理结果, four groups
    assert '<w:gridSpan w:val="7"/>' in t3 and '<w:gridSpan w:val="5"/>' in t3
    assert '<w:gridSpan w:val="10"/>' in t4


def test_hostile_text_still_makes_a_valid_file() -> None:
    report = fill(load_example())
    report.parts["overview.active"].text = "控制字符\x00\x07\x1b在此，表情😀，生僻字𠀀，<b>标签</b> & 符号"
    report.parts["other"].text = "很长的一段。" * 5000
    data = render_docx(report)
    back = read_docx(data).report
    assert back.parts["overview.active"].text == "控制字符在此，表情😀，生僻字𠀀，<b>标签</b> & 符号"
    assert len(back.parts["other"].text) == 30000


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04 not really a zip", "损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "加密"),
        (b"plain text pretending", "损坏"),
    ],
)
def test_broken_docx_says_why(data: bytes, words: str) -> None:
    with pytest.raises(ReadError, match=words):
        read_docx(data)


def test_zip_bomb_is_refused_before_inflating() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (210 * 1024 * 1024))
    with pytest.raises(ReadError, match="过大"):
        read_docx(buffer.getvalue())


def convert_to_pdf(docx: Path) -> Path:
    soffice = need_tool("soffice")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(docx.parent)}
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True,
        capture_output=True,
        timeout=180,
        env=env,
    )
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def test_libreoffice_renders_labels_and_figures(tmp_path: Path) -> None:
    report = distinct_figures()
    report.parts["overview.active"].text += "表情😀和控制字符\x0b也不影响打开。"
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(report))
    pdf = convert_to_pdf(path)
    pdftotext = need_tool("pdftotext")
    pages = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"\s+", "", pages)
    for label in (
        "一、总体情况",
        "第二十条第（一）项",
        "申请人情况",
        "法人或其他组织",
        "（七）总计",
        "复议后起诉",
        "六、其他需要报告的事项",
    ):
        assert label in text, label
    for key in ("t3.new.natural", "t3.r7.total", "t4.suit_after.total", "t2.fees.amount"):
        assert str(report.cells.get(key) or "12.3456") in text
    assert "— 1 —" in pages or "—1—" in text


def test_practitioners_template_filled_in_reads_every_cell(data: Path) -> None:
    """The official-format template from tests/data/reference, filled with a different number in every empty cell."""
    import docx

    document = docx.Document(str(data / "reference" / "official-format-template.docx"))
    number = 0
    for table in document.tables:
        for table_row in table.rows:
            for cell in table_row.cells:
                if not cell.text.strip():
                    number += 1
                    cell.text = str(number)
    document.paragraphs[0].text = "某县人民政府2024年政府信息公开工作年度报告"
    buffer = io.BytesIO()
    document.save(buffer)
    imported = read_docx(buffer.getvalue())
    report = imported.report
    assert (report.agency, report.year) == ("某县人民政府", 2024)
    assert [report.cells[f"t2.rules.{c}"] for c in ("issued", "repealed", "valid")] == [1, 2, 3]
    assert report.fee_amount_wan == Decimal(10)
    assert report.cells["t3.new.natural"] == 11 and report.cells["t3.new.total"] == 17
    assert report.cells["t3.carried_out.total"] == number - 15  # the last row of table 三, before table 四
    assert [report.cells[f"t4.suit_after.{c}"] for c, _ in layout.T4_COLUMNS] == list(
        range(number - 4, number + 1)
    )
    assert [n.message for n in imported.notes if n.severity == "warning"] == []
