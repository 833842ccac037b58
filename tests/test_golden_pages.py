"""Visual regression: the example's pages, rendered by LibreOffice, against the golden pages in tests/golden/pages."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.export.pdf import render_pdf
from tests.conftest import ROOT, need_tool

# A layout change shows up here. When it is meant, look at the new pages and update them on purpose:
# `UPDATE_GOLDEN=1 pytest tests/test_golden_pages.py`. A missing golden page fails; the test never writes one unasked.
GOLDEN = ROOT / "tests" / "golden" / "pages"
FONTS_CONF = ROOT / "tests" / "fonts" / "fonts.conf"
DPI = 40
TOLERANCE = (
    0.003  # share of a page's pixels that may differ (anti-aliasing), well below one moved line of text
)
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def difference_ratio(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels whose grey differs by more than a quarter of the range (1.0 when sizes differ)."""
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    histogram = diff.histogram()
    return sum(histogram[64:]) / (a.width * a.height)


def test_difference_ratio_sees_a_moved_line() -> None:
    page = Image.new("L", (331, 468), 255)
    moved = page.copy()
    page.paste(0, (40, 100, 290, 108))
    moved.paste(0, (40, 112, 290, 120))
    assert difference_ratio(page, page.copy()) == 0
    assert difference_ratio(page, moved) > TOLERANCE
    assert difference_ratio(page, page.resize((331, 467))) == 1.0


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    need_tool("soffice")
    pdftoppm = need_tool("pdftoppm")
    folder = tmp_path_factory.mktemp("golden")
    saved = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)  # the same faces on every machine
    try:
        data = render_pdf(fill(load_example()))
    finally:
        if saved is None:
            os.environ.pop("FONTCONFIG_FILE")
        else:
            os.environ["FONTCONFIG_FILE"] = saved
    (folder / "example.pdf").write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", str(DPI), "-gray", "-png", str(folder / "example.pdf"), str(folder / "example")],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob("example-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def test_example_pages_match_the_golden_pages(pages: list[Path]) -> None:
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("example-*.png"):
            old.unlink()
        for n, page in enumerate(pages, start=1):
            Image.open(page).save(GOLDEN / f"example-{n}.png", optimize=True)
    golden = sorted(GOLDEN.glob("example-*.png"))
    assert golden, (
        f"no golden pages in {GOLDEN}: look at the pages, then run with UPDATE_GOLDEN=1 to keep them"
    )
    assert len(pages) == len(golden), f"{len(pages)} pages, the golden file has {len(golden)}"
    for n, page in enumerate(pages, start=1):
        ratio = difference_ratio(Image.open(page), Image.open(GOLDEN / f"example-{n}.png"))
        assert ratio <= TOLERANCE, f"page {n} differs from its golden page in {ratio:.2%} of its pixels"
