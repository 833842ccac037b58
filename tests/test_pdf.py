"""The PDF through LibreOffice: pages never mostly empty, figures whole, a serif body, page numbers, render -o .pdf."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from assistant import cli
from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.export import pdf
from assistant.export.pdf import PdfError, render_pdf
from assistant.format import layout
from assistant.format.models import Report, report_to_json
from assistant.importers.files import read_path
from tests.conftest import DATA, ROOT, need_tool
from tests.test_word_layout import five_digit_figures

FONTS_CONF = ROOT / "tests" / "fonts" / "fonts.conf"
MM = 72 / 25.4
TYPE_TOP, TYPE_BOTTOM = 37 * MM, (297 - 35) * MM


@pytest.fixture(autouse=True)
def _soffice() -> None:
    need_tool("soffice")


PdfOf = Callable[[str, bool], Path]


@pytest.fixture(scope="module")
def pdf_of(tmp_path_factory: pytest.TempPathFactory) -> PdfOf:
    """A report's PDF, converted once per module: with the test alias file (the official fonts drawn with Noto
    CJK, the same on every machine) or on the machine's own fonts."""
    made: dict[tuple[str, bool], Path] = {}

    def convert(name: str, alias_file: bool) -> Path:
        if (name, alias_file) not in made:
            saved = os.environ.pop("FONTCONFIG_FILE", None)
            if alias_file:
                os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)
            try:
                data = render_pdf(fill(_report(name)))
            finally:
                os.environ.pop("FONTCONFIG_FILE", None)
                if saved is not None:
                    os.environ["FONTCONFIG_FILE"] = saved
            path = tmp_path_factory.mktemp("pdf") / f"{name}.pdf"
            path.write_bytes(data)
            made[name, alias_file] = path
        return made[name, alias_file]

    return convert


def page_fill(path: Path) -> list[float]:
    """How far down the type area each page's content reaches (0 empty, 1 full), the page number left out."""
    fills = []
    with pdfplumber.open(path) as document:
        for page in document.pages:
            bottoms = [
                o["bottom"] for o in (*page.chars, *page.rects, *page.lines) if o["bottom"] < TYPE_BOTTOM + 2
            ]
            fills.append((max(bottoms, default=TYPE_TOP) - TYPE_TOP) / (TYPE_BOTTOM - TYPE_TOP))
    return fills


def _report(name: str) -> Report:
    if name == "example":
        return load_example()
    if name == "five-digit":
        return five_digit_figures()
    if name == "seed":
        return read_path(DATA / "seed" / "xiashi-xiang_2024.txt").report
    return read_path(next((DATA / "corpus" / "reports").glob(f"{name}_*.txt"))).report


@pytest.mark.parametrize("name", ["01", "02", "seed", "five-digit"])
def test_no_page_is_under_a_third_full_but_the_last(pdf_of: PdfOf, name: str) -> None:
    fills = page_fill(pdf_of(name, True))
    assert len(fills) >= 4
    assert all(f >= 1 / 3 for f in fills[:-1]), [round(f, 2) for f in fills]


def test_table3_figures_print_whole(pdf_of: PdfOf) -> None:
    report = fill(five_digit_figures())
    path = pdf_of("five-digit", True)
    text = subprocess.run(
        [need_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    tokens = set(re.findall(r"\d+", text))
    for key in layout.COUNT_CELLS:
        if key.startswith("t3."):
            assert str(report.cells[key]) in tokens, key


def _fonts_of(path: Path, words: str) -> set[str]:
    """The fonts the characters of a line starting with these words are set in."""
    with pdfplumber.open(path) as document:
        for page in document.pages:
            for line in page.extract_text_lines(return_chars=True):
                if line["text"].startswith(words):
                    return {c["fontname"].split("+")[-1] for c in line["chars"] if not c["text"].isspace()}
    raise AssertionError(f"no line starts with {words}")


@pytest.mark.parametrize("alias_file", [True, False], ids=["alias-file", "plain-machine"])
def test_body_is_serif_with_or_without_the_alias_file(pdf_of: PdfOf, alias_file: bool) -> None:
    report = load_example()
    path = pdf_of("example", alias_file)
    opening = report.parts["overview"].text.strip()[:6]
    body = _fonts_of(path, opening)
    assert body and all("Serif" in name for name in body), body  # 仿宋 or its fallback, digits too
    assert all("Sans" in name for name in _fonts_of(path, "一、总体情况")), "黑体 headings are sans"
    assert all("Serif" in name for name in _fonts_of(path, report.agency)), "the title is a Song face"


def test_page_numbers_odd_right_even_left(pdf_of: PdfOf) -> None:
    path = pdf_of("example", True)
    with pdfplumber.open(path) as document:
        for n, page in enumerate(document.pages[:4], start=1):
            footer = [c for c in page.chars if c["top"] > TYPE_BOTTOM]
            assert "".join(c["text"] for c in footer).replace(" ", "") == f"—{n}—"
            left, right = min(c["x0"] for c in footer), max(c["x1"] for c in footer)
            if n % 2:  # one 14 pt character in from the right edge of the type area
                assert abs((page.width - 26 * MM - 14) - right) < 4
            else:
                assert abs((28 * MM + 14) - left) < 4
            # The 一字线 sits about 7 mm below the type area.
            dash = next(c for c in footer if c["text"] == "—")
            assert 5 * MM < (dash["top"] + dash["bottom"]) / 2 - TYPE_BOTTOM < 9 * MM


def test_render_command_writes_a_pdf_by_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "report.json"
    source.write_text(report_to_json(load_example()), encoding="utf-8")
    out = tmp_path / "报告.pdf"
    assert cli.main(["render", str(source), "-o", str(out)]) == cli.EXIT_OK
    assert out.read_bytes().startswith(b"%PDF")
    with pdfplumber.open(out) as document:
        assert len(document.pages) >= 4
    assert "已生成" in capsys.readouterr().out


def test_without_libreoffice_render_says_so_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    source = tmp_path / "report.json"
    source.write_text(report_to_json(load_example()), encoding="utf-8")
    out = tmp_path / "report.pdf"
    assert cli.main(["render", str(source), "-o", str(out)]) == cli.EXIT_UNREADABLE
    assert "没有找到 LibreOffice" in capsys.readouterr().err
    assert not out.exists()
    # The .docx needs no LibreOffice.
    assert cli.main(["render", str(source), "-o", str(tmp_path / "report.docx")]) == cli.EXIT_OK


def test_a_conversion_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(command: list[str], **kwargs: object) -> None:
        assert any(a.startswith("-env:UserInstallation=file://") for a in command)
        raise subprocess.TimeoutExpired(command, kwargs.get("timeout", 0))  # type: ignore[arg-type]

    monkeypatch.setattr(pdf.subprocess, "run", hang)
    with pytest.raises(PdfError, match="秒内没有完成"):
        render_pdf(fill(load_example()), timeout=5)


def test_parallel_conversions_do_not_clash(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    reports = [fill(load_example()) for _ in range(2)]
    reports[1].agency = "另一个人民政府"
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(render_pdf, reports))
    for data, report in zip(pdfs, reports, strict=True):
        path = tmp_path / "x.pdf"
        path.write_bytes(data)
        with pdfplumber.open(path) as document:
            assert report.agency in (document.pages[0].extract_text() or "").replace(" ", "")
