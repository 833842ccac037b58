"""The 报告 page: the example report and its findings (first page until the full app lands)."""

from __future__ import annotations

import streamlit as st

from assistant.checking import check_report
from assistant.example import load_example

_ICON = {"error": "🔴", "warning": "🟡", "cannot-check": "⚪"}


def show() -> None:
    """Render the page."""
    report = load_example()
    st.title("年报助手")
    st.caption("政府信息公开工作年度报告起草助手")
    st.subheader(f"{report.agency} {report.title}")
    findings = check_report(report)
    if not findings:
        st.success("表格勾稽关系全部核对通过。")
    for f in findings:
        st.write(f"{_ICON[f.severity]} **{f.rule}** {f.message}")
