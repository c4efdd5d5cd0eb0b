"""The course map: every lesson's number, notebook, title, one-line aim and time. One place; the start-here lesson
and the README show it (a test checks the README agrees)."""

from __future__ import annotations

from dataclasses import dataclass

from ketamine_course.paths import lessons_dir


@dataclass(frozen=True)
class LessonEntry:
    number: int
    stem: str
    title: str
    aim: str
    minutes: int

    @property
    def label(self) -> str:
        """How the course names the lesson to readers: "Lesson 4 · Evidence: depression"."""
        return f"Lesson {self.number} · {self.title}"

    @property
    def available(self) -> bool:
        return (lessons_dir() / f"{self.stem}.ipynb").exists()


COURSE_MAP: list[LessonEntry] = [
    LessonEntry(0, "00-start-here", "Start here",
                "How the course works; a first look at ketamine's history; your progress.", 20),
    LessonEntry(1, "01-what-is-ketamine", "What ketamine is",
                "Origin in the PCP family, history, chemistry and enantiomers, uses today.", 45),
    LessonEntry(2, "02-pharmacodynamics", "Pharmacodynamics",
                "NMDA receptor block, dose-dependent effects, other targets, antidepressant hypotheses.", 60),
    LessonEntry(3, "03-pharmacokinetics", "Pharmacokinetics",
                "Routes and bioavailability, distribution, metabolism; a PK simulator.", 60),
    LessonEntry(4, "04-evidence-depression", "Evidence: depression",
                "Landmark trials, repeated infusions, esketamine, a meta-analysis you can explore.", 75),
    LessonEntry(5, "05-evidence-beyond-depression", "Evidence beyond depression, and how to read it",
                "Suicidal ideation, anxiety, PTSD, addiction, epilepsy, pain; unblinding, NNT, bias.", 75),
    LessonEntry(6, "06-safety-misuse-harm", "Safety, misuse and harm",
                "Adverse effects with frequencies, bladder toxicity, misuse, monitoring, where to find help.", 50),
    LessonEntry(7, "07-regulation", "Regulation",
                "Controlled-substance schedules, FDA approvals and warnings, compounding, telemedicine, "
                "international control.", 60),
    LessonEntry(8, "08-capstone", "Capstone and final exam",
                "Case studies that use the whole course, then the final exam.", 90),
]


def lesson_entry(stem: str) -> LessonEntry | None:
    """The course-map entry of a lesson by its notebook stem (``None`` for a stem the map does not hold)."""
    return next((entry for entry in COURSE_MAP if entry.stem == stem), None)


def course_map_markdown(links: bool = True, prefix: str = "") -> str:
    """The map as a Markdown table (lessons not written yet are marked 'in preparation'); ``prefix`` goes before
    each link (``lessons/`` in the README)."""
    lines = ["| # | Lesson | What you will learn | Time |", "| --- | --- | --- | --- |"]
    for entry in COURSE_MAP:
        title = f"[{entry.title}]({prefix}{entry.stem}.ipynb)" if links and entry.available else entry.title
        if not entry.available:
            title += " *(in preparation)*"
        lines.append(f"| {entry.number} | {title} | {entry.aim} | {entry.minutes} min |")
    return "\n".join(lines)


def course_map_html() -> str:
    """The map as a left-aligned HTML table with links to the lessons that exist."""
    from html import escape

    cell = 'style="text-align:left;vertical-align:top"'
    rows = []
    for entry in COURSE_MAP:
        title = escape(entry.title)
        title = f'<a href="{entry.stem}.ipynb">{title}</a>' if entry.available else f"{title} <em>(in preparation)</em>"
        rows.append(f"<tr><td {cell}>{entry.number}</td><td {cell}>{title}</td><td {cell}>{escape(entry.aim)}</td>"
                    f"<td {cell}>{entry.minutes}&nbsp;min</td></tr>")
    head = "".join(f"<th scope=\"col\" {cell}>{h}</th>" for h in ("#", "Lesson", "What you will learn", "Time"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


README_START = "<!-- course-map:start"
README_END = "<!-- course-map:end -->"


def readme_with_course_map(readme: str) -> str:
    """The README text with its course-map table (between the course-map markers) replaced by the current map."""
    start = readme.index(README_START)
    body_start = readme.index("\n", start) + 1
    end = readme.index(README_END, body_start)
    return readme[:body_start] + course_map_markdown(prefix="lessons/") + "\n" + readme[end:]
