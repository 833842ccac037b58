"""正文 and 导出 mark the text against the report as it is now; 导出 is not green while a placeholder remains."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.drafting.drafter import adopt
from assistant.example import load_example
from assistant.format.models import Report, Version
from assistant.store import Store
from tests.test_app import page

STALE = "公开行政许可决定3件。"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    return path


def _stale_draft(db: Path, newer: bool) -> int:
    """The example with a draft saved (unmarked) when 行政许可 was 3, then the cell set to 0; maybe a newer text."""

    def change(report: Report) -> None:
        report.cells["t2.licensing.decisions"] = 3
        adopt(report, "overview.active", Version(text=STALE, source="llm", model="m"))
        report.cells["t2.licensing.decisions"] = 0
        if newer:
            adopt(report, "overview.active", Version(text="依托政府网站公开信息16条。", source="human"))

    store = Store(db)
    report_id = store.add(load_example())
    store.update(report_id, change)
    return report_id


def _open_part(report_id: int, key: str) -> AppTest:
    at = page("text")
    at.query_params["report"] = str(report_id)
    at.run()
    at.selectbox(key=f"part-{report_id}").set_value(key).run()
    assert not at.exception
    return at


def test_text_page_marks_a_draft_against_the_current_table(db: Path) -> None:
    report_id = _stale_draft(db, newer=False)
    at = _open_part(report_id, "overview.active")
    marked = [m.value for m in at.markdown if "<mark" in m.value]
    assert marked and "<mark" in marked[0] and ">3件</mark>" in marked[0]
    assert any("处需要核实" in w.value for w in at.warning)


def test_restored_version_is_marked_against_the_current_table(db: Path) -> None:
    report_id = _stale_draft(db, newer=True)
    entry = Store(db).get(report_id)
    assert entry is not None
    number = next(
        n for n, v in enumerate(entry.report.parts["overview.active"].versions, 1) if v.text == STALE
    )
    at = _open_part(report_id, "overview.active")
    # The kept version was saved with no marks; the list shows what it has against today's table.
    assert any(f"第{number}版" in m.value and "1 处需核实" in m.value for m in at.markdown)
    at.button(key=f"restore-overview.active-{number}").click().run()
    assert not at.exception
    assert any(f"已恢复到第{number}版" in t.value for t in at.toast)
    entry = Store(db).get(report_id)
    assert entry is not None
    restored = entry.report.parts["overview.active"].versions[-1]
    assert restored.text == STALE and [m.text for m in restored.marks] == ["3件"]
    assert any(">3件</mark>" in m.value for m in at.markdown)


def test_export_is_not_green_while_a_placeholder_remains(db: Path) -> None:
    store = Store(db)
    report_id = store.add(load_example())
    at = page("export")
    at.query_params["report"] = str(report_id)
    at.run()
    assert [s.value for s in at.success] == ["没有错误。"]  # the example is clean
    store.update(
        report_id,
        lambda r: setattr(r.parts["problems.measures"], "text", "下一步将做好以下工作：【请填写：改进措施】"),
    )
    at.run()
    assert not at.exception and not at.success
    assert any("待填写" in w.value for w in at.warning)
    assert any('<mark title="“【请填写：改进措施】”是待填写的内容' in m.value for m in at.markdown)
