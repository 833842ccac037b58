"""The SQLite store: every report as schema-versioned JSON, each change saved at once in its own transaction."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assistant.format.models import Report, report_from_json, report_to_json

DEFAULT_DB = Path("data") / "assistant.db"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency TEXT NOT NULL,
    year INTEGER NOT NULL,
    body TEXT NOT NULL,
    previous_id INTEGER REFERENCES reports(id) ON DELETE SET NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
)
"""


def db_path() -> Path:
    """The database file: ASSISTANT_DB, or data/assistant.db."""
    return Path(os.environ.get("ASSISTANT_DB") or DEFAULT_DB)


@dataclass(frozen=True)
class Entry:
    """A report in the list: its id, the report, and bookkeeping."""

    id: int
    report: Report
    previous_id: int | None
    revision: int
    updated: str


class Store:
    """Reports in one SQLite file. Safe across threads, tabs and processes: each write is one transaction."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as conn:
            conn.execute(_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        conn.execute(
            "BEGIN IMMEDIATE"
        )  # take the write lock first: two tabs never interleave a read-modify-write
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def _now() -> str:
        return datetime.now().isoformat(timespec="seconds")

    def add(self, report: Report, previous_id: int | None = None) -> int:
        """Save a new report; returns its id."""
        now = self._now()
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO reports (agency, year, body, previous_id, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                (report.agency, report.year, report_to_json(report), previous_id, now, now),
            )
            return int(cursor.lastrowid or 0)

    def get(self, report_id: int) -> Entry | None:
        """A report by id, or None when it was deleted."""
        row = (
            self._connection()
            .execute(
                "SELECT id, body, previous_id, revision, updated FROM reports WHERE id = ?", (report_id,)
            )
            .fetchone()
        )
        return self._entry(row) if row else None

    @staticmethod
    def _entry(row: tuple[int, str, int | None, int, str]) -> Entry:
        return Entry(row[0], report_from_json(row[1]), row[2], row[3], row[4])

    def list(self) -> list[Entry]:
        """All reports, the most recently edited first."""
        rows = (
            self._connection()
            .execute(
                "SELECT id, body, previous_id, revision, updated FROM reports ORDER BY updated DESC, id DESC"
            )
            .fetchall()
        )
        return [self._entry(r) for r in rows]

    def update(self, report_id: int, change: Callable[[Report], object]) -> Report | None:
        """Apply a change to the latest saved report and save it, atomically; returns the saved report.

        The change runs on what is in the file now, not on a tab's stale copy, so two tabs never undo each other.
        """
        with self._connect() as conn:
            row = conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                return None
            report = report_from_json(row[0])
            change(report)
            body = report_to_json(report)
            if body == row[0]:
                return report  # nothing changed: no new revision, so no tab redraws for nothing
            conn.execute(
                "UPDATE reports SET agency = ?, year = ?, body = ?, revision = revision + 1, updated = ? WHERE id = ?",
                (report.agency, report.year, body, self._now(), report_id),
            )
            return report

    def set_previous(self, report_id: int, previous_id: int | None) -> None:
        """Link a report to last year's report (context for drafting, YOY rules)."""
        with self._connect() as conn:
            conn.execute("UPDATE reports SET previous_id = ? WHERE id = ?", (previous_id, report_id))

    def delete(self, report_id: int) -> None:
        """Delete a report."""
        with self._connect() as conn:
            conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))

    def count(self) -> int:
        """How many reports there are."""
        return int(self._connection().execute("SELECT COUNT(*) FROM reports").fetchone()[0])
