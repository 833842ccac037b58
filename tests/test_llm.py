"""The real openai SDK against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.drafting.llm import (
    AnswerCut,
    LLMError,
    LLMSettings,
    OpenAIChat,
    ThinkFilter,
    check_connection,
    load_settings,
    shown_url,
    strip_reasoning,
)
from assistant.example import load_example
from assistant.format.models import report_to_json
from tests.conftest import Cli
from tests.fakeopenai import FakeOpenAI, Reply

ASK = [{"role": "user", "content": "写一句话"}]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def client(fake: FakeOpenAI, **changes: object) -> OpenAIChat:
    settings = LLMSettings(
        base_url=fake.url, api_key="sk-test-secret", model="fake-model", timeout=5, max_retries=2
    )
    return OpenAIChat(settings.with_changes(**changes))


def test_streamed_answer_arrives_in_pieces(fake: FakeOpenAI) -> None:
    fake.reply(Reply(text="硤石乡主动公开政府信息十六条。", chunk=4))
    pieces = list(client(fake).stream(ASK))
    assert len(pieces) > 1 and "".join(pieces) == "硤石乡主动公开政府信息十六条。"
    assert fake.requests[0]["stream"] is True and fake.requests[0]["model"] == "fake-model"


def test_reasoning_content_and_think_blocks_are_dropped(fake: FakeOpenAI) -> None:
    fake.reply(Reply(text="<think>先想一想</think>正文。", reasoning="推理过程不应出现", chunk=3))
    assert client(fake).complete(ASK) == "正文。"


def test_429_is_retried_then_succeeds(fake: FakeOpenAI) -> None:
    fake.reply(Reply(status=429), Reply(text="第二次成功。"))
    assert client(fake).complete(ASK) == "第二次成功。"
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(status=500), "HTTP 500"),
        (Reply(status=401), "API Key"),
        (Reply(status=429), "429"),
        (Reply(garbage=b"<html>not an api</html>"), "无法识别"),
        (
            Reply(text="前半段已经到达，后半段丢失。" * 5, drop_after=2),
            "与模型服务的连接中途断开，回答不完整，请重试",
        ),
    ],
    ids=["500", "401", "429-always", "garbage", "dropped-mid-stream"],
)
def test_failures_become_chinese_messages_without_the_key(fake: FakeOpenAI, reply: Reply, words: str) -> None:
    fake.responder = lambda body: reply
    with pytest.raises(LLMError) as caught:
        "".join(client(fake, max_retries=1).stream(ASK))
    message = str(caught.value)
    assert words in message and "sk-test-secret" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_timeout_is_reported_in_seconds(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(delay=2.0)
    with pytest.raises(LLMError, match="1 秒内没有响应"):
        client(fake, timeout=1, max_retries=0).complete(ASK)


def test_unreachable_endpoint(tmp_path: Path) -> None:
    settings = LLMSettings(base_url="http://127.0.0.1:9/v1", api_key="k", model="m", timeout=2, max_retries=0)
    with pytest.raises(LLMError, match="无法连接"):
        OpenAIChat(settings).complete(ASK)


def test_concurrent_requests_are_all_answered(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(text=body["messages"][-1]["content"] + "。", delay=0.3)
    chat = client(fake)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda i: chat.complete([{"role": "user", "content": f"第{i}个"}]), range(8)))
    assert answers == [f"第{i}个。" for i in range(8)]


@pytest.mark.parametrize(
    ("pieces", "visible"),
    [
        (["<think>a</think>b"], "b"),
        (["<thi", "nk>隐藏</th", "ink>可见"], "可见"),
        (["前", "<think>", "x", "</think>", "后"], "前后"),
        (["正文<", "b>加粗</b>"], "正文<b>加粗</b>"),  # a tail kept for a possible tag is released after
        (["<think>未完的推理"], ""),
    ],
)
def test_think_filter_handles_tags_split_across_chunks(pieces: list[str], visible: str) -> None:
    think = ThinkFilter()
    out = "".join(think.feed(p) for p in pieces) + think.flush()
    assert out == visible


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        ("<think>先想一想</think>正文。", "正文。"),
        ("正文。", "正文。"),
        ("推理过程，没有开始标签\n</think>\n正文。", "正文。"),  # DeepSeek-R1 behind some servers
        ("推理</think>正文<think>再想</think>续。", "正文续。"),
        ("<think>没有结束的推理", ""),
    ],
)
def test_strip_reasoning_with_or_without_the_opening_tag(answer: str, text: str) -> None:
    assert strip_reasoning(answer) == text


def test_an_answer_with_only_a_closing_tag_is_saved_without_the_reasoning(fake: FakeOpenAI) -> None:
    fake.reply(Reply(text="我先分析一下这个问题。</think>硤石乡依法公开政府信息。", chunk=5))
    assert client(fake).complete(ASK) == "硤石乡依法公开政府信息。"


def test_settings_from_environment_win_over_secrets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[llm]\napi_key = "from-file"\nbase_url = "http://file/v1"\nmodel = "file-model"\ntimeout = 30\n'
    )
    from_file = load_settings({}, secrets)
    assert (from_file.api_key, from_file.base_url, from_file.model, from_file.timeout) == (
        "from-file",
        "http://file/v1",
        "file-model",
        30.0,
    )
    mixed = load_settings({"ASSISTANT_MODEL": "env-model", "ASSISTANT_LLM_TIMEOUT": "12"}, secrets)
    assert (mixed.model, mixed.api_key, mixed.timeout) == ("env-model", "from-file", 12.0)
    assert "from-file" not in repr(mixed)
    assert not load_settings({}, tmp_path / "missing.toml").configured


def test_connection_check_says_what_happened(fake: FakeOpenAI) -> None:
    fake.reply(Reply(text="收到"))
    settings = LLMSettings(base_url=fake.url, api_key="k", model="fake-model")
    assert "连接成功" in check_connection(settings)
    assert "离线" in check_connection(LLMSettings())


def _within(seconds: float, work: Callable[[], object]) -> tuple[object, float]:
    """Run work in a thread; (its result or exception, elapsed). Fails instead of hanging when it overruns."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:
            outcome.append(exc)

    start = time.perf_counter()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert outcome, f"still running after {seconds} s"
    return outcome[0], time.perf_counter() - start


