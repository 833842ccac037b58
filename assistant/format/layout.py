"""The official format (国办公开办函〔2021〕30号) as data: the single source of truth for tables and parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

# ---------------------------------------------------------------------------
# Narrative parts (一、五、六 and their sub-parts)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartSpec:
    """One narrative part or sub-part of the report."""

    key: str
    heading: str  # as printed, e.g. "一、总体情况" or "（一）主动公开情况"
    title: str  # short Chinese name for menus, e.g. "主动公开"
    parent: str | None = None

    @property
    def words(self) -> str:
        """The heading without its numeral: "总体情况", "主动公开情况"."""
        return self.heading.split("、", 1)[-1] if self.parent is None else self.heading.split("）", 1)[-1]


PARTS: tuple[PartSpec, ...] = (
    PartSpec("overview", "一、总体情况", "总体情况"),
    PartSpec("overview.active", "（一）主动公开情况", "主动公开", "overview"),
    PartSpec("overview.request", "（二）依申请公开情况", "依申请公开", "overview"),
    PartSpec("overview.management", "（三）政府信息管理情况", "政府信息管理", "overview"),
    PartSpec("overview.platform", "（四）政府信息公开平台建设情况", "平台建设", "overview"),
    PartSpec("overview.oversight", "（五）监督保障情况", "监督保障", "overview"),
    PartSpec("problems", "五、存在的主要问题及改进情况", "存在的主要问题及改进情况"),
    PartSpec("problems.issues", "（一）存在的主要问题", "存在的问题", "problems"),
    PartSpec("problems.measures", "（二）改进情况", "改进措施", "problems"),
    PartSpec("other", "六、其他需要报告的事项", "其他需要报告的事项"),
)
PART_BY_KEY: dict[str, PartSpec] = {p.key: p for p in PARTS}
TOP_PARTS: tuple[str, ...] = ("overview", "problems", "other")


def children_of(key: str) -> list[PartSpec]:
    """The sub-parts of a top-level part, in order."""
    return [p for p in PARTS if p.parent == key]


# Each top-level part with its sub-parts, keys in order: bodies split 一 and 五 into sub-parts differently.
PART_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (top, (top, *(p.key for p in children_of(top)))) for top in TOP_PARTS
)


# Headings of the six parts, in print order; tables sit at 二、三、四.
SECTION_HEADINGS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
TITLE_SUFFIX = "政府信息公开工作年度报告"

# ---------------------------------------------------------------------------
# Table 二 主动公开政府信息情况
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table2Block:
    """One block of table 二: its 第二十条 item, column labels and rows."""

    item: str  # "第二十条第（一）项"
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[tuple[str, str], ...]  # (key, label)


T2_BLOCKS: tuple[Table2Block, ...] = (
    Table2Block(
        "第二十条第（一）项",
        (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("valid", "现行有效件数")),
        (("rules", "规章"), ("normative", "行政规范性文件")),
    ),
    Table2Block(
        "第二十条第（五）项",
        (("decisions", "本年处理决定数量"),),
        (("licensing", "行政许可"),),
    ),
    Table2Block(
        "第二十条第（六）项",
        (("decisions", "本年处理决定数量"),),
        (("punishment", "行政处罚"), ("coercion", "行政强制")),
    ),
    Table2Block(
        "第二十条第（八）项",
        (("amount", "本年收费金额（单位：万元）"),),
        (("fees", "行政事业性收费"),),
    ),
)
T2_ROW_HEADER = "信息内容"
# The one table-二 cell that is an amount in 万元 rather than a count.
FEE_CELL = "t2.fees.amount"

# ---------------------------------------------------------------------------
# Table 三 收到和处理政府信息公开申请情况
# ---------------------------------------------------------------------------

T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("social", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
T3_APPLICANT_COLUMNS: tuple[str, ...] = tuple(k for k, _ in T3_COLUMNS[:-1])
T3_LEGAL_PERSON_COLUMNS: tuple[str, ...] = T3_APPLICANT_COLUMNS[1:]
T3_HEADER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_HEADER_APPLICANT = "申请人情况"
T3_HEADER_LEGAL_PERSON = "法人或其他组织"


@dataclass(frozen=True, slots=True)
class Table3Row:
    """A row of table 三. `group` is the （N） result group, `item` the number inside it."""

    key: str
    label: str  # the row's own label as printed
    group: str = ""  # e.g. "（三）不予公开" for items of a result group
    item: int = 0
    keywords: tuple[str, ...] = ()  # distinctive words for matching imported labels


def _items(prefix: str, group: str, labels: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[Table3Row, ...]:
    return tuple(
        Table3Row(f"{prefix}_{i}", f"{i}.{label}", group, i, kw) for i, (label, kw) in enumerate(labels, 1)
    )


T3_RESULT_HEADING = "三、本年度办理结果"
T3_ROWS: tuple[Table3Row, ...] = (
    Table3Row("new", "一、本年新收政府信息公开申请数量", keywords=("本年新收",)),
    Table3Row("carried_in", "二、上年结转政府信息公开申请数量", keywords=("上年结转",)),
    Table3Row("r1", "（一）予以公开", "（一）予以公开", keywords=("予以公开",)),
    Table3Row(
        "r2",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开",
        keywords=("部分公开",),
    ),
    *_items(
        "r3",
        "（三）不予公开",
        (
            ("属于国家秘密", ("国家秘密",)),
            ("其他法律行政法规禁止公开", ("禁止公开",)),
            ("危及“三安全一稳定”", ("三安全",)),
            ("保护第三方合法权益", ("第三方",)),
            ("属于三类内部事务信息", ("内部事务",)),
            ("属于四类过程性信息", ("过程性",)),
            ("属于行政执法案卷", ("执法案卷",)),
            ("属于行政查询事项", ("查询事项",)),
        ),
    ),
    *_items(
        "r4",
        "（四）无法提供",
        (
            ("本机关不掌握相关政府信息", ("不掌握",)),
            ("没有现成信息需要另行制作", ("另行制作", "没有现成")),
            ("补正后申请内容仍不明确", ("仍不明确",)),
        ),
    ),
    *_items(
        "r5",
        "（五）不予处理",
        (
            ("信访举报投诉类申请", ("信访",)),
            ("重复申请", ("重复申请",)),
            ("要求提供公开出版物", ("出版物",)),
            ("无正当理由大量反复申请", ("大量反复",)),
            ("要求行政机关确认或重新出具已获取信息", ("重新出具",)),
        ),
    ),
    *_items(
        "r6",
        "（六）其他处理",
        (
            ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正",)),
            ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ("缴纳费用",)),
            ("其他", ()),
        ),
    ),
    Table3Row("r7", "（七）总计", "（七）总计"),
    Table3Row("carried_out", "四、结转下年度继续办理", keywords=("结转下年度",)),
)
T3_ROW_BY_KEY: dict[str, Table3Row] = {r.key: r for r in T3_ROWS}
# The 办理结果 rows that add up to （七）总计.
T3_RESULT_ROWS: tuple[str, ...] = tuple(
    r.key for r in T3_ROWS if r.key.startswith(("r1", "r2", "r3", "r4", "r5", "r6"))
)
# Short names for the grid on a small screen (the full label is shown on hover), and what each row counts: a
# one-line explanation from the 条例 (2019) and the notes of the format, shown on hover over the row label.
T3_COLUMN_SHORT: dict[str, str] = {
    "natural": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "social": "公益组织",
    "legal": "法律服务",
    "other": "其他",
    "total": "总计",
}
T3_ROW_SHORT: dict[str, str] = {
    "new": "一、本年新收",
    "carried_in": "二、上年结转",
    "r1": "（一）予以公开",
    "r2": "（二）部分公开",
    "r3_1": "（三）1.国家秘密",
    "r3_2": "（三）2.法律法规禁止",
    "r3_3": "（三）3.三安全一稳定",
    "r3_4": "（三）4.第三方合法权益",
    "r3_5": "（三）5.三类内部事务",
    "r3_6": "（三）6.四类过程性信息",
    "r3_7": "（三）7.行政执法案卷",
    "r3_8": "（三）8.行政查询事项",
    "r4_1": "（四）1.本机关不掌握",
    "r4_2": "（四）2.需另行制作",
    "r4_3": "（四）3.补正后仍不明确",
    "r5_1": "（五）1.信访举报投诉",
    "r5_2": "（五）2.重复申请",
    "r5_3": "（五）3.公开出版物",
    "r5_4": "（五）4.大量反复申请",
    "r5_5": "（五）5.确认或重新出具",
    "r6_1": "（六）1.逾期不补正",
    "r6_2": "（六）2.逾期未缴费",
    "r6_3": "（六）3.其他",
    "r7": "（七）总计",
    "carried_out": "四、结转下年度",
}
T3_ROW_NOTES: dict[str, str] = {
    "new": "本年度内收到的政府信息公开申请件数，不论以何种方式提出。",
    "carried_in": "上年度收到、到上年底尚未办结的申请件数，应等于上年报告的“结转下年度继续办理”。",
    "r1": "所申请的信息全部提供给申请人，或告知获取方式的（条例第三十六条第一、二项）。",
    "r2": "信息中含有不应公开的内容，作区分处理后提供可以公开部分的（条例第三十七条）；只计这一情形。",
    "r3_1": "所申请的信息依法确定为国家秘密的（条例第十四条）。",
    "r3_2": "法律、行政法规禁止公开的（条例第十四条）。",
    "r3_3": "公开后可能危及国家安全、公共安全、经济安全、社会稳定的（条例第十四条）。",
    "r3_4": "涉及商业秘密、个人隐私等，公开会损害第三方合法权益的（条例第十五条）。",
    "r3_5": "人事管理、后勤管理、内部工作流程等方面的信息（条例第十六条第一款）。",
    "r3_6": "行政机关履职过程中形成的讨论记录、过程稿、磋商信函、请示报告等（条例第十六条第二款）。",
    "r3_7": "行政执法案卷信息（条例第十六条第二款）。",
    "r3_8": "工商、不动产登记资料等，法律、行政法规对获取另有专门规定、应通过查询途径办理的（条例第三十六条第七项）。",
    "r4_1": "经检索没有所申请的信息，或信息不由本机关负责公开的（条例第三十六条第四、五项）。",
    "r4_2": "需要对现有信息加工、分析或另行制作才能提供的（条例第三十八条）。",
    "r4_3": "申请内容不明确，告知补正后仍然不明确的（条例第二十九条、第三十条）。",
    "r5_1": "以政府信息公开申请的形式进行信访、投诉、举报等活动的（条例第三十九条第一款）。",
    "r5_2": "重复申请公开相同政府信息的（条例第三十六条第六项）。",
    "r5_3": "要求提供政府公报、报刊、书籍等公开出版物的（条例第三十九条第二款）。",
    "r5_4": "申请数量、频次明显超过合理范围，又不能说明理由或理由不合理的（条例第三十五条）。",
    "r5_5": "要求行政机关确认或者重新出具已获取信息的（条例第三十九条第二款）。",
    "r6_1": "申请内容不明确，告知补正后申请人无正当理由逾期不补正，视为放弃申请的（条例第三十条）。",
    "r6_2": "申请人逾期未按收费通知缴纳信息处理费，不再处理其申请的（条例第四十二条）。",
    "r6_3": "以上各项都不属于的其他处理情形。",
    "r7": "（一）至（六）各项之和，由程序计算。",
    "carried_out": "本年度收到、到年底尚未办结、转入下年度继续办理的件数；留空则按第一项加第二项减第三项计算。",
}
T4_COLUMN_SHORT: dict[str, str] = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他",
    "pending": "未审结",
    "total": "总计",
}

# ---------------------------------------------------------------------------
# Table 四 行政复议、行政诉讼
# ---------------------------------------------------------------------------

T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼 未经复议直接起诉"),
    ("suit_after", "行政诉讼 复议后起诉"),
)
T4_GROUP_SHORT: dict[str, str] = {
    "review": "行政复议",
    "suit_direct": "未经复议直接起诉",
    "suit_after": "复议后起诉",
}
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_HEADER_SUIT = "行政诉讼"
# The four result columns a group's 总计 adds up.
T4_PARTS: tuple[str, ...] = ("upheld", "corrected", "other", "pending")

# ---------------------------------------------------------------------------
# Cells: every cell of the three tables with its key, words and kind
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellSpec:
    """One cell: stable key, the Chinese words that name it, whether code derives it."""

    key: str
    table: str  # "二" | "三" | "四"
    words: str  # e.g. "表三 一、本年新收 自然人"
    derived: bool
    amount: bool = False  # an amount in 万元 (decimal), not a count

    @property
    def in_table(self) -> str:
        """The words without the table's name, for a message already about that table: '一、本年新收 自然人'."""
        return self.words.split(" ", 1)[1]


