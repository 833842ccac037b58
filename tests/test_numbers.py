"""Numbers in Chinese text: what counts as a figure, what is masked, and the guard's verdicts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.checks.facts import build_ledger
from assistant.checks.guard import guard_text
from assistant.checks.numbers import chinese_to_int, extract_numbers, int_to_chinese
from assistant.example import load_example

# (sentence, figures as (value, kind)) — sentences from published reports in tests/data/corpus.
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "2024年，全市共受理政府信息公开申请3119件，答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。",
        [("3119", "count"), ("3050", "count"), ("34", "count"), ("103", "count")],
    ),
    ("根据《条例》（国令第711号）和（国办函〔2020〕109号）规定，第二十条第（一）项。", []),
    ("统计期限自2021年1月1日起至2021年12月31日止。电话：0591-23165370。", []),
    ("一是加强组织领导。二是规范审核发布机制。三是不断创新工作方法。", []),
    ("1、信息公开稍显滞后；2、监督机制不完善；（三）政府信息管理情况。", []),
    ("全年组织4次检查，合格率均为100%。", [("4", "count"), ("100", "percent")]),
    ("全年收取政府信息公开信息处理费3940元。", [("3940", "money")]),
    ("行政事业性收费96171.6万元，投入资金300万元。", [("961716000", "money"), ("3000000", "money")]),
    ("本年度全区共收到七十件申请，办结六十九件。", [("70", "count"), ("69", "count")]),
    ("属于三类内部事务信息，四类过程性信息，落实“四审四校”，建立一个机制。", []),
    ("发布国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要，文化发展规划（2021-2035）。", []),
    (
        "政府网站主动公开各类政府信息5500余条，制作政策解读21个，新闻发布会12场。",
        [("5500", "count"), ("21", "count"), ("12", "count")],
    ),
    # A figure with a counting unit is a figure whatever its size; a year is a year only where it says so.
    (
        "全年收到申请2024件，主动公开1985条，投入2000万元。",
        [("2024", "count"), ("1985", "count"), ("20000000", "money")],
    ),
    ("2023年度报告；统计期限2024-01-01至2024.12.31；截至2024/12。", []),
    ("按照2024政务公开工作要点。", [("2024", "plain")]),
    # 大写 numerals, 百分之, 成 and 倍.
    ("收到申请玖拾玖件，办结壹佰件，拾件待办。", [("99", "count"), ("100", "count"), ("10", "count")]),
    (
        "满意率达百分之九十九，公开率百分之百，差错率百分之一。",
        [("99", "percent"), ("100", "percent"), ("1", "percent")],
    ),
    ("办理时限压缩三成，访问量增长2倍。", [("30", "percent"), ("2", "count")]),
    ("成立领导小组，一成不变，三成员单位。", []),
]


# (numeral, value or None for not a numeral): how reports write numbers in words, 大写 too, and what is malformed.
NUMERALS: list[tuple[str, int | None]] = [
    ("一", 1),
    ("两", 2),
    ("十", 10),
    ("一十", 10),
    ("十二", 12),
    ("一百零五", 105),
    ("一百十", 110),
    ("一百一", 110),
    ("三百五", 350),
    ("两百", 200),
    ("二百零", 200),
    ("一千零一十", 1010),
    ("一千零五十", 1050),
    ("两千零二十四", 2024),
    ("一千万", 10_000_000),
    ("十万", 100_000),
    ("十一万", 110_000),
    ("一万五", 15_000),
    ("两万两千", 22_000),
    ("一万零", 10_000),
    ("一千二百万零三十", 12_000_030),
    ("十五亿", 1_500_000_000),
    ("三亿五", 350_000_000),
    ("一亿零五百万", 105_000_000),
    ("一亿零五", 100_000_005),
    ("十亿零一万", 1_000_010_000),
    ("一万亿", 10**12),
    ("三百万亿", 3 * 10**14),
    ("九千九百九十九亿九千九百九十九万九千九百九十九", 999_999_999_999),
    ("壹万", 10_000),
    ("壹佰", 100),
    ("拾", 10),
    ("壹拾", 10),
    ("玖拾玖", 99),
    ("壹仟贰佰叁拾肆万伍仟陆佰柒拾捌", 12_345_678),
    ("零", 0),
    ("〇", 0),
    ("一二三", 123),
    ("二〇二四", 2024),
    ("九九", 99),
    ("一零", 10),
    ("零五", 5),
    ("千", None),
    ("百", None),
    ("万", None),
    ("亿", None),
    ("万万", None),
    ("一亿亿", None),
    ("一万一万", None),
    ("二十二十", None),
    ("三千二千", None),
    ("三十四十", None),
    ("五万六万", None),
    ("二三十", None),
    ("三四百", None),
    ("百分", None),
    ("", None),
    ("十十", None),
]


@pytest.mark.parametrize(("numeral", "value"), NUMERALS, ids=[n or "empty" for n, _ in NUMERALS])
def test_chinese_numerals(numeral: str, value: int | None) -> None:
    assert chinese_to_int(numeral) == value


_UPPER = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


def test_numerals_round_trip() -> None:
    """Every number written in words (小写 and 大写) reads back as itself."""
    big = [100_001, 1_000_010, 10_010_000, 600_007_738, 100_000_001, 123_456_789_012, 10**15 + 7]
    for n in [*range(0, 12_001), *big]:
        words = int_to_chinese(n)
        assert (n, chinese_to_int(words), chinese_to_int(words.translate(_UPPER))) == (n, n, n)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "零"),
        (10, "十"),
        (11, "十一"),
        (101, "一百零一"),
        (110, "一百一十"),
        (10_010, "一万零一十"),
        (100_000, "十万"),
        (600_007_738, "六亿零七千七百三十八"),
        (350_000_000, "三亿五千万"),
    ],
)
def test_numbers_in_words(n: int, words: str) -> None:
    assert int_to_chinese(n) == words


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:14] for c in CASES])
def test_figures_in_sentences(sentence: str, expected: list[tuple[str, str]]) -> None:
    got = [
        (str(n.value.normalize()) if n.value != n.value.to_integral() else str(int(n.value)), n.kind)
        for n in extract_numbers(sentence)
    ]
    assert got == expected


def test_positions_point_at_the_figure() -> None:
    text = "共收到申请12件。"
    (number,) = extract_numbers(text)
    assert text[number.start : number.end] == "12件"


GUARD_CASES = [
    ("政府网站公开信息16条。", []),  # 16 is in the notes
    ("累计投入资金300万元。", ["300万元"]),
    ("全年受理申请0件，办结0件。", []),  # table figures
    ("全年受理申请3件。", ["3件"]),  # 0 件 turned into 3 件
    ("本年度未收取信息处理费，处理费为0元。", []),  # info_fee_yuan = 0
    ("合格率达到95%。", ["95%"]),
    ("全年收到申请2024件。", ["2024件"]),  # the report's year is no count
    ("全年主动公开1985条。", ["1985条"]),
    ("按照2024工作要点部署。", []),  # a bare number that is the report's year, used as one
    ("满意率达到百分之九十九。", ["百分之九十九"]),
    ("全年受理申请玖拾玖件。", ["玖拾玖件"]),
]


@pytest.mark.parametrize(("text", "marked"), GUARD_CASES)
def test_guard_marks_numbers_that_are_no_facts(text: str, marked: list[str]) -> None:
    ledger = build_ledger(load_example())
    assert [m.text for m in guard_text(text, ledger)] == marked


def test_guard_on_a_long_part_is_marked_in_place() -> None:
    text = "一是依托网站发布信息16条。" * 100 + "二是新增投入50万元。"
    marks = guard_text(text, build_ledger(load_example()))
    assert [(text[m.start : m.end], m.reason[:6]) for m in marks] == [("50万元", "“50万元”")]


def test_a_bare_year_in_the_notes_vouches_for_no_count() -> None:
    report = load_example()
    report.parts["overview.active"].notes = "落实2023工作要点"
    ledger = build_ledger(report)
    assert [m.text for m in guard_text("按照2023工作要点，全年收到申请2023件。", ledger)] == ["2023件"]


def test_money_units_compare_in_yuan() -> None:
    report = load_example()
    report.fee_amount_wan = Decimal("1.5")
    ledger = build_ledger(report)
    assert guard_text("收费15000元，即1.5万元。", ledger) == []
