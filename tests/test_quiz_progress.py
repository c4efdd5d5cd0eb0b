"""The progress store: restart, concurrent writers, a killed writer, a corrupt file."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ketamine_course.quiz.progress import Attempt, ProgressStore, ProgressStoreWarning, default_store_path


def attempt(question_id: str = "q1", score: float = 1.0, bank: str = "b") -> Attempt:
    return Attempt("2026-11-25T00:00:00+00:00", "lesson", bank, 1, question_id, ("o1",), {"x": [1, 2]}, score,
                   score == 1.0, "practice")


def test_attempts_survive_a_new_store_object(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    ProgressStore(path).record(attempt("q1", 0.0))
    ProgressStore(path).record(attempt("q1", 1.0))
    reopened = ProgressStore(path)  # a restarted kernel opens the same file
    assert [a.score for a in reopened.attempts()] == [0.0, 1.0]
    assert reopened.attempts()[0].response == {"x": [1, 2]}
    assert reopened.best_scores() == {("b", "q1"): 1.0}


def test_location_is_overridable(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("KETAMINE_COURSE_PROGRESS_DB", str(tmp_path / "elsewhere.sqlite"))
    assert default_store_path() == tmp_path / "elsewhere.sqlite"
    monkeypatch.delenv("KETAMINE_COURSE_PROGRESS_DB")
    assert default_store_path().name == "progress.sqlite"


def test_scores_outside_0_1_are_refused(tmp_path) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        ProgressStore(tmp_path / "p.sqlite").record(attempt(score=1.5))


def _writer(path: str, worker: int, count: int) -> None:
    store = ProgressStore(Path(path))
    for i in range(count):
        store.record(attempt(f"w{worker}-q{i}", 1.0))


def test_concurrent_writers_lose_nothing(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    ProgressStore(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), w, 50)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    assert len(ProgressStore(path).attempts()) == 200


WRITER_SCRIPT = """
import sys, time
from pathlib import Path
from ketamine_course.quiz.progress import Attempt, ProgressStore
store = ProgressStore(Path(sys.argv[1]))
i = 0
while True:
    store.record(Attempt("t", "l", "b", 1, f"q{i}", ("o",), "x" * 2000, 1.0, True, "practice"))
    i += 1
    print(i, flush=True)
"""


def test_a_killed_writer_loses_nothing_committed_and_corrupts_nothing(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    ProgressStore(path)
    process = subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, str(path)], stdout=subprocess.PIPE, text=True)
    committed = 0
    deadline = time.monotonic() + 30
    assert process.stdout is not None
    while committed < 200 and time.monotonic() < deadline:
        committed = int(process.stdout.readline())
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    store = ProgressStore(path)  # would warn and set the file aside if it were corrupt
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(store.attempts()) >= committed >= 200


def test_a_corrupt_store_is_set_aside_not_erased(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.warns(ProgressStoreWarning, match="moved to .*corrupt-.*nothing deleted"):
        store = ProgressStore(path)
    aside = list(tmp_path.glob("p.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    store.record(attempt())
    assert len(store.attempts()) == 1
