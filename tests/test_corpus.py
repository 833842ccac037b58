"""The published reports in tests/data/corpus: every cell read right, the real errors found, nothing else flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checks.checking import check_imported
from assistant.format import layout
from assistant.importers.files import read_bytes, read_path
from assistant.importers.result import ReadError
from tests.conftest import Cli

# Figures are facts, written here from the published tables: row → (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计).
EXPECTED_T3: dict[str, dict[str, tuple[int, ...]]] = {
    "04_shuyang-xian-renmin-zhengfu_2025.txt": {
        "new": (705, 3, 0, 0, 5, 0, 713),
        "carried_in": (36, 0, 0, 0, 0, 0, 36),
        "r1": (290, 1, 0, 0, 3, 0, 294),
        "r3_5": (13, 0, 0, 0, 0, 0, 13),
        "r5_2": (6, 1, 0, 0, 0, 0, 7),
        "r6_3": (142, 1, 0, 0, 0, 0, 143),
        "r7": (710, 3, 0, 0, 5, 0, 718),
        "carried_out": (31, 0, 0, 0, 0, 0, 31),
    },
    "06_pingtan-zonghe-shiyanqu_2020.txt": {
        "new": (20, 0, 0, 0, 0, 1, 21),
        "r1": (6, 0, 0, 0, 0, 1, 7),
        "r6_3": (4, 0, 0, 0, 0, 0, 4),
        "r7": (20, 0, 0, 0, 0, 1, 21),
    },
    "07_pingtan-zonghe-shiyanqu_2021.txt": {
        "new": (64, 0, 0, 2, 0, 4, 70),
        "r1": (27, 0, 0, 2, 0, 1, 30),
        "r4_1": (22, 0, 0, 0, 0, 3, 25),
        "r7": (63, 0, 0, 2, 0, 4, 69),
        "carried_out": (1, 0, 0, 0, 0, 0, 1),
    },
}
EXPECTED_T3["12_shanghai-shi-kewei_2024.txt"] = {  # Markdown fragments, labels detached from their numbers
    "new": (32, 2, 0, 0, 0, 0, 34),
    "r3_5": (1, 0, 0, 0, 0, 0, 1),
    "r4_2": (6, 0, 0, 0, 0, 0, 6),
    "r6_1": (8, 2, 0, 0, 0, 0, 10),
    "r6_3": (4, 0, 0, 0, 0, 0, 4),
    "r7": (33, 2, 0, 0, 0, 0, 35),
}
EXPECTED_T3["13_shanghai-shi-zhengfu-bangongting_2025.txt"] = {
    "new": (1259, 36, 0, 0, 0, 0, 1295),
    "carried_in": (170, 15, 0, 0, 4, 0, 189),
    "r2": (2, 0, 0, 0, 0, 0, 2),
    "r4_1": (484, 28, 0, 0, 1, 0, 513),
    "r5_5": (0, 0, 0, 0, 0, 0, 0),
    "r6_1": (40, 1, 0, 0, 2, 0, 43),
    "r7": (1139, 48, 0, 0, 4, 0, 1191),
    "carried_out": (290, 3, 0, 0, 0, 0, 293),
}
EXPECTED_T4 = {"07_pingtan-zonghe-shiyanqu_2021.txt": (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)}
# The real errors in published reports, by rule and the first cell named; every other complete report has none.
REAL_ERRORS = {
    "02_hongze-qu-renmin-zhengfu_2023.txt": {
        ("T4-SUM", "t4.review.total"),
        ("T4-SUM", "t4.suit_after.total"),
    },
    "06_pingtan-zonghe-shiyanqu_2020.txt": {("T3-RESULT", "t3.r7.natural"), ("T3-RESULT", "t3.r7.total")},
}
COMPLETE = [f"{n:02d}" for n in range(1, 14)]  # 14 is a fragment
PDF_TWINS = {
    "huaian-shi-renmin-zhengfu_2024.pdf": "01_huaian-shi-renmin-zhengfu_2024.txt",
    "hongze-qu-renmin-zhengfu_2023.pdf": "02_hongze-qu-renmin-zhengfu_2023.txt",
    "hongze-qu-renmin-zhengfu_2024.pdf": "03_hongze-qu-renmin-zhengfu_2024.txt",
}


def row(cells: dict[str, int | None], key: str) -> tuple[int | None, ...]:
    return tuple(cells[layout.t3(key, c)] for c, _ in layout.T3_COLUMNS)


@pytest.mark.parametrize("name", sorted(EXPECTED_T3))
def test_table_three_figures(corpus: Path, name: str) -> None:
    report = read_path(corpus / name).report
    for key, values in EXPECTED_T3[name].items():
        assert row(report.cells, key) == values, key


def test_table_two_with_space_separated_rows_and_the_short_name(corpus: Path) -> None:
    report = read_path(corpus / "12_shanghai-shi-kewei_2024.txt").report
    assert [report.cells[f"t2.normative.{c}"] for c in ("issued", "repealed", "valid")] == [13, 0, 55]
    assert report.cells["t2.licensing.decisions"] == 97


def test_table_four_figures(corpus: Path) -> None:
    for name, values in EXPECTED_T4.items():
        report = read_path(corpus / name).report
        assert (
            tuple(report.cells[f"t4.{g}.{c}"] for g, _ in layout.T4_GROUPS for c, _ in layout.T4_COLUMNS)
            == values
        )


@pytest.mark.parametrize("pdf", sorted(PDF_TWINS))
def test_pdf_cells_equal_the_published_tables(data: Path, pdf: str) -> None:
    from_pdf = read_path(data / "corpus" / pdf).report
    from_text = read_path(data / "corpus" / "reports" / PDF_TWINS[pdf]).report
    assert from_pdf.cells == from_text.cells
    assert from_pdf.fee_amount_wan == from_text.fee_amount_wan
    assert from_pdf.year == from_text.year


@pytest.mark.parametrize("prefix", COMPLETE)
def test_real_errors_found_and_nothing_else(corpus: Path, prefix: str) -> None:
    (path,) = corpus.glob(f"{prefix}_*.txt")
    errors = {(f.rule, f.cells[0]) for f in check_imported(read_path(path)) if f.severity == "error"}
    assert errors == REAL_ERRORS.get(path.name, set())


def test_pingtan_series_carries_over_and_valid_fails_three_times(corpus: Path) -> None:
    reports = {int(p.stem[-4:]): read_path(p) for p in corpus.glob("*pingtan*.txt")}
    valid_fails = []
    for year in range(2021, 2026):
        findings = check_imported(reports[year], reports[year - 1].report)
        assert not [f for f in findings if f.rule == "YOY-CARRY" and f.severity != "cannot-check"], year
        if any(f.rule == "YOY-VALID" and f.severity == "warning" for f in findings):
            valid_fails.append(year)
    assert valid_fails == [2023, 2024, 2025]


def test_old_trial_format_is_recognised(corpus: Path) -> None:
    for name in ("05_shanghai-shi-zhengfu-bangongting_2019.txt", "06_pingtan-zonghe-shiyanqu_2020.txt"):
        imported = read_path(corpus / name)
        assert imported.report.format_edition == "2019"
        assert imported.report.legacy_table2[0][0].startswith("第二十条")
        assert imported.report.cells["t2.normative.issued"] is None  # other columns: not read into 2021 cells
        assert any("试行格式" in n.message for n in imported.notes)


def test_single_other_row_is_said(corpus: Path) -> None:
    imported = read_path(corpus / "03_hongze-qu-renmin-zhengfu_2024.txt")
    assert any("只有一行" in n.message for n in imported.notes)
    assert imported.report.cells["t3.r6_1.total"] == 0


def test_folder_check_pairs_years_and_writes_csv(cli: Cli, corpus: Path) -> None:
    result = cli("check", corpus, "--format", "csv")
    assert result.returncode == 1  # the real errors
    lines = result.stdout.splitlines()
    assert lines[0] == "文件,规则,严重程度,单元格,说明"
    assert sum("YOY-VALID" in line for line in lines) == 3
    assert any("T4-SUM" in line and "02_hongze" in line for line in lines)


def test_new_from_last_year(cli: Cli, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "2026.json"
    result = cli("new", "--from", corpus / "11_pingtan-zonghe-shiyanqu_2025.txt", "-o", out)
    assert result.returncode == 0, result.stderr
    report = read_path(out).report
    last = read_path(corpus / "11_pingtan-zonghe-shiyanqu_2025.txt").report
    assert report.year == 2026 and report.cells["t2.normative.valid"] == last.cells["t2.normative.valid"]
    assert row(report.cells, "carried_in")[:6] == row(last.cells, "carried_out")[:6]


MINIMAL_PDF_WITHOUT_TEXT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("data", "suffix", "words"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, ".pdf", "不是 PDF"),
        (MINIMAL_PDF_WITHOUT_TEXT, ".pdf", "没有文字层"),
        (b"%PDF-1.4 broken", ".pdf", "无法打开"),
    ],
)
def test_bad_pdfs_say_why(data: bytes, suffix: str, words: str) -> None:
    with pytest.raises(ReadError, match=words):
        read_bytes(data, suffix)


def test_a_200_mb_file_is_refused_at_once(tmp_path: Path) -> None:
    big = tmp_path / "huge.docx"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(ReadError, match="太大"):
        read_path(big)
