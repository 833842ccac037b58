"""The 正文 page: per part the notes, drafting streamed into the page, chat refinement, editing, versions."""

from __future__ import annotations

import html

import streamlit as st

from assistant.checks.facts import build_ledger, table_summary
from assistant.checks.guard import marks_for
from assistant.drafting.drafter import (
    DraftResult,
    adopt,
    draft_all,
    draft_part,
    record_edit,
    refine_part,
    text_as_notes,
)
from assistant.drafting.prompts import DRAFT_PARTS
from assistant.format import layout
from assistant.format.models import GuardMark, Report, Version
from assistant.store import Entry
from assistant.ui.common import chat_client, llm_settings, need_report, previous_of, save
from assistant.ui.plain import plain

_SOURCE = {"offline": "🖥️ 离线起草", "llm": "🤖 模型", "human": "✍️ 手工修改", "import": "📥 导入"}
# Parts the clerk edits on this page: the drafted ones, and 五's own paragraph (some reports write 五 as one).
EDITABLE_PARTS: tuple[str, ...] = (*DRAFT_PARTS[:6], "problems", *DRAFT_PARTS[6:])


def _label(key: str, report: Report) -> str:
    spec = layout.PART_BY_KEY[key]
    parent = layout.PART_BY_KEY[spec.parent].heading[:2] if spec.parent else ""
    filled = "✅" if report.parts[key].text.strip() else "⬜"
    return f"{filled} {parent}{spec.heading}"


def _marked_html(text: str, marks: list[GuardMark]) -> str:
    """The text with every unsourced number highlighted where it stands."""
    out, at = [], 0
    for mark in sorted(marks, key=lambda m: m.start):
        if mark.start < at or mark.end > len(text) or text[mark.start : mark.end] != mark.text:
            continue
        out.append(html.escape(text[at : mark.start]))
        out.append(f'<mark title="{html.escape(mark.reason)}">{html.escape(mark.text)}</mark>')
        at = mark.end
    out.append(html.escape(text[at:]))
    return "".join(out).replace("\n", "<br>")


def _current_marks(report: Report, key: str) -> list[GuardMark]:
    # Against the report as it is now, never the marks saved at drafting time: a cell may have changed since.
    return marks_for(report, key)


def _badge(report: Report, key: str) -> str:
    part = report.parts[key]
    if not part.text.strip():
        return "尚未起草"
    if part.versions and part.versions[-1].text == part.text:
        version = part.versions[-1]
        model = f" {version.model}" if version.source == "llm" else ""
        return f"{_SOURCE[version.source]}{model} · {version.created:%m-%d %H:%M}"
    return _SOURCE["import"]


def _adopt_result(key: str, result: DraftResult) -> None:
    if result.version is None:
        st.session_state["draft-error"] = (key, result.error)
        return
    version = result.version
    save(lambda report: adopt(report, key, version))
    if result.notice:
        st.session_state["draft-notice"] = result.notice


def _draft_one(entry: Entry, key: str) -> None:
    client = chat_client()
    # Text the part already holds (an imported report's) becomes its notes, as in `draft`; adopt keeps it as a version.
    report = save(lambda r: text_as_notes(r, key)) or entry.report
    stop_col, _ = st.columns([1, 4])
    stop_col.button("⏹ 停止生成", key="stop-draft", help="停止后保留原有文字")
    box = st.empty()
    box.info("正在起草……")
    result = draft_part(
        report, key, client, previous_of(entry), on_text=lambda text: box.markdown(plain(text))
    )
    _adopt_result(key, result)
    st.rerun()


def _refine(entry: Entry, key: str, instruction: str) -> None:
    with st.chat_message("user"):
        st.write(plain(instruction))
    with st.chat_message("assistant"):
        box = st.empty()
        box.info("正在改写……")
        result = refine_part(
            entry.report,
            key,
            instruction,
            chat_client(),
            previous_of(entry),
            on_text=lambda text: box.markdown(plain(text)),
        )
    _adopt_result(key, result)
    st.rerun()


def _draft_everything(entry: Entry) -> None:
    keys = tuple(k for k in DRAFT_PARTS if not entry.report.parts[k].text.strip())
    if not keys:
        st.session_state["draft-error"] = ("", "各部分都已有文字；要重新起草某一部分，请选中它后点“起草”。")
        return
    with st.spinner(f"正在同时起草 {len(keys)} 个部分……"):
        results = draft_all(entry.report, chat_client(), previous_of(entry), keys)

    def apply(report: Report) -> None:
        for key, result in results.items():
            if result.version is not None:
                adopt(report, key, result.version)

    save(apply)
    failed = [f"{layout.PART_BY_KEY[k].heading}：{r.error}" for k, r in results.items() if r.version is None]
    notices = [f"{layout.PART_BY_KEY[k].heading}：{r.notice}" for k, r in results.items() if r.notice]
    if notices:
        st.session_state["draft-notice"] = "；".join(notices)
    if failed:
        st.session_state["draft-error"] = ("", "；".join(failed))
    st.rerun()


