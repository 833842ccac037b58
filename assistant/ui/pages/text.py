"""The 正文 page: per part the notes, drafting streamed into the page, chat refinement, editing, versions."""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import streamlit as st

from assistant.checks.facts import build_ledger, table_summary
from assistant.checks.guard import marks_for
from assistant.drafting.diff import diff
from assistant.drafting.drafter import (
    DraftResult,
    OnText,
    accept_candidate,
    adopt,
    current_version,
    discard_candidate,
    draft_all,
    draft_part,
    offer,
    record_edit,
    refine_part,
    text_as_notes,
)
from assistant.drafting.llm import endpoint_host, is_local
from assistant.drafting.prompts import DRAFT_PARTS
from assistant.format import layout
from assistant.format.models import GuardMark, Report, Version
from assistant.store import Entry
from assistant.ui.common import (
    chat_client,
    current_id,
    findings_of,
    llm_settings,
    need_report,
    oversight,
    previous_of,
    save,
    show_findings,
    toast_later,
)
from assistant.ui.leaving import HOLD_PAGE_MOVE_JS
from assistant.ui.navigation import page_of
from assistant.ui.plain import plain

T = TypeVar("T")
_SOURCE = {"offline": "🖥️ 离线起草", "llm": "🤖 模型", "human": "✍️ 手工修改", "import": "📥 导入"}
# Parts the clerk edits on this page: the drafted ones, and 五's own paragraph (some reports write 五 as one).
EDITABLE_PARTS: tuple[str, ...] = (*DRAFT_PARTS[:6], "problems", *DRAFT_PARTS[6:])
_TICK = 0.25  # seconds between redraws of the wait: the elapsed time moves, and 停止 is noticed this fast
_STOPPED = "draft-stopped"
_CONFLICT = "text-conflict"
_SAVED = "text-saved"  # (report, part, field, time) of the last hand save: said under the box, so it is seen kept
# Streamlit's English "Press Ctrl+Enter to apply" under a text box: the boxes here save when left.
_HIDE_HINT = "<style>div[data-testid='InputInstructions']{display:none}</style>"
# Streamlit takes a text box's value when the box is left (or on Ctrl+Enter): a reload or a closed tab while typing
# would lose the notes. Leaving the page does what leaving the box does: the box being typed in is committed first.
_COMMIT_ON_LEAVE = (
    """<script>
if (!window.__commitOnLeave) {
  window.__commitOnLeave = true;
  const commit = () => {
    const box = document.activeElement;
    if (box && box.tagName === "TEXTAREA") { box.blur(); return true; }
    return false;
  };
  window.addEventListener("pagehide", commit);
  window.addEventListener("beforeunload", commit);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") commit(); });
"""
    + HOLD_PAGE_MOVE_JS
    + """
  holdPageMove(document, setTimeout, commit);  // a click on another page while typing: saved, then moved
}
</script>"""
)


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


def _stop_clicked() -> None:
    st.session_state[_STOPPED] = True


def _wait(what: str, model: str, stop: threading.Event, job: Callable[[OnText], T]) -> T | None:
    """Run a model request in a worker thread while the page shows the seconds waited, the model and the text so
    far. 停止 reruns the page: the rerun leaves this loop at its next redraw, and the request is stopped on the way
    out, so it ends within a second or so and nothing of it is used."""
    latest = [""]
    done: list[T] = []

    def work() -> None:  # no st.* here: this thread has no script context
        done.append(job(lambda text: latest.__setitem__(0, text)))

    worker = threading.Thread(target=work, name="draft-request", daemon=True)
    st.button("⏹ 停止", key="stop-request", on_click=_stop_clicked, help="停止等待，原文不变")
    status, box = st.empty(), st.empty()
    started, shown = time.monotonic(), ""
    worker.start()
    try:
        while worker.is_alive():
            status.info(
                f"⏳ {what}：{plain(model)} · 已等待 {time.monotonic() - started:.0f} 秒。"
                "原有文字不变，可随时点“停止”。"
            )
            if latest[0] != shown:
                shown = latest[0]
                box.markdown(plain(shown))
            worker.join(_TICK)
    finally:
        stop.set()  # a rerun (停止, or any other click) leaves through here and ends the request
    return done[0] if done else None


