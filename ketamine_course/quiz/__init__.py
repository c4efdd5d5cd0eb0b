"""The quiz engine: question banks as validated data (:mod:`.bank`), pure grading (:mod:`.grading`), the progress
store (:mod:`.progress`), and the displays — a widget in a live kernel, HTML for nbviewer (:mod:`.display`).

Grading never imports ipywidgets; the widget layer calls grading.
"""
