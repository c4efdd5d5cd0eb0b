"""Root pytest configuration: makes nbval deterministic and offline for the lesson notebooks.

- The sanitize file is pinned by absolute path (nbval opens it relative to the working directory).
- plotly's JSON mimetype is not compared (nbval compares it as a dict that regexes cannot reach, and its base64
  float arrays can differ in the last bit between CPUs); the figure's HTML twin is still compared after sanitizing.
- Kernels get the same environment as ``ketamine-course regenerate``: no hash randomisation, and an empty progress
  store in a temporary folder, so a developer's own quiz answers never change what a lesson prints.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
PLOTLY_JSON = "application/vnd.plotly.v1+json"


def pytest_configure(config) -> None:
    from ketamine_course.notebooks import deterministic_kernel_env

    if hasattr(config.option, "nbval_sanitize_with") and config.option.nbval_sanitize_with is None:
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)
    scratch = Path(tempfile.mkdtemp(prefix="ketamine-course-pytest-"))
    os.environ.update(deterministic_kernel_env(scratch / "progress.sqlite"))

    try:
        from nbval.plugin import IPyNbFile
    except ImportError:  # nbval not installed: plain unit-test run
        return
    if not getattr(IPyNbFile, "_course_patched", False):
        original_init = IPyNbFile.__init__

        def init_without_plotly_json(self, *args, **kwargs) -> None:
            original_init(self, *args, **kwargs)
            self.skip_compare = (*self.skip_compare, PLOTLY_JSON)

        IPyNbFile.__init__ = init_without_plotly_json
        IPyNbFile._course_patched = True
