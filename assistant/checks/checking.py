"""The check pipeline shared by the CLI and the app: fill, verify, and add the import notes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.checks.fill import fill
from assistant.checks.rules import Finding, verify
from assistant.format import layout
from assistant.format.models import Report

_ORDER = {"error": 0, "warning": 1, "cannot-check": 2}


@dataclass(frozen=True)
class Checked:
    """One file of a check: its findings, or why it could not be read (error, in Chinese)."""

    file: str
    findings: tuple[Finding, ...] = ()
    error: str = ""


class ImportedReport(Protocol):
    """What check_imported needs of an importer's result (importers.result.Imported): checks sit below importers."""

    @property
    def report(self) -> Report: ...
    @property
    def notes(self) -> Sequence[Finding]: ...
    @property
    def missing_parts(self) -> Collection[str]: ...
    @property
    def headings(self) -> Sequence[tuple[int, str]]: ...


def check_report(
    report: Report, previous: Report | None = None, headings: Sequence[tuple[int, str]] | None = None
) -> list[Finding]:
    """Findings on a report after its derived cells are filled, errors first (headings: see verify)."""
    filled_previous = fill(previous) if previous is not None else None
    findings = verify(fill(report), filled_previous, headings=headings)
    return sorted(_without_repeated_blanks(findings), key=lambda f: _ORDER[f.severity])


def _without_repeated_blanks(findings: list[Finding]) -> list[Finding]:
    """Leave out a cannot-check that only says BLANK's cells (or totals of them) are blank: one list, not two.

    A new report's table 三 would otherwise list “…为空白，无法核对” once per column beside “还有 N 个单元格未填写”.
    """
    listed = {key for f in findings if f.rule == "BLANK" for key in f.cells}
    if not listed:
        return findings
    return [
        f
        for f in findings
        if f.severity != "cannot-check"
        or not f.cells
        or not all(k in listed or k in layout.DERIVED_CELLS for k in f.cells)
    ]


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Findings errors first, then warnings, then what could not be checked (stable within each)."""
    return sorted(findings, key=lambda f: _ORDER[f.severity])


def check_imported(imported: ImportedReport, previous: Report | None = None) -> list[Finding]:
    """Findings on an imported report, with its import notes.

    A part whose heading the importer did not find is not known to be empty: EMPTY becomes cannot-check there.
    """
    findings = []
    for f in check_report(imported.report, previous, imported.headings or None):
        part = layout.part_of(f.cells[0]) if f.rule == "EMPTY" and f.cells else None
        if part is not None and part in imported.missing_parts:
            heading = layout.PART_BY_KEY[part].heading
            f = Finding(
                "EMPTY",
                "cannot-check",
                f.cells,
                f"导入时没有找到“{heading}”这一部分的标题，无法核对它是否为空",
            )
        findings.append(f)
    return sorted([*findings, *imported.notes], key=lambda f: _ORDER[f.severity])
