"""A seeded fuzzer over the import formats: mutated real files are read or refused, never a traceback or a hang."""

from __future__ import annotations

import contextlib
import io
import json
import random
import re
import time
import zipfile
from pathlib import Path

from assistant import cli
from assistant.checks.fill import fill
from assistant.example import load_example
from assistant.export.word import render_docx
from assistant.format.models import report_to_json
from assistant.importers import pdf
from assistant.importers.files import read_bytes
from assistant.importers.result import ReadError

SEED = 20261129
CASES = {".txt": 100, ".json": 100, ".html": 40, ".docx": 60, ".pdf": 40}
# Tokens that have broken readers before: huge and non-finite numbers, BOMs, NULs, brackets, separators.
_TOKENS = (
    b"NaN", b"Infinity", b"-1", b"1e999999999", b"9" * 5000, b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\t",
    b"|", "（一）".encode(), "一、总体情况".encode(), "表三".encode(), b"2024", b"\n" * 3, b'"', b"{", b"]",
    "处理费".encode(), b"0.5", "万元".encode(), b"\\u0000", b"<w:p>", b"</w:t>", b"endstream", b"obj",
)  # fmt: skip


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits: bit flips, token insertions, deletions, duplications, truncation."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(max(len(out), 1))
        kind = rng.randrange(6)
        if kind == 0:
            for _ in range(rng.randint(1, 16)):
                i = rng.randrange(len(out))
                out[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            out[at:at] = rng.choice(_TOKENS)
        elif kind == 2:
            token = rng.choice(_TOKENS)
            out[at : at + len(token)] = token
        elif kind == 3:
            del out[at : at + rng.randint(1, 2000)]
        elif kind == 4:
            chunk = out[at : at + rng.randint(1, 4000)]
            where = rng.randrange(len(out))
            out[where:where] = chunk * rng.randint(1, 3)
        else:
            del out[at + rng.randint(0, 64) :]
    return bytes(out)


_HOSTILE_VALUES = (b"NaN", b"Infinity", b"1e999999999", b"-7", b"0.5", b"9" * 5000, b'"x"', b"null", b"[]")


def _mutate_values(rng: random.Random, text: bytes) -> bytes:
    """Replace some values of a report (JSON numbers, text table cells, the fee) with hostile ones."""
    if rng.random() < 0.3:
        key = rng.choice((b'"fee_amount_wan": ', b'"info_fee_yuan": '))
        text = re.sub(re.escape(key) + rb"[^,\n]*", key + rng.choice(_HOSTILE_VALUES), text)
    numbers = list(re.finditer(rb"(?<=[: \t|])\d+(?=[,\n\t|])", text))
    out = text
    for m in sorted(rng.sample(numbers, min(len(numbers), rng.randint(1, 3))), key=lambda m: -m.start()):
        out = out[: m.start()] + rng.choice(_HOSTILE_VALUES) + out[m.end() :]
    if rng.random() < 0.2:  # a raw cell naming a part of the report that does not exist
        out = out.replace(b'"raw_cells": {', b'"raw_cells": {"t9.nowhere.total": "x", ', 1)
    return out


def _flip(rng: random.Random, data: bytes) -> bytes:
    """Bit flips only: the damage a disk or a download does."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _mutate_docx(rng: random.Random, docx: bytes) -> bytes:
    """Half the time the zip itself, else document.xml inside a valid zip (so the XML reader is reached)."""
    if rng.random() < 0.5:
        return _mutate(rng, docx)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            dst.writestr(info.filename, _mutate(rng, part) if info.filename == "word/document.xml" else part)
    return out.getvalue()


def _originals(data: Path) -> dict[str, list[bytes]]:
    example = fill(load_example())
    corpus = sorted((data / "corpus" / "reports").glob("*.txt"))
    return {
        ".txt": [(data / "seed" / "xiashi-xiang_2024.txt").read_bytes()]
        + [p.read_bytes() for p in corpus[:4]],
        ".json": [report_to_json(example).encode("utf-8"), report_to_json(load_example()).encode("utf-8")],
        ".html": [p.read_bytes() for p in sorted((data / "corpus" / "html").glob("*.html"))],
        ".docx": [render_docx(example)],
        ".pdf": [p.read_bytes() for p in sorted((data / "corpus").glob("*.pdf"))],
    }


def test_fuzzed_files_are_read_or_refused_never_a_traceback_or_hang(data: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    originals = _originals(data)
    failures: list[str] = []
    slowest = 0.0
    started = time.monotonic()
    written: list[Path] = []
    for suffix, count in CASES.items():
        for n in range(count):
            original = rng.choice(originals[suffix])
            if suffix == ".docx":
                case = _mutate_docx(rng, original)
            elif suffix == ".pdf":
                case = _flip(rng, original) if n % 4 else _mutate(rng, original)
            else:
                case = _mutate_values(rng, original) if n % 2 else _mutate(rng, original)
            start = time.monotonic()
            try:
                read_bytes(case, suffix)
            except ReadError as exc:
                assert str(exc) and not str(exc).isascii(), (
                    f"{suffix} #{n}: the reason is not in Chinese: {exc}"
                )
            except Exception as exc:  # the finding this test exists for
                failures.append(f"{suffix} #{n}: {type(exc).__name__}: {exc}"[:300])
            seconds = time.monotonic() - start
            slowest = max(slowest, seconds)
            assert seconds < pdf.TIME_BUDGET + 5, f"{suffix} #{n} took {seconds:.1f} s"
            if suffix != ".pdf" or n < 10:  # a few PDFs go through check too: they are the slow ones
                written.append(tmp_path / f"{suffix[1:]}-{n:03}{suffix}")
                written[-1].write_bytes(case)
    assert not failures, "\n".join(failures)

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["check", str(tmp_path), "--format", "json"])
    payload = json.loads(out.getvalue())
    assert sorted(r["file"] for r in payload) == sorted(map(str, written))
    assert code in (0, 1, 2)
    assert time.monotonic() - started < 60, f"the fuzzer took {time.monotonic() - started:.0f} s"
