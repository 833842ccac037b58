"""A finding of a rule, and the Chinese words for the cells and parts it names."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Literal, TypedDict

from assistant.format import layout

Severity = Literal["error", "warning", "cannot-check"]


class CellJSON(TypedDict):
    """A cell or part a finding names, in the JSON of `check`: its key and its Chinese words."""

    key: str
    label: str


class FindingJSON(TypedDict):
    """One finding in the JSON of `check --format json` (README documents this shape)."""

    rule: str
    severity: Severity
    cells: list[CellJSON]
    message: str
    expected: Any
    actual: Any


@dataclass(frozen=True, slots=True)
class TextSpan:
    """Where in a part's text a finding stands: the page marks it there."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a rule: which rule, how bad, which cells, what was expected and what was found."""

    rule: str
    severity: Severity
    cells: tuple[str, ...]
    message: str
    expected: Any = None
    actual: Any = None
    span: TextSpan | None = None  # TEXT-TABLE: the figure's place in the part's text

    def to_dict(self) -> FindingJSON:
        """The JSON shape used by `check --format json`."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cells": [{"key": k, "label": describe(k)} for k in self.cells],
            "message": self.message,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
        }


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


@cache
def describe(key: str) -> str:
    """Chinese words for a cell key or a part key (part.overview.active)."""
    if (part := layout.part_of(key)) is not None:
        spec = layout.PART_BY_KEY[part]
        parent = layout.PART_BY_KEY[spec.parent].heading if spec.parent else ""
        return parent + spec.heading
    if key.startswith("report."):
        return _REPORT_FIELD_WORDS.get(key, key)
    return layout.describe_cell(key)


_REPORT_FIELD_WORDS = {
    "report.info_fee_yuan": "信息处理费（元）",
    "report.agency": "机关名称",
    "report.preamble": "开头段落",
    "report.compiler": "编制机关",
    "report.published_at": "发布网址",
    "report.contact_address": "联系地址",
    "report.contact_phone": "联系电话",
}
