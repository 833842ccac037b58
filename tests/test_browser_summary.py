"""The 汇总 page in Chromium at office and laptop widths: stored reports summed, a roster, the findings coloured."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.store import Store
from tests.appserver import ROOT, running_app
from tests.conftest import need_tool
from tests.test_browser import CHROMIUM_ARGS
from tests.test_rollup import _report

SHOT = ROOT / "docs" / "app-summary.png" if os.environ.get("UPDATE_DOCS") == "1" else None


@pytest.fixture
def app(tmp_path: Path) -> Iterator[str]:
    store = Store(tmp_path / "app.db")
    for n, agency in enumerate(["甲县交通运输局", "甲县水利局", "甲县教育局", "甲县卫生健康委员会"]):
        report = _report(agency, applications=n + 2)
        if agency == "甲县教育局":
            report.cells["t3.r1.natural"] = 99  # 予以公开 beyond what was received: an error by rule
        if agency == "甲县卫生健康委员会":
            report.cells["t2.licensing.decisions"] = None  # a blank: left out of the sum, and said
        store.add(report)
    env = {**os.environ, "ASSISTANT_DB": str(tmp_path / "app.db")}
    with running_app(tmp_path, env) as (url, _):
        yield url


@pytest.mark.parametrize("width", [1400, 1024])
def test_summary_page_sums_and_names_the_missing(app: str, width: int) -> None:
    pytest.importorskip("playwright")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=need_tool("chromium"), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.set_default_timeout(30_000)
        page.goto(f"{app}/summary")
        expect(page.get_by_text("2024年度 · 4 个机关的报告")).to_be_visible()
        roster = page.get_by_text("机关名单（可选")
        roster.click()
        area = page.get_by_label("或粘贴机关名称，每行一个")
        area.fill("甲县交通运输局\n甲县水利局\n甲县教育局\n甲县卫生健康委员会\n甲县财政局")
        area.press("Control+Enter")
        expect(page.get_by_text("名单上有 1 个机关没有2024年度报告：甲县财政局")).to_be_visible()
        expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
        expect(page.get_by_role("button", name="下载汇总工作簿（.xlsx）")).to_be_visible()
        assert not page.get_by_text("这一页出错了").count()
        roster.click()  # folded again, so the picture shows the findings table
        page.wait_for_timeout(800)
        if SHOT is not None and width == 1400:
            page.screenshot(path=str(SHOT), full_page=False)
        browser.close()
