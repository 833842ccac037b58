"""What every page shares: the store, the report being edited, saving, findings and the model settings."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from assistant.checks.checking import check_report
from assistant.checks.rules import RULE_TITLES, Finding
from assistant.drafting.llm import ChatClient, LLMSettings, OpenAIChat, load_settings, with_saved
from assistant.example import load_example
from assistant.format.models import Report
from assistant.store import Entry, Store, StoreError, db_path
from assistant.ui.plain import plain

if TYPE_CHECKING:
    from assistant.drafting.drafter import Oversight

_log = logging.getLogger(__name__)
_SAVE_ERRORS = "save-errors"

SEVERITY_ICON = {"error": "🔴", "warning": "🟡", "cannot-check": "⚪"}
SEVERITY_WORD = {"error": "错误", "warning": "提醒", "cannot-check": "无法核对"}


@st.cache_resource
def _store_at(path: str) -> Store:
    store = Store(Path(path))
    if store.count() == 0:
        store.add(load_example())  # the first run shows the example report
    return store


def get_store() -> Store:
    """One store per database file (ASSISTANT_DB), shared by every session of the server.

    A database that cannot be opened (corrupt, no permission) stops the page with a message saying what to do;
    nothing is cached, so a refresh after the fix opens it.
    """
    try:
        return _store_at(str(db_path()))
    except StoreError as exc:
        st.error(plain(str(exc)))
        st.stop()


_CURRENT = "current-report"  # session key: the URL's ?report=N is dropped when the clerk moves to another page


def _current() -> Entry | None:
    """The report being edited: kept in the URL (?report=N), so a refresh or a bookmark comes back to it, and in
    the session, because Streamlit clears the URL's parameters on a move between pages; only when neither names a
    readable report is the most recently edited one taken. Read once, freshly (another tab may have changed it)."""
    store = get_store()
    raw = st.query_params.get("report")
    wanted = [int(raw)] if raw and raw.isdigit() and len(raw) < 19 else []
    kept = st.session_state.get(_CURRENT)
    if isinstance(kept, int):
        wanted.append(kept)
    for report_id in wanted:
        entry = store.get(report_id)
        if entry is not None:
            select(report_id)
            return entry
    entries = store.list()
    if not entries:
        return None
    select(entries[0].id)
    return entries[0]


def current_id() -> int | None:
    """The id of the report being edited (see _current)."""
    entry = _current()
    return entry.id if entry is not None else None


def select(report_id: int) -> None:
    """Make a report the current one (in the URL and in the session)."""
    st.query_params["report"] = str(report_id)
    st.session_state[_CURRENT] = report_id


def current_entry() -> Entry | None:
    """The current report, freshly read from the store (another tab may have changed it)."""
    return _current()


def previous_of(entry: Entry) -> Report | None:
    """Last year's report linked to this one, if any."""
    if entry.previous_id is None:
        return None
    previous = get_store().get(entry.previous_id)
    return previous.report if previous else None


def save(change: Callable[[Report], object]) -> Report | None:
    """Apply a change to the current report and save it at once; a refused or failed save is said, not raised."""
    report_id = current_id()
    if report_id is None:
        return None
    try:
        return get_store().update(report_id, change)
    except StoreError as exc:
        # Kept until the page shows it: a save in a callback or before st.rerun() has no page to write into yet.
        st.session_state.setdefault(_SAVE_ERRORS, []).append(str(exc))
        return None


def show_save_errors() -> None:
    """The saves that failed since the page was last drawn, each said once."""
    for message in st.session_state.pop(_SAVE_ERRORS, []):
        st.error(plain(message))


@st.cache_data(max_entries=64, show_spinner=False)
def _findings_cached(report_json: str, previous_json: str | None) -> list[Finding]:
    report = Report.model_validate_json(report_json)
    previous = Report.model_validate_json(previous_json) if previous_json else None
    return check_report(report, previous)