def _model_words(version: Version) -> str:
    """Who wrote a version, in words: 模型 X, 离线起草, 手工修改（基于 模型 X）."""
    if version.source == "llm":
        return f"模型 {version.model}"
    words = _SOURCE[version.source].split(" ", 1)[1]
    return words + (f"（基于 {version.model}）" if version.model and version.model != words else "")


def _offer_result(key: str, result: DraftResult | None) -> None:
    """A draft's result: a first draft goes in, one beside text becomes a candidate; a failure says why."""
    if result is None:
        return
    if result.version is None:
        if result.stopped:
            st.session_state[_STOPPED] = True
        else:
            st.session_state["draft-error"] = (key, result.error)
        return
    version = result.version
    taken: list[bool] = []
    save(lambda report: taken.append(offer(report, key, version)))
    if taken and not taken[0]:
        st.session_state["draft-notice"] = (
            f"{_model_words(version)}写出了候选稿，放在当前文字下方，并标出了增删之处；"
            "请对照后采用（可先修改）或放弃。当前文字没有改动。"
        )
    if result.notice:
        st.session_state["draft-notice"] = result.notice + " " + st.session_state.get("draft-notice", "")


def _mode_words() -> tuple[str, str]:
    """What drafts (offline or a model) and, for a model, where the text goes."""
    settings = llm_settings()
    if not settings.configured:
        return "离线起草", ""
    host = endpoint_host(settings.base_url)
    where = f"本地 {host}" if is_local(settings.base_url) else f"云端 {host}"
    return f"模型 {settings.model}", where


def _draft_one(entry: Entry, key: str) -> None:
    # Text the part already holds (an imported report's) becomes its notes, as in `draft`.
    report = save(lambda r: text_as_notes(r, key)) or entry.report
    model, _ = _mode_words()
    previous = previous_of(entry)
    watch, stop = oversight(), threading.Event()
    client = chat_client(stop)

    def job(on_text: OnText) -> DraftResult:
        return draft_part(report, key, client, previous, on_text=on_text, stop=stop, oversight=watch)

    _offer_result(key, _wait("正在起草", model, stop, job))
    st.rerun()


def _refine(entry: Entry, key: str, instruction: str) -> None:
    with st.chat_message("user"):
        st.write(plain(instruction))
    model, _ = _mode_words()
    previous = previous_of(entry)
    watch, stop = oversight(), threading.Event()
    client = chat_client(stop)

    def job(on_text: OnText) -> DraftResult:
        return refine_part(
            entry.report,
            key,
            instruction,
            client,
            previous,
            on_text=on_text,
            stop=stop,
            oversight=watch,
        )

    with st.chat_message("assistant"):
        result = _wait("正在改写", model, stop, job)
    _offer_result(key, result)
    st.rerun()


def _draft_everything(entry: Entry) -> None:
    keys = tuple(k for k in DRAFT_PARTS if not entry.report.parts[k].text.strip())
    if not keys:
        st.session_state["draft-error"] = ("", "各部分都已有文字；要重新起草某一部分，请选中它后点“起草”。")
        return
    model, _ = _mode_words()
    previous = previous_of(entry)
    watch, stop = oversight(), threading.Event()
    client = chat_client(stop)

    def job(on_text: OnText) -> dict[str, DraftResult]:
        del on_text  # several parts at once: the page shows the wait, not the text
        return draft_all(entry.report, client, previous, keys, oversight=watch)

    results = _wait(f"正在同时起草 {len(keys)} 个部分", model, stop, job)
    if results is None:
        return

    def apply(report: Report) -> None:
        for key, result in results.items():
            if result.version is not None:
                offer(report, key, result.version)

    saved = save(apply)
    failed = [f"{layout.PART_BY_KEY[k].heading}：{r.error}" for k, r in results.items() if r.version is None]
    done = sum(r.ok for r in results.values())
    if saved is not None and done:
        toast_later(f"已起草 {done} 个部分")
    notices = [f"{layout.PART_BY_KEY[k].heading}：{r.notice}" for k, r in results.items() if r.notice]
    if notices:
        st.session_state["draft-notice"] = "；".join(notices)
    if failed:
        st.session_state["draft-error"] = ("", "；".join(failed))
    st.rerun()


