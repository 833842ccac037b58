"""Properties: fill makes any table consistent; any single changed cell is then caught and named."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.checks.fill import clear_derived, fill_cells
from assistant.checks.rules import verify
from assistant.format import layout
from assistant.format.models import Report

INPUT_CELLS = [k for k in layout.COUNT_CELLS if k not in layout.DERIVED_CELLS]
T34_CELLS = [k for k in layout.COUNT_CELLS if k.startswith(("t3.", "t4."))]


@st.composite
def consistent_cells(draw: st.DrawFn) -> dict[str, int | None]:
    """Random entered counts, with results never exceeding what was received, then filled."""
    cells: dict[str, int | None] = dict.fromkeys(layout.COUNT_CELLS)
    for key in INPUT_CELLS:
        cells[key] = draw(st.integers(0, 50))
    for col in layout.T3_APPLICANT_COLUMNS:
        # carried_out = new + carried_in − results must stay ≥ 0: make 本年新收 large enough.
        done = sum(cells[f"t3.{r}.{col}"] or 0 for r in layout.T3_RESULT_ROWS)
        cells[f"t3.new.{col}"] = done + draw(st.integers(0, 20))
    return fill_cells(cells)


def _report(cells: dict[str, int | None]) -> Report:
    report = Report(agency="测试县人民政府", year=2024, cells=cells)
    report.parts["overview"].text = "总体情况。"
    report.parts["problems"].text = "存在问题。"
    report.parts["other"].text = "本年度未收取信息处理费。"
    return report


@settings(max_examples=150, deadline=None)
@given(consistent_cells())
def test_filled_report_verifies_without_errors(cells: dict[str, int | None]) -> None:
    assert [f for f in verify(_report(cells)) if f.severity == "error"] == []


@settings(max_examples=300, deadline=None)
@given(consistent_cells(), st.sampled_from(T34_CELLS), st.integers(1, 30))
def test_any_changed_cell_is_named_by_an_error(cells: dict[str, int | None], key: str, delta: int) -> None:
    changed = dict(cells)
    changed[key] = (changed[key] or 0) + delta
    errors = [f for f in verify(_report(changed)) if f.severity == "error"]
    assert errors, f"no error after changing {key}"
    assert any(key in f.cells for f in errors)


@settings(max_examples=50, deadline=None)
@given(consistent_cells())
def test_fill_recomputes_the_same_derived_cells(cells: dict[str, int | None]) -> None:
    assert fill_cells(clear_derived(cells)) == cells
