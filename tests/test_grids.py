"""Grids: what the clerk sees and types, read back into cells; text that is no number is kept and flagged."""

from __future__ import annotations

from assistant.checks.checking import check_report
from assistant.example import load_example
from assistant.format.models import Report
from assistant.grids import T2_GRIDS, T3_GRID, T4_GRID, apply_grid, grid_values, zero_inputs


def test_typing_a_figure_recomputes_the_totals() -> None:
    report = load_example()
    values = grid_values(report, T3_GRID)
    values[0][0] = "5"  # 一、本年新收 自然人
    assert apply_grid(report, T3_GRID, values)
    shown = grid_values(report, T3_GRID)
    assert shown[0][0] == "5" and shown[0][-1] == "5"  # 总计 computed
    assert shown[-1][0] == "5"  # 四、结转 left blank: computed
    assert [f.rule for f in check_report(report) if f.severity == "error"] == []


def test_a_new_report_starts_at_zero_and_typed_carry_over_is_checked() -> None:
    report = Report(agency="某镇人民政府", year=2025)
    zero_inputs(report)
    values = grid_values(report, T3_GRID)
    assert values[0][0] == "0" and values[-1][0] == "0"
    values[0][0] = "5"
    apply_grid(report, T3_GRID, values)
    assert [f.rule for f in check_report(report) if f.rule.startswith("T3")] == ["T3-BALANCE", "T3-BALANCE"]
    values = grid_values(report, T3_GRID)
    values[-1][0] = "5"  # 四、结转下年度 自然人
    apply_grid(report, T3_GRID, values)
    assert [f for f in check_report(report) if f.rule.startswith("T3")] == []


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
