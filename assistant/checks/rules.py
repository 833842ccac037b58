"""The rule registry of DESIGN §2: every rule by its ids, and `verify(report, previous)` that runs them in order.

Each rule lives in its family's module (tables, yearly, narrative, guard, blanks, placeholders, assessment);
this module only says which check produces which rule ids and in what order they run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.checks.assessment import check_cite, check_deadline, check_parts
from assistant.checks.blanks import check_blank
from assistant.checks.facts import TableSummary, build_ledger, table_summary
from assistant.checks.findings import Finding, Severity, describe
from assistant.checks.guard import check_number_guard, check_text_table
from assistant.checks.narrative import check_empty, check_fee, check_gb2312
from assistant.checks.placeholders import check_placeholders
from assistant.checks.tables import check_cells, check_t2_valid, check_t3_balance, check_t3_sums, check_t4
from assistant.checks.yearly import check_similar, check_yoy
from assistant.format.models import Report

__all__ = [
    "RULES",
    "RULE_IDS",
    "Finding",
    "Rule",
    "Severity",
    "describe",
    "verify",
]


class Subject:
    """What the rules look at: the report, last year's, the imported headings, and figures computed once."""

    __slots__ = ("_summary", "headings", "narrative", "previous", "report")

    def __init__(
        self,
        report: Report,
        previous: Report | None,
        headings: Sequence[tuple[int, str]] | None,
        narrative: bool,
    ) -> None:
        self.report, self.previous, self.headings, self.narrative = report, previous, headings, narrative
        self._summary: TableSummary | None = None

    @property
    def summary(self) -> TableSummary:
        """The tables' figures under readable names, shared by TEXT-TABLE and NUMBER-GUARD."""
        if self._summary is None:
            self._summary = table_summary(self.report, self.report.cells)
        return self._summary

    @property
    def reads_text(self) -> bool:
        """Whether the rules that read every number in the text run: asked for, and there is text."""
        return self.narrative and any(p.text for p in self.report.parts.values())


@dataclass(frozen=True, slots=True)
class Rule:
    """One check of the registry and the rule ids its findings carry."""

    ids: tuple[str, ...]
    check: Callable[[Subject, list[Finding]], None]


def _text_table(s: Subject, out: list[Finding]) -> None:
    if s.reads_text:
        out += check_text_table(s.report, s.summary)


def _number_guard(s: Subject, out: list[Finding]) -> None:
    if s.reads_text:
        out += check_number_guard(s.report, build_ledger(s.report, s.summary, s.report.cells))


def _yoy(s: Subject, out: list[Finding]) -> None:
    if s.previous is not None:
        check_yoy(s.report, s.previous, out)


def _similar(s: Subject, out: list[Finding]) -> None:
    if s.previous is not None:
        check_similar(s.report, s.previous, out)


# In the order verify runs them, which is the order of the findings within one severity.
RULES: tuple[Rule, ...] = (
    Rule(("CELL",), lambda s, out: check_cells(s.report, out)),
    Rule(("T3-ROW", "T3-RESULT"), lambda s, out: check_t3_sums(s.report.cells, out)),
    Rule(("T3-BALANCE",), lambda s, out: check_t3_balance(s.report.cells, out)),
    Rule(("T4-SUM",), lambda s, out: check_t4(s.report.cells, out)),
    Rule(("T2-VALID",), lambda s, out: check_t2_valid(s.report.cells, out)),
    Rule(("BLANK",), lambda s, out: check_blank(s.report, out)),
    Rule(("EMPTY",), lambda s, out: check_empty(s.report, out)),
    Rule(("FEE",), lambda s, out: check_fee(s.report, out)),
    Rule(("GB2312",), lambda s, out: check_gb2312(s.report, out)),
    Rule(("PLACEHOLDER",), lambda s, out: out.extend(check_placeholders(s.report))),
    Rule(("CITE",), lambda s, out: check_cite(s.report, out)),
    Rule(("PARTS",), lambda s, out: check_parts(s.report, s.headings, out)),
    Rule(("DEADLINE",), lambda s, out: check_deadline(s.report, out)),
    # The two rules that read every number in the text; verify(narrative=False) leaves them out.
    Rule(("TEXT-TABLE",), _text_table),
    Rule(("NUMBER-GUARD",), _number_guard),
    # Against last year's report, when there is one.
    Rule(("YOY-CARRY", "YOY-VALID"), _yoy),
    Rule(("SIMILAR",), _similar),
)
# Rules over a batch of one year's reports rather than one report: checks.peers.find_peer_similar.
BATCH_RULE_IDS: tuple[str, ...] = ("PEER-SIMILAR",)

