"""The check pipeline shared by the CLI and the app: fill, verify, and add the import notes."""

from __future__ import annotations

from assistant.checks.fill import fill
from assistant.checks.rules import Finding, verify
from assistant.format import layout
from assistant.format.models import Report
from assistant.importers.imported import Imported

_ORDER = {"error": 0, "warning": 1, "cannot-check": 2}


def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """Findings on a report after its derived cells are filled, errors first."""
    filled_previous = fill(previous) if previous is not None else None
    return sorted(verify(fill(report), filled_previous), key=lambda f: _ORDER[f.severity])


def check_imported(imported: Imported, previous: Report | None = None) -> list[Finding]:
    """Findings on an imported report, with its import notes.

    A part whose heading the importer did not find is not known to be empty: EMPTY becomes cannot-check there.
    """
    findings = []
    for f in check_report(imported.report, previous):
        part = f.cells[0][5:] if f.rule == "EMPTY" and f.cells else ""
        if part in imported.missing_parts:
            heading = layout.PART_BY_KEY[part].heading
            f = Finding(
                "EMPTY",
                "cannot-check",
                f.cells,
                f"导入时没有找到“{heading}”这一部分的标题，无法核对它是否为空",
            )
        findings.append(f)
    return sorted(findings + imported.notes, key=lambda f: _ORDER[f.severity])
