"""The county's roll-up: many bodies' reports of one year summed, checked, and set against the roster."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

from assistant.checks.checking import Checked, by_severity, check_imported
from assistant.checks.fill import fill
from assistant.checks.findings import Finding, FindingJSON
from assistant.checks.peers import body_key, find_peer_similar
from assistant.format import layout
from assistant.format.models import Report, report_to_json
from assistant.importers.files import decode_text, expand_paths, read_path
from assistant.importers.result import Imported, ReadError

# Every cell of tables 二、三、四 in print order, the 收费金额 (万元) among them.
SUMMED_CELLS: tuple[str, ...] = tuple(c.key for c in layout.CELLS)
_ROSTER_HEADERS = frozenset({"机关名称", "单位名称", "名称", "单位", "机关", "部门", "name", "body"})


@dataclass
class Body:
    """One report in the roll-up: its file, what was read, and the findings on it."""

    file: str
    imported: Imported
    findings: list[Finding] = field(default_factory=list)
    filled: Report | None = None  # the report with its derived cells (总计, （七）, 结转) filled, once summed

    @property
    def agency(self) -> str:
        return self.imported.report.agency or Path(self.file).stem


@dataclass
class Sum:
    """A summed cell: the total of the bodies that gave a figure, and the bodies that left it blank."""

    total: int | Decimal
    bodies: int
    blank: list[str]


@dataclass
class Rollup:
    """A year's roll-up and everything the office must know about the reports that went into it or not."""

    year: int
    bodies: list[Body] = field(default_factory=list)
    cells: dict[str, Sum] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # on the roster, no report
    not_on_roster: list[Body] = field(default_factory=list)
    other_year: list[Body] = field(default_factory=list)
    duplicates: list[tuple[Body, Body]] = field(default_factory=list)  # (the one kept, the one left out)
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def summary_report(self) -> Report:
        """The government's own report started from the sums: a cell any body left blank stays blank."""
        # The start of a report the office writes: the BLANK rule lists the cells still to be filled.
        report = Report(year=self.year, cells=dict.fromkeys(layout.COUNT_CELLS), origin="form")
        for key, summed in self.cells.items():
            if summed.blank:
                continue
            if key == layout.FEE_CELL:
                report.fee_amount_wan = Decimal(summed.total)
            else:
                report.cells[key] = int(summed.total)
        return report


def read_roster(path: Path) -> list[str]:
    """The bodies that must report: the first filled column of each row of a CSV (a header row is skipped)."""
    try:
        text = decode_text(path.read_bytes())
    except OSError as exc:
        raise ReadError(f"无法读取名单：{exc.strerror}") from None
    return parse_roster(text)


def parse_roster(text: str) -> list[str]:
    """The roster from CSV text or names one per line: each name once, in order; a header row is skipped."""
    names: list[str] = []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # a cell past the csv module's size limit: say so instead of a traceback
        raise ReadError("名单无法按 CSV 读取（有一格过长，应为每行一个机关名称）") from None
    for row in rows:
        name = next((cell.strip() for cell in row if cell.strip()), "")
        if name and name.lower() not in _ROSTER_HEADERS and name not in names:
            names.append(name)
    if not names:
        raise ReadError("名单是空的：应为 CSV，每行一个机关名称")
    return names


def _sum(bodies: list[Body]) -> dict[str, Sum]:
    filled = []
    for body in bodies:
        body.filled = fill(body.imported.report)
        filled.append((body.agency, body.filled))
    sums: dict[str, Sum] = {}
    for key in SUMMED_CELLS:
        total: int | Decimal = Decimal(0) if key == layout.FEE_CELL else 0
        given = 0
        blank: list[str] = []
        for agency, report in filled:
            value = report.fee_amount_wan if key == layout.FEE_CELL else report.cells[key]
            if value is None:
                blank.append(agency)
            else:
                total += value
                given += 1
        sums[key] = Sum(total, given, blank)
    return sums


def roll_up(paths: Iterable[Path], roster: list[str] | None = None, year: int | None = None) -> Rollup:
    """Read every report, keep one per body of the year, sum tables 二、三、四 and check each report."""
    read: list[Body] = []
    unreadable: list[tuple[str, str]] = []
    for path in expand_paths(list(paths)):
        try:
            read.append(Body(str(path), read_path(path)))
        except ReadError as exc:
            unreadable.append((str(path), str(exc)))
    return roll_up_bodies(read, unreadable, roster, year)


