"""The 设置 page: the model endpoint (preset, base URL, model, key for this session), test, and the body font."""

from __future__ import annotations

import streamlit as st

from assistant.drafting.llm import (
    PRESETS,
    LLMError,
    LLMSettings,
    check_connection,
    load_settings,
    shown_url,
    url_problem,
)
from assistant.format.models import Report
from assistant.ui.common import llm_settings, need_report, save
from assistant.ui.plain import plain


def _endpoint() -> None:
    st.subheader("模型接口")
    base = load_settings()
    current = llm_settings()
    if base.source != "默认":
        st.caption(f"已从{base.source}读取默认设置。这里的修改只对本次浏览有效，密钥不会保存到任何文件。")
    else:
        st.caption("未配置时使用离线起草。这里的修改只对本次浏览有效，密钥不会保存到任何文件。")
    preset = st.selectbox("服务商", ["（自定义）", *PRESETS], key="preset")
    url_default, model_default = PRESETS.get(preset, (current.base_url, current.model))
    # A user name and password in the URL are never put into the page; left unchanged, the field keeps them.
    url_shown = shown_url(url_default or current.base_url)
    with st.form("llm"):
        base_url = st.text_input("接口地址（Base URL）", value=url_shown)
        model = st.text_input("模型名称", value=model_default or current.model)
        key = st.text_input(
            "API Key", type="password", placeholder="已设置" if current.api_key else "本机模型可留空"
        )
        timeout = st.number_input("超时（秒）", min_value=5, max_value=300, value=int(current.timeout))
        save_clicked = st.form_submit_button("保存设置", type="primary")
    if save_clicked and base_url.strip() == url_shown:
        base_url = url_default or current.base_url
    if save_clicked and (problem := url_problem(base_url)):
        st.error(f"没有保存：{plain(problem)}")
    elif save_clicked:
        st.session_state["llm_settings"] = current.with_changes(
            base_url=base_url.strip(),
            model=model.strip(),
            api_key=key.strip() or current.api_key,
            timeout=float(timeout),
            source="设置页",
        )
        st.success("已保存（仅本次浏览有效）。")
    cols = st.columns(2)
    if cols[0].button("测试连接", key="test-connection"):
        with st.spinner("正在连接……"):
            try:
                st.success(plain(check_connection(llm_settings())))
            except LLMError as exc:
                st.error(f"连接失败：{plain(str(exc))}")
    if cols[1].button("改回离线起草", key="offline-drafting"):
        st.session_state["llm_settings"] = LLMSettings()
        st.info("已改为离线起草。")


def _font() -> None:
    entry = need_report()
    if entry is None:
        return
    st.subheader("正文字体（当前报告）")
    fonts = ["仿宋_GB2312", "仿宋"]
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
    _font()
