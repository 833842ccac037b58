"""The check pipeline shared by the CLI and the app: fill, verify, and add the import notes."""

from __future__ import annotations

from assistant.fill import fill
from assistant.imported import Imported
from assistant.models import Report
from assistant.rules import Finding, verify

_ORDER = {"error": 0, "warning": 1, "cannot-check": 2}


def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """Findings on a report after its derived cells are filled, errors first."""
    filled_previous = fill(previous) if previous is not None else None
    return sorted(verify(fill(report), filled_previous), key=lambda f: _ORDER[f.severity])


def check_imported(imported: Imported, previous: Report | None = None) -> list[Finding]:
    """Findings on an imported report, with its import notes."""
    return sorted(check_report(imported.report, previous) + imported.notes, key=lambda f: _ORDER[f.severity])
