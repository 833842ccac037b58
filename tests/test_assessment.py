"""The rules assessors apply — CITE, PARTS, DEADLINE — each as a table of passing and failing cases."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.checks.assessment import check_cite, check_deadline, check_parts, deadline_of
from assistant.checks.checking import check_imported
from assistant.checks.findings import Finding
from assistant.format.models import Report
from assistant.importers.text import read_text

# (name, report year, the text (preamble), how many CITE findings, a word the message carries)
CITES: list[tuple[str, int, str, int, str]] = [
    ("the format cited right", 2024, "依据国办公开办函〔2021〕30号编制。", 0, ""),
    ("a space before 号 is no error", 2024, "依据国办公开办函〔2021〕30 号编制。", 0, ""),
    ("国办公开函 (办 dropped)", 2024, "依据国办公开函〔2021〕30号编制。", 1, "国办公开函"),
    ("round brackets instead of 〔〕", 2024, "依据国办公开办函（2021）30号编制。", 1, "六角括号"),
    ("square brackets instead of 〔〕", 2024, "依据国办公开办函[2021]30号编制。", 1, "六角括号"),
    ("another document of 国办公开办函 is left alone", 2024, "按照国办公开办函〔2022〕5号要求。", 0, ""),
    ("〔2019〕60号 in a 2024 report", 2024, "依据国办公开办函〔2019〕60号编制。", 1, "已被取代"),
    ("〔2019〕60号 in a 2021 report", 2021, "根据〔2019〕60号要求编制。", 1, "已被取代"),
    ("〔2019〕60号 in a 2020 report is right", 2020, "依据国办公开办函〔2019〕60号编制。", 0, ""),
    ("the law by its full name", 2024, "根据《中华人民共和国政府信息公开条例》编制。", 0, ""),
    ("the law without 政府", 2024, "根据《中华人民共和国信息公开条例》编制。", 1, "全称"),
    ("the law without 中华人民共和国", 2024, "根据《政府信息公开条例》编制。", 1, "全称"),
    ("the law with words swapped", 2024, "根据《中华人民共和国政府公开信息条例》编制。", 1, "全称"),
    (
        "the law short for 条例 after its full name",
        2024,
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）。",
        0,
        "",
    ),
    ("a city's own regulation is another document", 2024, "根据《深圳市政府信息公开条例》编制。", 0, ""),
    (
        "two errors, one finding each",
        2024,
        "依据国办公开函〔2021〕30号和《中华人民共和国信息公开条例》。",
        2,
        "国办公开函",
    ),
]


@pytest.mark.parametrize(("name", "year", "text", "count", "word"), CITES, ids=[c[0] for c in CITES])
def test_cite(name: str, year: int, text: str, count: int, word: str) -> None:
    out: list[Finding] = []
    check_cite(Report(agency="某县人民政府", year=year, preamble=text), out)
    assert [f.rule for f in out] == ["CITE"] * count
    assert all(f.severity == "warning" and f.cells == ("report.preamble",) for f in out)
    if word:
        assert word in " ".join(f.message for f in out)


def test_cite_names_every_part_where_the_error_stands() -> None:
    report = Report(year=2024, preamble="依据国办公开函〔2021〕30号。")
    report.parts["other"].text = "按国办公开函〔2021〕30号要求。"
    out: list[Finding] = []
    check_cite(report, out)
    assert [f.cells for f in out] == [("report.preamble", "part.other")]


HEAD = "某县交通运输局2024年政府信息公开工作年度报告\n"
SIX = {
    1: "一、总体情况\n依法公开。",
    2: "二、主动公开政府信息情况\n行政许可\t1",
    3: "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
    4: "四、政府信息公开行政复议、行政诉讼情况\n" + "\t".join(["0"] * 15),
    5: "五、存在的主要问题及改进情况\n宣传不够。",
    6: "六、其他需要报告的事项\n未收取信息处理费。",
}


def _imported_text(preamble: str = "", **changes: str) -> str:
    parts = {**SIX, **{int(k[1:]): v for k, v in changes.items()}}
    return (
        HEAD
        + (preamble + "\n" if preamble else "")
        + "\n".join(v for _, v in sorted(parts.items()) if v)
        + "\n"
    )


# (name, the file, PARTS messages expected: a word from each)
PARTS_CASES: list[tuple[str, str, list[str]]] = [
    ("six parts under the official headings", _imported_text(), []),
    ("the opening counts six", _imported_text("本报告共分6个部分：总体情况等。"), []),
    ("the opening counts 六个方面", _imported_text("本报告从以下六个方面报告。"), []),
    ("part 六 missing", _imported_text(p6=""), ["没有找到“六、其他需要报告的事项”"]),
    (
        "part 六 missing and the opening counts five: only the missing part",
        _imported_text("本报告分为以下五个方面。", p6=""),
        ["没有找到“六、"],
    ),
    (
        "the opening says 五个部分 but six are there",
        _imported_text("本报告分为以下五个部分。"),
        ["开头说"],
    ),
    (
        "part 六 numbered 五",
        _imported_text(p5="", p6="五、其他需要报告的事项\n未收取信息处理费。"),
        ["没有找到“五、", "编号应为“六、”"],
    ),
    ("heading variant 其他需报告的事项", _imported_text(p6="六、其他需报告的事项\n未收取。"), ["不一致"]),
    ("heading variant without 及", _imported_text(p5="五、存在的主要问题和改进情况\n宣传不够。"), ["不一致"]),
    ("a heading printed twice is one part", _imported_text(p1="一、总体情况\n一、总体情况\n依法公开。"), []),
    (
        "Markdown marks and a full stop are no variant",
        _imported_text(p6="## 六、其他需要报告的事项。\n未收取。"),
        [],
    ),
]


@pytest.mark.parametrize(("name", "text", "words"), PARTS_CASES, ids=[c[0] for c in PARTS_CASES])
def test_parts_of_an_imported_report(name: str, text: str, words: list[str]) -> None:
    findings = [f for f in check_imported(read_text(text)) if f.rule == "PARTS"]
    assert len(findings) == len(words), [f.message for f in findings]
    for finding, word in zip(findings, words, strict=True):
        assert word in finding.message
        assert finding.severity == "warning"


@pytest.mark.parametrize(
    ("preamble", "flagged"),
    [
        ("", False),
        ("本报告共分六个部分。", False),
        ("本报告由以下五个方面组成。", True),
        ("本报告包括7个部分。", True),
    ],
)
def test_parts_of_a_report_made_in_the_app_checks_only_the_count(preamble: str, flagged: bool) -> None:
    out: list[Finding] = []
    check_parts(Report(preamble=preamble), None, out)
    assert bool(out) is flagged


# (agency, year, published, late)
DEADLINES: list[tuple[str, int, date | None, bool]] = [
    ("某县交通运输局", 2024, date(2025, 1, 31), False),
    ("某县交通运输局", 2024, date(2025, 2, 1), True),
    ("某县人民政府", 2024, date(2025, 3, 31), False),
    ("某县人民政府", 2024, date(2025, 4, 1), True),
    ("某县人民政府办公室", 2024, date(2025, 2, 20), True),  # the 办公室 reports as a department
    ("平潭综合实验区", 2023, date(2024, 3, 8), False),
    ("某县交通运输局", 2024, None, False),  # no date known: nothing to say
    ("", 2024, date(2025, 12, 1), False),  # no body known: which deadline is unknown
]


@pytest.mark.parametrize(("agency", "year", "published", "late"), DEADLINES)
def test_deadline(agency: str, year: int, published: date | None, late: bool) -> None:
    out: list[Finding] = []
    check_deadline(Report(agency=agency, year=year, published_on=published), out)
    assert [f.rule for f in out] == (["DEADLINE"] if late else [])


def test_deadline_names_the_date_and_the_limit() -> None:
    out: list[Finding] = []
    check_deadline(Report(agency="某县交通运输局", year=2024, published_on=date(2025, 3, 2)), out)
    assert out[0].message == "报告发布于2025年3月2日，晚于部门年报的公布期限（2025年1月31日前）"
    assert deadline_of(Report(agency="某县人民政府", year=2024)) == date(2025, 3, 31)


def test_publication_date_read_from_a_text_file() -> None:
    report = read_text("发布时间: 2025-02-03 10:00\n" + _imported_text()).report
    assert report.published_on == date(2025, 2, 3)
    assert [
        f.rule
        for f in check_imported(read_text("发布日期：2025年2月3日\n" + _imported_text()))
        if f.rule == "DEADLINE"
    ] == ["DEADLINE"]


def test_parts_count_message_says_both_counts_in_words() -> None:
    out: list[Finding] = []
    check_parts(Report(preamble="本报告由以下五个方面组成。"), None, out)
    assert out[0].message == "开头说“以下五个方面”，但报告有六个部分（格式规定六个部分）"
    out = []
    check_parts(
        Report(preamble="本报告共分6个部分。"),
        [(1, "一、总体情况"), (5, "五、存在的主要问题及改进情况")],
        out,
    )
    assert out[-1].message == "开头说“共分6个部分”，但报告只有两个部分（格式规定六个部分）"
