"""The 报告 page: the list of reports, new, new from last year, import, delete."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import streamlit as st

from assistant.checks.rules import count_by_severity
from assistant.format.models import FIRST_YEAR, Report, derive_short_name, last_year, year_problem
from assistant.importers.files import READERS, read_bytes
from assistant.importers.result import Imported, ReadError
from assistant.newyear import start_next_year
from assistant.store import Damaged, Entry, StoreError
from assistant.ui.common import current_id, findings_of, get_store, select, toast_later
from assistant.ui.plain import plain


def _list() -> None:
    store = get_store()
    entries, damaged = store.scan()
    chosen = current_id()
    st.subheader("我的报告")
    if repaired := st.session_state.pop("repaired", None):
        st.info(plain(repaired))
    _damaged(damaged)
    if not entries:
        st.info("还没有报告：在下面新建一份，或导入上年的报告。")
        return
    twice = Counter((e.report.agency, e.report.year) for e in entries)
    for entry in entries:
        counts = count_by_severity(findings_of(entry))
        report = entry.report
        cols = st.columns([5, 2, 2, 2])
        marker = "👉 " if entry.id == chosen else ""
        number = f"（#{entry.id}）" if twice[(report.agency, report.year)] > 1 else ""  # two of one body and year
        cols[0].markdown(f"{marker}**{plain(report.agency) or '（未填写机关名称）'}** {report.year}年{number}")
        cols[1].markdown(f"🔴 {counts['error']} 个错误  \n🟡 {counts['warning']} 个提醒")
        cols[2].caption(f"最后修改 {entry.updated.replace('T', ' ')}")
        if cols[3].button("打开", key=f"open-{entry.id}", disabled=entry.id == chosen):
            select(entry.id)
            st.rerun()
    st.caption("👉 是正在编辑的报告。下一步：到“表格”页填写三张统计表，再到“正文”页起草。")


def _damaged(items: list[Damaged]) -> None:
    """Reports that no longer read: listed with the reason, their JSON to download and repair, and delete."""
    if not items:
        return
    st.warning(
        f"有 {len(items)} 份报告的内容无法读取（可能是旧版本存入了现在不允许的值）。只是年度有误的，填写正确的"
        "年度后点“修复”；其他的可以下载原始 JSON，改正后在下面“导入报告文件”中重新导入，或者删除。其他报告不受影响。"
    )
    for item in items:
        cols = st.columns([5, 2, 2, 2])
        name = plain(item.agency) or "（机关名称无法读取）"
        year = f" {plain(item.year)}年" if item.year else ""
        cols[0].markdown(f"⚠️ **{name}**{year}（#{item.id}，已损坏）  \n原因：{plain(item.reason)}")
        cols[1].download_button(
            "下载原始 JSON",
            data=item.body.encode("utf-8", "replace"),
            file_name=f"damaged-report-{item.id}.json",
            mime="application/json",
            key=f"raw-{item.id}",
        )
        if item.only_year:
            year_key = f"repair-year-{item.id}"
            right = cols[2].number_input(
                "正确的年度", min_value=FIRST_YEAR, max_value=last_year(), value=None, step=1, key=year_key
            )
            if cols[2].button("修复", key=f"repair-{item.id}", disabled=right is None):
                try:
                    get_store().repair_year(item.id, int(right or 0))
                    st.session_state["repaired"] = f"已修复：年度改为 {int(right or 0)} 年。"
                except StoreError as exc:
                    st.session_state["repaired"] = str(exc)
                st.rerun()
        sure = cols[3].checkbox("确认删除", key=f"confirm-delete-damaged-{item.id}")
        if cols[3].button("删除", disabled=not sure, key=f"delete-damaged-{item.id}"):
            get_store().delete(item.id)
            st.rerun()


_NEW_FORM = "new-form"  # how many reports the form has made: its fields are keyed by it, so a new one starts empty


def _new() -> None:
    # Not cleared on submit: a refused form (no name, a report of that body and year already there) keeps what was
    # typed. A created report clears it by drawing the fields anew under new keys (Streamlit does not send a
    # value reset on the server back to the browser).
    n = st.session_state.get(_NEW_FORM, 0)
    with st.expander("➕ 新建报告"), st.form("new-report", clear_on_submit=False):
        agency = st.text_input("机关名称（全称）", placeholder="例如：某县某镇人民政府", key=f"new-agency-{n}")
        short = st.text_input(
            "简称（正文中用第三人称指代本机关）", placeholder="例如：某镇；留空则自动生成", key=f"new-short-{n}"
        )
        year = st.number_input(
            "报告年度", min_value=FIRST_YEAR, max_value=last_year(), value=Report().year, step=1, key=f"new-year-{n}"
        )
        compiler = st.text_input("编制机关（如办公室）", key=f"new-compiler-{n}")
        published = st.text_input("报告发布的网站或平台", key=f"new-published-{n}")
        address = st.text_input("联系地址", key=f"new-address-{n}")
        phone = st.text_input("联系电话", key=f"new-phone-{n}")
        anyway = st.checkbox("这个机关这一年度已有报告时仍然新建", key=f"new-anyway-{n}")
        if st.form_submit_button("新建", type="primary"):
            if not agency.strip():
                st.error("请填写机关名称。")
                return
            existing = _same(get_store().list(), agency.strip(), int(year))
            if existing and not anyway:
                st.error(
                    f"已经有{plain(agency.strip())} {int(year)}年的报告（#{existing[0].id}），请在上面的列表中打开它；"
                    "确需再建一份，请勾选“仍然新建”。"
                )
                return
            report = Report(
                agency=agency.strip(),
                short_name=short.strip() or derive_short_name(agency.strip()),
                year=int(year),
                compiler=compiler.strip(),
                published_at=published.strip(),
                contact_address=address.strip(),
                contact_phone=phone.strip(),
                origin="form",  # its typed cells start blank, and BLANK lists them until they are filled
            )
            select(get_store().add(report))
            st.session_state[_NEW_FORM] = n + 1
            toast_later(f"已新建：{report.agency} {report.year}年")
            st.rerun()


def _from_last_year() -> None:
    entries = get_store().list()
    if not entries:
        return
    with st.expander("📅 从上年报告开始新一年的报告"):
        st.caption(
            "带入机关信息、上年“结转下年度”作为本年“上年结转”、上年现行有效件数；上年正文作为起草参考。"
            "本年的其他单元格为空白，待逐项填写。"
        )
        ordered = sorted(entries, key=lambda e: (e.report.agency, -e.report.year, -e.id))
        labels = {f"{e.report.agency} {e.report.year}年（#{e.id}）": e for e in ordered}
        # No choice made for the clerk: one click on a preselected report once started a year nobody wanted.
        choice = st.selectbox(
            "上年的报告（按机关、年度排列，最近的年度在前）",
            list(labels),
            index=None,
            placeholder="请选择上年的报告",
            key="last-year-choice",
        )
        if choice is None:
            st.button("开始新一年的报告", key="from-last-year", disabled=True)
            return
        chosen = labels[choice]
        existing = _same(entries, chosen.report.agency, chosen.report.year + 1)
        if existing:
            st.warning(
                f"{plain(chosen.report.agency)} {chosen.report.year + 1}年的报告已经有了（#{existing[0].id}）；"
                "再开始一份会有两份同一年度的报告。"
            )
        if st.button("开始新一年的报告", key="from-last-year"):
            last = get_store().get(chosen.id)
            if last is None:
                st.error("这份报告已被删除，请重新选择。")
                return
            if (problem := year_problem(last.report.year + 1)) is not None:
                st.error(f"无法从这份报告生成下一年的报告：{problem}")
                return
            report = start_next_year(last.report)
            select(get_store().add(report, previous_id=last.id))
            toast_later(f"已开始：{report.agency} {report.year}年")
            st.rerun()


def _import() -> None:
    with st.expander("📥 导入报告文件"):
        kinds = sorted(s.lstrip(".") for s in READERS)
        upload = st.file_uploader(
            "选择文件（Word、PDF、文本、Markdown 或本程序导出的 JSON）", type=kinds, key="import-file"
        )
        if upload is not None and st.button("导入", key="do-import"):
            try:
                imported = read_bytes(upload.getvalue(), Path(upload.name).suffix)
            except ReadError as exc:
                st.error(f"无法导入“{plain(upload.name)}”：{plain(str(exc))}。已有的报告不受影响。")
                return
            st.session_state["import-pending"] = imported
        pending = st.session_state.get("import-pending")
        if pending is not None:
            _place_import(pending)
        for severity, note in st.session_state.pop("import-notes", []):
            # a table that could not be read is an error
            (st.error if severity == "error" else st.warning)(plain(note))


def _same(entries: list[Entry], agency: str, year: int) -> list[Entry]:
    return [e for e in entries if e.report.agency == agency and e.report.year == year]


def _place_import(imported: Imported) -> None:
    """Save an imported report: new, or, when the body already has that year, replace it or keep both as asked."""
    report = imported.report
    existing = _same(get_store().list(), report.agency, report.year)
    choice = "keep"
    if existing:
        st.warning(
            f"已经有 {plain(report.agency)} {report.year}年的报告（#{existing[0].id}）。要替换它，还是两份都保留？"
        )
        left, right, cancel = st.columns(3)
        if left.button("替换已有的报告", key="import-replace"):
            choice = "replace"
        elif right.button("两份都保留", key="import-keep"):
            choice = "keep"
        elif cancel.button("取消导入", key="import-cancel"):
            st.session_state.pop("import-pending", None)
            st.rerun()
        else:
            return
    st.session_state.pop("import-pending", None)

    def replace(saved: Report) -> None:
        for name in type(saved).model_fields:
            setattr(saved, name, getattr(report, name))

    try:
        if choice == "replace":
            get_store().update(existing[0].id, replace)
            select(existing[0].id)
            toast_later(f"已导入并替换：{report.agency} {report.year}年")
        else:
            select(get_store().add(report))
            toast_later(f"已导入：{report.agency} {report.year}年")
    except StoreError as exc:
        st.error(f"无法导入：{plain(str(exc))}。已有的报告不受影响。")
        return
    st.session_state["import-notes"] = [(n.severity, n.message) for n in imported.notes]
    st.rerun()


def _delete() -> None:
    report_id = current_id()
    entry = get_store().get(report_id) if report_id is not None else None
    if entry is None:
        return
    with st.expander("🗑️ 删除当前报告"):
        st.write(
            f"将删除：**{plain(entry.report.agency)} {entry.report.year}年**（含全部版本和对话），不能恢复。"
        )
        sure = st.checkbox("我确认要删除这份报告", key=f"confirm-delete-{entry.id}")
        if st.button("删除", disabled=not sure, key=f"delete-{entry.id}"):
            get_store().delete(entry.id)
            st.query_params.clear()
            st.rerun()


def show() -> None:
    """Render the page."""
    st.title("年报助手")
    st.caption("政府信息公开工作年度报告 · 填表、核对、起草、导出 Word")
    _list()
    _new()
    _from_last_year()
    _import()
    _delete()


if __name__ == "__main__":
    # Run as a page script (st.navigation, AppTest.from_file): show the page through the imported module, so that
    # its caches and state are the module's own, guarded so that a failure is a message, never a traceback.
    from assistant.ui.common import guarded
    from assistant.ui.pages.reports import show as show_page

    guarded(show_page)()
