"""The app's pages for st.navigation, with the current report's error count in the 表格 title."""

from __future__ import annotations

import streamlit as st

from assistant.store import StoreError
from assistant.ui import export, reports, settings, summary, tables, text
from assistant.ui.common import current_entry, findings_of, guarded
from assistant.ui.plain import plain


def build_pages() -> list[st.Page]:
    """The pages (汇总 is the 政务公开办's); the 表格 entry shows how many errors the current report has."""
    try:
        entry = current_entry()
    except StoreError:
        entry = (
            None  # the page itself says what is wrong with the database; the navigation must still be built
        )
    errors = sum(f.severity == "error" for f in findings_of(entry)) if entry else 0
    if entry is not None:
        st.sidebar.caption(f"当前报告：{plain(entry.report.agency)} {entry.report.year}年")
    return [
        st.Page(guarded(reports.show), title="报告", icon="📄", url_path="reports", default=True),
        st.Page(
            guarded(tables.show),
            title=f"表格（{errors} 个错误）" if errors else "表格",
            icon="🧮",
            url_path="tables",
        ),
        st.Page(guarded(text.show), title="正文", icon="✍️", url_path="text"),
        st.Page(guarded(export.show), title="导出", icon="⬇️", url_path="export"),
        st.Page(guarded(summary.show), title="汇总", icon="🗂️", url_path="summary"),
        st.Page(guarded(settings.show), title="设置", icon="⚙️", url_path="settings"),
    ]
