"""A class on a real JupyterHub on this machine: print figures, assert nothing (the test in tests/hub/ asserts).

    .venv/bin/python scripts/benchmark_hub.py                 # 30 students
    .venv/bin/python scripts/benchmark_hub.py --students 60

Prints: time from the spawn requests until every server is ready; memory (PSS) of the hub, the proxy, each server and
each lesson kernel (the lesson's practice quiz and an assessment loaded); p50/p95 time from sending a Check until the
answer is recorded (execute_reply, SQLite write done) with every student answering back to back; and a sizing
estimate per 100 students. Needs npm/node once (the pinned configurable-http-proxy is cached).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ketamine_course.instructor.answer_key import load_answer_key  # noqa: E402
from ketamine_course.quiz.bank import bank_for_lesson  # noqa: E402
from tests.hub.classroom import percentile, run_class, start_hub, stop_hub  # noqa: E402
from tests.hub.plans import ASSIGNMENT, LESSON, class_plans  # noqa: E402


def main() -> int:
    from ketamine_course.cli import main as cli

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    try:
        handout, key_path = root / "handout", root / "key.json"
        assert cli(["assign", ASSIGNMENT, "--lesson", LESSON[:2], "--count", "6", "--seed", "30", "--out",
                    str(handout), "--key", str(key_path)]) == 0
        bank = bank_for_lesson(LESSON)
        assert bank is not None
        plans = class_plans(args.students, bank, load_answer_key(key_path))
        started = time.perf_counter()
        hub = start_hub(root / "state")
        hub_up = time.perf_counter() - started
        try:
            result = asyncio.run(run_class(hub, plans, LESSON, f"handout/{ASSIGNMENT}.json",
                                           lambda home: shutil.copytree(handout, home / "handout")))
        finally:
            leftover = stop_hub(hub)
        total = time.perf_counter() - started
    finally:
        shutil.rmtree(root, ignore_errors=True)

    ready = sorted(result.ready_s.values())
    mem = {k: (sum(v) / len(v) if v else 0.0) for k, v in result.memory_mb.items()}
    per_user = mem["server"] + mem["kernel"]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPU(s); {args.students} students")
    print(f"hub + proxy up: {hub_up:.1f} s; end to end (hub start → all stopped): {total:.1f} s")
    print(f"servers ready after the spawn requests: first {ready[0]:.1f} s, median {percentile(ready, 50):.1f} s, "
          f"all {ready[-1]:.1f} s")
    print(f"memory (PSS, MB, mean): hub {mem['hub']:.0f}, proxy {mem['proxy']:.0f}, server {mem['server']:.0f}, "
          f"lesson kernel {mem['kernel']:.0f} → {per_user:.0f} MB per active student")
    print(f"CPU used so far (user + system, mean): server {mem['server_cpu_s']:.1f} s, lesson kernel "
          f"{mem['kernel_cpu_s']:.1f} s, hub {mem['hub_cpu_s']:.1f} s, proxy {mem['proxy_cpu_s']:.1f} s")
    print(f"answer recorded (Check → execute_reply), {len(result.answer_s)} answers, all students at once: "
          f"p50 {1000 * percentile(result.answer_s, 50):.0f} ms, p95 {1000 * percentile(result.answer_s, 95):.0f} ms")
    print(f"lesson quiz set-up in a fresh kernel: p50 {1000 * percentile(result.setup_s, 50):.0f} ms, "
          f"p95 {1000 * percentile(result.setup_s, 95):.0f} ms")
    print(f"stopping every server: {result.stop_s:.1f} s; processes left over: {leftover or 'none'}")
    print(f"sizing per 100 active students: RAM ≈ {100 * per_user / 1024:.1f} GB (+ hub and proxy "
          f"{(mem['hub'] + mem['proxy']) / 1024:.2f} GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
