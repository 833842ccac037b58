"""The 设置 page: the model endpoint (preset, base URL, model, key for this session), test, and the body font."""

from __future__ import annotations

import contextlib
import csv
import io
import time

import streamlit as st

from assistant.drafting.audit import FIELDS, AuditRecord
from assistant.drafting.llm import (
    CONNECTION_PROMPT,
    LOCAL_PRESETS,
    PRESETS,
    LLMError,
    LLMSettings,
    check_connection,
    endpoint_host,
    is_local,
    load_settings,
    shown_url,
    url_problem,
)
from assistant.drafting.secrecy import parse_words
from assistant.format import layout
from assistant.format.models import Report
from assistant.store import StoreError
from assistant.ui.common import get_store, llm_settings, need_report, save, saved_settings
from assistant.ui.plain import plain

_CUSTOM = "（自定义）"


def _preset_label(name: str) -> str:
    return name if name == _CUSTOM or name in LOCAL_PRESETS else f"{name}（云端）"


def _cloud_notice(preset: str, url: str) -> None:
    """Once per endpoint: where the text will go when it is not a local server."""
    if not url.strip() or is_local(url):
        return
    host = endpoint_host(url)
    seen = set(saved_settings().get("cloud_seen", "").split())
    message = (
        f"注意：选择这一服务后，起草时要点、正文和表格数字将发送到 {host}（{preset}）的服务器，"
        "不在本机或本单位网络内。涉密内容不得发送（涉密不上网）；请确认本单位允许使用该服务。"
    )
    if host in seen:
        st.caption(plain(message))
        return
    st.warning(plain(message))
    with contextlib.suppress(StoreError):  # not recorded: shown again next time, better twice than never
        get_store().save_settings({"cloud_seen": " ".join(sorted(seen | {host}))})


def _form_settings(current: LLMSettings, base_url: str, model: str, key: str, timeout: float) -> LLMSettings:
    return current.with_changes(
        base_url=base_url.strip(),
        model=model.strip(),
        api_key=key.strip() or current.api_key,
        timeout=float(timeout),
        source="设置页",
    )


def _persist(preset: str, settings: LLMSettings) -> str:
    """Save what may be saved (never the key); a URL carrying a password stays in this session only."""
    url = settings.base_url
    values = {"preset": preset, "model": settings.model, "timeout": f"{settings.timeout:g}"}
    kept = "已保存，重新打开页面或重启后仍然有效（API Key 不保存，只在本次浏览中有效）。"
    if shown_url(url) == url.strip():
        values["base_url"] = url
    else:
        kept = "已保存模型和超时；接口地址中含有用户名或密码，只在本次浏览中有效，不写入数据库。"
    try:
        get_store().save_settings(values)
    except StoreError as exc:
        return f"只在本次浏览中有效：{exc}"
    return kept


def _test(settings: LLMSettings) -> None:
    """测试连接 with these settings; a request that goes out is kept in the audit log like any other."""
    started = time.monotonic()
    try:
        said, outcome, detail = check_connection(settings), "ok", ""
        st.success(plain(said))
    except LLMError as exc:
        said, outcome, detail = "", "error", str(exc)
        st.error(f"连接失败：{plain(detail)}")
    if not settings.configured:
        return  # nothing was sent
    record = AuditRecord(
        host=endpoint_host(settings.base_url),
        model=settings.model,
        report="",
        part="测试连接",
        sent=len(CONNECTION_PROMPT),
        received=len(said),
        seconds=time.monotonic() - started,
        outcome="ok" if outcome == "ok" else "error",
        detail=detail,
        origin="网页",
    )
    with contextlib.suppress(
        StoreError
    ):  # the test itself was said; a log that cannot be written is no reason to hide it
        get_store().record_request(record)


