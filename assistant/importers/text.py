"""Read a report laid out as plain text (headings, paragraphs, tab- or pipe-separated table rows)."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assistant.format import layout
from assistant.format.models import (
    Report,
    amount_problem,
    derive_short_name,
    raw_text,
    year_problem,
)
from assistant.importers.result import Imported, ReadError
from assistant.importers.tables import (
    NUMERALS,
    read_anything,
    read_table2,
    read_table3,
    read_table4,
    row_cells,
)

_HEADER_LINE = re.compile(
    r"^(source|note|columns of table[^:：]*|发布时间|发布机构|来源\(页面\)|来源|发布日期|索引号)\s*[:：]"
)
_TITLE_LINE = re.compile(r"^标题\s*[:：]\s*")
_DATE_LINE = re.compile(
    r"^(?:发布时间|发布日期)\s*[:：]\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_SECTION_WORDS: dict[int, tuple[str, ...]] = {
    1: ("总体情况",),
    2: ("主动公开",),
    3: ("收到和处理", "申请情况"),
    4: ("复议", "诉讼"),
    5: ("问题",),
    6: ("其他需要报告", "其他需报告", "其他事项"),
}
# The official titles and their printed variants, for a heading followed by its text on the same line
# (“一、总体情况 2024年，我局……”, as crawlers and PDF conversions lay it out).
_SECTION_TITLES: dict[int, str] = {
    1: r"总体情况",
    2: r"主动公开政府信息(?:的)?情况",
    3: r"收到和处理政府信息公开申请(?:的)?情况",
    4: r"(?:政府信息公开)?行政复议[、和及与]?行政诉讼(?:的)?情况",
    5: r"(?:政府信息公开工作)?存在的?主要问题(?:[及和与]?(?:改进|整改)(?:情况|措施)?)?",
    6: r"其他需(?:要)?报告的?事项",
}
_INLINE_SECTION = {
    # The title is atomic: “存在的主要问题及改进情况” is never split into a title and “及改进情况”.
    n: re.compile(rf"^([一二三四五六])\s*[、.．]\s*(?>({title}))([\s。：:，,；;]*)(.+)$")
    for n, title in _SECTION_TITLES.items()
}
_SECTION = re.compile(r"^([一二三四五六])\s*[、.．]\s*(.+)$")
_SUB = re.compile(r"^[（(]\s*([一二三四五六七八九十])\s*[)）]\s*(.*)$")
# The title is “agency YEAR年度 rest 政府信息公开工作年度报告”. One pattern with two lazy groups did this in
# quadratic time on a line of many years and no 年报, so the year and the end are found by two linear searches.
_TITLE_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*")
_TITLE_END = re.compile(r"(?:政府信息公开)?(?:工作)?(?:年度报告|年报)")


@dataclass(frozen=True)
class _Title:
    agency: str
    year: int
    rest: str


def _match_title(title: str) -> _Title | None:
    """Agency, year and the words between year and 年度报告 of a title line, or None when it is no title."""
    year = _TITLE_YEAR.search(title)
    if year is None:
        return None
    agency = title[: year.start()].rstrip()
    end = _TITLE_END.search(title, year.end())
    if end is None:
        return None
    rest = title[year.end() : end.start()]
    if "\n" in agency or "\n" in rest:
        return None
    # The first year is the one: any 年报 after a later year also follows the first.
    return _Title(agency, int(year.group("year")), rest)


_PERIOD_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_PHONE = re.compile(r"电话(?:/传真)?\s*[:：]\s*([0-9０-９][0-9０-９\-—－ ]{5,})")
_COMPILER = re.compile(r"本报告由(.{2,40}?)(?:根据|依据|按照)")
_PUBLISHED = re.compile(r"电子版可在(.{2,60}?)(?:查阅|下载)")
_ADDRESS = re.compile(r"地址\s*[:：]\s*([^，,；;。）)]+)")


_MARKS = re.compile(r"^(?:#{1,6}\s*|[-*]\s+)+")
_BOLD_START = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)")


def _clean(line: str) -> str:
    """A line without Markdown heading marks, bullets, bold marks around its start and surrounding spaces."""
    line = line.replace("\u3000", " ").strip()
    if line[:1] in ("#", "-", "*", "_"):
        line = _MARKS.sub("", line)
        # Pages converted to Markdown set headings in bold: “**一、总体情况**”, “**（一）主动公开**2024年……”.
        line = _BOLD_START.sub(r"\1", line)
    return line.strip()


# The full titles of parts 二 to 六: a heading that carries one is that part even when its numeral differs
# (some provinces number their own sub-sections 一、二、… inside 总体情况 and restart for the official parts).
_FULL_TITLES: dict[int, tuple[str, ...]] = {
    2: ("主动公开政府信息情况",),
    3: ("收到和处理政府信息公开申请情况",),
    4: ("行政复议", "行政诉讼"),
    5: ("存在的主要问题",),
    6: ("其他", "报告的事项"),
}


@dataclass(frozen=True)
class Heading:
    """A part's heading as the file prints it, and the text that followed it on the same line."""

    number: int  # the official part (1–6) it opens
    text: str  # the heading as printed: “五、其他需要报告的事项”
    rest: str = ""