def _save_notes(key: str, widget: str) -> None:
    value = st.session_state[widget]

    def change(report: Report) -> None:
        report.parts[key].notes = value

    save(change)


def _save_text(key: str, widget: str) -> None:
    value = st.session_state[widget]
    save(lambda report: record_edit(report, key, value))


def _restore(key: str, version: Version, number: int) -> None:
    def restore(report: Report) -> None:
        # The restored text is marked against today's tables, not with the marks it had when it was written.
        marks = marks_for(report, key, version.text)
        adopt(report, key, version.model_copy(update={"instruction": f"恢复到第{number}版", "marks": marks}))

    save(restore)


def _versions(entry: Entry, key: str) -> None:
    versions = entry.report.parts[key].versions
    summary = table_summary(entry.report)
    ledger = build_ledger(entry.report, summary)
    with st.expander(f"🕘 历史版本（{len(versions)}）"):
        if not versions:
            st.caption("起草、对话修改、手工修改和恢复都会留下一个版本。")
        for number, version in reversed(list(enumerate(versions, 1))):
            current = version.text == entry.report.parts[key].text
            marks = marks_for(entry.report, key, version.text, ledger, summary)
            st.markdown(
                f"**第{number}版** · {_SOURCE[version.source]} {plain(version.model)} · {version.created:%Y-%m-%d %H:%M}"
                + (f" · 意见：{plain(version.instruction)}" if version.instruction else "")
                + (f" · ⚠️ {len(marks)} 处需核实" if marks else "")
                + (" · 当前" if current else "")
            )
            st.text(version.text[:300] + ("……" if len(version.text) > 300 else ""))
            if not current:
                st.button(
                    "恢复这一版",
                    key=f"restore-{key}-{number}",
                    on_click=_restore,
                    args=(key, version, number),
                )


def show() -> None:
    """Render the page."""
    entry = need_report()
    if entry is None:
        return
    report = entry.report
    settings = llm_settings()
    st.title("正文")
    mode = (
        f"🤖 模型：{settings.model}" if settings.configured else "🖥️ 离线起草（未配置模型，可在“设置”页配置）"
    )
    st.caption(f"{plain(report.agency)} {report.year}年 · 起草方式：{plain(mode)}")
    if error := st.session_state.pop("draft-error", None):
        st.error(f"起草没有完成，原有文字保留不变。{plain(error[1])}")
    if notice := st.session_state.pop("draft-notice", None):
        st.warning(plain(notice))
    top = st.columns([3, 1])
    key = top[0].selectbox(
        "选择要写的部分", EDITABLE_PARTS, format_func=lambda k: _label(k, report), key=f"part-{entry.id}"
    )
    if top[1].button("✨ 起草全部空白部分", width="stretch", key="draft-all"):
        _draft_everything(entry)
    part = report.parts[key]
    spec = layout.PART_BY_KEY[key]
    left, right = st.columns([2, 3])
    with left:
        notes_key = f"notes-{entry.id}-{key}-{entry.revision}"
        st.text_area(
            "要点（每行一条，写本年度的具体做法和数字）",
            value=part.notes,
            height=200,
            key=notes_key,
            on_change=_save_notes,
            args=(key, notes_key),
        )
        drafting = key in DRAFT_PARTS and st.button(
            "✨ 起草这一部分", type="primary", width="stretch", key=f"draft-{key}"
        )
        if key not in DRAFT_PARTS:
            st.caption(
                "这一段不单独起草：五的内容一般写在“存在的主要问题”和“改进情况”两部分，也可在这里直接写成一段。"
            )
    with right:
        st.markdown(f"**{spec.heading}** · {plain(_badge(report, key))}")
        if drafting:
            _draft_one(entry, key)
        marks = _current_marks(report, key)
        if marks:
            st.warning(
                f"有 {len(marks)} 处需要核实（数字与表格不符或找不到来源、待填写的内容），已按当前表格标出，"
                "鼠标停在标记上可看原因；请改正或在要点中写明来源。"
            )
            # Inside a one-line <div> (an HTML block) Markdown is not parsed, so no image or link in the text renders.
            shown = _marked_html(part.text, marks).replace("\r", " ")
            st.markdown(f"<div>{shown}</div>", unsafe_allow_html=True)
        text_key = f"text-{entry.id}-{key}-{entry.revision}"
        st.text_area(
            "当前文字（可直接修改，离开输入框即保存）",
            value=part.text,
            height=260,
            key=text_key,
            on_change=_save_text,
            args=(key, text_key),
        )
        _versions(entry, key)
    st.markdown("**💬 对话修改这一部分**")
    for version in part.versions:
        if version.instruction and not version.instruction.startswith("恢复到"):
            st.chat_message("user").write(plain(version.instruction))
            st.chat_message("assistant").write(plain(version.text))
    instruction = st.chat_input(
        "告诉助手怎么改，例如：更具体一些；加上公众号发布的数量", key=f"chat-{entry.id}-{key}"
    )
    if instruction:
        _refine(entry, key, instruction)
