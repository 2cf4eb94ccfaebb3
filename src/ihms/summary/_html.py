"""Text into HTML for the tables and reports: escaped, with Chinese marked as such and
the few marks a sentence may carry rendered, never shown as written.

- Chinese runs (Han characters and CJK punctuation) are wrapped in ``<span lang="zh">``,
  so a browser picks a Chinese font and a screen reader a Chinese voice on a page whose
  language is English (a Japanese glyph fallback otherwise).
- A backtick span (a command, ``ihms sim compare --seeds``) becomes ``<code>``.
- ``**strong**`` becomes ``<strong>`` where asked (a report's paragraphs).
- A label's leading spaces (a sub-row, "  of which ...") become an indent, which HTML
  would otherwise collapse.
"""

from __future__ import annotations

import html
import re

__all__ = ["indent_style", "inline_html", "zh_marked"]

# Han (CJK unified ideographs and extension A, compatibility ideographs), CJK symbols and
# punctuation (。、「」), full-width forms (（）：，); a run may hold spaces between them.
_ZH = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_ZH_RUN = re.compile(f"[{_ZH}](?:[{_ZH} ]*[{_ZH}])?")
_CODE = re.compile(r"`([^`\n]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")


def zh_marked(escaped: str) -> str:
    """``escaped`` (HTML already) with each run of Chinese in ``<span lang="zh">``.

    >>> zh_marked("hospitalization rate (居民年住院率)")
    'hospitalization rate (<span lang="zh">居民年住院率</span>)'
    """
    return _ZH_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', escaped)


def inline_html(text: str, *, strong: bool = False) -> str:
    """``text`` escaped for HTML, its backtick spans as ``<code>``, ``**strong**`` spans
    as ``<strong>`` when ``strong``, and its Chinese marked (:func:`zh_marked`).

    >>> inline_html("As in `ihms policy trend`, **fewer** texts <5 (政策)", strong=True)
    'As in <code>ihms policy trend</code>, <strong>fewer</strong> texts &lt;5 (<span lang="zh">政策</span>)'
    """
    out = html.escape(text)
    out = _CODE.sub(r"<code>\1</code>", out)
    if strong:
        out = _STRONG.sub(r"<strong>\1</strong>", out)
    return zh_marked(out)


def indent_style(label: str) -> tuple[str, str]:
    """A label cell's text without its leading spaces and the ``style`` attribute that
    indents it by them (half an em each, beyond the cell's own .6em padding); no
    attribute when it has none.

    >>> indent_style("  of which staff")
    ('of which staff', ' style="padding-left:1.6em"')
    """
    stripped = label.lstrip(" ")
    spaces = len(label) - len(stripped)
    if not spaces or not stripped:
        return label, ""
    return stripped, f' style="padding-left:{0.6 + 0.5 * spaces:g}em"'