def _endpoint() -> None:
    st.subheader("模型接口")
    base = load_settings()
    current = llm_settings()
    st.caption(
        f"当前设置来自{current.source}。接口地址、模型和超时保存在数据库中；"
        "API Key 只从环境变量、secrets.toml 或本次浏览中读取，从不保存。"
        + ("" if base.source in ("默认", current.source) else f"（{base.source}中另有默认设置。）")
    )
    names = [_CUSTOM, *sorted(PRESETS, key=lambda n: n not in LOCAL_PRESETS)]
    saved_preset = saved_settings().get("preset", _CUSTOM)
    preset = st.selectbox(
        "服务商（本地 = 本机或本单位网络内的服务，文字不出本单位）",
        names,
        index=names.index(saved_preset) if saved_preset in names else 0,
        format_func=_preset_label,
        key="preset",
    )
    # The saved preset shows the saved URL and model (the clerk may have changed its model); another one its own.
    url_default, model_default = (
        PRESETS[preset] if preset in PRESETS and preset != saved_preset else (current.base_url, current.model)
    )
    # A user name and password in the URL are never put into the page; left unchanged, the field keeps them.
    url_shown = shown_url(url_default or current.base_url)
    with st.form("llm"):
        base_url = st.text_input("接口地址（Base URL）", value=url_shown)
        model = st.text_input("模型名称", value=model_default or current.model)
        key = st.text_input(
            "API Key", type="password", placeholder="已设置" if current.api_key else "本地模型可留空"
        )
        timeout = st.number_input(
            "超时（秒，含重试在内的总等待时间）", min_value=5, max_value=300, value=int(current.timeout)
        )
        cols = st.columns(3)
        save_clicked = cols[0].form_submit_button("保存设置", type="primary")
        test_clicked = cols[1].form_submit_button("测试连接", key="test-connection")
    if base_url.strip() == url_shown:
        base_url = url_default or current.base_url
    _cloud_notice(preset, base_url)
    if (save_clicked or test_clicked) and (problem := url_problem(base_url)):
        st.error(f"{'没有保存' if save_clicked else '连接失败'}：{plain(problem)}")
        return
    form = _form_settings(current, base_url, model, key, timeout)
    if save_clicked:
        st.session_state["llm_settings"] = form
        st.success(plain(_persist(preset, form)))
    if test_clicked:
        # What is in the form, saved or not: the clerk tests before saving.
        with st.spinner(f"正在连接 {plain(endpoint_host(form.base_url))}……"):
            _test(form)
    if st.button("改回离线起草", key="offline-drafting"):
        st.session_state["llm_settings"] = LLMSettings()
        try:
            get_store().save_settings({"preset": _CUSTOM, "base_url": "", "model": ""})
        except StoreError as exc:
            st.error(plain(str(exc)))
        st.info("已改为离线起草。")


def _secrecy() -> None:
    st.subheader("密级检查")
    st.caption(
        "每次发送给模型之前，要点、正文和上下文都会检查密级标志（绝密★、机密★、秘密★及保密期限，内部资料）；"
        "发现后不发送，并指出位置。可在下面补充本单位的其他标志，每行一个。"
    )
    saved = saved_settings().get("secrecy_words", "")
    with st.form("secrecy"):
        words = st.text_area("附加密级词（每行一个，如：工作秘密、仅供领导参阅）", value=saved, height=100)
        if st.form_submit_button("保存密级词"):
            cleaned = "\n".join(parse_words(words))
            try:
                get_store().save_settings({"secrecy_words": cleaned})
                st.success(f"已保存 {len(parse_words(cleaned))} 个附加密级词。")
            except StoreError as exc:
                st.error(plain(str(exc)))


def _audit() -> None:
    st.subheader("模型调用日志")
    st.caption(
        "每次向模型发送内容（网页、draft、eval 命令）都记录在数据库中：时间、接口主机、模型、报告和部分、"
        "发送和接收的字数、用时和结果；不记录密钥和正文。命令行：python -m assistant audit"
    )
    try:
        records = get_store().audit_log()
    except StoreError as exc:
        st.error(plain(str(exc)))
        return
    if not records:
        st.info("还没有任何模型调用记录。")
        return
    rows = [r.row() for r in records]
    st.dataframe([dict(zip(FIELDS, row, strict=True)) for row in rows[:500]], hide_index=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    writer.writerows(rows)
    st.download_button(
        f"下载全部 {len(rows)} 条（CSV）",
        out.getvalue().encode("utf-8-sig"),
        file_name="模型调用日志.csv",
        mime="text/csv",
    )


def _font() -> None:
    entry = need_report()
    if entry is None:
        return
    st.subheader("正文字体（当前报告）")
    fonts = list(layout.BODY_FONTS)
    choice = st.radio(
        "Word 文件的正文字体",
        fonts,
        index=fonts.index(entry.report.body_font),
        help="仿宋_GB2312 是公文常用字体，但缺少部分生僻字（如“硤”）；仿宋字体能显示这些字。",
        key=f"font-{entry.id}",
    )
    if choice != entry.report.body_font:

        def change(report: Report) -> None:
            report.body_font = "仿宋" if choice == "仿宋" else "仿宋_GB2312"

        save(change)
        st.rerun()


def show() -> None:
    """Render the page."""
    st.title("设置")
    _endpoint()
    _secrecy()
    _audit()
    _font()


if __name__ == "__main__":
    # Run as a page script (st.navigation, AppTest.from_file): show the page through the imported module, so that
    # its caches and state are the module's own, guarded so that a failure is a message, never a traceback.
    from assistant.ui.common import guarded
    from assistant.ui.pages.settings import show as show_page

    guarded(show_page)()
