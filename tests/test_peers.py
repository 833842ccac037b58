"""PEER-SIMILAR: two bodies' reports of one year sharing more than half a part, found exactly and fast."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.checks.peers import find_peer_similar, flatten, runs_of, similar_pairs
from assistant.example import load_example
from assistant.format.models import Report, report_to_json

ROOT = Path(__file__).resolve().parent.parent


def prose(seed: int, length: int) -> str:
    """Chinese-looking text of random characters: no two seeds share an 8-character run by chance."""
    rng = random.Random(seed)
    # Characters of GB2312's level-1 block: what reports are written in (and what GB2312 fonts show).
    return "".join(
        bytes((rng.randrange(0xB0, 0xD8), rng.randrange(0xA1, 0xFF))).decode("gb2312", "replace")
        for _ in range(length)
    )


def body(agency: str, year: int = 2024, **texts: str) -> Report:
    report = Report(agency=agency, year=year)
    for key, text in texts.items():
        report.parts[key.replace("__", ".")].text = text
    return report


SHARED = prose(1, 300)
# (name, reports as (file, report), the (file, part) pairs flagged)
CASES: list[tuple[str, list[tuple[str, Report]], set[tuple[str, str]]]] = [
    (
        "一 copied whole",
        [("a.txt", body("甲县交通运输局", overview=SHARED)), ("b.txt", body("甲县水利局", overview=SHARED))],
        {("a.txt", "part.overview"), ("b.txt", "part.overview")},
    ),
    (
        "一 copied across sub-parts: the family counts, not the split",
        [
            ("a.txt", body("甲县交通运输局", overview__active=SHARED[:150], overview__request=SHARED[150:])),
            ("b.txt", body("甲县水利局", overview=SHARED)),
        ],
        {("a.txt", "part.overview"), ("b.txt", "part.overview")},
    ),
    (
        "60 % shared both ways",
        [
            ("a.txt", body("甲县交通运输局", problems=SHARED[:180] + prose(2, 120))),
            ("b.txt", body("甲县水利局", problems=SHARED[:180] + prose(3, 120))),
        ],
        {("a.txt", "part.problems"), ("b.txt", "part.problems")},
    ),
    (
        "40 % shared is not 雷同",
        [
            ("a.txt", body("甲县交通运输局", problems=SHARED[:120] + prose(2, 180))),
            ("b.txt", body("甲县水利局", problems=SHARED[:120] + prose(3, 180))),
        ],
        set(),
    ),
    (
        "a short part copied into a long one: only the short one is mostly copy",
        [
            ("a.txt", body("甲县交通运输局", other=SHARED[:100])),
            ("b.txt", body("甲县水利局", other=SHARED[:100] + prose(4, 400))),
        ],
        {("a.txt", "part.other")},
    ),
    (
        "one body twice is no copying (a duplicate)",
        [("a.txt", body("甲县水利局", overview=SHARED)), ("b.txt", body("某市甲县水利局", overview=SHARED))],
        set(),
    ),
    (
        "three bodies with the very same text: each is named",
        [
            ("a.txt", body("甲县交通运输局", overview=SHARED)),
            ("b.txt", body("甲县水利局", overview=SHARED)),
            ("c.txt", body("甲县水利局", overview=SHARED)),
        ],
        {("a.txt", "part.overview"), ("b.txt", "part.overview"), ("c.txt", "part.overview")},
    ),
    (
        "different years are SIMILAR's business, not PEER-SIMILAR's",
        [
            ("a.txt", body("甲县交通运输局", 2023, overview=SHARED)),
            ("b.txt", body("甲县水利局", overview=SHARED)),
        ],
        set(),
    ),
    (
        "a sentence of boilerplate is too short to count",
        [
            ("a.txt", body("甲县交通运输局", other=SHARED[:25])),
            ("b.txt", body("甲县水利局", other=SHARED[:25])),
        ],
        set(),
    ),
    (
        "figures and punctuation differ, the words are the same",
        [
            ("a.txt", body("甲县交通运输局", overview=SHARED[:100] + "，共12件。" + SHARED[100:])),
            ("b.txt", body("甲县水利局", overview=SHARED[:100] + "；共345件！" + SHARED[100:])),
        ],
        {("a.txt", "part.overview"), ("b.txt", "part.overview")},
    ),
]


@pytest.mark.parametrize(("name", "reports", "flagged"), CASES, ids=[c[0] for c in CASES])
def test_peer_similar(name: str, reports: list[tuple[str, Report]], flagged: set[tuple[str, str]]) -> None:
    found = find_peer_similar(reports)
    assert {(file, f.cells[0]) for file, fs in found.items() for f in fs} == flagged
    for file, findings in found.items():
        assert len(findings) == len({f.cells for f in findings})  # one finding per part
        assert all(f.rule == "PEER-SIMILAR" and f.severity == "warning" for f in findings)
        assert all(any(n in f.message for n, _ in reports if n != file) for f in findings)


def test_one_finding_per_part_names_the_closest_and_counts_the_rest() -> None:
    reports = [
        ("a.txt", body("甲县交通运输局", overview=SHARED)),
        ("b.txt", body("甲县水利局", overview=SHARED[:250] + prose(5, 50))),
        ("c.txt", body("甲县教育局", overview=SHARED)),
    ]
    findings = find_peer_similar(reports)["b.txt"]
    assert len(findings) == 1
    assert (
        "a.txt" in findings[0].message and "另有1份" in findings[0].message and "c.txt" in findings[0].message
    )


def test_counting_through_the_index_finds_what_comparing_every_pair_finds() -> None:
    # Texts made of shared and own passages in random mixtures; some passages are in most texts, so runs go
    # both ways: counted pair by pair, and through the matrix product.
    rng = random.Random(11)
    passages = [prose(1000 + n, rng.randrange(10, 120)) for n in range(6)]
    for trial in range(10):
        texts = [
            "".join(rng.sample(passages, rng.randrange(1, 5))) + prose(trial * 100 + k, rng.randrange(0, 80))
            for k in range(40)
        ]
        parts = [runs_of(flatten(t)) for t in texts]
        expected = {
            (i, j, len(parts[i] & parts[j]) / len(parts[i]), len(parts[i] & parts[j]) / len(parts[j]))
            for i, j in itertools.combinations(range(len(parts)), 2)
            if len(parts[i] & parts[j]) > 0.5 * min(len(parts[i]), len(parts[j]))
        }
        assert set(similar_pairs(parts)) == expected, trial


def test_five_hundred_reports_find_the_copy() -> None:
    """The matrix path over 500 reports finds the one copy (its speed is bench/run.py peer_similar's, not a test's)."""
    # Bodies of a county write from a shared pool of sentences: many share some text, a few copy whole parts.
    pool = [prose(100 + n, 60) for n in range(400)]
    rng = random.Random(7)
    reports = []
    for n in range(500):
        parts = {
            k: "".join(rng.sample(pool, size))
            for k, size in (("overview", 25), ("problems", 8), ("other", 4))
        }
        reports.append((f"r{n}.txt", body(f"甲县第{n}局", **parts)))
    reports.append(("copy.txt", body("甲县复制局", overview=reports[0][1].parts["overview"].text)))
    found = find_peer_similar(reports)
    assert "copy.txt" in found and "r0.txt" in found


def test_check_command_flags_both_files_and_keeps_its_json_shape(tmp_path: Path) -> None:
    for name, agency in (("a.json", "甲县交通运输局"), ("b.json", "甲县水利局")):
        report = load_example()
        report.agency = agency
        report.parts["problems"].text = SHARED
        (tmp_path / name).write_text(report_to_json(report), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "assistant", "check", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    payload = json.loads(run.stdout)
    assert [sorted(entry) for entry in payload] == [["file", "findings"]] * 2
    for entry, other in zip(payload, ("b.json", "a.json"), strict=True):
        peer = [f for f in entry["findings"] if f["rule"] == "PEER-SIMILAR"]
        # The example's 一 and 六 are the same in both files too: every part is named, each once.
        assert sorted(f["cells"][0]["key"] for f in peer) == ["part.other", "part.overview", "part.problems"]
        assert all(other in f["message"] for f in peer)
        assert all(sorted(f) == ["actual", "cells", "expected", "message", "rule", "severity"] for f in peer)
        problems = next(f for f in peer if f["cells"][0]["key"] == "part.problems")
        assert problems["cells"] == [{"key": "part.problems", "label": "五、存在的主要问题及改进情况"}]
