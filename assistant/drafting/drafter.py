"""Drafting: one part, all parts concurrently, or a refinement; each result is a guarded new version."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from assistant.checks.facts import Ledger, build_ledger
from assistant.checks.guard import guard_text
from assistant.drafting.llm import AnswerCut, ChatClient, LLMError, strip_reasoning
from assistant.drafting.prompts import (
    DRAFT_PARTS,
    Message,
    draft_messages,
    refine_messages,
    render_offline,
    retry_message,
    target_length,
)
from assistant.format import layout
from assistant.format.models import GuardMark, Report, Version

OFFLINE_MODEL = "离线起草"
OFFLINE_REFINE = "离线模式不能按修改意见改写：请在“设置”中配置模型接口，或直接在文本框中修改。"
STOPPED = "已停止生成，保留原有文字"
OnText = Callable[[str], object]
# An answer may run to this many times the length asked for; beyond it the model has lost the thread.
ANSWER_CAP_FACTOR = 6
TOKENS_PER_CHAR = 4  # room for a tokenizer's worst case on Chinese and for a reasoning model's thinking


@dataclass(frozen=True)
class AnswerLimit:
    """How long a part's answer may be: characters kept (enforced while streaming) and max_tokens sent."""

    target: int
    chars: int
    tokens: int


def answer_limit(key: str) -> AnswerLimit:
    """The limits for a part, derived from the length its prompt asks for."""
    target = target_length(key)
    chars = ANSWER_CAP_FACTOR * target
    return AnswerLimit(target, chars, TOKENS_PER_CHAR * chars)


@dataclass
class DraftResult:
    """What drafting one part produced: a version, or the reason there is none."""

    key: str
    version: Version | None = None
    raw: str = ""  # the model's answer before cleaning (for eval's Markdown metric)
    error: str = ""
    attempts: int = 0
    prompt_chars: int = 0
    notice: str = ""  # what the clerk must know about an adopted version: the answer was cut, and where

    @property
    def ok(self) -> bool:
        return self.version is not None


