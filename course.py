#!/usr/bin/env python3
"""Set up, open and test the course with nothing but Python 3.11+ (standard library only in this file).

    python3 course.py open         # make .venv, install the course, open JupyterLab on the start-here lesson
    python3 course.py test         # make .venv with the test tools, run the whole test suite
    python3 course.py regenerate   # re-execute every lesson so its saved outputs are current
    python3 course.py bench        # print the course benchmarks

On Windows type ``py course.py open``. The virtual environment lives in ``.venv`` next to this file; a requirements
file that changed since the last install is installed again, otherwise nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MINIMUM_PYTHON = (3, 11)
RUNTIME_REQUIREMENTS = ROOT / "requirements.txt"
TEST_REQUIREMENTS = ROOT / "requirements-test.txt"
FIRST_LESSON = "lessons/00-start-here.ipynb"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirement_files(top: Path) -> list[Path]:
    """The requirements file, the files it includes with -r, and pyproject.toml (the course package's metadata)."""
    files = [top]
    for line in top.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("-r "):
            files += requirement_files(top.parent / line.strip()[3:].strip())
    return list(dict.fromkeys([*files, ROOT / "pyproject.toml"]))


def ensure_environment(requirements: Path) -> Path:
    """Create .venv if needed and install ``requirements`` unless the same files were installed before."""
    if sys.version_info < MINIMUM_PYTHON:
        sys.exit(f"Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer is needed; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment {VENV} …", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except (subprocess.CalledProcessError, OSError) as exc:
            sys.exit(f"Could not create {VENV} ({exc}). On Debian/Ubuntu install the venv module first: "
                     "sudo apt install python3-venv")
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in requirement_files(requirements))).hexdigest()
    marker = VENV / f".installed-{requirements.stem}"
    if marker.exists() and marker.read_text().strip() == digest:
        return python
    print(f"Installing {requirements.name} into {VENV} (first time: about a minute) …", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r",
                    str(requirements)], cwd=ROOT, check=True)
    marker.write_text(digest)
    return python


def run(python: Path, *args: str) -> int:
    return subprocess.run([str(python), *args], cwd=ROOT).returncode


def command_open(extra: list[str]) -> int:
    python = ensure_environment(RUNTIME_REQUIREMENTS)
    return run(python, "-m", "jupyterlab", FIRST_LESSON, *extra)


def command_test(extra: list[str]) -> int:
    python = ensure_environment(TEST_REQUIREMENTS)
    return run(python, "-m", "pytest", "--nbval", "-n", "2", "--dist", "loadfile", *extra)


def command_regenerate(extra: list[str]) -> int:
    python = ensure_environment(RUNTIME_REQUIREMENTS)
    return run(python, "-m", "ketamine_course.cli", "regenerate", *extra)


def command_bench(extra: list[str]) -> int:
    python = ensure_environment(TEST_REQUIREMENTS)
    return run(python, "scripts/benchmark.py", *extra)


COMMANDS = {"open": command_open, "test": command_test, "regenerate": command_regenerate, "bench": command_bench}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
