"""Drafting: one part, all parts concurrently, or a refinement; each result is a guarded new version."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from assistant.checks.facts import Ledger, build_ledger
from assistant.checks.guard import guard_text
from assistant.drafting.audit import AuditRecord, Outcome, Recorder
from assistant.drafting.llm import STOPPED, AnswerCut, ChatClient, LLMError, Stopped, strip_reasoning
from assistant.drafting.prompts import (
    DRAFT_PARTS,
    Message,
    draft_messages,
    join_broken_lines,
    refine_messages,
    render_offline,
    retry_message,
    target_length,
)
from assistant.drafting.secrecy import SecrecyMark, refusal_message, scan_all
from assistant.format import layout
from assistant.format.models import GuardMark, Report, Version

OFFLINE_MODEL = "离线起草"
OFFLINE_REFINE = "离线模式不能按修改意见改写：请在“设置”中配置模型接口，或直接在文本框中修改。"
OnText = Callable[[str], object]
# An answer may run to this many times the length asked for; beyond it the model has lost the thread.
ANSWER_CAP_FACTOR = 6
TOKENS_PER_CHAR = 4  # room for a tokenizer's worst case on Chinese and for a reasoning model's thinking


@dataclass(frozen=True)
class Oversight:
    """What watches every request: the audit recorder, the extra 密级 words, and where the request comes from."""

    record: Recorder | None = None
    secrecy_words: tuple[str, ...] = ()
    origin: str = ""  # 网页, draft, eval


NO_OVERSIGHT = Oversight()


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
    # What the clerk must know about an adopted version: the answer was cut, and where; or the number guard's second
    # request failed or could not be made, so the first draft stands with its marks.
    notice: str = ""
    secrecy: list[SecrecyMark] = field(default_factory=list)  # the marks that stopped the request
    stopped: bool = False

    @property
    def ok(self) -> bool:
        return self.version is not None


_MARKDOWN = re.compile(r"^\s{0,3}(?:#{1,6}\s*|[-*+]\s+|>\s*)|\*\*|__|`", re.M)


def clean_answer(raw: str, key: str) -> str:
    """The model's answer as report text: no reasoning, no Markdown marks, no echoed heading."""
    text = _MARKDOWN.sub("", strip_reasoning(raw))
    spec = layout.PART_BY_KEY[key]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].rstrip("。：:") in (spec.heading, spec.words, spec.title):
        lines = lines[1:]
    return "\n".join(lines)


def _collect(
    client: ChatClient,
    messages: list[Message],
    on_text: OnText | None,
    stop: threading.Event | None,
    limit: AnswerLimit,
    received: list[int],
    within: float | None = None,
) -> tuple[str, str]:
    """The answer as it streams in, and why it was cut short ("" when it came whole); received[0] counts the
    characters that arrived, also when the request fails. `within`: the seconds left of the part's time limit."""
    parts: list[str] = []
    size, cut = 0, ""
    if stop is not None and stop.is_set():
        raise Stopped(STOPPED)
    answer = client.stream(messages, max_tokens=limit.tokens, within=within)
    try:
        for piece in answer:
            received[0] += len(piece)
            if stop is not None and stop.is_set():
                raise Stopped(STOPPED)
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


def report_label(report: Report) -> str:
    """The report as the audit log names it."""
    return f"{report.agency} {report.year}年"


def _sources(
    report: Report, key: str, previous: Report | None, instruction: str = "", earlier: tuple[str, ...] = ()
) -> dict[str, str]:
    """What a request may carry, each under the name the clerk knows it by (for the 密级 guard's message)."""
    heading = layout.PART_BY_KEY[key].heading
    sources = {
        "机关名称": report.agency,
        f"要点（{heading}）": report.parts[key].notes,
        f"当前文字（{heading}）": report.parts[key].text,
    }
    if key == "problems.measures":
        sources["当前文字（存在的主要问题）"] = report.parts["problems.issues"].text
    if previous is not None:
        for name in (key, "problems.issues", "problems"):
            sources[f"上年报告（{layout.PART_BY_KEY[name].heading}）"] = previous.parts[name].text
    if instruction:
        sources["修改意见"] = instruction
    for n, said in enumerate(earlier, 1):
        sources[f"此前的修改意见（第{n}条）"] = said
    return sources


