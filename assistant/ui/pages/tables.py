"""The 表格 page: tables 二、三、四 as the printed form in AG Grid, every edit saved, findings marked in the cells."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from st_aggrid import AgGrid, DataReturnMode, JsCode

from assistant.checks.blanks import blank_typed_cells
from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.format.models import Report
from assistant.grids import (
    T2_GRIDS,
    T3_FORM,
    T4_GRID,
    Grid,
    RequestsReported,
    commit_edit,
    grid_inputs,
    grid_values,
    no_requests,
    paste_block,
    zero_blank_cells,
)
from assistant.store import Entry
from assistant.ui.common import (
    SEVERITY_WORD,
    current_id,
    findings_of,
    get_store,
    need_report,
    save,
    show_finding,
)
from assistant.ui.leaving import HOLD_PAGE_MOVE_JS
from assistant.ui.plain import plain

# Why AG Grid (streamlit-aggrid) and not st.data_editor: data_editor has no grouped (merged) headers, styles only
# read-only columns and has no per-row tooltips; it also reports edits relative to a snapshot, which loses an edit
# back to the snapshot's value. AG Grid returns every typed cell as shown, so what is shown is what gets saved.
# The grid owns its rows once the clerk edits (client_wins): new rows from the page would cancel the edit in
# progress and drop keystrokes, so computed figures, marks and messages come in the column definitions instead.
_CSS: dict[str, dict[str, str]] = {
    ".cell-error": {"background-color": "#fde0e0 !important", "box-shadow": "inset 0 0 0 2px #d93025"},
    ".cell-warning": {"background-color": "#fff3cd !important", "box-shadow": "inset 0 0 0 2px #e0a100"},
    ".cell-computed": {"background-color": "#f0f2f6 !important", "color": "#31333f"},
    # The focused cell in blue, so that it is never taken for a cell marked red.
    ".ag-cell.ag-cell-focus": {"border": "2px solid #1c83e1 !important"},
    ".ag-cell": {"padding-left": "5px !important", "padding-right": "5px !important"},
    ".ag-header-cell, .ag-header-group-cell": {
        "padding-left": "5px !important",
        "padding-right": "3px !important",
    },
    ".ag-header-group-cell-label, .ag-header-cell-label": {"justify-content": "center"},
}
# A grid and the findings share a row when there is room; below 1100 px or so the findings wrap under the grid.
_LAYOUT_CSS = """<style>
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-gridbox-"]) { flex: 3 1 540px !important; min-width: 0; }
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-findingsbox-"]) { flex: 1 1 260px !important; }
</style>"""
_GRIDS: tuple[Grid, ...] = (*T2_GRIDS, T3_FORM, T4_GRID)
# （七）总计 is a computed row in an otherwise typed grid: AG Grid's editable callback is the one place to say so.
_ROW_EDITABLE = JsCode("function(p) { return p.data.ro !== '1'; }")
_ROW_ID = JsCode("function(p) { return p.data.i; }")
_ROW_LOCKED = JsCode("function(p) { return p.data.ro === '1'; }")
_CHAR_PX = 13  # one CJK character in the grid's font
# A key an input method holds back (keyCode 229, key "Process") does not start editing in AG Grid, so the figure it
# then commits would be dropped by the selected cell: start the cell's editor at once, and the text lands in it.
_START_ON_IME = JsCode(
    """function(p) {
  const k = p.event;
  if (!k || !(k.key === 'Process' || k.keyCode === 229) || p.api.getEditingCells().length) return;
  if (p.colDef.editable === false) return;
  p.api.startEditingCell({rowIndex: p.rowIndex, colKey: p.column.getColId()});
}"""
)
# A figure typed and not yet entered must not be lost when the clerk goes elsewhere. A click anywhere on the page
# outside the grid (a button, the sidebar) enters it at pointerdown, before the click; a click on another page waits
# for the save (ui/leaving.py), made with the page's timer as the grid may be drawn anew (and this frame go) during
# it. A reload or a closed tab is asked about by the browser while a cell is being edited (the figure is entered
# first); a hidden tab enters it too. The listeners go when the grid does.
_COMMIT_ON_LEAVE = JsCode(
    "function(e) {"
    + HOLD_PAGE_MOVE_JS
    + """
  const api = e.api;
  const editing = () => { try { return api.getEditingCells().length > 0; } catch (err) { return false; } };
  const commit = () => { try { api.stopEditing(false); } catch (err) {} };
  window.addEventListener('pagehide', commit);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') commit(); });
  let top = null;
  try { top = window.parent; top.document.body; } catch (err) { return; }
  // First the hold (its press must find the cell still being edited), then the press anywhere else.
  const release = holdPageMove(top.document, (f, ms) => top.setTimeout(f, ms), () => {
    if (!editing()) return false;
    commit();
    return true;
  });
  const down = () => { if (editing()) commit(); };
  const ask = (ev) => {
    if (!editing()) return;
    commit();
    ev.preventDefault();
    ev.returnValue = '';
  };
  top.document.addEventListener('pointerdown', down, true);
  top.addEventListener('beforeunload', ask);
  window.addEventListener('pagehide', () => {
    release();
    top.document.removeEventListener('pointerdown', down, true);
    top.removeEventListener('beforeunload', ask);
  });
}"""
)
_FOCUS = "grid-focus"  # (report id, grid name, cell key): the cell of a finding the clerk clicked


def _field(column: int) -> str:
    return f"c{column}"


def _drawn_key(report_id: int, grid: Grid) -> str:
    return f"drawn-{report_id}-{grid.name}"


def _grid_key(report_id: int, grid: Grid) -> str:
    """The grid's widget key. The grid keeps what the clerk typed and takes no new rows from the page (that would
    cancel an edit in progress), so when the saved figures must replace its rows (another tab, a paste) the page
    draws a new grid under a new key."""
    return f"ag-{report_id}-{grid.name}-{st.session_state.get(_generation_key(report_id, grid), 0)}"


def _generation_key(report_id: int, grid: Grid) -> str:
    return f"generation-{report_id}-{grid.name}"


def _redraw(report_id: int, grid: Grid) -> None:
    key = _generation_key(report_id, grid)
    st.session_state[key] = st.session_state.get(key, 0) + 1


def _locate(report_id: int, grid: Grid, key: str) -> None:
    """A finding was clicked: draw its grid anew, and the new grid brings the cell into view and flashes it."""
    st.session_state[_FOCUS] = (report_id, grid.name, key)
    _redraw(report_id, grid)


def _focus_js(grid: Grid, key: str) -> JsCode:
    """Run once the new grid has its rows: the page scrolls to the grid, the cell gets the focus and flashes."""
    r, c = next((r, c) for r, row in enumerate(grid.keys) for c, k in enumerate(row) if k == key)
    return JsCode(
        f"""function(e) {{
  const api = e.api, column = {_js(_field(c))};
  api.ensureIndexVisible({r}, 'middle');
  api.setFocusedCell({r}, column);
  const node = api.getDisplayedRowAtIndex({r});
  if (node) api.flashCells({{rowNodes: [node], columns: [column], flashDuration: 1500}});
  // The cell itself to the middle of the window (the page scrolls, the grid does not): on a short window
  // centring the whole grid could leave a low row out of sight. The keyboard goes to the cell, so that what the
  // clerk types next lands there; taken again for a moment, as the page is still settling after its run.
  const take = (first) => {{
    const cell = document.querySelector('.ag-cell-focus');
    if (!cell) {{
      if (first) {{ try {{ window.frameElement.scrollIntoView({{block: 'center'}}); }} catch (err) {{}} }}
      return;
    }}
    if (first) {{ try {{ cell.scrollIntoView({{block: 'center'}}); }} catch (err) {{}} }}
    // Never taken back from an editor the clerk has opened, nor from a field elsewhere on the page.
    if (cell.contains(document.activeElement) || api.getEditingCells().length) return;
    try {{
      const there = window.parent.document.activeElement;
      if (there && (there.tagName === 'INPUT' || there.tagName === 'TEXTAREA' || there.isContentEditable)) return;
    }} catch (err) {{}}
    try {{ window.frameElement.focus({{preventScroll: true}}); }} catch (err) {{}}
    cell.focus({{preventScroll: true}});
  }};
  [0, 250, 700].forEach((ms, i) => setTimeout(() => take(i === 0), ms));
}}"""
    )


def _marks(grid: Grid, findings: list[Finding]) -> dict[str, tuple[str, list[str]]]:
    """Per cell key named by a finding: the worst severity and the messages, for the cell's colour and tooltip."""
    keys = set(grid.cell_keys())
    marks: dict[str, tuple[str, list[str]]] = {}
    for f in findings:
        if f.severity not in ("error", "warning") or f.rule == "BLANK":
            continue  # BLANK names every empty cell of a new report: the empty cell says it already
        for key in f.cells:
            if key in keys:
                severity, messages = marks.get(key, (f.severity, []))
                if f.severity == "error":
                    severity = "error"
                messages.append(f"{SEVERITY_WORD[f.severity]}：{f.message}")
                marks[key] = (severity, messages)
    return marks


