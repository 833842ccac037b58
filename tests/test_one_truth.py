"""One truth per concern: cell keys and row words from layout, the rule registry, the typed summary, the layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant.checks import rules, tables
from assistant.checks.facts import TableSummary, table_summary
from assistant.checks.fill import fill
from assistant.checks.findings import Finding
from assistant.checks.similarity import runs, share, similarity
from assistant.example import load_example
from assistant.format import layout

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"


@pytest.mark.parametrize(
    ("made", "key"),
    [
        (layout.t2("rules", "valid"), "t2.rules.valid"),
        (layout.t3("r3_1", "natural"), "t3.r3_1.natural"),
        (layout.t4("suit_after", "total"), "t4.suit_after.total"),
        (layout.t3_row("new", ("natural", "total")), ("t3.new.natural", "t3.new.total")),
        (layout.t3_row("r7")[-1], "t3.r7.total"),
        (layout.t3_column("natural", ("r1", "r2")), ("t3.r1.natural", "t3.r2.natural")),
        (layout.t4_group("review", layout.T4_PARTS)[0], "t4.review.upheld"),
        (layout.t3_items("r4"), ("r4_1", "r4_2", "r4_3")),
        (layout.t3_items("r1"), ()),
        (layout.t3_result_row(3, 2), "r3_2"),
        (layout.t3_result_row(7), "r7"),
        (layout.t3_group_number("r3_2"), 3),
        (layout.t3_group_number("r7"), 7),
        (layout.t3_group_number("new"), 0),
        (layout.t3_group_number("carried_out"), 0),
        (layout.part_key("overview.active"), "part.overview.active"),
        (layout.part_of("part.overview.active"), "overview.active"),
        (layout.part_of("t3.new.total"), None),
        (layout.part_of("report.agency"), None),
        (layout.cell_in_table("t3.new.natural"), "一、本年新收 自然人"),
        (layout.cell_table("t3.new.total"), "三"),
        (layout.cell_table("t2.fees.amount"), "二"),
        (layout.cell_table("t4.review.total"), "四"),
        (layout.cell_table("part.overview"), None),
        (layout.cell_table("report.agency"), None),
        (layout.t3_row_words("r3_1"), "（三）不予公开 1.属于国家秘密"),
    ],
)
def test_layout_makes_and_reads_every_key(made: object, key: object) -> None:
    assert made == key


def test_every_cell_key_is_one_the_helpers_make() -> None:
    made = {k for r in layout.T3_ROWS for k in layout.t3_row(r.key)}
    made |= {k for g, _ in layout.T4_GROUPS for k in layout.t4_group(g)}
    made |= {layout.t2(r, c) for b in layout.T2_BLOCKS for r, _ in b.rows for c, _ in b.columns}
    assert made == set(layout.CELL_BY_KEY)


def test_result_group_numbers_agree_with_the_printed_groups() -> None:
    for row in layout.T3_ROWS:
        number = layout.t3_group_number(row.key)
        if number:
            assert row.group.startswith("（" + "一二三四五六七"[number - 1] + "）"), row.key


def test_no_module_builds_cell_keys_or_slices_labels_by_hand() -> None:
    """Outside layout.py no key is built or taken apart by hand, no label cut (ui/, grids.py: being rewritten)."""
    skipped = {"format/layout.py", "grids.py"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in skipped or name.startswith(("ui/", "drafting/")):
            continue
        text = path.read_text(encoding="utf-8")
        for bad in ('f"t2.', 'f"t3.', 'f"t4.', "f't3.", '"t2."', '"t3."', '"t4."', "[3:-3]", '"part.', "[5:]"):
            if bad in text:
                offenders.append(f"{name}: {bad}")
    assert offenders == []


def test_rule_ids_come_from_the_registry_in_the_listed_order() -> None:
    registered = [i for rule in rules.RULES for i in rule.ids] + list(rules.BATCH_RULE_IDS)
    assert sorted(registered) == sorted(rules.RULE_IDS)
    assert len(set(registered)) == len(registered)
    # The order pages and the workbook list rules in: unchanged by the registry.
    assert rules.RULE_IDS == (
        "T3-ROW", "T3-RESULT", "T3-BALANCE", "T4-SUM", "T2-VALID", "CELL", "YOY-CARRY", "YOY-VALID", "FEE", "SIMILAR",
        "GB2312", "EMPTY", "TEXT-TABLE", "NUMBER-GUARD", "BLANK", "PLACEHOLDER", "CITE", "PARTS", "DEADLINE",
        "PEER-SIMILAR",
    )  # fmt: skip


def test_a_rule_registered_without_a_listed_id_stops_the_import(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = rules.Rule(("NEW-RULE",), lambda s, out: None)
    monkeypatch.setattr(rules, "RULES", (*rules.RULES, extra))
    with pytest.raises(RuntimeError, match="NEW-RULE"):
        rules._rule_ids()


def test_each_registered_check_yields_only_its_own_ids() -> None:
    """On reports that fire every per-report rule, each check's findings carry only the ids it is registered with."""
    report = fill(load_example())
    report.cells["t3.new.natural"] = 8
    report.cells["t4.review.upheld"] = 3
    report.cells["t3.r1.business"] = -1
    report.parts["other"].text = "共主动公开条。本年度收到申请12件，未收到申请。"
    previous = report.model_copy(deep=True, update={"year": report.year - 1})
    previous.cells["t2.rules.valid"] = 40
    subject = rules.Subject(report, previous, None, True)
    for rule in rules.RULES:
        out: list[Finding] = []
        rule.check(subject, out)
        assert {f.rule for f in out} <= set(rule.ids), rule.ids


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (None, None),  # consistent: the fast branch answers
        ("t3.new.business", 3),  # a row total off
        ("t3.r3_2.social", 2),  # a row and a result total off
        ("t3.r7.natural", None),  # a blank total
        ("t3.r1.total", None),
    ],
)
def test_t3_sums_fast_branch_agrees_with_the_detailed_one(cell: str | None, value: int | None) -> None:
    cells = fill(load_example()).cells
    if cell is not None:
        cells[cell] = value
    detailed: list[Finding] = []
    tables._sums_findings(cells, "T3-ROW", tables._T3_ROW_KEYS, detailed)
    tables._sums_findings(cells, "T3-RESULT", tables._T3_RESULT_KEYS, detailed)
    assert tables._t3_sums_hold(cells) == (detailed == [])
    checked: list[Finding] = []
    tables.check_t3_sums(cells, checked)
    assert checked == detailed