def _refused(
    report: Report,
    key: str,
    client: ChatClient,
    messages: list[Message],
    sources: dict[str, str],
    oversight: Oversight,
) -> DraftResult | None:
    """A result saying why nothing was sent when a classification mark is in the material; None when clean.

    The labelled sources say where a mark is; the messages themselves are scanned too, so nothing the templates
    add (the facts, last year's text) slips past."""
    marks = scan_all(sources, oversight.secrecy_words) or scan_all(
        {"发送给模型的其他内容": "\n".join(m["content"] for m in messages)}, oversight.secrecy_words
    )
    if not marks:
        return None
    sent = sum(len(m["content"]) for m in messages)
    _record(oversight, client, report, key, sent, 0, 0.0, "refused", "；".join(m.describe() for m in marks))
    return DraftResult(key, error=refusal_message(marks), secrecy=marks, prompt_chars=sent)


def _record(
    oversight: Oversight,
    client: ChatClient,
    report: Report,
    key: str,
    sent: int,
    received: int,
    seconds: float,
    outcome: Outcome,
    detail: str = "",
) -> None:
    if oversight.record is None:
        return
    oversight.record(
        AuditRecord(
            host=str(getattr(client, "endpoint", "") or "（未知）"),
            model=client.model,
            report=report_label(report),
            part=layout.PART_BY_KEY[key].heading,
            sent=sent,
            received=received,
            seconds=seconds,
            outcome=outcome,
            detail=detail,
            origin=oversight.origin,
        )
    )


_RETRY_AT_LEAST = 5.0  # seconds: with less left of the part's time, the guard's second request is not made


_POLL_SLACK = 0.5  # seconds: a request that failed this close to the part's time limit failed for want of time


def _joined(*notices: str) -> str:
    return "；".join(n for n in notices if n)


def _kept_first(marks: list[GuardMark], why: str) -> str:
    return f"第一稿有 {len(marks)} 处数字找不到来源；{why}。已保留第一稿并标出这些数字，请核实"


def _guarded(
    report: Report,
    key: str,
    client: ChatClient,
    messages: list[Message],
    ledger: Ledger,
    on_text: OnText | None,
    stop: threading.Event | None,
    instruction: str = "",
    oversight: Oversight = NO_OVERSIGHT,
    sources: dict[str, str] | None = None,
) -> DraftResult:
    """Ask, guard, and ask once more with the violations listed; what still fails keeps its marks.

    Nothing is sent when the 密级 guard finds a mark; every request, sent or refused, is recorded."""
    refused = _refused(report, key, client, messages, sources or {}, oversight)
    if refused is not None:
        return refused
    result = DraftResult(key, prompt_chars=sum(len(m["content"]) for m in messages))
    marks: list[GuardMark] = []
    text = ""
    limit = answer_limit(key)
    # One time limit for the part, the guard's second request included: ASSISTANT_LLM_TIMEOUT is what the clerk waits.
    ends = time.monotonic() + client.timeout
    for attempt in (1, 2):
        left = ends - time.monotonic()
        if attempt == 2 and left < _RETRY_AT_LEAST:
            result.notice = _joined(result.notice, _kept_first(marks, f"{client.timeout:g} 秒的时限将到，没有再请模型改正"))
            break
        result.attempts = attempt
        sent, received, started = sum(len(m["content"]) for m in messages), [0], time.monotonic()
        try:
            raw, cut = _collect(client, messages, on_text, stop, limit, received, within=left)
        except LLMError as exc:
            stopped = isinstance(exc, Stopped)
            outcome: Outcome = "stopped" if stopped else "error"
            _record(
                oversight,
                client,
                report,
                key,
                sent,
                received[0],
                time.monotonic() - started,
                outcome,
                "" if stopped else str(exc),  # for a stop the outcome says it all
            )
            if attempt == 2 and not stopped:
                # The first answer stands, its unsourced numbers marked: a failed second request loses nothing.
                late = time.monotonic() >= ends - _POLL_SLACK
                reason = "时限已到" if late else str(exc).split("，")[0]
                result.notice = _joined(result.notice, _kept_first(marks, f"请模型改正的第二次请求没有完成：{reason}"))
                break
            # 停止 during either request: the clerk asked for nothing to change, and nothing does.
            result.error = str(exc)
            result.stopped = stopped
            return result
        _record(oversight, client, report, key, sent, received[0], time.monotonic() - started, "ok", cut)
        second = clean_answer(_whole_sentences(raw) if cut else raw, key)
        if not second and attempt == 2:
            result.notice = _joined(result.notice, _kept_first(marks, "请模型改正的第二次回答没有可用的正文"))
            break
        if not second:
            result.error = (
                f"{cut}，其中没有一个完整的句子，没有采用，请重试" if cut else "模型没有返回正文，请重试"
            )
            return result
        result.raw, text = raw, second
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
    oversight: Oversight = NO_OVERSIGHT,
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
    sources = _sources(report, key, previous)
    return _guarded(
        report, key, client, messages, ledger, on_text, stop, oversight=oversight, sources=sources
    )


