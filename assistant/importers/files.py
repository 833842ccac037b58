"""Open any report file the product reads (JSON, text, Markdown, and the formats later importers add)."""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import ValidationError

from assistant.format.models import Report, report_from_json
from assistant.importers.result import Imported, ReadError
from assistant.importers.text import read_text

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

# Readers by suffix: bytes in, Imported out. Other modules (Word, PDF) register theirs here.
READERS: dict[str, Callable[[bytes], Imported]] = {}


def decode_text(data: bytes) -> str:
    """Text from bytes in UTF-8 (with or without BOM), UTF-16 with a BOM (Windows Notepad) or GB18030."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")  # the BOM says the byte order; the codec drops it
        except UnicodeDecodeError:
            raise ReadError("文件开头标明是 UTF-16 编码，但内容不是有效的 UTF-16") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别文件编码（应为 UTF-8 或 GBK）")


def _read_json(data: bytes) -> Imported:
    if data.lstrip()[:1] == b"{" and b'"kind": "rollup"' in data[:200]:
        return _read_rollup(data)
    try:
        return Imported(report_from_json(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(p) for p in first["loc"]) or "（整个文件）"
        if first["type"] == "json_invalid":  # pydantic's words are English; say it in Chinese
            raise ReadError(f"不是有效的 JSON 文件（{first['msg'].removeprefix('Invalid JSON: ')}）") from None
        raise ReadError(f"报告 JSON 不符合格式：{place}：{first['msg'].removeprefix('Value error, ')}") from None


def _read_rollup(data: bytes) -> Imported:
    """A roll-up (`rollup -o SUMMARY.json`) opens as its summary report: the start of the government's own."""
    try:
        summary = json.loads(data)
        imported = Imported(Report.model_validate(summary["report"]))
    except (ValueError, KeyError, TypeError, ValidationError):
        raise ReadError("汇总结果 JSON 不完整，无法打开其中的汇总报告") from None
    imported.note(
        f"这是{len(summary.get('reports', []))}个机关报告的汇总：表格为合计（有机关空白的单元格保持空白），正文请另行撰写"
    )
    return imported


def _read_plain(data: bytes) -> Imported:
    return read_text(decode_text(data))


def _read_docx(data: bytes) -> Imported:
    from assistant.importers.word import read_docx  # python-docx loads only when a .docx is read

    return read_docx(data)


def _read_pdf(data: bytes) -> Imported:
    from assistant.importers.pdf import read_pdf  # pdfium loads only when a PDF is read

    return read_pdf(data)


def _read_html(data: bytes) -> Imported:
    from assistant.importers.html import read_html  # lxml.html loads only when a web page is read

    return read_html(data)


def _read_mhtml(data: bytes) -> Imported:
    from assistant.importers.html import read_mhtml

    return read_mhtml(data)


READERS[".json"] = _read_json
READERS[".html"] = READERS[".htm"] = _read_html
READERS[".mhtml"] = READERS[".mht"] = _read_mhtml
READERS[".pdf"] = _read_pdf
READERS[".docx"] = _read_docx
for _suffix in TEXT_SUFFIXES:
    READERS[_suffix] = _read_plain


def read_bytes(data: bytes, suffix: str) -> Imported:
    """Read a report from bytes, choosing the reader by file suffix."""
    reader = READERS.get(suffix.lower())
    if reader is None:
        known = "、".join(sorted(READERS))
        raise ReadError(f"不支持的文件类型“{suffix or '无后缀'}”（支持 {known}）")
    if len(data) > MAX_BYTES:
        raise ReadError(
            f"文件太大（{len(data) // 1024 // 1024} MB），超过 {MAX_BYTES // 1024 // 1024} MB 的上限"
        )
    if not data.strip():
        raise ReadError("文件是空的")
    try:
        return reader(data)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("读取这个文件需要的内存太多，未读取") from None
    except RecursionError:
        raise ReadError("文件结构嵌套过深（可能已损坏），未读取") from None
    except Exception as exc:  # a reader's unforeseen failure on a damaged file is that file's problem only
        raise ReadError(f"文件内容无法解析，可能已损坏（{type(exc).__name__}）") from None


def read_path(path: Path) -> Imported:
    """Read a report file; every failure is a ReadError with a Chinese message."""
    try:
        # Without O_NONBLOCK, opening a named pipe waits for a writer: the file type is checked once open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ReadError("找不到这个文件") from None
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        if stat.S_ISDIR(status.st_mode):
            raise ReadError("这是一个文件夹，不是报告文件")
        if not stat.S_ISREG(status.st_mode):
            raise ReadError("这不是普通文件（可能是管道或设备），未读取")
        if status.st_size > MAX_BYTES:
            raise ReadError(
                f"文件太大（{status.st_size // 1024 // 1024} MB），超过 {MAX_BYTES // 1024 // 1024} MB 的上限"
            )
        try:
            data = file.read(status.st_size + 1)  # the size known: one buffer of the right length
        except OSError as exc:
            raise ReadError(f"无法读取文件：{exc.strerror}") from None
        if len(data) > status.st_size:
            raise ReadError("文件在读取时还在变大（可能正在写入），请稍后再试")
    return read_bytes(data, path.suffix)


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    """Files named, and the report files inside folders named (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
        else:
            yield path
