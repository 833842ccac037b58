"""One outline of the document, walked by the Word writer and the HTML preview alike."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html import unescape

import docx

from assistant.export.outline import OPENING, Heading, Paragraph, Table, Title, outline_of, paragraphs_of
from assistant.export.preview import report_html
from assistant.export.word import render_docx
from assistant.format.display import cell_text
from assistant.format.models import Report


def texts(report: Report) -> list[str]:
    return [b.text for b in outline_of(report) if isinstance(b, Title | Heading | Paragraph)]


def test_outline_follows_the_official_order(example: Report) -> None:
    blocks = outline_of(example)
    assert [b.text for b in blocks if isinstance(b, Heading) and b.level == 1] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [b.which for b in blocks if isinstance(b, Table)] == ["t2", "t3", "t4"]
    assert [b.text for b in blocks[:2] if isinstance(b, Title)] == [example.agency, example.title]
    assert isinstance(blocks[2], Paragraph) and blocks[2].part == OPENING


def test_paragraph_offsets_point_into_the_part_text() -> None:
    text = "  第一段。\n\n第二段，共3件。\r\n"
    found = list(paragraphs_of(text, "other"))
    assert [(p.text, p.offset) for p in found] == [("第一段。", 2), ("第二段，共3件。", 8)]
    assert all(text[p.offset : p.offset + len(p.text)] == p.text for p in found)


def test_word_file_prints_the_outline_in_order(example: Report) -> None:
    document = docx.Document(io.BytesIO(render_docx(example)))
    printed = [p.text for p in document.paragraphs if p.text.strip()]
    assert [t for t in printed if "— " not in t] == texts(example)


def test_preview_shows_the_outline_in_order(example: Report) -> None:
    html = report_html(example)
    shown = [unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<(?:h1|h2|h3|p)>(.*?)</(?:h1|h2|h3|p)>", html)]
    assert shown == texts(example)


def test_a_cell_is_shown_alike_everywhere(example: Report) -> None:
    report = example.model_copy(deep=True)
    report.raw_cells["t3.new.natural"] = "两件"
    report.cells["t3.new.natural"] = None
    report.cells["t3.new.business"] = None
    assert cell_text(report, "t3.new.natural") == "两件"
    assert cell_text(report, "t3.new.business") == ""
    report.fee_amount_wan = Decimal("0.0350")
    assert cell_text(report, "t2.fees.amount") == "0.0350"
    assert "<td>两件</td>" in report_html(report)
    document = docx.Document(io.BytesIO(render_docx(report)))
    printed = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"两件", "0.0350"} <= printed
