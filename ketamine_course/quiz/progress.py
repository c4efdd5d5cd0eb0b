"""The student's progress: every answer attempt, in an embedded SQLite file that survives kernel restarts.

Where: ``$KETAMINE_COURSE_PROGRESS_DB`` if set (tests, JupyterHub set-ups, regenerate), else the per-user data folder
from platformdirs (``~/.local/share/ketamine-course/progress.sqlite`` on Linux).

Safety: WAL journal (readers never block the writer; a killed writer loses only its uncommitted attempt), a busy
timeout so two notebooks answering at once both get written, one short transaction per attempt. A file that is not
a readable SQLite database is renamed aside (``…corrupt-YYYYmmddTHHMMSS``), never deleted, and a warning names both
paths; a fresh store then starts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_path

PROGRESS_STORE_ENV = "KETAMINE_COURSE_PROGRESS_DB"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    lesson TEXT NOT NULL,
    bank TEXT NOT NULL,
    bank_version INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    objectives TEXT NOT NULL,
    response TEXT NOT NULL,
    score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
    correct INTEGER NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment'))
);
CREATE INDEX IF NOT EXISTS attempts_by_question ON attempts (bank, question_id);
"""


class ProgressStoreWarning(UserWarning):
    """The progress file was unreadable and was set aside."""


def default_store_path() -> Path:
    override = os.environ.get(PROGRESS_STORE_ENV)
    if override:
        return Path(override)
    return user_data_path("ketamine-course", appauthor=False) / "progress.sqlite"


@dataclass(frozen=True)
class Attempt:
    recorded_at: str
    lesson: str
    bank: str
    bank_version: int
    question_id: str
    objectives: tuple[str, ...]
    response: Any
    score: float
    correct: bool
    mode: str


class ProgressStore:
    """Append-only log of answer attempts with summaries for the dashboard."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._initialise()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            yield connection
        finally:
            connection.close()

    def _initialise(self) -> None:
        try:
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{datetime.now(UTC):%Y%m%dT%H%M%S}")
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(aside.with_name(aside.name + suffix))
            warnings.warn(
                f"progress store {self.path} was unreadable ({exc}); it was moved to {aside} (nothing deleted) "
                "and a new, empty store was started",
                ProgressStoreWarning,
                stacklevel=3,
            )
            self._create_schema()

    def _create_schema(self) -> None:
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def record(self, attempt: Attempt) -> None:
        """Append one attempt (its own transaction: committed or not there at all)."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO attempts (recorded_at, lesson, bank, bank_version, question_id, objectives, response, "
                "score, correct, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attempt.recorded_at, attempt.lesson, attempt.bank, attempt.bank_version, attempt.question_id,
                 json.dumps(list(attempt.objectives)), json.dumps(attempt.response, sort_keys=True),
                 float(attempt.score), int(attempt.correct), attempt.mode),
            )
            db.execute("COMMIT")

    def attempts(self, bank: str | None = None) -> list[Attempt]:
        query = "SELECT recorded_at, lesson, bank, bank_version, question_id, objectives, response, score, correct, " \
                "mode FROM attempts"
        params: tuple[str, ...] = ()
        if bank is not None:
            query += " WHERE bank = ?"
            params = (bank,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id", params).fetchall()
        return [
            Attempt(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), json.loads(r[6]), r[7], bool(r[8]), r[9])
            for r in rows
        ]

    def best_scores(self, bank: str | None = None) -> dict[tuple[str, str], float]:
        """(bank, question id) → best score over all attempts."""
        query = "SELECT bank, question_id, MAX(score) FROM attempts"
        params: tuple[str, ...] = ()
        if bank is not None:
            query += " WHERE bank = ?"
            params = (bank,)
        with self._connect() as db:
            rows = db.execute(query + " GROUP BY bank, question_id", params).fetchall()
        return {(r[0], r[1]): float(r[2]) for r in rows}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