def _short_row_label(row: Table3Row) -> str:
    """A readable name of a table-三 row: '一、本年新收', '（三）不予公开 1.属于国家秘密'."""
    if row.item:
        return f"{row.group} {row.label}"
    if row.key == "new":
        return "一、本年新收"
    if row.key == "carried_in":
        return "二、上年结转"
    if row.key == "carried_out":
        return "四、结转下年度"
    return row.group or row.label


def _build_cells() -> tuple[CellSpec, ...]:
    cells: list[CellSpec] = []
    for block in T2_BLOCKS:
        for rkey, rlabel in block.rows:
            for ckey, clabel in block.columns:
                key = f"t2.{rkey}.{ckey}"
                words = f"表二 {rlabel}" + ("" if len(block.columns) == 1 else f" {clabel}")
                cells.append(CellSpec(key, "二", words, False, amount=key == FEE_CELL))
    for row in T3_ROWS:
        for ckey, clabel in T3_COLUMNS:
            derived = ckey == "total" or row.key in ("r7", "carried_out")
            cells.append(
                CellSpec(f"t3.{row.key}.{ckey}", "三", f"表三 {_short_row_label(row)} {clabel}", derived)
            )
    for gkey, glabel in T4_GROUPS:
        for ckey, clabel in T4_COLUMNS:
            cells.append(CellSpec(f"t4.{gkey}.{ckey}", "四", f"表四 {glabel} {clabel}", ckey == "total"))
    return tuple(cells)


