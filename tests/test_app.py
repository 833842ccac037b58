"""Every page through AppTest and the app's own navigation, widgets by key; real SQLite, the fake OpenAI server."""

from __future__ import annotations

import html
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.checks.checking import check_report
from assistant.checks.findings import Finding
from assistant.drafting.llm import LLMSettings
from assistant.example import load_example
from assistant.format.models import Part, Report
from assistant.grids import T2_GRIDS, T3_FORM, grid_inputs, grid_values
from assistant.importers.result import Imported
from assistant.importers.word import read_docx
from assistant.store import Store
from assistant.ui.common import _findings_cached, findings_of
from assistant.ui.navigation import error_counts, page_of
from assistant.ui.pages.export import docx_bytes, json_bytes
from tests.fakeopenai import FakeOpenAI, Reply
from tests.test_store import _store_damaged


def app_at(url_path: str) -> None:
    """app.py's navigation (pages.py's pages through st.navigation), switched to one page."""
    import streamlit as st

    from assistant.ui.navigation import build_pages

    pages = build_pages()
    current = st.navigation(pages)
    wanted = [p for p in pages if p.url_path == url_path]  # none for 报告: the default page, whose path is ""
    if wanted and current.url_path != url_path:
        st.switch_page(wanted[0])
    current.run()


def page(url_path: str) -> AppTest:
    """The app opened at one page through its own navigation, as a click in the sidebar opens it."""
    assert url_path in ("reports", "tables", "text", "export", "settings")
    return AppTest.from_function(app_at, args=(url_path,), default_timeout=30)


def page_failed(at: AppTest) -> list[str]:
    """What went wrong on the page: an exception, or the message pages.py's guard shows in its place."""
    return [str(at.exception)] * bool(at.exception) + [e.value for e in at.error if "这一页出错了" in e.value]


def accept(at: AppTest) -> None:
    """Click 采用候选稿 on the text page."""
    next(b for b in at.button if b.label == "✅ 采用候选稿").click().run()
    assert not page_failed(at)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    return path


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def test_whole_app_starts_with_the_example(db: Path) -> None:
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not page_failed(at)
    assert any("三门峡市陕州区硤石乡人民政府" in m.value for m in at.markdown)
    assert Store(db).count() == 1


def test_reports_page_creates_a_new_report(db: Path) -> None:
    at = page("reports").run()
    at.text_input(key="new-agency-0").input("某县某镇人民政府")
    at.button(key="FormSubmitter:new-report-新建").click().run()
    assert not page_failed(at)
    assert [e.report.agency for e in Store(db).list()][0] == "某县某镇人民政府"
    assert Store(db).list()[0].report.short_name == "某镇"


def grid_value(rows: list[list[str]]) -> dict[str, object]:
    """What the AG Grid component sends after an edit: every row as shown (only the fields the page reads)."""
    return {
        "nodes": [
            {"rowIndex": r, "data": {"i": str(r), **{f"c{c}": v for c, v in enumerate(row)}}}
            for r, row in enumerate(rows)
        ]
    }


def test_tables_page_edit_is_saved_and_checked(db: Path) -> None:
    at = page("tables").run()
    assert not page_failed(at)
    entry = Store(db).list()[0]
    rows = grid_inputs(entry.report, T3_FORM)
    rows[0][0] = "五"
    at.session_state[f"ag-{entry.id}-表三-0"] = grid_value(rows)
    at.run()
    assert not page_failed(at)
    saved = Store(db).get(entry.id)
    assert saved is not None and saved.report.raw_cells == {"t3.new.natural": "五"}
    assert any("“五”不是数字" in m.value for m in at.markdown)


def test_tables_page_keeps_an_edit_back_to_the_first_value(db: Path) -> None:
    """0 → 3 → 0 in 表二 行政许可: the last 0 is saved (the grid used to drop an edit back to its first value)."""
    at = page("tables").run()
    entry = Store(db).list()[0]
    grid = T2_GRIDS[1]
    first = grid_inputs(entry.report, grid)
    for typed in ("3", "0", "两件", "0", ""):
        rows = [list(r) for r in first]
        rows[0][0] = typed
        at.session_state[f"ag-{entry.id}-{grid.name}-0"] = grid_value(rows)
        at.run()
        assert not page_failed(at)
        saved = Store(db).get(entry.id)
        assert saved is not None and grid_values(saved.report, grid)[0][0] == typed
    assert not any("别处" in w.value for w in at.warning)


