"""Hostile inputs (issue 10): each is refused quickly with a Chinese message naming the limit, never a traceback."""

from __future__ import annotations

import codecs
import contextlib
import importlib
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import cli
from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.export.word import render_docx
from assistant.format.models import report_to_json
from assistant.importers import pdf, sandbox
from assistant.importers.files import READERS, read_bytes, read_path
from assistant.importers.result import Imported, ReadError
from tests import hostile
from tests.conftest import ROOT


def refused(data: bytes, suffix: str) -> tuple[str, float]:
    """The refusal message and the seconds it took."""
    start = time.monotonic()
    with pytest.raises(ReadError) as info:
        read_bytes(data, suffix)
    return str(info.value), time.monotonic() - start


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (hostile.stream_bomb_pdf, "超过每页 1 MB 的上限"),  # was 3 min 37 s
        (hostile.grid_pdf, "超过表格识别的上限（4000 个交点）"),  # was 36 s
        (lambda: hostile.grid_pdf(pages=199), "超过表格识别的上限"),  # did not finish in 300 s
        (hostile.huge_page_pdf, "超过 5000 磅的上限"),  # was 32 s and 1 GB
    ],
    ids=["stream-bomb", "grid", "grid-199-pages", "huge-page"],
)
def test_hostile_pdf_is_refused_quickly(make: Callable[[], bytes], words: str) -> None:
    message, seconds = refused(make(), ".pdf")
    assert words in message
    assert seconds < 5


def test_pdf_time_budget_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    # 199 pages of a grid just under the grid limit: each page is allowed, all of them take more than 20 s.
    grid = hostile.grid_pdf(pages=199, lines=50)
    monkeypatch.setattr(pdf, "TIME_BUDGET", 0.5)
    message, seconds = refused(grid, ".pdf")
    assert "超过 0.5 秒的时间上限（读到第" in message  # the reading process says where it stopped
    assert seconds < 3
    monkeypatch.setattr(pdf, "_GRACE", 0.0)  # no time to say it: the reading process is ended from outside
    message, seconds = refused(grid, ".pdf")
    assert "时间上限" in message
    assert seconds < 2


def test_pdf_memory_budget_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    # Drawing instructions just under the page limit: 70,000 objects that pdfium lays out in more than 16 MB.
    many = hostile.pdf_file([(b"0 0 m 1 1 l S\n" * 70_000, hostile.A4)])
    monkeypatch.setattr(pdf, "MEMORY_BUDGET", 16 * pdf.MB)
    # Through the fork server, as in the app: a fresh small process, where what pdfium asks for is all new memory
    # (a process forked from this large one may find room in what it inherits).
    monkeypatch.setattr(sandbox, "_single_threaded", lambda: False)
    message, _ = refused(many, ".pdf")
    assert "内存超过 16 MB 的上限" in message


