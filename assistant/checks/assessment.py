"""Rules assessors apply to a published report: CITE (documents cited by name), PARTS (six parts), DEADLINE."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from assistant.checks.findings import Finding
from assistant.format import layout
from assistant.format.models import Report

FORMAT_DOCUMENT = "国办公开办函〔2021〕30号"
LAW = "《中华人民共和国政府信息公开条例》"

# --- CITE ------------------------------------------------------------------------------------------------

_YEAR = r"\s*[〔\[［(（【]\s*(20\d{2})\s*[〕\]］)）】]\s*"
# 国办公开函〔2021〕30号 (the 办 dropped), and the format document with other brackets than 〔〕 (GB/T 9704).
_FORMAT_CITED = re.compile(rf"国办公开(办?)函{_YEAR}(\d+)\s*号")
_OLD_FORMAT = re.compile(r"(?:国办公开办?函)?\s*[〔\[［(（【]\s*2019\s*[〕\]］)）】]\s*60\s*号")
_LAW_TITLE = re.compile(r"《([^《》\n]{0,30}?(?:信息公开|公开信息)[^《》\n]{0,6}?条例)》")
_OFFICIAL_LAW = LAW[1:-1]


_PART_KEYS = tuple(p.key for p in layout.PARTS)
_PLACE_KEYS = ("report.preamble", *(layout.part_key(k) for k in _PART_KEYS))


def _misnamed(name: str) -> bool:
    """True for the law named wrongly; a province's or city's own 条例 is another document and is left alone."""
    flat = re.sub(r"\s+", "", name)
    if flat == _OFFICIAL_LAW:
        return False
    return "中华人民共和国" in flat or flat.startswith(("政府", "信息", "公开"))


def check_cite(report: Report, out: list[Finding]) -> None:
    """CITE: the format document and the law, wherever the text cites them, under their exact names."""
    parts = report.parts
    texts = (report.preamble, *(parts[k].text for k in _PART_KEYS))
    out += _cite_findings(texts, report.year if report.year >= 2021 else 0)


@lru_cache(maxsize=1024)
def _cite_findings(texts: tuple[str, ...], recent_year: int) -> tuple[Finding, ...]:
    """The CITE findings of a report's texts, cached: verify runs again on every edit, mostly of other things.

    recent_year is the report's year when it is 2021 or later (〔2019〕60号 is then outdated), else 0.
    """
    wrong: dict[str, tuple[str, list[str]]] = {}  # what was written → (the advice, where)

    def flag(written: str, advice: str, key: str) -> None:
        keys = wrong.setdefault(written, (advice, []))[1]
        if key not in keys:
            keys.append(key)

    for key, text in zip(_PLACE_KEYS, texts, strict=True):
        if not text or not ("函" in text or "条例" in text or "60" in text):
            continue
        for m in _FORMAT_CITED.finditer(text):
            year, number = m.group(2), m.group(3)
            if (year, number) != ("2021", "30"):
                continue
            if not m.group(1):
                flag(m.group(0), f"发文字号应为“{FORMAT_DOCUMENT}”（“国办公开办函”，不是“国办公开函”）", key)
            elif "〔" not in m.group(0) or "〕" not in m.group(0):
                flag(m.group(0), f"发文字号的年份应使用六角括号〔〕：“{FORMAT_DOCUMENT}”", key)
        if recent_year:
            for m in _OLD_FORMAT.finditer(text):
                flag(
                    m.group(0),
                    f"{recent_year}年度报告应依据{FORMAT_DOCUMENT}规定的格式，〔2019〕60号的试行格式已被取代",
                    key,
                )
        for m in _LAW_TITLE.finditer(text):
            if _misnamed(m.group(1)):
                flag(m.group(0), f"法规名称应为全称{LAW}", key)
    return tuple(
        Finding(
            "CITE",
            "warning",
            tuple(keys),
            f"文中写作“{written}”：{advice}",
            LAW if "条例" in written else FORMAT_DOCUMENT,
            written,
        )
        for written, (advice, keys) in wrong.items()
    )


# --- PARTS -----------------------------------------------------------------------------------------------

_NUMERALS = "一二三四五六七八九十"
_MARKS = re.compile(r"[\s#*、.．。：:，,;；]")
_PART_COUNT = re.compile(
    r"(?:共分?为?|分为|包括|包含|由|等|以下)\s*([一二三四五六七八九十2-9])\s*(?:个)?\s*(?:部分|方面)"
)

# The top-level narrative parts by part number; the tables (二、三、四) have no part key.
_TOP_KEYS: tuple[str, ...] = ("overview", "", "", "", "problems", "other")


def _title(heading: str) -> str:
    """A heading without its numeral, marks and spaces: “## 五、其他需要报告的事项。” → 其他需要报告的事项."""
    flat = _MARKS.sub("", heading)
    return flat[1:] if flat[:1] in _NUMERALS else flat