def draft_all(
    report: Report,
    client: ChatClient | None,
    previous: Report | None = None,
    keys: tuple[str, ...] = DRAFT_PARTS,
    on_done: Callable[[DraftResult], None] | None = None,
    oversight: Oversight = NO_OVERSIGHT,
) -> dict[str, DraftResult]:
    """Draft several parts at once: the requests run concurrently, so the wall time is about one request's."""
    ledger = build_ledger(report)
    results: dict[str, DraftResult] = {}
    lock = threading.Lock()

    def one(key: str) -> None:
        result = draft_part(report, key, client, previous, ledger=ledger, oversight=oversight)
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
    oversight: Oversight = NO_OVERSIGHT,
) -> DraftResult:
    """Rewrite one part by the clerk's instruction, with the instructions given before."""
    if client is None:
        return DraftResult(key, error=OFFLINE_REFINE)
    if not instruction.strip():
        return DraftResult(key, error="请先写下修改意见")
    earlier = [v.instruction for v in report.parts[key].versions if v.instruction]
    messages = refine_messages(report, key, instruction, earlier, previous)
    sources = _sources(report, key, previous, instruction, tuple(earlier[-5:]))
    return _guarded(
        report,
        key,
        client,
        messages,
        build_ledger(report),
        on_text,
        stop,
        instruction=instruction,
        oversight=oversight,
        sources=sources,
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
    # A PDF breaks lines mid-sentence: each broken line would otherwise become an item of its own.
    part.notes = join_broken_lines(part.text)
    return True


def adopt(report: Report, key: str, version: Version) -> bool:
    """Make a version the part's current text and keep it in the part's history (the text it replaces too).

    A text identical to the current one is not a new version; False then."""
    part = report.parts[key]
    if version.text == part.text and any(v.text == part.text for v in part.versions):
        return False
    keep_current_text(report, key)
    part.text = version.text
    part.versions.append(version)
    return True


def current_version(report: Report, key: str) -> int | None:
    """The index of the one version that is 当前: the latest holding the part's text (None when none does)."""
    part = report.parts[key]
    for index in range(len(part.versions) - 1, -1, -1):
        if part.versions[index].text == part.text:
            return index
    return None


def offer(report: Report, key: str, version: Version) -> bool:
    """A new draft or refinement: an empty part takes it at once (True); a part with text gets it as a candidate
    beside the current text (False), replacing an earlier candidate, until the clerk accepts or discards it."""
    part = report.parts[key]
    if not part.text.strip():
        adopt(report, key, version)
        part.candidate = None
        return True
    part.candidate = None if version.text == part.text else version
    return False


def accept_candidate(report: Report, key: str, text: str | None = None) -> bool:
    """Adopt the candidate, as it is or as the clerk edited it (then a hand edit that names the model's version);
    False when there is no candidate."""
    part = report.parts[key]
    candidate = part.candidate
    if candidate is None:
        return False
    part.candidate = None
    if text is not None and text.strip() and text != candidate.text:
        # A hand edit of the model's text: who wrote the first form of it stays named, and so does the instruction.
        edited = Version(
            text=text,
            source="human",
            model=f"{candidate.model or '离线起草'} 的稿子，经修改后采用",
            instruction=candidate.instruction,
            marks=guard_text(text, build_ledger(report)),
        )
        adopt(report, key, edited)
        return True
    adopt(
        report, key, candidate.model_copy(update={"marks": guard_text(candidate.text, build_ledger(report))})
    )
    return True


def discard_candidate(report: Report, key: str) -> bool:
    """Drop the candidate; the current text stays as it is. False when there was none."""
    part = report.parts[key]
    had = part.candidate is not None
    part.candidate = None
    return had


def record_edit(report: Report, key: str, text: str) -> bool:
    """Keep a hand edit as a version (source human), guarded like any other; False when nothing changed."""
    if text == report.parts[key].text:
        return False
    adopt(report, key, Version(text=text, source="human", marks=guard_text(text, build_ledger(report))))
    return True
