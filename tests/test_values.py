"""Values a report can hold: a cell that is no count is flagged at its place and moves nothing; bounds hold."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.checks.checking import check_imported
from assistant.checks.fill import fill
from assistant.checks.rules import verify
from assistant.example import load_example
from assistant.format import layout
from assistant.format.models import Report, report_from_json, report_to_json
from assistant.grids import T2_GRIDS, T3_GRID, T4_GRID, apply_grid, grid_values
from assistant.importers.cells import parse_amount, parse_count
from assistant.importers.files import read_bytes
from assistant.importers.result import ReadError
from assistant.importers.tables import split_run
from assistant.importers.text import read_text
from tests.conftest import Cli

T3_COLS = [c for c, _ in layout.T3_COLUMNS]
# Everything a clerk or a conversion may leave where a count stands, none of which is a count.
NON_COUNTS = [
    "x",
    "两件",
    "1.5",
    "-3",
    "−3",
    "+3",
    "²",
    "⑤",
    "٣",
    "true",
    "1e5",
    "NaN",
    "约5",
    "3件",
    "1 2",
    "1,2",
    "1234567890",
]


def text_report(
    t2: str = "行政许可\t3",
    t3: str = "一、本年新收政府信息公开申请数量" + "\t0" * 7,
    t4: str = "\t".join(["0"] * 15),
) -> str:
    """A small text report: a table-二 row, the given table-三 rows, one table-四 row."""
    return (
        "某县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n总体良好。\n"
        f"二、主动公开政府信息情况\n{t2}\n三、收到和处理政府信息公开申请情况\n{t3}\n"
        f"四、政府信息公开行政复议、行政诉讼情况\n{t4}\n五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n"
    )


def cell_errors(imported: object) -> dict[str, str]:
    return {f.cells[0]: f.message for f in check_imported(imported) if f.rule == "CELL"}  # type: ignore[arg-type]


# --- item 1: a non-count in a cell is a CELL error there, and no other figure moves -------------------------------


@pytest.mark.parametrize("bad", NON_COUNTS)
@pytest.mark.parametrize("column", range(7))
def test_table_three_non_count_is_flagged_in_its_column(bad: str, column: int) -> None:
    figures = ["5", "1", "0", "2", "0", "0", "8"]
    figures[column] = bad
    imported = read_text(text_report(t3="一、本年新收政府信息公开申请数量\t" + "\t".join(figures)))
    cells = imported.report.cells
    key = f"t3.new.{T3_COLS[column]}"
    assert cells[key] is None and imported.report.raw_cells == {key: bad}
    for c, figure in zip(T3_COLS, figures, strict=True):
        if c != T3_COLS[column]:
            assert cells[f"t3.new.{c}"] == int(figure), c
    errors = cell_errors(imported)
    assert set(errors) == {key}
    assert errors[key].startswith(layout.describe_cell(key)) and f"“{bad}”" in errors[key]


def test_the_issue_row_no_longer_shifts() -> None:
    imported = read_text(text_report(t3="一、本年新收政府信息公开申请数量\tx\t0\t0\t0\t0\t0\t0"))
    assert [imported.report.cells[f"t3.new.{c}"] for c in T3_COLS] == [None, 0, 0, 0, 0, 0, 0]
    assert "t3.new.natural" in cell_errors(imported)


@pytest.mark.parametrize("bad", NON_COUNTS)
def test_table_two_and_four_non_counts_are_flagged_in_place(bad: str) -> None:
    t4 = [str(n) for n in range(15)]
    t4[6] = bad
    imported = read_text(text_report(t2=f"规章\t1\t{bad}\t3", t4="\t".join(t4)))
    cells = imported.report.cells
    assert (cells["t2.rules.issued"], cells["t2.rules.repealed"], cells["t2.rules.valid"]) == (1, None, 3)
    assert [cells[k] for k in layout.COUNT_CELLS if k.startswith("t4.")] == [
        None if n == 6 else n for n in range(15)
    ]
    assert set(cell_errors(imported)) == {"t2.rules.repealed", "t4.suit_direct.corrected"}


@pytest.mark.parametrize(
    ("row", "count"),
    [
        ("一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0", 6),  # 总计 missing, or another column: unknown
        ("一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\t1", 8),
        (
            "一、本年新收政府信息公开申请数量\t5\t1\t0\t详见说明\t0\t0\t6",
            3,
        ),  # words, read as label: too few figures
    ],
)
def test_a_row_with_more_or_fewer_figures_is_not_read(row: str, count: int) -> None:
    imported = read_text(text_report(t3=row))
    assert all(imported.report.cells[f"t3.new.{c}"] is None for c in T3_COLS)
    (note,) = [n for n in imported.notes if "一、本年新收" in n.message]
    assert note.rule == "IMPORT" and note.severity == "cannot-check"
    assert f"有{count}个数，应为7个" in note.message and set(note.cells) == {f"t3.new.{c}" for c in T3_COLS}


def test_a_table_two_row_with_a_figure_missing_is_not_read_in_order() -> None:
    imported = read_text(text_report(t2="规章\t22\t235"))
    assert all(imported.report.cells[f"t2.rules.{c}"] is None for c in ("issued", "repealed", "valid"))
    assert any(
        n.severity == "cannot-check" and "“规章”行有2个数，应为3个" in n.message for n in imported.notes
    )


@pytest.mark.parametrize(
    ("texts", "groups", "expected"),
    [
        (["5100006"], (7,), ["5", "1", "0", "0", "0", "0", "6"]),
        (["12", "0000", "012"], (7,), ["12", "0", "0", "0", "0", "0", "12"]),
        (["30015300061", "43119"], (7,), None),  # more than one split adds up: ambiguous
        (["5100000"], (7,), None),  # no split adds up
        (["51000", "6"], (7,), None),  # a given boundary is kept: 5|1|0|0|0 and 6 leave 6 figures
        (
            ["1000110001", "00000"],
            (5, 5, 5),
            ["1", "0", "0", "0", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"],
        ),
        (["1" * 60], (7,), None),
        (["x1"], (7,), None),
    ],
)
def test_split_run(texts: list[str], groups: tuple[int, ...], expected: list[str] | None) -> None:
    assert split_run(texts, groups) == expected


def test_split_run_is_bounded_on_hostile_digits() -> None:
    start = time.process_time()
    assert split_run(["1" * 63], (7,)) is None
    assert split_run(["10" * 31], (5, 5, 5)) is None
    assert time.process_time() - start < 1


def test_run_together_digits_are_split_only_when_one_split_holds() -> None:
    unique = read_text(text_report(t3="一、本年新收政府信息公开申请数量\t5100006"))
    assert [unique.report.cells[f"t3.new.{c}"] for c in T3_COLS] == [5, 1, 0, 0, 0, 0, 6]
    assert any(n.rule == "IMPORT" and "连在一起" in n.message for n in unique.notes)
    ambiguous = read_text(text_report(t3="一、本年新收政府信息公开申请数量\t5100000"))
    assert all(ambiguous.report.cells[f"t3.new.{c}"] is None for c in T3_COLS)
    assert any(n.severity == "cannot-check" and "一、本年新收" in n.message for n in ambiguous.notes)


def test_run_together_table_four_is_split_by_its_three_totals() -> None:
    imported = read_text(text_report(t4="1000110001\t00000"))
    assert [imported.report.cells[k] for k in layout.COUNT_CELLS if k.startswith("t4.")] == [
        1,
        0,
        0,
        0,
        1,
        1,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
    ]
    assert any("连在一起" in n.message for n in imported.notes)


def test_a_table_four_with_an_extra_figure_is_not_read() -> None:
    imported = read_text(text_report(t4="\t".join(["0"] * 16)))
    assert all(imported.report.cells[k] is None for k in layout.COUNT_CELLS if k.startswith("t4."))
    assert any(n.severity == "cannot-check" and "表四读到16个数" in n.message for n in imported.notes)


@pytest.mark.parametrize(
    ("payload", "key", "raw"),
    [
        ({"cells": {"t3.new.natural": True}}, "t3.new.natural", "true"),
        ({"cells": {"t3.new.natural": 1.5}}, "t3.new.natural", "1.5"),
        ({"cells": {"t3.new.natural": -3}}, "t3.new.natural", "-3"),
        ({"cells": {"t3.new.natural": "5"}}, "t3.new.natural", "5"),
        ({"cells": {"t4.review.total": 10**9}}, "t4.review.total", "1000000000"),
        ({"fee_amount_wan": "NaN"}, layout.FEE_CELL, "NaN"),
        ({"fee_amount_wan": "Infinity"}, layout.FEE_CELL, "Infinity"),
        ({"fee_amount_wan": "1e999999999"}, layout.FEE_CELL, "1e999999999"),
        ({"fee_amount_wan": "1e-999999999"}, layout.FEE_CELL, "1e-999999999"),
        ({"fee_amount_wan": -1}, layout.FEE_CELL, "-1"),
        ({"fee_amount_wan": True}, layout.FEE_CELL, "true"),
        ({"info_fee_yuan": "-Infinity"}, "report.info_fee_yuan", "-Infinity"),
    ],
)
def test_json_values_that_are_no_count_or_amount_are_cell_errors(
    payload: dict[str, object], key: str, raw: str
) -> None:
    report = load_example()
    data = json.loads(report_to_json(report))
    for name, value in payload.items():
        if name == "cells":
            data["cells"].update(value)
        else:
            data[name] = value
    imported = read_bytes(json.dumps(data).encode(), ".json")
    assert imported.report.raw_cells == {key: raw}
    assert key in cell_errors(imported)
    # Nothing else changed, and the report stores no bad value: it saves and loads again as it is.
    others = {k: v for k, v in imported.report.cells.items() if k != key}
    assert others == {k: v for k, v in report.cells.items() if k != key}
    assert report_from_json(report_to_json(imported.report)) == imported.report


# --- item 2: a table that could not be read is an error, and check exits 1 --------------------------------------


@pytest.mark.parametrize(
    ("text", "table"),
    [
        (text_report(t3="一、本年新收政府信息公开申请数量\t5100000"), "表三"),
        (text_report(t4="五一〇〇"), "表四"),
        (text_report(t2="没有表格的一段话。"), "表二"),
        (text_report().replace("四、政府信息公开行政复议、行政诉讼情况", "四、别的"), "表四"),
    ],
)
def test_an_unread_table_is_an_import_error(cli: Cli, tmp_path: Path, text: str, table: str) -> None:
    imported = read_text(text)
    errors = [n for n in imported.notes if n.severity == "error"]
    assert len(errors) == 1 and errors[0].rule == "IMPORT" and table in errors[0].message
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = cli("check", path)
    assert result.returncode == 1, result.stdout
    assert table in result.stdout


def test_every_unread_table_gets_its_own_error() -> None:
    text = text_report(t2="", t3="", t4="")
    assert sorted(n.message[:2] for n in read_text(text).notes if n.severity == "error") == [
        "表三",
        "表二",
        "表四",
    ]


# --- item 7: bounds at the model, at import and in the grid --------------------------------------------------------


@pytest.mark.parametrize("year", [0, -5, 10**100, 2007, date.today().year + 2, True, "2024", 2024.0])
def test_years_outside_2008_to_next_year_are_refused_in_chinese(year: object) -> None:
    with pytest.raises(ValidationError, match="年度应为2008至"):
        Report.model_validate({"year": year})
    data = json.dumps({"year": year})
    with pytest.raises(ReadError, match="年度应为2008至"):
        read_bytes(data.encode(), ".json")


@pytest.mark.parametrize("year", [2008, date.today().year + 1])
def test_the_first_and_last_years_are_accepted(year: int) -> None:
    assert Report.model_validate({"year": year}).year == year


def test_a_title_year_out_of_range_is_an_import_error() -> None:
    imported = read_text(text_report().replace("2024年", "2099年"))
    assert imported.report.year != 2099
    assert any(n.severity == "error" and "2099" in n.message for n in imported.notes)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"raw_cells": {"t3.r9.natural": "x"}}', "未知的表格单元格"),
        (b'{"cells": {"t3.new.natural": ' + b"9" * 5000 + b"}}", "不是有效的 JSON"),
    ],
)
def test_json_that_names_no_cell_or_holds_no_number_is_a_read_error(data: bytes, words: str) -> None:
    with pytest.raises(ReadError, match=words):
        read_bytes(data, ".json")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("０７", 7),
        ("1,234", 1234),
        ("999999999", 999999999),
        ("0000000001", 1),
        ("/", None),
        ("", None),
    ],
)
def test_parse_count_reads_counts_and_blanks(text: str, value: int | None) -> None:
    assert parse_count(text) == (value, None)


@pytest.mark.parametrize("text", [*NON_COUNTS, "9" * 5000, "1,23", "12,34,567"])
def test_parse_count_keeps_everything_else_as_text(text: str) -> None:
    assert parse_count(text) == (None, text.strip())


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999999999",
        "1e-999999999",
        "-1",
        "1000000000",
        "0.0000001",
        "9" * 5000,
        "x",
    ],
)
def test_parse_amount_refuses_what_no_fee_can_be(text: str) -> None:
    assert parse_amount(text) == (None, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", "0"), ("12.3456", "12.3456"), ("1.50", "1.5"), ("999999999.999999", "999999999.999999")],
)
def test_parse_amount_reads_plausible_amounts(text: str, value: str) -> None:
    amount, raw = parse_amount(text)
    assert raw is None and str(amount) == value


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e999999999", "9" * 5000, "-3", "²", "true"])
def test_grid_input_out_of_range_is_a_cell_error_never_stored(typed: str) -> None:
    report = fill(load_example())
    fee_grid = T2_GRIDS[-1]
    values = grid_values(report, fee_grid)
    values[0][0] = typed
    apply_grid(report, fee_grid, values)
    assert report.fee_amount_wan is None and report.raw_cells[layout.FEE_CELL] == typed
    values = grid_values(report, T4_GRID)
    values[0][0] = typed
    apply_grid(report, T4_GRID, values)
    assert report.cells["t4.review.upheld"] is None and report.raw_cells["t4.review.upheld"] == typed
    cell = {f.cells[0] for f in verify(fill(report)) if f.rule == "CELL"}
    assert {layout.FEE_CELL, "t4.review.upheld"} <= cell
    assert report_from_json(report_to_json(report)) == report  # it saves and loads back


def test_grid_values_show_what_was_typed() -> None:
    report = fill(load_example())
    values = grid_values(report, T3_GRID)
    values[0][0] = "两件"
    apply_grid(report, T3_GRID, values)
    assert grid_values(report, T3_GRID)[0][0] == "两件"


def test_a_stored_bad_value_loads_for_repair(tmp_path: Path) -> None:
    from assistant.store import Store

    store = Store(tmp_path / "r.db")
    report_id = store.add(load_example())
    data = json.loads(report_to_json(load_example()))
    data["fee_amount_wan"] = "NaN"  # what an older version saved from the grid
    data["cells"]["t3.new.natural"] = True
    with sqlite3.connect(tmp_path / "r.db") as db:
        db.execute("UPDATE reports SET body = ? WHERE id = ?", (json.dumps(data), report_id))
    entry = store.get(report_id)
    assert entry is not None
    assert entry.report.fee_amount_wan is None
    assert entry.report.raw_cells == {layout.FEE_CELL: "NaN", "t3.new.natural": "true"}


def test_a_huge_fee_in_a_text_report_renders_at_once(cli: Cli, tmp_path: Path) -> None:
    from assistant.export.word import render_docx

    text = text_report(
        t2="行政许可\t3\n行政事业性收费\t1e999999999",
        t3="一、本年新收政府信息公开申请数量\t" + "9" * 5000 + "\t0" * 6,
    ).replace("无。", "收取信息处理费" + "9" * 5000 + "元。")
    imported = read_text(text)
    assert imported.report.fee_amount_wan is None and imported.report.info_fee_yuan is None
    assert {layout.FEE_CELL, "report.info_fee_yuan", "t3.new.natural"} <= set(cell_errors(imported))
    start = time.process_time()
    data = render_docx(fill(imported.report))
    assert time.process_time() - start < 5 and len(data) < 200_000
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    check = cli("check", path)
    assert check.returncode == 1 and "不是有效的件数" in check.stdout


def test_render_and_check_of_bad_json_values_say_so_in_chinese(cli: Cli, tmp_path: Path) -> None:
    data = json.loads(report_to_json(load_example()))
    data["fee_amount_wan"] = "Infinity"
    data["cells"]["t3.new.natural"] = "9" * 5000
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    check = cli("check", path)
    assert check.returncode == 1
    assert "行政事业性收费" in check.stdout and "“Infinity”不是有效的金额" in check.stdout
    out = tmp_path / "out.docx"
    render = cli("render", path, "-o", out)  # refused: the errors are named, in Chinese, and nothing is written
    assert render.returncode == 1 and not out.exists()
    assert "未生成" in render.stderr and "CELL" in render.stderr


def test_a_row_kept_on_one_line_with_spaces_is_read_with_its_bad_cell_in_place() -> None:
    imported = read_text(
        text_report(t3="一、本年新收政府信息公开申请数量 x 0 0 0 0 0 0", t4=" ".join(["1"] * 15))
    )
    assert [imported.report.cells[f"t3.new.{c}"] for c in T3_COLS] == [None, 0, 0, 0, 0, 0, 0]
    assert imported.report.raw_cells == {"t3.new.natural": "x"}
    assert [imported.report.cells[k] for k in layout.COUNT_CELLS if k.startswith("t4.")] == [1] * 15
