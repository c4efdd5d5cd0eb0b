"""Course benchmarks: print figures, assert nothing (timed assertions are flaky on shared machines).

    python3 course.py bench            # per-lesson execution, sizes, import time, quiz render/check
    python3 course.py bench --suite    # also time the whole test command (about a minute)

Targets from the issues: each lesson ≤ 5 s to execute (kernel start included), ≤ 1.5 MB; whole test command ≤ 60 s;
a 10-question quiz renders and checks an answer in < 50 ms kernel-side; grading 1,000 submissions of a
30-question assignment ≤ 5 s (details:
scripts/benchmark_grading.py); a 24-hour PK simulation at 1-minute resolution ≤ 1 ms; a PK-explorer control change →
updated figure ≤ 30 ms p95 kernel-side.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the same single-threaded BLAS as the lesson kernels (ketamine_course.notebooks.deterministic_kernel_env); must be set
# before numpy is first imported
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def machine() -> str:
    return f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPU(s)"


def import_time(repeats: int = 5) -> float:
    code = "import time; t=time.perf_counter(); import ketamine_course; print(time.perf_counter()-t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(repeats)]
    return statistics.median(runs)


def lesson_times() -> list[tuple[str, float, int]]:
    """Execute each lesson (a copy, in a fresh kernel) and measure wall time and saved size."""
    import nbformat

    from ketamine_course.notebooks import DEFAULT_STEPS, lesson_paths, regenerate

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for path in lesson_paths():
            copy = Path(scratch) / path.name
            shutil.copy(path, copy)
            companion = path.with_suffix(".json")  # the final exam reads its assignment file beside it
            if companion.exists():
                shutil.copy(companion, copy.with_suffix(".json"))
            os.environ["KETAMINE_COURSE_ROOT"] = str(ROOT)
            seconds = regenerate([copy], steps=DEFAULT_STEPS)[copy]
            nbformat.read(copy, as_version=4)
            rows.append((path.stem, seconds, path.stat().st_size))
    return rows


def quiz_timings(repeats: int = 30) -> tuple[float, float]:
    """Median ms to build a 10-question practice quiz (widget + static HTML), and to check one answer."""
    from ketamine_course.quiz.bank import course_banks
    from ketamine_course.quiz.grading import correct_response
    from ketamine_course.quiz.progress import ProgressStore
    from ketamine_course.quiz.session import practice_quiz

    bank = max(course_banks(), key=lambda b: len(b.questions))
    ids = [q.id for q in bank.questions][:10]
    with tempfile.TemporaryDirectory() as scratch:
        store = ProgressStore(Path(scratch) / "p.sqlite")
        builds, checks = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            quiz = practice_quiz(bank.lesson, question_ids=ids, store=store)
            quiz._repr_mimebundle_()
            builds.append(time.perf_counter() - started)
            question = quiz.questions[0]
            question.set_response(correct_response(bank.question(question.view.id)))
            started = time.perf_counter()
            question.check_button.click()
            checks.append(time.perf_counter() - started)
    return 1000 * statistics.median(builds), 1000 * statistics.median(checks)


def pk_timings(repeats: int = 200) -> dict[str, float]:
    """ms for a 24-h simulation at 1-min resolution (median; first call with an empty propagator cache, and
    repeated), and for a PK-explorer control change to a new figure (median and p95, kernel side)."""
    from ketamine_course.live.pk_explorer import PKExplorer
    from ketamine_course.pk import disposition, simulate, single_dose
    from ketamine_course.pk.simulate import _powers

    model = disposition("herd2007", 70.0)
    doses = single_dose(0.5, "mg/kg", 70.0, "iv_infusion", 40.0)
    cold, warm = [], []
    for _ in range(repeats):
        _powers.cache_clear()
        started = time.perf_counter()
        simulate(doses, model, t_end_min=24 * 60, dt_min=1.0)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        simulate(doses, model, t_end_min=24 * 60, dt_min=1.0)
        warm.append(time.perf_counter() - started)
    explorer = PKExplorer()
    changes = []
    for i in range(100):
        started = time.perf_counter()
        explorer.dose.value = round(0.1 + 0.05 * (i % 40), 2)
        changes.append(time.perf_counter() - started)
    changes.sort()
    return {"sim_cold": 1000 * statistics.median(cold), "sim_warm": 1000 * statistics.median(warm),
            "widget_p50": 1000 * statistics.median(changes), "widget_p95": 1000 * changes[94]}


def static_html_sizes() -> list[tuple[str, int]]:
    """Each lesson rendered as nbviewer does (nbconvert lab template), in bytes; CDN scripts are not included."""
    from nbconvert import HTMLExporter

    from ketamine_course.notebooks import lesson_paths

    exporter = HTMLExporter(template_name="lab")
    return [(p.stem, len(exporter.from_filename(str(p))[0].encode())) for p in lesson_paths()]


def setup_time() -> tuple[float, float]:
    """The README's first command from nothing: (seconds to create a venv and install requirements.txt, seconds
    until a JupyterLab started from it answers). Uses a temporary folder; needs the package registry."""
    import socket
    import urllib.request
    import venv

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        venv.EnvBuilder(with_pip=True).create(Path(scratch) / "venv")
        python = Path(scratch) / "venv" / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                        str(ROOT / "requirements.txt")], cwd=ROOT, check=True)
        installed = time.perf_counter() - started
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": scratch, "JUPYTER_CONFIG_DIR": scratch}
        server = subprocess.Popen([str(python), "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1",
                                   f"--port={port}", "--IdentityProvider.token=bench", "--allow-root"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token=bench", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            answering = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(20)
    return installed, answering


def suite_time() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-n", "2", "--dist", "loadfile", "-q"], cwd=ROOT,
                   check=False, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="store_true", help="also time the whole test command")
    parser.add_argument("--setup", action="store_true", help="also time a fresh set-up (new venv, install, JupyterLab)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"import ketamine_course: {import_time() * 1000:.0f} ms (median of 5 fresh interpreters)")
    build_ms, check_ms = quiz_timings()
    print(f"10-question practice quiz: build {build_ms:.1f} ms, check one answer {check_ms:.1f} ms (median of 30)")
    pk = pk_timings()
    print(f"PK 24 h at 1-min resolution: {pk['sim_cold']:.2f} ms (empty propagator cache), {pk['sim_warm']:.2f} ms "
          f"(cached) (medians of 200; target ≤ 1 ms)")
    print(f"PK explorer control change → new figure: p50 {pk['widget_p50']:.1f} ms, p95 {pk['widget_p95']:.1f} ms "
          f"(100 changes; target p95 ≤ 30 ms)")
    print(f"{'lesson':32} {'execute (s)':>12} {'size (KB)':>10}")
    for stem, seconds, size in lesson_times():
        print(f"{stem:32} {seconds:12.1f} {size / 1024:10.0f}")
    from scripts.benchmark_grading import run as grading_run

    grading = grading_run(1000, 30)
    print(f"grading 1,000 submissions × 30 questions: {grading['grade']:.2f} s to read, check and grade; "
          f"{grading['cli']:.2f} s for the whole grade command with all outputs (target ≤ 5 s)")
    print(f"{'lesson (static HTML, as nbviewer)':36} {'size (KB)':>10}")
    for stem, size in static_html_sizes():
        print(f"{stem:36} {size / 1024:10.0f}")
    if args.setup:
        installed, answering = setup_time()
        print(f"fresh set-up: venv + requirements.txt installed in {installed:.0f} s; JupyterLab answering after "
              f"{answering:.0f} s (target ≤ 90 s)")
    if args.suite:
        print(f"whole test command: {suite_time():.0f} s")


if __name__ == "__main__":
    main()