def _rows(grid: Grid, inputs: list[list[str]]) -> pd.DataFrame:
    """The grid's rows: labels and what the clerk typed. Computed figures and marks travel in the columns."""
    records: list[dict[str, str]] = []
    for r, row in enumerate(grid.keys):
        full = grid.rows[r]
        note = grid.row_notes[r] if grid.row_notes else ""
        record = {
            "i": str(r),
            "label": grid.short_rows[r] if grid.short_rows else full,
            "tip": f"{full}：{note}" if note else full,
            "ro": "1" if r in grid.locked else "",
        }
        for c in range(len(row)):
            record[_field(c)] = inputs[r][c]
        records.append(record)
    return pd.DataFrame.from_records(records)


def _js(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _column(
    grid: Grid, c: int, shown: dict[str, str], marks: dict[str, tuple[str, list[str]]]
) -> dict[str, Any]:
    """One column. What changes after an edit (computed figures, marks, messages) is written into the column
    definition, not the rows: the grid takes new columns while the clerk types, but new rows would cancel an edit."""
    field = _field(c)
    full = grid.columns[c]
    short = grid.short_columns[c] if grid.short_columns else full
    editable: bool | JsCode = grid.editable[c] and (_ROW_EDITABLE if grid.locked else True)
    column_marks = {str(r): marks[k] for r, row in enumerate(grid.keys) if (k := row[c]) and k in marks}
    errors = [r for r, (severity, _) in column_marks.items() if severity == "error"]
    warnings = [r for r, (severity, _) in column_marks.items() if severity == "warning"]
    messages = {r: "\n".join(m) for r, (_, m) in column_marks.items()}
    return {
        "field": field,
        "headerName": short,
        "headerTooltip": full if grid.editable[c] else f"{full}（自动计算）",
        "editable": editable,
        # Tab and the arrows pass over what is computed (总计, （七）): the clerk moves from figure to figure.
        "suppressNavigable": (_ROW_LOCKED if grid.locked else False) if grid.editable[c] else True,
        # A typed figure shows as typed; a computed one (总计, （七）, a blank 四、结转) as the page computed it.
        "valueGetter": f"(data.{field} !== '' && data.{field} != null) ? data.{field} : ({_js(shown)}[data.i] ?? '')",
        "tooltipValueGetter": JsCode(f"function(p) {{ return {_js(messages)}[p.data.i] || null; }}"),
        "type": "rightAligned",
        "flex": 1,
        "minWidth": 52,  # five digits; a longer header wraps onto two lines
        "wrapHeaderText": True,
        "autoHeaderHeight": True,
        "cellClassRules": {
            "cell-error": f"{_js(errors)}.includes(data.i)",
            "cell-warning": f"{_js(warnings)}.includes(data.i)",
            "cell-computed": "data.ro === '1'" if grid.editable[c] else "true",
        },
    }


def _columns(
    grid: Grid, values: list[list[str]], inputs: list[list[str]], findings: list[Finding]
) -> list[dict[str, Any]]:
    marks = _marks(grid, findings)
    label_width = _CHAR_PX * max(len(s) for s in (grid.short_rows or grid.rows)) + 12
    label = {
        "field": "label",
        "headerName": layout.T2_ROW_HEADER if grid in T2_GRIDS else "项目",
        "pinned": "left",
        "width": label_width,
        "minWidth": label_width,
        "tooltipField": "tip",
        "editable": False,
        "suppressNavigable": True,
        "cellStyle": {"font-weight": "500"},
    }
    leaves = []
    for c in range(len(grid.columns)):
        computed = {str(r): values[r][c] for r in range(len(grid.keys)) if values[r][c] != inputs[r][c]}
        leaves.append(_column(grid, c, computed, marks))
    if grid is not T3_FORM:
        return [label, *leaves]
    # The printed header: 申请人情况 › 自然人 | 法人或其他组织 › five columns | 总计.
    return [
        label,
        {
            "headerName": layout.T3_HEADER_APPLICANT,
            "headerTooltip": layout.T3_HEADER_NOTE,
            "children": [
                leaves[0],
                {"headerName": layout.T3_HEADER_LEGAL_PERSON, "children": leaves[1:-1]},
                leaves[-1],
            ],
        },
    ]


def _height(grid: Grid) -> int:
    """Tall enough for every row: the clerk sees the whole table at once, and the page scrolls, not the grid."""
    # Table 三's three header rows, the last wrapping onto two lines in a narrow window; one row elsewhere.
    headers = 28 + 28 + 48 if grid is T3_FORM else 34
    return headers + 30 * len(grid.keys) + 2


def _shown(value: Any, grid: Grid) -> list[list[str | None]] | None:
    """The grid's cells as the browser shows them, from the component's value; None when it holds none."""
    if not isinstance(value, dict) or not isinstance(value.get("nodes"), list):
        return None
    shown: list[list[str | None]] = [[None] * len(grid.columns) for _ in grid.keys]
    seen = 0
    for node in value["nodes"]:
        data = node.get("data") if isinstance(node, dict) else None
        if not isinstance(data, dict) or not str(data.get("i", "")).isdigit():
            continue
        r = int(data["i"])
        if r >= len(grid.keys):
            continue
        seen += 1
        for c in range(len(grid.columns)):
            cell = data.get(_field(c))
            shown[r][c] = None if cell is None else str(cell)
    return shown if seen == len(grid.keys) else None


class _Saving:
    """The store as commit_edit uses it, through the page's save: a refused save is said on the page, not raised."""

    def update(self, report_id: int, change: Callable[[Report], object]) -> Report | None:
        return save(change) if report_id == current_id() else None


def _commit(report_id: int, grid: Grid, key: str) -> None:
    """Save what the grid shows (callback of an edit, before the page is drawn again)."""
    value = st.session_state.get(key)
    shown = _shown(value, grid)
    st.session_state[f"{key}-done"] = repr(shown)
    drawn = st.session_state.get(_drawn_key(report_id, grid))
    if shown is None or drawn is None:
        return
    done = commit_edit(_Saving(), report_id, grid, drawn, shown)
    if done is None:
        return
    st.session_state[_drawn_key(report_id, grid)] = done.saved
    if done.elsewhere:
        _tell_elsewhere(report_id, done.elsewhere)
        _redraw(report_id, grid)


def _tell_elsewhere(
    report_id: int, cells: tuple[tuple[str, str, str], ...] | list[tuple[str, str, str]]
) -> None:
    notes = st.session_state.setdefault(f"elsewhere-{report_id}", [])
    for key, before, now in cells:
        notes.append(f"{layout.describe_cell(key)}：{plain(before) or '空'} → {plain(now) or '空'}")


def _grid(
    entry: Entry, grid: Grid, findings: list[Finding], focus: tuple[int, str, str] | None = None
) -> None:
    """One grid: typed cells white, computed grey, cells named by a finding red or amber with the message on hover."""
    values = grid_values(entry.report, grid)
    inputs = grid_inputs(entry.report, grid)
    drawn_key = _drawn_key(entry.id, grid)
    drawn = st.session_state.get(drawn_key)
    if drawn is not None and drawn != inputs:
        # Another tab or window saved figures since this page drew them: say which, and show the saved ones.
        _tell_elsewhere(
            entry.id,
            [
                (k, drawn[r][c], inputs[r][c])
                for r, row in enumerate(grid.keys)
                for c, k in enumerate(row)
                if k and grid.typed(r, c) and drawn[r][c] != inputs[r][c]
            ],
        )
        _redraw(entry.id, grid)
    st.session_state[drawn_key] = inputs
    key = _grid_key(entry.id, grid)
    options = {
        "columnDefs": _columns(grid, values, inputs, findings),
        "defaultColDef": {
            "sortable": False,
            "resizable": False,
            "suppressMovable": True,
            "suppressHeaderMenuButton": True,
            "filter": False,
        },
        # As in Excel and WPS: Enter moves down, editing or not; typing replaces the figure, F2 edits it. (AG Grid's
        # default Enter edits the old figure, and the next figure typed was appended to it: 5 became 57.)
        "enterNavigatesVertically": True,
        "enterNavigatesVerticallyAfterEdit": True,
        "onCellKeyDown": _START_ON_IME,
        "onGridReady": _COMMIT_ON_LEAVE,
        "stopEditingWhenCellsLoseFocus": True,
        "singleClickEdit": False,
        "tooltipShowDelay": 300,
        "rowHeight": 30,
        "headerHeight": 32,
        "groupHeaderHeight": 28,
        "suppressCellFocus": False,
        "undoRedoCellEditing": True,
        "suppressRowHoverHighlight": True,  # the theme's hover tint is pink: never to be taken for an error
        "getRowId": _ROW_ID,
    }
    if focus is not None and focus[:2] == (entry.id, grid.name) and focus[2] in grid.cell_keys():
        options["onFirstDataRendered"] = _focus_js(grid, focus[2])
    AgGrid(
        _rows(grid, inputs),
        gridOptions=options,
        height=_height(grid),
        key=key,
        data_return_mode=DataReturnMode.MINIMAL,
        update_on=["cellValueChanged"],
        callback=lambda _response: _commit(entry.id, grid, key),
        server_sync_strategy="client_wins",
        allow_unsafe_jscode=True,
        custom_css=_CSS,
        theme="streamlit",
        show_toolbar=False,
    )
    shown = _shown(st.session_state.get(key), grid)
    if shown is not None and st.session_state.get(f"{key}-done") != repr(shown):
        # An edit the callback has not seen (AppTest sets the component's value without a browser event).
        _commit(entry.id, grid, key)
        st.rerun()


def _changed_elsewhere(report_id: int) -> list[tuple[str, str, str]]:
    """Typed cells whose saved figure differs from the one this page drew: another tab or window changed them."""
    entry = get_store().get(report_id)
    if entry is None:
        return []
    changed = []
    for grid in _GRIDS:
        drawn = st.session_state.get(_drawn_key(report_id, grid))
        if drawn is None:
            continue
        inputs = grid_inputs(entry.report, grid)
        changed += [
            (k, drawn[r][c], inputs[r][c])
            for r, row in enumerate(grid.keys)
            for c, k in enumerate(row)
            if k and grid.typed(r, c) and drawn[r][c] != inputs[r][c]
        ]
    return changed


@st.fragment(run_every=4)
def _watch(report_id: int) -> None:
    """Every few seconds: has another tab saved figures this page shows? Then say so at once, before any edit."""
    changed = _changed_elsewhere(report_id)
    if not changed:
        return
    st.warning(
        "这份报告的数字刚在别处（另一个标签页或窗口）被修改，表格里还是修改前的数字：\n\n"
        + "\n".join(
            f"- {layout.describe_cell(k)}：{plain(a) or '空'} → {plain(b) or '空'}" for k, a, b in changed
        )
    )
    if st.button("显示保存的数字", key=f"show-saved-{report_id}"):
        st.rerun(scope="app")


def _do_paste(report_id: int, name: str, grids: tuple[Grid, ...]) -> None:
    """on_click of 填入: place the pasted block and save it through the grid's own save path."""
    grid = next((g for g in grids if g.name == st.session_state.get(f"paste-grid-{name}")), grids[0])
    rows = grid.short_rows or grid.rows
    start_label = st.session_state.get(f"paste-start-{name}")
    start = rows.index(start_label) if start_label in rows else 0
    entry = get_store().get(report_id)
    if entry is None:
        return
    current = grid_inputs(entry.report, grid)
    pasted = paste_block(grid, current, st.session_state.get(f"paste-text-{name}", ""), start)
    if pasted.values is None:
        st.session_state[f"paste-note-{name}"] = ("error", pasted.message)
        return
    done = commit_edit(_Saving(), report_id, grid, current, pasted.values)
    if done is not None:
        st.session_state[_drawn_key(report_id, grid)] = done.saved
        _redraw(report_id, grid)  # the grid takes the pasted figures as new rows
    st.session_state[f"paste-note-{name}"] = ("success", pasted.message)
    st.session_state[f"paste-text-{name}"] = ""


def _paste(entry: Entry, name: str, grids: tuple[Grid, ...]) -> None:
    """Paste a block copied from Excel or WPS (with or without the row labels) onto a grid."""
    note = st.session_state.pop(f"paste-note-{name}", None)
    if note is not None:
        (st.success if note[0] == "success" else st.error)(plain(note[1]))
    with st.expander("📋 从 Excel 或 WPS 粘贴一块数字"):
        if len(grids) > 1:
            st.selectbox("粘贴到", [g.name for g in grids], key=f"paste-grid-{name}")
        grid = next((g for g in grids if g.name == st.session_state.get(f"paste-grid-{name}")), grids[0])
        st.selectbox(
            "没有行名时，从这一行开始", list(grid.short_rows or grid.rows), key=f"paste-start-{name}"
        )
        st.text_area(
            "在 Excel 或 WPS 里选中单元格（可以连同行名一起）复制，粘贴到这里",
            key=f"paste-text-{name}",
            height=120,
        )
        st.button("填入", key=f"paste-go-{name}", on_click=_do_paste, args=(entry.id, name, grids))


def _take_saved(table: str) -> None:
    """After a button filled cells of a table: its grids take the saved rows (a new grid), and no notice of a change
    elsewhere, since this page made it."""
    report_id = current_id()
    if report_id is None:
        return
    for grid in _GRIDS:
        if layout.cell_table((grid.cell_keys() or [""])[0]) == table:
            st.session_state.pop(_drawn_key(report_id, grid), None)
            _redraw(report_id, grid)


def _zero_rest(table: str) -> None:
    """on_click of 本表其余填 0."""
    filled: list[int] = []
    save(lambda report: filled.append(zero_blank_cells(report, table)))
    _take_saved(table)
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
    _take_saved("三")
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
    # Said inside the table's tab: a message above the tabs would redraw them and show the first tab again. Its
    # place is kept when there is nothing to say: an element appearing above a grid would make a new grid.
    slot = st.empty()
    said = st.session_state.get("tables-said")
    if said and said[0] == table:
        del st.session_state["tables-said"]
        (slot.success if said[1] == "done" else slot.error)(plain(said[2]))


def _about(findings: list[Finding], table: str) -> list[Finding]:
    """The findings naming a cell of this table (二, 三 or 四); table 三 also takes those naming no cell."""
    return [
        f
        for f in findings
        if any(layout.cell_table(c) == table for c in f.cells) or (not f.cells and table == "三")
    ]


def _summary(findings: list[Finding]) -> None:
    """One line above a grid: how many errors and warnings, for a narrow window where the list is below."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    slot = st.empty()  # kept when empty: an element appearing above a grid would make a new grid, losing focus
    if errors or warnings:
        slot.caption(f"本表 🔴 {errors} 个错误 · 🟡 {warnings} 个提醒：单元格标红、标黄，说明见“检查结果”。")


def _findings_box(
    entry: Entry, name: str, grids: tuple[Grid, ...], findings: list[Finding], title: str, empty: str
) -> None:
    """The table's findings; under each that names a cell, that cell in words: a click brings it into view."""
    with st.container(key=f"findingsbox-{name}"):
        st.markdown(f"**{title}**")
        if not findings:
            st.success(empty)
        for i, f in enumerate(findings):
            show_finding(f)
            target = next(((g, k) for k in f.cells for g in grids if k in g.cell_keys()), None)
            if target is not None:
                st.button(
                    f"📍 {layout.describe_cell(target[1])}",
                    key=f"locate-{name}-{i}",
                    type="tertiary",
                    help="在表格中找到这个单元格",
                    on_click=_locate,
                    args=(entry.id, *target),
                )


def show() -> None:
    """Render the page."""
    entry = need_report()
    if entry is None:
        return
    report = entry.report
    st.html(_LAYOUT_CSS)
    st.title("表格")
    st.caption(
        f"{plain(report.agency)} {report.year}年 · 在白色单元格里填写数字（空着表示未知，不按 0 计），"
        "回车移到下一行、Tab 移到右边一格；直接输入即替换原数字，双击或按 F2 修改原数字。"
        "灰色的总计由程序计算。每次修改立即保存。红色、黄色的单元格有错误、提醒，鼠标停在上面可看原因。"
    )
    top = st.empty()  # filled last: whether figures were changed elsewhere is known once the grids are drawn
    watch = st.container()
    findings = findings_of(entry)
    focus = st.session_state.pop(_FOCUS, None)  # asked for once: no later redraw of the grid scrolls to it again
    tab2, tab3, tab4 = st.tabs(["二、主动公开", "三、依申请公开", "四、行政复议、行政诉讼"])
    with tab2:
        _zero_buttons(entry, "二")
    with tab2, st.container(horizontal=True, gap="medium"):
        with st.container(key="gridbox-t2"):
            _summary(_about(findings, "二"))
            for grid in T2_GRIDS:
                st.markdown(f"**{grid.name}**")
                _grid(entry, grid, findings, focus)
        _findings_box(entry, "t2", T2_GRIDS, _about(findings, "二"), "表二的检查结果", "表二没有发现问题。")
    with tab2:
        _paste(entry, "t2", T2_GRIDS)
    with tab3:
        _zero_buttons(entry, "三")
    with tab3, st.container(horizontal=True, gap="medium"):
        with st.container(key="gridbox-t3"):
            _summary(_about(findings, "三"))
            _grid(entry, T3_FORM, findings, focus)
            st.caption(
                "“四、结转下年度继续办理”请按实际填写；留空则按“第一项加第二项减第三项”自动计算。"
                "鼠标停在行名上可看每一项统计什么。"
            )
        _findings_box(entry, "t3", (T3_FORM,), _about(findings, "三"), "表三的检查结果", "表三勾稽关系全部核对通过。")
    with tab3:
        _paste(entry, "t3", (T3_FORM,))
    with tab4:
        _zero_buttons(entry, "四")
    with tab4, st.container(horizontal=True, gap="medium"):
        with st.container(key="gridbox-t4"):
            _summary(_about(findings, "四"))
            _grid(entry, T4_GRID, findings, focus)
        _findings_box(entry, "t4", (T4_GRID,), _about(findings, "四"), "表四的检查结果", "表四核对通过。")
    with tab4:
        _paste(entry, "t4", (T4_GRID,))
    notes = st.session_state.pop(f"elsewhere-{entry.id}", [])
    if notes:
        top.warning(
            "这份报告的数字在别处（另一个标签页或窗口）被修改过，表格现在显示的是保存的数字：\n\n"
            + "\n".join(f"- {n}" for n in dict.fromkeys(notes))
        )
    with watch:
        _watch(entry.id)
    st.info("下一步：到“正文”页写要点并起草各部分文字。")


if __name__ == "__main__":
    # Run as a page script (st.navigation, AppTest.from_file): show the page through the imported module, so that
    # its caches and state are the module's own, guarded so that a failure is a message, never a traceback.
    from assistant.ui.common import guarded
    from assistant.ui.pages.tables import show as show_page

    guarded(show_page)()
