"""TEXT-TABLE's messages name the cells they compare; marks are computed against the report as it is now."""

from __future__ import annotations

import pytest

from assistant.checks.fill import fill
from assistant.checks.guard import check_text_table, marks_for
from assistant.drafting.drafter import adopt, draft_part
from assistant.example import load_example
from assistant.export.preview import marked_html, report_html
from assistant.format.models import GuardMark, Report, Version


def _with(cells: dict[str, int], key: str, text: str) -> Report:
    report = fill(load_example())
    report.cells.update(cells)
    report.parts[key].text = text
    return report


SEVEN_AND_SEVEN = {
    "t3.new.natural": 7,
    "t3.new.total": 7,
    "t3.carried_in.natural": 7,
    "t3.carried_in.total": 7,
    "t3.r1.natural": 14,
    "t3.r1.total": 14,
    "t3.r7.natural": 14,
    "t3.r7.total": 14,
}

# (cells, part, sentence, the words of the message after 表格中为, the cells the finding points at)
MESSAGES: list[tuple[dict[str, int], str, str, str, tuple[str, ...]]] = [
    (
        {"t3.new.natural": 7, "t3.new.total": 7, "t3.r1.natural": 7, "t3.r1.total": 7, "t3.r7.natural": 7},
        "overview.request",
        "共收到申请8件。",
        "7（表三 一、本年新收 总计），请核对",  # nothing carried over: 收到 is 新收, named once
        ("part.overview.request", "t3.new.total"),
    ),
    (
        SEVEN_AND_SEVEN,
        "overview.request",
        "共收到申请21件。",
        "7（表三 一、本年新收 总计）或14（表三 一、本年新收与二、上年结转 总计之和），请核对",
        ("part.overview.request", "t3.new.total", "t3.carried_in.total"),
    ),
    (
        {},
        "overview.request",
        "其中不予公开3件。",
        "0（表三 （三）不予公开各项 总计之和），请核对",
        ("part.overview.request", *(f"t3.r3_{i}.total" for i in range(1, 9))),
    ),
    (
        {},
        "overview.request",
        "无法提供2件。",
        "0（表三 （四）无法提供各项 总计之和），请核对",
        ("part.overview.request", "t3.r4_1.total", "t3.r4_2.total", "t3.r4_3.total"),
    ),
    (
        {},
        "overview.request",
        "其他处理2件。",
        "0（表三 （六）其他处理各项 总计之和），请核对",
        ("part.overview.request", "t3.r6_1.total", "t3.r6_2.total", "t3.r6_3.total"),
    ),
    (
        {},
        "overview.active",
        "公开行政许可决定3件。",
        "0（表二 行政许可），请核对",
        ("part.overview.active", "t2.licensing.decisions"),
    ),
]


@pytest.mark.parametrize(("cells", "key", "sentence", "words", "pointed"), MESSAGES)
def test_text_table_names_the_cells_it_compares(
    cells: dict[str, int], key: str, sentence: str, words: str, pointed: tuple[str, ...]
) -> None:
    (finding,) = check_text_table(_with(cells, key, sentence))
    assert finding.message.split("表格中为", 1)[1] == words
    assert finding.cells == pointed


def test_a_stale_draft_is_marked_against_the_table_as_it_is_now() -> None:
    report = fill(load_example())
    report.cells["t2.licensing.decisions"] = 3
    report.parts["overview.active"].notes = ""
    adopt(report, "overview.active", Version(text="公开行政许可决定3件。", source="human"))
    assert marks_for(report, "overview.active") == []
    report.cells["t2.licensing.decisions"] = 0  # the cell changes after the draft was written
    (mark,) = marks_for(report, "overview.active")
    assert mark.text == "3件" and "表二 行政许可" in mark.reason
    assert report.parts["overview.active"].versions[-1].marks == []  # what was saved is not what is shown


def test_marks_for_a_kept_version_use_todays_tables() -> None:
    report = fill(load_example())
    old = "全年收到申请2024件。（请补充办理结果）"
    marks = marks_for(report, "overview.request", old)
    assert [m.text for m in marks] == ["2024件", "（请补充办理结果）"]
    assert "表三 一、本年新收 总计" in marks[0].reason and "待填写" in marks[1].reason


def test_offline_draft_marks_its_gaps() -> None:
    report = load_example()
    report.parts["problems.measures"].notes = ""
    result = draft_part(report, "problems.measures", None)
    assert result.version is not None
    report.parts["problems.measures"].text = result.version.text
    marks = marks_for(report, "problems.measures")
    assert [m.text[:5] for m in marks] == ["【请填写："]


def test_preview_highlights_placeholders_and_stale_figures() -> None:
    report = load_example()
    report.parts["other"].text = "本年度收取信息处理费情况：【请填写：信息处理费金额或“未收取”】。"
    report.parts["overview.request"].text = "第一段。\n  全年共收到政府信息公开申请3件。"
    page = report_html(report)
    assert '<mark title="“【请填写：信息处理费金额或“未收取”】”是待填写的内容' in page
    assert '<p>全年共收到政府信息公开申请<mark title="“依申请公开”说收到申请3件' in page


def test_marked_html_skips_a_mark_that_no_longer_fits() -> None:
    mark = GuardMark(start=2, end=4, text="3件", reason="r")
    assert marked_html("收到3件", [mark]) == '收到<mark title="r">3件</mark>'
    assert marked_html("收到5件", [mark]) == "收到5件"
    assert marked_html("<b>", []) == "&lt;b&gt;"


def _fifteen_answered() -> Report:
    """15 new applications: 10 予以公开, 2 部分公开, 1 each 不予公开, 无法提供, 不予处理; every total adds up."""
    report = fill(load_example())
    for row, n in (("new", 15), ("r1", 10), ("r2", 2), ("r3_1", 1), ("r4_1", 1), ("r5_1", 1), ("r7", 15)):
        report.cells[f"t3.{row}.natural"] = n
        report.cells[f"t3.{row}.total"] = n
    return fill(report)


AGREEING = [
    "全年共办结政府信息公开申请15件，其中予以公开10件，部分公开2件，不予公开1件，无法提供1件，不予处理1件。",
    "不予公开1件（属于国家秘密1件）。无法提供的1件均已告知申请人。",
    "予以公开或部分公开12件。予以公开及部分公开12件。",
    "公开行政处罚信息1234条，行政许可决定0件。",  # 信息 published is no count of decisions
    "本年度新收政府信息公开申请15件，上年结转0件，共收到15件。",
    "目前未收到该申请人提交的补正材料。",
]


@pytest.mark.parametrize("sentence", AGREEING)
def test_text_that_agrees_with_the_tables_raises_nothing(sentence: str) -> None:
    report = _fifteen_answered()
    report.parts["overview.request"].text = sentence
    assert [f.message for f in check_text_table(report)] == []