def test_table_summary_gives_exactly_the_typed_keys() -> None:
    summary = table_summary(fill(load_example()))
    assert set(summary) == TableSummary.__required_keys__
    assert TableSummary.__optional_keys__ == frozenset()


def test_similarity_is_one_measure_for_last_year_and_peers() -> None:
    text = "本机关认真贯彻落实政府信息公开条例，持续加强主动公开工作。"
    assert similarity(text, text) == 1.0
    assert similarity(text, "") == 0.0
    assert share(runs(text), runs(text + "另外一句完全不同的话。")) == 1.0
    assert share(set(), runs(text)) == 0.0


_LAYERS = {"format": 0, "checks": 1, "importers": 2, "drafting": 2, "export": 2}


@pytest.mark.parametrize("package", sorted(_LAYERS))
def test_no_package_imports_a_higher_layer(package: str) -> None:
    """format ← checks ← importers/drafting/export: an import runs downward only (DESIGN, Architecture)."""
    upward = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant."):
                target = node.module.split(".")[1]
                if target != package and _LAYERS.get(target, 3) >= _LAYERS[package]:
                    upward.append(f"{path.name}: {node.module}")
    assert upward == []


def test_importers_use_no_rule_but_the_finding() -> None:
    used = set()
    for path in sorted((PACKAGE / "importers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant.checks"):
                used.add(node.module)
    assert used <= {"assistant.checks.findings"}
