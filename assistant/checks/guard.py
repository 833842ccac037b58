"""The number guard and the TEXT-TABLE rule: every number in the text is a fact and agrees with the tables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from assistant.checks.facts import Ledger, TableSummary, build_ledger, table_summary
from assistant.checks.findings import Finding, TextSpan
from assistant.checks.numbers import Number, extract_numbers
from assistant.checks.placeholders import find_placeholders
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
                    (layout.part_key(spec.key),),
                    f"“{spec.title}”中的{shown}在表格、要点和机关信息中都找不到，请核实或在要点中写明来源",
                    None,
                    [m.text for m in marks],
                )
            )
    return out


# --- TEXT-TABLE ---------------------------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"[。；;，,：:（(、]")


def _one(key: str) -> tuple[str, tuple[str, ...]]:
    return layout.describe_cell(key), (key,)


def _group(group: str, words: str) -> tuple[str, tuple[str, ...]]:
    """A 办理结果 group such as （三）不予公开: the sum of its items' 总计."""
    cells = layout.t3_column("total", layout.t3_items(group))
    return f"表三 {words}各项 总计之和", cells


# Where each figure of table_summary stands: the words a message uses and the cells it points at.
_SOURCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "new": _one(layout.t3("new", "total")),
    "received": (
        "表三 一、本年新收与二、上年结转 总计之和",
        (layout.t3("new", "total"), layout.t3("carried_in", "total")),
    ),
    "carried_in": _one(layout.t3("carried_in", "total")),
    "carried_out": _one(layout.t3("carried_out", "total")),
    "done": ("表三 （七）总计", (layout.t3("r7", "total"),)),
    "disclosed": _one(layout.t3("r1", "total")),
    "partly": ("表三 （二）部分公开 总计", (layout.t3("r2", "total"),)),
    "withheld": _group("r3", "（三）不予公开"),
    "unable": _group("r4", "（四）无法提供"),
    "not_handled": _group("r5", "（五）不予处理"),
    "other_handled": _group("r6", "（六）其他处理"),
    "review_total": _one(layout.t4("review", "total")),
    "suit_total": (
        "表四 行政诉讼（未经复议直接起诉、复议后起诉）总计之和",
        (layout.t4("suit_direct", "total"), layout.t4("suit_after", "total")),
    ),
    **{
        f"{row}_{col}": _one(layout.t2(row, col))
        for row in ("rules", "normative")
        for col in ("issued", "repealed", "valid")
    },
    "licensing": _one(layout.t2("licensing", "decisions")),
    "punishment": _one(layout.t2("punishment", "decisions")),
    "coercion": _one(layout.t2("coercion", "decisions")),
}


@dataclass(frozen=True)
class _Topic:
    name: str
    words: str  # how the message names it
    before: re.Pattern[str]
    after: re.Pattern[str] | None
    values: tuple[str, ...]  # table_summary keys whose values the number may equal
    summed: bool = False  # the sum of the values is a reading too (复议和诉讼共 N 件); never 新收 + 收到


def _result(name: str, words: str) -> _Topic:
    """A 办理结果 group (不予公开 …): the number stands right after its words (其中不予公开3件)."""
    return _Topic(name, words, re.compile(words + r"[^。；;，,]{0,4}$"), None, (name,))


def _decisions(name: str, words: str) -> _Topic:
    """A table 二 decision count: only where the number follows the words (行政许可决定3件)."""
    return _Topic(
        name, words + "决定", re.compile(words + r"(?:决定)?(?:数量?)?(?:共|为|共计)?$"), None, (name,)
    )


_TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "carried_out",
        "结转下年度",
        re.compile(r"结转(?:至|到)?下一?年度?|顺延"),
        re.compile(r"^[^。；;，,]{0,6}(?:结转(?:至|到)?下一?年|顺延)"),
        ("carried_out",),
    ),
    _Topic("carried_in", "上年结转", re.compile(r"上一?年度?结转|结转上一?年"), None, ("carried_in",)),
    _Topic("review", "行政复议", re.compile(r"行政复议"), None, ("review_total", "suit_total"), summed=True),
    _Topic("suit", "行政诉讼", re.compile(r"行政诉讼"), None, ("suit_total", "review_total"), summed=True),
    _Topic(
        "disclosed_or_partly",
        "予以公开及部分公开",
        re.compile(r"予以公开[及和与或、]部分公开[^。；;，,]{0,4}$"),
        None,
        ("disclosed", "partly"),
        summed=True,
    ),
    _result("disclosed", "予以公开"),
    _result("partly", "部分公开"),
    _result("withheld", "不予公开"),
    _result("unable", "无法提供"),
    _result("not_handled", "不予处理"),
    _result("other_handled", "其他处理"),
    _Topic(
        "received",
        "收到申请",
        re.compile(
            r"(?:收到|新收|受理|接收|接到)[^。；;，,申]{0,12}?申请(?![人书表材])"
            r"|申请(?![人书表材])[^。；;，,]{0,4}?(?:收到|新收|受理)|(?:收到|新收|受理|接收|接到)$"
        ),
        None,
        ("new", "received"),
    ),
    _Topic("done", "办结", re.compile(r"办结|答复|办理完毕"), None, ("done",)),
    _Topic(
        "valid", "现行有效", re.compile(r"现行有效"), None, ("normative_valid", "rules_valid"), summed=True
    ),
    _Topic(
        "issued",
        "制发",
        re.compile(
            r"(?:制发|印发|出台|发布)[^。；;，,]{0,10}?(?:规范性文件|规章)|(?:规范性文件|规章)[^。；;，,]{0,6}?(?:制发|印发)"
        ),
        None,
        ("normative_issued", "rules_issued"),
        summed=True,
    ),
    _Topic(
        "repealed", "废止", re.compile(r"废止"), None, ("normative_repealed", "rules_repealed"), summed=True
    ),
    _decisions("licensing", "行政许可"),
    _decisions("punishment", "行政处罚"),
    _decisions("coercion", "行政强制"),
)
# Every figure a topic reads is one TableSummary names and _SOURCES places: a misspelt name would switch the
# topic off without a word, so it stops the import instead.
_UNPLACED = ({n for t in _TOPICS for n in t.values} | _SOURCES.keys()) - TableSummary.__required_keys__
_UNPLACED |= {n for t in _TOPICS for n in t.values} - _SOURCES.keys()
if _UNPLACED:
    raise RuntimeError(f"TEXT-TABLE reads figures that table_summary does not give: {sorted(_UNPLACED)}")
_RESULT_WORDS = re.compile(r"公开|不予|无法提供|其他处理|转下")
# 未收到（政府信息公开）申请 — not 未收到该申请人提交的补正: 申请 must be what was not received.
_NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|接到|受理)[^。；;，,申]{0,10}?申请(?![人书表材])")
_APPLICATION_AFTER = re.compile(r"^[^。；;，,]{0,4}申请(?![人书表材])")
_APPLICATION_BEFORE = re.compile(r"申请(?![人书表材])")


