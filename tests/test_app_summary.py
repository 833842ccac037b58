"""The 汇总 page through AppTest and the app's navigation: stored and uploaded reports summed, the roster, downloads."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from assistant.format.models import report_to_json
from assistant.store import Store
from tests.test_app import app_at, page_failed
from tests.test_rollup import _report


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "app.db"
    monkeypatch.setenv("ASSISTANT_DB", str(path))
    return path


def summary_page() -> AppTest:
    return AppTest.from_function(app_at, args=("summary",), default_timeout=60)


def _upload(at: AppTest, files: dict[str, bytes]) -> AppTest:
    at.radio(key="summary-source").set_value("上传文件").run()
    at.file_uploader(key="summary-files").set_value(
        [(n, d, "application/octet-stream") for n, d in files.items()]
    )
    return at.run()


def _sums(at: AppTest, title: str) -> dict[str, tuple[str, int, str]]:
    tab = next(t for t in at.tabs if t.label == title)
    frame = tab.dataframe[0].value
    return {row["单元格"]: (row["合计"], row["填报机关数"], row["空白的机关"]) for _, row in frame.iterrows()}


class _KeptStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media store, kept after the run so a test can read what a download button serves."""

    last: MemoryMediaFileStorage | None = None

    def __init__(self, media_endpoint: str) -> None:
        super().__init__(media_endpoint)
        _KeptStorage.last = self


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _KeptStorage)


def _download(at: AppTest, key: str) -> bytes:
    """The bytes a download button serves, from the media store of the last run."""
    url = at.download_button(key=key).proto.url
    assert _KeptStorage.last is not None
    return bytes(_KeptStorage.last.get_file(url.rsplit("/", 1)[-1]).content)


def _texts(at: AppTest) -> str:
    return "\n".join(e.value for kind in (at.error, at.warning, at.info, at.success) for e in kind)


def test_stored_reports_of_one_year_are_summed_by_default(db: Path) -> None:
    store = Store(db)
    store.add(_report("甲县交通运输局", applications=3))
    store.add(_report("甲县水利局", applications=4))
    store.add(_report("甲县民政局", 2023, applications=9))
    at = summary_page().run()
    assert not page_failed(at)
    assert at.selectbox(key="summary-year").value == 2024
    assert len(at.multiselect(key="summary-reports-2024").value) == 2  # the 2023 report is not chosen
    bodies = at.dataframe(key="summary-findings").value
    assert sorted(bodies["机关"]) == ["甲县交通运输局", "甲县水利局"]
    assert _sums(at, "表三")["一、本年新收 自然人"] == ("7", 2, "")
    assert _sums(at, "表二")["行政许可"] == ("70", 2, "")
    assert _sums(at, "表二")["行政事业性收费"][0] == "3.0"
    # 2023 chosen: the one report of that year alone
    at.selectbox(key="summary-year").set_value(2023).run()
    assert list(at.dataframe(key="summary-findings").value["机关"]) == ["甲县民政局"]
    assert _sums(at, "表三")["一、本年新收 自然人"] == ("9", 1, "")


def test_an_uploaded_folder_with_a_bad_file_sums_the_others(db: Path) -> None:
    blank = _report("甲县教育局", applications=5)
    blank.cells["t2.licensing.decisions"] = None
    files = {
        "a.json": report_to_json(_report("甲县交通运输局", applications=3)).encode(),
        "b.json": report_to_json(blank).encode(),
        "again.json": report_to_json(_report("甲县交通运输局", applications=40)).encode(),
        "404.html": "<html><head><title>404</title></head><body>页面不存在</body></html>".encode(),
        "broken.json": b"{",
    }
    at = _upload(summary_page().run(), files)
    assert not page_failed(at)
    said = _texts(at)
    assert "2 个文件无法读取" in said and "404&#46;html" in said and "broken&#46;json" in said
    assert "计入“a&#46;json”，未计入“again&#46;json”" in said
    assert sorted(at.dataframe(key="summary-findings").value["报告"]) == ["a.json", "b.json"]
    assert _sums(at, "表三")["一、本年新收 自然人"] == ("8", 2, "")
    assert _sums(at, "表二")["行政许可"] == ("30", 1, "甲县教育局")


def test_a_whole_folder_can_be_chosen(db: Path) -> None:
    at = summary_page().run()
    at.radio(key="summary-source").set_value("上传文件").run()
    at.toggle(key="summary-folder").set_value(True).run()
    assert at.file_uploader(key="summary-folder-files").accept_directory