def test_a_single_threaded_process_forks_its_reader_and_starts_no_server(data: Path) -> None:
    # In a fresh interpreter, as `python -m assistant import` is: the test process itself has threads left by
    # other tests (fake servers, pools), so it cannot stand for a single-threaded command.
    script = (
        "import sys\n"
        "from assistant.importers import sandbox\n"
        "from assistant.importers.files import read_bytes\n"
        "assert sandbox._single_threaded()\n"
        "report = read_bytes(open(sys.argv[1], 'rb').read(), '.pdf').report\n"
        "assert report.year == 2024 and sandbox._server is None\n"
        "print('ok')\n"
    )
    pdf_path = data / "corpus" / "hongze-qu-renmin-zhengfu_2024.pdf"
    done = subprocess.run([sys.executable, "-c", script, str(pdf_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_dead_reading_server_is_started_again(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "_single_threaded", lambda: False)  # as in the app, which has many threads
    pdf_bytes = (data / "corpus" / "hongze-qu-renmin-zhengfu_2024.pdf").read_bytes()
    read_bytes(pdf_bytes, ".pdf")
    assert sandbox._server is not None
    sandbox._server.process.kill()
    sandbox._server.process.wait()
    assert read_bytes(pdf_bytes, ".pdf").report.year == 2024


def test_a_real_pdf_still_reads_within_the_bounds(data: Path) -> None:
    imported = read_bytes((data / "corpus" / "huaian-shi-renmin-zhengfu_2024.pdf").read_bytes(), ".pdf")
    assert imported.report.agency == "淮安市人民政府" and imported.report.year == 2024


def test_bit_flipped_pdf_is_unreadable_with_a_reason(data: Path) -> None:
    original = (data / "corpus" / "huaian-shi-renmin-zhengfu_2024.pdf").read_bytes()
    message, _ = refused(hostile.flipped_pdf(original), ".pdf")  # a font's deflated data no longer inflates
    assert "PDF 文件已损坏" in message


@pytest.mark.parametrize(
    ("expanded", "words"),
    [(190 * 1024 * 1024, "超过 100 MB 的上限"), (20 * 1024 * 1024, "超过 16 MB 的上限")],
    ids=["190-MB-parts", "20-MB-xml"],
)
def test_docx_zip_bomb_is_refused_before_inflating(expanded: int, words: str) -> None:
    bomb = hostile.docx_bomb(render_docx(fill(load_example())), expanded)
    assert len(bomb) < 1024 * 1024
    message, seconds = refused(bomb, ".docx")
    assert words in message and "Word 文件" in message
    assert seconds < 1


def test_quadratic_title_reads_in_linear_time() -> None:
    data = hostile.quadratic_title_text(70_000)  # the old title pattern took 48 s on it
    start = time.process_time()
    imported = read_bytes(data, ".txt")
    assert time.process_time() - start < 0.5
    assert any("未能从标题识别" in n.message for n in imported.notes)


def test_long_line_and_huge_text_are_refused_before_parsing() -> None:
    message, seconds = refused(hostile.quadratic_title_text(200_000), ".txt")
    assert "第 1 行有 150,002 字" in message and "超过每行（每段）100,000 字的上限" in message
    assert seconds < 0.5
    message, seconds = refused(hostile.big_paragraph_text(), ".txt")  # was 46 s and 1.3 GB
    assert "超过一份报告 500,000 字的上限" in message
    assert seconds < 2


def test_fifo_is_refused_at_once(tmp_path: Path) -> None:
    pipe = hostile.fifo(tmp_path)
    with pytest.raises(ReadError, match="不是普通文件"):
        read_path(pipe)
    good = tmp_path / "good.json"
    good.write_text(report_to_json(load_example()), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "check", str(pipe), str(good)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{pipe}: 无法读取：这不是普通文件" in result.stdout
    assert f"{good}: 0 个错误" in result.stdout


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE], ids=["LE", "BE"])
def test_utf16_with_bom_is_read(seed_path: Path, bom: bytes) -> None:
    text = seed_path.read_text(encoding="utf-8")
    encoding = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    imported = read_bytes(bom + text.encode(encoding), ".txt")
    assert imported.report == read_bytes(text.encode("utf-8"), ".txt").report


def test_utf16_bom_with_broken_content_is_refused() -> None:
    message, _ = refused(codecs.BOM_UTF16_LE + b"\x00\xd8", ".txt")  # a lone surrogate
    assert "UTF-16" in message


# --- check over a folder: every readable file reported, every unreadable one named with its reason ---


def _run_check(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["check", *args])
    return code, out.getvalue()


@pytest.fixture
def folder(tmp_path: Path, data: Path, seed_path: Path) -> Path:
    """A folder with a good report, a bit-flipped PDF, and one file whose reader fails in a way nobody foresaw."""
    (tmp_path / "a-good.txt").write_bytes(seed_path.read_bytes())
    original = (data / "corpus" / "huaian-shi-renmin-zhengfu_2024.pdf").read_bytes()
    (tmp_path / "b-flipped.pdf").write_bytes(hostile.flipped_pdf(original))
    (tmp_path / "c-boom.txt").write_bytes(b"boom")
    return tmp_path


@pytest.fixture
def exploding_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = READERS[".txt"]

    def reader(data: bytes) -> Imported:
        if data == b"boom":
            raise ZeroDivisionError("a bug in a reader")
        return plain(data)

    monkeypatch.setitem(READERS, ".txt", reader)


@pytest.mark.usefixtures("exploding_reader")
def test_check_folder_reports_every_file_and_exits_2(folder: Path) -> None:
    code, text = _run_check(str(folder))
    assert code == 2
    assert f"{folder / 'a-good.txt'}: 0 个错误" in text
    assert f"{folder / 'b-flipped.pdf'}: 无法读取：PDF 文件已损坏，无法读取（压缩数据有误）" in text
    assert f"{folder / 'c-boom.txt'}: 无法读取：文件内容无法解析，可能已损坏（ZeroDivisionError）" in text
    assert "共 3 份报告：2 份无法读取" in text

    code, out = _run_check(str(folder), "--format", "json")
    assert code == 2
    payload = json.loads(out)
    assert [Path(r["file"]).name for r in payload] == ["a-good.txt", "b-flipped.pdf", "c-boom.txt"]
    assert set(payload[0]) == {"file", "findings"}
    assert all(set(r) == {"file", "error", "findings"} and r["findings"] == [] for r in payload[1:])

    code, out = _run_check(str(folder), "--format", "csv")
    assert code == 2
    rows = [line.split(",") for line in out.splitlines()]
    assert rows[0] == ["文件", "规则", "严重程度", "单元格", "说明"]
    assert sum(row[1] == "READ" for row in rows) == 2


def test_check_failing_on_one_file_goes_on_with_the_others(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_imported = cli.check_imported

    def failing(imported: Imported, previous: object = None) -> object:
        if imported.report.agency != "某县":
            raise OverflowError("a value no rule foresaw")
        return check_imported(imported, previous)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "check_imported", failing)
    (folder / "b-flipped.pdf").unlink()
    (folder / "c-boom.txt").unlink()
    (folder / "d-other.json").write_text(report_to_json(load_example().model_copy(update={"agency": "某县"})))
    code, text = _run_check(str(folder))
    assert code == 2
    assert f"{folder / 'a-good.txt'}: 无法读取：无法核对（OverflowError），文件中可能有异常的数值" in text
    assert f"{folder / 'd-other.json'}: 0 个错误" in text


def test_previous_year_that_fails_unexpectedly_is_named(folder: Path, exploding_reader: None) -> None:
    code, _ = _run_check(str(folder / "a-good.txt"), "--previous", str(folder / "c-boom.txt"))
    assert code == 2


# --- regular expressions on user text: linear, ≤ 100 ms on 100 KB of adversarial input ---

_MODULES = (
    "assistant.importers.text",
    "assistant.importers.tables",
    "assistant.importers.cells",
    "assistant.importers.pdf",
    "assistant.checks.numbers",
    "assistant.checks.guard",
    "assistant.checks.narrative",
    "assistant.checks.similarity",
    "assistant.checks.facts",
)
# Runs of what the patterns look for, without what completes them: where backtracking blows up.
_PIECES = (
    "2024年 ", "2024", "1", "1.", "1 ", "一", "一、", "（一）", "第1", " ", "\t", "年", "处理费", "电话:",
    "本报告由", "电子版可在", "地址：", "- ", "#", "万元", "1,", "未收取", "收到", "申请", "〔2024〕",
)  # fmt: skip
_PATTERNS = [
    pytest.param(pattern, id=f"{module.rsplit('.', 1)[1]}.{name}")
    for module in _MODULES
    for name, pattern in vars(importlib.import_module(module)).items()
    if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str)
]


@pytest.mark.parametrize("pattern", _PATTERNS)
def test_regular_expression_is_linear_on_adversarial_input(pattern: re.Pattern[str]) -> None:
    for piece in _PIECES:
        for prefix in ("", "处理费"):
            text = prefix + piece * (100_000 // len(piece))
            start = time.process_time()
            pattern.search(text)
            pattern.findall(text)
            assert time.process_time() - start <= 0.1, (piece, prefix)


def _damaged(at: int) -> bytes:
    """A one-page PDF whose deflated drawing instructions have one byte flipped at `at` (from the end if < 0)."""
    data = bytearray(hostile.pdf_file([(b"BT /F1 12 Tf 72 800 Td (Report) Tj ET\n" * 200, hostile.A4)]))
    start = data.index(b"stream\n") + len(b"stream\n")
    end = data.index(b"\nendstream")
    data[start + at if at >= 0 else end + at] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("at", [-1, -3, 0, 40], ids=["checksum", "checksum-3", "header", "body"])
def test_a_damaged_stream_is_refused_not_read_in_part(at: int) -> None:
    # pdfium would lay out what inflates before the damage: figures could move to other rows without a word.
    message, _ = refused(_damaged(at), ".pdf")
    assert "PDF 文件已损坏" in message
