"""Saved web pages: the published 平潭 pages cell for cell against their text twins, and generated pages of every kind."""

from __future__ import annotations

import re
import time
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from assistant.checks.checking import check_imported
from assistant.format import layout
from assistant.format.models import Report
from assistant.importers.files import READERS, read_bytes, read_path
from assistant.importers.html import decode_page, read_html, read_mhtml, table_grid
from assistant.importers.result import ReadError

TWINS = {
    "pingtan-zonghe-shiyanqu_2023.html": ("09_pingtan-zonghe-shiyanqu_2023.txt", date(2024, 3, 8)),
    "pingtan-zonghe-shiyanqu_2024.html": ("10_pingtan-zonghe-shiyanqu_2024.txt", date(2025, 3, 10)),
    "pingtan-zonghe-shiyanqu_2025.html": ("11_pingtan-zonghe-shiyanqu_2025.txt", date(2026, 3, 10)),
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("page", sorted(TWINS))
def test_published_page_reads_every_cell_as_its_text_twin(data: Path, page: str) -> None:
    twin_name, published = TWINS[page]
    html = read_path(data / "corpus" / "html" / page)
    twin = read_path(data / "corpus" / "reports" / twin_name)
    assert html.report.cells == twin.report.cells
    assert html.report.fee_amount_wan == twin.report.fee_amount_wan
    assert (
        (html.report.agency, html.report.year)
        == (twin.report.agency, twin.report.year)
        == (
            "平潭综合实验区",
            int(page[-9:-5]),
        )
    )
    assert html.report.published_on == twin.report.published_on == published
    assert html.notes == twin.notes == []
    # The narrative too, up to line breaks (the page keeps a paragraph break the twin joined).
    for key, part in twin.report.parts.items():
        assert _flat(html.report.parts[key].text) == _flat(part.text), key
    assert html.report.preamble == twin.report.preamble
    assert [f.message for f in check_imported(html) if f.severity == "error"] == []


def test_published_page_imports_within_50_ms(data: Path) -> None:
    raw = (data / "corpus" / "html" / "pingtan-zonghe-shiyanqu_2025.html").read_bytes()
    read_bytes(raw, ".html")  # lxml loaded once
    start = time.perf_counter()
    for _ in range(5):
        read_bytes(raw, ".html")
    # The budget is 50 ms; a shared CI machine gets a margin.
    assert (time.perf_counter() - start) / 5 < 0.15


# --- generated pages ---------------------------------------------------------------------------------------


def _numbered() -> Report:
    """A report whose every cell holds a different figure, so a cell read into the wrong place shows."""
    report = Report(agency="某县交通运输局", year=2024)
    for n, key in enumerate(layout.COUNT_CELLS, 1):
        report.cells[key] = n
    report.fee_amount_wan = None
    report.cells[layout.FEE_CELL] = None
    return report


def _td(text: object, rows: int = 1, cols: int = 1) -> str:
    span = (f' rowspan="{rows}"' if rows > 1 else "") + (f' colspan="{cols}"' if cols > 1 else "")
    return f'<td{span} style="border:1px solid windowtext"><p style="text-indent:0">{text}</p></td>'


def _t2(report: Report) -> str:
    rows = []
    for block in layout.T2_BLOCKS:
        rows.append(f"<tr>{_td(block.item, cols=len(block.columns) + 1)}</tr>")
        rows.append(
            "<tr>" + _td(layout.T2_ROW_HEADER) + "".join(_td(label) for _, label in block.columns) + "</tr>"
        )
        for rkey, label in block.rows:
            values = "".join(_td(report.cells.get(f"t2.{rkey}.{c}") or "&nbsp;0") for c, _ in block.columns)
            rows.append(f"<tr>{_td(label)}{values}</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _t3(report: Report) -> str:
    columns = layout.T3_COLUMNS
    head = (
        f"<tr>{_td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3)}"
        f"{_td('申请人情况', cols=7)}</tr>"
        f"<tr>{_td('自然人', 2)}{_td('法人或其他组织', cols=5)}{_td('总计', 2)}</tr>"
        "<tr>" + "".join(_td(label) for _, label in columns[1:6]) + "</tr>"
    )
    body = []
    results = [r for r in layout.T3_ROWS if r.key in layout.T3_RESULT_ROWS or r.key == "r7"]
    groups: dict[str, int] = {}
    for r in results:
        groups[r.group] = groups.get(r.group, 0) + 1
    for r in layout.T3_ROWS:
        values = "".join(_td(report.cells[f"t3.{r.key}.{c}"]) for c, _ in columns)
        if r not in results:
            body.append(f"<tr>{_td(r.label, cols=3)}{values}</tr>")
            continue
        cells = _td(layout.T3_RESULT_HEADING, len(results)) if r is results[0] else ""
        if r.item == 0:
            cells += _td(r.label, cols=2)
        else:
            cells += (_td(r.group, groups[r.group]) if r.item == 1 else "") + _td(r.label)
        body.append(f"<tr>{cells}{values}</tr>")
    return "<table><tbody>" + head + "".join(body) + "</tbody></table>"


def _t4(report: Report) -> str:
    head = (
        f"<tr>{_td('行政复议', cols=5)}{_td('行政诉讼', cols=10)}</tr>"
        f"<tr>{''.join(_td(label, 2) for _, label in layout.T4_COLUMNS)}"
        f"{_td('未经复议直接起诉', cols=5)}{_td('复议后起诉', cols=5)}</tr>"
        "<tr>" + "".join(_td(label) for _, label in layout.T4_COLUMNS) * 2 + "</tr>"
    )
    values = "".join(
        _td(report.cells[f"t4.{g}.{c}"]) for g, _ in layout.T4_GROUPS for c, _ in layout.T4_COLUMNS
    )
    return f"<table><thead>{head}</thead><tr>{values}</tr></table>"


def page_of(report: Report, charset: str = "utf-8", heading_inline: bool = False) -> str:
    """A page as a government site publishes one: header, menus, breadcrumbs, the article, a footer."""
    h = layout.SECTION_HEADINGS
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    first = f"<p><span>一、</span><span>总体情况</span>{'。本局依法公开。' if heading_inline else ''}</p>"
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"""<!DOCTYPE html><html><head>{meta}<title>{title}_年报_某县人民政府</title>
<style>p{{text-indent:2em}} .nav a{{color:red}}</style><script>var x = "一、总体情况";</script></head>
<body><div class="header"><a href="/">首页</a><a>政务公开</a><a>一、总体情况说明</a></div>
<ul class="nav"><li><a>政府信息公开年报</a></li><li><a>2023年度报告</a></li></ul>
<div class="crumbs">当前位置：首页 &gt; 政务公开 &gt; 年报</div>
<div class="article"><h1>{title}</h1><div class="info">来源：某县交通运输局&nbsp;&nbsp;发布时间：2025-01-20 09:30&nbsp;浏览次数：<span>12</span></div>
<div class="TRS_Editor"><p>本报告由某县交通运输局根据《条例》编制。</p>{first}
{"" if heading_inline else "<p>本局依法公开。</p>"}<p>（一）主动公开<br>主动公开信息&nbsp;120条。</p>
<p>{h[1]}</p>{_t2(report)}<p>{h[2]}</p>{_t3(report)}<h3>{h[3]}</h3>{_t4(report)}
<p>{h[4]}</p><p>（一）存在的主要问题</p><p>宣传不够。</p><p>（二）改进情况</p><p>加强宣传。</p>
<p>{h[5]}</p><p>本年度未收取信息处理费。</p></div></div>
<div class="footer">主办：某县人民政府办公室 电话：0000-1234567<br>版权所有 ICP备00000000号</div></body></html>"""


def _expect_cells(html: Report, source: Report) -> None:
    # 总计 and 四 cells read as printed: every figure of the page lands in its own cell.
    assert {k: v for k, v in html.cells.items() if v != source.cells[k]} == {}


@pytest.mark.parametrize(
    ("charset", "encoding", "guessed"),
    [("utf-8", "utf-8", False), ("gb2312", "gbk", False), ("GBK", "gb18030", False), ("", "gbk", True)],
)
def test_generated_page_reads_in_each_encoding(charset: str, encoding: str, guessed: bool) -> None:
    source = _numbered()
    imported = read_html(page_of(source, charset).encode(encoding))
    _expect_cells(imported.report, source)
    report = imported.report
    assert (report.agency, report.year, report.published_on) == ("某县交通运输局", 2024, date(2025, 1, 20))
    assert report.parts["overview"].text == "本局依法公开。"
    assert report.parts["overview.active"].text == "主动公开信息 120条。"
    assert report.parts["problems.measures"].text == "加强宣传。"
    assert "首页" not in report.preamble and "浏览" not in report.preamble
    assert report.preamble == "本报告由某县交通运输局根据《条例》编制。"
    assert any("GBK" in n.message for n in imported.notes) is guessed


def test_heading_and_text_in_one_paragraph() -> None:
    imported = read_html(page_of(_numbered(), heading_inline=True).encode())
    assert imported.report.parts["overview"].text == "本局依法公开。"


def test_mhtml_archive_reads_like_the_page() -> None:
    source = _numbered()
    message = EmailMessage()
    message["Subject"] = "年报"
    message["Snapshot-Content-Location"] = "https://example.gov.cn/art/1.html"
    message.set_content(page_of(source, "gbk"), subtype="html", charset="gbk", cte="quoted-printable")
    message.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="logo.png")
    imported = read_bytes(message.as_bytes(), ".mhtml")
    _expect_cells(imported.report, source)
    assert imported.report.agency == "某县交通运输局"


GRIDS = [
    # (rows of a table, the grid expected)
    ('<tr><td rowspan="2">甲</td><td>1</td></tr><tr><td>2</td></tr>', [["甲", "1"], ["甲", "2"]]),
    ('<tr><td colspan="2">甲</td></tr><tr><td>1</td><td>2</td></tr>', [["甲", ""], ["1", "2"]]),
    ('<tr><td rowspan="2">5</td><td>1</td></tr><tr><td>2</td></tr>', [["5", "1"], ["", "2"]]),
    ('<tr><td rowspan="abc">甲</td><td colspan="0">1</td></tr>', [["甲", "1"]]),
    ('<tr><td rowspan="99">甲</td><td>1</td></tr><tr><td>2</td></tr>', [["甲", "1"], ["甲", "2"]]),
    ('<tr><td colspan="99999">甲</td></tr>', [["甲", *[""] * 99]]),
    (
        '<tr><td colspan="60">甲</td><td colspan="60">乙</td><td>丙</td></tr>',
        [["甲", *[""] * 59, "乙", *[""] * 39]],
    ),
    ("<tr><td>1</td></tr><tr><td>1</td><td>2</td><td>3</td></tr>", [["1", "", ""], ["1", "2", "3"]]),
    ("<tr><td>&nbsp;1&nbsp;</td><td>  &#12288;</td></tr>", [["1", ""]]),
]


@pytest.mark.parametrize(("rows", "grid"), GRIDS)
def test_table_grid_resolves_spans_and_survives_broken_ones(rows: str, grid: list[list[str]]) -> None:
    import lxml.html

    table = lxml.html.fragment_fromstring(f"<table>{rows}</table>")
    assert table_grid(table) == grid


NOT_REPORTS = [
    ("<html><head><title>404</title></head><body><h1>404 页面不存在</h1></body></html>", "404"),
    (
        "<html><body><ul>"
        + "".join(f'<li><a href="/{y}">某县{y}年政府信息公开工作年度报告</a></li>' for y in range(2019, 2025))
        + "</ul></body></html>",
        "列表页",
    ),
    ("", "空"),
    ("<html></html>", "列表页"),
    ("\x00\x01\x02<html>", "列表页"),
]


@pytest.mark.parametrize(("page", "words"), NOT_REPORTS)
def test_a_page_that_is_no_report_says_so(page: str, words: str) -> None:
    with pytest.raises(ReadError, match=words):
        read_bytes(page.encode(), ".html")


def test_mhtml_without_a_page_says_so() -> None:
    message = EmailMessage()
    message.set_content("只有文字")
    with pytest.raises(ReadError, match="没有网页内容"):
        read_mhtml(message.as_bytes())


def test_undecodable_bytes_say_so() -> None:
    with pytest.raises(ReadError, match="编码"):
        decode_page(b"\x81\x20\xff\xfe\x80" * 10 + b"\x00")


def test_page_with_broken_spans_reads_or_notes_never_crashes() -> None:
    page = page_of(_numbered()).replace('rowspan="', 'rowspan="x').replace('colspan="5"', 'colspan="-3"')
    imported = read_html(page.encode())
    assert imported.report.agency == "某县交通运输局"
    assert imported.report.cells["t2.rules.issued"] is not None


def test_report_inside_a_layout_table_as_older_sites_publish() -> None:
    page = page_of(_numbered())
    page = page.replace(
        '<div class="article">', '<table width="960"><tr><td class="menu"><a>首页</a></td><td>'
    )
    page = page.replace('<div class="footer">', '</td></tr></table><div class="footer">')
    page = page.replace("</div></div>\n<div", "</div>\n<div")
    source = _numbered()
    imported = read_html(page.encode())
    _expect_cells(imported.report, source)
    assert imported.report.parts["problems.issues"].text == "宣传不够。"


def test_absurd_spans_cost_no_time() -> None:
    row = "<tr>" + '<td colspan="1000" rowspan="65534">自然人</td>' * 300 + "</tr>"
    page = f"<html><body><p>一、总体情况</p><p>好。</p>{'<table>' + row * 50 + '</table>'}</body></html>"
    start = time.process_time()
    imported = read_html(page.encode())
    assert time.process_time() - start < 1.0
    assert imported.report.parts["overview"].text.startswith("好。")


def test_page_laid_out_with_br_lines_keeps_the_footer_out() -> None:
    # Older sites: the article is one <font> of lines broken by <br>, headings in <strong>, no <p> at all.
    source = _numbered()
    page = page_of(source)
    start = page.index('<div class="TRS_Editor">') + len('<div class="TRS_Editor">')
    body = page[start : page.index("</div></div>")]
    lines = re.sub(r"<p>(.*?)</p>", r"\1<br>", body).replace(
        "<span>一、</span><span>总体情况</span>", "一、总体情况"
    )
    lines = lines.replace("<h3>", "<strong>").replace("</h3>", "</strong><br>")
    imported = read_html(page.replace(body, f"<font size=3>{lines}</font>").encode())
    _expect_cells(imported.report, source)
    assert (
        imported.report.parts["other"].text == "本年度未收取信息处理费。"
    )  # the site's footer is not part 六
    assert imported.report.parts["problems.measures"].text == "加强宣传。"


@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTM", ".mhtml", ".mht"])
def test_every_web_page_suffix_reads_in_check_import_and_the_app(data: Path, suffix: str) -> None:
    # The app's uploader offers every suffix of READERS; read_bytes is what it calls.
    assert suffix.lower() in READERS
    raw = (data / "corpus" / "html" / "pingtan-zonghe-shiyanqu_2024.html").read_bytes()
    if suffix.lower().startswith(".mht"):
        message = EmailMessage()
        message.set_content(raw.decode("utf-8"), subtype="html", charset="utf-8", cte="base64")
        raw = message.as_bytes()
    assert read_bytes(raw, suffix).report.cells["t3.new.total"] is not None
