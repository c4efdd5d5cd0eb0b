"""The instructor guide's generated part is current, and covers every lesson, objective and question."""

from __future__ import annotations

from ketamine_course.cli import main
from ketamine_course.course_map import COURSE_MAP
from ketamine_course.instructor.guide import BEGIN, END, generated_markdown, guide_path, updated_guide
from ketamine_course.quiz.bank import course_banks


def test_guide_is_current() -> None:
    assert main(["guide", "--check"]) == 0, "docs/instructor-guide.md is stale: run `ketamine-course guide`"


def test_generated_part_lists_every_lesson_objective_and_question() -> None:
    text = generated_markdown()
    for entry in COURSE_MAP:
        assert f"| {entry.number} | {entry.title} | {entry.minutes} min |" in text
    for bank in course_banks():
        for objective in bank.objectives:
            assert f"**{objective.id}**" in text
        for question in bank.questions:
            assert f"`{question.id}`" in text


def test_update_replaces_only_the_block() -> None:
    text = f"intro\n{BEGIN}\nSTALE-GENERATED-TEXT\n{END}\noutro\n"
    new = updated_guide(text)
    assert new.startswith("intro\n") and new.endswith(f"{END}\noutro\n") and "STALE-GENERATED-TEXT" not in new
    assert guide_path().name == "instructor-guide.md"
