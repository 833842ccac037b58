"""The 汇总 page for the 政务公开办: many bodies' reports of one year summed, checked, and set against the roster."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import streamlit as st

from assistant.checks.rules import RULE_IDS, RULE_TITLES
from assistant.export.overview import overview_html
from assistant.format import layout
from assistant.format.models import FIRST_YEAR, derive_short_name, last_year, year_problem
from assistant.importers.files import READERS, decode_text, read_bytes
from assistant.importers.result import Imported, ReadError
from assistant.rollup import Body, Rollup, overview_items, parse_roster, roll_up_bodies, rule_counts
from assistant.store import Entry, StoreError
from assistant.ui.common import get_store, select, show_findings
from assistant.ui.plain import plain

_log = logging.getLogger(__name__)

# Bounds on one upload: every file is read in this server process and kept for the session.
MAX_FILES = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024
STORED, UPLOADED = "已保存的报告", "上传文件"
_RESULT = "summary-result"  # (what was summed, the roll-up, the workbook, the overview): reruns cost nothing
_READ = "summary-read"  # uploaded file id → the file read, or why not: a file is read once per upload
_STARTED = "summary-started"
_ERROR_BG = "background-color: #f8cbad"
_WARNING_BG = "background-color: #ffe699"
_BLANK_BG = "background-color: #d9d9d9"
_TABLES = (("表二", "二"), ("表三", "三"), ("表四", "四"))

Picked = tuple[list[Body], list[tuple[str, str]], int | None, tuple[Any, ...]]


def _label(entry: Entry) -> str:
    return f"{entry.report.agency or '（未填写机关名称）'} {entry.report.year}年（#{entry.id}）"


def _stored() -> Picked | None:
    """Reports from the store: one year's by default, any chosen by hand."""
    entries = get_store().list()
    if not entries:
        st.info("还没有保存的报告：请上传各机关的报告文件，或先在“报告”页导入。")
        return None
    per_year = Counter(e.report.year for e in entries)
    years = sorted(per_year, reverse=True)
    commonest = max(years, key=lambda y: (per_year[y], y))
    year = st.selectbox(
        "汇总年度",
        years,
        index=years.index(commonest),
        format_func=lambda y: f"{y}年（{per_year[y]} 份）",
        key="summary-year",
    )
    by_id = {e.id: e for e in entries}
    of_year = [e for e in entries if e.report.year == year]
    own = _own_reports(of_year)
    spare = _spare_copies([e for e in of_year if e not in own])
    chosen = st.multiselect(
        "汇总的报告（默认为该年度各机关的报告）",
        list(by_id),
        default=[e.id for e in of_year if e not in own and e not in spare],
        format_func=lambda i: _label(by_id[i]),
        key=f"summary-reports-{year}",
    )
    if own:
        st.caption(
            plain(
                "默认未计入（像是本级政府自己的报告，也许由汇总新建，再计入就重复了）："
                + "、".join(_label(e) for e in own)
                + "。确属下级机关的，可在上面加回。"
            )
        )
    if spare:
        st.caption(
            plain(
                "默认未计入（同一机关同一年度的另一份报告；已计入填写的数字较多、其次修改较晚的一份）："
                + "、".join(_label(e) for e in spare)
                + "。要改计这一份，请在上面调换。"
            )
        )
    if not chosen:
        st.info("请选择要汇总的报告。")
        return None
    for entry in _own_reports([by_id[i] for i in chosen]):
        st.warning(
            plain(
                f"“{_label(entry)}”像是本级政府自己的报告（也许是由汇总新建的）：它的数字若来自汇总，"
                "再计入就重复了。请核对，不应计入的从“汇总的报告”中去掉。"
            )
        )
    bodies = [Body(_label(by_id[i]), Imported(by_id[i].report)) for i in chosen]
    fingerprint = tuple((i, by_id[i].revision) for i in chosen)
    return bodies, [], year, (STORED, fingerprint)


def _spare_copies(entries: list[Entry]) -> list[Entry]:
    """Of two or more reports of one body and year, all but the one with the most figures filled (the latest
    edited of those): counted twice they would double the body, and an empty copy made by mistake must not win."""
    by_body: dict[str, list[Entry]] = {}
    for entry in entries:
        name = "".join(entry.report.agency.split())
        if name:  # two reports whose agency was not read are not thereby one body's
            by_body.setdefault(name, []).append(entry)
    spare: list[Entry] = []
    for copies in by_body.values():
        if len(copies) > 1:
            kept = max(copies, key=lambda e: (sum(v is not None for v in e.report.cells.values()), e.updated))
            spare.extend(e for e in copies if e is not kept)
    return spare


