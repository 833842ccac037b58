"""Read a report laid out as plain text (headings, paragraphs, tab- or pipe-separated table rows)."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assistant.format import layout
from assistant.format.models import (
    MAX_COUNT_DIGITS,
    Report,
    amount_problem,
    derive_short_name,
    raw_text,
    year_problem,
)
from assistant.importers.cells import is_value_cell, parse_amount, parse_count
from assistant.importers.result import Imported, ReadError

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
_NUMERALS = "一二三四五六七八九十"
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


def _cells(line: str) -> list[str]:
    """Table cells of a row: tab-separated, or a Markdown pipe row."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped.strip("|").split("|")]
    return [c.strip() for c in line.rstrip("\n").split("\t")]


def _spaced_cells(line: str) -> list[str]:
    """Table cells of a row; a row that a web page's text kept on one line with spaces (“（一）予以公开 5 0 0 …”)
    is split at its spaces when it ends in figures, two of them at least (a sentence ends in words or 。, and stays
    whole).
    """
    cells = _cells(line)
    if len(cells) != 1 or " " not in cells[0].strip() or cells[0].rstrip()[-1:] in "。；;：:":
        return cells
    tokens = cells[0].split()
    at = len(tokens)
    while at > 0 and not _label_like(tokens[at - 1]) and not _has_cjk(tokens[at - 1]):
        at -= 1
    if sum(1 for t in tokens[at:] if t.isdigit()) < 2:  # a page footer “— 6 —” has one figure
        return cells
    return [" ".join(tokens[:at]), *tokens[at:]] if at else tokens[at:]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _norm_label(text: str) -> str:
    """Label text folded for matching: full-width brackets, no spaces, 1、 → 1., 本年度 → 本年."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("(", "（").replace(")", "）").replace(" ", "").replace("本年度", "本年")
    return re.sub(r"(\d)[、．]", r"\1.", t)


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
    number = _NUMERALS.index(numeral) + 1
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
        filled = [c for c in _cells(line) if c] if ("\t" in line or line.lstrip().startswith("|")) else [line]
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
        if m and _NUMERALS.index(m.group(1)) < len(keys):
            target = keys[_NUMERALS.index(m.group(1))]
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
_FIGURE_WORDS = frozenset("零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟件个条次人项余约近多几若干暂无不详")
_RULE_CELL = re.compile(r"^:?-{3,}:?$")  # a Markdown table's |---| line: layout, not figures
# A label starts with its mark: （六）…, 三、…, 1.… (a figure never does; 1.5 is read as a number before this).
_MARK_START = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．](?!\d))"
)


def _label_like(cell: str) -> bool:
    """True when a non-empty cell is (part of) a row label, False when it stands where a figure stands."""
    if cell.isdigit() and cell.isascii():
        return False  # the usual figure
    if sum(1 for c in cell if "\u4e00" <= c <= "\u9fff" and c not in _FIGURE_WORDS) >= 2:
        return True  # the usual label, decided before any Unicode folding (no figure holds such words)
    if is_value_cell(cell):
        return False
    t = _norm_label(cell)
    if _MARK_START.match(t) or _RULE_CELL.match(t):
        return True
    words = sum(1 for c in t if "\u4e00" <= c <= "\u9fff" and c not in _FIGURE_WORDS)
    return words >= 2


def _value_cells(cells: list[str], width: int) -> tuple[list[str], list[str]]:
    """Split a row into its label cells and its value cells (blanks and mistyped figures kept in place)."""
    last_label = -1
    for i, cell in enumerate(cells):
        if cell and _label_like(cell):
            last_label = i
    labels = [c for c in cells[: last_label + 1] if c]
    values = cells[last_label + 1 :]
    # Empty cells between the label and the figures are layout; empty cells among the figures are blanks.
    while len(values) > width and values[-1] == "":
        values.pop()
    while len(values) > width and values[0] == "":
        values.pop(0)
    return labels, values


def _store_count(imported: Imported, key: str, text: str, quiet: bool = False) -> None:
    value, raw = parse_count(text)
    imported.report.cells[key] = value
    if raw is not None:
        imported.report.raw_cells[key] = raw
    elif value is None and not quiet:
        imported.note(f"{layout.describe_cell(key)}为空白（原文“{text}”），不按0计", (key,), "cannot-check")


_SPLIT_BUDGET = 20_000  # search steps; a row needing more is called ambiguous (cannot-check), never guessed


def split_run(texts: list[str], groups: tuple[int, ...]) -> list[str] | None:
    """The one way to cut digit strings run together into figures such that in each group of `groups` figures the
    last is the sum of the others, or None when there is no such way or more than one.

    Boundaries between the given strings are kept; a figure has no leading zero and at most 9 digits.
    """
    if not texts or not all(t.isascii() and t.isdigit() for t in texts):
        return None
    digits = "".join(texts)
    forced: set[int] = set()
    at = 0
    for t in texts[:-1]:
        at += len(t)
        forced.add(at)
    wanted = sum(groups)
    if not wanted <= len(digits) <= wanted * MAX_COUNT_DIGITS:
        return None
    found: list[list[str]] = []
    steps = 0

    def crosses(start: int, end: int) -> bool:
        return any(start < b < end for b in forced)

    def search(pos: int, g: int, k: int, acc: int, parts: list[str]) -> None:
        nonlocal steps
        steps += 1
        if len(found) > 1 or steps > _SPLIT_BUDGET:
            return
        if g == len(groups):
            if pos == len(digits):
                found.append(parts)
            return
        if k == groups[g] - 1:  # the group's total: its digits are fixed by the figures before it
            total = str(acc)
            end = pos + len(total)
            if digits.startswith(total, pos) and not crosses(pos, end):
                search(end, g + 1, 0, 0, [*parts, total])
            return
        rest = groups[g] - k - 1 + sum(groups[g + 1 :])  # figures still to come, one digit at least each
        for length in range(1, min(MAX_COUNT_DIGITS, len(digits) - pos - rest) + 1):
            if (length > 1 and digits[pos] == "0") or crosses(pos, pos + length):
                break
            part = digits[pos : pos + length]
            search(pos + length, g, k + 1, acc + int(part), [*parts, part])

    search(0, 0, 0, 0, [])
    return found[0] if len(found) == 1 and steps <= _SPLIT_BUDGET else None


def _row_unread(imported: Imported, table: str, label: str, keys: tuple[str, ...], count: int) -> None:
    """A row whose figures do not fit its columns: nothing of it is taken, every cell of it cannot be checked."""
    imported.note(
        f"{table}“{label}”行有{count}个数，应为{len(keys)}个：这一行未读取（不按顺序猜测各数所在的列），请对照原文填写",
        keys,
        "cannot-check",
    )


def _run_split_note(
    imported: Imported, table: str, label: str, keys: tuple[str, ...], texts: list[str]
) -> None:
    imported.note(
        f"{table}“{label}”行的数字连在一起（“{' '.join(texts)}”），按各列之和只有一种拆分成立，已按此读入，请核对",
        keys,
    )


_T2_ROWS: dict[str, tuple[str, tuple[str, ...]]] = {
    label: (rkey, tuple(c for c, _ in block.columns))
    for block in layout.T2_BLOCKS
    for rkey, label in block.rows
}
_T2_ROWS["规范性文件"] = _T2_ROWS["行政规范性文件"]  # the name some bodies print


_OLD_TABLE2 = ("本年新制作数量", "对外公开总数量", "上一年项目数量", "本年增/减")


def _read_table2(lines: list[str], imported: Imported) -> None:
    if any(word in line for line in lines for word in _OLD_TABLE2):
        # The 2019–2020 trial format: other columns, so the rows are kept as read and not checked.
        imported.report.format_edition = "2019"
        imported.report.legacy_table2 = [[c for c in _cells(line) if c] for line in lines if line.strip()]
        imported.note(
            "这是2019—2020年试行格式（国办公开办函〔2019〕60号）的报告：表二按原样保留，不做核对；表三、表四照常核对"
        )
        return
    seen: set[str] = set()
    for line in lines:
        cells = _cells(line)
        if len(cells) == 1:
            cells = cells[0].split()  # “行政许可 97”: a row whose cells a conversion joined with spaces
        # The row label is a known one; whatever follows it is data, even letters typed by mistake.
        at = next((i for i, c in enumerate(cells) if _norm_label(c) in _T2_ROWS), None)
        if at is None:
            continue
        rkey, columns = _T2_ROWS[_norm_label(cells[at])]
        values = cells[at + 1 :]
        while values and values[-1] == "":
            values.pop()
        if not any(values):
            continue
        seen.add(rkey)
        if len(values) != len(columns):
            _row_unread(imported, "表二", cells[at], tuple(layout.t2(rkey, c) for c in columns), len(values))
            continue
        for ckey, text in zip(columns, values, strict=True):
            key = layout.t2(rkey, ckey)
            if key == layout.FEE_CELL:
                amount, raw = parse_amount(text)
                imported.report.fee_amount_wan = amount
                if raw is not None:
                    imported.report.raw_cells[key] = raw
            else:
                _store_count(imported, key, text)
    missing = [label for label, (rkey, _) in _T2_ROWS.items() if rkey not in seen]
    if missing:
        imported.note(f"表二未找到这些行：{'、'.join(missing)}", ())


SINGLE_OTHER_ROW = "r6"  # （六）其他处理 as one row, without its three items (older layouts)
_GROUP_MARK = re.compile(r"（([一二三四五六七])）")
_ITEM_MARK = re.compile(r"(?:^|[^\d])(\d{1,2})\.")


def _keyword_row(label: str) -> str | None:
    """The one result row whose distinctive words the label contains, if exactly one."""
    hits = {r.key for r in layout.T3_ROWS if r.item and r.keywords and any(k in label for k in r.keywords)}
    return hits.pop() if len(hits) == 1 else None


def match_t3_row(label: str, group: int) -> tuple[str | None, int]:
    """The table-三 row key for a normalised row label, given the （N） group of the rows above it."""
    for row in layout.T3_ROWS[:2]:
        if any(k in label for k in row.keywords):
            return row.key, 0
    if "结转下年度" in label:
        return "carried_out", 0
    marks = _GROUP_MARK.findall(label)
    if marks:
        group = _NUMERALS.index(marks[-1]) + 1
        label = label[label.rindex("（" + marks[-1] + "）") + 3 :]
    # Distinctive words win over the group of the rows above: a group label may have been split off elsewhere.
    if keyword := _keyword_row(label):
        return keyword, layout.t3_group_number(keyword)
    item = _ITEM_MARK.search(label)
    if group in (1, 2, 7):
        return layout.t3_result_row(group), group
    if group == 6 and not item and marks:
        return SINGLE_OTHER_ROW, group
    if group and item:
        key = layout.t3_result_row(group, int(item.group(1)))
        if key in layout.T3_ROW_BY_KEY:
            return key, group
    for row in layout.T3_ROWS:
        if row.keywords and any(k in label for k in row.keywords):
            return row.key, layout.t3_group_number(row.key) or group
    return None, group


_ROW_ORDER = [r.key for r in layout.T3_ROWS]


def _next_row(after: str | None, seen: set[str]) -> str | None:
    """The row that follows `after` in the official order, if it has not been read yet."""
    if after is None:
        return None
    at = _ROW_ORDER.index(after) + 1
    return _ROW_ORDER[at] if at < len(_ROW_ORDER) and _ROW_ORDER[at] not in seen else None


def _read_table3(lines: list[str], imported: Imported) -> None:
    group = 0
    width = len(layout.T3_COLUMNS)
    seen: set[str] = set()
    last: str | None = None
    blank_rows: list[str] = []
    for line in lines:
        labels, values = _value_cells(_spaced_cells(line), width)
        if labels and not values and (marks := _GROUP_MARK.findall(_norm_label("".join(labels)))):
            group = _NUMERALS.index(marks[-1]) + 1  # a heading such as “### (三) 不予公开” sets the group
            continue
        if not values or "勾稽" in "".join(labels):
            continue
        row, group = match_t3_row(_norm_label("".join(labels)), group) if labels else (None, group)
        if row is None and len(values) == width and all(v for v in values):
            # A row whose label was split off (PDF conversions): it is the next row of the official order.
            row = _next_row(last, seen)
            if row is not None:
                said = f"“{''.join(labels)}”" if labels else "没有行名的一行"
                imported.note(
                    f"表三中{said}按顺序认作“{layout.t3_row_words(row)}”，请核对",
                    (layout.t3(row, "total"),),
                )
        if row is None:
            if any(values):
                imported.note(f"表三中无法识别的行：“{''.join(labels)}”", ())
            continue
        if len(values) != width:
            krow = "r6_3" if row == SINGLE_OTHER_ROW else row
            keys = layout.t3_row(krow)
            name = "".join(labels) or layout.t3_row_words(krow)
            split = split_run(values, (width,)) if len(values) < width else None
            if split is None:
                _row_unread(imported, "表三", name, keys, len(values))
                seen.add(krow)
                last = krow
                continue
            _run_split_note(imported, "表三", name, keys, values)
            values = split
        if not any(values):
            blank_rows.append(row)
        if row == SINGLE_OTHER_ROW:
            row = "r6_3"
            for (ckey, _), text in zip(layout.T3_COLUMNS, values, strict=True):
                if text != "":  # the items are 0 only where the group's figure is known
                    imported.report.cells[layout.t3("r6_1", ckey)] = 0
                    imported.report.cells[layout.t3("r6_2", ckey)] = 0
            seen.update(("r6_1", "r6_2"))
            if any(values):
                imported.note(
                    "表三“（六）其他处理”在原表中只有一行、没有分项：已全部记入“3.其他”，“1.”“2.”两项记为0",
                    (layout.t3("r6_3", "total"),),
                    "cannot-check",
                )
        seen.add(row)
        last = row
        for (ckey, _), text in zip(layout.T3_COLUMNS, values, strict=True):
            key = layout.t3(row, ckey)
            if ckey == "total" and text == "":
                continue  # an empty 总计 is computed by fill
            _store_count(imported, key, text, quiet=not any(values))
    if blank_rows:
        names = "、".join(layout.t3_row_words(r) for r in blank_rows[:4])
        imported.note(
            f"表三有{len(blank_rows)}行整行空白（{names}{'等' if len(blank_rows) > 4 else ''}），不按0计",
            layout.t3_column("natural", blank_rows[:5]),
            "cannot-check",
        )
    missing = [r.key for r in layout.T3_ROWS if r.key not in seen and r.key not in ("r7", "carried_out")]
    if missing:
        imported.note(
            f"表三有{len(missing)}行未找到，这些单元格为空白",
            layout.t3_column("natural", missing[:5]),
            "cannot-check",
        )


def _read_table4(lines: list[str], imported: Imported) -> None:
    keys = [k for g, _ in layout.T4_GROUPS for k in layout.t4_group(g)]
    numbers: list[str] = []
    for line in lines:
        cells = _spaced_cells(line)
        filled = [c for c in cells if c != ""]
        # A row of figures (a mistyped one among them is kept in its place and flagged); header rows have labels.
        if not any(is_value_cell(c) for c in filled) or any(_label_like(c) for c in filled):
            continue
        # A full row keeps its blanks in place; rows split into pieces are joined in order.
        full = len(cells) >= len(keys) and not any(cells[len(keys) :])
        numbers.extend(cells[: len(keys)] if full else filled)
    if not numbers:
        return  # read_text says the table could not be read
    if len(numbers) != len(keys):
        groups = tuple(len(layout.T4_COLUMNS) for _ in layout.T4_GROUPS)
        split = split_run(numbers, groups) if len(numbers) < len(keys) else None
        if split is None:
            imported.note(
                f"表四读到{len(numbers)}个数，应为{len(keys)}个：表四未读取（不按顺序猜测各数所在的列）",
                tuple(keys),
                "cannot-check",
            )
            return
        imported.note(
            f"表四的数字连在一起（“{' '.join(numbers)}”），按各项总计只有一种拆分成立，已按此读入，请核对",
            tuple(keys),
        )
        numbers = split
    for key, text in zip(keys, numbers, strict=True):
        _store_count(imported, key, text)


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


def _read_anything(report: Report, table: str) -> bool:
    """True when the importer took at least one figure, or one mistyped cell, of a table (二, 三 or 四)."""
    if table == "二" and (report.legacy_table2 or report.fee_amount_wan is not None):
        return True
    return any(layout.cell_table(k) == table for k in report.raw_cells) or any(
        v is not None for k, v in report.cells.items() if layout.cell_table(k) == table
    )


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
    _read_table2(sections.body.get(2, []), imported)
    _read_table3(sections.body.get(3, []), imported)
    _read_table4(sections.body.get(4, []), imported)
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
        elif not _read_anything(imported.report, numeral):
            imported.note(f"{table}没有读出任何数字：这张表无法核对，请对照原文核对表格", (), "error")
    imported.missing_parts = {
        key for number, key in ((1, "overview"), (5, "problems"), (6, "other")) if number not in sections.body
    }
    return imported
