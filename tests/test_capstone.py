"""Lesson 8 (capstone): its reference list names the sources of the trials its forest plot draws, and no others."""

from __future__ import annotations

import re

from ketamine_course.datasets import load_dataset
from ketamine_course.evidence.analyses import ANALYSES, analysis_rows, charted_trials, forest_variants
from ketamine_course.lesson import lesson_reference_keys
from ketamine_course.paths import lessons_dir

CAPSTONE = "08-capstone"


def test_charted_trials_are_exactly_the_rows_the_forest_plot_draws() -> None:
    trials = load_dataset("trials")
    drawn = {(trial_id, item.outcome_type) for item in ANALYSES for trial_id in analysis_rows(item, trials)["trial_id"]}
    charted = charted_trials(forest_variants(trials), trials)
    assert set(zip(charted["trial_id"], charted["outcome_type"], strict=True)) == drawn
    assert len(charted) == len(drawn)  # a trial drawn in several analyses is listed once


def test_capstone_reference_list_holds_each_charted_trials_source() -> None:
    trials = load_dataset("trials")
    charted_keys = {key for joined in charted_trials(forest_variants(trials), trials)["source_key"]
                    for key in joined.split(";")}
    saved = (lessons_dir() / f"{CAPSTONE}.ipynb").read_text(encoding="utf-8")
    listed = set(re.findall(r'id=\\"ref-([a-z0-9_]+)', saved))
    assert charted_keys <= listed, f"missing from lesson 8's references: {charted_keys - listed}"
    assert set(lesson_reference_keys(CAPSTONE, ["adverse_effects", charted_trials(forest_variants(trials), trials)])) \
        == listed
