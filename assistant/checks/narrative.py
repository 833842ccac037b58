"""The rules on the narrative as text: EMPTY, FEE and GB2312."""

from __future__ import annotations

import re

from assistant.checks.findings import Finding, describe
from assistant.checks.placeholders import find_placeholders, without_placeholders
from assistant.format import layout
from assistant.format.models import Report

_PLACEHOLDER = re.compile(
    r"^[\s\W_]*(?:(?:文字描述|待补充|待填写|此处填写|暂无内容|略|XXX+|xxx+|TODO|……)[\s\W_]*)*$"
)


def is_placeholder(text: str) -> bool:
    """True for empty text or text that is only a placeholder such as （文字描述） or 待补充."""
    return len(text) < 40 and bool(_PLACEHOLDER.match(text))


def check_empty(report: Report, out: list[Finding]) -> None:
    """EMPTY: a top-level part with nothing but placeholders in it and its sub-parts."""
    for top, keys in layout.PART_FAMILIES:
        # A part holding only placeholders (（请…）, 共主动公开条 …) is as empty as one holding nothing.
        if all(is_placeholder(without_placeholders(report.parts[k].text)) for k in keys):
            heading = layout.PART_BY_KEY[top].heading
            out.append(
                Finding("EMPTY", "error", (layout.part_key(top),), f"“{heading}”还没有内容，请填写或起草")
            )


_FEE_WORDS = re.compile(r"处理费")
_SENTENCES = re.compile(r"[^。；;\n]+")


def _states_fee(text: str) -> bool:
    """True when a sentence names the 处理费 and leaves nothing to fill (（请填写金额） states no fee)."""
    if not _FEE_WORDS.search(text):
        return False
    if not find_placeholders(text):
        return True
    return any(_FEE_WORDS.search(s) and not find_placeholders(s) for s in _SENTENCES.findall(text))


_NO_FEE = re.compile(r"未收取|未产生|没有收取|无收取|未发生|不收取|未收|零元|(?<![\d.])0元")


def check_fee(report: Report, out: list[Finding]) -> None:
    """FEE: 六、其他需要报告的事项 states the 信息处理费, and does not deny one the report gives."""
    text = report.parts["other"].text
    key = (layout.part_key("other"),)
    if not _states_fee(text):
        out.append(
            Finding(
                "FEE",
                "warning",
                key,
                "“六、其他需要报告的事项”应说明本年度收取信息处理费的情况（金额，或未收取）",
            )
        )
        return
    fee = report.info_fee_yuan
    if fee is not None and fee > 0 and _NO_FEE.search(text):
        out.append(
            Finding(
                "FEE",
                "warning",
                key,
                f"正文说未收取信息处理费，但填写的信息处理费为 {fee} 元，请核实",
                fee,
                0,
            )
        )


# Characters that GB2312 codecs map elsewhere but every _GB2312 font draws (dashes, middle dot).
_GB2312_FONT_EXTRAS = frozenset("—―·‧")
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # zero-width marks: nothing is drawn


_CHAR_REF = re.compile(rb"&#(\d+);")


def non_gb2312(text: str) -> list[str]:
    """The distinct characters of the text that GB2312 fonts cannot show, in order of appearance."""
    # The codec marks each character it cannot encode as &#N; — one pass in C instead of one per character.
    encoded = text.encode("gb2312", errors="xmlcharrefreplace")
    if b"&#" not in encoded:
        return []
    seen: list[str] = []
    for number in _CHAR_REF.findall(encoded):
        ch = chr(int(number))
        # A no-break or thin space copied from a web page prints as a space in any font: no glyph is missing.
        if ch in seen or ch in _GB2312_FONT_EXTRAS or ch.isspace() or ch in _INVISIBLE:
            continue
        if ch in text:  # not a literal “&#N;” the text itself holds
            seen.append(ch)
    return seen


_PART_KEYS = {p.key: layout.part_key(p.key) for p in layout.PARTS}


def check_gb2312(report: Report, out: list[Finding]) -> None:
    """GB2312: with the 仿宋_GB2312 body font, characters that font cannot show."""
    if report.body_font != "仿宋_GB2312":
        return
    places = [("report.agency", report.agency), ("report.preamble", report.preamble)]
    places += [(_PART_KEYS[k], p.text) for k, p in report.parts.items()]
    # One encode of all the text finds the characters; the places are then found by substring search.
    chars = non_gb2312("\n".join(text for _, text in places))
    if not chars:
        return
    pattern = re.compile("|".join(map(re.escape, chars)))
    keys = [key for key, text in places if pattern.search(text)]
    where = "、".join(describe(k) for k in keys[:4]) + ("等处" if len(keys) > 4 else "")
    out.append(
        Finding(
            "GB2312",
            "warning",
            tuple(keys),
            f"“{'”“'.join(chars[:8])}”在仿宋_GB2312字体中无法显示（见{where}），请在设置中改用仿宋字体或换用常用字",
            None,
            "".join(chars),
        )
    )