def test_tables_page_says_when_another_tab_changed_a_figure(db: Path) -> None:
    at = page("tables").run()
    entry = Store(db).list()[0]
    Store(db).update(entry.id, lambda r: r.cells.__setitem__("t2.licensing.decisions", 7))
    at.run()
    assert any("别处" in w.value and "行政许可" in w.value and "→ 7" in w.value for w in at.warning)


def test_text_page_drafts_offline_and_keeps_a_version(db: Path) -> None:
    at = page("text").run()
    assert not page_failed(at)
    before = Store(db).list()[0].report.parts["overview"].text
    at.button(key="draft-overview").click().run()  # the part has text, so the draft is a candidate
    assert not page_failed(at)
    part = Store(db).list()[0].report.parts["overview"]
    assert part.text == before and part.candidate is not None and part.candidate.source == "offline"
    assert any("候选稿" in w.value for w in at.warning)
    assert any('title="新增"' in m.value for m in at.markdown)  # the diff is shown
    accept(at)
    report = Store(db).list()[0].report
    assert (
        report.parts["overview"].versions[-1].source == "offline"
        and report.parts["overview"].candidate is None
    )
    assert report.parts["overview"].text.startswith("2024年，硤石乡")
    # Who wrote each version is said once: "🖥️ 离线起草", never "离线起草 离线起草" or "离线起草（基于 离线起草）".
    shown = " ".join(m.value for m in at.markdown)
    assert "🖥️ 离线起草" in shown and "离线起草 离线起草" not in shown and "基于 离线起草" not in shown


def test_text_page_drafts_every_empty_part_and_says_so(db: Path) -> None:
    at = page("text").run()  # the first run stores the example
    store = Store(db)
    entry = store.list()[0]

    def empty_two(report: Report) -> None:
        for key in ("other", "problems.issues"):
            report.parts[key].text = ""

    store.update(entry.id, empty_two)
    at.run()
    at.button(key="draft-all").click().run()
    assert not page_failed(at)
    parts = Store(db).list()[0].report.parts
    assert parts["other"].text and parts["problems.issues"].text
    assert any("已起草 2 个部分" in t.value for t in at.toast)


def test_text_page_lists_the_findings_the_sidebar_counts_for_it(db: Path) -> None:
    at = page("text").run()  # the first run stores the example
    store = Store(db)
    entry = store.list()[0]
    store.update(entry.id, lambda r: setattr(r.parts["other"], "text", ""))
    at.run()
    folded = [e for e in at.expander if e.label.startswith("本页的检查结果")]
    assert folded and "🔴 1 个错误" in folded[0].label
    assert any("正文各部分" in m.value and "EMPTY" in m.value for m in folded[0].markdown)  # named in Chinese


def test_text_page_drafts_and_refines_with_a_model(db: Path, fake: FakeOpenAI) -> None:
    fake.reply(
        Reply(text="硤石乡坚持公开为常态，不公开为例外。"),
        Reply(text="硤石乡坚持公开为常态，持续更新政府网站信息16条。"),
    )
    at = page("text")
    at.session_state["llm_settings"] = LLMSettings(
        base_url=fake.url, api_key="k", model="fake-model", timeout=5
    )
    at.run()
    at.button(key="draft-overview").click().run()
    assert not page_failed(at)
    accept(at)
    at.chat_input(key=f"chat-{Store(db).list()[0].id}-overview").set_value("加上网站发布的数量").run()
    assert not page_failed(at)
    assert Store(db).list()[0].report.parts["overview"].text == "硤石乡坚持公开为常态，不公开为例外。"
    accept(at)
    part = Store(db).list()[0].report.parts["overview"]
    assert part.text == "硤石乡坚持公开为常态，持续更新政府网站信息16条。"
    assert [v.source for v in part.versions] == ["import", "llm", "llm"] and part.versions[
        -1
    ].instruction == "加上网站发布的数量"
    assert any(m.value == "加上网站发布的数量" for m in at.markdown)


