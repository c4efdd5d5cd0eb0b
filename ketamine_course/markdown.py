"""Markdown to safe HTML for everything the course renders from data (captions, quiz prompts, explanations).

markdown-it-py in its CommonMark preset with ``html`` disabled: raw HTML in the source (``<script>``,
``<img onerror=…>``) is escaped and shown as text, never passed through. Links may only use http(s), mailto or
in-page anchors (markdown-it's ``validateLink`` already refuses ``javascript:`` and ``data:`` URLs). Dollar maths
(``$…$``, ``$$…$$``) is kept as literal text inside a span so MathJax / KaTeX in JupyterLab and nbviewer typeset it.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin


def _render_inline_math(self, tokens, idx, options, env) -> str:
    from html import escape

    return f'<span class="math">${escape(tokens[idx].content)}$</span>'


def _render_block_math(self, tokens, idx, options, env) -> str:
    from html import escape

    return f'<div class="math">$${escape(tokens[idx].content)}$$</div>\n'


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(dollarmath_plugin, allow_space=False, double_inline=True)
    md.add_render_rule("math_inline", _render_inline_math)
    md.add_render_rule("math_inline_double", _render_block_math)
    md.add_render_rule("math_block", _render_block_math)
    md.add_render_rule("math_block_label", _render_block_math)
    return md


def render_markdown(source: str, inline: bool = False) -> str:
    """Render Markdown to HTML with raw HTML escaped. ``inline=True`` drops the wrapping ``<p>``."""
    md = _parser()
    return md.renderInline(source) if inline else md.render(source)
