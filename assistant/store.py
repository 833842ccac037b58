"""The SQLite store: every report as schema-versioned JSON, each change saved at once in its own transaction."""

from __future__ import annotations

import builtins
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.drafting.audit import AuditRecord
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
# The model settings that stay across reloads and restarts (never the key), and the audit log of model requests.
_SETTINGS_SCHEMA = "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
_AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL, origin TEXT NOT NULL, host TEXT NOT NULL, model TEXT NOT NULL,
    report TEXT NOT NULL, part TEXT NOT NULL, sent INTEGER NOT NULL, received INTEGER NOT NULL,
    seconds REAL NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL
)
"""
# Names a setting may have: anything else is refused, so nothing like a key can be stored by mistake.
SETTING_NAMES = ("preset", "base_url", "model", "timeout", "secrecy_words", "cloud_seen")


def db_path() -> Path:
    """The database file: ASSISTANT_DB, or data/assistant.db."""
    return Path(os.environ.get("ASSISTANT_DB") or DEFAULT_DB)


class StoreError(Exception):
    """The database cannot be opened, read or written, or a report cannot be saved; the message is Chinese."""


# Chinese words for the report's fields, for the reason a saved report no longer reads.
_FIELD_WORDS = {
    "agency": "机关名称",
    "short_name": "简称",
    "year": "报告年度",
    "fee_amount_wan": "表二 行政事业性收费金额",
    "info_fee_yuan": "信息处理费",
    "cells": "表格单元格",
    "raw_cells": "表格中填写的文字",
    "parts": "正文",
    "schema_version": "版本号",
    "body_font": "正文字体",
    "format_edition": "格式版本",
}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
# pydantic's error types, in words, for what its English messages say.
_TYPE_WORDS = {
    "finite_number": "不是有限的数字",
    "json_invalid": "不是有效的 JSON",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文字",
    "dict_type": "格式不对（应为一组键值）",
    "list_type": "格式不对（应为列表）",
    "missing": "缺少这一项",
    "extra_forbidden": "是本程序不认识的项目",
    "literal_error": "取值不在允许的范围内",
    "decimal_parsing": "不是数字",
    "datetime_parsing": "日期时间格式不对",
    "datetime_from_date_parsing": "日期时间格式不对",
}


def why_invalid(exc: ValidationError) -> str:
    """Why a report JSON does not validate, in Chinese: the field and the reason, for the first three problems."""
    errors = exc.errors()
    reasons = []
    for error in errors[:3]:
        place = [str(p) for p in error["loc"]]
        where = "·".join([_FIELD_WORDS.get(place[0], place[0]), *place[1:]]) if place else "整个报告"
        kind = error.get("type", "")
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        if kind in _TYPE_WORDS:
            message = _TYPE_WORDS[kind]
        elif not _CHINESE.search(message):
            message = f"格式不对（{kind}）"
        value = error.get("input")
        text = (
            str(value)
            if isinstance(value, str) or (isinstance(value, int) and value.bit_length() < 300)
            else ""
        )
        text = text if len(text) <= 40 else text[:40] + "…"
        shown = f"“{text}”" if place and text and isinstance(value, str | int | float) else ""
        reasons.append(f"{where}{shown}：{message}")
    more = len(errors) - 3
    return "；".join(reasons) + (f"；另有 {more} 处" if more > 0 else "")


def _explain(exc: sqlite3.Error | OverflowError, where: Path) -> str:
    """A Chinese sentence for a database failure: what is wrong and what the clerk (or the admin) can do."""
    text = str(exc).lower()
    path = where.absolute()
    if isinstance(exc, OverflowError):
        return "有一个数字太大，数据库存不下（例如报告年度），这次修改没有保存；请改成正确的数字"
    if "readonly" in text or "read-only" in text or "permission" in text:
        return (
            f"数据库文件 {path} 不能写入（只读或没有权限），修改没有保存。请让管理员给运行本程序的账户"
            f"对该文件和所在文件夹的写入权限，或用环境变量 ASSISTANT_DB 指定一个可写的位置，然后刷新页面"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"数据库文件 {path} 已损坏，无法读取；程序没有改动它。请从备份恢复该文件，或把它移到别处保存"
            f"（以便日后修复）后刷新页面，程序会新建一个空的数据库"
        )
    if "unable to open" in text:
        return (
            f"无法打开数据库文件 {path}：文件夹不存在或没有权限。请检查路径和权限，"
            f"或用环境变量 ASSISTANT_DB 指定一个可写的位置，然后刷新页面"
        )
    if "locked" in text or "busy" in text:
        return f"数据库文件 {path} 正被其他程序长时间占用，请稍后再试"
    return f"数据库文件 {path} 读写出错（{exc}），请检查磁盘空间和文件权限"


@dataclass(frozen=True)
class Entry:
    """A report in the list: its id, the report, and bookkeeping."""

    id: int
    report: Report
    previous_id: int | None
    revision: int
    updated: str


@dataclass(frozen=True)
class Damaged:
    """A saved report that no longer reads (a value stored by an older version, a damaged row): why, and its JSON."""

    id: int
    agency: str
    year: str
    reason: str
    body: str
    updated: str
    only_year: bool = False  # the year is all that keeps it from reading: giving the right one repairs it


def _checked_body(report: Report) -> str:
    """The report's JSON, refused when it would not read back (a year out of range, an unknown part), so nothing
    unreadable is ever stored."""
    try:
        body = report_to_json(report)
        report_from_json(body)
    except ValidationError as exc:
        raise StoreError(f"这次修改没有保存：{why_invalid(exc)}") from None
    except (ValueError, OverflowError, TypeError) as exc:
        raise StoreError(f"这次修改没有保存：报告中有无法保存的值（{type(exc).__name__}）") from None
    return body


class Store:
    """Reports in one SQLite file. Safe across threads, tabs and processes: each write is one transaction.

    Every failure of the database surfaces as StoreError with a Chinese message; a file that is not a database is
    never re-created or written over.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or db_path()
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise StoreError(
                f"无法创建数据库所在的文件夹 {self.path.parent}（没有权限或路径有误）。请检查权限，"
                f"或用环境变量 ASSISTANT_DB 指定一个可写的位置，然后刷新页面"
            ) from None
        with self._connect() as conn:
            conn.execute(_SCHEMA)
            conn.execute(_SETTINGS_SCHEMA)
            conn.execute(_AUDIT_SCHEMA)

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            except sqlite3.Error as exc:
                raise StoreError(_explain(exc, self.path)) from None
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA foreign_keys=ON")
                conn.execute("PRAGMA busy_timeout=30000")
            except sqlite3.Error as exc:
                conn.close()
                raise StoreError(_explain(exc, self.path)) from None
            self._local.conn = conn
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute(
                "BEGIN IMMEDIATE"
            )  # take the write lock first: two tabs never interleave a read-modify-write
        except sqlite3.Error as exc:
            raise StoreError(_explain(exc, self.path)) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | OverflowError):
                raise StoreError(_explain(exc, self.path)) from None
            raise

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self._connection().execute(sql, args).fetchall()
        except (sqlite3.Error, OverflowError) as exc:
            raise StoreError(_explain(exc, self.path)) from None

    @staticmethod
    def _now() -> str:
        return datetime.now().isoformat(timespec="seconds")

    def add(self, report: Report, previous_id: int | None = None) -> int:
        """Save a new report; returns its id."""
        body = _checked_body(report)
        now = self._now()
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO reports (agency, year, body, previous_id, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                (report.agency, report.year, body, previous_id, now, now),
            )
            return int(cursor.lastrowid or 0)

    def get(self, report_id: int) -> Entry | None:
        """A report by id, or None when it was deleted or no longer reads (see damaged())."""
        rows = self._read(
            "SELECT id, body, previous_id, revision, updated FROM reports WHERE id = ?", (report_id,)
        )
        entry = self._entry(rows[0]) if rows else None
        return entry if isinstance(entry, Entry) else None

    @staticmethod
    def _entry(row: tuple[int, Any, int | None, int, Any]) -> Entry | Damaged:
        try:
            return Entry(row[0], report_from_json(row[1]), row[2], row[3], str(row[4]))
        except ValidationError as exc:
            reason = why_invalid(exc)
            only_year = all(e["loc"][:1] == ("year",) for e in exc.errors())
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            reason, only_year = f"内容无法读取（{type(exc).__name__}）", False
        agency, year = "", ""
        try:
            data = json.loads(row[1])
            if isinstance(data, dict):
                agency, year = str(data.get("agency", ""))[:200], str(data.get("year", ""))[:20]
        except (ValueError, TypeError, RecursionError):
            pass
        body = row[1] if isinstance(row[1], str) else str(row[1])
        return Damaged(row[0], agency, year, reason, body, str(row[4]), only_year)

    def scan(self) -> tuple[list[Entry], list[Damaged]]:
        """All reports, the most recently edited first: those that read, and those that no longer do."""
        rows = self._read(
            "SELECT id, body, previous_id, revision, updated FROM reports ORDER BY updated DESC, id DESC"
        )
        entries: list[Entry] = []
        damaged: list[Damaged] = []
        for row in rows:
            item = self._entry(row)
            (entries if isinstance(item, Entry) else damaged).append(item)  # type: ignore[arg-type]
        return entries, damaged

    def list(self) -> list[Entry]:
        """All reports that read, the most recently edited first (damaged ones: scan())."""
        return self.scan()[0]

    def update(self, report_id: int, change: Callable[[Report], object]) -> Report | None:
        """Apply a change to the latest saved report and save it, atomically; returns the saved report.

        The change runs on what is in the file now, not on a tab's stale copy, so two tabs never undo each other.
        A change that would make the report unreadable is refused (StoreError), and nothing is written.
        """
        with self._connect() as conn:
            row = conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                return None
            try:
                report = report_from_json(row[0])
            except ValidationError as exc:
                raise StoreError(f"这份报告已损坏，不能修改：{why_invalid(exc)}") from None
            change(report)
            body = _checked_body(report)
            if body == row[0]:
                return report  # nothing changed: no new revision, so no tab redraws for nothing
            conn.execute(
                "UPDATE reports SET agency = ?, year = ?, body = ?, revision = revision + 1, updated = ? WHERE id = ?",
                (report.agency, report.year, body, self._now(), report_id),
            )
            return report

    def repair_year(self, report_id: int, year: int) -> None:
        """Give a damaged report whose year no longer reads (stored before years were bounded) the right year; the
        rest is kept as it is. StoreError when it still does not read, saying why."""
        with self._connect() as conn:
            row = conn.execute("SELECT body FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                raise StoreError("这份报告已被删除")
            try:
                data = json.loads(row[0])
                if not isinstance(data, dict):
                    raise ValueError("not an object")
                report = report_from_json(json.dumps({**data, "year": year}, ensure_ascii=False))
            except ValidationError as exc:
                raise StoreError(f"改了年度仍无法读取：{why_invalid(exc)}") from None
            except (ValueError, TypeError, RecursionError):
                raise StoreError("内容不是有效的报告 JSON，无法修复；请下载原始 JSON 或删除它") from None
            conn.execute(
                "UPDATE reports SET agency = ?, year = ?, body = ?, revision = revision + 1, updated = ? WHERE id = ?",
                (report.agency, report.year, _checked_body(report), self._now(), report_id),
            )

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
        return int(self._read("SELECT COUNT(*) FROM reports")[0][0])

    def settings(self) -> dict[str, str]:
        """The saved settings (preset, base URL, model, timeout, extra 密级 words)."""
        return {str(name): str(value) for name, value in self._read("SELECT name, value FROM settings")}

    def save_settings(self, values: dict[str, str]) -> None:
        """Save some settings at once; a name outside SETTING_NAMES is refused (the key is never stored)."""
        unknown = [name for name in values if name not in SETTING_NAMES]
        if unknown:
            raise ValueError(f"not a setting: {unknown}")
        with self._connect() as conn:
            conn.executemany(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    def record_request(self, record: AuditRecord) -> None:
        """Keep one model request in the audit log (the drafter's Recorder)."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO audit (time, origin, host, model, report, part, sent, received, seconds, outcome,"
                " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.time,
                    record.origin,
                    record.host,
                    record.model,
                    record.report,
                    record.part,
                    record.sent,
                    record.received,
                    round(record.seconds, 3),
                    record.outcome,
                    record.detail[:1000],
                ),
            )

    def audit_log(self, limit: int | None = None) -> builtins.list[AuditRecord]:
        """The audit log, the latest request first."""
        rows = self._read(
            "SELECT time, origin, host, model, report, part, sent, received, seconds, outcome, detail FROM audit"
            " ORDER BY id DESC" + (" LIMIT ?" if limit else ""),
            (limit,) if limit else (),
        )
        return [
            AuditRecord(
                time=str(r[0]),
                origin=str(r[1]),
                host=str(r[2]),
                model=str(r[3]),
                report=str(r[4]),
                part=str(r[5]),
                sent=int(r[6]),
                received=int(r[7]),
                seconds=float(r[8]),
                outcome=r[9] if r[9] in ("ok", "error", "stopped", "refused") else "error",
                detail=str(r[10]),
            )
            for r in rows
        ]
