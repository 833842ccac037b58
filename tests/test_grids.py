"""Grids: what the clerk sees and types, read back into cells; text that is no number is kept and flagged."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.checks.blanks import TYPED_CELLS
from assistant.checks.checking import check_report
from assistant.example import load_example
from assistant.format import layout
from assistant.format.models import Report
from assistant.grids import (
    T2_GRIDS,
    T3_FORM,
    T3_GRID,
    T4_GRID,
    Grid,
    RequestsReported,
    apply_grid,
    commit_edit,
    edited_cells,
    grid_inputs,
    grid_values,
    no_requests,
    paste_block,
    zero_blank_cells,
)
from assistant.importers.cells import parse_amount, parse_count
from assistant.newyear import start_next_year
from assistant.store import Store


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


# --- every edit kept: the save path of the 表格 page, driven by random edit sequences --------------------------

_GRIDS = (*T2_GRIDS, T3_FORM, T4_GRID)
_TYPED = [
    (g, r, c)
    for g, grid in enumerate(_GRIDS)
    for r, row in enumerate(grid.keys)
    for c in range(len(row))
    if grid.typed(r, c)
]
_TEXT = ("两件", "三", "abc", "1.5", "-2", " 7 ", "/", "１２")
_values = st.one_of(
    st.integers(min_value=0, max_value=999_999).map(str),  # 1–6 digits
    st.just(""),
    st.sampled_from(_TEXT),
    st.sampled_from(("0", "3")),  # small pool: repeats and returns to an earlier value are common
)


def _expected(grid: Grid, key: str, typed: str) -> str:
    """What the grid shows after the clerk typed `typed` into the cell `key`."""
    if key == layout.FEE_CELL:
        amount, raw = parse_amount(typed)
        return raw if raw is not None else ("" if amount is None else format(amount, "f"))
    count, raw = parse_count(typed)
    return raw if raw is not None else ("" if count is None else str(count))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_TYPED), _values), min_size=1, max_size=12))
def test_any_edit_sequence_ends_with_saved_equal_to_shown(
    edits: list[tuple[tuple[int, int, int], str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "t.db")
        report_id = store.add(load_example())
        entry = store.get(report_id)
        assert entry is not None
        drawn = {g: grid_inputs(entry.report, grid) for g, grid in enumerate(_GRIDS)}
        last: dict[str, tuple[int, str]] = {}
        for (g, r, c), typed in edits:
            grid = _GRIDS[g]
            shown: list[list[str | None]] = [list(row) for row in drawn[g]]
            shown[r][c] = None if typed == "" and r % 2 else typed  # a cleared cell may come back as None
            done = commit_edit(store, report_id, grid, drawn[g], shown)
            assert done is not None and done.elsewhere == ()
            drawn[g] = done.saved  # the page draws the saved figures
            key = grid.keys[r][c]
            assert key is not None
            last[key] = (g, typed)
            saved = store.get(report_id)
            assert saved is not None
            for k, (gi, value) in last.items():
                rr, cc = next(
                    (a, b) for a, row in enumerate(_GRIDS[gi].keys) for b, kk in enumerate(row) if kk == k
                )
                now = grid_values(saved.report, _GRIDS[gi])[rr][cc]
                if value.strip() == "" and k in layout.DERIVED_CELLS:
                    continue  # 四、结转 left blank shows the computed figure
                assert now == _expected(_GRIDS[gi], k, value), (k, value, now)
                assert "None" not in now


def test_an_edit_in_one_tab_keeps_what_another_tab_saved() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "t.db")
        report_id = store.add(load_example())
        entry = store.get(report_id)
        assert entry is not None
        grid = T2_GRIDS[1]
        tab_a = grid_inputs(entry.report, grid)
        tab_b = [list(row) for row in tab_a]
        tab_b[0][0] = "5"  # tab B: 行政许可
        commit_edit(store, report_id, grid, tab_a, tab_b)
        shown_a = [list(row) for row in tab_a]
        shown_a[1][0] = "8"  # tab A, still showing the old 行政许可: 行政处罚
        done = commit_edit(store, report_id, grid, tab_a, shown_a)
        assert done is not None
        assert done.saved[0][0] == "5" and done.saved[1][0] == "8"
        assert done.elsewhere == (("t2.licensing.decisions", tab_a[0][0], "5"),)


def test_bad_input_changes_only_its_cell() -> None:
    """Text, a negative, a decimal, a 12-digit number, None: each changes its own cell and nothing else."""
    for typed in ("两件", "-2", "1.5", "123456789012", None):
        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "t.db")
            report_id = store.add(load_example())
            entry = store.get(report_id)
            assert entry is not None
            drawn = grid_inputs(entry.report, T3_FORM)
            shown: list[list[str | None]] = [list(row) for row in drawn]
            shown[0][1] = typed
            done = commit_edit(store, report_id, T3_FORM, drawn, shown)
            assert done is not None and done.written == ("t3.new.business",)
            saved = store.get(report_id)
            assert saved is not None
            before = {k: v for k, v in entry.report.cells.items() if k not in layout.DERIVED_CELLS}
            after = {k: v for k, v in saved.report.cells.items() if k not in layout.DERIVED_CELLS}
            assert {k for k in before if before[k] != after.get(k)} <= {"t3.new.business"}
            assert done.saved[0][1] != "None"
            if typed is not None:  # each bad value: a Chinese message at its own cell
                messages = [f.message for f in check_report(saved.report) if f.cells == ("t3.new.business",)]
                assert any("表三 一、本年新收 商业企业" in m and "不小于0的整数" in m for m in messages), messages


def test_row_notes_and_short_names_cover_every_row_of_table_three() -> None:
    assert len(T3_FORM.short_rows) == len(T3_FORM.rows) == len(T3_FORM.row_notes) == len(layout.T3_ROWS)
    assert all(note.endswith("。") for note in T3_FORM.row_notes)
    assert T3_FORM.locked == frozenset({T3_FORM.short_rows.index("（七）总计")})
    values = grid_values(load_example(), T3_FORM)
    shown: list[list[str | None]] = [list(row) for row in values]
    row7 = T3_FORM.short_rows.index("（七）总计")
    shown[row7][0] = "99"  # a computed row: an edit there is not a figure
    assert edited_cells(T3_FORM, values, shown) == {}


# --- pasting a block copied from Excel or WPS ---------------------------------------------------------------------

_HEADER = "\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"
_WITH_LABELS = "\n".join(
    (
        _HEADER,
        "一、本年新收政府信息公开申请数量\t\t\t3\t1\t0\t0\t0\t0\t4",
        "三、本年度办理结果\t（一）予以公开\t\t2\t1\t0\t0\t0\t0\t3",
        "\t（三）不予公开\t1.属于国家秘密\t1\t0\t0\t0\t0\t0\t1",
        "\t\t2.其他法律行政法规禁止公开\t0\t两\t0\t0\t0\t0\t0",  # merged label cells copy as blanks
    )
)


@pytest.mark.parametrize(
    ("text", "start", "placed", "message"),
    [
        # Labels name the rows; the header is skipped; 总计 is computed, not pasted.
        (
            _WITH_LABELS,
            0,
            {
                "t3.new.natural": "3",
                "t3.new.business": "1",
                "t3.r1.natural": "2",
                "t3.r1.business": "1",
                "t3.r3_1.natural": "1",
                "t3.r3_2.business": "两",
            },
            "跳过了 1 行表头",
        ),
        # No labels: rows follow one another from the chosen row.
        (
            "5\t6\n7\t8",
            2,
            {"t3.r1.natural": "5", "t3.r1.business": "6", "t3.r2.natural": "7", "t3.r2.business": "8"},
            "已填入 4 格",
        ),
        ("\n".join(["1"] * 40), 0, None, "超出了表格"),
        ("1\t2\t3\t4\t5\t6\t7\t8\t9", 0, None, "表格只有 7 列"),
        ('"合并\n单元格"\t5', 0, None, "对不上表格中的任何一行"),
        ("自然人\t商业企业", 0, None, "没有数字"),
        ("", 0, None, "没有可粘贴的内容"),
    ],
)
def test_a_pasted_block_fills_the_cells_it_covers_or_nothing(
    text: str, start: int, placed: dict[str, str] | None, message: str
) -> None:
    current = grid_values(load_example(), T3_FORM)
    pasted = paste_block(T3_FORM, current, text, start)
    assert message in pasted.message
    if placed is None:
        assert pasted.values is None
        return
    assert pasted.values is not None
    where = {k: (r, c) for r, row in enumerate(T3_FORM.keys) for c, k in enumerate(row) if k}
    for key, value in placed.items():
        r, c = where[key]
        assert pasted.values[r][c] == value
    changed = {k for k, (r, c) in where.items() if pasted.values[r][c] != current[r][c]}
    assert changed <= set(placed) | {"t3.r3_2.natural"}  # a pasted 0 over a 0 is no change either way
    assert not any(T3_FORM.keys[r][c] in changed for r in T3_FORM.locked for c in range(7))


def test_a_paste_goes_through_the_save_path_and_junk_is_flagged_at_its_cell() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "t.db")
        report_id = store.add(load_example())
        entry = store.get(report_id)
        assert entry is not None
        grid = T2_GRIDS[1]
        current = grid_inputs(entry.report, grid)
        pasted = paste_block(grid, current, "行政处罚\t5\n行政强制\t两件")
        assert pasted.values is not None
        done = commit_edit(store, report_id, grid, current, pasted.values)
        assert done is not None and done.saved == [[current[0][0]], ["5"], ["两件"]]
        saved = store.get(report_id)
        assert saved is not None
        cell = [f for f in check_report(saved.report) if f.rule == "CELL"]
        assert [f.cells for f in cell] == [("t2.coercion.decisions",)]


def test_typing_the_computed_carry_over_makes_it_a_typed_fact() -> None:
    """四、结转 left blank shows the computed figure; typing that same figure saves it as typed, not computed."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "t.db")
        report = load_example()
        report.cells["t3.new.natural"] = 2
        report.cells["t3.carried_out.natural"] = None
        report_id = store.add(report)
        row = T3_FORM.short_rows.index("四、结转下年度")
        drawn = grid_inputs(report, T3_FORM)
        computed = grid_values(report, T3_FORM)[row][0]
        assert drawn[row][0] == "" and computed != ""
        shown: list[list[str | None]] = [list(r) for r in drawn]
        shown[row][0] = computed
        done = commit_edit(store, report_id, T3_FORM, drawn, shown)
        assert done is not None and done.saved[row][0] == computed
        saved = store.get(report_id)
        assert saved is not None and saved.report.cells["t3.carried_out.natural"] == int(computed)