def _section_of(line: str, current: int) -> Heading | None:
    """The part a heading line opens, or None when the line is no part heading."""
    if "\t" in line:
        return None
    m = _SECTION.match(line)
    if not m:
        return None
    numeral = m.group(1)
    number = NUMERALS.index(numeral) + 1
    inline = _INLINE_SECTION[number].match(line) if number in _INLINE_SECTION else None
    if inline and number >= current:
        rest = inline.group(4)
        # On a short line the text must be set off (a space, a stop, a year): “五、存在的主要问题和不足” is a title.
        if len(line) > 40 or inline.group(3) or re.match(r"[\d（(]", rest):
            return Heading(number, line[: inline.end(2)], rest.strip())
    if len(line) > 40:
        return None
    if number >= current and any(w in m.group(2) for w in _SECTION_WORDS[number]):
        return Heading(number, line)
    for other, words in _FULL_TITLES.items():
        if other > current and all(w in m.group(2) for w in words):
            return Heading(other, line)
    return None


@dataclass
class _Sections:
    head: list[str]
    body: dict[int, list[str]]
    headings: list[Heading]


def _split_sections(lines: list[str]) -> _Sections:
    head: list[str] = []
    body: dict[int, list[str]] = {}
    headings: list[Heading] = []
    current = 0
    for raw in lines:
        line = _clean(raw) if "\t" not in raw and not raw.lstrip().startswith("|") else raw.rstrip("\n")
        filled = (
            [c for c in row_cells(line) if c] if ("\t" in line or line.lstrip().startswith("|")) else [line]
        )
        # A heading may sit in a table row of its own (PDF and Word tables often start with it).
        heading = _section_of(_clean(filled[0]), current) if len(filled) == 1 else None
        if heading is not None:
            current = heading.number
            headings.append(heading)
            body.setdefault(current, [])
            if heading.rest:
                body[current].append(heading.rest)
            continue
        if current == 0:
            head.append(line)
        else:
            body[current].append(line)
    return _Sections(head, body, headings)


def _read_head(head: list[str], imported: Imported) -> None:
    report = imported.report
    title_parts: list[str] = []
    rest: list[str] = []
    for line in head:
        if dated := _DATE_LINE.match(line):
            with contextlib.suppress(ValueError):  # an impossible date is no date
                report.published_on = date(*(int(g) for g in dated.groups()))
        if not line.strip() or _HEADER_LINE.match(line) or line.strip() == "正文":
            continue
        line = _TITLE_LINE.sub("", line)
        if not rest and (not title_parts or not _match_title("".join(title_parts))):
            title_parts.append(line.strip())
            if _match_title("".join(title_parts)) or len(title_parts) > 3:
                rest.append("")  # title complete
            continue
        rest.append(line.strip())
    title = re.sub(r"\s+", "", "".join(title_parts).replace("#", ""))
    m = _match_title(title)
    if m:
        _set_year(imported, m.year)
        agency = m.agency or m.rest
        report.agency = agency.strip()
    else:
        imported.note("未能从标题识别机关名称和年度，请核对", ())
    report.short_name = derive_short_name(report.agency)
    paragraphs = [r for r in rest if r]
    report.preamble = "\n".join(paragraphs)
    if phone := _PHONE.search(report.preamble):
        report.contact_phone = phone.group(1).strip()
    if address := _ADDRESS.search(report.preamble):
        report.contact_address = address.group(1).strip()
    if compiler := _COMPILER.search(report.preamble):
        report.compiler = compiler.group(1).strip()
    if published := _PUBLISHED.search(report.preamble):
        report.published_at = published.group(1).strip()
    if not m and (period := _PERIOD_YEAR.search(report.preamble)):
        _set_year(imported, int(period.group(1)))


