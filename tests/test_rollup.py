"""The roll-up: one year's reports summed cell by cell, the missing, other years, duplicates; JSON and .xlsx."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.checks.checking import check_imported
from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.format.models import Report, report_to_json
from assistant.importers.files import read_path
from assistant.importers.result import ReadError
from assistant.rollup import (
    Body,
    overview_items,
    parse_roster,
    read_roster,
    roll_up,
    roll_up_bodies,
    rollup_to_dict,
)

ROOT = Path(__file__).resolve().parent.parent


def _report(agency: str, year: int = 2024, applications: int = 0) -> Report:
    """The example under another name, with `applications` 予以公开 requests (consistent tables)."""
    report = fill(load_example())
    report.agency, report.year, report.short_name = agency, year, ""
    for key in (
        "t3.new.natural",
        "t3.new.total",
        "t3.r1.natural",
        "t3.r1.total",
        "t3.r7.natural",
        "t3.r7.total",
    ):
        report.cells[key] = applications
    report.cells["t2.licensing.decisions"] = applications * 10
    report.fee_amount_wan = Decimal("1.5")
    return report


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    reports = {
        "a.json": _report("甲县交通运输局", applications=3),
        "b.json": _report("甲县水利局", applications=4),
        "c.json": _report("甲县教育局", applications=5),
        "old.json": _report("甲县民政局", 2023, applications=9),
        "z_again.json": _report(
            "甲县水利局", applications=40
        ),  # the same body again: the first file read counts
    }
    reports["c.json"].cells["t2.licensing.decisions"] = None  # a blank is no 0
    for name, report in reports.items():
        (tmp_path / name).write_text(report_to_json(report), encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "roster.csv").write_text(
        "机关名称\n甲县交通运输局\n甲县水利局\n甲县教育局\n甲县财政局\n", encoding="utf-8"
    )
    return tmp_path


def test_sums_each_cell_over_the_bodies_that_gave_it(folder: Path) -> None:
    rollup = roll_up([folder], read_roster(folder / "roster.csv"))
    assert rollup.year == 2024
    assert [b.agency for b in rollup.bodies] == ["甲县交通运输局", "甲县水利局", "甲县教育局"]
    new = rollup.cells["t3.new.total"]
    assert (new.total, new.bodies, new.blank) == (12, 3, [])
    licensing = rollup.cells["t2.licensing.decisions"]
    assert (licensing.total, licensing.bodies, licensing.blank) == (70, 2, ["甲县教育局"])
    assert rollup.cells["t2.fees.amount"].total == Decimal("4.5")
    summary = rollup.summary_report()
    assert summary.cells["t3.new.total"] == 12
    assert summary.cells["t2.licensing.decisions"] is None  # a body left it blank: the sum is not known
    assert summary.fee_amount_wan == Decimal("4.5")


def test_lists_missing_bodies_other_years_duplicates_and_unreadable_files(folder: Path) -> None:
    rollup = roll_up([folder], read_roster(folder / "roster.csv"))
    assert rollup.missing == ["甲县财政局"]
    assert [b.agency for b in rollup.other_year] == ["甲县民政局"]
    assert [(kept.file, left.file) for kept, left in rollup.duplicates] == [
        (str(folder / "b.json"), str(folder / "z_again.json"))
    ]
    assert [file for file, _ in rollup.unreadable] == [str(folder / "broken.json")]
    assert rollup.not_on_roster == []


def test_year_chosen_on_the_command_line(folder: Path) -> None:
    rollup = roll_up([folder], None, 2023)
    assert [b.agency for b in rollup.bodies] == ["甲县民政局"]
    assert len(rollup.other_year) == 4


def test_reports_not_on_the_roster_are_named(folder: Path) -> None:
    rollup = roll_up([folder], ["甲县交通运输局"])
    assert [b.agency for b in rollup.not_on_roster] == ["甲县水利局", "甲县教育局"]


@pytest.mark.parametrize(
    ("content", "names"),
    [
        ("甲县水利局\n甲县教育局\n", ["甲县水利局", "甲县教育局"]),
        ("序号,机关名称\n1,甲县水利局\n", ["序号", "1"]),  # the first filled column is the name column
        ("\ufeff单位名称\r\n甲县水利局\r\n\r\n甲县水利局\r\n", ["甲县水利局"]),
    ],
)
def test_roster_rows(tmp_path: Path, content: str, names: list[str]) -> None:
    (tmp_path / "r.csv").write_text(content, encoding="utf-8")
    assert read_roster(tmp_path / "r.csv") == names


def test_roster_in_gbk_and_empty_roster(tmp_path: Path) -> None:
    (tmp_path / "gbk.csv").write_bytes("甲县水利局\n".encode("gbk"))
    assert read_roster(tmp_path / "gbk.csv") == ["甲县水利局"]
    (tmp_path / "empty.csv").write_text("机关名称\n", encoding="utf-8")
    with pytest.raises(ReadError, match="名单是空的"):
        read_roster(tmp_path / "empty.csv")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "rollup", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_command_writes_the_summary_json_that_opens_as_a_report(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.json"
    run = _run(str(folder), "--roster", str(folder / "roster.csv"), "-o", str(out))
    assert run.returncode == 2, run.stderr  # broken.json could not be read: named, the others summed
    assert "broken.json" in run.stderr and "未报送：甲县财政局" in run.stdout
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["year"] == 2024 and summary["missing"] == ["甲县财政局"]
    assert summary["cells"]["t2.licensing.decisions"] == {
        "label": "表二 行政许可",
        "total": 70,
        "bodies": 2,
        "blank": ["甲县教育局"],
    }
    assert [entry["agency"] for entry in summary["other_year"]] == ["甲县民政局"]
    assert len(summary["findings"]) == 3
    opened = read_path(out)
    assert opened.report.cells["t3.new.total"] == 12 and opened.report.year == 2024
    assert "汇总" in opened.notes[0].message
    # The start of the government's own report: the cell a body left blank is one the office must fill.
    assert opened.report.origin == "form"
    blank = [f for f in check_imported(opened) if f.rule == "BLANK"]
    assert blank and "t2.licensing.decisions" in blank[0].cells


def test_command_writes_a_workbook(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.json").unlink()
    out = tmp_path / "summary.xlsx"
    run = _run(str(folder), "--roster", str(folder / "roster.csv"), "-o", str(out))
    assert run.returncode == 0, run.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["汇总", "表二", "表三", "表四", "检查结果", "缺报与其他"]
    t2 = book["表二"]
    rows = list(t2.iter_rows(values_only=True))
    header = rows[0]
    column = header.index("行政许可")
    assert [r[column] for r in rows[1:4]] == [30, 40, None]
    assert rows[4][0] == "合计" and rows[4][column] == 70
    assert rows[5][0] == "空白" and rows[5][column] == 1
    t3 = list(book["表三"].iter_rows(values_only=True))
    new_total = t3[0].index("一、本年新收 总计")
    assert [r[new_total] for r in t3[1:5]] == [3, 4, 5, 12]  # derived cells as filled, then the sum
    gaps = [r[:2] for r in book["缺报与其他"].iter_rows(min_row=2, values_only=True)]
    assert (
        ("未报送", "甲县财政局") in gaps
        and ("其他年度", "甲县民政局") in gaps
        and ("重复", "甲县水利局") in gaps
    )


def test_nothing_of_the_year_is_a_clear_message(folder: Path, tmp_path: Path) -> None:
    run = _run(str(folder / "a.json"), "--year", "2020", "-o", str(tmp_path / "s.json"))
    assert run.returncode == 2 and "没有找到2020年度可汇总的报告" in run.stderr


def test_two_bodies_copying_each_other_are_flagged_in_the_rollup(tmp_path: Path) -> None:
    text = "我局坚持把政务公开作为转变政府职能的重要抓手，健全工作机制，完善公开目录，规范发布流程，" * 3
    for name in ("a", "b"):
        report = _report(f"甲县{name}局")
        report.parts["problems"].text = text
        (tmp_path / f"{name}.json").write_text(report_to_json(report), encoding="utf-8")
    rules = {r["file"]: r["rules"] for r in rollup_to_dict(roll_up([tmp_path]))["reports"]}
    assert all("PEER-SIMILAR" in counts for counts in rules.values())


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "甲县水利局\n\n 甲县教育局 \n甲县水利局\n",
            ["甲县水利局", "甲县教育局"],
        ),  # pasted: blank lines, twice
        ("机关名称,备注\n甲县水利局,\n,甲县教育局\n", ["甲县水利局", "甲县教育局"]),  # CSV with a header row
        ('"甲县财政局"\r\n', ["甲县财政局"]),
    ],
)
def test_a_roster_from_csv_or_pasted_names(text: str, names: list[str]) -> None:
    assert parse_roster(text) == names


@pytest.mark.parametrize("text", ["", "\n \n", "名称\n", "x" * 200_000])
def test_a_roster_without_names_is_a_read_error(text: str) -> None:
    with pytest.raises(ReadError, match="名单"):
        parse_roster(text)


def test_reports_already_read_roll_up_as_files_do(folder: Path) -> None:
    from_files = roll_up([folder], read_roster(folder / "roster.csv"))
    bodies = [Body(b.file, b.imported) for b in from_files.bodies]
    again = roll_up_bodies(bodies, from_files.unreadable, ["甲县水利局"], 2024)
    assert again.cells == from_files.cells and again.unreadable == from_files.unreadable
    assert again.not_on_roster == [b for b in again.bodies if b.agency != "甲县水利局"]
    assert [c.file for c in overview_items(again)][-1].endswith("broken.json")
    assert overview_items(again)[-1].error
