"""The live quiz from Python: set answers, press Check / Submit, read the feedback; safety of rendered Markdown."""

from __future__ import annotations

import json

import pytest

from ketamine_course.quiz import session
from ketamine_course.quiz.progress import ProgressStore
from ketamine_course.quiz.public import public_views
from ketamine_course.quiz.session import assessment_quiz, practice_quiz
from ketamine_course.quiz.submission import Assignment, BankSource
from tests.quiz_fixtures import REFERENCES, bank_dict, sample_bank, write_bank


@pytest.fixture
def quiz_setup(tmp_path, monkeypatch):
    bank = sample_bank(tmp_path)
    monkeypatch.setattr(session, "bank_for_lesson", lambda lesson: bank if lesson == "99-sample" else None)
    monkeypatch.setattr("ketamine_course.quiz.feedback.course_references", lambda: REFERENCES)
    store = ProgressStore(tmp_path / "progress.sqlite")
    return bank, store


def test_check_right_and_wrong_answers_shows_words_icon_explanation_and_source(quiz_setup) -> None:
    _, store = quiz_setup
    quiz = practice_quiz("99-sample", store=store)
    single = quiz.question("q-single")
    single.set_response("a")
    single.check_button.click()
    assert "\u2718 Not correct" in single.feedback.value
    assert "A is a distractor." in single.feedback.value
    assert "B is right because" not in single.feedback.value  # explanation only once right
    single.set_response("b")
    single.check_button.click()
    assert "\u2714 Correct" in single.feedback.value
    assert "B is right because of the source." in single.feedback.value
    assert "Doe J. Work ref2020." in single.feedback.value
    assert [a.score for a in store.attempts()] == [0.0, 1.0]
    assert "1 of 4 questions checked; best score 1.0 of 4" in quiz.summary.value


def test_every_type_through_the_widget(quiz_setup) -> None:
    _, store = quiz_setup
    quiz = practice_quiz("99-sample", store=store)
    multi = quiz.question("q-multi")
    multi.set_response(["a", "e", "b"])
    multi.check_button.click()
    assert "Partly correct" in multi.feedback.value and "score 0.5 of 1" in multi.feedback.value
    number = quiz.question("q-num")
    number.set_response("thirty-five")
    number.check_button.click()
    assert "Expected a number" in number.feedback.value
    number.set_response("35,2")
    number.check_button.click()
    assert "Correct" in number.feedback.value
    match = quiz.question("q-match")
    match.set_response({"ket": "s3", "her": "s1"})
    match.check_button.click()
    assert "\u2714 Correct" in match.feedback.value
    empty = practice_quiz("99-sample", store=store).question("q-single")
    empty.check_button.click()
    assert "Answer the question first" in empty.feedback.value
    assert len(store.attempts()) == 3  # the unparsable and the empty answer were not recorded


def test_choices_are_shuffled_the_same_way_every_time(quiz_setup) -> None:
    bank, _ = quiz_setup
    first = [v.choices for v in public_views(bank)]
    assert first == [v.choices for v in public_views(bank)]
    assert [v.choices for v in public_views(bank, seed="student-7")] != first or len(first[0]) < 3


def test_mime_bundle_has_widget_html_and_text(quiz_setup) -> None:
    _, store = quiz_setup
    bundle = practice_quiz("99-sample", store=store)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'data-course-quiz="sample"' in bundle["text/html"]
    assert "Question 1 (easy): Pick **B**." in bundle["text/plain"]


XSS_PROMPTS = [
    "<script>alert('x')</script> Which one?",
    '<img src=x onerror="alert(1)"> Which one?',
    "[click](javascript:alert(1)) Which one?",
    '<a href="#" onclick="alert(1)">x</a>',
]


@pytest.mark.parametrize("prompt", XSS_PROMPTS)
def test_raw_html_in_a_prompt_is_shown_as_text(tmp_path, monkeypatch, prompt) -> None:
    data = bank_dict()
    data["questions"][0]["prompt"] = prompt
    data["questions"][0]["choices"][0]["text"] = "<b onmouseover=alert(1)>A</b>"
    from ketamine_course.quiz.bank import load_bank

    bank = load_bank(write_bank(tmp_path, data), references=REFERENCES)
    monkeypatch.setattr(session, "bank_for_lesson", lambda lesson: bank)
    quiz = practice_quiz("99-sample", store=ProgressStore(tmp_path / "p.sqlite"))
    for html in (quiz.question("q-single").prompt.value, quiz.static_html):
        assert "<script>alert" not in html
        assert "<img" not in html
        assert "onerror=" not in html.replace("onerror=&quot;", "")
        assert "onclick=" not in html.replace("onclick=&quot;", "")
        assert "onmouseover=" not in html.replace("onmouseover=alert", "")
        assert 'href="javascript:' not in html
        assert "<b onmouseover" not in html


def test_assessment_has_no_feedback_and_writes_a_submission(tmp_path) -> None:
    bank = sample_bank(tmp_path)
    assignment = Assignment(assignment_id="hw1", title="Homework 1", seed="s", sources=[BankSource(
        bank=bank.bank, version=bank.version, fingerprint=bank.fingerprint)],
        questions=[v.to_dict() for v in public_views(bank, seed="s")])
    path = tmp_path / "hw1.json"
    path.write_text(assignment.model_dump_json(), encoding="utf-8")
    quiz = assessment_quiz(path, submissions_dir=tmp_path / "out")
    assert all(q.check_button is None for q in quiz.questions)
    quiz.question("q-single").set_response("b")
    quiz.question("q-num").set_response("35")
    quiz.submit_button.click()
    assert "name or student ID" in quiz.submission_status.value
    quiz.student.value = "Zoë O'Brien, Jr."
    quiz.submit_button.click()
    assert "\u2714 Submitted" in quiz.submission_status.value
    [written] = list((tmp_path / "out").glob("*.json"))
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["student"] == "Zoë O'Brien, Jr." and data["assignment_id"] == "hw1"
    assert data["responses"]["q-single"] == "b" and data["responses"]["q-num"] == "35"
    assert data["responses"]["q-multi"] is None
    text = json.dumps(assignment.model_dump()) + quiz.static_html + quiz.plain_text
    for secret in ("B is right because", "correct", "data-answer", "tolerance", "A is a distractor"):
        assert secret not in text
