"""The notes of ``ihms system check`` (:func:`ihms.system.system_notes`) in Chinese, for
``--lang zh``: each kind of note the loader and :mod:`ihms.system._notes` write is read
back by its pattern and said again with its ids, names and figures as they were; a note
of another kind stays in English."""

from __future__ import annotations

import re

from ihms.system._words_zh import vocabulary

__all__ = ["system_note_zh"]

_SOURCES = r"(?P<source>Gao et al\. \d{4})"

#: (pattern, Chinese template or a function of the match)
_NOTES = (
    # the loader: a type or degree given in other words (System.read_as)
    (
        re.compile(
            r"(?P<file>.+?)(?: lines? (?P<lines>[\d, ]+))?: (?P<key>type|integration) "
            r"(?P<given>'.*') read as '(?P<value>[a-z_]+)'"
        ),
        lambda m: (
            f"{m['file']}"
            + (f" 第 {m['lines'].replace(', ', '、')} 行" if m["lines"] else "")
            + f"：{m['key']} {m['given']} 读作 '{m['value']}'（{vocabulary(m['value'])}）"
        ),
    ),
    (
        re.compile(
            r"consortium (?P<id>'.*') is an? (?P<type>[a-z ]+) marked fully integrated; "
            + _SOURCES
            + r" counts these as technical cooperation \(flexible\), and the "
            r"rules for full consortia now apply to it — check 'integration'"
        ),
        lambda m: (
            f"医联体 {m['id']} 是{vocabulary(m['type'].replace(' ', '_'))}，却标为紧密型；"
            f"{m['source']} 将其视为技术协作（松散型），紧密型医联体的规则现对其适用——请核对 "
            "'integration'"
        ),
    ),
    (
        re.compile(
            r"(?P<kind>consortium|institution) (?P<id>'.*') never operates within the "
            r"period (?P<span>\S+) — check its years"
        ),
        lambda m: (
            f"{'医联体' if m['kind'] == 'consortium' else '机构'} {m['id']} 在期间 "
            f"{m['span']} 内从未运行——请核对其年份"
        ),
    ),
    (
        re.compile(
            r"grid (?P<id>'.*') is served by (?P<n>\d+) consortia in (?P<when>.+?) "
            r"\((?P<which>.*)\): " + _SOURCES + r" \(section (?P<section>[\d.]+)\) has "
            r"one consortium per grid, and the consortium-level indicators count the "
            r"grid's residents in each of them"
        ),
        lambda m: (
            f"网格 {m['id']} 在 {m['when'].replace(', ', '、')} 年由 {m['n']} 个医联体服务"
            f"（{_degrees(m['which'])}）：{m['source']}（第 {m['section']} 节）每个网格只有一个医联体，"
            "医联体层级的指标将该网格的居民计入其中每一个"
        ),
    ),
    (
        re.compile(
            r"(?P<n>[\d,]+) primary centres? (?:has|have) no way up(?: in (?P<year>\d+))? "
            r"\((?P<ids>.*)\): no consortium, hospital or tertiary hospital to refer "
            r"to, so their up-referrals all count as off the pathway"
        ),
        lambda m: (
            f"{m['n']} 家乡镇卫生院（社区卫生服务中心）"
            + (f"在 {m['year']} 年" if m["year"] else "")
            + f"无处上转（{m['ids'].replace(', ', '、')}）：没有可转诊的医联体、医院或三级医院，"
            "其上转均计为未按转诊路径转诊"
        ),
    ),
    # ihms system off-pathway (ihms.indicators.off_pathway.referral_match)
    (
        re.compile(
            r"(?P<file>.+): (?P<n>[\d,]+) of the (?P<named>[\d,]+) institutions the referrals "
            r"name are not listed \((?P<ids>.*)\); their referrals count as off the pathway"
        ),
        lambda m: (
            f"{m['file']}：转诊记录涉及的 {m['named']} 家机构中有 {m['n']} 家未列出"
            f"（{_listed(m['ids'])}）：其转诊均计为未按转诊路径转诊"
        ),
    ),
)


def _listed(ids: str) -> str:
    """``CH, PH and 3 more`` (:func:`ihms._listing.first_of`) in Chinese: 、 between
    the ids, 等 N 家 for the rest."""
    found = re.fullmatch(r"(.*) and ([\d,]+) more", ids)
    head = (found[1] if found else ids).replace(", ", "、")
    return head + (f" 等，另有 {found[2]} 家" if found else "")


def _degrees(which: str) -> str:
    """``ich full, g2 half``: each consortium with its degree in Chinese."""
    parts = [p.rsplit(" ", 1) for p in which.split(", ")]
    return "、".join(f"{p[0]} {vocabulary(p[1])}" if len(p) == 2 else p[0] for p in parts)


def system_note_zh(text: str) -> str:
    """A note of :func:`ihms.system.system_notes` as a Chinese sentence, ending in 。;
    one of another kind as it is, ending in a full stop as ``check`` prints it."""
    for pattern, say in _NOTES:
        if (m := pattern.fullmatch(text)) is not None:
            return say(m) + "。"
    return f"{text}."