def findings_of(entry: Entry) -> list[Finding]:
    """All findings on a report (filled), cached by content so reruns without a change cost nothing.

    A report the checks cannot handle gets one finding saying so, so the list and the pages still show.
    """
    previous = previous_of(entry)
    try:
        return _findings_cached(
            entry.report.model_dump_json(), previous.model_dump_json() if previous else None
        )
    except Exception as exc:  # whatever the checks trip on in stored data, the page must stay usable
        _log.exception("checking report %s failed", entry.id)
        message = (
            f"程序无法核对这份报告（{type(exc).__name__}），可能有异常的数字（如极大的数）；"
            "请检查表格，或在“报告”页下载备份后删除它"
        )
        return [Finding("CELL", "cannot-check", (), message)]


_TOASTS = "toasts"


def toast_later(message: str) -> None:
    """A confirmation (已新建, 已导入, 已恢复 …) shown by the page drawn after the action's rerun: a toast shown
    before st.rerun() would be lost with the run."""
    st.session_state.setdefault(_TOASTS, []).append(message)


def show_toasts() -> None:
    """The confirmations waiting since the last run, each shown once."""
    for message in st.session_state.pop(_TOASTS, []):
        st.toast(plain(message), icon="✅")


def guarded(show: Callable[[], None]) -> Callable[[], None]:
    """A page that shows a Chinese message instead of a traceback when it fails, so navigation always works."""

    @functools.wraps(show)
    def page() -> None:
        try:
            show_save_errors()
            show_toasts()
            show()
            show_save_errors()
        except StoreError as exc:
            st.error(plain(str(exc)))
        except Exception as exc:  # the last line of defence: log it, say it, keep the app usable
            _log.exception("page %s failed", getattr(show, "__module__", "?"))
            st.error(
                f"这一页出错了（{type(exc).__name__}），已记录在服务器日志中。其他页面仍可使用；"
                "如果是某份报告的数据有问题，可以在“报告”页下载它的备份或删除它。"
            )

    return page


def show_findings(findings: list[Finding], empty: str = "没有发现问题。") -> None:
    """The findings as a list, errors first, each naming its cells in words."""
    if not findings:
        st.success(empty)
        return
    for f in findings:
        show_finding(f)


def show_finding(f: Finding) -> None:
    """One finding: its severity and message; the rule's id small and grey, for whoever reads `check`'s output."""
    title = f" · {RULE_TITLES[f.rule]}" if f.rule in RULE_TITLES else ""
    st.markdown(
        f"{SEVERITY_ICON[f.severity]} **{SEVERITY_WORD[f.severity]}**{title} :gray[{f.rule}]  \n{plain(f.message)}"
    )


def saved_settings() -> dict[str, str]:
    """The settings kept in the database (preset, base URL, model, timeout, 密级 words); {} when unreadable."""
    try:
        return get_store().settings()
    except StoreError:
        return {}


def llm_settings() -> LLMSettings:
    """The model settings: the settings page's choices for this session, else those saved in the database over
    the environment and secrets (the key only ever from those or this session)."""
    chosen = st.session_state.get("llm_settings")
    return chosen if isinstance(chosen, LLMSettings) else with_saved(load_settings(), saved_settings())


def chat_client(stop: threading.Event | None = None) -> ChatClient | None:
    """The model to draft with (stopped by `stop`), or None for the offline drafter."""
    settings = llm_settings()
    return OpenAIChat(settings, stop=stop) if settings.configured else None


def oversight() -> Oversight:
    """The audit log of this database and the 密级 words saved in 设置, for every request from the app."""
    from assistant.drafting.drafter import Oversight
    from assistant.drafting.secrecy import parse_words

    store = get_store()
    words = parse_words(saved_settings().get("secrecy_words", ""))
    return Oversight(record=store.record_request, secrecy_words=words, origin="网页")


def need_report() -> Entry | None:
    """The current report, or a message pointing to the 报告 page."""
    entry = current_entry()
    if entry is None:
        st.info("还没有报告。请先到“报告”页新建或导入一份报告。")
    return entry