def _own_reports(entries: list[Entry]) -> list[Entry]:
    """A government's own report among its bodies' (某县人民政府 beside 某县教育局 …): counted, it would count the
    bodies twice when its figures came from a summary."""
    agencies = [e.report.agency for e in entries]
    own = []
    for entry in entries:
        area = entry.report.agency.removesuffix("人民政府")
        if (
            area
            and area != entry.report.agency
            and any(a != entry.report.agency and a.startswith(area) for a in agencies)
        ):
            own.append(entry)
    return own


def _read_upload(name: str, data: bytes) -> Imported | str:
    """The report in an uploaded file, or why it cannot be read (said in Chinese; never a traceback)."""
    try:
        return read_bytes(data, Path(name).suffix)
    except ReadError as exc:
        return str(exc)
    except Exception as exc:  # a reader tripping on a hostile file must not stop the other files
        _log.exception("reading upload %s failed", name)
        return f"程序无法读取这个文件（{type(exc).__name__}），已记录在服务器日志中"


def _uploaded() -> Picked | None:
    """Reports uploaded as files (or a whole folder), each read once, bounded in number and size."""
    kinds = sorted(s.lstrip(".") for s in READERS)
    folder = st.toggle("选择整个文件夹", key="summary-folder")
    files = st.file_uploader(
        "各机关的报告（Word、PDF、网页、文本或 JSON，可多选）",
        type=kinds,
        accept_multiple_files="directory" if folder else True,
        key="summary-folder-files" if folder else "summary-files",
    )
    if not files:
        st.info("请上传要汇总的报告文件。")
        return None
    total = sum(f.size for f in files)
    if len(files) > MAX_FILES:
        st.error(
            f"一次最多汇总 {MAX_FILES} 个文件，现在选了 {len(files)} 个。请分批核对，"
            "或先在“报告”页导入，再从已保存的报告汇总。"
        )
        return None
    if total > MAX_TOTAL_BYTES:
        st.error(
            f"上传的文件共 {total / 1024 / 1024:.0f} MB，超过一次 {MAX_TOTAL_BYTES // 1024 // 1024} MB 的上限。"
            "请分批上传，或先在“报告”页导入，再从已保存的报告汇总。"
        )
        return None
    cache: dict[str, Imported | str] = st.session_state.get(_READ, {})
    cache = {f.file_id: cache[f.file_id] for f in files if f.file_id in cache}  # files removed are forgotten
    todo = [f for f in files if f.file_id not in cache]
    if todo:
        bar = st.progress(0.0, text="正在读取文件……")
        for n, f in enumerate(todo, 1):
            cache[f.file_id] = _read_upload(f.name, f.getvalue())
            bar.progress(n / len(todo), text=f"正在读取文件（{n}/{len(todo)}）……")
        bar.empty()
    st.session_state[_READ] = cache
    bodies: list[Body] = []
    unreadable: list[tuple[str, str]] = []
    for f in files:
        read = cache[f.file_id]
        if isinstance(read, str):
            unreadable.append((f.name, read))
        else:
            bodies.append(Body(f.name, read))
    year = st.number_input(
        "汇总年度（留空则取报告最多的年度）",
        min_value=FIRST_YEAR,
        max_value=last_year(),
        value=None,
        step=1,
        key="summary-upload-year",
    )
    fingerprint = tuple(f.file_id for f in files)
    return bodies, unreadable, int(year) if year is not None else None, (UPLOADED, fingerprint)


def _roster() -> list[str] | None:
    """The bodies that must report, from a CSV and names pasted one per line; None when neither is given."""
    with st.expander("机关名单（可选：列出应报送而没有报告的机关）"):
        upload = st.file_uploader(
            "名单文件（CSV，每行一个机关名称）", type=["csv", "txt"], key="summary-roster-file"
        )
        pasted = st.text_area("或粘贴机关名称，每行一个", key="summary-roster-text", height=120)
    names: list[str] = []
    given = False
    if upload is not None:
        given = True
        try:
            names += parse_roster(decode_text(upload.getvalue()))
        except ReadError as exc:
            st.error(f"名单文件“{plain(upload.name)}”无法使用：{plain(str(exc))}。已按没有这份名单汇总。")
    if pasted.strip():
        given = True
        try:
            names += parse_roster(pasted)
        except ReadError as exc:
            st.error(f"粘贴的名单无法使用：{plain(str(exc))}。")
    if not given:
        return None
    return list(dict.fromkeys(names))


