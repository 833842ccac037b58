"""The 导出 page: the report previewed as it will print, the checklist of findings, the .docx, a PDF and a JSON backup."""

from __future__ import annotations

import streamlit as st

from assistant.checks.blanks import count_blank
from assistant.checks.fill import fill
from assistant.checks.rules import RULE_TITLES
from assistant.export.pdf import PdfError, pdf_available, render_pdf
from assistant.export.preview import report_html
from assistant.export.word import render_docx
from assistant.format.models import Report, report_to_json
from assistant.ui.common import SEVERITY_ICON, findings_of, need_report, show_finding
from assistant.ui.plain import plain


def docx_bytes(report: Report) -> bytes:
    """The Word file the download button serves: totals filled, official layout."""
    return render_docx(fill(report))


def pdf_bytes(report: Report) -> bytes:
    """The PDF the download button serves: the Word file converted by LibreOffice (raises PdfError)."""
    return render_pdf(fill(report))


def _pdf_download(report: Report, name: str, key: str) -> None:
    """The PDF, made only when asked (a LibreOffice conversion takes seconds), for the report as it is now."""
    if not pdf_available():
        st.caption("本机未安装 LibreOffice，不能生成 PDF：请下载 Word 文件后另存为 PDF。")
        return
    fingerprint = json_bytes(report)
    made = st.session_state.get(key)
    if made is not None and made[0] != fingerprint:
        made = None  # the report changed since the PDF was made
    if made is None and st.button("📄 生成 PDF", key=f"{key}-make", width="stretch"):
        with st.spinner("正在用 LibreOffice 生成 PDF……"):
            try:
                made = (fingerprint, pdf_bytes(report))
            except PdfError as exc:
                st.error(str(exc))
                return
        st.session_state[key] = made
    if made is not None:
        st.download_button(
            "⬇️ 下载 PDF 文件（.pdf）",
            data=made[1],
            file_name=f"{name}.pdf",
            mime="application/pdf",
            key=f"{key}-download",
            width="stretch",
        )


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
    gaps = sum(1 for f in errors if f.rule == "PLACEHOLDER")
    if errors:
        st.error(f"有 {len(errors)} 个错误。建议改正后再发布；核实无误的，请在下方勾选该条。仍可下载。")
        if gaps:
            st.warning(f"有 {gaps} 个部分还留着待填写的内容，下方预览中已用黄色标出，请补上后再发布。")
    if blanks:
        st.warning(f"还有 {count_blank(blanks)} 个单元格未填写：请到“表格”页填写，没有发生的填 0。")
    if not errors and not blanks:
        st.success("没有错误。")
    for n, f in enumerate(errors):
        st.checkbox(
            f"{SEVERITY_ICON['error']} {RULE_TITLES.get(f.rule, f.rule)}：{plain(f.message)}",
            key=f"confirm-{entry.id}-{n}-{f.rule}",
            help="勾选表示已核实这一条",
        )
    for f in blanks:
        show_finding(f)
    if others:
        with st.expander(f"提醒和无法核对的项目（{len(others)}）"):
            for f in others:
                show_finding(f)
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
    _pdf_download(report, name, f"pdf-{entry.id}")
    st.subheader("预览")
    # One line of HTML is one HTML block, inside which Markdown is not parsed: a line break in a field (an agency
    # name, say) would end the block and let the rest be read as Markdown, images included.
    st.markdown(report_html(report).replace("\n", " ").replace("\r", " "), unsafe_allow_html=True)


if __name__ == "__main__":
    # Run as a page script (st.navigation, AppTest.from_file): show the page through the imported module, so that
    # its caches and state are the module's own, guarded so that a failure is a message, never a traceback.
    from assistant.ui.common import guarded
    from assistant.ui.pages.export import show as show_page

    guarded(show_page)()
