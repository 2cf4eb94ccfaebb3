"""The agreement report in Chinese: ``ihms agreement --lang zh``
(:meth:`ihms.stats.agreement.AgreementReport.summary` with ``lang="zh"``) and the notes
the coders' table of ``ihms policy agreement --lang zh`` shares with it
(:mod:`ihms.policy._agreement_words`): the units a statistic could not use and the
kappa paradox, said again from the report's coverage and rows, not translated from
the English text. The table's words and fixed notes are :mod:`ihms._words`'; a note of
another kind (a caveat of the data read) stays in English.
"""

from __future__ import annotations

import re

import numpy as np

from ihms._words import TERMS
from ihms.stats._agreement_row import (
    UnitCoverage,
    _paradox,
    coverage_notes,
    on_kappa_units,
    paradox_notes,
    undefined_categories,
)

__all__ = [
    "AC1_PABAK_NOTE",
    "in_chinese",
    "zh_coverage_notes",
    "zh_mean_kappa",
    "zh_paradox_notes",
]

_ZH = TERMS["zh"]
_AGREE, _PARADOX = _ZH["percent agreement"], _ZH["kappa paradox"]
#: The note under both agreement tables on what AC1 and PABAK are.
AC1_PABAK_NOTE = (
    f"AC1：Gwet's AC1；PABAK：{_ZH['PABAK']}（编码员多于 2 名时为 Brennan–Prediger 系数）；"
    "某一答案占绝大多数时二者不随之下降。"
)


def zh_coverage_notes(
    label: str,
    cover: UnitCoverage,
    whole: str,
    *,
    unit: str = "片段",
    advice: str = "",
    kappa_units: str = "；见 κ 分析单元数",
    choose: str = "coders=",
) -> list[str]:
    """:func:`ihms.stats._agreement_row.coverage_notes` in Chinese; the defaults are the
    policy table's words (片段, its κ 分析单元数 column)."""
    if cover.n_units == 0:
        return [f"{label}：没有{unit}由两名编码员编码。"]
    notes = []
    if cover.single:
        notes.append(f"{label}：{cover.single:,} 个仅由一名编码员编码的{unit}未纳入{advice}。")
    if cover.fleiss_missing:
        notes.append(f"{label}：没有{unit}由每名编码员都编码，{whole}及各类目的 Fleiss' κ 缺失。")
    if cover.thin:
        gaps = "，".join(f"{c} 编码了 {n:,} 个" for c, n in cover.gaps())
        named = cover.full_option(choose)
        pick = f"请比较编码了全部{unit}的编码员（{named}）" if named else (
            f"请指定编码了相同{unit}的编码员（{choose.strip()}）"
        )  # fmt: skip
        notes.append(
            f"{label}：Fleiss' κ 只基于 {cover.complete:,} 个每名编码员都编码的{unit}"
            f"（共 {cover.n_units:,} 个；{gaps}；{whole}及各类目{kappa_units}），该 κ 及其平均值"
            f"说明力有限。{pick}，或参阅 Krippendorff's α"
            f"——它使用至少两名编码员编码的每个{unit}（允许缺失编码）。"
        )
    elif cover.fleiss_left_out:
        notes.append(
            f"{label}：Fleiss' κ 未纳入 {cover.fleiss_left_out:,} 个并非每名编码员都编码的{unit}"
            f"（{whole}及各类目{kappa_units}）。"
        )
    return notes


def _figures(r: dict) -> str:
    """A category's figures in a kappa-paradox note (agreement, AC1 and PABAK on the
    units its kappa used)."""
    k, r = r["kappa"], on_kappa_units(r)
    said = [f"κ {k:.2f}", f"{_AGREE} {r['percent_agreement']:.0f}%",
            f"AC1 {r['ac1']:.2f}", f"PABAK {r['pabak']:.2f}"]  # fmt: skip
    if np.isfinite(r.get("prevalence_index", np.nan)):
        said.append(f"{_ZH['prevalence index']} {r['prevalence_index']:+.2f}")
    return "，".join(said)


def zh_paradox_notes(label: str, row: dict, categories: list[tuple[str, dict]]) -> list[str]:
    """:func:`ihms.stats._agreement_row.paradox_notes` in Chinese (the same rows fire)."""
    same = on_kappa_units(row)
    notes = [
        f"{label}：{_AGREE} {same['percent_agreement']:.0f}% 而 κ 仅 {row['kappa']:.2f}——某一答案"
        f"占绝大多数（{_PARADOX}）；AC1 {same['ac1']:.2f} 与 PABAK {same['pabak']:.2f} 不随之下降。"
    ] * _paradox(row)
    listed = "；".join(f"{c}（{_figures(r)}）" for c, r in categories if _paradox(r))
    if listed:
        notes.append(
            f"{label}：{_AGREE}高而 κ 低，见于几乎总是出现或总是不出现的类目（{_PARADOX}）——{listed}。"
        )
    return notes