def test_text_page_endpoint_down_keeps_text(db: Path) -> None:
    at = page("text")
    at.session_state["llm_settings"] = LLMSettings(
        base_url="http://127.0.0.1:9/v1", api_key="k", model="m", timeout=2, max_retries=0
    )
    at.run()
    before = Store(db).list()[0].report.parts["overview"].text
    at.button(key="draft-overview").click().run()
    assert not page_failed(at)
    assert any("无法连接" in e.value for e in at.error)
    assert Store(db).list()[0].report.parts["overview"].text == before


def test_export_page_and_its_downloads(db: Path) -> None:
    at = page("export").run()
    assert not page_failed(at)
    report = Store(db).list()[0].report
    back = read_docx(docx_bytes(report)).report
    assert back.agency == report.agency and back.parts["other"].text == report.parts["other"].text
    assert b'"schema_version": 1' in json_bytes(report) and b"api_key" not in json_bytes(report)


def test_export_page_makes_the_pdf_only_on_a_click(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.ui.pages import export

    made: list[str] = []
    monkeypatch.setattr(export, "pdf_available", lambda: True)
    monkeypatch.setattr(export, "render_pdf", lambda report: made.append(report.agency) or b"%PDF-1.7 fake")
    at = page("export").run()
    assert not page_failed(at) and made == []  # visiting the page converts nothing
    entry = Store(db).list()[0]
    at.button(key=f"pdf-{entry.id}-make").click().run()
    assert not page_failed(at) and made == [entry.report.agency]
    assert at.session_state[f"pdf-{entry.id}"][1] == b"%PDF-1.7 fake"
    at.run()  # a rerun serves the PDF already made
    assert made == [entry.report.agency]


def test_export_page_without_libreoffice_says_how_to_get_a_pdf(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.ui.pages import export

    monkeypatch.setattr(export, "pdf_available", lambda: False)
    at = page("export").run()
    assert not page_failed(at)
    assert any("LibreOffice" in c.value for c in at.caption)
    assert f"pdf-{Store(db).list()[0].id}-make" not in [b.key for b in at.button]


def test_settings_page_tests_the_connection(db: Path, fake: FakeOpenAI) -> None:
    at = page("settings")
    at.session_state["llm_settings"] = LLMSettings(
        base_url=fake.url, api_key="k", model="fake-model", timeout=5
    )
    at.run()
    fake.reply(Reply(text="收到"))
    at.button(key="test-connection").click().run()
    assert any("连接成功" in s.value for s in at.success)
    at.radio(key=f"font-{Store(db).list()[0].id}").set_value("仿宋").run()
    assert Store(db).list()[0].report.body_font == "仿宋"


def test_drafting_a_part_with_imported_text_keeps_that_text(db: Path) -> None:
    imported = load_example()
    text = "本机关全年主动公开政府信息120条，其中规范性文件3件。"
    imported.parts["other"] = Part(text=text)  # as an importer leaves it: text, no notes, no version
    report_id = Store(db).add(imported)
    at = page("text").run()
    at.selectbox(key=f"part-{report_id}").set_value("other").run()
    at.button(key="draft-other").click().run()
    assert not page_failed(at)
    accept(at)
    part = Store(db).list()[0].report.parts["other"]
    assert part.text != text and part.notes == text
    assert [(v.text, v.source) for v in part.versions] == [(text, "import"), (part.text, "offline")]


def test_a_new_report_starts_blank_and_zero_buttons_fill_it(db: Path) -> None:
    at = page("reports").run()
    at.text_input(key="new-agency-0").input("某县某镇人民政府")
    at.button(key="FormSubmitter:new-report-新建").click().run()
    entry = Store(db).list()[0]
    assert entry.report.origin == "form" and set(entry.report.cells.values()) == {None}
    export = page("export").run()
    assert any("还有 160 个单元格未填写" in w.value for w in export.warning) and not export.success
    tables = page("tables").run()
    assert any("表三还有 138 个单元格未填写" in m.value for m in tables.markdown)
    tables.button(key=f"no-requests-{entry.id}").click().run()
    assert not page_failed(tables) and any("表三的 138 个空白单元格填为 0" in s.value for s in tables.success)
    # What the grid shows, not only what is saved: the grid is drawn anew with the saved rows, and no notice of a
    # change made elsewhere (this page made it).
    drawn = tables.session_state[f"drawn-{entry.id}-表三"]
    assert drawn[0][0] == "0" and tables.session_state[f"generation-{entry.id}-表三"] >= 1
    assert not any("别处" in w.value for w in tables.warning)
    tables.button(key=f"zero-{entry.id}-二").click().run()
    tables.button(key=f"zero-{entry.id}-四").click().run()
    report = Store(db).get(entry.id).report  # type: ignore[union-attr]
    assert report.cells["t3.new.natural"] == 0 and report.cells["t4.review.upheld"] == 0
    assert (
        report.fee_amount_wan == 0 and report.cells["t3.carried_out.natural"] is None
    )  # computed, not typed
    assert not [w for w in page("export").run().warning if "未填写" in w.value]


def test_no_requests_is_refused_beside_a_typed_application(db: Path) -> None:
    at = page("tables").run()
    entry = Store(db).list()[0]
    Store(db).update(entry.id, lambda r: r.cells.update({"t3.new.legal": 2}))
    at.run()
    at.button(key=f"no-requests-{entry.id}").click().run()
    assert any("法律服务机构为“2”" in e.value for e in at.error)
    assert Store(db).get(entry.id).report.cells["t3.new.legal"] == 2  # type: ignore[union-attr]


def test_next_years_report_in_the_app_carries_and_starts_blank(db: Path) -> None:
    at = page("reports").run()
    last = Store(db).list()[0]
    assert at.selectbox(key="last-year-choice").value is None  # nothing chosen for the clerk
    assert at.button(key="from-last-year").disabled
    box = at.selectbox(key="last-year-choice")
    box.set_value(next(o for o in box.options if f"（#{last.id}）" in o)).run()
    at.button(key="from-last-year").click().run()
    assert not page_failed(at)
    new = Store(db).list()[0]
    assert new.previous_id == last.id and new.report.year == last.report.year + 1
    assert new.report.origin == "form" and new.report.cells["t3.carried_in.natural"] == 0
    assert new.report.cells["t2.rules.valid"] == last.report.cells["t2.rules.valid"]
    assert new.report.cells["t3.new.natural"] is None and new.report.fee_amount_wan is None


def test_a_damaged_report_is_listed_with_its_reason_and_can_be_deleted(db: Path) -> None:
    store, good, bad = _store_damaged(db)
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not page_failed(at) and not at.error
    shown = " ".join(m.value for m in at.markdown)
    assert "已损坏" in shown and "报告年度“1900”" in shown
    assert any(w.value.startswith("有 1 份报告的内容无法读取") for w in at.warning)
    at.checkbox(key=f"confirm-delete-damaged-{bad}").check().run()
    at.button(key=f"delete-damaged-{bad}").click().run()
    assert not page_failed(at)
    assert [e.id for e in store.list()] == [good] and store.scan()[1] == []


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e999999999"])
def test_a_fee_that_is_no_number_never_bricks_the_app(db: Path, typed: str) -> None:
    at = page("tables").run()
    entry = Store(db).list()[0]
    grid = T2_GRIDS[2]
    rows = grid_inputs(entry.report, grid)
    rows[0][0] = typed  # 本年收费金额（单位：万元）
    at.session_state[f"ag-{entry.id}-{grid.name}-0"] = grid_value(rows)
    at.run()
    assert not page_failed(at)
    home = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not page_failed(home) and not home.error and Store(db).scan()[1] == []
    assert any("三门峡市陕州区硤石乡人民政府" in m.value for m in home.markdown)


def test_a_save_the_database_refuses_is_said_on_the_page(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = page("tables").run()
    entry = Store(db).list()[0]
    connect = sqlite3.connect
    # The file turns read-only under the running app (chmod does not stop root, so SQLite is told so).
    monkeypatch.setattr(
        "assistant.store.sqlite3.connect", lambda p, **kw: connect(f"file:{p}?mode=ro", uri=True, **kw)
    )
    from assistant.ui.common import _store_at

    _store_at.clear()
    rows = grid_inputs(entry.report, T3_FORM)
    rows[0][0] = "5"  # 一、本年新收 自然人
    at.session_state[f"ag-{entry.id}-表三-0"] = grid_value(rows)
    at.run()
    assert not page_failed(at)
    assert any("不能写入" in e.value and "权限" in e.value for e in at.error)
    saved = Store(db).get(entry.id)
    assert saved is not None and saved.revision == entry.revision


def test_a_corrupt_database_gets_a_message_and_is_left_alone(db: Path) -> None:
    garbage = b"not a database at all " * 200
    db.write_bytes(garbage)
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not page_failed(at)
    assert any(str(db) in html.unescape(e.value) and "损坏" in e.value for e in at.error)
    assert db.read_bytes() == garbage


class _Upload:
    """What st.file_uploader returns (AppTest cannot upload a file)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_importing_a_year_too_large_for_the_database_is_a_message(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(json_bytes(load_example()))
    data["year"] = 10**100
    upload = _Upload("![](http://10.255.255.1/x.png).json", json.dumps(data).encode())
    monkeypatch.setattr("streamlit.file_uploader", lambda *a, **kw: upload)
    at = page("reports").run()
    at.button(key="do-import").click().run()
    assert not page_failed(at)
    assert any(e.value.startswith("无法导入“&#33;&#91;&#93;&#40;http\u2060&#58;") for e in at.error)
    assert Store(db).count() == 1


def test_settings_page_bad_url_and_credentials(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://user:KEY-123@[::1")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("ASSISTANT_MODEL", "m")
    at = page("settings").run()
    assert not page_failed(at)
    url_box = next(t for t in at.text_input if t.label.startswith("接口地址"))
    assert "KEY-123" not in url_box.value and url_box.value == "http://[::1"
    at.button(key="test-connection").click().run()
    assert not page_failed(at)
    assert any("连接失败" in e.value and "格式不对" in e.value for e in at.error)
    assert all("KEY-123" not in html.unescape(e.value) for e in at.error)
    # Saved unchanged, the field keeps the credentials it does not show; a bad URL typed in is refused.
    at.button(key="FormSubmitter:llm-保存设置").click().run()
    assert any("没有保存" in e.value for e in at.error)


def test_settings_page_keeps_hidden_credentials_when_saved_unchanged(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://user:KEY-123@127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("ASSISTANT_MODEL", "m")
    at = page("settings").run()
    url_box = next(t for t in at.text_input if t.label.startswith("接口地址"))
    assert url_box.value == "http://127.0.0.1:9/v1"
    at.button(key="FormSubmitter:llm-保存设置").click().run()
    assert at.session_state["llm_settings"].base_url == "http://user:KEY-123@127.0.0.1:9/v1"


def test_text_page_says_when_an_answer_was_cut(db: Path, fake: FakeOpenAI) -> None:
    fake.reply(Reply(text="硤石乡坚持公开为常态。依托政府网站公开信息，并且", finish="length"))
    at = page("text")
    at.session_state["llm_settings"] = LLMSettings(
        base_url=fake.url, api_key="k", model="fake-model", timeout=5
    )
    at.run()
    at.button(key="draft-overview").click().run()
    assert not page_failed(at)
    assert any("长度上限" in w.value and "没有采用" in w.value for w in at.warning)
    candidate = Store(db).list()[0].report.parts["overview"].candidate
    assert candidate is not None and candidate.text == "硤石乡坚持公开为常态。"


def test_a_report_the_checks_trip_on_still_lists_and_every_page_stays_up(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def trip(*args: object) -> None:
        raise ArithmeticError("a value no check foresaw")

    monkeypatch.setattr("assistant.ui.common.check_report", trip)
    _findings_cached.clear()  # findings of the same report may be cached by an earlier test
    monkeypatch.setattr("assistant.ui.pages.tables.grid_values", trip)
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not page_failed(at)
    assert any("三门峡市陕州区硤石乡人民政府" in m.value for m in at.markdown)  # the list is there

    tables = page("tables").run()
    assert not tables.exception  # the guard says it on the page instead
    assert [f.split("，")[0] for f in page_failed(tables)] == ["这一页出错了（ArithmeticError）"]
    findings = findings_of(Store(db).list()[0])  # the finding that says the report could not be checked
    assert [(f.rule, f.severity) for f in findings] == [("CELL", "cannot-check")]
    assert "无法核对" in findings[0].message


def test_a_damaged_report_can_be_repaired_from_the_list(db: Path) -> None:
    store, _, bad = _store_damaged(db)
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    at.number_input(key=f"repair-year-{bad}").set_value(2023).run()
    at.button(key=f"repair-{bad}").click().run()
    assert not page_failed(at) and not at.error
    assert any("已修复：年度改为 2023 年" in i.value for i in at.info)
    repaired = store.get(bad)
    assert store.scan()[1] == [] and repaired is not None and repaired.report.year == 2023


def test_a_database_damaged_inside_gets_a_message_on_every_page(db: Path) -> None:
    Store(db).add(load_example())
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xa5" * 4096  # the reports table's first page: the header still says SQLite
    db.write_bytes(bytes(data))
    at = AppTest.from_file("../app.py", default_timeout=30).run()
    assert not page_failed(at)
    assert any("损坏" in e.value and str(db) in html.unescape(e.value) for e in at.error)
    assert db.read_bytes() == bytes(data)


@pytest.mark.parametrize(
    ("rule", "cells", "page_name"),
    [
        ("CELL", ("t3.new.natural",), "tables"),
        ("T3-BALANCE", (), "tables"),
        ("YOY-CARRY", ("t3.carried_in.total",), "tables"),
        ("T4-SUM", ("t4.review.total",), "tables"),
        ("EMPTY", ("part.overview",), "text"),
        ("TEXT-TABLE", ("part.overview", "t3.new.total"), "text"),
        ("GB2312", ("report.agency", "part.overview.active"), "text"),
        ("CELL", ("report.info_fee_yuan",), "reports"),
    ],
)
def test_each_finding_counts_on_its_own_page(rule: str, cells: tuple[str, ...], page_name: str) -> None:
    assert page_of(Finding(rule, "error", cells, "")) == page_name


def test_errors_in_the_text_do_not_count_on_the_tables_page() -> None:
    report = load_example()
    for part in report.parts.values():
        part.text = ""
    counts = error_counts(check_report(report))
    assert counts["tables"] == 0 and counts["text"] >= 3


def test_new_report_is_confirmed_by_a_toast(db: Path) -> None:
    at = page("reports").run()
    at.text_input[0].input("某县某镇人民政府")
    at.button(key="FormSubmitter:new-report-新建").click().run()
    assert any("已新建：某县某镇人民政府" in t.value for t in at.toast)
    assert at.text_input(key="new-agency-1").value == ""  # the form is drawn anew, empty, for the next one


def test_a_second_report_of_one_body_and_year_is_asked_about(db: Path) -> None:
    at = page("reports").run()
    example = Store(db).list()[0]
    at.text_input(key="new-agency-0").input(example.report.agency)
    at.number_input(key="new-year-0").set_value(example.report.year)
    at.button(key="FormSubmitter:new-report-新建").click().run()
    assert Store(db).count() == 1
    assert any(f"（#{example.id}），请在上面的列表中打开它" in e.value for e in at.error)
    assert at.text_input(key="new-agency-0").value == example.report.agency  # what was typed is kept
    at.checkbox(key="new-anyway-0").check()
    at.button(key="FormSubmitter:new-report-新建").click().run()
    assert Store(db).count() == 2
    assert not at.checkbox(key="new-anyway-1").value  # the next new report is asked about again
    # Two of one body and year: the list tells them apart by number.
    assert any(f"（#{example.id}）" in m.value for m in at.markdown)


def test_last_year_choices_by_agency_then_latest_year_and_an_existing_year_is_named(db: Path) -> None:
    store = Store(db)
    for agency, year in (("乙镇人民政府", 2024), ("甲镇人民政府", 2023), ("甲镇人民政府", 2024)):
        store.add(Report(agency=agency, year=year))
    at = page("reports").run()
    box = at.selectbox(key="last-year-choice")
    agencies_years = [o.split("（#")[0] for o in box.options]
    # 乙 sorts before 甲 (by code point); within one body the latest year comes first.
    assert agencies_years == ["乙镇人民政府 2024年", "甲镇人民政府 2024年", "甲镇人民政府 2023年"]
    assert not any("已经有了" in w.value for w in at.warning)
    box.set_value(box.options[2]).run()
    assert any("甲镇人民政府 2024年的报告已经有了" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("button", "count", "replaced"), [("import-replace", 1, True), ("import-keep", 2, False)]
)
def test_import_of_an_existing_year_asks_replace_or_keep_both(
    db: Path, button: str, count: int, replaced: bool
) -> None:
    at = page("reports").run()
    existing = Store(db).list()[0]
    again = existing.report.model_copy(deep=True)
    again.contact_phone = "0398-1234567"
    at.session_state["import-pending"] = Imported(again)
    at.run()
    assert any("要替换它，还是两份都保留" in w.value for w in at.warning)
    assert Store(db).count() == 1  # nothing saved before the clerk answers
    at.button(key=button).click().run()
    assert not page_failed(at)
    entries = Store(db).list()
    assert len(entries) == count
    old = Store(db).get(existing.id)
    assert old is not None and (old.report.contact_phone == "0398-1234567") == replaced
    assert any("已导入" in t.value for t in at.toast)


def test_tables_page_pastes_a_block_and_says_where(db: Path) -> None:
    at = page("tables").run()
    entry = Store(db).list()[0]
    at.text_area(key="paste-text-t3").input("一、本年新收政府信息公开申请数量\t4\t1\n（一）予以公开\t4\t1")
    at.button(key="paste-go-t3").click().run()
    assert not page_failed(at)
    saved = Store(db).get(entry.id)
    assert (
        saved is not None
        and saved.report.cells["t3.new.natural"] == 4
        and saved.report.cells["t3.r1.business"] == 1
    )
    assert any("已填入 4 格" in s.value for s in at.success)
    at.text_area(key="paste-text-t3").input("\n".join(["1"] * 40))
    at.button(key="paste-go-t3").click().run()
    assert any("超出了表格" in e.value for e in at.error)
    after = Store(db).get(entry.id)
    assert after is not None and after.revision == saved.revision  # nothing changed


def test_settings_stay_across_sessions_and_the_key_is_never_saved(db: Path) -> None:
    at = page("settings").run()
    at.selectbox(key="preset").set_value("Ollama（本地）").run()
    assert not page_failed(at)
    next(t for t in at.text_input if t.label == "API Key").input("sk-typed-777")
    at.button(key="FormSubmitter:llm-保存设置").click().run()
    assert any("已保存" in s.value for s in at.success)
    again = page("settings").run()  # a reload: a new session, nothing in session_state
    assert next(t for t in again.text_input if t.label == "模型名称").value == "qwen2.5:7b"
    assert again.selectbox(key="preset").value == "Ollama（本地）"
    assert Store(db).settings()["base_url"] == "http://127.0.0.1:11434/v1"
    assert "sk-typed-777" not in db.read_bytes().decode("utf-8", "replace")


def test_local_presets_come_first_and_a_cloud_one_says_where_the_text_goes_once(db: Path) -> None:
    at = page("settings").run()
    options = at.selectbox(key="preset").options
    assert [o.endswith("（本地）") for o in options[1:5]] == [True] * 4 and "（云端）" in options[-1]
    at.selectbox(key="preset").set_value("DeepSeek").run()
    assert any("api.deepseek.com" in html.unescape(w.value) for w in at.warning)
    at.run()
    assert not any("api.deepseek.com" in html.unescape(w.value) for w in at.warning)
    assert any("api.deepseek.com" in html.unescape(c.value) for c in at.caption)


def test_test_connection_tests_what_is_in_the_form(db: Path, fake: FakeOpenAI) -> None:
    at = page("settings").run()
    next(t for t in at.text_input if t.label.startswith("接口地址")).input(fake.url)
    next(t for t in at.text_input if t.label == "模型名称").input("form-model")
    fake.reply(Reply(text="收到"))
    at.button(key="test-connection").click().run()
    assert any("连接成功" in s.value and "form-model" in html.unescape(s.value) for s in at.success), [
        e.value for e in at.error
    ]
    assert fake.requests[-1]["model"] == "form-model"
    assert "model" not in Store(db).settings()  # tested, not saved
    assert [(r.part, r.model, r.outcome) for r in Store(db).audit_log()] == [("测试连接", "form-model", "ok")]


def test_a_marked_note_sends_nothing_from_the_page_and_the_log_shows_it(db: Path, fake: FakeOpenAI) -> None:
    store = Store(db)
    report = load_example()
    report.parts["overview"].notes = "依据秘密★1年文件开展工作"
    store.add(report)
    at = page("text")
    at.session_state["llm_settings"] = LLMSettings(
        base_url=fake.url, api_key="k", model="fake-model", timeout=5
    )
    at.run()
    at.button(key="draft-overview").click().run()
    assert not page_failed(at)
    assert any("没有发送" in e.value and "秘密★1年" in html.unescape(e.value) for e in at.error)
    assert fake.requests == []
    fake.reply(Reply(text="硤石乡坚持公开为常态。"))
    at.selectbox(key=f"part-{store.list()[0].id}").set_value("other").run()
    at.button(key="draft-other").click().run()
    assert [r.outcome for r in store.audit_log()] == ["ok", "refused"]
    settings = page("settings").run()
    assert not page_failed(settings) and len(settings.dataframe) == 1
    assert list(settings.dataframe[0].value["结果"]) == ["完成", "密级拦截"]


def test_an_edit_made_elsewhere_meanwhile_is_never_overwritten(db: Path) -> None:
    tab_a, tab_b = page("text").run(), page("text").run()
    entry = Store(db).list()[0]
    widget = f"text-{entry.id}-overview-{entry.revision}"
    tab_a.text_area(key=widget).input("甲标签页的文字。").run()
    assert Store(db).list()[0].report.parts["overview"].text == "甲标签页的文字。"
    tab_b.text_area(key=widget).input("乙标签页的文字。").run()
    assert not page_failed(tab_b)
    assert Store(db).list()[0].report.parts["overview"].text == "甲标签页的文字。"
    assert any("另一处" in e.value for e in tab_b.error)
    assert "甲标签页的文字。" in [t.value for t in tab_b.text]
    next(b for b in tab_b.button if b.label == "保留我的修改").click().run()
    part = Store(db).list()[0].report.parts["overview"]
    assert part.text == "乙标签页的文字。" and "甲标签页的文字。" in [v.text for v in part.versions]


def test_notes_changed_elsewhere_are_shown_both_and_keeping_theirs_keeps_theirs(db: Path) -> None:
    tab_a, tab_b = page("text").run(), page("text").run()
    entry = Store(db).list()[0]
    widget = f"notes-{entry.id}-overview-{entry.revision}"
    tab_a.text_area(key=widget).input("甲的要点").run()
    tab_b.text_area(key=widget).input("乙的要点").run()
    assert any("要点" in e.value and "另一处" in e.value for e in tab_b.error)
    next(b for b in tab_b.button if b.label == "保留另一处的").click().run()
    assert Store(db).list()[0].report.parts["overview"].notes == "甲的要点"
    assert not any("另一处" in e.value for e in tab_b.error)


def test_an_opened_report_stays_current_when_the_url_loses_its_parameter(db: Path) -> None:
    """Streamlit drops ?report=N on a move between pages: the report the clerk opened must stay the current one."""
    store = Store(db)
    first = store.add(load_example())
    other = load_example()
    other.agency, other.short_name = "某县某镇人民政府", "某镇"
    second = store.add(other)
    at = page("reports").run()
    at.button(key=f"open-{first}").click().run()
    assert at.query_params["report"] in (str(first), [str(first)])
    at.query_params.clear()  # what a click in the sidebar does to the URL
    at.run()
    assert not page_failed(at)
    assert any(f"当前报告：{load_example().agency}" in c.value for c in at.sidebar.caption)
    assert at.query_params["report"] in (str(first), [str(first)])
    assert second != first
