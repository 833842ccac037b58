"""The number guard and the TEXT-TABLE rule: every number in the text is a fact and agrees with the tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.checks.facts import Ledger, build_ledger, table_summary
from assistant.checks.findings import Finding
from assistant.checks.numbers import Number, extract_numbers
from assistant.format import layout
from assistant.format.models import GuardMark, Report


def guard_text(text: str, ledger: Ledger) -> list[GuardMark]:
    """A mark on every number in the text that is no fact of a compatible kind."""
    return [
        GuardMark(
            start=n.start,
            end=n.end,
            text=n.text,
            reason=f"“{n.text}”不是表格、要点或机关信息中的数字，请核实",
        )
        for n in extract_numbers(text)
        if not ledger.has(n.value, n.kind)
    ]


def check_number_guard(report: Report, ledger: Ledger | None = None) -> list[Finding]:
    """NUMBER-GUARD: a warning for each part whose text states numbers that are no facts."""
    ledger = ledger or build_ledger(report)
    out: list[Finding] = []
    for spec in layout.PARTS:
        marks = guard_text(report.parts[spec.key].text, ledger)
        if marks:
            shown = "、".join(f"“{m.text}”" for m in marks[:5]) + ("等" if len(marks) > 5 else "")
            out.append(
                Finding(
                    "NUMBER-GUARD",
                    "warning",
                    (f"part.{spec.key}",),
                    f"“{spec.title}”中的{shown}在表格、要点和机关信息中都找不到，请核实或在要点中写明来源",
                    None,
                    [m.text for m in marks],
                )
            )
    return out


# --- TEXT-TABLE ---------------------------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"[。；;，,：:（(、]")


@dataclass(frozen=True)
class _Topic:
    name: str
    words: str  # how the message names it
    before: re.Pattern[str]
    after: re.Pattern[str] | None
    values: tuple[str, ...]  # table_summary keys whose values (or their sum, last) the number may equal
    cell: str


_TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "carried_out",
        "结转下年度",
        re.compile(r"结转(?:至|到)?下一?年度?|顺延"),
        re.compile(r"^[^。；;，,]{0,6}(?:结转(?:至|到)?下一?年|顺延)"),
        ("carried_out",),
        "t3.carried_out.total",
    ),
    _Topic(
        "carried_in",
        "上年结转",
        re.compile(r"上一?年度?结转|结转上一?年"),
        None,
        ("carried_in",),
        "t3.carried_in.total",
    ),
    _Topic(
        "review", "行政复议", re.compile(r"行政复议"), None, ("review_total", "suit_total"), "t4.review.total"
    ),
    _Topic(
        "suit",
        "行政诉讼",
        re.compile(r"行政诉讼"),
        None,
        ("suit_total", "review_total"),
        "t4.suit_direct.total",
    ),
    _Topic(
        "received",
        "收到申请",
        re.compile(
            r"(?:收到|新收|受理|接收|接到)[^。；;，,]{0,12}?申请|申请[^。；;，,]{0,4}?(?:收到|新收|受理)|(?:收到|新收|受理|接收|接到)$"
        ),
        None,
        ("new", "received"),
        "t3.new.total",
    ),
    _Topic("done", "办结", re.compile(r"办结|答复|办理完毕"), None, ("done",), "t3.r7.total"),
    _Topic(
        "valid",
        "现行有效",
        re.compile(r"现行有效"),
        None,
        ("normative_valid", "rules_valid"),
        "t2.normative.valid",
    ),
    _Topic(
        "issued",
        "制发",
        re.compile(
            r"(?:制发|印发|出台|发布)[^。；;，,]{0,10}?(?:规范性文件|规章)|(?:规范性文件|规章)[^。；;，,]{0,6}?(?:制发|印发)"
        ),
        None,
        ("normative_issued", "rules_issued"),
        "t2.normative.issued",
    ),
    _Topic(
        "repealed",
        "废止",
        re.compile(r"废止"),
        None,
        ("normative_repealed", "rules_repealed"),
        "t2.normative.repealed",
    ),
)
_RESULT_WORDS = re.compile(r"公开|不予|无法提供|其他处理|转下")
_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|接到|受理)[^。；;，,]{0,10}?申请")
_APPLICATION_AFTER = re.compile(r"^[^。；;，,]{0,4}申请")


def _clause_before(text: str, start: int) -> str:
    head = text[max(0, start - 30) : start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end() :] if breaks else head


def _acceptable(summary: dict[str, Any], names: Iterable[str]) -> set[int]:
    values = [summary[n] for n in names if isinstance(summary.get(n), int)]
    return set(values) | ({sum(values)} if len(values) > 1 else set())


def _topic_of(text: str, number: Number) -> _Topic | None:
    before = _clause_before(text, number.start)
    after = text[number.end : number.end + 12]
    for topic in _TOPICS:
        if topic.before.search(before) or (topic.after is not None and topic.after.search(after)):
            if topic.name == "received" and not ("申请" in before or _APPLICATION_AFTER.search(after)):
                continue
            if topic.name == "done" and _RESULT_WORDS.search(before):
                continue  # “予以公开答复 9 件” is one result, not everything 办结
            return topic
    return None


def check_text_table(report: Report, summary: dict[str, Any] | None = None) -> list[Finding]:
    """TEXT-TABLE: what the narrative states about the tables agrees with them, at every mention."""
    summary = summary if summary is not None else table_summary(report)
    out: list[Finding] = []
    for spec in layout.PARTS:
        text = report.parts[spec.key].text
        if not text:
            continue
        where = f"part.{spec.key}"
        for number in extract_numbers(text):
            if number.kind not in ("count", "plain"):
                continue
            topic = _topic_of(text, number)
            if topic is None:
                continue
            allowed = _acceptable(summary, topic.values)
            if allowed and number.value not in allowed:
                table = "、".join(str(v) for v in sorted(allowed))
                out.append(
                    Finding(
                        "TEXT-TABLE",
                        "warning",
                        (where, topic.cell),
                        f"“{spec.title}”说{topic.words}{number.text}，但表格中为{table}，请核对",
                        sorted(allowed),
                        int(number.value),
                    )
                )
        new = summary["new"]
        if isinstance(new, int) and new > 0 and (m := _NONE_RECEIVED.search(text)):
            out.append(
                Finding(
                    "TEXT-TABLE",
                    "warning",
                    (where, "t3.new.total"),
                    f"“{spec.title}”说“{m.group(0)}”，但表三本年新收申请为{new}件，请核对",
                    new,
                    0,
                )
            )
    return out
