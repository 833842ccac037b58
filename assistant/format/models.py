"""Pydantic models of a whole report, saved as schema-versioned JSON."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from assistant.format import layout

SCHEMA_VERSION = 1

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
    contact_address: str = ""
    contact_phone: str = ""
    preamble: str = ""  # the opening paragraph as written; composed from the facts above when empty
    format_edition: Literal["2021", "2019"] = "2021"
    body_font: Literal["仿宋_GB2312", "仿宋"] = "仿宋_GB2312"
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
        return data

    @property
    def title(self) -> str:
        """The report's title line 2: YYYY年政府信息公开工作年度报告."""
        return f"{self.year}年{layout.TITLE_SUFFIX}"

    @property
    def name(self) -> str:
        """The short name used in text, falling back to the agency."""
        return self.short_name or derive_short_name(self.agency)

    def text_of(self, key: str) -> str:
        """A part's current text."""
        return self.parts[key].text


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
