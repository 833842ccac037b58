"""PLACEHOLDER: what counts as text left to fill, and what is ordinary text (sentence → placeholders found)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checks.placeholders import find_placeholders, gap_marker, without_placeholders
from assistant.checks.rules import verify
from assistant.drafting.prompts import DRAFT_PARTS, render_offline
from assistant.example import load_example
from assistant.format import layout
from assistant.format.models import Report, report_to_json
from tests.conftest import Cli

CASES: list[tuple[str, list[str]]] = [
    ("下一步，将重点做好以下工作：（请在要点中写明改进措施。）", ["（请在要点中写明改进措施。）"]),
    ("本年度收取信息处理费情况：（请填写金额或“未收取”）。", ["（请填写金额或“未收取”）"]),
    ("存在的问题：【请填写：本年度存在的主要问题】", ["【请填写：本年度存在的主要问题】"]),
    ("见附件[请补充链接]。", ["[请补充链接]"]),
    ("2024年共主动公开条，其中政策解读16条。", ["共主动公开条"]),
    ("本年度收到申请件。", ["收到申请件"]),
    ("累计发布信息条；", ["累计发布信息条"]),
    ("本年度收取信息处理费元。", ["收取信息处理费元"]),
    ("全年办理XX件，召开会议X次。", ["XX件", "X次"]),
    ("××局在××平台发布。", ["××", "××"]),
    ("办结（未填写）件。", ["（未填写）"]),
    ("（文字描述）", ["（文字描述）"]),
    # Ordinary text: nothing to fill.
    ("依据《中华人民共和国政府信息公开条例》第二十条，依法公开文件。", []),
    ("2024年共收到政府信息公开申请15件，共主动公开政府信息5500余条。", []),
    ("二〇〇八年起施行，OXX公司，TEXT。", []),
    ("（请求事项不明确的，告知申请人补正。）", []),
    ("合计：见表三。共享平台运行正常。", []),
]


@pytest.mark.parametrize(("sentence", "found"), CASES, ids=[c[0][:16] for c in CASES])
def test_placeholders_in_sentences(sentence: str, found: list[str]) -> None:
    spots = find_placeholders(sentence)
    assert [s.text for s in spots] == found
    assert all(sentence[s.start : s.end] == s.text for s in spots)


def test_without_placeholders_keeps_the_rest() -> None:
    assert without_placeholders("问题：（请填写）。共主动公开条。") == "问题：。。"


def _blank_report() -> Report:
    """A report with nothing but the agency: every cell blank, no notes, no fee."""
    report = Report(agency="某县某镇人民政府", year=2024)
    report.cells = dict.fromkeys(layout.COUNT_CELLS, None)
    return report


def test_every_gap_of_the_offline_drafter_has_the_one_form() -> None:
    report = _blank_report()
    # Table 二 figures present but blank elsewhere, so the sentences that print them reach their gaps.
    report.cells["t2.normative.issued"] = 2
    report.cells["t2.licensing.decisions"] = 1
    texts = {key: render_offline(report, key) for key in DRAFT_PARTS}
    gaps = {key: [s.text for s in find_placeholders(text)] for key, text in texts.items()}
    assert all(g.startswith(gap_marker("")[:4]) for found in gaps.values() for g in found), gaps
    for key in ("problems.issues", "problems.measures", "other", "overview.active"):
        assert gaps[key], f"{key}: {texts[key]}"
    # Nothing else in the drafter's text looks like a gap: every 【…】（…） it writes is a found marker.
    for key, text in texts.items():
        assert "（未填写）" not in text and "（请" not in text, key
        assert text.count("【") == len(gaps[key]), key


def test_offline_draft_with_no_notes_is_not_a_finished_report() -> None:
    report = load_example()
    report.info_fee_yuan = None
    for key in ("problems.issues", "problems.measures", "other"):
        report.parts[key].notes = ""
        report.parts[key].text = render_offline(report, key)
    findings = verify(report)
    placeholder = {c for f in findings if f.rule == "PLACEHOLDER" for c in f.cells}
    assert placeholder == {"part.problems.issues", "part.problems.measures", "part.other"}
    assert all(f.severity == "error" for f in findings if f.rule == "PLACEHOLDER")
    assert "FEE" in {f.rule for f in findings}


def test_cli_says_what_the_offline_draft_left_to_fill_and_check_fails_on_it(cli: Cli, tmp_path: Path) -> None:
    report = load_example()
    report.parts["problems.measures"].notes = ""
    report.parts["problems.measures"].text = ""  # else the CLI takes the text as the notes
    source, out = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(report_to_json(report), encoding="utf-8")
    drafted = cli(
        "draft", str(source), "-o", str(out), "--offline", "--force", "--parts", "problems.measures"
    )
    assert drafted.returncode == 0, drafted.stderr
    assert "1 处待填写：【请填写：改进措施（写在要点中）】" in drafted.stdout
    checked = cli("check", str(out), "--format", "json")
    assert checked.returncode == 1
    assert '"rule": "PLACEHOLDER"' in checked.stdout
