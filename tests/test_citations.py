"""The accuracy rule in code: every key resolves, every reference is cited, every data row is sourced."""

from __future__ import annotations

from ketamine_course import citations
from ketamine_course.citations import citation_index, citation_problems
from ketamine_course.references import course_references
from tests.helpers import tiny_references


def test_course_has_no_citation_problems() -> None:
    problems = citation_problems()
    assert not problems, "\n".join(map(str, problems))


def test_every_reference_is_cited_somewhere() -> None:
    index = citation_index()
    assert set(course_references().keys()) <= set(index)


def test_unknown_and_uncited_keys_are_reported(monkeypatch) -> None:
    def fake_source():
        yield "ghost2099", "lessons/99-test.ipynb", "markdown"
        yield "used2020", "quizzes/x.yaml", "question q1"

    monkeypatch.setattr(citations, "CITATION_SOURCES", [fake_source])
    problems = citation_problems(tiny_references("used2020", "lonely2021"))
    messages = [str(p) for p in problems]
    assert any("lessons/99-test.ipynb" in m and "unknown reference key 'ghost2099'" in m for m in messages)
    assert any("key lonely2021" in m and "not cited" in m for m in messages)
    assert not any("used2020" in m for m in messages)