# The order in which pages and the workbook list the rules: tables, last year, text, then the assessment.
_LISTED: tuple[str, ...] = (
    "T3-ROW",
    "T3-RESULT",
    "T3-BALANCE",
    "T4-SUM",
    "T2-VALID",
    "CELL",
    "YOY-CARRY",
    "YOY-VALID",
    "FEE",
    "SIMILAR",
    "GB2312",
    "EMPTY",
    "TEXT-TABLE",
    "NUMBER-GUARD",
    "BLANK",
    "PLACEHOLDER",
    "CITE",
    "PARTS",
    "DEADLINE",
    "PEER-SIMILAR",
)


def _rule_ids() -> tuple[str, ...]:
    """Every rule id of the registry, in the listed order; an id without a rule or a rule unlisted stops the import."""
    registered = [i for rule in RULES for i in rule.ids] + list(BATCH_RULE_IDS)
    if sorted(registered) != sorted(_LISTED):
        raise RuntimeError(
            f"rule ids registered {sorted(registered)} differ from those listed {sorted(_LISTED)}"
        )
    return tuple(sorted(registered, key=_LISTED.index))


RULE_IDS: tuple[str, ...] = _rule_ids()

# Each rule's short Chinese name, for pages and summaries a clerk reads (the ids stay for scripts and `check`).
RULE_TITLES: dict[str, str] = {
    "T3-ROW": "表三行合计",
    "T3-RESULT": "表三办理结果合计",
    "T3-BALANCE": "表三收结平衡",
    "T4-SUM": "表四合计",
    "T2-VALID": "表二现行有效",
    "CELL": "单元格数值",
    "YOY-CARRY": "上年结转衔接",
    "YOY-VALID": "现行有效衔接",
    "FEE": "信息处理费",
    "SIMILAR": "与上年相似",
    "GB2312": "字符是否在字库内",
    "EMPTY": "正文各部分",
    "TEXT-TABLE": "文字与表格一致",
    "NUMBER-GUARD": "数字来源",
    "BLANK": "单元格填写",
    "PLACEHOLDER": "待填写的内容",
    "CITE": "文号引用",
    "PARTS": "部分齐全",
    "DEADLINE": "发布时限",
    "PEER-SIMILAR": "与其他机关相似",
}
if set(RULE_TITLES) != set(RULE_IDS):  # a rule without a name (or a name without a rule) stops the import
    raise RuntimeError(f"RULE_TITLES and RULE_IDS differ: {sorted(set(RULE_TITLES) ^ set(RULE_IDS))}")


def verify(
    report: Report,
    previous: Report | None = None,
    *,
    narrative: bool = True,
    headings: Sequence[tuple[int, str]] | None = None,
) -> list[Finding]:
    """Every finding of every rule on the report (and on last year's report, when given).

    narrative=False leaves out TEXT-TABLE and NUMBER-GUARD, the two rules that read every number in the text:
    the tables page re-checks on each keystroke in a cell, where the text has not changed.
    headings: an imported report's part headings as printed (rule PARTS); None for a report made in the app.
    """
    out: list[Finding] = []
    subject = Subject(report, previous, headings, narrative)
    for rule in RULES:
        rule.check(subject, out)
    return out


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each severity."""
    counts = {"error": 0, "warning": 0, "cannot-check": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts
