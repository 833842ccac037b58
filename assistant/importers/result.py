"""What an importer returns: the report with its import notes, or a ReadError saying why the file cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.checks.findings import Finding, Severity
from assistant.format.models import Report


class ReadError(Exception):
    """An input that cannot be read at all; the message is Chinese and names the problem."""


@dataclass
class Imported:
    """A report read from a file, with notes on cells it could not read and labels it guessed."""

    report: Report
    notes: list[Finding] = field(default_factory=list)
    missing_parts: set[str] = field(default_factory=set)  # top-level parts whose heading was not found
    # The parts' headings as printed, with the part (1–6) each opens: what rule PARTS checks.
    headings: list[tuple[int, str]] = field(default_factory=list)

    def note(self, message: str, cells: tuple[str, ...] = (), severity: Severity = "warning") -> None:
        """Add an import note (rule IMPORT) that `check` shows beside the findings; an error fails `check`."""
        self.notes.append(Finding("IMPORT", severity, cells, message))
