"""Numbers stated in Chinese text: Arabic and Chinese numerals (大写 too) with 万/亿, %, 百分之, 成, 倍, 元 and units.

Document numbers, article references, dates, years, phone numbers and list markers are masked: they are
not figures and the number guard must not ask for a fact behind them. A year is a year only where the text
says so (2024年, 2024年度, a date such as 2024-01-01): "收到申请2024件" states a figure of 2024.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

import cn2an

Kind = Literal["count", "money", "percent", "plain"]

COUNT_UNITS = (
    "人次|件次|余件|余条|余个|余项|多件|多条|多个|件|条|个|项|场|期|篇|次|家|名|人|份|批|批次|起|户|所|处|家次|"
    "万字|字|页|部|本|幅|张|份次|期次|轮|季度|周|天|日|小时|分钟|平方米|公里|吨|台|套|栏|类|组|支|座|间|册|卷|位|单"
)
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE = rf"[{_CN_DIGITS}]+"

# Masks, applied before numbers are read. Order matters: the widest first.
# The lookahead lets the engine skip, in C, every position where no mask can start (most CJK text).
_MASKS = re.compile(
    r"(?=[\d〔\[［(（第一二三四五六七八九十零〇两\shw])(?:"
    + "|".join(
        (
            r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号",  # 〔2020〕109号
            r"〔\d{4}〕",  # 国办函〔2020〕 (no number after it)
            r"第\s*[\d" + _CN_DIGITS + r"]+\s*号",  # 国令第711号
            r"第\s*[\d"
            + _CN_DIGITS
            + r"]+\s*[条款项章节]"
            + r"(?:\s*第\s*[（(]?\s*[\d"
            + _CN_DIGITS
            + r"]+\s*[)）]?\s*[项款])?",  # 第二十条第（一）项
            r"(?:19|20)\d{2}\s*[-—－至~]\s*(?:19|20)\d{2}\s*年?",  # 2021-2035
            r"(?:19|20)\d{2}\s*[-./／]\s*\d{1,2}\s*[-./／]\s*\d{1,2}(?!\d)",  # 2024-01-01, 2024.1.1
            r"(?:19|20)\d{2}\s*[-/／]\s*(?:1[0-2]|0?[1-9])(?![\d.])",  # 2024-12, 2024/3
            r"(?:19|20)\d{2}\s*年(?:\s*度)?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?",  # 2024年1月1日
            r"[一二][〇零○一二三四五六七八九]{3}\s*年",  # 二〇三五年
            r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]",  # 12月31日
            r"\d{1,2}\s*月份?",  # 3月
            r"\d{3,4}[-—－]\d{7,8}|1\d{10}|\d{6}(?=[，,；;）)\s])",  # phone numbers, postcodes
            r"(?:^|(?<=[\n。；;：:]))\s*[（(]\s*[\d" + _CN_DIGITS + r"]+\s*[)）]",  # （一） list marker
            r"(?:^|(?<=[\n。；;：:]))\s*\d+\s*[、.．](?!\d)",  # 1、 list marker
            r"(?:^|(?<=[\n。；;：:，,]))\s*[一二三四五六七八九十]+\s*[、是]",  # 一、 一是
            r"(?<![一二三四五六七八九十])[一二三四五六七八九十]+是",  # 二是 (mid-sentence); from a run's start only
            r"[十]四五|十三五|十五五",  # 十四五 plans
            r"第[一二三四五六七八九十]+",  # 第一 (ordinals)
            r"(?<!\d)\d+\s*[号楼层室]",  # addresses (from a run's start: else quadratic on a long run of digits)
            r"(?:https?://|www\.)[\w./\-]+",  # web addresses
        )
    )
    + ")"
)

# 成 is tenths (八成 = 80 %) unless it starts a word (成立、成效 …); 倍 is a multiple, compared like a count.
_RATIO_UNITS = r"成(?![立为功果效员本绩熟就都交年型品套片批体规])|倍"
_NUMBER = re.compile(
    rf"(?=[\d{_CN_DIGITS}])(?P<pct>百分之)?(?P<num>{_ARABIC}|{_CHINESE})\s*(?P<mult>万|亿)?"
    rf"\s*(?P<unit>%|％|‰|万元|亿元|元|{_RATIO_UNITS}|{COUNT_UNITS})?"
)


_ANY_NUMBER = re.compile(rf"[\d{_CN_DIGITS}]")


@dataclass(frozen=True, slots=True)
class Number:
    """A number found in text: where it stands, its value and what kind of quantity it is."""

    start: int
    end: int
    text: str
    value: Decimal
    kind: Kind


def _value_of(num: str) -> Decimal | None:
    if num[0].isdigit():
        try:
            return Decimal(num.replace(",", ""))
        except InvalidOperation:
            return None
    if num[0] in "十百千拾佰仟":
        num = ("壹" if num[0] in "拾佰仟" else "一") + num  # 百分之百, 拾件: cn2an wants the leading one
    try:
        return Decimal(str(cn2an.cn2an(num, "smart")))
    except (ValueError, KeyError, TypeError):
        return None


def mask_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the text that are not figures (document numbers, dates, list markers …)."""
    return [m.span() for m in _MASKS.finditer(text)]


def _masked(text: str) -> str:
    """The text with masked spans blanked out (same length, so positions stay valid)."""
    return _MASKS.sub(lambda m: " " * (m.end() - m.start()), text)


@lru_cache(maxsize=4096)
def extract_numbers(text: str) -> tuple[Number, ...]:
    """Every figure the text states, in order; masked spans and bare Chinese words like 三类 are left out.

    Cached by text: the app verifies on every keystroke and most parts have not changed since the last time.
    """
    if not _ANY_NUMBER.search(text):
        return ()
    found: list[Number] = []
    for m in _NUMBER.finditer(_masked(text)):
        num, mult, unit = m.group("num"), m.group("mult"), m.group("unit") or ""
        chinese = not num[0].isdigit()
        if m.group("pct"):
            unit = "%"  # 百分之九十九 states 99 %
        elif chinese and not unit and not mult:
            continue  # 一步、三个一: a Chinese numeral is a figure only with a unit
        if chinese and len(num) == 1 and num in "万亿":
            continue
        if chinese and not m.group("pct") and (unit == "类" or num == "一"):
            continue  # 三类内部事务信息 names a category; 一个、一次 are idiom far more often than a figure
        value = _value_of(num)
        if value is None:
            continue
        if mult == "万" or unit == "万元":
            value *= 10000
        elif mult == "亿" or unit == "亿元":
            value *= 100000000
        if unit == "成":
            value *= 10
            kind: Kind = "percent"
        elif unit in ("%", "％", "‰"):
            kind = "percent"
        elif unit.endswith("元"):
            kind = "money"
        elif unit:
            kind = "count"
        else:
            kind = "plain"
        found.append(Number(m.start(), m.end(), text[m.start() : m.end()].strip(), value, kind))
    return tuple(found)