def _problems(rollup: Rollup) -> None:
    """What the office must know about the reports not summed, and about the roster, each said by name."""
    if rollup.unreadable:
        lines = "\n".join(f"· {file}：{error}" for file, error in rollup.unreadable)
        st.warning(
            plain(f"{len(rollup.unreadable)} 个文件无法读取，未计入汇总（其他报告照常汇总）：\n{lines}")
        )
    if rollup.duplicates:
        lines = "\n".join(
            f"· {kept.agency}：计入“{kept.file}”，未计入“{left.file}”" for kept, left in rollup.duplicates
        )
        st.warning(plain(f"同一机关同一年度有两份报告，只计入先读到的一份：\n{lines}"))
    if rollup.other_year:
        lines = "\n".join(f"· {b.file}：{b.imported.report.year}年度" for b in rollup.other_year)
        st.info(plain(f"{len(rollup.other_year)} 份不是{rollup.year}年度的报告，未计入：\n{lines}"))
    if rollup.missing:
        st.error(
            plain(
                f"名单上有 {len(rollup.missing)} 个机关没有{rollup.year}年度报告："
                + "、".join(rollup.missing)
            )
        )
    if rollup.not_on_roster:
        names = "、".join(f"{b.agency}（{b.file}）" for b in rollup.not_on_roster)
        st.warning(
            plain(
                f"{len(rollup.not_on_roster)} 个机关不在名单上（名称与名单不一致，或名单不全），已计入合计，请核对：{names}"
            )
        )


def _rule_text(counts: dict[str, int]) -> str:
    errors, warnings = counts["error"], counts["warning"]
    return f"{errors}/{warnings}" if errors and warnings else str(errors or warnings)


def _findings_table(rollup: Rollup) -> None:
    """Per body a row: its errors and warnings in all and by rule, red where there is an error, yellow a warning."""
    import pandas as pd  # here, not at the top: the first page must start without loading pandas

    per_body = [rule_counts(b.findings) for b in rollup.bodies]
    used = {rule for counts in per_body for rule in counts}
    rules = [r for r in RULE_IDS if r in used] + sorted(used - set(RULE_IDS))
    rows, colours = [], []
    for body, counts in zip(rollup.bodies, per_body, strict=True):
        errors = sum(c["error"] for c in counts.values())
        warnings = sum(c["warning"] for c in counts.values())
        # A saved report's name begins with its agency: the rest (year and number) is enough beside the 机关 column,
        # and the figures stay in view in a narrow window.
        source = (body.file.removeprefix(body.agency).strip() if body.agency else "") or body.file
        row: dict[str, object] = {"机关": body.agency or "（未读出）", "报告": source, "错误": errors, "警告": warnings}
        colour = ["", "", _ERROR_BG if errors else "", _WARNING_BG if warnings else ""]
        for rule in rules:
            found = counts.get(rule)
            row[rule] = _rule_text(found) if found else ""
            colour.append("" if not found else _ERROR_BG if found["error"] else _WARNING_BG)
        rows.append(row)
        colours.append(colour)
    frame = pd.DataFrame(rows, columns=["机关", "报告", "错误", "警告", *rules])
    styles = pd.DataFrame(colours, columns=frame.columns, index=frame.index)
    picked = st.dataframe(
        frame.style.apply(lambda _: styles, axis=None),
        hide_index=True,
        column_config={
            "机关": st.column_config.TextColumn(pinned=True),  # the rule columns scroll beside it
            **{r: st.column_config.TextColumn(RULE_TITLES.get(r, r), help=r) for r in rules},
        },
        on_select="rerun",
        selection_mode="single-row",
        key="summary-findings",
    )
    st.caption(
        "规则列为该规则的错误数/警告数（只有一种时为其个数）；红色有错误，黄色只有警告。点选一行，查看该报告的检查结果。"
    )
    rows_picked = picked.selection.rows
    if rows_picked:
        body = rollup.bodies[rows_picked[0]]
        st.markdown(f"**{plain(body.file)}**（{plain(body.agency)}）")
        show_findings(body.findings)


def _sums(rollup: Rollup) -> None:
    """Tables 二、三、四 summed, each cell with how many bodies gave a figure and which left it blank."""
    import pandas as pd

    st.subheader("合计")
    st.caption(
        "合计只计入填了数字的机关；有机关空白的单元格标为灰色，在汇总报告中保持空白，待核实后填写。"
        "表三的“总计”、（七）和结转由各机关的数字推算后再合计。"
    )
    for tab, (_, numeral) in zip(st.tabs([t for t, _ in _TABLES]), _TABLES, strict=True):
        keys = [k for k in rollup.cells if layout.cell_table(k) == numeral]
        frame = pd.DataFrame(
            {
                "单元格": [layout.cell_in_table(k) for k in keys],
                "合计": [str(rollup.cells[k].total) for k in keys],
                "填报机关数": [rollup.cells[k].bodies for k in keys],
                "空白的机关": ["、".join(rollup.cells[k].blank) for k in keys],
            }
        )
        grey = pd.DataFrame(
            [[_BLANK_BG if rollup.cells[k].blank else ""] * len(frame.columns) for k in keys],
            columns=frame.columns,
            index=frame.index,
        )
        tab.dataframe(
            frame.style.apply(lambda _, grey=grey: grey, axis=None),
            hide_index=True,
        )