def _conflict(key: str, field: str, mine: str, theirs: str) -> None:
    st.session_state[_CONFLICT] = {"key": key, "field": field, "mine": mine, "theirs": theirs}


def _save_part(key: str, field: Literal["notes", "text"], widget: str, drawn: str) -> None:
    """Save a part's notes as typed, or keep a hand edit of its text, unless it changed elsewhere since the page
    was drawn: then both are shown."""
    value = st.session_state[widget]
    clash: list[str] = []

    def change(report: Report) -> None:
        now = getattr(report.parts[key], field)
        if now not in (drawn, value):
            clash.append(now)
        elif field == "notes":
            report.parts[key].notes = value
        else:
            record_edit(report, key, value)

    saved = save(change)
    st.session_state.pop(_SAVED, None)  # a clash or a failed save must not leave an earlier 已保存 standing
    if clash:
        _conflict(key, field, value, clash[0])
    elif saved is not None:
        st.session_state[_SAVED] = (current_id(), key, field, time.strftime("%H:%M:%S"))


def _page_findings(entry: Entry) -> None:
    """The errors the sidebar counts for this page (EMPTY, PLACEHOLDER …) and its warnings, listed here, folded."""
    findings = [f for f in findings_of(entry) if page_of(f) == "text" and f.severity in ("error", "warning")]
    if not findings:
        return
    errors = sum(f.severity == "error" for f in findings)
    counts = [f"🔴 {errors} 个错误" if errors else "", f"🟡 {len(findings) - errors} 个提醒" if len(findings) > errors else ""]
    with st.expander("本页的检查结果：" + " · ".join(c for c in counts if c)):
        show_findings(findings)


def _box(entry: Entry, key: str, field: Literal["notes", "text"], label: str, height: int) -> None:
    """A part's notes or text, saved when left (keyed by the saved revision, so another save draws it anew), and
    under it when it was last saved."""
    drawn = getattr(entry.report.parts[key], field)
    widget = f"{field}-{entry.id}-{key}-{entry.revision}"
    st.text_area(
        label, value=drawn, height=height, key=widget, on_change=_save_part, args=(key, field, widget, drawn)
    )
    _said_saved(entry.id, key, field)


def _said_saved(report_id: int, key: str, field: str) -> None:
    """Under a box the clerk just left: when its words were saved (nothing else tells a hand edit was kept)."""
    saved = st.session_state.get(_SAVED)
    if saved is not None and saved[:3] == (report_id, key, field):
        st.caption(f"✅ {'要点' if field == 'notes' else '当前文字'}已保存（{saved[3]}）")


def _resolve(mine: bool) -> None:
    conflict = st.session_state.pop(_CONFLICT, None)
    if not conflict or not mine:
        return
    key, field, value = conflict["key"], conflict["field"], conflict["mine"]

    def change(report: Report) -> None:
        if field == "notes":
            report.parts[key].notes = value
        else:
            record_edit(report, key, value)

    save(change)


def _show_conflict(key: str) -> None:
    conflict: dict[str, Any] | None = st.session_state.get(_CONFLICT)
    if not conflict or conflict["key"] != key:
        return
    what = "要点" if conflict["field"] == "notes" else "文字"
    st.error(
        f"这一部分的{what}在本页打开之后被另一处（其他标签页或同事）改过，你的修改还没有保存。"
        "请对照两份，选择保留哪一份（另一份不会丢失：文字的旧稿都在历史版本中）。"
    )
    mine, theirs = st.columns(2)
    mine.markdown("**你的修改**")
    mine.text(conflict["mine"])
    mine.button("保留我的修改", key="conflict-mine", on_click=_resolve, args=(True,))
    theirs.markdown("**另一处保存的**")
    theirs.text(conflict["theirs"])
    theirs.button("保留另一处的", key="conflict-theirs", on_click=_resolve, args=(False,))


