"""Live widgets with a static twin.

A widget that needs a kernel (a quiz, the PK explorer) also puts a static HTML form of itself in its output, marked
with :data:`STATIC_TWIN_MARKER`. The regenerate pipeline (:func:`ketamine_course.notebooks.strip_quiz_widget_state`)
drops the widget view and state of such outputs, so nbviewer and static pages show the twin instead of dead
controls. Kept in its own tiny module so that kernels importing it do not import the notebook pipeline.
"""

STATIC_TWIN_MARKER = "data-course-static-twin"
