"""What needs a running kernel: widgets wired to the engine, each with a static twin for nbviewer.

:mod:`.pk_explorer` is lesson 3's live PK simulator (ipywidgets controls → :mod:`ketamine_course.pk` →
:func:`ketamine_course.charts.pk_chart.pk_curve_figure`); the quiz widget lives with the quiz engine
(:mod:`ketamine_course.quiz.widget`). :mod:`.static_twin` is the convention both follow so that saved notebooks show
a working static form instead of dead controls. This ``__init__`` imports nothing, so the notebook pipeline can read
the marker without loading ipywidgets.
"""
