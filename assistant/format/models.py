"""Pydantic models of a whole report, saved as schema-versioned JSON."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.format import layout

SCHEMA_VERSION = 1

# Bounds on the values a report holds (DESIGN §2: a figure is right or flagged, never a value no table can carry).
FIRST_YEAR = 2008  # the 条例 took effect on 2008-05-01; the first annual reports cover 2008
MAX_COUNT_DIGITS = 9  # no body receives, issues or decides a billion of anything in a year
MAX_COUNT = 10**MAX_COUNT_DIGITS - 1
# An amount below 10^9 (万元 for the fee, 元 for 信息处理费): 10^9 万元 is 10 万亿元, half the country's yearly
# budget revenue, so no disclosure fee comes near it; the bound also keeps every amount short enough to print
# (an exponent such as 1e999999999 would otherwise be written out digit by digit).
MAX_AMOUNT = Decimal(10**9)
MAX_AMOUNT_PLACES = 6  # 万元 to 0.01 元
AMOUNT_FIELDS = {"fee_amount_wan": layout.FEE_CELL, "info_fee_yuan": "report.info_fee_yuan"}
RAW_KEYS = frozenset((*layout.COUNT_CELLS, *AMOUNT_FIELDS.values()))


def last_year() -> int:
    """The latest year a report may cover: next year (a report drafted ahead of time)."""
    return date.today().year + 1


def year_problem(year: object) -> str | None:
    """Why a value is no report year (in Chinese), or None when it is one."""
    if type(year) is not int or not FIRST_YEAR <= year <= last_year():
        shown = year if type(year) is int and abs(year) < 10**12 else "（超出范围的数）"
        return f"年度应为{FIRST_YEAR}至{last_year()}年之间的年份，现为 {shown}"
    return None


def is_count(value: object) -> bool:
    """True for a count: an int (not a bool, an int subclass) from 0 to 999,999,999."""
    return type(value) is int and 0 <= value <= MAX_COUNT


def amount_problem(value: Decimal) -> str | None:
    """Why an amount is out of bounds (in Chinese), or None when it is a plausible one."""
    if not value.is_finite():
        return "不是有限的数"
    if value < 0:
        return "是负数"
    if value >= MAX_AMOUNT:
        return "应小于10亿"
    if value != 0 and _places(value) > MAX_AMOUNT_PLACES:
        return f"小数超过{MAX_AMOUNT_PLACES}位"
    return None


def _places(value: Decimal) -> int:
    """Decimal places of a finite non-zero amount, trailing zeros not counted (without normalize's rounding)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def canonical_amount(value: Decimal) -> Decimal:
    """A bounded amount in its shortest exact form: 100 not 1E+2, 1.5 not 1.500, 0 not 0E-999999999 or -0."""
    if value == 0:
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def raw_text(value: object) -> str:
    """A bad value as the text a clerk would recognise (JSON spelling), short enough to show."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 200:
        return f"（{len(str(value)) if value.bit_length() < 14000 else '数千'}位的数）"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def raw_problem(key: str, raw: str) -> str:
    """What the CELL rule says about text kept in a cell where a figure should be (Chinese)."""
    shown = raw if len(raw) <= 40 else raw[:40] + "…"
    if key in AMOUNT_FIELDS.values():
        return f"“{shown}”不是有效的金额，请填写不小于0、小于10亿的数（最多{MAX_AMOUNT_PLACES}位小数）"
    if any(c.isdigit() for c in raw):
        return f"“{shown}”不是有效的件数，请填写不小于0的整数（最多{MAX_COUNT_DIGITS}位，不带小数、正负号或单位）"
    return f"“{shown}”不是数字，请填写不小于0的整数"


def _as_amount(value: object) -> Decimal | None:
    """A stored amount as a Decimal, or None when it is no number at all (bool, text, NaN...)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return (
            Decimal("Infinity")
            if value > 0
            else Decimal("NaN")
            if math.isnan(value)
            else Decimal("-Infinity")
        )
    if isinstance(value, int) and value.bit_length() > 200:
        return MAX_AMOUNT  # out of range whatever its digits; str() of it could itself be refused
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _sanitise(data: dict[str, Any]) -> dict[str, Any]:
    """A report's input with every value no table can carry moved into raw_cells, where CELL reports it.

    A stored or imported report with a bad value still loads (so the clerk can repair it at its cell), and the
    model never holds a value outside the bounds above.
    """
    cells = data.get("cells")
    raw = data.get("raw_cells")
    raw = dict(raw) if isinstance(raw, dict) else raw
    moved: dict[str, str] = {}
    if isinstance(cells, dict):
        kept = {}
        for key, value in cells.items():
            if value is None or is_count(value):
                kept[key] = value
            else:
                kept[key] = None
                moved[key] = raw_text(value)
        data = {**data, "cells": kept}
    for name, key in AMOUNT_FIELDS.items():
        value = data.get(name)
        if value is None:
            continue
        amount = _as_amount(value)
        if amount is None or amount_problem(amount) is not None:
            data = {**data, name: None}
            moved[key] = raw_text(value)
        else:
            data = {**data, name: canonical_amount(amount)}
    if moved:
        data = {**data, "raw_cells": {**(raw if isinstance(raw, dict) else {}), **moved}}
    return data


Source = Literal["offline", "llm", "human", "import"]


class GuardMark(BaseModel):
    """A number in a text that is not a fact: where it stands and why it was marked."""

    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    text: str
    reason: str


class Version(BaseModel):
    """One kept version of a part's text."""

    model_config = ConfigDict(extra="forbid")

    text: str
    source: Source
    model: str = ""
    created: datetime = Field(default_factory=lambda: datetime.now().replace(microsecond=0))
    instruction: str = ""  # the chat instruction that produced it, if any
    marks: list[GuardMark] = Field(default_factory=list)


class Part(BaseModel):
    """A narrative part: the clerk's notes, the current text and its versions."""

    model_config = ConfigDict(extra="forbid")

    notes: str = ""
    text: str = ""
    versions: list[Version] = Field(default_factory=list)
    # A draft or refinement waiting beside the current text until the clerk accepts or discards it.
    candidate: Version | None = None


def _empty_parts() -> dict[str, Part]:
    return {p.key: Part() for p in layout.PARTS}


def _empty_cells() -> dict[str, int | None]:
    return dict.fromkeys(layout.COUNT_CELLS)


class Report(BaseModel):
    """A 政府信息公开工作年度报告: metadata, narrative parts and tables 二、三、四."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    schema_version: int = SCHEMA_VERSION
    agency: str = ""  # 机关名称
    short_name: str = ""  # 简称, used in the third person in the text
    year: int = Field(default_factory=lambda: date.today().year - 1)
    compiler: str = ""  # 编制机关 (often the 办公室)
    published_at: str = ""  # where the report is published (website)
    published_on: date | None = None  # 发布日期, where an imported page or file states it (rule DEADLINE)
    contact_address: str = ""
    contact_phone: str = ""
    preamble: str = ""  # the opening paragraph as written; composed from the facts above when empty
    format_edition: Literal["2021", "2019"] = "2021"
    body_font: layout.BodyFont = "仿宋_GB2312"
    parts: dict[str, Part] = Field(default_factory=_empty_parts)
    cells: dict[str, int | None] = Field(default_factory=_empty_cells)
    fee_amount_wan: Decimal | None = None  # 表二 行政事业性收费 本年收费金额（万元）
    info_fee_yuan: Decimal | None = None  # 信息处理费 collected, in 元 (0 = 未收取)
    raw_cells: dict[str, str] = Field(default_factory=dict)  # what was typed or imported where no number was
    # Where the figures came from: "form", a report started in this program, whose blank typed cell is a cell the
    # clerk has yet to fill (rule BLANK); "file", read from a published report, where a blank is what was printed
    # (an import note). JSON written before this field existed reads as "file".
    origin: Literal["file", "form"] = "file"
    # Table 二 of the 2019–2020 trial format (国办公开办函〔2019〕60号), kept row by row as read: its columns differ.
    legacy_table2: list[list[str]] = Field(default_factory=list)

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise ValueError(f"不支持的版本 {value}（本程序读取版本 {SCHEMA_VERSION}）")
        return value

    @field_validator("year", mode="before")
    @classmethod
    def _plausible_year(cls, value: Any) -> Any:
        if (problem := year_problem(value)) is not None:
            raise ValueError(problem)
        return value

    @field_validator("raw_cells")
    @classmethod
    def _known_raw_cells(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - RAW_KEYS)
        if unknown:
            raise ValueError(f"未知的表格单元格：{', '.join(unknown[:5])}")
        return value

    @field_validator("cells")
    @classmethod
    def _complete_cells(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        unknown = sorted(set(value) - set(layout.COUNT_CELLS))
        if unknown:
            raise ValueError(f"未知的表格单元格：{', '.join(unknown[:5])}")
        full = _empty_cells()
        full.update(value)
        return full

    @field_validator("parts")
    @classmethod
    def _complete_parts(cls, value: dict[str, Part]) -> dict[str, Part]:
        unknown = sorted(set(value) - set(layout.PART_BY_KEY))
        if unknown:
            raise ValueError(f"未知的正文部分：{', '.join(unknown)}")
        full = _empty_parts()
        full.update(value)
        return full

    @model_validator(mode="before")
    @classmethod
    def _require_dict(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("报告 JSON 应为一个对象")
        return _sanitise(data)

    @property
    def title(self) -> str:
        """The report's title line 2: YYYY年政府信息公开工作年度报告."""
        return f"{self.year}年{layout.TITLE_SUFFIX}"

    @property
    def name(self) -> str:
        """The short name used in text, falling back to the agency."""
        return self.short_name or derive_short_name(self.agency)


def derive_short_name(agency: str) -> str:
    """A short name from the agency's full name: 三门峡市陕州区硤石乡人民政府 → 硤石乡."""
    name = agency.strip()
    for suffix in ("人民政府办公室", "人民政府办公厅", "人民政府"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    # Keep the last administrative unit: 三门峡市陕州区硤石乡 → 硤石乡.
    for i in range(len(name) - 2, 0, -1):
        if name[i] in "省市区县" and i < len(name) - 1:
            tail = name[i + 1 :]
            if len(tail) >= 2:
                return tail
    return name


def report_from_json(text: str | bytes) -> Report:
    """Parse a report JSON; raises pydantic.ValidationError on a wrong schema."""
    return Report.model_validate_json(text)


def report_to_json(report: Report) -> str:
    """Serialise a report to indented JSON (UTF-8, Chinese kept readable)."""
    return report.model_dump_json(indent=2)
