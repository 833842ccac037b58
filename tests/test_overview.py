"""`check --format html -o OVERVIEW.html`: one self-contained page over many reports' findings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from assistant.checks.checking import Checked
from assistant.checks.findings import Finding
from assistant.export.overview import overview_html

ROOT = Path(__file__).resolve().parent.parent


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "check", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_overview_page_of_a_folder(data: Path, tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_text("随便写的一段话。", encoding="utf-8")
    out = tmp_path / "overview.html"
    corpus = data / "corpus" / "reports"
    run = _check(
        str(corpus / "02_hongze-qu-renmin-zhengfu_2023.txt"),
        str(corpus / "07_pingtan-zonghe-shiyanqu_2021.txt"),
        str(tmp_path / "broken.txt"),
        "--format",
        "html",
        "-o",
        str(out),
    )
    assert run.returncode == 2  # broken.txt could not be read; the page still covers the others
    page = out.read_text(encoding="utf-8")
    # Self-contained: no script, nothing fetched.
    assert "<script" not in page and not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert page.count("<svg") == 1
    assert "02_hongze-qu-renmin-zhengfu_2023.txt" in page and "无法读取" in page and "章节标题" in page
    # The matrix: 洪泽 2023's two T4-SUM errors, red, in its row.
    row = next(r for r in page.split("<tr>") if "02_hongze" in r and "matrix" not in r)
    assert 'class="n e">2</td>' in row
    assert "表四行政复议：总计" in page  # each finding with its message


def test_overview_counts_and_escapes() -> None:
    findings = (
        Finding("T3-ROW", "error", ("t3.new.total",), "行<总计>不对"),
        Finding("T3-ROW", "warning", (), "另一条"),
        Finding("FEE", "warning", ("part.other",), "未说明"),
        Finding("IMPORT", "cannot-check", (), "空白"),
    )
    page = overview_html([Checked("a<b>.txt", findings), Checked("c.txt", error="文件是空的")])
    assert "a&lt;b&gt;.txt" in page and "行&lt;总计&gt;不对" in page and "<b>.txt" not in page
    assert "共 2 份报告：1 份有错误，1 份无法读取；共 1 个错误、2 个警告。" in page
    assert 'class="n e">1/1</td>' in page  # T3-ROW: one error, one warning
    assert "表三 一、本年新收 总计" in page  # cells in words


def test_output_file_is_only_for_html(data: Path, tmp_path: Path) -> None:
    run = _check(
        str(data / "seed" / "xiashi-xiang_2024.txt"), "--format", "json", "-o", str(tmp_path / "x.json")
    )
    assert run.returncode == 2 and "只用于 --format html" in run.stderr


def test_the_overview_in_the_folder_it_checked_is_named_not_read(data: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes((data / "seed" / "xiashi-xiang_2024.txt").read_bytes())
    _check(str(tmp_path), "--format", "html", "-o", str(tmp_path / "overview.html"))
    run = _check(str(tmp_path))
    assert "检查结果总览，不是年度报告" in run.stdout