@lru_cache(maxsize=1024)
def _stated_count(preamble: str) -> tuple[int, str] | None:
    """The number of parts the opening says the report has (“本报告共分6个部分”, “以下五个方面”)."""
    m = _PART_COUNT.search(re.sub(r"\s+", "", preamble))
    if not m:
        return None
    word = m.group(1)
    return (int(word) if word.isdigit() else _NUMERALS.index(word) + 1), m.group(0)


def check_parts(report: Report, headings: Sequence[tuple[int, str]] | None, out: list[Finding]) -> None:
    """PARTS: the six parts in order under the official headings, and the count the opening states agrees.

    `headings` are an imported report's part headings as printed (part number, heading); a report made in the
    app has none and always has its six parts, so only the count is checked there.
    """
    present = 6
    if headings is not None:
        seen: dict[int, str] = {}
        for number, printed in headings:
            # A heading printed twice (a template's title and its copy, as in the seed) is one part.
            seen.setdefault(number, printed)
        present = len(seen)
        missing = [n for n in range(1, 7) if n not in seen]
        if missing:
            out.append(
                Finding(
                    "PARTS",
                    "warning",
                    tuple(layout.part_key(_TOP_KEYS[n - 1]) for n in missing if _TOP_KEYS[n - 1]),
                    f"报告应有六个部分，没有找到{'、'.join(f'“{layout.SECTION_HEADINGS[n - 1]}”' for n in missing)}",
                    6,
                    present,
                )
            )
        for number, printed in seen.items():
            official = layout.SECTION_HEADINGS[number - 1]
            cells = (layout.part_key(_TOP_KEYS[number - 1]),) if _TOP_KEYS[number - 1] else ()
            numeral = _MARKS.sub("", printed)[:1]
            if numeral in _NUMERALS and numeral != official[0]:
                out.append(
                    Finding(
                        "PARTS",
                        "warning",
                        cells,
                        f"“{printed.strip('# ')}”是第{official[0]}部分，编号应为“{official[0]}、”（六个部分按格式顺序编号）",
                        official,
                        printed,
                    )
                )
            elif _title(printed) != _title(official):
                out.append(
                    Finding(
                        "PARTS",
                        "warning",
                        cells,
                        f"标题“{printed.strip('# ')}”与格式规定的“{official}”不一致",
                        official,
                        printed,
                    )
                )
    if (stated := _stated_count(report.preamble)) is not None and stated[0] != present:
        out.append(
            Finding(
                "PARTS",
                "warning",
                ("report.preamble",),
                f"开头说“{stated[1]}”，但报告{'有' if present == 6 else '只有'}{'零一两三四五六'[present]}个部分（格式规定六个部分）",
                present,
                stated[0],
            )
        )


# --- DEADLINE --------------------------------------------------------------------------------------------

# 《条例》第四十九条: a 人民政府 (and the 管委会 of a zone that acts as one) publishes its report by 31 March, its
# departments and every other body by 31 January. A 乡镇人民政府 is given the later date: never a false warning.
_GOVERNMENT = re.compile(r"(?:人民政府|管理委员会|管委会|综合实验区|新区)$")


def deadline_of(report: Report) -> date | None:
    """The last day the report may be published, or None when the body's name does not say which kind it is."""
    agency = re.sub(r"\s+", "", report.agency)
    if not agency:
        return None
    if _GOVERNMENT.search(agency):
        return date(report.year + 1, 3, 31)
    return date(report.year + 1, 1, 31)


def check_deadline(report: Report, out: list[Finding]) -> None:
    """DEADLINE: a report whose publication date is known, published after its deadline."""
    published = report.published_on
    if published is None:
        return  # the usual case: a report made here, or a file that gives no date
    last = deadline_of(report)
    if last is None or published <= last:
        return
    kind = "政府" if last.month == 3 else "部门"
    out.append(
        Finding(
            "DEADLINE",
            "warning",
            (),
            f"报告发布于{published.year}年{published.month}月{published.day}日，晚于{kind}年报的公布期限"
            f"（{last.year}年{last.month}月{last.day}日前）",
            last.isoformat(),
            published.isoformat(),
        )
    )