CELLS: tuple[CellSpec, ...] = _build_cells()
CELL_BY_KEY: dict[str, CellSpec] = {c.key: c for c in CELLS}
COUNT_CELLS: tuple[str, ...] = tuple(c.key for c in CELLS if not c.amount)
# 四、结转 is derived only where the clerk has not typed it; it is still an input some bodies report.
DERIVED_CELLS: frozenset[str] = frozenset(c.key for c in CELLS if c.derived)


def t2(row: str, column: str) -> str:
    """The key of a table-二 cell."""
    return f"t2.{row}.{column}"


def t3(row: str, column: str) -> str:
    """The key of a table-三 cell."""
    return f"t3.{row}.{column}"


def t4(group: str, column: str) -> str:
    """The key of a table-四 cell."""
    return f"t4.{group}.{column}"


def t3_row(row: str, columns: Iterable[str] | None = None) -> tuple[str, ...]:
    """The keys of a table-三 row: all seven columns, or the given ones in their order."""
    return tuple(t3(row, c) for c in (columns if columns is not None else (k for k, _ in T3_COLUMNS)))


def t3_column(column: str, rows: Iterable[str]) -> tuple[str, ...]:
    """The keys of one table-三 column over the given rows."""
    return tuple(t3(r, column) for r in rows)


