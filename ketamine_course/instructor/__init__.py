"""The instructor's tools behind ``ketamine-course validate | list | assign | grade | export | guide``.

Built on the quiz engine, never beside it: banks come from :mod:`ketamine_course.quiz.bank`, scores from the pure
:func:`ketamine_course.quiz.grading.grade`, student-facing question views from :mod:`ketamine_course.quiz.public`,
and assignment / submission files are the models of :mod:`ketamine_course.quiz.submission`.

- :mod:`.selection` — load banks, list their questions, choose questions for an assignment (seeded).
- :mod:`.answer_key` — the instructor's answer key: the full questions of an assignment, kept apart from students.
- :mod:`.assign` — build an assignment: JSON (public views), answer key, and the student notebook (a step pipeline).
- :mod:`.gradebook` — read a folder of submissions as data, reject broken ones with a reason, grade the rest.
- :mod:`.item_analysis` — per-question difficulty and discrimination.
- :mod:`.export` — Canvas QTI (text2qti's Python API), Moodle XML and GIFT.
- :mod:`.guide` — the generated parts of ``docs/instructor-guide.md``.
"""