def _set_year(imported: Imported, year: int) -> None:
    """The report's year as read, unless no report can cover it: then an error note and the year is not taken."""
    if (problem := year_problem(year)) is not None:
        imported.note(f"报告的年度无法采用：{problem}，请核对标题", (), "error")
    else:
        imported.report.year = year


def _paragraphs(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("|")]


# The sub-parts' titles of 一, for a title run together with its text: “（一）主动公开2024年，本局……”.
_SUB_TITLE = re.compile(
    r"^((?:主动公开|依申请公开|政府信息管理|(?:政府信息公开)?平台建设|监督保障(?:及教育培训)?)(?:工作)?(?:情况|方面)?)"
    r"([\s。：:，,]*)(.+)$"
)


def _split_heading(line: str, rest: str) -> tuple[str, str]:
    """(heading, text) of a （N） line: a short heading line alone, or a heading ending at 。/：/: inline."""
    if (run := _SUB_TITLE.match(rest)) and (run.group(2) or run.group(3)[:1].isdigit()):
        return run.group(1), run.group(3)
    if len(rest) <= 30 and not re.search(r"[。：:].", rest):
        return line, ""
    m = re.match(r"^(.{1,30}?)[。：:]\s*(.*)$", rest)
    if m:
        return m.group(1), m.group(2)
    return "", rest


def _read_overview(lines: list[str], report: Report) -> None:
    keys = [p.key for p in layout.children_of("overview")]
    target = "overview"
    texts: dict[str, list[str]] = {"overview": [], **{k: [] for k in keys}}
    for para in _paragraphs(lines):
        m = _SUB.match(para)
        if m and NUMERALS.index(m.group(1)) < len(keys):
            target = keys[NUMERALS.index(m.group(1))]
            _, text = _split_heading(para, m.group(2))
            if text:
                texts[target].append(text)
            continue
        if target == "overview" and para == layout.PART_BY_KEY["overview"].heading:
            continue
        texts[target].append(para)
    for key, paras in texts.items():
        report.parts[key].text = "\n".join(paras)


_PROBLEM_HEAD = re.compile(r"^(?:[（(]([一二])[)）]|([一二])[、.．]?)\s*(.{0,16})$")
_PROBLEM_INLINE = re.compile(r"^[（(]([一二])[)）]\s*(.{2,16}?)[。：:]\s*(.+)$")


def _read_problems(lines: list[str], report: Report) -> None:
    target = "problems"
    texts: dict[str, list[str]] = {"problems": [], "problems.issues": [], "problems.measures": []}

    def kind(words: str) -> str | None:
        if "措施" in words or "改进" in words or "整改" in words:
            return "problems.measures"
        if "问题" in words:
            return "problems.issues"
        return None

    for para in _paragraphs(lines):
        head = _PROBLEM_HEAD.match(para)
        if head and (k := kind(head.group(3))):
            target = k
            continue
        inline = _PROBLEM_INLINE.match(para)
        if inline and (k := kind(inline.group(2))):
            target = k
            texts[target].append(inline.group(3))
            continue
        texts[target].append(para)
    for key, paras in texts.items():
        report.parts[key].text = "\n".join(paras)


# Characters a mistyped figure may hold (两件, 约5, 五人次): a cell made only of these and of non-CJK marks is a
# figure gone wrong, kept in its column and flagged; a cell with two other CJK characters is a label.