def roll_up_bodies(
    read: list[Body],
    unreadable: list[tuple[str, str]] | None = None,
    roster: list[str] | None = None,
    year: int | None = None,
) -> Rollup:
    """The roll-up of reports already read (files, uploads, stored reports): by default of the commonest year."""
    if year is None:
        years = Counter(b.imported.report.year for b in read)
        year = years.most_common(1)[0][0] if years else 0
    result = Rollup(year, unreadable=list(unreadable or []))
    kept: dict[str, Body] = {}
    for body in read:
        if body.imported.report.year != year:
            result.other_year.append(body)
            continue
        key = body_key(body.agency)
        if key in kept:
            result.duplicates.append((kept[key], body))
            continue
        kept[key] = body
        result.bodies.append(body)
    peers = find_peer_similar([(b.file, b.imported.report) for b in result.bodies])
    for body in result.bodies:
        body.findings = by_severity(check_imported(body.imported) + peers.get(body.file, []))
    result.cells = _sum(result.bodies)
    if roster is not None:
        on_roster = {body_key(name): name for name in roster}
        result.missing = [name for key, name in on_roster.items() if key not in kept]
        result.not_on_roster = [b for b in result.bodies if body_key(b.agency) not in on_roster]
    return result


def overview_items(rollup: Rollup) -> list[Checked]:
    """What the HTML overview lists: each report summed with its findings, then each file that could not be read."""
    return [Checked(b.file, tuple(b.findings)) for b in rollup.bodies] + [
        Checked(file, error=error) for file, error in rollup.unreadable
    ]


def rule_counts(findings: list[Finding]) -> dict[str, dict[str, int]]:
    """Per rule, how many errors and warnings (what cannot be checked is not counted)."""
    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        if f.severity in ("error", "warning"):
            counts.setdefault(f.rule, {"error": 0, "warning": 0})[f.severity] += 1
    return counts


class BodyJSON(TypedDict):
    """A report of the roll-up in SUMMARY.json."""

    file: str
    agency: str
    year: int


class CheckedBodyJSON(BodyJSON):
    """A summed report with its counts of findings, per rule too."""

    errors: int
    warnings: int
    rules: dict[str, dict[str, int]]


class DuplicateJSON(TypedDict):
    agency: str
    kept: str
    left_out: str


class UnreadableJSON(TypedDict):
    file: str
    error: str


class SumJSON(TypedDict):
    """One cell summed: its words, the total (an amount as a string), how many bodies gave it, who left it blank."""

    label: str
    total: int | str
    bodies: int
    blank: list[str]


class FindingsJSON(TypedDict):
    file: str
    findings: list[FindingJSON]


class RollupJSON(TypedDict):
    """SUMMARY.json, as `rollup -o SUMMARY.json` writes it and the importers read it back."""

    kind: str
    year: int
    reports: list[CheckedBodyJSON]
    missing: list[str]
    not_on_roster: list[BodyJSON]
    other_year: list[BodyJSON]
    duplicates: list[DuplicateJSON]
    unreadable: list[UnreadableJSON]
    cells: dict[str, SumJSON]
    findings: list[FindingsJSON]
    report: dict[str, Any]  # report_to_json's document, as read back by report_from_json


def rollup_to_dict(rollup: Rollup) -> RollupJSON:
    """The roll-up as JSON: the reports summed, the sums cell by cell, who is missing, and the summary report."""

    def entry(body: Body) -> BodyJSON:
        return {"file": body.file, "agency": body.agency, "year": body.imported.report.year}

    return {
        "kind": "rollup",
        "year": rollup.year,
        "reports": [
            {
                **entry(b),
                "errors": sum(f.severity == "error" for f in b.findings),
                "warnings": sum(f.severity == "warning" for f in b.findings),
                "rules": rule_counts(b.findings),
            }
            for b in rollup.bodies
        ],
        "missing": rollup.missing,
        "not_on_roster": [entry(b) for b in rollup.not_on_roster],
        "other_year": [entry(b) for b in rollup.other_year],
        "duplicates": [
            {"agency": kept.agency, "kept": kept.file, "left_out": left.file}
            for kept, left in rollup.duplicates
        ],
        "unreadable": [{"file": file, "error": error} for file, error in rollup.unreadable],
        "cells": {
            key: {
                "label": layout.describe_cell(key),
                "total": str(s.total) if isinstance(s.total, Decimal) else s.total,
                "bodies": s.bodies,
                "blank": s.blank,
            }
            for key, s in rollup.cells.items()
        },
        "findings": [{"file": b.file, "findings": [f.to_dict() for f in b.findings]} for b in rollup.bodies],
        "report": json.loads(report_to_json(rollup.summary_report())),
    }