def _accept(key: str, widget: str, offered: str) -> None:
    value = st.session_state.get(widget, offered)
    save(lambda report: accept_candidate(report, key, None if value == offered else value))


def _discard(key: str) -> None:
    save(lambda report: discard_candidate(report, key))


def _candidate(entry: Entry, key: str) -> None:
    """The candidate beside the current text: who made it, its marks, the diff, and accept / edit / discard."""
    part = entry.report.parts[key]
    candidate = part.candidate
    if candidate is None:
        return
    st.markdown(
        f"**🆕 候选稿** · {plain(_model_words(candidate))} · {candidate.created:%m-%d %H:%M}"
        + (f" · 意见：{plain(candidate.instruction)}" if candidate.instruction else "")
    )
    marks = marks_for(entry.report, key, candidate.text)
    if marks:
        st.warning(
            f"候选稿有 {len(marks)} 处需要核实（数字与表格不符或找不到来源）："
            + "、".join(plain(m.text) for m in marks[:10])
        )
    change = diff(part.text, candidate.text)
    st.caption(
        f"与当前文字相比：删去 {change.removed} 字（红色删除线），新增 {change.added} 字（绿色下划线）"
    )
    box = (
        "border:1px solid rgba(128,128,128,.35);border-radius:.5rem;padding:.5rem .75rem;margin-bottom:.5rem"
    )
    st.markdown(f'<div style="{box}">{change.html.replace(chr(13), " ")}</div>', unsafe_allow_html=True)
    widget = f"candidate-{entry.id}-{key}-{entry.revision}"
    st.text_area("候选稿（可先修改再采用）", value=candidate.text, height=200, key=widget)
    accept, drop = st.columns(2)
    accept.button(
        "✅ 采用候选稿",
        type="primary",
        key=f"accept-{key}",
        on_click=_accept,
        args=(key, widget, candidate.text),
    )
    drop.button("🗑 放弃候选稿", key=f"discard-{key}", on_click=_discard, args=(key,))


def _restore(key: str, version: Version, number: int) -> None:
    def restore(report: Report) -> None:
        # The restored text is marked against today's tables, not with the marks it had when it was written.
        marks = marks_for(report, key, version.text)
        adopt(report, key, version.model_copy(update={"instruction": f"恢复到第{number}版", "marks": marks}))

    if save(restore) is not None:
        toast_later(f"已恢复到第{number}版")


