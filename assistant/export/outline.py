"""The document as an ordered outline (title, opening, headings, paragraphs, tables): one walk for every renderer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from assistant.export.opening import opening_of
from assistant.format import layout
from assistant.format.models import Report

OPENING = "opening"  # the part key a paragraph of the opening carries


@dataclass(frozen=True, slots=True)
class Title:
    """A title line (the agency, then the report's title)."""

    text: str


@dataclass(frozen=True, slots=True)
class Heading:
    """一、 headings (level 1) and （一） sub-part headings (level 2); after_table when a table precedes it."""

    text: str
    level: Literal[1, 2]
    after_table: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One printed paragraph: a non-blank line of a part, with where it starts in that part's text."""

    text: str
    part: str  # a part key, or OPENING
    offset: int


@dataclass(frozen=True, slots=True)
class Table:
    """One of the three tables; "t2-2019" is table 二 of the 2019–2020 trial format, laid out as read."""

    which: Literal["t2", "t2-2019", "t3", "t4"]


Block = Title | Heading | Paragraph | Table


def paragraphs_of(text: str, part: str) -> Iterator[Paragraph]:
    """The non-blank lines of a text, stripped, each with its offset in the text."""
    at = 0
    for line in text.split("\n"):
        start, at = at, at + len(line) + 1
        shown = line.strip()
        if shown:
            yield Paragraph(shown, part, start + len(line) - len(line.lstrip()))


def _narrative(report: Report, top: str) -> Iterator[Block]:
    yield from paragraphs_of(report.parts[top].text, top)
    for sub in layout.children_of(top):
        text = report.parts[sub.key].text
        if text.strip():
            yield Heading(sub.heading, 2)
            yield from paragraphs_of(text, sub.key)


def outline_of(report: Report) -> list[Block]:
    """Title, opening, the six parts in the official order with the three tables, as the report prints."""
    h = layout.SECTION_HEADINGS
    legacy = report.format_edition == "2019" and bool(report.legacy_table2)
    return [
        Title(report.agency),
        Title(report.title),
        *paragraphs_of(opening_of(report), OPENING),
        Heading(h[0], 1),
        *_narrative(report, "overview"),
        Heading(h[1], 1),
        Table("t2-2019" if legacy else "t2"),
        Heading(h[2], 1, after_table=True),
        Table("t3"),
        Heading(h[3], 1, after_table=True),
        Table("t4"),
        Heading(h[4], 1, after_table=True),
        *_narrative(report, "problems"),
        Heading(h[5], 1),
        *_narrative(report, "other"),
    ]
