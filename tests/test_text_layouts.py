"""Every real text layout of a report: headings with their text on one line, heading variants, 本年度 labels."""

from __future__ import annotations

import pytest

from assistant.importers.result import ReadError
from assistant.importers.text import read_text

TITLE = "某县交通运输局2024年政府信息公开工作年度报告"
T3_NEW = "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3"


def report_text(*sections: str) -> str:
    return "\n".join([TITLE, *sections]) + "\n"


STANDARD = {
    1: "一、总体情况\n本局依法公开政府信息。",
    3: f"三、收到和处理政府信息公开申请情况\n{T3_NEW}",
    5: "五、存在的主要问题及改进情况\n宣传不够，将加强宣传。",
    6: "六、其他需要报告的事项\n本年度未收取信息处理费。",
}

# (name, the file's sections, part key → its text, or a cell → its value, and the headings read)
LAYOUTS: list[tuple[str, dict[int, str], dict[str, object]]] = [
    ("standard headings on their own lines", STANDARD, {"overview": "本局依法公开政府信息。"}),
    (
        "一、总体情况 and its text on one line (a space)",
        {**STANDARD, 1: "一、总体情况 2024年，我局依法公开政府信息，全年主动公开信息120条，比上年增加。"},
        {"overview": "2024年，我局依法公开政府信息，全年主动公开信息120条，比上年增加。"},
    ),
    (
        "heading and text run together (no space)",
        {
            **STANDARD,
            1: "一、总体情况2024年，我局依法公开政府信息，全年主动公开信息120条，比上年增加了不少。",
        },
        {"overview": "2024年，我局依法公开政府信息，全年主动公开信息120条，比上年增加了不少。"},
    ),
    (
        "heading, a full stop, short text",
        {**STANDARD, 1: "一、总体情况。本局依法公开。"},
        {"overview": "本局依法公开。"},
    ),
    (
        "heading followed by the first sub-part",
        {**STANDARD, 1: "一、总体情况（一）主动公开。全年主动公开信息120条。"},
        {"overview.active": "全年主动公开信息120条。"},
    ),
    (
        "五 with its text on one line",
        {
            **STANDARD,
            5: "五、存在的主要问题及改进情况：一是宣传不够，二是更新不及时。下一步将加强宣传，及时更新栏目内容。",
        },
        {"problems": "一是宣传不够，二是更新不及时。下一步将加强宣传，及时更新栏目内容。"},
    ),
    (
        "六 with its text on one line",
        {
            **STANDARD,
            6: "六、其他需要报告的事项 本年度未收取信息处理费，人大代表建议和政协提案办理结果均已公开。",
        },
        {"other": "本年度未收取信息处理费，人大代表建议和政协提案办理结果均已公开。", "info_fee_yuan": 0},
    ),
    (
        "六、其他需报告的事项",
        {**STANDARD, 6: "六、其他需报告的事项\n本年度未收取信息处理费。"},
        {"info_fee_yuan": 0},
    ),
    (
        "六、其他需要报告的事项",
        {**STANDARD, 6: "六、其他需要报告的事项\n本年度未收取信息处理费。"},
        {"info_fee_yuan": 0},
    ),
    ("六、其他事项", {**STANDARD, 6: "六、其他事项\n本年度未收取信息处理费。"}, {"info_fee_yuan": 0}),
    (
        "五 without 及",
        {**STANDARD, 5: "五、存在的主要问题和改进情况\n宣传不够。"},
        {"problems": "宣传不够。"},
    ),
    (
        "五 with 及",
        {**STANDARD, 5: "五、存在的主要问题及改进情况\n宣传不够。"},
        {"problems": "宣传不够。"},
    ),
    (
        "五 without 及 or 和",
        {**STANDARD, 5: "五、存在的主要问题改进情况\n宣传不够。"},
        {"problems": "宣传不够。"},
    ),
    (
        "五 short title that is no split (存在的主要问题和不足)",
        {**STANDARD, 5: "五、存在的主要问题和不足\n宣传不够。"},
        {"problems": "宣传不够。"},
    ),
    (
        "numbered with ．",
        {1: "一．总体情况\n本局依法公开。", 6: "六．其他需要报告的事项\n未收取信息处理费。"},
        {"overview": "本局依法公开。", "info_fee_yuan": 0},
    ),
    (
        "numbered with .",
        {1: "一.总体情况\n本局依法公开。", 6: "六. 其他需要报告的事项\n未收取信息处理费。"},
        {"overview": "本局依法公开。", "info_fee_yuan": 0},
    ),
    ("numbered with 、 and spaces", {1: "一 、 总体情况\n本局依法公开。"}, {"overview": "本局依法公开。"}),
    (
        "headings in Markdown bold, as pages converted to Markdown set them",
        {
            **STANDARD,
            1: "**一、总体情况**\n本局依法公开政府信息。",
            6: "__六、其他需要报告的事项__\n本年度未收取信息处理费。",
        },
        {"overview": "本局依法公开政府信息。", "info_fee_yuan": 0},
    ),
    (
        "a sub-part's title run together with its text",
        {
            **STANDARD,
            1: "一、总体情况\n**（一）主动公开**2024年公开信息120条。\n（三）政府信息管理方面 严格审核。",
        },
        {"overview.active": "2024年公开信息120条。", "overview.management": "严格审核。"},
    ),
    (
        "a sub-part's title as a heading of its own stays a heading",
        {**STANDARD, 1: "一、总体情况\n（二）依申请公开办理情况。\n收到申请0件。"},
        {"overview.request": "收到申请0件。"},
    ),
    (
        "本年度新收 as the row label",
        {
            **STANDARD,
            3: "三、收到和处理政府信息公开申请情况\n一、本年度新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3",
        },
        {"t3.new.natural": 3},
    ),
    (
        "本年新收 as the row label",
        {**STANDARD, 3: f"三、收到和处理政府信息公开申请情况\n{T3_NEW}"},
        {"t3.new.natural": 3},
    ),
    (
        "三、本年办理结果 (without 度)",
        {
            **STANDARD,
            3: "三、收到和处理政府信息公开申请情况\n三、本年办理结果\t（一）予以公开\t2\t0\t0\t0\t0\t0\t2",
        },
        {"t3.r1.natural": 2},
    ),
]