_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}\s*|[-*+]\s+|>\s*)|\*\*|__|`", re.M)


def clean_answer(raw: str, key: str) -> str:
    """The model's answer as report text: no reasoning, no Markdown marks, no echoed heading."""
    text = _MARKDOWN.sub("", strip_reasoning(raw))
    heading = layout.PART_BY_KEY[key].heading
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].rstrip("。：:") in (heading, heading[3:], layout.PART_BY_KEY[key].title):
        lines = lines[1:]
    return "\n".join(lines)


def _collect(
    client: ChatClient,
    messages: list[Message],
    on_text: OnText | None,
    stop: threading.Event | None,
    limit: AnswerLimit,
) -> tuple[str, str]:
    """The answer as it streams in, and why it was cut short ("" when it came whole)."""
    parts: list[str] = []
    size, cut = 0, ""
    answer = client.stream(messages, max_tokens=limit.tokens)
    try:
        for piece in answer:
            if stop is not None and stop.is_set():
                raise LLMError(STOPPED)
            if size + len(piece) > limit.chars:
                parts.append(piece[: limit.chars - size])
                cut = (
                    f"模型的回答超过了 {limit.chars} 字的上限（这一部分要求约 {limit.target} 字），"
                    f"已在第 {limit.chars} 字处停止接收"
                )
                break
            parts.append(piece)
            size += len(piece)
            if on_text is not None:
                # Reasoning sent without its opening tag shows until its </think> arrives, then disappears.
                on_text(strip_reasoning("".join(parts)))
    except AnswerCut as exc:
        cut = str(exc)
    finally:
        close = getattr(answer, "close", None)
        if callable(close):
            close()  # ends the request now, not when the garbage collector gets to it
    return "".join(parts), cut


_SENTENCE_END = re.compile(r"[。！？!?]")


def _whole_sentences(text: str) -> str:
    """A cut answer up to its last complete sentence ("" when it has none)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]] if ends else ""


def _guarded(
    report: Report,
    key: str,
    client: ChatClient,
    messages: list[Message],
    ledger: Ledger,
    on_text: OnText | None,
    stop: threading.Event | None,
    instruction: str = "",
) -> DraftResult:
    """Ask, guard, and ask once more with the violations listed; what still fails keeps its marks."""
    result = DraftResult(key, prompt_chars=sum(len(m["content"]) for m in messages))
    marks: list[GuardMark] = []
    text = ""
    limit = answer_limit(key)
    for attempt in (1, 2):
        result.attempts = attempt
        try:
            raw, cut = _collect(client, messages, on_text, stop, limit)
        except LLMError as exc:
            result.error = str(exc)
            return result
        result.raw = raw
        text = clean_answer(_whole_sentences(raw) if cut else raw, key)
        if not text:
            result.error = (
                f"{cut}，其中没有一个完整的句子，没有采用，请重试" if cut else "模型没有返回正文，请重试"
            )
            return result
        result.notice = (
            f"{cut}；采用到最后一个完整的句子为止（{len(text)} 字），其后的内容没有采用，请核对结尾。"
            if cut
            else ""
        )
        marks = guard_text(text, ledger)
        if not marks:
            break
        messages = [*messages, {"role": "assistant", "content": raw}, retry_message(marks)]
    result.version = Version(
        text=text, source="llm", model=client.model, instruction=instruction, marks=marks
    )
    return result


def draft_part(
    report: Report,
    key: str,
    client: ChatClient | None,
    previous: Report | None = None,
    on_text: OnText | None = None,
    stop: threading.Event | None = None,
    ledger: Ledger | None = None,
) -> DraftResult:
    """A first draft of one part, from the model or (client None) from the offline drafter."""
    ledger = ledger or build_ledger(report)
    if client is None:
        text = render_offline(report, key, previous)
        if on_text is not None:
            on_text(text)
        version = Version(text=text, source="offline", model=OFFLINE_MODEL, marks=guard_text(text, ledger))
        return DraftResult(key, version, raw=text, attempts=1)
    messages = draft_messages(report, key, previous)
    return _guarded(report, key, client, messages, ledger, on_text, stop)


def draft_all(
    report: Report,
    client: ChatClient | None,
    previous: Report | None = None,
    keys: tuple[str, ...] = DRAFT_PARTS,
    on_done: Callable[[DraftResult], None] | None = None,
) -> dict[str, DraftResult]:
    """Draft several parts at once: the requests run concurrently, so the wall time is about one request's."""
    ledger = build_ledger(report)
    results: dict[str, DraftResult] = {}
    lock = threading.Lock()

    def one(key: str) -> None:
        result = draft_part(report, key, client, previous, ledger=ledger)
        with lock:
            results[key] = result
            if on_done is not None:
                on_done(result)

    if client is None:
        for key in keys:
            one(key)
    else:
        with ThreadPoolExecutor(max_workers=max(1, len(keys))) as pool:
            list(pool.map(one, keys))
    return {k: results[k] for k in keys}


def refine_part(
    report: Report,
    key: str,
    instruction: str,
    client: ChatClient | None,
    previous: Report | None = None,
    on_text: OnText | None = None,
    stop: threading.Event | None = None,
) -> DraftResult:
    """Rewrite one part by the clerk's instruction, with the instructions given before."""
    if client is None:
        return DraftResult(key, error=OFFLINE_REFINE)
    if not instruction.strip():
        return DraftResult(key, error="请先写下修改意见")
    earlier = [v.instruction for v in report.parts[key].versions if v.instruction]
    messages = refine_messages(report, key, instruction, earlier, previous)
    return _guarded(
        report, key, client, messages, build_ledger(report), on_text, stop, instruction=instruction
    )


def keep_current_text(report: Report, key: str) -> bool:
    """Keep the part's text as a version when none holds it (an imported report's text); True when kept.

    Typed text always has its version (record_edit), imported text has none: without this, the first draft,
    restore or edit of an imported part would replace the only copy of what the body published.
    """
    part = report.parts[key]
    if not part.text.strip() or any(v.text == part.text for v in part.versions):
        return False
    marks = guard_text(part.text, build_ledger(report))
    part.versions.append(Version(text=part.text, source="import", model="", marks=marks))
    return True


def text_as_notes(report: Report, key: str) -> bool:
    """Let a part's own text serve as its notes when it has none, as for an imported report; True when copied.

    A drafted text is not copied: it holds no more than the facts, and drafting from it would repeat it.
    """
    part = report.parts[key]
    if part.notes.strip() or not part.text.strip():
        return False
    if any(v.text == part.text and v.source in ("offline", "llm") for v in part.versions):
        return False
    part.notes = part.text
    return True


def adopt(report: Report, key: str, version: Version) -> None:
    """Make a version the part's current text and keep it in the part's history (the text it replaces too)."""
    keep_current_text(report, key)
    part = report.parts[key]
    part.text = version.text
    part.versions.append(version)


def record_edit(report: Report, key: str, text: str) -> bool:
    """Keep a hand edit as a version (source human), guarded like any other; False when nothing changed."""
    if text == report.parts[key].text:
        return False
    adopt(report, key, Version(text=text, source="human", marks=guard_text(text, build_ledger(report))))
    return True
