"""Lesson 8 (capstone): its reference list names the sources of the trials its forest plot draws, and no others."""

from __future__ import annotations

from ketamine_course.datasets import DATASETS, DEPRESSION_INDICATIONS, load_dataset, load_rows
from ketamine_course.evidence.analyses import ANALYSES, analysis_rows

CAPSTONE = "08-capstone"


def test_capstone_lists_the_sources_of_the_trials_it_charts_and_no_others() -> None:
    trials = load_dataset("trials")
    charted = {trial_id for item in ANALYSES for trial_id in analysis_rows(item, trials)["trial_id"]}
    listed = DATASETS["trials"].rows_cited_by(load_rows("trials"), CAPSTONE)
    assert charted <= {row.trial_id for row in listed}, "a charted trial's source is missing from the references"
    assert all(row.indication in DEPRESSION_INDICATIONS for row in listed), "lesson 5's trials are not charted here"