@pytest.mark.parametrize(("name", "sections", "expected"), LAYOUTS, ids=[c[0] for c in LAYOUTS])
def test_layout_reads(name: str, sections: dict[int, str], expected: dict[str, object]) -> None:
    imported = read_text(report_text(*(sections[n] for n in sorted(sections))))
    report = imported.report
    assert [n for n, _ in imported.headings] == sorted(sections)
    for key, value in expected.items():
        if key == "info_fee_yuan":
            assert report.info_fee_yuan == value
        elif key.startswith("t3."):
            assert report.cells[key] == value
        else:
            assert report.parts[key].text == value, key


def test_heading_with_text_was_refused_before() -> None:
    # The crawler layout that used to say “没有找到报告的章节标题”: every part on one line with its text.
    text = report_text(
        "一、总体情况 2024年，我局认真贯彻《条例》，全面推进政务公开工作，主动公开政府信息120条。",
        "五、存在的主要问题及改进情况 一是公开内容不够全面，二是解读形式单一，下一步将丰富解读形式。",
        "六、其他需要报告的事项 本年度未收取信息处理费，无其他需要报告的事项，特此报告。",
    )
    imported = read_text(text)
    assert [n for n, _ in imported.headings] == [1, 5, 6]
    assert imported.headings[0] == (1, "一、总体情况")
    assert imported.report.parts["other"].text.startswith("本年度未收取")


@pytest.mark.parametrize(
    "line",
    [
        "五、存在问题较多的单位要限期整改，这是一段正文而不是标题，长度超过了四十个字符的限制。",
        "二、主动公开方面，我们做了很多工作，这是一段正文而不是标题，长度超过了四十个字符的限制。",
    ],
)
def test_a_long_line_is_no_heading_unless_it_starts_with_the_title(line: str) -> None:
    with pytest.raises(ReadError, match="章节标题"):
        read_text(f"{TITLE}\n{line}\n")
