"""The app's navigation: its pages (files under ui/pages/) for st.navigation, each title counting the errors the current report has on that page."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import streamlit as st

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.store import StoreError
from assistant.ui.common import current_entry, findings_of
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


PAGES_DIR = Path(__file__).resolve().parent / "pages"


def _page(name: str) -> Path:
    """The file of a page: run as a script when shown, so the 报告 page never loads the export page's python-docx,
    the table page's grid or the text page's drafting."""
    return PAGES_DIR / f"{name}.py"


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
            _page("reports"),
            title=_title("报告", counts.get("reports", 0)),
            icon="📄",
            url_path="reports",
            default=True,
        ),
        st.Page(
            _page("tables"), title=_title("表格", counts.get("tables", 0)), icon="🧮", url_path="tables"
        ),
        st.Page(_page("text"), title=_title("正文", counts.get("text", 0)), icon="✍️", url_path="text"),
        st.Page(_page("export"), title="导出", icon="⬇️", url_path="export"),
        st.Page(_page("summary"), title="汇总", icon="🗂️", url_path="summary"),
        st.Page(_page("settings"), title="设置", icon="⚙️", url_path="settings"),
    ]
