"""Engine of the course *Ketamine — pharmacology, therapeutic evidence and regulation*.

The lesson notebooks stay thin: they call this package, where the logic lives and is unit-tested.

Sub-modules, by job:

- :mod:`ketamine_course.paths` — where the course's folders are.
- :mod:`ketamine_course.references` — the one reference list, citation formatting.
- :mod:`ketamine_course.datasets` — sourced data sets, each validated row by row on load.
- :mod:`ketamine_course.charts` — the course's plotly theme, renderer set-up and chart builders.
- :mod:`ketamine_course.notebooks` — the pipeline that re-executes lessons so saved outputs are current.
- :mod:`ketamine_course.cli` — the ``ketamine-course`` command.

Importing the package sets plotly's renderer (see :func:`ketamine_course.charts.theme.use_course_renderer`), so
JupyterLab, nbclient and nbval agree on what a figure's output is.
"""

import sys

# Start-up time: plotly imports nbformat on the first figure shown, nbformat imports jsonschema, and jsonschema's
# optional IRI format checker imports rfc3987_syntax, which builds ~40 Earley parsers at import (measured: 2.5 s per
# kernel, half of a lesson's run time). Nothing in the course validates IRIs, so we tell Python that module is absent
# before anything imports jsonschema; jsonschema then skips that one checker (it imports it inside
# ``suppress(ImportError)``). tests/test_package.py measures the effect.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from ketamine_course.charts.theme import use_course_renderer

__version__ = "0.1.0"

use_course_renderer()

__all__ = ["__version__"]
