"""The clerk's whole workflow in Debian's Chromium (Playwright) against `streamlit run` and a fake model."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.importers.word import read_docx
from tests.appserver import running_app
from tests.conftest import ROOT, need_tool
from tests.fakeopenai import FakeOpenAI, Reply

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DRAFT = "硤石乡坚持公开为常态、不公开为例外，认真落实《条例》要求，政务公开工作取得新进展。"
REFINED = "硤石乡坚持公开为常态、不公开为例外，依托政府网站和政务新媒体主动公开信息，政务公开工作取得新进展。"
EDITED = "这是工作人员亲手修改后的总体情况，依托政府网站公开信息16条。"
ADDED = "另加一句。"
SHOTS = ROOT / "docs" if os.environ.get("UPDATE_DOCS") == "1" else None


def responder(body: dict[str, Any]) -> Reply:
    if "修改意见" in body["messages"][-1]["content"]:
        return Reply(text=REFINED, chunk=4, pause=0.05)
    return Reply(text=DRAFT, chunk=4, pause=0.15)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[str]:
    need_tool("chromium")
    fake = FakeOpenAI(responder).start()
    env = {
        **os.environ,
        "ASSISTANT_DB": str(tmp_path / "e2e.db"),
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": "k",
        "ASSISTANT_MODEL": "fake-model",
    }
    try:
        with running_app(tmp_path, env) as (url, _):
            yield url
    finally:
        fake.stop()


def shot(page: Any, name: str) -> None:
    if SHOTS is not None:
        page.screenshot(path=str(SHOTS / f"app-{name}.png"), full_page=False)


def settled(page: Any) -> None:
    """Wait until the app has finished its run, as a clerk waits for the page to stop moving: under load a click
    made while the first run is still drawing can be overtaken by it."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=30_000)


def open_page(page: Any, name: str) -> None:
    """Move to a page by the sidebar, and wait until it is drawn and its run has ended."""
    from playwright.sync_api import expect

    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    settled(page)


def reload(page: Any, showing: str) -> None:
    """Reload, and wait until the page shows `showing` and its run has ended."""
    from playwright.sync_api import expect

    page.reload()
    expect(page.get_by_text(showing).first).to_be_visible()
    settled(page)


def grid_frame(page: Any, grid: int) -> Any:
    """The frame of the grid-th grid on the visible tab (for what only the grid's own window can do)."""
    panel = page.locator('[data-testid="stTabPanel"]:visible')
    return panel.locator("iframe").nth(grid).element_handle().content_frame()


def grid_cell(page: Any, grid: int, row: int, column: int) -> Any:
    """A cell of the grid-th grid (AG Grid, in its own frame) on the visible tab."""
    panel = page.locator('[data-testid="stTabPanel"]:visible')
    frame = panel.frame_locator("iframe").nth(grid)
    return frame.locator(f".ag-row[row-index='{row}'] .ag-cell[col-id='c{column}']")


def type_into_grid(
    page: Any, grid: int, row: int, column: int, text: str, then_visible: str | None = None
) -> None:
    """Type into a cell as a clerk does: select it, type (Backspace starts editing an empty cell), Enter."""
    from playwright.sync_api import expect

    cell = grid_cell(page, grid, row, column)
    cell.click()
    page.keyboard.press("Backspace")
    page.keyboard.insert_text(text)  # also what an input method (拼音) delivers
    page.keyboard.press("Enter")
    expect(cell).to_have_text(text.strip())
    if then_visible is not None:
        expect(page.get_by_text(then_visible).first).to_be_visible(timeout=8000)


def type_with_input_method(page: Any, text: str) -> None:
    """Type into the selected cell as an input method does: the key held back (keyCode 229, "Process"), then the
    text committed through a composition, then Enter."""
    cdp = page.context.new_cdp_session(page)
    ime = {"key": "Process", "code": "Digit8", "windowsVirtualKeyCode": 229, "nativeVirtualKeyCode": 229}
    cdp.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **ime})
    page.wait_for_timeout(150)  # a person's next key comes later still
    cdp.send("Input.imeSetComposition", {"text": text, "selectionStart": len(text), "selectionEnd": len(text)})
    cdp.send("Input.insertText", {"text": text})
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **ime})
    cdp.detach()
    page.keyboard.press("Enter")


