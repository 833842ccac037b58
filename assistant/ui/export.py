"""The 导出 page: the report previewed as it will print, the checklist of findings, the .docx and a JSON backup."""

from __future__ import annotations

import streamlit as st

from assistant.checks.blanks import count_blank
from assistant.checks.fill import fill
from assistant.export.preview import report_html
from assistant.export.word import render_docx
from assistant.format.models import Report, report_to_json
from assistant.ui.common import SEVERITY_ICON, findings_of, need_report


def docx_bytes(report: Report) -> bytes:
    """The Word file the download button serves: totals filled, official layout."""
    return render_docx(fill(report))


def json_bytes(report: Report) -> bytes:
    """The JSON backup: the whole report with notes and versions (never any API key)."""
    return report_to_json(report).encode("utf-8")


def show() -> None:
    """Render the page."""
    entry = need_report()
    if entry is None:
        return
    report = entry.report
    st.title("导出")
    findings = findings_of(entry)
    errors = [f for f in findings if f.severity == "error"]
    # A blank typed cell blocks a green checklist: the figure is unknown, not 0.
    blanks = [f for f in findings if f.rule == "BLANK"]
    others = [f for f in findings if f.severity != "error" and f.rule != "BLANK"]
    st.subheader("发布前检查清单")
    if errors:
        st.error(f"有 {len(errors)} 个错误。建议改正后再发布；确认无误的可以勾选“已核实”。仍可下载。")
    if blanks:
        st.warning(f"还有 {count_blank(blanks)} 个单元格未填写：请到“表格”页填写，没有发生的填 0。")
    if not errors and not blanks:
        st.success("没有错误。")
    for n, f in enumerate(errors):
        st.checkbox(f"{SEVERITY_ICON['error']} {f.message}", key=f"confirm-{entry.id}-{n}-{f.rule}")
    for f in blanks:
        st.markdown(f"{SEVERITY_ICON[f.severity]} `{f.rule}` {f.message}")
    if others:
        with st.expander(f"提醒和无法核对的项目（{len(others)}）"):
            for f in others:
                st.markdown(f"{SEVERITY_ICON[f.severity]} `{f.rule}` {f.message}")
    name = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    left, right = st.columns(2)
    left.download_button(
        "⬇️ 下载 Word 文件（.docx）",
        data=docx_bytes(report),
        file_name=f"{name}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        type="primary",
        width="stretch",
    )
    right.download_button(
        "💾 下载备份（.json，可再导入）",
        data=json_bytes(report),
        file_name=f"{name}.json",
        mime="application/json",
        width="stretch",
    )
    st.subheader("预览")
    st.markdown(report_html(report), unsafe_allow_html=True)
