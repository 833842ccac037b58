"""A table cell's text as printed, read into a count or an amount, or kept as raw text for rule CELL."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from assistant.format.models import MAX_COUNT_DIGITS, amount_problem, canonical_amount

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


_DIGITS = str.maketrans("０１２３４５６７８９，．", "0123456789,.")
# A count as printed: plain digits, or digits in groups of three (1,234). Nothing else: NFKC would read ² and ⑤
# as 2 and 5, and int() reads any script's digits; a stray sign, point or space is a typo to show, not to fix.
_COUNT = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)", re.ASCII)
_AMOUNT = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?", re.ASCII)


def _is_blank(text: str) -> bool:
    return text == "" or normalise_cell(text) in BLANK_MARKS


def parse_count(text: str) -> tuple[int | None, str | None]:
    """(value, None) for a count, (None, None) for a blank, (None, raw) when it is no count at all.

    A count is an integer of at most 9 digits, ≥ 0, in ASCII or full-width digits; anything else (letters, 两件,
    1.5, −3, ², ⑤, 1e5, more digits) is kept as raw text for the CELL rule, never read as a figure.
    """
    if text.isascii() and text.isdigit() and len(text) <= MAX_COUNT_DIGITS:
        return int(text), None  # the usual cell, without the checks below
    if _is_blank(text):
        return None, None
    t = text.strip().translate(_DIGITS)
    if _COUNT.fullmatch(t):
        digits = t.replace(",", "").lstrip("0") or "0"
        if len(digits) <= MAX_COUNT_DIGITS:
            return int(digits), None
    return None, text.strip()


def parse_amount(text: str) -> tuple[Decimal | None, str | None]:
    """Like parse_count, for an amount in 万元 or 元: decimals allowed, finite, ≥ 0 and below the model's bound."""
    if _is_blank(text):
        return None, None
    t = text.strip().translate(_DIGITS)
    if len(t) <= 40 and _AMOUNT.fullmatch(t):  # longer is out of bounds whatever it says; Decimal need not see it
        amount = Decimal(t.replace(",", ""))
        if amount_problem(amount) is None:
            return canonical_amount(amount), None
    return None, text.strip()
