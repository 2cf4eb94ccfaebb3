"""A Chinese section that sends the reader to another ("见“模型校准”一节") names a
section the Chinese report has: the English prose names its sections by their English
titles, and the Chinese prose was written by section, so a reference could name a
title no section bears (the brief's “校准” and “评估” before the titles were read
together)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "src" / "ihms" / "demo"
_REFERENCE = re.compile(r"“([^”]{1,40})”(?:一节|部分)")


def _strings(path: Path) -> list[str]:
    """Every string literal of a module, f-strings' literal parts too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_every_section_a_chinese_sentence_points_to_is_a_section_title():
    strings = [s for path in sorted(DEMO.glob("*.py")) for s in _strings(path)]
    referenced = {m for s in strings for m in _REFERENCE.findall(s)}
    assert referenced, "no cross-reference found: the pattern no longer matches the prose"
    # a title is a whole string or opens one before its subtitle's full-width colon
    titles = {s.split("：")[0] for s in strings} | set(strings)
    unknown = sorted(r for r in referenced if r not in titles and not _regimes(r))
    assert unknown == []


def _regimes(name: str) -> bool:
    """The regimes section's title is built from the number of regimes compared
    (``_sim_regimes.regimes_title``)."""
    return re.fullmatch(r"同一个县的[两三四]种支付方式", name) is not None
