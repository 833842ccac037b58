"""The ledger of facts a draft may state: table cells, derived totals, the usual aggregates, notes, metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any, TypedDict, cast

from assistant.checks.fill import fill_cells, sum_or_none
from assistant.checks.numbers import Kind, extract_numbers
from assistant.format import layout
from assistant.format.models import Report

_YEARS = frozenset(range(1900, 2100))  # Decimal("2024") is in it, Decimal("2024.5") is not
_T3_GROUPS = {"r3": "不予公开", "r4": "无法提供", "r5": "不予处理", "r6": "其他处理"}


@dataclass
class Ledger:
    """The values that are facts, by kind of quantity.

    Ints and Decimals share one set: 5 == Decimal("5.0") and they hash alike, so no conversion is needed.
    """

    values: dict[Kind, set[int | Decimal]] = field(
        default_factory=lambda: {"count": set(), "money": set(), "percent": set(), "plain": set()}
    )
    # Years a bare number may name (根据2024工作要点): matched by plain numbers only, so that a count of
    # 2024件 is never taken for the year.
    years: set[int] = field(default_factory=set)

    def add(self, value: int | Decimal | None, kind: Kind) -> None:
        """Record a fact; blanks are no facts."""
        if value is not None:
            self.values[kind].add(value)

    def add_all(self, values: Iterable[int | Decimal | None], kind: Kind) -> None:
        """Record many facts of one kind at once."""
        target: set[Any] = self.values[kind]
        target.update(values)  # in C; the one None it may add is dropped after
        target.discard(None)

    def add_text(self, text: str) -> None:
        """Record every number a text states (the clerk's notes, the metadata)."""
        for number in extract_numbers(text):
            if number.kind == "plain" and number.value in _YEARS:
                # A bare 2024 in the notes is most likely a year: it must not vouch for a count of 2024件.
                self.years.add(int(number.value))
            else:
                self.values[number.kind].add(number.value)

    def has(self, value: int | Decimal, kind: Kind) -> bool:
        """True when the value is a fact of a compatible kind (a plain number matches any kind)."""
        if kind == "plain":
            return value in self.years or any(value in v for v in self.values.values())
        return value in self.values[kind] or value in self.values["plain"]


def _getter(keys: Iterable[str]) -> Callable[[dict[str, int | None]], tuple[int | None, ...]]:
    """A C-level fetch of several cells at once, always returning a tuple."""
    keys = tuple(keys)
    get = itemgetter(*keys)
    return (lambda cells: (get(cells),)) if len(keys) == 1 else get


# Aggregates a sentence may use: 法人或其他组织 per row, and each result group (不予公开 …) per column.
_AGGREGATES = tuple(
    _getter(layout.t3_row(row.key, layout.T3_LEGAL_PERSON_COLUMNS)) for row in layout.T3_ROWS
) + tuple(
    _getter(layout.t3_column(col, layout.t3_items(group)))
    for col, _ in layout.T3_COLUMNS
    for group in _T3_GROUPS
)
_GROUP_TOTALS = {group: _getter(layout.t3_column("total", layout.t3_items(group))) for group in _T3_GROUPS}


class TableSummary(TypedDict):
    """The tables' figures under readable names: every key is always there, None where a figure is blank.

    Table 四 as group_column (review_upheld … suit_after_total, suit_* the two 行政诉讼 groups added), table 二's
    first block as row_column (rules_issued … normative_valid).
    """

    new: int | None
    new_natural: int | None
    new_legal: int | None
    carried_in: int | None
    received: int | None
    done: int | None
    disclosed: int | None
    partly: int | None
    withheld: int | None
    unable: int | None
    not_handled: int | None
    other_handled: int | None
    carried_out: int | None
    review_upheld: int | None
    review_corrected: int | None
    review_other: int | None
    review_pending: int | None
    review_total: int | None
    suit_direct_upheld: int | None
    suit_direct_corrected: int | None
    suit_direct_other: int | None
    suit_direct_pending: int | None
    suit_direct_total: int | None
    suit_after_upheld: int | None
    suit_after_corrected: int | None
    suit_after_other: int | None
    suit_after_pending: int | None
    suit_after_total: int | None
    suit_upheld: int | None
    suit_corrected: int | None
    suit_other: int | None
    suit_pending: int | None
    suit_total: int | None
    rules_issued: int | None
    rules_repealed: int | None
    rules_valid: int | None
    normative_issued: int | None
    normative_repealed: int | None
    normative_valid: int | None
    licensing: int | None
    punishment: int | None
    coercion: int | None
    fee_wan: Decimal | None
    info_fee_yuan: Decimal | None


def table_summary(report: Report, cells: dict[str, int | None] | None = None) -> TableSummary:
    """The tables' figures under readable names, for the facts block and the TEXT-TABLE rule."""
    cells = cells if cells is not None else fill_cells(report.cells)

    def t3(row: str, col: str = "total") -> int | None:
        return cells[layout.t3(row, col)]

    groups = {g: sum_or_none(get(cells)) for g, get in _GROUP_TOTALS.items()}
    legal_new = sum_or_none(tuple(t3("new", c) for c in layout.T3_LEGAL_PERSON_COLUMNS))
    t4 = {f"{g}_{c}": cells[layout.t4(g, c)] for g, _ in layout.T4_GROUPS for c, _ in layout.T4_COLUMNS}
    suits = {c: sum_or_none((t4[f"suit_direct_{c}"], t4[f"suit_after_{c}"])) for c, _ in layout.T4_COLUMNS}
    t2 = {
        f"{r}_{c}": cells[layout.t2(r, c)]
        for r in ("rules", "normative")
        for c in ("issued", "repealed", "valid")
    }
    # Built from the layout's keys, so a cast: the test of TableSummary holds its keys to these.
    summary = {
        "new": t3("new"),
        "new_natural": t3("new", "natural"),
        "new_legal": legal_new,
        "carried_in": t3("carried_in"),
        "received": sum_or_none((t3("new"), t3("carried_in"))),
        "done": t3("r7"),
        "disclosed": t3("r1"),
        "partly": t3("r2"),
        "withheld": groups["r3"],
        "unable": groups["r4"],
        "not_handled": groups["r5"],
        "other_handled": groups["r6"],
        "carried_out": t3("carried_out"),
        **t4,
        **{f"suit_{c}": v for c, v in suits.items()},
        **t2,
        "licensing": cells[layout.t2("licensing", "decisions")],
        "punishment": cells[layout.t2("punishment", "decisions")],
        "coercion": cells[layout.t2("coercion", "decisions")],
        "fee_wan": report.fee_amount_wan,
        "info_fee_yuan": report.info_fee_yuan,
    }
    return cast(TableSummary, summary)


def build_ledger(
    report: Report, summary: TableSummary | None = None, cells: dict[str, int | None] | None = None
) -> Ledger:
    """Every fact of the report: each cell, derived and aggregate totals, notes and metadata."""
    ledger = Ledger()
    cells = cells if cells is not None else fill_cells(report.cells)
    summary = summary if summary is not None else table_summary(report, cells)
    ledger.add_all(cells.values(), "count")
    ledger.add_all((v for v in summary.values() if isinstance(v, int)), "count")
    if summary["fee_wan"] is not None:
        ledger.add(summary["fee_wan"] * 10000, "money")
    ledger.add(summary["info_fee_yuan"], "money")
    ledger.add_all([sum_or_none(get(cells)) for get in _AGGREGATES], "count")
    ledger.years.update((report.year - 1, report.year, report.year + 1))
    for part in report.parts.values():
        ledger.add_text(part.notes)
    for text in (report.agency, report.compiler, report.contact_address, report.published_at):
        ledger.add_text(text)
    return ledger
