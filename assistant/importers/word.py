"""Read a .docx report: paragraphs and table rows become the text layout that textreader understands."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn

from assistant.importers.result import Imported, ReadError
from assistant.importers.text import read_text

MB = 1024 * 1024
# All parts, images included: a zip bomb stops here, before python-docx inflates it.
MAX_UNCOMPRESSED = 100 * MB
MAX_XML = 16 * MB  # the XML parts python-docx parses; a report's document.xml is well under 1 MB


def _paragraph_text(p: object) -> str:
    parts: list[str] = []
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):  # type: ignore[attr-defined]
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: object) -> str:
    """A cell's text on one line: its paragraphs joined, tabs and line breaks dropped."""
    texts = [_paragraph_text(p) for p in tc.iter(qn("w:p"))]  # type: ignore[attr-defined]
    return "".join(texts).replace("\t", "").replace("\n", "").strip()


def docx_lines(data: bytes) -> list[str]:
    """The document as lines: a paragraph per line, a table row as tab-separated cells (merged cells once)."""
    _guard_zip(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise ReadError(f"无法打开这个 Word 文件（文件损坏或不是 .docx）：{type(exc).__name__}") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                lines.append("\t".join(_cell_text(tc) for tc in tr.iter(qn("w:tc"))))
    return lines


def _guard_zip(data: bytes) -> None:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ReadError("这是加密的或旧版 .doc 格式的 Word 文件，请在 Word 中另存为未加密的 .docx 后再导入")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # The sizes the zip declares bound what zipfile inflates: a part longer than declared fails its CRC.
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > MAX_UNCOMPRESSED:
                raise ReadError(
                    f"Word 文件解压后过大（{total / MB:.1f} MB，超过 {MAX_UNCOMPRESSED // MB} MB 的上限），"
                    "可能已损坏或是恶意构造的文件，未读取"
                )
            xml = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
            if xml > MAX_XML:
                raise ReadError(
                    f"Word 文件的正文和格式数据解压后过大（{xml / MB:.1f} MB，超过 {MAX_XML // MB} MB 的上限，"
                    "一份年度报告远小于此），未读取"
                )
            if "word/document.xml" not in archive.namelist():
                raise ReadError("这个文件不是 Word 文档（缺少 word/document.xml）")
    except zipfile.BadZipFile:
        raise ReadError("无法打开这个 Word 文件（文件损坏或不是 .docx）") from None


def read_docx(data: bytes) -> Imported:
    """Read a .docx report into a Report with import notes."""
    return read_text("\n".join(docx_lines(data)))