# A number starts only where no digit precedes it: restarting inside a long run of digits made this quadratic.
_FEE_AMOUNT = re.compile(
    r"处理费[^。；;]{0,12}?(?<![\d.])(\d+(?:\.\d+)?)\s*(万?)元|(?<![\d.])(\d+(?:\.\d+)?)\s*(万?)元[^。；;]{0,6}?处理费"
)
_FEE_NONE = re.compile(
    r"(?:未|无|没有|不)(?:收取|产生|发生|收)[^。；;]{0,12}?处理费|处理费[^。；;]{0,6}?(?:为零|为0元|0元)"
)


def read_info_fee(text: str) -> Decimal | None:
    """The 信息处理费 (元) that part 六 states: an amount, 0 for 未收取, None when it says nothing."""
    if m := _FEE_AMOUNT.search(text):
        amount = Decimal(m.group(1) or m.group(3))
        return amount * 10000 if (m.group(2) or m.group(4)) else amount
    if _FEE_NONE.search(text):
        return Decimal(0)
    return None


def _store_info_fee(imported: Imported) -> None:
    """信息处理费 as part 六 states it; an amount out of bounds is kept as text for CELL, never as a figure."""
    try:
        fee = read_info_fee(imported.report.parts["other"].text)
    except ArithmeticError:  # an amount no Decimal context can hold
        fee = None
        imported.report.raw_cells["report.info_fee_yuan"] = "（超出范围的金额）"
    if fee is not None and amount_problem(fee) is not None:
        imported.report.raw_cells["report.info_fee_yuan"] = raw_text(fee)
        fee = None
    imported.report.info_fee_yuan = fee


MAX_CHARS = 500_000  # a whole report; the longest published ones have under 40,000 characters
MAX_LINE = 100_000  # one paragraph or table row; a report's longest has a few thousand, the app allows more


def _check_lines(lines: list[str]) -> None:
    """Refuse a line beyond any paragraph's length before a regular expression sees it."""
    longest = max(lines, key=len, default="")
    if len(longest) > MAX_LINE:
        raise ReadError(
            f"第 {lines.index(longest) + 1} 行有 {len(longest):,} 字，超过每行（每段）{MAX_LINE:,} 字的上限，"
            "不像一份年度报告，未读取"
        )


def read_text(text: str) -> Imported:
    """Read a text or Markdown report into a Report with import notes."""
    if len(text) > MAX_CHARS:  # checked first: every step below is at least linear in the length
        raise ReadError(f"文字太多（{len(text):,} 字），超过一份报告 {MAX_CHARS:,} 字的上限，未读取")
    if "\x00" in text:
        raise ReadError("这不是文本文件（含有二进制内容）")
    if not text.strip():
        raise ReadError("文件是空的")
    lines = text.lstrip("\ufeff").splitlines()
    _check_lines(lines)
    sections = _split_sections(lines)
    if not sections.body:
        raise ReadError("没有找到报告的章节标题（如“一、总体情况”），不像一份政府信息公开工作年度报告")
    imported = Imported(Report(cells=dict.fromkeys(layout.COUNT_CELLS)))
    imported.headings = [(h.number, h.text) for h in sections.headings]
    _read_head(sections.head, imported)
    _read_overview(sections.body.get(1, []), imported.report)
    read_table2(sections.body.get(2, []), imported)
    read_table3(sections.body.get(3, []), imported)
    read_table4(sections.body.get(4, []), imported)
    _read_problems(sections.body.get(5, []), imported.report)
    imported.report.parts["other"].text = "\n".join(_paragraphs(sections.body.get(6, [])))
    _store_info_fee(imported)
    for number in (2, 3, 4):
        numeral = "二三四"[number - 2]
        table = "表" + numeral
        if number not in sections.body:
            imported.note(
                f"没有找到“{layout.SECTION_HEADINGS[number - 1]}”这一部分：{table}无法读取，也就无法核对",
                (),
                "error",
            )
        elif not read_anything(imported.report, numeral):
            imported.note(f"{table}没有读出任何数字：这张表无法核对，请对照原文核对表格", (), "error")
    imported.missing_parts = {
        key for number, key in ((1, "overview"), (5, "problems"), (6, "other")) if number not in sections.body
    }
    return imported