_ADVICE = " (a missing code means not coded; code 'none applies' explicitly)"


def _report_notes(report) -> list[str]:
    """The report's own notes in Chinese where they are of a kind said again here (units
    left out, the kappa paradox, categories without κ), else as they are."""
    said: dict[str, str] = {}
    for key, cover in report.coverage:
        multi = key in report.multi_label
        english = coverage_notes(key, cover, whole="whole code set" if multi else "whole code")
        chinese = zh_coverage_notes(
            str(key), cover, "编码集合整体" if multi else "编码整体", unit="分析单元",
            advice="（缺失的编码即未编码；'none applies' 须明确编码）", kappa_units="",
        )  # fmt: skip
        said |= dict(zip(english, chinese, strict=True))
    table = report.table
    for key in report.dimensions:
        rows = table[table["dimension"] == key]
        whole = rows[rows["category"].isna()].iloc[0].to_dict()
        cats = [(r["category"], r) for r in rows[rows["category"].notna()].to_dict("records")]
        english = paradox_notes(str(key), whole, cats)
        said |= dict(zip(english, zh_paradox_notes(str(key), whole, cats), strict=True))
    out = []
    for note in report.notes:
        if note in said:
            out.append(said[note])
            continue
        m = re.match(r"(.*): kappa/alpha undefined for (\d+) categor", note)
        if m and note == f"{m.group(1)}: {undefined_categories(int(m.group(2)))}":
            out.append(
                f"{m.group(1)}：{m.group(2)} 个类目被每名编码员在所有分析单元都选用或都未选用，κ/α 无定义。"
            )
        else:
            out.append(note)
    return out


def zh_mean_kappa(report) -> str:
    """The mean κ over the report's dimensions, in Chinese words: ``0.746``, with how many
    dimensions have a κ when some have none; "" when none has."""
    kappas = report.dimension_rows()["kappa"].astype(float)
    have = int(kappas.notna().sum())
    if not have:
        return ""
    mean = f"{kappas.mean():.3f}"
    if have < len(kappas):
        mean += f"（{len(kappas)} 个维度中有 κ 的 {have} 个）"
    return mean


def in_chinese(report, table):
    """``table``, the report's English summary, with its title, headers, statistics and
    notes in Chinese (编码员间一致性, and :data:`ihms._words.TERMS`' 一致率 and PABAK)."""
    from dataclasses import replace

    level = f"{100 * report.confidence:g}%"
    below = f"P(alpha<{report.alpha_minimum:g})"
    names = {
        "dimension / category": "维度 / 类目", "n": "单元数", "n_coders": "编码员数",
        "agree": _AGREE, "type": "统计量", "kappa": "κ", f"{level} low": f"{level} 下限",
        f"{level} high": f"{level} 上限", "alpha": "Krippendorff's α",
        f"alpha {level} low": f"α {level} 下限", f"alpha {level} high": f"α {level} 上限",
        below: below.replace("alpha", "α"),
    }  # fmt: skip
    frame = table.frame.rename(columns=names).rename_axis(names["dimension / category"])
    statistic = {"Cohen": "Cohen's κ", "Fleiss": "Fleiss' κ"}
    frame["统计量"] = frame["统计量"].map(lambda s: statistic.get(s, s))
    short = {"维度 / 类目": "维度", "Krippendorff's α": "α",
             f"{level} 下限": "下限", f"{level} 上限": "上限", f"α {level} 下限": "α下限",
             f"α {level} 上限": "α上限"}  # fmt: skip
    notes = [
        f"单元数：至少两名编码员编码的分析单元；{_AGREE}：所有编码员答案相同的单元所占比例；"
        "统计量/κ：Cohen's κ（2 名编码员，置信区间据渐近标准误）或 Fleiss' κ（多于 2 名）；"
        "p：κ = 0 的双侧检验（H0 下的标准误）；α：Krippendorff's α（名义尺度）。",
        AC1_PABAK_NOTE,
        f"α 区间与 {names[below]}：对分析单元进行 {report.n_boot:,} 次 bootstrap 重抽样（种子 "
        f"{report.seed}），{level} 百分位区间。"
        if report.n_boot
        else "",
        f"各维度平均 κ：{mean}。" if (mean := zh_mean_kappa(report)) else "",
        *_report_notes(report),
    ]
    shorts = table.short_headers.items()
    return replace(
        table,
        frame=frame,
        title=f"编码员间一致性（{len(report.coders)} 名编码员）",
        notes=tuple(n for n in notes if n),
        formats={names.get(k, k): f for k, f in table.formats.items()},
        short_headers={names.get(k, k): short.get(names.get(k, k), v) for k, v in shorts},
        stack_under={names.get(k, k): names.get(v, v) for k, v in table.stack_under.items()},
        decimal_columns=tuple(names.get(c, c) for c in table.decimal_columns),
        lang="zh",
    )