def _clause_before(text: str, start: int) -> str:
    head = text[max(0, start - 30) : start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    return head[breaks[-1].end() :] if breaks else head


def _readings(summary: Mapping[str, object], topic: _Topic) -> list[tuple[int, str, tuple[str, ...]]]:
    """The values the table gives for a topic, each with the words and cells it comes from; one per value."""
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for name in topic.values:
        value = summary[name]
        if isinstance(value, int):
            found.append((value, *_SOURCES[name]))
    if topic.summed and len(found) > 1:
        words = "与".join(w for _, w, _ in found) + "之和"
        found.append((sum(v for v, _, _ in found), words, tuple(c for _, _, cs in found for c in cs)))
    unique: dict[int, tuple[int, str, tuple[str, ...]]] = {}
    for reading in found:
        unique.setdefault(reading[0], reading)
    return list(unique.values())


def _topic_of(text: str, number: Number) -> _Topic | None:
    before = _clause_before(text, number.start)
    after = text[number.end : number.end + 12]
    for topic in _TOPICS:
        if topic.before.search(before) or (topic.after is not None and topic.after.search(after)):
            if topic.name == "received" and not (
                _APPLICATION_BEFORE.search(before) or _APPLICATION_AFTER.search(after)
            ):
                continue
            if topic.name == "done" and _RESULT_WORDS.search(before):
                continue  # “予以公开答复 9 件” is one result, not everything 办结
            return topic
    return None


def text_table_findings(text: str, key: str, summary: TableSummary) -> list[Finding]:
    """TEXT-TABLE on one part's text: each figure it states about the tables, checked where it stands.

    Each finding carries the figure's place in the text (span), so the page can mark it.
    """
    if not text:
        return []
    spec = layout.PART_BY_KEY[key]
    where = layout.part_key(key)
    out: list[Finding] = []
    for number in extract_numbers(text):
        if number.kind not in ("count", "plain"):
            continue
        topic = _topic_of(text, number)
        if topic is None:
            continue
        readings = _readings(summary, topic)
        if readings and all(number.value != value for value, _, _ in readings):
            table = "或".join(f"{value}（{words}）" for value, words, _ in readings)
            cells = tuple(dict.fromkeys(c for _, _, cs in readings for c in cs))
            out.append(
                Finding(
                    "TEXT-TABLE",
                    "warning",
                    (where, *cells),
                    f"“{spec.title}”说{topic.words}{number.text}，但表格中为{table}，请核对",
                    sorted(value for value, _, _ in readings),
                    int(number.value),
                    TextSpan(number.start, number.end, number.text),
                )
            )
    new = summary["new"]
    if isinstance(new, int) and new > 0:
        for m in _NONE_RECEIVED.finditer(text):
            out.append(
                Finding(
                    "TEXT-TABLE",
                    "warning",
                    (where, layout.t3("new", "total")),
                    f"“{spec.title}”说“{m.group(0)}”，但表三本年新收申请为{new}件（{_SOURCES['new'][0]}），请核对",
                    new,
                    0,
                    TextSpan(m.start(), m.end(), m.group(0)),
                )
            )
    return out


def check_text_table(report: Report, summary: TableSummary | None = None) -> list[Finding]:
    """TEXT-TABLE: what the narrative states about the tables agrees with them, at every mention."""
    summary = summary if summary is not None else table_summary(report)
    out: list[Finding] = []
    for spec in layout.PARTS:
        out += text_table_findings(report.parts[spec.key].text, spec.key, summary)
    return out


# --- marks shown in place -----------------------------------------------------------------------------------


def placeholder_marks(text: str) -> list[GuardMark]:
    """A mark on each placeholder (（请…）, 共主动公开条 …) of a text."""
    return [
        GuardMark(start=p.start, end=p.end, text=p.text, reason=f"“{p.text}”是待填写的内容，请补上或删去")
        for p in find_placeholders(text)
    ]


def marks_for(
    report: Report,
    key: str,
    text: str | None = None,
    ledger: Ledger | None = None,
    summary: TableSummary | None = None,
) -> list[GuardMark]:
    """Every mark on a part's text against the report as it is now: placeholders, TEXT-TABLE, the guard.

    Computed each time a part is shown (and for any kept version's text): a mark saved at drafting time
    would go stale the moment a table cell changes. One mark per place, the most specific reason first.
    """
    text = report.parts[key].text if text is None else text
    if not text:
        return []
    summary = summary if summary is not None else table_summary(report)
    ledger = ledger if ledger is not None else build_ledger(report, summary)
    marks = placeholder_marks(text)
    marks += [
        GuardMark(start=f.span.start, end=f.span.end, text=f.span.text, reason=f.message)
        for f in text_table_findings(text, key, summary)
        if f.span is not None
    ]
    marks += guard_text(text, ledger)
    kept: list[GuardMark] = []
    for mark in marks:
        if all(mark.end <= k.start or mark.start >= k.end for k in kept):
            kept.append(mark)
    return sorted(kept, key=lambda m: m.start)
