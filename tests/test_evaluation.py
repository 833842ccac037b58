"""`eval` against scripted models: the guard and the metrics catch each kind of bad draft."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from assistant.drafting.evaluation import PartScore, evaluate_case, load_cases, notes_covered
from assistant.drafting.llm import LLMSettings, OpenAIChat
from tests.fakeopenai import FakeOpenAI, Reply

PLAIN = "本机关认真落实公开要求，持续完善工作机制，不断提升公开质量。"


def _prompt(body: dict[str, Any]) -> str:
    return str(body["messages"][1]["content"])


def adds_money(body: dict[str, Any]) -> Reply:
    return Reply(text=PLAIN + "累计投入资金300万元。")


def zero_to_three(body: dict[str, Any]) -> Reply:
    if "依申请公开情况" in _prompt(body):
        return Reply(text="本年度共收到政府信息公开申请3件，均已按期答复。")
    return Reply(text=PLAIN)


def writes_markdown(body: dict[str, Any]) -> Reply:
    return Reply(text="## 工作情况\n**一是**加强领导。\n- 二是完善制度。")


def copies_last_year(body: dict[str, Any]) -> Reply:
    found = re.search(r"【上年报告】.*?<资料>\n(.*?)\n</资料>", _prompt(body), re.S)
    return Reply(text=found.group(1) if found else PLAIN)


Responder = Callable[[dict[str, Any]], Reply]


@pytest.fixture
def scripted() -> Iterator[Callable[[Responder], OpenAIChat]]:
    servers: list[FakeOpenAI] = []

    def make(responder: Responder) -> OpenAIChat:
        server = FakeOpenAI(responder).start()
        servers.append(server)
        return OpenAIChat(
            LLMSettings(base_url=server.url, api_key="k", model="scripted", timeout=5, max_retries=0)
        )

    yield make
    for server in servers:
        server.stop()


def scores_of(client: OpenAIChat, case: str) -> list[PartScore]:
    (chosen,) = [c for c in load_cases() if c.name == case]
    return evaluate_case(chosen, client)


def test_invented_money_is_caught_by_the_guard(scripted: Callable[[Responder], OpenAIChat]) -> None:
    scores = scores_of(scripted(adds_money), "xiashi_2024")
    assert all(s.unsourced == 1 and not s.passed for s in scores)


def test_zero_turned_into_three_is_caught(scripted: Callable[[Responder], OpenAIChat]) -> None:
    scores = {s.part: s for s in scores_of(scripted(zero_to_three), "xiashi_2024")}
    assert scores["overview.request"].unsourced == 1 and not scores["overview.request"].passed
    assert scores["overview.platform"].passed


def test_markdown_leakage_is_measured_on_the_raw_answer(scripted: Callable[[Responder], OpenAIChat]) -> None:
    scores = scores_of(scripted(writes_markdown), "xiashi_2024")
    assert all(s.markdown and not s.passed for s in scores)


def test_copying_last_year_is_measured(scripted: Callable[[Responder], OpenAIChat]) -> None:
    scores = {s.part: s for s in scores_of(scripted(copies_last_year), "county_bureau_with_last_year")}
    assert scores["problems.issues"].similar > 0.5 and not scores["problems.issues"].passed
    assert scores["overview.platform"].similar > 0.5


def test_offline_drafter_passes_every_case() -> None:
    scores = [s for case in load_cases() for s in evaluate_case(case, None)]
    assert scores and all(s.passed for s in scores)
    assert min(s.notes_covered for s in scores) == 1.0


def test_notes_covered_counts_items() -> None:
    assert notes_covered("网站发布信息\n开展培训", "通过网站发布信息。") == 0.5


def run_cli(*args: str, endpoint: Responder | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m assistant ...`, against a fake endpoint answering with `endpoint` when one is given."""
    server = FakeOpenAI(endpoint).start() if endpoint else None
    env = dict(os.environ)
    if server is not None:
        env.update({"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "ASSISTANT_MODEL": "scripted"})
    try:
        return subprocess.run(
            [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, timeout=120
        )
    finally:
        if server is not None:
            server.stop()


def test_eval_command_against_the_configured_endpoint() -> None:
    result = run_cli("eval", endpoint=adds_money)
    assert result.returncode == 1, result.stderr
    assert "模型 scripted" in result.stdout and "未通过" in result.stdout and "汇总" in result.stdout


def test_draft_command_offline_and_with_a_failing_endpoint(tmp_path: Any) -> None:
    from assistant.example import EXAMPLE_PATH

    out = tmp_path / "out.json"
    offline = run_cli("draft", str(EXAMPLE_PATH), "-o", str(out), "--force", "--offline")
    assert offline.returncode == 0 and "离线起草" in offline.stdout and out.exists()
    failing = run_cli(
        "draft",
        str(EXAMPLE_PATH),
        "-o",
        str(out),
        "--force",
        "--parts",
        "other",
        endpoint=lambda body: Reply(status=500),
    )
    assert failing.returncode == 1
    assert "失败，保留原有文字" in failing.stdout and "Traceback" not in failing.stderr
