"""The SQLite store: saved at once, read back whole, concurrent writers never corrupt or lose a change."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.example import load_example
from assistant.format.models import Part, Report, report_from_json, report_to_json
from assistant.newyear import start_next_year
from assistant.store import Store, StoreError, why_invalid
from tests.conftest import ROOT


def test_add_get_update_delete(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    report_id = store.add(load_example())
    store.update(report_id, lambda r: setattr(r, "compiler", "某办公室"))
    reopened = Store(tmp_path / "a.db").get(report_id)  # a new process would see the same
    assert reopened is not None and reopened.report.compiler == "某办公室" and reopened.revision == 2
    store.delete(report_id)
    assert store.get(report_id) is None and store.count() == 0


def _add_notes(path: str, worker: int) -> None:
    store = Store(Path(path))
    for i in range(20):

        def change(report: Report, line: str = f"w{worker}-{i}") -> None:
            report.parts["other"].notes += line + "\n"

        store.update(1, change)


def test_two_writers_never_lose_or_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Store(path).add(load_example())
    Store(path).update(1, lambda r: setattr(r.parts["other"], "notes", ""))
    # Two separate processes, like two server processes writing one file at the same time.
    code = "import sys; from tests.test_store import _add_notes; _add_notes(sys.argv[1], int(sys.argv[2]))"
    workers = [subprocess.Popen([sys.executable, "-c", code, str(path), str(w)], cwd=ROOT) for w in range(2)]
    assert [w.wait(60) for w in workers] == [0, 0]
    entry = Store(path).get(1)
    assert entry is not None
    lines = entry.report.parts["other"].notes.split()
    assert sorted(lines) == sorted(f"w{w}-{i}" for w in range(2) for i in range(20))


def test_next_year_carries_over(tmp_path: Path) -> None:
    last = load_example()
    last.cells.update({"t3.new.natural": 5, "t3.r1.natural": 3, "t2.normative.valid": 12})
    new = start_next_year(last)
    assert new.year == last.year + 1 and new.agency == last.agency
    assert new.cells["t3.carried_in.natural"] == 2 and new.cells["t3.new.natural"] is None
    assert new.cells["t2.normative.valid"] == 12 and all(not p.text for p in new.parts.values())


def _store_damaged(path: Path, year: object = 1900) -> tuple[Store, int, int]:
    """A store with a good report and one whose stored JSON no longer validates: its year is out of the bounds the
    model now enforces, as a report saved by an older version can be."""
    store = Store(path)
    good = store.add(load_example())
    bad = store.add(load_example())
    with sqlite3.connect(path) as conn:
        body = conn.execute("SELECT body FROM reports WHERE id = ?", (bad,)).fetchone()[0]
        data = json.loads(body)
        data["year"] = year
        conn.execute("UPDATE reports SET body = ? WHERE id = ?", (json.dumps(data, ensure_ascii=False), bad))
    return store, good, bad


def test_a_damaged_report_is_listed_as_damaged_and_never_breaks_the_list(tmp_path: Path) -> None:
    store, good, bad = _store_damaged(tmp_path / "d.db")
    entries, damaged = store.scan()
    assert [e.id for e in entries] == [good] and [e.id for e in store.list()] == [good]
    assert [d.id for d in damaged] == [bad] and damaged[0].only_year
    assert damaged[0].reason.startswith("报告年度“1900”：年度应为2008至")
    assert damaged[0].agency == load_example().agency and '"year": 1900' in damaged[0].body
    assert store.get(bad) is None
    with pytest.raises(StoreError, match="已损坏"):
        store.update(bad, lambda r: setattr(r, "compiler", "x"))
    store.delete(bad)
    assert store.scan()[1] == []


def _unknown_part(report: Report) -> None:
    report.parts["bogus"] = Part()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda r: setattr(r, "year", 10**100), "报告年度"),
        (lambda r: setattr(r, "year", 1900), "报告年度“1900”"),
        (_unknown_part, "未知的正文部分：bogus"),
    ],
    ids=["year-googol", "year-1900", "unknown-part"],
)
def test_a_value_that_would_not_read_back_is_refused_and_nothing_is_written(
    tmp_path: Path, change: Callable[[Report], None], words: str
) -> None:
    store = Store(tmp_path / "v.db")
    report_id = store.add(load_example())
    with pytest.raises(StoreError, match=words):
        store.update(report_id, change)
    bad = load_example()
    change(bad)
    with pytest.raises(StoreError, match=words):
        store.add(bad)
    assert store.count() == 1 and [e.revision for e in store.list()] == [1]


def test_a_year_too_large_for_sqlite_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Should a report ever pass the model with such a year, SQLite's OverflowError still becomes a sentence.
    monkeypatch.setattr("assistant.store._checked_body", report_to_json)
    report = load_example()
    report.year = 10**100
    with pytest.raises(StoreError, match="太大"):
        Store(tmp_path / "o.db").add(report)


def test_a_corrupt_file_is_named_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    garbage = b"SQLite format 2\x00" + bytes(range(256)) * 40
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(path) in str(caught.value) and "损坏" in str(caught.value) and "备份" in str(caught.value)
    assert path.read_bytes() == garbage and not (tmp_path / "corrupt.db-wal").exists()


def test_a_read_only_database_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ro.db"
    Store(path).add(load_example())
    connect = sqlite3.connect
    # chmod does not stop root (CI runs as root), so the file is opened read-only the way SQLite does for a
    # file without write permission.
    monkeypatch.setattr(
        "assistant.store.sqlite3.connect",
        lambda p, **kw: connect(f"file:{p}?mode=ro", uri=True, **kw),
    )
    store = Store(path)
    assert store.count() == 1  # reading still works
    with pytest.raises(StoreError, match="权限") as caught:
        store.add(load_example())
    assert str(path) in str(caught.value)
    with pytest.raises(StoreError, match="权限"):
        store.update(1, lambda r: setattr(r, "compiler", "x"))


def test_a_report_whose_year_no_longer_reads_is_repaired_with_the_right_year(tmp_path: Path) -> None:
    store, _, bad = _store_damaged(tmp_path / "r.db", year=10**100)
    with pytest.raises(StoreError, match="改了年度仍无法读取"):
        store.repair_year(bad, 1800)
    store.repair_year(bad, 2024)
    entry = store.get(bad)
    assert entry is not None and entry.report.year == 2024 and store.scan()[1] == []
    assert entry.report.parts == load_example().parts and entry.report.cells == load_example().cells


def test_damage_of_another_kind_is_not_guessed_at(tmp_path: Path) -> None:
    store, _, bad = _store_damaged(tmp_path / "x.db")
    with sqlite3.connect(tmp_path / "x.db") as conn:
        conn.execute("UPDATE reports SET body = ? WHERE id = ?", ('{"agency": "某镇", "year": "明年"', bad))
    (damaged,) = store.scan()[1]
    assert damaged.agency == "" and not damaged.only_year and "不是有效的 JSON" in damaged.reason
    with pytest.raises(StoreError, match="无法修复"):
        store.repair_year(bad, 2024)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"year": 1900}', "报告年度“1900”：年度应为2008至"),
        ('{"agency": 5}', "机关名称“5”：应为文字"),
        ('{"bogus": 1}', "bogus“1”：是本程序不认识的项目"),
        ('{"parts": {"other": {"versions": [{"text": "x"}]}}}', "正文·other·versions·0·source：缺少这一项"),
        ("{broken", "整个报告：不是有效的 JSON"),
    ],
)
def test_why_a_report_no_longer_reads_is_said_in_chinese(body: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        report_from_json(body)
    assert why_invalid(caught.value).startswith(reason)
