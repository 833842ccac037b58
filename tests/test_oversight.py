"""The 密级 guard, the audit log, candidates with a diff, and versions: what keeps a model in an assisting role."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.drafting.audit import AuditRecord
from assistant.drafting.diff import diff
from assistant.drafting.drafter import (
    Oversight,
    accept_candidate,
    current_version,
    discard_candidate,
    draft_part,
    offer,
    record_edit,
    refine_part,
)
from assistant.drafting.llm import LLMSettings, OpenAIChat
from assistant.drafting.secrecy import parse_words, scan, scan_all
from assistant.format.models import Report, Version, report_to_json
from assistant.store import Store
from tests.conftest import ROOT
from tests.fakeopenai import FakeOpenAI, Reply


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def chat(fake: FakeOpenAI, stop: threading.Event | None = None, timeout: float = 5) -> OpenAIChat:
    settings = LLMSettings(
        base_url=fake.url, api_key="SECRET-KEY-9", model="fake-model", timeout=timeout, max_retries=1
    )
    return OpenAIChat(settings, stop=stop)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("秘密★1年 关于某事项的通知", "秘密★1年"),
        ("机密★10年", "机密★10年"),
        ("绝密★长期", "绝密★长期"),
        ("秘密★", "秘密★"),
        ("秘密 ★ 6个月", "秘密 ★ 6个月"),
        ("机密☆", "机密☆"),
        ("此件为内部资料，注意保存", "内部资料"),
        ("本机关严格落实保密审查制度", ""),
        ("涉密信息不予公开", ""),
        ("属于国家秘密", ""),
        ("信息公开前均进行保密审查，涉及国家秘密的不予公开", ""),
        ("严防泄露工作秘密", ""),
        ("★★★五星级服务", ""),
    ],
)
def test_classification_marks_are_found_and_ordinary_words_are_not(text: str, found: str) -> None:
    marks = scan(text, "要点")
    assert [m.text for m in marks] == ([found] if found else [])


def test_extra_words_from_the_settings_count_too() -> None:
    words = parse_words("内部敏感\n工作秘密、仅供领导参阅")
    assert words == ("内部敏感", "工作秘密", "仅供领导参阅")
    marks = scan_all({"当前文字": "此件仅供领导参阅。"}, words)
    assert [(m.where, m.text) for m in marks] == [("当前文字", "仅供领导参阅")]
    assert "仅供领导参阅" in marks[0].describe()


def test_the_scan_takes_under_5_ms_a_part() -> None:
    text = "本机关严格落实保密审查制度，涉密信息不予公开。" * 150  # about 3,400 characters
    start = time.perf_counter()
    for _ in range(100):
        scan_all({"要点": text, "当前文字": text}, ("仅供领导参阅",))
    each = (time.perf_counter() - start) / 200
    assert each < 0.005, f"{each * 1000:.2f} ms a part"


def _recorder() -> tuple[list[AuditRecord], Oversight]:
    records: list[AuditRecord] = []
    return records, Oversight(record=records.append, origin="test")


@pytest.mark.parametrize(
    ("where", "place"),
    [("notes", "要点（（三）政府信息管理情况）"), ("text", "当前文字（（三）政府信息管理情况）")],
)
def test_a_marked_part_sends_nothing_and_says_where(
    fake: FakeOpenAI, example: Report, where: str, place: str
) -> None:
    key = "overview.management"
    setattr(example.parts[key], where, "加强政府信息管理。附：秘密★1年 某某通知。")
    before = example.parts[key].text
    records, oversight = _recorder()
    result = draft_part(example, key, chat(fake), oversight=oversight)
    assert fake.requests == []
    assert result.version is None and "秘密★1年" in result.error and place in result.error
    assert "没有发送" in result.error and example.parts[key].text == before
    assert [(r.outcome, r.received) for r in records] == [("refused", 0)]
    assert "秘密★1年" in records[0].detail


def test_a_refinement_with_a_marked_instruction_is_refused(fake: FakeOpenAI, example: Report) -> None:
    records, oversight = _recorder()
    oversight = Oversight(record=records.append, secrecy_words=("仅供参阅",))
    result = refine_part(example, "other", "加上仅供参阅材料里的数字", chat(fake), oversight=oversight)
    assert fake.requests == [] and "修改意见" in result.error and result.secrecy
    assert records[0].outcome == "refused"


def test_last_years_marked_text_is_refused_too(fake: FakeOpenAI, example: Report) -> None:
    previous = example.model_copy(deep=True)
    previous.parts["other"].text = "内部资料：上年的其他事项。"
    result = draft_part(example, "other", chat(fake), previous)
    assert fake.requests == [] and "上年报告" in result.error


def test_every_request_is_recorded_without_the_key(fake: FakeOpenAI, example: Report) -> None:
    records, oversight = _recorder()
    fake.reply(Reply(text="本机关认真做好其他有关工作。"))
    assert draft_part(example, "other", chat(fake), oversight=oversight).ok
    fake.reply(Reply(status=500), Reply(status=500))
    failed = draft_part(example, "other", chat(fake), oversight=oversight)
    assert failed.version is None and "HTTP 500" in failed.error
    ok, error = records
    assert ok.outcome == "ok" and ok.host == fake.url.split("/")[2] and ok.model == "fake-model"
    assert ok.report == f"{example.agency} {example.year}年" and ok.part == "六、其他需要报告的事项"
    assert ok.sent > 500 and ok.received == len("本机关认真做好其他有关工作。")
    assert error.outcome == "error" and "HTTP 500" in error.detail
    assert all("SECRET-KEY-9" not in str(r) for r in records)


def test_stop_ends_a_hanging_request_within_2_seconds(fake: FakeOpenAI, example: Report) -> None:
    stop = threading.Event()
    records, oversight = _recorder()
    fake.reply(Reply(delay=30))
    before = example.parts["other"].text
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    result = draft_part(example, "other", chat(fake, stop, timeout=60), stop=stop, oversight=oversight)
    assert time.monotonic() - started < 2.3
    assert result.stopped and result.error == "已停止，原文未改" and example.parts["other"].text == before
    assert records[0].outcome == "stopped"


def test_the_store_keeps_the_log_and_settings_but_never_a_key(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    store.record_request(AuditRecord("127.0.0.1:8000", "m", "某局 2024年", "（七）", 100, 20, 1.5, "ok"))
    store.save_settings({"model": "qwen", "base_url": "http://127.0.0.1:8000/v1"})
    store.save_settings({"model": "qwen2"})
    again = Store(tmp_path / "a.db")
    assert again.settings() == {"model": "qwen2", "base_url": "http://127.0.0.1:8000/v1"}
    assert [(r.host, r.sent, r.received, r.outcome) for r in again.audit_log()] == [
        ("127.0.0.1:8000", 100, 20, "ok")
    ]
    with pytest.raises(ValueError):
        store.save_settings({"api_key": "sk-1"})


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        cwd=ROOT,
    )


def test_draft_refuses_a_marked_report_exits_1_and_audit_prints_it(
    fake: FakeOpenAI, example: Report, tmp_path: Path
) -> None:
    example.parts["other"].notes = "机密★5年 某某事项"
    source = tmp_path / "r.json"
    source.write_text(report_to_json(example), encoding="utf-8")
    db = tmp_path / "audit.db"
    env = {
        "OPENAI_BASE_URL": fake.url,
        "OPENAI_API_KEY": "SECRET-KEY-9",
        "ASSISTANT_MODEL": "fake-model",
        "ASSISTANT_DB": str(db),
    }
    done = _cli(["draft", str(source), "-o", str(tmp_path / "o.json"), "--parts", "other", "--force"], env)
    assert done.returncode == 1 and "机密★5年" in done.stdout and "没有发送" in done.stdout, done.stdout
    assert fake.requests == []
    text = _cli(["audit"], {"ASSISTANT_DB": str(db)})
    assert text.returncode == 0 and "密级拦截" in text.stdout and "fake-model" in text.stdout
    table = _cli(["audit", "--db", str(db), "--format", "csv"], {})
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0][0] == "时间" and rows[1][1] == "draft" and rows[1][9] == "密级拦截"
    assert "SECRET-KEY-9" not in text.stdout + table.stdout + db.read_bytes().decode("utf-8", "replace")


def test_audit_of_a_missing_database_says_so(tmp_path: Path) -> None:
    done = _cli(["audit", "--db", str(tmp_path / "none.db")], {})
    assert done.returncode == 2 and "不存在" in done.stderr and not (tmp_path / "none.db").exists()


def _version(text: str, model: str = "m") -> Version:
    return Version(text=text, source="llm", model=model)


def test_an_empty_part_takes_a_first_draft_and_a_written_one_gets_a_candidate(example: Report) -> None:
    example.parts["other"].text = ""
    example.parts["other"].versions = []
    assert offer(example, "other", _version("第一稿。")) is True
    assert example.parts["other"].text == "第一稿。" and example.parts["other"].candidate is None
    assert offer(example, "other", _version("第二稿，多了37件。")) is False
    part = example.parts["other"]
    assert (
        part.text == "第一稿。" and part.candidate is not None and part.candidate.text == "第二稿，多了37件。"
    )
    assert discard_candidate(example, "other") and part.text == "第一稿。" and part.candidate is None
    offer(example, "other", _version("第三稿。"))
    assert accept_candidate(example, "other") and part.text == "第三稿。" and part.candidate is None
    offer(example, "other", _version("第四稿。", "qwen"))
    assert accept_candidate(example, "other", "第四稿，改过。")
    assert part.text == "第四稿，改过。" and part.versions[-1].source == "human"
    assert "qwen" in part.versions[-1].model
    assert [v.text for v in part.versions] == ["第一稿。", "第三稿。", "第四稿，改过。"]


def test_an_identical_text_is_no_new_version_and_one_version_is_current(example: Report) -> None:
    example.parts["other"].text = ""
    example.parts["other"].versions = []
    offer(example, "other", _version("同一稿。"))
    assert offer(example, "other", _version("同一稿。")) is False and example.parts["other"].candidate is None
    assert not record_edit(example, "other", "同一稿。")
    record_edit(example, "other", "改了。")
    record_edit(example, "other", "同一稿。")  # back to the first text: a new version, and only it is current
    part = example.parts["other"]
    assert len(part.versions) == 3 and current_version(example, "other") == 2
    assert sum(v.text == part.text for v in part.versions) == 2  # two equal texts, one of them 当前


@pytest.mark.parametrize(
    ("old", "new", "removed", "added", "counts"),
    [
        ("公开信息120条。", "公开信息125条。", "0", "5", (1, 1)),
        ("开展培训。", "开展培训。新增一句。", "", "新增一句。", (0, 5)),
        ("删去这句。保留。", "保留。", "删去这句。", "", (5, 0)),
        ("<b>x</b>。", "<i>x</i>。", "b", "i", (2, 2)),
        ("相同。", "相同。", "", "", (0, 0)),
    ],
)
def test_the_diff_marks_what_was_removed_and_added(
    old: str, new: str, removed: str, added: str, counts: tuple[int, int]
) -> None:
    shown = diff(old, new)
    assert "<b>" not in shown.html and "<i>" not in shown.html  # the text is escaped
    if removed:
        assert f'title="删去">{removed}</del>' in shown.html
    if added:
        assert f'title="新增">{added}</ins>' in shown.html
    assert (shown.removed, shown.added) == counts and shown.same == (counts == (0, 0))


def test_a_diff_of_3000_characters_takes_under_100_ms(example: Report) -> None:
    old = ("本机关全年主动公开政府信息120条，其中规范性文件3件。持续完善工作机制。" * 90)[:3000]
    new = old.replace("120条", "125条", 5).replace("持续完善", "不断健全", 7) + "新增的一句话。"
    start = time.perf_counter()
    shown = diff(old, new)
    assert time.perf_counter() - start < 0.1 and shown.added and shown.removed


@pytest.mark.parametrize(
    ("replies", "said"),
    [
        ([Reply(delay=3)], "没有响应完毕"),
        ([Reply(status=429), Reply(status=429)], "429"),
        ([Reply(status=500), Reply(status=500)], "HTTP 500"),
        ([Reply(text="本机关做好工作。" * 50, drop_after=3)], "中途断开"),
        ([Reply(garbage=b"\x00\xffnot json at all")], "无法识别"),
        ([Reply(status=401)], "API Key"),
    ],
    ids=["hang", "429", "500", "dropped", "garbage", "wrong-key"],
)
def test_a_bad_endpoint_leaves_the_text_says_why_and_is_logged(
    fake: FakeOpenAI, example: Report, replies: list[Reply], said: str
) -> None:
    fake.reply(*replies)
    records, oversight = _recorder()
    before = example.model_copy(deep=True)
    result = draft_part(example, "other", chat(fake, timeout=1.5), oversight=oversight)
    assert result.version is None and said in result.error, result.error
    assert example == before
    assert [r.outcome for r in records] == ["error"] and said in records[0].detail
    assert records[0].seconds < 5


def test_a_megabyte_answer_is_cut_and_logged_with_what_arrived(fake: FakeOpenAI, example: Report) -> None:
    fake.reply(Reply(text="本机关认真做好政务公开工作。" * 1000, chunk=500, repeat=5))
    records, oversight = _recorder()
    result = draft_part(example, "other", chat(fake), oversight=oversight)
    assert result.notice and "上限" in result.notice
    assert records[0].outcome == "ok" and 1000 <= records[0].received <= 20_000
