"""Where the course's folders are, found from the package's own location (never from the working directory).

An environment variable can point a tool at another course tree (tests use this to work on broken copies):
``KETAMINE_COURSE_ROOT``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV_VAR = "KETAMINE_COURSE_ROOT"


def course_root() -> Path:
    """The repository root: the folder holding ``data/``, ``lessons/`` and ``quizzes/``."""
    override = os.environ.get(ROOT_ENV_VAR)
    if override:
        return Path(override).resolve()
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return course_root() / "data"


def lessons_dir() -> Path:
    return course_root() / "lessons"


def quizzes_dir() -> Path:
    return course_root() / "quizzes"
