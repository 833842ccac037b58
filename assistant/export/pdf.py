"""The report as a PDF: our Word file converted by LibreOffice in headless mode, when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from assistant.export.word import OFFICIAL_FONTS, render_docx
from assistant.format.models import Report

TIMEOUT = 120  # seconds: a first start on a slow machine builds LibreOffice's profile and font cache
SOFFICE_NAMES = ("soffice", "libreoffice")

# Faces to try, in order, for an official font a machine does not have: the common Windows and macOS ones, then
# the free CJK faces Linux distributions ship, then the generic family of the right kind (never sans for the body).
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "serif": ("SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "serif"),
    "fangsong": ("FangSong", "STFangsong"),
    "kai": ("KaiTi", "STKaiti", "AR PL UKai CN"),
    "sans": (
        "SimHei",
        "STHeiti",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "WenQuanYi Zen Hei",
        "sans-serif",
    ),
}


class PdfError(Exception):
    """The PDF could not be made; the message says why in words a clerk understands."""


def soffice_path() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    for name in SOFFICE_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def pdf_available() -> bool:
    """Whether this machine can make a PDF (LibreOffice is installed)."""
    return soffice_path() is not None


def _fallbacks(font: str) -> tuple[str, ...]:
    alt = OFFICIAL_FONTS[font][0]
    if font == "黑体":
        return (alt, *_FALLBACKS["sans"])
    kind = "fangsong" if "仿宋" in font else "kai" if "楷体" in font else ""
    return (alt, *(_FALLBACKS[kind] if kind else ()), *_FALLBACKS["serif"])


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file for the conversion: the machine's own configuration, with each official font followed by
    faces of its kind. `accept` adds them after the font itself, so an installed official font still wins."""
    root = ElementTree.Element("fontconfig")
    for font in OFFICIAL_FONTS:
        alias = ElementTree.SubElement(root, "alias", binding="same")
        ElementTree.SubElement(alias, "family").text = font
        accept = ElementTree.SubElement(alias, "accept")
        for name in _fallbacks(font):
            ElementTree.SubElement(accept, "family").text = name
    # The aliases come first so that fontconfig's own rules do not first add its default (sans) family.
    include = ElementTree.SubElement(root, "include", ignore_missing="yes")
    include.text = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    path = folder / "fonts.conf"
    ElementTree.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT) -> bytes:
    """Convert a .docx to PDF with LibreOffice in a private profile, so parallel conversions never clash."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfError(
            "没有找到 LibreOffice，无法生成 PDF。请安装 LibreOffice（如 apt-get install libreoffice-writer），或下载 Word 文件后另存为 PDF。"
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        cached = _profile_cache()
        if cached is not None and cached.is_dir():
            # A copied profile starts in half the time of a new one; each conversion still has its own.
            shutil.copytree(cached, profile, dirs_exist_ok=True)
        env = {**os.environ, "HOME": str(folder), "FONTCONFIG_FILE": str(fontconfig_file(folder))}
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, env=env, cwd=folder)
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice 在 {timeout:.0f} 秒内没有完成转换，PDF 未生成。请稍后重试。"
            ) from None
        except OSError as exc:
            raise PdfError(f"无法启动 LibreOffice（{exc.strerror}），PDF 未生成。") from None
        target = folder / "report.pdf"
        if not target.exists():
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise PdfError("LibreOffice 没有生成 PDF" + (f"：{detail[-1]}" if detail else "。"))
        if cached is not None and not cached.is_dir():
            _keep_profile(profile, cached)
        return target.read_bytes()


def _profile_cache() -> Path | None:
    """Where a LibreOffice profile is kept between conversions (None: nowhere to keep it)."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home directory to be found
        return None
    return base / "nianbao-assistant" / "libreoffice-profile"


def _keep_profile(profile: Path, cached: Path) -> None:
    """Keep a profile for later conversions: copied beside its place, then renamed, so two first runs at once
    never leave a half-copied one; failing to keep it only costs time."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="profile-", dir=cached.parent))
        shutil.copytree(profile, staging, dirs_exist_ok=True)
        try:
            staging.rename(cached)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another conversion kept one first
    except OSError:
        pass


def render_pdf(report: Report, timeout: float = TIMEOUT) -> bytes:
    """The report as a PDF with the pages of the Word file (the report should already be filled)."""
    return docx_to_pdf(render_docx(report), timeout)