def test_too_many_files_are_refused_with_a_message(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("assistant.ui.pages.summary.MAX_FILES", 2)
    one = report_to_json(_report("甲县水利局")).encode()
    at = _upload(summary_page().run(), {"a.json": one, "b.json": one, "c.json": one})
    assert not page_failed(at)
    assert any("一次最多汇总 2 个文件，现在选了 3 个" in e.value for e in at.error)
    assert not at.dataframe


def test_a_roster_names_the_missing_and_the_unknown(db: Path) -> None:
    store = Store(db)
    store.add(_report("甲县交通运输局", applications=3))
    store.add(_report("甲县水利局", applications=4))
    at = summary_page().run()
    at.text_area(key="summary-roster-text").input("甲县交通运输局\n\n甲县财政局\n甲县水务局\n").run()
    assert not page_failed(at)
    assert any("名单上有 2 个机关没有2024年度报告：甲县财政局、甲县水务局" in e.value for e in at.error)
    assert any("1 个机关不在名单上" in w.value and "甲县水利局" in w.value for w in at.warning)
    # a roster that is no roster: said, and the roll-up still shown
    at.text_area(key="summary-roster-text").input("机关名称\n").run()
    assert any("粘贴的名单无法使用：名单是空的" in e.value for e in at.error)
    assert len(at.dataframe(key="summary-findings").value) == 2


def test_the_workbook_and_overview_downloads(db: Path, downloads: None) -> None:
    store = Store(db)
    store.add(_report("甲县交通运输局", applications=3))
    store.add(_report("甲县水利局", applications=4))
    at = summary_page().run()
    assert not page_failed(at)
    book = load_workbook(io.BytesIO(_download(at, "summary-xlsx")))
    assert book.sheetnames == ["汇总", "表二", "表三", "表四", "检查结果", "缺报与其他"]
    rows = list(book["表三"].iter_rows(values_only=True))
    assert rows[-2][0] == "合计" and rows[-2][2] == 7  # 自然人 of （一）本年新收, the first figure of 表三
    page = _download(at, "summary-html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "共 2 份报告" in page and "<script" not in page


def test_the_summary_is_stored_as_a_new_current_report(db: Path) -> None:
    store = Store(db)
    store.add(_report("甲县交通运输局", applications=3))
    store.add(_report("甲县水利局", applications=4))
    at = summary_page().run()
    at.button(key="summary-start").click().run()
    assert any("请填写本级政府名称" in e.value for e in at.error)
    assert store.count() == 2
    at.text_input(key="summary-agency").input("甲县人民政府")
    at.button(key="summary-start").click().run()
    assert not page_failed(at)
    assert store.count() == 3
    new = max(store.list(), key=lambda e: e.id)
    assert (new.report.agency, new.report.short_name, new.report.year) == ("甲县人民政府", "甲县", 2024)
    assert new.report.cells["t3.new.natural"] == 7 and new.report.parts["overview"].text == ""
    assert at.query_params["report"] == str(new.id)
    assert any("已新建“甲县人民政府 2024年”报告" in s.value for s in at.success)
    # summed again: the government's own report is left out by default, and said so
    again = summary_page().run()
    assert sorted(again.multiselect(key="summary-reports-2024").value) == [1, 2]
    said = [html.unescape(c.value) for c in again.caption]
    assert any("默认未计入" in c and "甲县人民政府 2024年（#3）" in c for c in said)
    assert "像是本级政府自己的报告" not in " ".join(html.unescape(w.value) for w in again.warning)
    # added back by hand, it is counted, with a warning that it may count the bodies twice
    again.multiselect(key="summary-reports-2024").select(3).run()
    assert any(
        "“甲县人民政府 2024年（#3）”像是本级政府自己的报告" in html.unescape(w.value) for w in again.warning
    )


def test_of_two_copies_of_one_body_the_fuller_is_counted(db: Path) -> None:
    store = Store(db)
    full = store.add(_report("甲县水利局", applications=4))
    other = store.add(_report("甲县交通运输局", applications=3))
    empty = _report("甲县水利局")
    empty.cells = dict.fromkeys(empty.cells)  # a copy made by mistake, nothing filled in
    spare = store.add(empty)
    at = summary_page().run()
    assert not page_failed(at)
    assert sorted(at.multiselect(key="summary-reports-2024").value) == sorted([full, other])
    said = [html.unescape(c.value) for c in at.caption]
    assert any("同一机关同一年度的另一份报告" in c and f"（#{spare}）" in c for c in said)


def test_reports_whose_agency_was_not_read_are_not_taken_for_copies(db: Path) -> None:
    store = Store(db)
    first, second = store.add(_report("", applications=2)), store.add(_report("", applications=5))
    at = summary_page().run()
    assert sorted(at.multiselect(key="summary-reports-2024").value) == sorted([first, second])
