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


_DIGIT = {c: n for n, cs in enumerate(("零〇", "一壹", "二贰两", "三叁", "四肆", "五伍", "六陆", "七柒", "八捌", "九玖")) for c in cs}
_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def _section(text: str) -> int | None:
    """A numeral below 万 (三千零五, 两百, 十二, 壹佰, 三百五 = 350), or None if malformed."""
    value, digit, last_unit, after_zero = 0, 0, 0, False
    pending = False  # a digit waits for its unit
    for c in text:
        if c in _DIGIT:
            if pending:
                return None  # 三四百: two digits in a row inside a numeral with units
            if _DIGIT[c] == 0:
                after_zero = True
            else:
                digit, pending = _DIGIT[c], True
        else:
            unit = _SMALL_UNIT[c]
            if (last_unit and unit >= last_unit) or (not pending and unit != 10):
                return None  # 二十二十, 三千二千, 百 without its digit (only 十 stands alone: 十二, 一百十)
            value += (digit if pending else 1) * unit
            pending, last_unit, after_zero = False, unit, False
    if pending:
        # 一百零五 = 105 and 十五 = 15; 三百五 = 350 (the spoken short form counts in the next unit down)
        value += digit if after_zero or last_unit in (0, 10) else digit * last_unit // 10
    return value


def _below_yi(text: str, shorthand: int) -> int | None:
    """A numeral below 亿 with 万: 十一万, 一千二百万零三十, 一万五 (15000 — a lone digit after 万 is thousands)."""
    high, sep, low = text.partition("万") if "万" in text else ("", "", text)
    if sep and ("万" in low or not high):
        return None  # 一万一万, 万 without a number before it
    high_value = _section(high) if sep else 0
    if high_value is None or (sep and high_value == 0):
        return None
    if low[:1] in ("零", "〇"):
        low_value = _section(low.lstrip("零〇"))  # 一万零五 = 10005
    elif len(low) == 1 and low in _DIGIT and (sep or shorthand):
        low_value = _DIGIT[low] * (1000 if sep else shorthand)  # 一万五, 三亿五
    else:
        low_value = _section(low)
    return None if low_value is None else high_value * 10_000 + low_value


def chinese_to_int(text: str) -> int | None:
    """The value of a Chinese numeral (小写 or 大写, with 万 and 亿), or None if it is not a well-formed numeral.

    Reads what reports write: 一百零五, 两千零二十四, 壹佰, 十一万, 三亿五千万, 一万亿, 一千二百万零三十, the short
    forms 一万五 (15000) and 三百五 (350); a string of bare digits (二〇二四, 九九) reads digit by digit.
    """
    if not text or any(c not in _DIGIT and c not in _SMALL_UNIT and c not in "万亿" for c in text):
        return None
    if all(c in _DIGIT for c in text):
        return int("".join(str(_DIGIT[c]) for c in text))
    high, sep, low = text.partition("亿")
    if not sep:
        return _below_yi(text, 0)
    if "亿" in low or not high:
        return None  # 一亿亿, 亿 without a number before it
    high_value = _below_yi(high, 0)
    low_value = _below_yi(low, 10_000_000)
    if not high_value or low_value is None:
        return None
    return high_value * 100_000_000 + low_value


_WORD = "零一二三四五六七八九"


def _section_words(n: int) -> str:
    """Words for 1..9999: 零 stands for a gap inside (一千零五), never at the end (一千五百)."""
    words, gap = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit:
            words += ("零" if gap else "") + _WORD[digit] + name
            gap = False
        elif words:
            gap = True
    return words


def int_to_chinese(n: int) -> str:
    """A non-negative integer in Chinese words: 十一, 一百零一, 一万零一十, 三亿五千万 (for ordinals and tests)."""
    if n == 0:
        return "零"
    words, gap = "", False
    for value, name in ((n // 100_000_000, "亿"), (n // 10_000 % 10_000, "万"), (n % 10_000, "")):
        if value:
            zero = "零" if words and (gap or value < 1000) else ""
            words += zero + (int_to_chinese(value) if value >= 10_000 else _section_words(value)) + name
            gap = False
        elif words:
            gap = True
    return words[1:] if words.startswith("一十") else words


def _value_of(num: str) -> Decimal | None:
    if num[0].isdigit():
        try:
            return Decimal(num.replace(",", ""))
        except InvalidOperation:
            return None
    if num[0] in "百千佰仟":
        num = ("壹" if num[0] in "佰仟" else "一") + num  # 百分之百: the leading one is left out
    value = chinese_to_int(num)
    return None if value is None else Decimal(value)


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
