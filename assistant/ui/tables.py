"""The 表格 page: tables 二、三、四 in editable grids, totals computed, findings beside them, live."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.checks.blanks import blank_typed_cells
from assistant.checks.rules import Finding
from assistant.format.models import Report
from assistant.grids import (
    T2_GRIDS,
    T3_GRID,
    T3_RESULT_GRID,
    T4_GRID,
    Grid,
    RequestsReported,
    apply_grid,
    grid_values,
    no_requests,
    zero_blank_cells,
)
from assistant.store import Entry
from assistant.ui.common import findings_of, get_store, need_report, save, show_findings
from assistant.ui.plain import plain


def _frame(report: Report, grid: Grid, editable: bool | None = None) -> pd.DataFrame:
    """The grid as a table; editable=True keeps the columns the clerk types, False the computed ones."""
    columns = [n for n, e in enumerate(grid.editable) if editable is None or e == editable]
    values = grid_values(report, grid)
    return pd.DataFrame(
        [[row[n] for n in columns] for row in values],
        index=list(grid.rows),
        columns=[grid.columns[n] for n in columns],
    )


def _own_revision(report_id: int) -> str:
    return f"own-revision-{report_id}"


def _apply_edits(report_id: int, grid: Grid, key: str) -> None:
    """on_change of a grid: write every edit made in it to the saved report, before the page is drawn again.

    Applying all of them each time is idempotent, so an edit is never lost or written twice.
    """
    edits = st.session_state.get(key, {}).get("edited_rows", {})
    if not edits:
        return
    st.session_state[f"{key}-applied"] = repr(edits)
    columns = list(grid.columns)

    def change(report: Report) -> None:
        values = grid_values(report, grid)
        for row, changed in edits.items():
            for column, value in changed.items():
                values[int(row)][columns.index(column)] = "" if value is None else str(value).strip()
        apply_grid(report, grid, values)

    save(change)
    saved = get_store().get(report_id)
    if saved is not None:
        st.session_state[_own_revision(report_id)] = saved.revision


def _editor(entry: Entry, grid: Grid) -> None:
    """One grid of the cells the clerk types, and the computed columns beside it.

    The editor keeps showing the figures as they were when it was drawn (a snapshot), and the browser keeps the
    clerk's edits on top of them: the data it is given never changes under the clerk's hands, because Streamlit
    drops pending edits when it does. A new snapshot is taken only when the report changed elsewhere (another tab).
    """
    snap_key = f"snapshot-{entry.id}-{grid.name}"
    snapshot = st.session_state.get(snap_key)
    if snapshot is None or entry.revision not in (snapshot[0], st.session_state.get(_own_revision(entry.id))):
        # The own revision is not moved here: every grid must see a change made elsewhere (another tab, a button).
        snapshot = (entry.revision, _frame(entry.report, grid, editable=True))
        st.session_state[snap_key] = snapshot
    key = f"grid-{entry.id}-{snapshot[0]}-{grid.name}"
    height = 40 + 35 * len(grid.rows)  # tall enough never to scroll: the clerk sees every row at once
    computed = not all(grid.editable)
    left, right = st.columns([9, 1], gap="small") if computed else (st.container(), None)
    with left:
        st.data_editor(
            snapshot[1],
            key=key,
            column_config={c: st.column_config.TextColumn(c, width="small") for c in snapshot[1].columns},
            width="stretch",
            num_rows="fixed",
            height=height,
            on_change=_apply_edits,
            args=(entry.id, grid, key),
        )
    if right is not None:
        with right:
            st.dataframe(
                _frame(entry.report, grid, editable=False), hide_index=True, width="stretch", height=height
            )
    edits = st.session_state.get(key, {}).get("edited_rows")
    if edits and st.session_state.get(f"{key}-applied") != repr(edits):
        # Edits the callback has not written (it runs only on a browser's change event, not in AppTest).
        _apply_edits(entry.id, grid, key)
        st.rerun()


def _readonly(entry: Entry, grid: Grid) -> None:
    st.dataframe(_frame(entry.report, grid), width="stretch")


def _zero_rest(table: str) -> None:
    """on_click of 本表其余填 0."""
    filled: list[int] = []
    save(lambda report: filled.append(zero_blank_cells(report, table)))
    st.session_state["tables-said"] = (
        table,
        "done",
        f"表{table}的 {sum(filled)} 个空白单元格已填为 0，已填写的数字不变。",
    )


def _no_requests() -> None:
    """on_click of 本年度未收到政府信息公开申请."""
    filled: list[int] = []
    try:
        save(lambda report: filled.append(no_requests(report)))
    except RequestsReported as exc:
        st.session_state["tables-said"] = ("三", "refused", str(exc))
        return
    st.session_state["tables-said"] = (
        "三",
        "done",
        f"已按“本年度未收到政府信息公开申请”将表三的 {sum(filled)} 个空白单元格填为 0；"
        "已有的数字（如上年结转）不变，结转下年度由程序计算。",
    )


def _zero_buttons(entry: Entry, table: str) -> None:
    """For the many bodies with nothing to report: fill a table's blank typed cells with 0 in one click."""
    blanks = len(blank_typed_cells(entry.report, table))
    left, right = st.columns(2)
    if table == "三":
        left.button(
            "本年度未收到政府信息公开申请",
            key=f"no-requests-{entry.id}",
            on_click=_no_requests,
            help="表三空白的单元格全部填 0；已填的数字（如上年结转）保留。",
            width="stretch",
        )
    right.button(
        f"本表其余填 0（{blanks} 个空白）" if blanks else "本表没有空白单元格",
        key=f"zero-{entry.id}-{table}",
        on_click=_zero_rest,
        args=(table,),
        disabled=not blanks,
        help="只填空白的单元格；已填写的数字和文字不变。",
        width="stretch",
    )
    # Said inside the table's tab: a message above the tabs would redraw them and show the first tab again.
    said = st.session_state.get("tables-said")
    if said and said[0] == table:
        del st.session_state["tables-said"]
        (st.success if said[1] == "done" else st.error)(plain(said[2]))


