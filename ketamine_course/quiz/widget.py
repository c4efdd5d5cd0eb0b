"""The live quiz: ipywidgets 8 controls built from public question views.

The widget knows no answers. In practice mode each question's Check button calls a ``checker`` (which grades with
the bank and records the attempt) and shows the feedback HTML it returns; in assessment mode there is no Check, and a
Submit button hands all responses to a ``submitter``.

:class:`QuizWidget` also carries a static HTML quiz and a plain-text form in its MIME bundle: JupyterLab with a kernel
shows the widget; nbviewer and untrusted notebooks show the HTML (after the regenerate pipeline drops the quiz's
widget state, see :func:`ketamine_course.notebooks.strip_quiz_widget_state`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, LabelStyle, TextStyle

from ketamine_course.markdown import render_markdown
from ketamine_course.quiz.grading import ResponseError, parse_number
from ketamine_course.quiz.public import PublicQuestion

QUIZ_CLASS = "course-quiz-widget"
Checker = Callable[[str, Any], str]  # (question id, response) -> feedback HTML
Submitter = Callable[[dict[str, Any]], str]  # responses -> confirmation HTML
UNANSWERED_HTML = '<div role="status"><strong>Answer the question first.</strong></div>'


@lru_cache(maxsize=1)
def shared() -> dict[str, widgets.Widget]:
    """Layout and style models shared by every quiz control. ipywidgets gives each control its own Layout and
    Style model unless one is passed; sharing them halves the models a quiz creates (and its build time)."""
    return {
        "auto": widgets.Layout(width="auto"),
        "question": widgets.Layout(border_top="1px solid #ddd", padding="4px 0"),
        "number": widgets.Layout(width="16em"),
        "none": widgets.Layout(),
        "description": DescriptionStyle(),
        "matching": DescriptionStyle(description_width="initial"),
        "checkbox": CheckboxStyle(),
        "html": HTMLStyle(),
        "label_style": LabelStyle(),
        "text": TextStyle(),
        "button": widgets.ButtonStyle(),
    }


def _html(value: str = "") -> widgets.HTML:
    return widgets.HTML(value=value, layout=shared()["none"], style=shared()["html"])


def _label(text: str, layout: str = "none") -> widgets.Label:
    return widgets.Label(text, layout=shared()[layout], style=shared()["label_style"])


class QuestionWidget(widgets.VBox):
    """One question: prompt, input controls, optional Check button and a feedback area."""

    def __init__(self, view: PublicQuestion, checker: Checker | None = None) -> None:
        self.view = view
        self.checker = checker
        header = (f"<p><strong>Question {view.number}</strong> <small>({html.escape(view.difficulty)})</small></p>"
                  + render_markdown(view.prompt))
        self.prompt = _html(header)
        self.feedback = _html()
        self.check_button: widgets.Button | None = None
        self._controls: dict[str, widgets.Widget] = {}
        children: list[widgets.Widget] = [self.prompt, *self._build_inputs()]
        if checker is not None:
            self.check_button = widgets.Button(description="Check", icon="check", button_style="",
                                               tooltip=f"Check question {view.number}", layout=shared()["none"],
                                               style=shared()["button"])
            self.check_button.on_click(self._on_check)
            children.append(self.check_button)
        children.append(self.feedback)
        super().__init__(children=children, layout=shared()["question"])
        self.add_class("course-question")
        self.add_class(f"course-question-{view.id}")  # stable hooks for browser tests and custom CSS

    def _build_inputs(self) -> list[widgets.Widget]:
        v = self.view
        if v.type == "single":
            radio = widgets.RadioButtons(options=[(text, cid) for cid, text in v.choices], value=None,
                                         layout=shared()["auto"], style=shared()["description"], description="")
            self._controls["choice"] = radio
            return [radio]
        if v.type == "multiple":
            boxes = []
            for cid, text in v.choices:
                box = widgets.Checkbox(value=False, description=text, indent=False, layout=shared()["auto"],
                                       style=shared()["checkbox"])
                self._controls[cid] = box
                boxes.append(box)
            return [_html("<em>Select all that apply.</em>"), *boxes]
        if v.type == "numeric":
            text = widgets.Text(value="", placeholder="a number", description="Answer", layout=shared()["number"],
                                style=shared()["text"])
            self._controls["value"] = text
            return [widgets.HBox([text, _label(v.unit or "")], layout=shared()["none"])]
        if v.type == "matching":
            rows = []
            for item_id, item_text in v.items:
                # the item text is the dropdown's description: a real <label> for the <select> (screen readers)
                dropdown = widgets.Dropdown(options=[("— choose —", None)] + [(t, o) for o, t in v.options],
                                            value=None, description=item_text, layout=shared()["auto"],
                                            style=shared()["matching"])
                self._controls[item_id] = dropdown
                rows.append(dropdown)
            return rows
        raise ValueError(f"unknown question type {v.type!r}")

    def response(self) -> Any:
        """The current response, or None when unanswered (shape as :func:`~ketamine_course.quiz.grading.grade`)."""
        v = self.view
        if v.type == "single":
            return self._controls["choice"].value
        if v.type == "multiple":
            ticked = sorted(cid for cid, _ in v.choices if self._controls[cid].value)
            return ticked or None
        if v.type == "numeric":
            text = self._controls["value"].value.strip()
            return text or None
        chosen = {item_id: self._controls[item_id].value for item_id, _ in v.items}
        return chosen if any(value is not None for value in chosen.values()) else None

    def set_response(self, response: Any) -> None:
        """Fill the controls (restoring a draft, or tests)."""
        v = self.view
        if v.type == "single":
            self._controls["choice"].value = response
        elif v.type == "multiple":
            for cid, _ in v.choices:
                self._controls[cid].value = cid in (response or [])
        elif v.type == "numeric":
            self._controls["value"].value = "" if response is None else str(response)
        else:
            for item_id, _ in v.items:
                self._controls[item_id].value = (response or {}).get(item_id)

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        response = self.response()
        if response is None:
            self.feedback.value = UNANSWERED_HTML
            return
        if self.view.type == "numeric":
            try:
                response = parse_number(response)
            except ResponseError as exc:
                self.feedback.value = f'<div role="status"><strong>{html.escape(str(exc).capitalize())}.</strong> ' \
                                      f"Type a number such as 0.5 (unit: {html.escape(self.view.unit or '')}).</div>"
                return
        assert self.checker is not None
        self.feedback.value = self.checker(self.view.id, response)


class QuizWidget(widgets.VBox):
    """A quiz: title, questions, a score line (practice) or a Submit button (assessment)."""

    def __init__(
        self,
        title: str,
        views: list[PublicQuestion],
        static_html: str,
        plain_text: str,
        checker: Checker | None = None,
        submitter: Submitter | None = None,
        summary: Callable[[], str] | None = None,
    ) -> None:
        self.title = title
        self.static_html = static_html
        self.plain_text = plain_text
        self._summary = summary
        self.questions = [QuestionWidget(v, self._check_and_summarise if checker else None) for v in views]
        self._checker = checker
        self.summary = _html(summary() if summary else "")
        self.submit_button: widgets.Button | None = None
        self.student = widgets.Text(description="Your name or ID", style={"description_width": "initial"},
                                    layout=widgets.Layout(width="28em")) if submitter else None
        self.submission_status = _html() if submitter else None
        self._submitter = submitter
        children: list[widgets.Widget] = [_html(f"<h3>{html.escape(title)}</h3>"), *self.questions]
        if submitter is not None:
            self.submit_button = widgets.Button(description="Submit answers", button_style="primary", icon="upload")
            self.submit_button.on_click(self._on_submit)
            children += [self.student, self.submit_button, self.submission_status]
        else:
            children.append(self.summary)
        super().__init__(children=children)
        self.add_class(QUIZ_CLASS)

    def _check_and_summarise(self, question_id: str, response: Any) -> str:
        assert self._checker is not None
        feedback = self._checker(question_id, response)
        if self._summary:
            self.summary.value = self._summary()
        return feedback

    def responses(self) -> dict[str, Any]:
        return {q.view.id: q.response() for q in self.questions}

    def question(self, question_id: str) -> QuestionWidget:
        for q in self.questions:
            if q.view.id == question_id:
                return q
        raise KeyError(question_id)

    def _on_submit(self, _button: widgets.Button | None = None) -> None:
        assert self._submitter is not None and self.student is not None and self.submission_status is not None
        if not self.student.value.strip():
            self.submission_status.value = '<div role="status"><strong>Type your name or student ID first.' \
                                           "</strong></div>"
            return
        self.submission_status.value = self._submitter(self.responses())

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = self.static_html
        data["text/plain"] = self.plain_text
        return data
