"""`eval` against scripted models: the guard and the metrics catch each kind of bad draft."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.drafting.drafter import draft_all, text_as_notes
from assistant.drafting.evaluation import (
    PartScore,
    broken_punctuation,
    doubled_markers,
    evaluate_case,
    load_cases,
    notes_covered,
    repeated_sentences,
)
from assistant.drafting.llm import LLMError, Message
from assistant.example import EXAMPLE_PATH
from assistant.format.models import report_from_json
from assistant.importers.files import read_path
from tests.conftest import ROOT
from tests.fakechat import FakeChat
from tests.fakeopenai import FakeOpenAI, Reply

PLAIN = "本机关认真落实公开要求，持续完善工作机制，不断提升公开质量。"


def _prompt(messages: list[Message]) -> str:
    return messages[1]["content"]


def adds_money(messages: list[Message]) -> str:
    return PLAIN + "累计投入资金300万元。"


def zero_to_three(messages: list[Message]) -> str:
    if "依申请公开情况" in _prompt(messages):
        return "本年度共收到政府信息公开申请3件，均已按期答复。"
    return PLAIN


def writes_markdown(messages: list[Message]) -> str:
    return "## 工作情况\n**一是**加强领导。\n- 二是完善制度。"


def copies_last_year(messages: list[Message]) -> str:
    found = re.search(r"【上年报告】.*?<资料>\n(.*?)\n</资料>", _prompt(messages), re.S)
    return found.group(1) if found else PLAIN


def scores_of(client: FakeChat, case: str) -> list[PartScore]:
    (chosen,) = [c for c in load_cases() if c.name == case]
    return evaluate_case(chosen, client)


def test_invented_money_is_caught_by_the_guard() -> None:
    chat = FakeChat(adds_money)
    scores = scores_of(chat, "xiashi_2024")
    assert all(s.unsourced == 1 and not s.passed for s in scores)
    assert len(chat.calls) == 2 * len(scores)  # each part was given its one retry, and failed it again


def test_zero_turned_into_three_is_caught() -> None:
    scores = {s.part: s for s in scores_of(FakeChat(zero_to_three), "xiashi_2024")}
    assert scores["overview.request"].unsourced == 1 and not scores["overview.request"].passed
    assert scores["overview.platform"].passed


def test_markdown_leakage_is_measured_on_the_raw_answer() -> None:
    scores = scores_of(FakeChat(writes_markdown), "xiashi_2024")
    assert all(s.markdown and not s.passed for s in scores)


def test_copying_last_year_is_measured() -> None:
    scores = {s.part: s for s in scores_of(FakeChat(copies_last_year), "county_bureau_with_last_year")}
    assert scores["problems.issues"].similar > 0.5 and not scores["problems.issues"].passed
    assert scores["overview.platform"].similar > 0.5


def test_a_failing_model_is_a_failed_part_with_its_reason() -> None:
    scores = scores_of(FakeChat(lambda messages: LLMError("无法连接模型服务")), "xiashi_2024")
    assert all(s.error == "无法连接模型服务" and not s.passed for s in scores)


def test_offline_drafter_passes_every_case() -> None:
    scores = [s for case in load_cases() for s in evaluate_case(case, None)]
    assert scores and all(s.passed for s in scores)
    assert min(s.notes_covered for s in scores) == 1.0


def test_notes_covered_counts_items() -> None:
    assert notes_covered("网站发布信息\n开展培训", "通过网站发布信息。") == 0.5


def test_eval_command_against_the_configured_endpoint() -> None:
    """End to end: the settings come from the environment and the answers through the SDK and HTTP."""
    server = FakeOpenAI(lambda body: Reply(text=adds_money(body["messages"]))).start()
    env = {**os.environ, "OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": "k", "ASSISTANT_MODEL": "scripted"}
    env["ASSISTANT_DB"] = os.environ["ASSISTANT_DB"]  # the audit log goes to this test's database (conftest)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "assistant", "eval"], capture_output=True, text=True, env=env, timeout=120
        )
    finally:
        server.stop()
    assert result.returncode == 1, result.stderr
    assert "模型 scripted" in result.stdout and "未通过" in result.stdout and "汇总" in result.stdout


def test_eval_command_offline_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--offline"]) == 0
    out = capsys.readouterr().out
    assert f"评测：{len(load_cases())} 个案例，离线起草" in out and "未通过" not in out


def test_eval_command_with_a_folder_without_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--cases", str(tmp_path), "--offline"]) == 2
    assert "没有找到评测案例" in capsys.readouterr().err


def test_draft_command_offline_and_with_a_failing_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    assert main(["draft", str(EXAMPLE_PATH), "-o", str(out), "--force", "--offline"]) == 0
    assert "离线起草" in capsys.readouterr().out
    assert report_from_json(out.read_bytes()).parts["other"].versions[-1].source == "offline"
    failing = FakeChat(lambda messages: LLMError("模型服务出错（HTTP 500）"), model="scripted")
    monkeypatch.setattr("assistant.cli._client", lambda offline: failing)
    before = out.read_bytes()
    assert main(["draft", str(out), "-o", str(out), "--force", "--parts", "other"]) == 1
    said = capsys.readouterr().out
    assert "模型 scripted" in said and "失败，保留原有文字。原因：模型服务出错（HTTP 500）" in said
    assert (
        report_from_json(out.read_bytes()).parts["other"].text == report_from_json(before).parts["other"].text
    )
    assert len(failing.calls) == 1 and "其他需要报告的事项" in failing.calls[0].messages[1]["content"]


@pytest.mark.parametrize(
    ("text", "repeated", "doubled", "punctuation"),
    [
        ("现将工作情况报告如下：。现将", 0, 0, 1),
        ("一是一是加强学习；二是规范。", 0, 1, 0),
        ("（一）（一）总体情况。", 0, 1, 0),
        ("做好公开工作。持续完善机制。做好公开工作。", 1, 0, 0),
        ("第1、2、3季度分别公开。", 0, 0, 0),
        ("一是加强学习；二是规范办理。", 0, 0, 0),
        ("公开信息，。", 0, 0, 1),
        ("发布2024.5.1的通知。", 0, 0, 0),
    ],
)
def test_the_form_metrics_count_what_they_say(
    text: str, repeated: int, doubled: int, punctuation: int
) -> None:
    assert (repeated_sentences(text), doubled_markers(text), broken_punctuation(text)) == (
        repeated,
        doubled,
        punctuation,
    )


def test_the_offline_drafter_scores_zero_on_every_form_metric() -> None:
    scores = [s for case in load_cases() for s in evaluate_case(case, None)]
    assert sum(s.repeated + s.doubled + s.punctuation for s in scores) == 0
    # Also with --force on the seed, whose imported text becomes the notes: the case the issue found.
    seed = read_path(ROOT / "tests" / "data" / "seed" / "xiashi-xiang_2024.txt").report
    for key in seed.parts:
        text_as_notes(seed, key)
    for key, result in draft_all(seed, None).items():
        text = result.version.text  # type: ignore[union-attr]
        assert (repeated_sentences(text), doubled_markers(text), broken_punctuation(text)) == (0, 0, 0), (
            key,
            text,
        )
        assert "逐项落实整改" not in text and "0件" not in text, (key, text)