def _about(findings: list[Finding], prefix: str) -> list[Finding]:
    return [
        f for f in findings if any(c.startswith(prefix) for c in f.cells) or (not f.cells and prefix == "t3.")
    ]


def show() -> None:
    """Render the page."""
    entry = need_report()
    if entry is None:
        return
    report = entry.report
    st.title("表格")
    st.caption(
        f"{plain(report.agency)} {report.year}年 · 在白色单元格里填写数字（空着表示未知，不按 0 计）；灰色的总计由程序计算。"
        "每次修改立即保存。"
    )
    findings = findings_of(entry)
    tab2, tab3, tab4 = st.tabs(
        ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、行政复议、行政诉讼情况"]
    )
    with tab2:
        _zero_buttons(entry, "二")
        left, right = st.columns([3, 2])
        with left:
            for grid in T2_GRIDS:
                st.markdown(f"**{grid.name}**")
                _editor(entry, grid)
        with right:
            st.markdown("**表二的检查结果**")
            show_findings(_about(findings, "t2."), "表二没有发现问题。")
    with tab3:
        _zero_buttons(entry, "三")
        left, right = st.columns([3, 1])
        with left:
            _editor(entry, T3_GRID)
            st.caption("“四、结转下年度继续办理”请按实际填写；留空则按“第一项加第二项减第三项”自动计算。")
            st.markdown("**（七）总计（自动计算）**")
            _readonly(entry, T3_RESULT_GRID)
        with right:
            st.markdown("**表三的检查结果**")
            show_findings(_about(findings, "t3."), "表三勾稽关系全部核对通过。")
    with tab4:
        _zero_buttons(entry, "四")
        _editor(entry, T4_GRID)
        st.markdown("**表四的检查结果**")
        show_findings(_about(findings, "t4."), "表四核对通过。")
    st.info("下一步：到“正文”页写要点并起草各部分文字。")