def _versions(entry: Entry, key: str) -> None:
    versions = entry.report.parts[key].versions
    current_index = current_version(entry.report, key)
    summary = table_summary(entry.report)
    ledger = build_ledger(entry.report, summary)
    with st.expander(f"🕘 历史版本（{len(versions)}）"):
        if not versions:
            st.caption("起草、对话修改、手工修改和恢复都会留下一个版本。")
        for number, version in reversed(list(enumerate(versions, 1))):
            current = number - 1 == current_index
            marks = marks_for(entry.report, key, version.text, ledger, summary)
            st.markdown(
                f"**第{number}版** · {_SOURCE[version.source].split(' ', 1)[0]} {plain(_model_words(version))}"
                f" · {version.created:%Y-%m-%d %H:%M}"
                + (f" · 意见：{plain(version.instruction)}" if version.instruction else "")
                + (f" · ⚠️ {len(marks)} 处需核实" if marks else "")
                + (" · 当前" if current else "")
            )
            st.text(version.text[:300] + ("……" if len(version.text) > 300 else ""))
            if version.text != entry.report.parts[key].text:
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
    st.title("正文")
    model, where = _mode_words()
    mode = f"🤖 {model}（{where}）" if where else "🖥️ 离线起草（未配置模型，可在“设置”页配置）"
    st.caption(f"{plain(report.agency)} {report.year}年 · 起草方式：{plain(mode)}")
    _page_findings(entry)
    if st.session_state.pop(_STOPPED, False):
        st.info("已停止，原文未改。")
    if error := st.session_state.pop("draft-error", None):
        st.error(f"起草没有完成，原有文字保留不变。{plain(error[1])}")
    if notice := st.session_state.pop("draft-notice", None):
        st.warning(plain(notice))
    top = st.columns([3, 2])  # the button's words fit a 1024 px window
    # The choice is kept in the session apart from the widget, whose state Streamlit drops when the page is left.
    chosen = f"part-choice-{entry.id}"
    kept = st.session_state.get(chosen)
    key = top[0].selectbox(
        "选择要写的部分",
        EDITABLE_PARTS,
        index=EDITABLE_PARTS.index(kept) if kept in EDITABLE_PARTS else 0,
        format_func=lambda k: _label(k, report),
        key=f"part-{entry.id}",
    )
    st.session_state[chosen] = key
    if top[1].button("✨ 起草全部空白部分", width="stretch", key="draft-all"):
        _draft_everything(entry)
    part = report.parts[key]
    spec = layout.PART_BY_KEY[key]
    _show_conflict(key)
    left, right = st.columns([2, 3])
    with left:
        _box(entry, key, "notes", "要点（每行一条，写本年度的具体做法和数字；离开输入框即自动保存）", 200)
        drafting = key in DRAFT_PARTS and st.button(
            "✨ 起草这一部分", type="primary", width="stretch", key=f"draft-{key}"
        )
        if key not in DRAFT_PARTS:
            st.caption(
                "这一段不单独起草：五的内容一般写在“存在的主要问题”和“改进情况”两部分，也可在这里直接写成一段。"
            )
        elif part.text.strip():
            st.caption("这一部分已有文字：新起草的稿子作为候选稿放在旁边，对照后再决定是否采用。")
    with right:
        st.markdown(f"**{spec.heading}** · {plain(_badge(report, key))}")
        marks = _current_marks(report, key)
        if marks:
            st.warning(
                f"有 {len(marks)} 处需要核实（数字与表格不符或找不到来源、待填写的内容），已按当前表格标出，"
                "鼠标停在标记上可看原因；请改正或在要点中写明来源。"
            )
            # Inside a one-line <div> (an HTML block) Markdown is not parsed, so no image or link in the text renders.
            shown = _marked_html(part.text, marks).replace("\r", " ")
            st.markdown(f"<div>{shown}</div>", unsafe_allow_html=True)
        _box(entry, key, "text", "当前文字（可直接修改，离开输入框即保存）", 260)
        if drafting:
            _draft_one(entry, key)  # below the current text, which stays in view while the model writes
        _candidate(entry, key)
        _versions(entry, key)
    st.markdown("**💬 对话修改这一部分**")
    for version in part.versions:
        if version.instruction and not version.instruction.startswith("恢复到"):
            st.chat_message("user").write(plain(version.instruction))
            st.chat_message("assistant").write(plain(version.text))
    instruction = st.chat_input(
        "告诉助手怎么改，例如：更具体一些；加上公众号发布的数量", key=f"chat-{entry.id}-{key}"
    )
    # Last on the page: these two draw nothing, and an element that collapses once drawn would move what is below.
    st.markdown(_HIDE_HINT, unsafe_allow_html=True)
    st.html(_COMMIT_ON_LEAVE, unsafe_allow_javascript=True)
    if instruction:
        _refine(entry, key, instruction)


if __name__ == "__main__":
    # Run as a page script (st.navigation, AppTest.from_file): show the page through the imported module, so that
    # its caches and state are the module's own, guarded so that a failure is a message, never a traceback.
    from assistant.ui.common import guarded
    from assistant.ui.pages.text import show as show_page

    guarded(show_page)()
