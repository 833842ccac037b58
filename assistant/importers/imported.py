"""What an importer returns: the report and its import notes, and the cell-text parser they share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from assistant.checks.rules import Finding
from assistant.format.models import Report


class ReadError(Exception):
    """An input that cannot be read at all; the message is Chinese and names the problem."""


@dataclass
class Imported:
    """A report read from a file, with notes on cells it could not read and labels it guessed."""

    report: Report
    notes: list[Finding] = field(default_factory=list)
    missing_parts: set[str] = field(default_factory=set)  # top-level parts whose heading was not found

    def note(self, message: str, cells: tuple[str, ...] = (), severity: str = "warning") -> None:
        """Add an import note (rule IMPORT) that `check` shows beside the findings."""
        self.notes.append(
            Finding("IMPORT", "cannot-check" if severity == "cannot-check" else "warning", cells, message)
        )


BLANK_MARKS = frozenset({"", "/", "-", "—", "－", "–", "\\", "无", "空", "——"})
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def normalise_cell(text: str) -> str:
    """A cell's text with full-width digits folded, spaces and thousands separators removed."""
    return unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "").strip()


def is_value_cell(text: str) -> bool:
    """True when the cell holds a number or a blank mark (“/”, “-”), i.e. it is data, not a label."""
    if text.isascii() and text.isdigit():
        return True
    t = normalise_cell(text)
    return t in BLANK_MARKS or bool(_NUMBER.match(t))


def parse_count(text: str) -> tuple[int | None, str | None]:
    """(value, None) for a count, (None, None) for a blank, (None, raw) when it is no count at all."""
    if text.isascii() and text.isdigit():
        return int(text), None  # the usual cell, without the Unicode folding below
    t = normalise_cell(text)
    if t in BLANK_MARKS:
        return None, None
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t), None
    return None, text.strip()


def parse_amount(text: str) -> tuple[Decimal | None, str | None]:
    """Like parse_count, for an amount in 万元 or 元 (decimals allowed)."""
    t = normalise_cell(text)
    if t in BLANK_MARKS:
        return None, None
    try:
        return Decimal(t), None
    except InvalidOperation:
        return None, text.strip()