def t4_group(group: str, columns: Iterable[str] | None = None) -> tuple[str, ...]:
    """The keys of a table-四 group: all five columns, or the given ones in their order."""
    return tuple(t4(group, c) for c in (columns if columns is not None else (k for k, _ in T4_COLUMNS)))


def t3_items(group: str) -> tuple[str, ...]:
    """The item rows of a 办理结果 group by its row key: t3_items("r3") → r3_1 … r3_8 (none for r1, r2, r7)."""
    return tuple(r.key for r in T3_ROWS if r.key.startswith(group + "_"))


def t3_result_row(group: int, item: int = 0) -> str:
    """The row key of a 办理结果 group by its （N） number, or of one of its items: (3, 2) → 'r3_2', (1,) → 'r1'."""
    return f"r{group}_{item}" if item else f"r{group}"


def t3_group_number(row: str) -> int:
    """The （N） number of a 办理结果 row ('r3_2' → 3, 'r7' → 7); 0 for 一、二 and 四、结转."""
    spec = T3_ROW_BY_KEY[row]
    return _NUMERALS.index(spec.group[1]) + 1 if spec.group else 0


_NUMERALS = "一二三四五六七"


def cell_table(key: str) -> str | None:
    """The table a key's cell is in, as its numeral ('t3.new.total' → '三'); None for a part or a report field."""
    spec = CELL_BY_KEY.get(key)
    return spec.table if spec else None


def cell_row(key: str) -> str:
    """The row (table 二, 三) or group (table 四) of a cell by its key: 't3.r3_2.total' → 'r3_2'."""
    return CELL_BY_KEY[key].key.split(".")[1]


def cell_in_table(key: str) -> str:
    """A cell's words without the table's name, for a message already about that table: '一、本年新收 自然人'."""
    return CELL_BY_KEY[key].in_table


PART_PREFIX = "part."


def part_key(part: str) -> str:
    """The key a finding uses for a narrative part: 'overview.active' → 'part.overview.active'."""
    return PART_PREFIX + part


def part_of(key: str) -> str | None:
    """The narrative part a finding's key names ('part.overview' → 'overview'), None for a cell or field."""
    return key[len(PART_PREFIX) :] if key.startswith(PART_PREFIX) else None


def t3_row_words(row: str) -> str:
    """A readable name of a table-三 row by its key: '一、本年新收', '（三）不予公开 1.属于国家秘密'."""
    return _short_row_label(T3_ROW_BY_KEY[row])


def describe_cell(key: str) -> str:
    """The Chinese words for a cell key, as a clerk would say it."""
    spec = CELL_BY_KEY.get(key)
    return spec.words if spec else key


# The opening paragraph, composed from the report's facts when the clerk has not written one. Each clause is
# left out when its fact is blank.
OPENING_CLAUSES: tuple[tuple[str, str], ...] = (
    ("compiler", "本报告由{compiler}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。"),
    ("year", "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"),
    ("published_at", "本报告电子版可在{published_at}查阅或下载。"),
    ("contact", "如对本报告有任何疑问，请与{contact_who}联系（{contact}）。"),
)
CONTACT_PARTS: tuple[tuple[str, str], ...] = (("contact_address", "地址：{}"), ("contact_phone", "电话：{}"))

# Document fonts (DESIGN §4). The body font is a per-report setting (Report.body_font), one of these.
BodyFont = Literal["仿宋_GB2312", "仿宋"]
BODY_FONTS: tuple[BodyFont, ...] = get_args(BodyFont)
