"""Tables 二、三、四 read from a report laid out as text: rows by their labels, figures into cells, notes where unsure."""

from __future__ import annotations

import re
import unicodedata

from assistant.format import layout
from assistant.format.models import MAX_COUNT_DIGITS, Report
from assistant.importers.cells import is_value_cell, parse_amount, parse_count
from assistant.importers.result import Imported

NUMERALS = "一二三四五六七八九十"


def row_cells(line: str) -> list[str]:
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
    cells = row_cells(line)
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


def read_table2(lines: list[str], imported: Imported) -> None:
    if any(word in line for line in lines for word in _OLD_TABLE2):
        # The 2019–2020 trial format: other columns, so the rows are kept as read and not checked.
        imported.report.format_edition = "2019"
        imported.report.legacy_table2 = [[c for c in row_cells(line) if c] for line in lines if line.strip()]
        imported.note(
            "这是2019—2020年试行格式（国办公开办函〔2019〕60号）的报告：表二按原样保留，不做核对；表三、表四照常核对"
        )
        return
    seen: set[str] = set()
    for line in lines:
        cells = row_cells(line)
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
        group = NUMERALS.index(marks[-1]) + 1
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


def read_table3(lines: list[str], imported: Imported) -> None:
    group = 0
    width = len(layout.T3_COLUMNS)
    seen: set[str] = set()
    last: str | None = None
    blank_rows: list[str] = []
    for line in lines:
        labels, values = _value_cells(_spaced_cells(line), width)
        if labels and not values and (marks := _GROUP_MARK.findall(_norm_label("".join(labels)))):
            group = NUMERALS.index(marks[-1]) + 1  # a heading such as “### (三) 不予公开” sets the group
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


def read_table4(lines: list[str], imported: Imported) -> None:
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


def read_anything(report: Report, table: str) -> bool:
    """True when the importer took at least one figure, or one mistyped cell, of a table (二, 三 or 四)."""
    if table == "二" and (report.legacy_table2 or report.fee_amount_wan is not None):
        return True
    return any(layout.cell_table(k) == table for k in report.raw_cells) or any(
        v is not None for k, v in report.cells.items() if layout.cell_table(k) == table
    )
