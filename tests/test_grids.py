"""Grids: what the clerk sees and types, read back into cells; text that is no number is kept and flagged."""

from __future__ import annotations

import pytest

from assistant.checks.blanks import TYPED_CELLS
from assistant.checks.checking import check_report
from assistant.example import load_example
from assistant.format.models import Report
from assistant.grids import (
    T2_GRIDS,
    T3_GRID,
    T4_GRID,
    RequestsReported,
    apply_grid,
    grid_values,
    no_requests,
    zero_blank_cells,
)
from assistant.newyear import start_next_year


def test_typing_a_figure_recomputes_the_totals() -> None:
    report = load_example()
    values = grid_values(report, T3_GRID)
    values[0][0] = "5"  # 一、本年新收 自然人
    assert apply_grid(report, T3_GRID, values)
    shown = grid_values(report, T3_GRID)
    assert shown[0][0] == "5" and shown[0][-1] == "5"  # 总计 computed
    assert shown[-1][0] == "5"  # 四、结转 left blank: computed
    assert [f.rule for f in check_report(report) if f.severity == "error"] == []


def _next_year() -> Report:
    """2025's report started from the example, whose 2 natural-person applications were carried over."""
    last = load_example()
    last.cells.update({"t3.new.natural": 5, "t3.r1.natural": 3, "t2.normative.valid": 12})
    return start_next_year(last)


def _blank_tables(report: Report) -> dict[str, int]:
    return {f.message[1]: len(f.cells) for f in check_report(report) if f.rule == "BLANK"}


def test_a_new_report_starts_blank_with_last_years_figures_carried() -> None:
    report = _next_year()
    carried = {f"t3.carried_in.{c}" for c in ("natural", "business", "research", "social", "legal", "other")}
    assert report.origin == "form" and report.cells["t3.carried_in.natural"] == 2
    assert report.cells["t2.normative.valid"] == 12 and report.fee_amount_wan is None
    typed = [k for k in TYPED_CELLS["三"] if k not in carried]
    assert all(report.cells[k] is None for k in typed)  # blank, never a 0 nobody typed
    assert _blank_tables(report) == {"二": 8, "三": 132, "四": 12}
    values = grid_values(report, T3_GRID)
    values[0][0] = "4"  # 一、本年新收 自然人
    values[2][0] = "5"  # （一）予以公开 自然人
    apply_grid(report, T3_GRID, values)
    assert grid_values(report, T3_GRID)[-1][0] == ""  # the other results are unknown: no guess
    assert zero_blank_cells(report, "三") == 130
    assert report.cells["t3.new.natural"] == 4 and report.cells["t3.r1.natural"] == 5
    assert grid_values(report, T3_GRID)[-1][0] == "1"  # 四、结转 = 4 + 2 − 5, computed again


def test_no_requests_fills_table_three_and_keeps_the_carry_over() -> None:
    report = _next_year()
    assert no_requests(report) == 132
    assert report.cells["t3.carried_in.natural"] == 2 and report.cells["t3.new.natural"] == 0
    assert grid_values(report, T3_GRID)[-1][0] == "2"  # nothing done: last year's 2 carried on
    assert [f for f in check_report(report) if f.rule.startswith("T3")] == []
    assert _blank_tables(report) == {"二": 8, "四": 12}


@pytest.mark.parametrize(
    ("key", "value", "raw"), [("t3.new.natural", 3, None), ("t3.new.legal", None, "两件")]
)
def test_no_requests_is_refused_when_table_three_states_applications(
    key: str, value: int | None, raw: str | None
) -> None:
    report = _next_year()
    report.cells[key] = value
    if raw:
        report.raw_cells[key] = raw
    before = report.model_copy(deep=True)
    with pytest.raises(RequestsReported, match=f"“{raw or value}”"):
        no_requests(report)
    assert report == before


@pytest.mark.parametrize(
    ("table", "filled", "left"), [("二", 8, {"三": 132, "四": 11}), ("四", 12, {"二": 7, "三": 132})]
)
def test_rest_of_a_table_is_zero_in_one_click_and_typed_figures_stay(
    table: str, filled: int, left: dict[str, int]
) -> None:
    report = _next_year()
    report.cells["t2.licensing.decisions"] = 4
    report.raw_cells["t4.review.upheld"] = "三"
    assert zero_blank_cells(report, table) == filled - 1
    assert report.cells["t2.licensing.decisions"] == 4 and report.raw_cells == {"t4.review.upheld": "三"}
    assert _blank_tables(report) == left
    if table == "二":
        assert report.fee_amount_wan == 0 and report.cells["t2.rules.issued"] == 0
    assert zero_blank_cells(report, table) == 0


def test_letters_are_kept_and_reported_at_their_cell() -> None:
    report = load_example()
    values = grid_values(report, T4_GRID)
    values[0][0] = "三"
    apply_grid(report, T4_GRID, values)
    assert report.raw_cells == {"t4.review.upheld": "三"}
    assert grid_values(report, T4_GRID)[0][0] == "三"
    cell = [f for f in check_report(report) if f.rule == "CELL"]
    assert cell and cell[0].cells == ("t4.review.upheld",) and "“三”不是数字" in cell[0].message


def test_fixing_the_cell_clears_the_problem() -> None:
    report = load_example()
    values = grid_values(report, T2_GRIDS[1])
    values[0][0] = "-2"
    apply_grid(report, T2_GRIDS[1], values)
    assert any(f.rule == "CELL" for f in check_report(report))
    values[0][0] = "2"
    apply_grid(report, T2_GRIDS[1], values)
    assert report.cells["t2.licensing.decisions"] == 2 and not any(
        f.rule == "CELL" for f in check_report(report)
    )


def test_unchanged_grid_changes_nothing() -> None:
    report = load_example()
    assert not apply_grid(report, T3_GRID, grid_values(report, T3_GRID))


def test_blank_cells_are_listed_once() -> None:
    report = _next_year()
    findings = check_report(report)
    assert [f.rule for f in findings if f.cells and f.cells[0].startswith("t3.")] == ["BLANK"]
    imported = report.model_copy(update={"origin": "file"})  # a published report's blanks: each rule says so
    assert {f.rule for f in check_report(imported) if f.severity == "cannot-check"} == {"T3-BALANCE"}