def _downloads(rollup: Rollup, workbook: bytes, overview: str) -> None:
    name = f"{rollup.year}年度政府信息公开工作年度报告汇总"
    left, right = st.columns(2)
    left.download_button(
        "⬇️ 下载汇总工作簿（.xlsx）",
        data=workbook,
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="summary-xlsx",
        type="primary",
        width="stretch",
    )
    right.download_button(
        "⬇️ 下载检查结果总览（.html）",
        data=overview.encode("utf-8"),
        file_name=f"{name}检查结果.html",
        mime="text/html",
        key="summary-html",
        width="stretch",
    )
    with st.expander("检查结果总览（与下载的网页相同）"):
        st.iframe(overview, height=600)


def _start_report(rollup: Rollup) -> None:
    """The sums stored as a new report, the start of the government's own report, and made the current one."""
    st.subheader("作为本级政府报告的起点")
    st.caption(
        "用合计新建一份报告：表格为合计（有机关空白的单元格保持空白），正文请另行撰写。已保存的报告不受影响。"
    )
    left, right = st.columns([3, 1])
    agency = left.text_input("本级政府名称（全称）", placeholder="例如：某县人民政府", key="summary-agency")
    year = right.number_input(
        "报告年度",
        min_value=FIRST_YEAR,
        max_value=last_year(),
        value=rollup.year if year_problem(rollup.year) is None else None,
        step=1,
        key="summary-report-year",
    )
    if not st.button("新建为本级政府报告并设为当前报告", key="summary-start", type="primary"):
        return
    if not agency.strip():
        st.error("请填写本级政府名称。")
        return
    if year is None or (problem := year_problem(int(year))) is not None:
        st.error(f"请填写正确的报告年度。{plain(problem) if year is not None and problem else ''}")
        return
    report = rollup.summary_report()
    report.agency, report.short_name, report.year = (
        agency.strip(),
        derive_short_name(agency.strip()),
        int(year),
    )
    try:
        new_id = get_store().add(report)
    except StoreError as exc:
        st.error(f"没有保存：{plain(str(exc))}")
        return
    select(new_id)
    st.session_state[_STARTED] = (
        f"已新建“{report.agency} {report.year}年”报告（{len(rollup.bodies)} 个机关的合计），并设为当前报告："
        "到“表格”页核对和补填空白的单元格，到“正文”页起草。"
    )
    st.rerun()


def show() -> None:
    """Render the page."""
    st.title("汇总")
    st.caption("政务公开办：汇总各机关同一年度的报告（表二、三、四），逐份核对，列出没有报送的机关。")
    if started := st.session_state.pop(_STARTED, None):
        st.success(plain(started))
    source = st.radio("报告来源", [STORED, UPLOADED], horizontal=True, key="summary-source")
    picked = _stored() if source == STORED else _uploaded()
    roster = _roster()
    if picked is None:
        return
    bodies, unreadable, year, fingerprint = picked
    what = (fingerprint, tuple(roster) if roster is not None else None, year)
    result = st.session_state.get(_RESULT)
    if result is None or result[0] != what:
        # openpyxl loads when a roll-up is made, not when the app starts
        from assistant.workbook import rollup_workbook

        with st.spinner(f"正在汇总和核对 {len(bodies)} 份报告……"):
            rollup = roll_up_bodies(bodies, unreadable, roster, year)
            workbook = rollup_workbook(rollup)
            overview = overview_html(
                overview_items(rollup), f"{rollup.year}年度政府信息公开工作年度报告检查结果"
            )
        result = (what, rollup, workbook, overview)
        st.session_state[_RESULT] = result
    _, rollup, workbook, overview = result
    if not rollup.bodies:
        _problems(rollup)
        st.warning(f"没有{rollup.year or ''}年度可汇总的报告。")
        return
    errors = sum(f.severity == "error" for b in rollup.bodies for f in b.findings)
    st.markdown(
        f"**{rollup.year}年度 · {len(rollup.bodies)} 个机关的报告**：{errors} 个错误"
        + (f"；名单上 {len(rollup.missing)} 个机关没有报告" if rollup.missing else "")
    )
    _problems(rollup)
    st.subheader("各机关的检查结果")
    _findings_table(rollup)
    _sums(rollup)
    _downloads(rollup, workbook, overview)
    _start_report(rollup)


if __name__ == "__main__":
    # Run as a page script (st.navigation, AppTest.from_file): show the page through the imported module, so that
    # its caches and state are the module's own, guarded so that a failure is a message, never a traceback.
    from assistant.ui.common import guarded
    from assistant.ui.pages.summary import show as show_page

    guarded(show_page)()
