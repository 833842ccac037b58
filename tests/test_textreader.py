"""Reading text reports: the seed's layout and the corpus's labelled rows, matched by label not position."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checks.checking import check_imported
from assistant.format import layout
from assistant.importers.result import ReadError
from assistant.importers.text import read_text

# 淮安市人民政府 2024 (corpus 01), table 三: one row per key, columns 自然人…其他, 总计. Figures are facts.
HUAIAN_2024_T3 = {
    "new": (3001, 53, 0, 0, 61, 4, 3119),
    "carried_in": (34, 0, 0, 0, 0, 0, 34),
    "r1": (1288, 21, 0, 0, 50, 3, 1362),
    "r2": (447, 7, 0, 0, 0, 0, 454),
    "r3_1": (2, 0, 0, 0, 0, 0, 2),
    "r3_2": (30, 1, 0, 0, 0, 0, 31),
    "r3_3": (5, 0, 0, 0, 0, 0, 5),
    "r3_4": (6, 0, 0, 0, 0, 0, 6),
    "r3_5": (7, 1, 0, 0, 0, 0, 8),
    "r3_6": (12, 0, 0, 0, 0, 0, 12),
    "r3_7": (9, 0, 0, 0, 0, 0, 9),
    "r3_8": (105, 0, 0, 0, 0, 0, 105),
    "r4_1": (746, 12, 0, 0, 10, 1, 769),
    "r4_2": (11, 0, 0, 0, 0, 0, 11),
    "r4_3": (1, 0, 0, 0, 0, 0, 1),
    "r5_1": (56, 6, 0, 0, 0, 0, 62),
    "r5_2": (25, 0, 0, 0, 0, 0, 25),
    "r5_3": (0, 0, 0, 0, 0, 0, 0),
    "r5_4": (0, 0, 0, 0, 0, 0, 0),
    "r5_5": (1, 0, 0, 0, 0, 0, 1),
    "r6_1": (67, 3, 0, 0, 1, 0, 71),
    "r6_2": (6, 0, 0, 0, 0, 0, 6),
    "r6_3": (108, 2, 0, 0, 0, 0, 110),
    "r7": (2932, 53, 0, 0, 61, 4, 3050),
    "carried_out": (103, 0, 0, 0, 0, 0, 103),
}
HUAIAN_2024_T4 = (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20)
HUAIAN_2024_T2 = {
    "t2.rules.issued": 1,
    "t2.rules.repealed": 0,
    "t2.rules.valid": 11,
    "t2.normative.issued": 8,
    "t2.normative.repealed": 26,
    "t2.normative.valid": 66,
}


def test_seed_reads_metadata_parts_and_zero_tables(seed_path: Path) -> None:
    imported = read_text(seed_path.read_text(encoding="utf-8"))
    report = imported.report
    assert (report.agency, report.year, report.short_name) == ("三门峡市陕州区硤石乡人民政府", 2024, "硤石乡")
    assert imported.notes == []
    assert all(report.cells[k] == 0 for k in layout.COUNT_CELLS)
    assert report.fee_amount_wan == 0
    assert "16 条" in report.parts["overview.active"].text
    assert report.parts["overview.request"].text.endswith("没有收到依申请公开事项。")
    assert report.parts["problems.issues"].text.startswith("1、信息公开稍显滞后")
    assert report.parts["problems.measures"].text.count("\n") == 3
    assert "未产生信息公开处理费" in report.parts["other"].text


def test_corpus_01_reads_every_cell(corpus: Path) -> None:
    imported = read_text((corpus / "01_huaian-shi-renmin-zhengfu_2024.txt").read_text(encoding="utf-8"))
    report = imported.report
    assert (report.agency, report.year) == ("淮安市人民政府", 2024)
    assert report.contact_phone == "0517-83605210"
    for row, values in HUAIAN_2024_T3.items():
        got = tuple(report.cells[layout.t3(row, c)] for c, _ in layout.T3_COLUMNS)
        assert got == values, row
    assert (
        tuple(report.cells[f"t4.{g}.{c}"] for g, _ in layout.T4_GROUPS for c, _ in layout.T4_COLUMNS)
        == HUAIAN_2024_T4
    )
    assert {k: report.cells[k] for k in HUAIAN_2024_T2} == HUAIAN_2024_T2
    assert "3940元" in report.parts["other"].text
    assert report.parts["overview.active"].text.startswith("2024年，市政府网站主动公开")


@pytest.mark.parametrize(
    "name",
    [
        "01_huaian-shi-renmin-zhengfu_2024.txt",
        "07_pingtan-zonghe-shiyanqu_2021.txt",
        "08_pingtan-zonghe-shiyanqu_2022.txt",
        "09_pingtan-zonghe-shiyanqu_2023.txt",
        "10_pingtan-zonghe-shiyanqu_2024.txt",
        "11_pingtan-zonghe-shiyanqu_2025.txt",
    ],
)
def test_corpus_reports_check_without_errors(corpus: Path, name: str) -> None:
    imported = read_text((corpus / name).read_text(encoding="utf-8"))
    assert [f.message for f in check_imported(imported) if f.severity == "error"] == []


def test_seed_checks_without_errors(seed_path: Path) -> None:
    assert [f for f in check_imported(read_text(seed_path.read_text())) if f.severity == "error"] == []


def test_pingtan_2021_to_2022_carry_over_holds(corpus: Path) -> None:
    before = read_text((corpus / "07_pingtan-zonghe-shiyanqu_2021.txt").read_text()).report
    after = read_text((corpus / "08_pingtan-zonghe-shiyanqu_2022.txt").read_text()).report
    findings = check_imported(read_text((corpus / "08_pingtan-zonghe-shiyanqu_2022.txt").read_text()), before)
    assert after.cells["t3.carried_in.total"] == before.cells["t3.carried_out.total"] == 1
    assert [f for f in findings if f.rule == "YOY-CARRY"] == []


HEAD = "某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n总体良好。\n三、收到和处理政府信息公开申请情况\n"
LABEL_VARIANTS = [
    "三、本年度办理结果\t(三) 不予公开\t1. 属于国家秘密\t4\t0\t0\t0\t0\t0\t4",
    "三、本年度办理结果（三）不予公开 1、属于国家秘密\t4\t0\t0\t0\t0\t0\t4",
    "| （三）不予公开 | 1.属于国家秘密 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
    "\t\t（三）不予公开\t\t\t\t\t\t\t\n\t\t1.属于国家秘密\t4\t0\t0\t0\t0\t0\t\t",
]


@pytest.mark.parametrize("row", LABEL_VARIANTS)
def test_row_labels_match_by_text_not_position(row: str) -> None:
    report = read_text(HEAD + row + "\n").report
    assert report.cells["t3.r3_1.natural"] == 4
    assert report.cells["t3.r3_1.total"] in (4, None)  # a missing 总计 is left for fill


@pytest.mark.parametrize(("cell", "expected_raw"), [("五", "五"), ("3.5", "3.5"), ("abc", "abc")])
def test_non_numbers_in_cells_are_kept_and_reported(cell: str, expected_raw: str) -> None:
    text = f"某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n好。\n二、主动公开政府信息情况\n行政许可\t{cell}\n"
    imported = read_text(text)
    assert imported.report.raw_cells == {"t2.licensing.decisions": expected_raw}
    assert imported.report.cells["t2.licensing.decisions"] is None
    assert any(f.rule == "CELL" and f.severity == "error" for f in check_imported(imported))


@pytest.mark.parametrize("mark", ["/", "-", ""])
def test_slash_dash_and_empty_cells_are_blank_not_zero(mark: str) -> None:
    text = f"某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n好。\n二、主动公开政府信息情况\n行政处罚\t{mark}\t\n行政许可\t7\n"
    report = read_text(text).report
    assert report.cells["t2.punishment.decisions"] is None
    assert report.cells["t2.licensing.decisions"] == 7


@pytest.mark.parametrize(
    ("text", "message"), [("", "空"), ("\x00\x01binary", "二进制"), ("随便写的一段话。", "章节标题")]
)
def test_unreadable_text_says_why(text: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_text(text)