def current_text(page: Any, holding: str) -> Any:
    """The 当前文字 box that holds this text."""
    return page.get_by_label("当前文字（可直接修改，离开输入框即保存）").filter(has_text=holding).first


def test_clerk_workflow_in_chromium(app: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=need_tool("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.set_default_timeout(30_000)
        page.goto(app)
        expect(page.get_by_text("三门峡市陕州区硤石乡人民政府").first).to_be_visible()
        settled(page)
        shot(page, "reports")

        # Create a report.
        page.get_by_text("新建报告").click()
        page.get_by_label("机关名称（全称）").fill("某县某镇人民政府")
        page.get_by_role("button", name="新建", exact=True).click()
        expect(page.get_by_text("👉 某县某镇人民政府").first).to_be_visible()
        settled(page)

        # A new report starts blank: one click says no application came in, and table 三 holds.
        open_page(page, "表格")
        page.get_by_role("tab", name="三、依申请公开").click()
        expect(page.get_by_text("表三还有 138 个单元格未填写").first).to_be_visible()
        page.get_by_role("button", name="本年度未收到政府信息公开申请").click()
        expect(page.get_by_text("表三勾稽关系全部核对通过。").first).to_be_visible()
        # Type 5 into （一）予以公开 自然人: 四、结转 is computed again, and comes out negative.
        type_into_grid(page, 0, 2, 0, "5", "表三 四、结转下年度 自然人：件数应为不小于0的整数，现为 -5")
        expect(grid_cell(page, 0, 24, 0)).to_have_class(
            re.compile("cell-error")
        )  # 四、结转 自然人, marked red
        # The finding names its cell; a click brings that cell into view, focused.
        page.get_by_role("button", name="📍 表三 四、结转下年度 自然人").click()
        expect(grid_cell(page, 0, 24, 0)).to_have_class(re.compile("ag-cell-focus"))
        expect(grid_cell(page, 0, 24, 0)).to_be_focused()  # what the clerk types next goes there
        # Text in a cell: marked red at once, the message beside; fixed below.
        type_into_grid(page, 0, 0, 1, "两件", "“两件”不是数字")
        expect(grid_cell(page, 0, 0, 1)).to_have_class(re.compile("cell-error"))
        page.mouse.move(5, 5)  # no tooltip in the pictures
        shot(page, "tables")
        page.set_viewport_size({"width": 1024, "height": 1000})
        page.wait_for_timeout(1000)
        shot(page, "tables-1024")
        page.set_viewport_size({"width": 1400, "height": 1000})
        type_into_grid(page, 0, 0, 1, "0")
        expect(grid_cell(page, 0, 0, 1)).not_to_have_class(re.compile("cell-error"))
        # Fix it: the five came in this year, in 一、本年新收 自然人.
        type_into_grid(page, 0, 0, 0, "5", "表三勾稽关系全部核对通过。")
        page.get_by_role("button", name="本年度未收到政府信息公开申请").click()
        expect(page.get_by_text("与“本年度未收到申请”不符").first).to_be_visible()

        # 表二 行政许可 0 → 3 → 0, and a cell of text fixed: every last value is saved.
        page.get_by_role("tab", name="二、主动公开").click()
        page.get_by_role("button", name="本表其余填 0", exact=False).click()
        expect(page.get_by_text("个空白单元格已填为 0").first).to_be_visible()
        page.wait_for_timeout(1500)  # the grids are drawn anew with the saved rows
        expect(grid_cell(page, 1, 0, 0)).to_have_text("0")
        for typed in ("3", "0"):
            type_into_grid(page, 1, 0, 0, typed)
        type_into_grid(page, 1, 1, 0, "两件", "“两件”不是数字")
        type_into_grid(page, 1, 1, 0, "4")
        expect(page.get_by_text("“两件”不是数字")).to_have_count(0)
        # 表四 typed fast, as a practised clerk does: each figure, Enter, the next; Tab to the next column.
        page.get_by_role("tab", name="四、行政复议、行政诉讼").click()
        page.get_by_role("button", name="本表其余填 0", exact=False).click()
        expect(page.get_by_text("个空白单元格已填为 0").first).to_be_visible()
        page.wait_for_timeout(1500)
        expect(grid_cell(page, 0, 2, 4)).to_have_text("0")
        grid_cell(page, 0, 0, 0).click()
        page.keyboard.type("1234\n2345\n3456\n", delay=40)
        page.keyboard.press("ArrowRight")  # Enter on the last row stays there
        page.keyboard.type("7", delay=40)
        page.keyboard.press("Tab")
        page.keyboard.type("8", delay=40)
        page.keyboard.press("Enter")
        expect(grid_cell(page, 0, 2, 4)).to_have_text("3471")  # 3456 + 7 + 8: the 总计 of 复议后起诉
        # Enter moves down without editing (as in Excel), and a full-width figure from an input method lands in
        # the cell it reached, not appended to the one above.
        grid_cell(page, 0, 0, 1).click()
        page.keyboard.press("Enter")
        type_with_input_method(page, "８")
        expect(grid_cell(page, 0, 1, 1)).to_have_text("８")
        expect(grid_cell(page, 0, 1, 4)).to_have_text("2353")  # 2345 + 8: the 总计 of 未经复议直接起诉
        expect(grid_cell(page, 0, 0, 1)).to_have_text("0")
        # A figure typed and not entered when the page is left is entered first, as Enter would.
        grid_cell(page, 0, 0, 3).click()
        page.keyboard.type("6", delay=40)
        # What a reload or a closed tab does first, dispatched here so that the test does not race the unload.
        grid_frame(page, 0).evaluate("window.dispatchEvent(new Event('pagehide'))")
        expect(grid_cell(page, 0, 0, 4)).to_have_text("1240")  # 1234 + 6: the 总计 of 行政复议

        reload(page, "二、主动公开")
        page.get_by_role("tab", name="二、主动公开").click()
        expect(grid_cell(page, 1, 0, 0)).to_have_text("0")
        expect(grid_cell(page, 1, 1, 0)).to_have_text("4")

        # A figure typed and not entered, then a click on another page: it is saved, and the page moves.
        grid_cell(page, 1, 2, 0).click()
        page.keyboard.type("2", delay=40)

        # Draft 总体情况 with the model, streamed into the page.
        open_page(page, "正文")
        page.get_by_role("button", name="✨ 起草这一部分").click()
        expect(page.get_by_text(DRAFT[:12], exact=False).first).to_be_visible()
        # The text box is keyed by the saved revision: during a rerun the old and the new box both exist for a moment,
        # so the box is found by what it holds.
        expect(current_text(page, DRAFT)).to_be_visible(timeout=30_000)

        # Refine it in the chat: the part has text, so the refinement comes as a candidate with its diff.
        page.get_by_test_id("stChatInputTextArea").fill("加上网站和新媒体的公开渠道")
        page.keyboard.press("Enter")
        expect(page.get_by_text("🆕 候选稿").first).to_be_visible(timeout=30_000)
        expect(page.locator("ins").filter(has_text="依托政府网站和政务新媒体").first).to_be_visible()
        expect(current_text(page, DRAFT)).to_be_visible()  # the current text is untouched until accepted
        page.get_by_text("🆕 候选稿").first.scroll_into_view_if_needed()
        shot(page, "text")
        page.get_by_role("button", name="✅ 采用候选稿").click()
        expect(current_text(page, REFINED)).to_be_visible(timeout=30_000)
        expect(
            page.get_by_test_id("stChatMessage").filter(has_text="加上网站和新媒体的公开渠道")
        ).to_be_visible()

        # Edit the text by hand; leaving the box saves it.
        current_text(page, REFINED).fill(EDITED)
        page.get_by_text("要点（每行一条").click()
        expect(page.get_by_text("当前文字已保存").first).to_be_visible()

        # Reload: everything is still there.
        reload(page, "历史版本（3）")
        expect(current_text(page, EDITED)).to_have_value(EDITED)
        page.get_by_text("历史版本（3）").click()
        expect(page.get_by_text("意见：加上网站和新媒体的公开渠道")).to_be_visible()
        # Typing, then a click on another page: the words are saved, and the page moves.
        current_text(page, EDITED).click()
        page.keyboard.press("End")
        page.keyboard.type(ADDED, delay=40)

        # Download the Word file and find the edited text and the 5 in it.
        open_page(page, "导出")
        expect(page.get_by_text("发布前检查清单")).to_be_visible()
        shot(page, "export")
        with page.expect_download() as download:
            page.get_by_role("button", name="⬇️ 下载 Word 文件（.docx）").click()
        path = tmp_path / "report.docx"
        download.value.save_as(path)
        report = read_docx(path.read_bytes()).report
        assert report.agency == "某县某镇人民政府"
        assert report.parts["overview"].text == EDITED + ADDED
        assert report.cells["t3.new.natural"] == 5 and report.cells["t3.r1.natural"] == 5
        assert report.cells["t2.licensing.decisions"] == 0 and report.cells["t2.punishment.decisions"] == 4
        assert report.cells["t2.coercion.decisions"] == 2
        assert [report.cells[f"t4.{g}.upheld"] for g in ("review", "suit_direct", "suit_after")] == [
            1234,
            2345,
            3456,
        ]
        assert report.cells["t4.suit_after.corrected"] == 7 and report.cells["t4.suit_after.other"] == 8
        assert report.cells["t4.review.pending"] == 6
        assert report.cells["t4.suit_direct.corrected"] == 8 and report.cells["t4.review.corrected"] == 0

        open_page(page, "设置")
        expect(page.get_by_text("模型接口")).to_be_visible()
        shot(page, "settings")
        browser.close()


def test_a_hanging_model_shows_the_wait_and_stop_ends_it_in_chromium(tmp_path: Path) -> None:
    """The seconds and the model on screen, the old text in view; 停止 says so within 2 s and changes nothing.
    Notes typed and not yet left are saved when the page is left."""
    from playwright.sync_api import expect, sync_playwright

    need_tool("chromium")
    fake = FakeOpenAI(lambda body: Reply(text="不会到达。", delay=60)).start()
    env = {
        **os.environ,
        "ASSISTANT_DB": str(tmp_path / "wait.db"),
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": "k",
        "ASSISTANT_MODEL": "slow-model",
        "ASSISTANT_LLM_TIMEOUT": "120",
    }
    try:
        with running_app(tmp_path, env) as (url, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=need_tool("chromium"), args=CHROMIUM_ARGS)
            for width in (1400, 1024):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(url)
                settled(page)
                open_page(page, "正文")
                old = "2024 年，硤石乡"
                expect(current_text(page, old)).to_be_visible(timeout=30_000)
                if width == 1400:
                    # Notes typed and never left: a reload still keeps them (no separate apply step).
                    notes = page.get_by_label(
                        "要点（每行一条，写本年度的具体做法和数字；离开输入框即自动保存）"
                    )
                    notes.click()
                    page.keyboard.press("End")
                    page.keyboard.type("新加的一条要点")
                    # What a reload or a closed tab does first; dispatched here so the test does not race the
                    # unload (a real reload commits the same way, as long as the browser sends before it goes).
                    page.evaluate("window.dispatchEvent(new Event('pagehide'))")
                    from assistant.store import Store

                    def saved_notes() -> str:
                        return Store(tmp_path / "wait.db").list()[0].report.parts["overview"].notes

                    for _ in range(50):
                        if saved_notes().endswith("新加的一条要点"):
                            break
                        page.wait_for_timeout(200)
                    assert saved_notes().endswith("新加的一条要点"), saved_notes()
                    reload(page, "新加的一条要点")
                page.get_by_role("button", name="✨ 起草这一部分").click()
                waiting = page.get_by_text(re.compile(r"正在起草：模型 slow-model · 已等待 [2-9] 秒"))
                expect(waiting.first).to_be_visible(timeout=10_000)
                expect(current_text(page, old)).to_be_visible()  # the old text stays in view
                if SHOTS is not None and width == 1024:
                    page.screenshot(path=str(SHOTS / "app-text-waiting.png"))
                page.get_by_role("button", name="⏹ 停止").click()
                started = time.monotonic()
                expect(page.get_by_text("已停止，原文未改").first).to_be_visible(timeout=2_000)
                assert time.monotonic() - started < 2.0
                expect(current_text(page, old)).to_be_visible()
                page.close()
            browser.close()
            # Both stops are in the audit log. The drafting thread writes its record once it has left the request,
            # which on a busy machine can be a moment after the page said 已停止: the server is kept until then.
            for _ in range(30):
                log = audit_log(tmp_path / "wait.db")
                if log.count("已停止") >= 2:
                    break
                time.sleep(0.5)
    finally:
        fake.stop()
    assert log.count("已停止") == 2, log


def audit_log(db: Path) -> str:
    """What `python -m assistant audit` prints for this database."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", "audit"],
        capture_output=True,
        text=True,
        env={**os.environ, "ASSISTANT_DB": str(db)},
        cwd=ROOT,
        timeout=60,
    ).stdout