def test_an_endpoint_that_drips_forever_stops_at_the_one_deadline(fake: FakeOpenAI) -> None:
    # "。" every 0.5 s: every read succeeds, so only a deadline over the whole request ends it.
    fake.responder = lambda body: Reply(text="开头", drip=0.5)
    outcome, elapsed = _within(10, lambda: "".join(client(fake, timeout=2).stream(ASK)))
    assert isinstance(outcome, LLMError)
    message = str(outcome)
    assert "2 秒内没有响应完毕" in message and "共尝试 1 次" in message and "没有采用" in message
    assert re.search(r"等待 2\.\d 秒", message), message
    assert 1.9 < elapsed < 3.0


def test_what_is_left_of_a_parts_time_bounds_a_request(fake: FakeOpenAI) -> None:
    # The guard's second request gets what the first left of ASSISTANT_LLM_TIMEOUT, not a whole timeout again.
    fake.responder = lambda body: Reply(text="开头", drip=0.5)
    outcome, elapsed = _within(10, lambda: "".join(client(fake, timeout=8).stream(ASK, within=1.5)))
    assert isinstance(outcome, LLMError) and 1.4 < elapsed < 4.0  # not the 8 s of the whole timeout


def test_retries_stay_inside_the_deadline(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: Reply(status=500, delay=0.8)
    outcome, elapsed = _within(20, lambda: client(fake, timeout=2, max_retries=8).complete(ASK))
    assert isinstance(outcome, LLMError) and elapsed < 3.0
    attempts = len(fake.requests)
    assert 2 <= attempts <= 3 and f"共尝试 {attempts} 次" in str(outcome), str(outcome)


def test_max_tokens_is_sent_and_a_length_stop_is_said(fake: FakeOpenAI) -> None:
    fake.reply(Reply(text="写到一半", finish="length"))
    with pytest.raises(AnswerCut, match="max_tokens 50"):
        list(client(fake).stream(ASK, max_tokens=50))
    assert fake.requests[0]["max_tokens"] == 50


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://[::1", "格式不对"),
        ("http://127.0.0.1:port/v1", "格式不对"),
        ("ftp://127.0.0.1/v1", "http://"),
        ("http:///v1", "主机名"),
    ],
    ids=["ipv6-open", "port-not-a-number", "not-http", "no-host"],
)
def test_a_bad_base_url_is_a_chinese_message(url: str, words: str) -> None:
    settings = LLMSettings(base_url=url, api_key="k", model="m", timeout=2)
    with pytest.raises(LLMError, match=words):
        "".join(OpenAIChat(settings).stream(ASK))
    with pytest.raises(LLMError, match=words):
        check_connection(settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://user:KEY-123@127.0.0.1:9/v1",
        "http://KEY-123@127.0.0.1:9/v1?api_key=KEY-123",
        "http://u:KEY-123@[::1",
    ],
)
def test_credentials_in_the_url_are_never_shown(url: str) -> None:
    settings = LLMSettings(base_url=url, api_key="k", model="m", timeout=2, max_retries=0)
    with pytest.raises(LLMError) as caught:
        OpenAIChat(settings).complete(ASK)
    assert "KEY-123" not in str(caught.value) and "user" not in str(caught.value)
    assert "KEY-123" not in shown_url(url)


def test_draft_command_with_a_bad_url_says_so(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "r.json"
    source.write_text(report_to_json(load_example()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml: the settings are the environment's
    monkeypatch.setenv("OPENAI_BASE_URL", "http://user:KEY-123@[::1")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("ASSISTANT_MODEL", "m")
    monkeypatch.setenv("ASSISTANT_DB", str(tmp_path / "audit.db"))
    done = cli("draft", source, "-o", tmp_path / "out.json", "--parts", "other", "--force")
    assert done.returncode == 1, done.stderr
    assert "KEY-123" not in (tmp_path / "audit.db").read_bytes().decode("utf-8", "replace")
    assert (
        "接口地址" in done.stdout and "格式不对" in done.stdout and "KEY-123" not in done.stdout + done.stderr
    )
