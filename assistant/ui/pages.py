"""The app's pages for st.navigation, each title counting the errors the current report has on that page."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

import streamlit as st

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.store import StoreError
from assistant.ui.common import current_entry, findings_of, guarded
from assistant.ui.plain import plain

# Rules about the written parts: their findings belong to 正文 even when they also name a table cell (TEXT-TABLE).
_TEXT_RULES = frozenset(
    {"EMPTY", "SIMILAR", "GB2312", "TEXT-TABLE", "NUMBER-GUARD", "PLACEHOLDER", "CITE", "PARTS", "PEER-SIMILAR"}
)


def page_of(finding: Finding) -> str:
    """The page where a finding is fixed: 'tables', 'text' or 'reports' (the report's own facts)."""
    if finding.rule in _TEXT_RULES or any(layout.part_of(c) for c in finding.cells):
        return "text"
    if finding.rule.startswith(("T3-", "T4-")) or any(
        layout.cell_table(c) for c in finding.cells
    ):
        return "tables"
    return "reports"


def error_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Errors per page."""
    counts = {"tables": 0, "text": 0, "reports": 0}
    for f in findings:
        if f.severity == "error":
            counts[page_of(f)] += 1
    return counts


def _title(name: str, errors: int) -> str:
    return f"{name}（{errors} 个错误）" if errors else name


def _lazy(name: str) -> Callable[[], None]:
    """The page assistant.ui.<name>, imported when it is first shown: the 报告 page must not wait for the
    export page's python-docx, the table page's grid or the text page's drafting."""

    def show() -> None:
        importlib.import_module(f"assistant.ui.{name}").show()

    show.__module__ = f"assistant.ui.{name}"  # guarded() names the page in the log by its module
    return show


def build_pages() -> list[st.Page]:
    """The pages (汇总 is the 政务公开办's); 报告, 表格 and 正文 show how many errors of the current report are theirs."""
    try:
        entry = current_entry()
    except StoreError:
        entry = (
            None  # the page itself says what is wrong with the database; the navigation must still be built
        )
    counts = error_counts(findings_of(entry)) if entry else {}
    if entry is not None:
        st.sidebar.caption(f"当前报告：{plain(entry.report.agency)} {entry.report.year}年")
    return [
        st.Page(
            guarded(_lazy("reports")),
            title=_title("报告", counts.get("reports", 0)),
            icon="📄",
            url_path="reports",
            default=True,
        ),
        st.Page(
            guarded(_lazy("tables")), title=_title("表格", counts.get("tables", 0)), icon="🧮", url_path="tables"
        ),
        st.Page(guarded(_lazy("text")), title=_title("正文", counts.get("text", 0)), icon="✍️", url_path="text"),
        st.Page(guarded(_lazy("export")), title="导出", icon="⬇️", url_path="export"),
        st.Page(guarded(_lazy("summary")), title="汇总", icon="🗂️", url_path="summary"),
        st.Page(guarded(_lazy("settings")), title="设置", icon="⚙️", url_path="settings"),
    ]
