"""Plotly chart builders (pure functions returning ``go.Figure``) and the course theme.

Builders never import ipywidgets; wiring a figure to widgets lives in :mod:`ketamine_course.live`.
"""
