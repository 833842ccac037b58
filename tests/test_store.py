"""The SQLite store: saved at once, read back whole, concurrent writers never corrupt or lose a change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant.example import load_example
from assistant.format.models import Report
from assistant.newyear import start_next_year
from assistant.store import Store
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
