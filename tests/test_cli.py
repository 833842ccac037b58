"""The command line in process (`main(argv)`; end to end in test_wheel.py): exit codes, JSON, text, bad inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.checks.blanks import TYPED_CELLS
from assistant.checks.fill import fill
from assistant.cli import main
from assistant.example import load_example
from assistant.format.models import report_from_json, report_to_json
from tests.conftest import Cli


@pytest.fixture
def good_json(tmp_path: Path) -> Path:
    path = tmp_path / "good.json"
    path.write_text(report_to_json(load_example()), encoding="utf-8")
    return path


@pytest.fixture
def bad_json(tmp_path: Path) -> Path:
    report = fill(load_example())
    report.cells["t3.new.natural"] = 8
    report.cells["t3.new.total"] = 8
    path = tmp_path / "bad.json"
    path.write_text(report_to_json(report), encoding="utf-8")
    return path


def test_clean_report_exits_0(cli: Cli, good_json: Path) -> None:
    result = cli("check", good_json)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 个错误" in result.stdout


def test_error_exits_1_and_json_names_rule_and_cells(cli: Cli, bad_json: Path) -> None:
    result = cli("check", bad_json, "--format", "json")
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload[0]["file"] == str(bad_json)
    balance = [f for f in payload[0]["findings"] if f["rule"] == "T3-BALANCE"]
    assert balance[0]["severity"] == "error"
    assert balance[0]["message"] == "表三自然人列：第一项加第二项之和（8）应等于第三项加第四项之和（0）"
    assert {"key": "t3.new.natural", "label": "表三 一、本年新收 自然人"} in balance[0]["cells"]


@pytest.mark.parametrize(
    ("content", "suffix", "words"),
    [
        (b"", ".txt", "空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", ".txt", "二进制"),
        (b'{"schema_version": 99}', ".json", "版本"),
        (b'{"year": 0}', ".json", "年度应为2008至"),
        (b'{"raw_cells": {"t3.r9.natural": "x"}}', ".json", "未知的表格单元格"),
        (b"[1, 2]", ".json", "对象"),
        (b"not json", ".json", "JSON"),
        (b"x", ".xlsx", "不支持"),
    ],
)
def test_unreadable_input_exits_2_and_others_are_still_checked(
    cli: Cli, tmp_path: Path, good_json: Path, content: bytes, suffix: str, words: str
) -> None:
    broken = tmp_path / f"broken{suffix}"
    broken.write_bytes(content)
    result = cli("check", broken, good_json)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{broken}: 无法读取" in result.stdout and words in result.stdout
    assert f"{good_json}: 0 个错误" in result.stdout


def test_many_files_and_previous_year(cli: Cli, corpus: Path) -> None:
    result = cli(
        "check",
        corpus / "08_pingtan-zonghe-shiyanqu_2022.txt",
        "--previous",
        corpus / "07_pingtan-zonghe-shiyanqu_2021.txt",
    )
    assert result.returncode == 0, result.stdout
    assert "YOY-CARRY" not in result.stdout


def test_folder_is_checked_recursively_with_a_summary(cli: Cli, good_json: Path, bad_json: Path) -> None:
    result = cli("check", good_json.parent)
    assert result.returncode == 1
    assert "共 2 份报告" in result.stdout and "T3-BALANCE" in result.stdout


def test_render_refuses_a_report_with_errors(
    tmp_path: Path, bad_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bad.docx"
    assert main(["render", str(bad_json), "-o", str(out)]) == 1
    assert not out.exists()
    said = capsys.readouterr()
    assert (
        "未生成" in said.err and "2 个错误" in said.err and "T3-BALANCE" in said.err and "--force" in said.err
    )


def test_render_with_force_writes_and_counts_the_errors(
    tmp_path: Path, bad_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bad.docx"
    assert main(["render", str(bad_json), "-o", str(out), "--force"]) == 0
    assert out.stat().st_size > 0
    assert "含 2 个错误" in capsys.readouterr().out


def test_render_a_clean_report(tmp_path: Path, good_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "good.docx"
    assert main(["render", str(good_json), "-o", str(out)]) == 0
    assert out.exists() and "没有错误" in capsys.readouterr().out


def test_new_from_last_year_starts_blank_and_check_lists_the_blanks(
    tmp_path: Path, good_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "2025.json"
    assert main(["new", "--from", str(good_json), "-o", str(out)]) == 0
    assert "空白" in capsys.readouterr().out
    report = report_from_json(out.read_bytes())
    assert report.origin == "form" and report.year == 2025 and report.cells["t3.carried_in.natural"] == 0
    assert report.cells["t3.new.natural"] is None and report.cells["t4.review.upheld"] is None
    main(["check", str(out), "--format", "json"])
    blank = [f for f in json.loads(capsys.readouterr().out)[0]["findings"] if f["rule"] == "BLANK"]
    assert [(f["severity"], f["message"].split("（")[0]) for f in blank] == [
        ("warning", "表二还有 8 个单元格未填写"),
        ("warning", "表三还有 132 个单元格未填写"),
        ("warning", "表四还有 12 个单元格未填写"),
    ]


def test_an_imported_reports_blanks_stay_import_notes(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = corpus / "05_shanghai-shi-zhengfu-bangongting_2019.txt"  # cells printed blank
    saved = tmp_path / "kewei.json"
    assert main(["import", str(source), "-o", str(saved)]) == 0
    capsys.readouterr()
    main(["check", str(source), str(saved), "--format", "json"])
    from_text, from_json = json.loads(capsys.readouterr().out)
    assert any(f["rule"] == "IMPORT" and f["cells"] for f in from_text["findings"])
    assert not [f for f in from_text["findings"] + from_json["findings"] if f["rule"] == "BLANK"]
    report = report_from_json(saved.read_bytes())  # saved as JSON, it is still a report read from a file
    assert report.origin == "file" and None in (report.cells[k] for k in TYPED_CELLS["三"])


def test_a_json_cell_that_is_no_count_is_a_cell_error_there(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "letters.json"
    path.write_text(
        '{"agency": "某县人民政府", "year": 2024, "cells": {"t3.new.natural": "abc"}}', encoding="utf-8"
    )
    result = cli("check", path, "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    cell = [f for f in json.loads(result.stdout)[0]["findings"] if f["rule"] == "CELL"]
    assert cell[0]["cells"] == [{"key": "t3.new.natural", "label": "表三 一、本年新收 自然人"}]
    assert cell[0]["actual"] == "abc"
