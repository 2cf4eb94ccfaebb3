"""Time evolution of a dimension: counts by year per category, and Yu et al. 2024's stages.

:func:`time_evolution` counts, for each year, the texts (or codings, for a multi-label
dimension) in each category and each category's share of the year; it ranks the
categories by the year in which their share peaks (Yu et al. 2024 reads the orientation
shifting from graded diagnosis to medical association, smart health care, Healthy
China and healthy community this way), and places **stages**: groups of categories
(Yu et al. 2024's disease-centred, e-health technology and health-centred periods), each
spanning the longest run of consecutive years in which the group's share of the year
exceeds its share over the whole period (a tie going to the run with the higher mean
share).

Years with fewer than ``min_year_n`` texts are left out of the peak ranking and the
stages (a year with 9 texts can put any category at 100%). Texts, not codings: a year
of three texts coded with four policy tools each is still a thin year.

Stages may overlap: a year in which two groups both exceed their overall shares belongs
to both. Yu et al. 2024's own periods overlap the same way (disease-centred 2014–2017, e-health
technology 2017–2019, health-centred 2018–2021), and :meth:`TimeEvolution.overlap_note`
says so wherever the stages are shown.

The stage rule is ihms's, not Yu et al. 2024's. The study states its periods (Abstract; the
Discussion's time evolution of policy orientation, line 550 of the seed) without saying
how it drew them, and no simple rule reproduces them from its Table 12: this one gives
2015–2017, 2018–2020 and 2019–2021 (2014–2017 for the first if the 9 texts of 2014
are kept, ``min_year_n=0``); and no threshold on a group's yearly share or count can
give the e-health technology period 2017–2019, since smart health care had 1 of 531
texts in 2017 and 7 of 77 in 2020 (the test of this module writes it out).
:meth:`TimeEvolution.rule_note` says which rule placed the stages wherever they are
shown, with Yu et al. 2024's stated periods beside them for its groups.

``lang="zh"`` names the categories and stages in Chinese and says the table's title,
its year and total columns and every note in Chinese (the word table of
:mod:`ihms.policy._agreement_words`, as ``policy tables --lang zh``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ihms._repr import SummaryHtml
from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy._agreement_words import ZH, said_in
from ihms.sources import YU_2024
from ihms.summary import SummaryTable

__all__ = [
    "MIN_YEAR_N",
    "SEED000_PERIODS",
    "SEED000_STAGES",
    "STAGE_RULE",
    "Stage",
    "TimeEvolution",
    "stages_from_counts",
    "time_evolution",
]

#: Years with fewer texts than this are left out of the peak ranking and the stages
#: (the one default for the library, ``ihms policy trend`` and the demo).
MIN_YEAR_N = 10

#: Seed 000's three periods of the orientation dimension.
SEED000_STAGES: dict[str, list[str]] = {
    "disease-centred": ["graded_diagnosis", "medical_association"],
    "e-health technology": ["smart_health_care"],
    "health-centred": ["healthy_china", "healthy_community"],
}

#: The years seed 000 gives its three periods (Abstract and Discussion); they overlap.
#: Stated, not computed: see the module docstring.
SEED000_PERIODS: dict[str, tuple[int, int]] = {
    "disease-centred": (2014, 2017),
    "e-health technology": (2017, 2019),
    "health-centred": (2018, 2021),
}


#: ihms's stage rule, as the notes of a :class:`TimeEvolution` state it.
STAGE_RULE = (
    "the longest run of consecutive years in which a group's share of the year exceeds "
    "its share over the whole period, a tie going to the run with the higher mean share"
)
_STAGE_RULE_ZH = "某组类目占当年比重高于其全期占比的最长连续年份，等长时取平均占比较高者"


def _seed000_periods(lang: str = "en") -> str:
    join = "，" if lang == "zh" else ", "
    return join.join(f"{said_in(lang, n)} {a}–{b}" for n, (a, b) in SEED000_PERIODS.items())


@dataclass(frozen=True)
class Stage:
    """A stage: its categories, first and last year, and the group's share of the
    whole period (years with enough texts) against its share pooled over the stage's
    years (its texts there over all texts there)."""

    name: str
    categories: tuple[str, ...]
    start: int | None
    end: int | None
    overall_share: float
    stage_share: float

    @property
    def span(self) -> str:
        """``"2015–2017"``, ``"2015"`` for a one-year stage, or a note that no year
        exceeds the overall share."""
        if self.start is None:
            return "no year above its overall share"
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


def _longest_run(
    years: list[int], shares: list[float], overall: float
) -> tuple[int | None, int | None]:
    """First and last year of the longest run of consecutive years whose share exceeds
    ``overall``; of equally long runs, the one with the higher mean share, then the
    earliest."""
    share_of = dict(zip(years, shares, strict=True))
    runs: list[list[int]] = []
    for year in years:
        if not share_of[year] > overall:
            continue
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    if not runs:
        return None, None
    best = max(runs, key=lambda r: (len(r), sum(share_of[y] for y in r) / len(r)))
    return best[0], best[-1]


def stages_from_counts(
    counts: pd.DataFrame,
    stages: Mapping[str, Sequence[str]],
    *,
    min_year_n: int = MIN_YEAR_N,
    texts: pd.Series | None = None,
) -> list[Stage]:
    """Stages from a year × category count table (see the module docstring); ``texts``
    (year → texts) for a multi-label count table, whose rows sum codings."""
    totals = counts.sum(axis=1) if texts is None else texts.reindex(counts.index, fill_value=0)
    kept = counts[totals >= min_year_n]
    years = [int(y) for y in kept.index]
    out = []
    for name, cats in stages.items():
        missing = [c for c in cats if c not in counts.columns]
        if missing:
            raise InputError(f"stage {name!r} names categories with no counts: {missing}")
        group = kept[list(cats)].sum(axis=1)
        share = group / kept.sum(axis=1)
        overall = float(group.sum() / kept.to_numpy().sum()) if len(kept) else float("nan")
        start, end = _longest_run(years, [float(s) for s in share], overall)
        # pooled, as a content analysis reports a period's percentage (seed 000, Table
        # 12): the group's texts over all texts of the stage's years, not a mean of shares
        inside = (
            group.loc[start:end].sum() / kept.loc[start:end].to_numpy().sum()
            if start is not None
            else float("nan")
        )
        out.append(Stage(name, tuple(cats), start, end, overall, float(inside)))
    return out


@dataclass(frozen=True, eq=False)
class TimeEvolution(SummaryHtml):
    """Counts by year per category, shares within each year, peak years and stages."""

    dimension: str
    counts: pd.DataFrame
    shares: pd.DataFrame
    peaks: pd.DataFrame
    stages: tuple[Stage, ...]
    labels: dict[str, str]
    min_year_n: int = MIN_YEAR_N
    #: texts per year (``None``: the counts' row sums, one category per text)
    texts: pd.Series | None = None
    #: the language of the table, notes and chart (``en`` or ``zh``), and the
    #: dimension as they name it (default: its key)
    lang: str = "en"
    dimension_label: str = ""

    def _stage(self, name: str) -> str:
        return said_in(self.lang, name)

    def _span(self, stage: Stage) -> str:
        if self.lang == "zh" and stage.start is None:
            return "无年份高于其全期占比"
        return stage.span

    @property
    def thin_years(self) -> dict[int, int]:
        """Years left out of the peaks and stages: year -> texts (fewer than ``min_year_n``)."""
        totals = self.counts.sum(axis=1) if self.texts is None else self.texts
        return {int(y): int(n) for y, n in totals[totals < self.min_year_n].items()}

    @property
    def overlaps(self) -> list[tuple[str, str, int, int]]:
        """Pairs of stages sharing years: (first stage, second stage, first shared year,
        last shared year), in the stages' order."""
        placed = [s for s in self.stages if s.start is not None]
        out = []
        for i, a in enumerate(placed):
            for b in placed[i + 1 :]:
                first, last = max(a.start, b.start), min(a.end, b.end)
                if first <= last:
                    out.append((a.name, b.name, first, last))
        return out

    def rule_note(self) -> str:
        """A sentence saying the stages follow ihms's rule, not a study's, with Yu et
        al. 2024's stated periods for its groups; empty without stages."""
        if not self.stages:
            return ""
        seed = {s.name for s in self.stages} == set(SEED000_PERIODS)
        if self.lang == "zh":
            return (
                f"阶段按 ihms 的规则划分，而非某项研究的规则：{_STAGE_RULE_ZH}（至少 "
                f"{self.min_year_n} 条文本的年份）。"
                + (
                    f"{YU_2024} 未说明划分规则，其所述时期为：{_seed000_periods('zh')}。"
                    if seed
                    else ""
                )
            )
        note = (
            f"Stages by ihms's rule, not a study's: {STAGE_RULE} (years with at least "
            f"{self.min_year_n} texts)."
        )
        if seed:
            note += f" {YU_2024} states its periods without a rule: {_seed000_periods()}."
        return note

    def overlap_note(self) -> str:
        """A sentence saying which stages share years (and that Yu et al. 2024's periods
        overlap too, for its stages); empty when none do."""
        if not self.overlaps:
            return ""
        seed = {s.name for s in self.stages} == set(SEED000_PERIODS)
        if self.lang == "zh":
            pairs = "；".join(
                f"{self._stage(a)}与{self._stage(b)}在 {first}"
                + (" 年重叠" if first == last else f"–{last} 年重叠")
                for a, b, first, last in self.overlaps
            )
            when = "该年" if all(o[2] == o[3] for o in self.overlaps) else "这些年份"
            return f"阶段重叠：{pairs}（两组在{when}均高于其全期占比）。" + (
                f"{YU_2024} 自身的时期也有重叠：{_seed000_periods('zh')}。" if seed else ""
            )
        pairs = "; ".join(
            f"{a} and {b} in {first}" + ("" if first == last else f"–{last}")
            for a, b, first, last in self.overlaps
        )
        note = f"Stages overlap: {pairs} (both groups above their overall share)."
        if seed:
            note += f" {YU_2024}'s own periods overlap too: {_seed000_periods()}."
        return note

    def _stage_line(self, s: Stage) -> str:
        """A stage's span and shares; a stage without a year, its overall share alone."""
        zh = self.lang == "zh"
        if s.start is None:
            return (
                f"阶段“{self._stage(s.name)}”：{self._span(s)}（全期 {s.overall_share:.1%}）"
                if zh
                else f"Stage {s.name}: {s.span} ({s.overall_share:.1%} overall)"
            )
        return (
            f"阶段“{self._stage(s.name)}”：{self._span(s)}（阶段内合并占比 {s.stage_share:.1%}，"
            f"全期 {s.overall_share:.1%}，仅计文本达到 {self.min_year_n} 条的年份）"
            if zh
            else f"Stage {s.name}: {s.span} ({s.stage_share:.1%} of the stage's texts, pooled over "
            f"its years, against {s.overall_share:.1%} over all years with at least "
            f"{self.min_year_n} texts)"
        )

    @property
    def ranked_years(self) -> list[int]:
        """The years with at least ``min_year_n`` texts: those the peaks and stages read."""
        totals = self.counts.sum(axis=1) if self.texts is None else self.texts
        return [int(y) for y, n in totals.items() if n >= self.min_year_n]

    def _none_ranked(self) -> str:
        """Why nothing is ranked: no year has ``min_year_n`` texts."""
        if self.lang == "zh":
            return f"没有任何年份的文本达到 {self.min_year_n} 条"
        return f"no year has at least {self.min_year_n} texts"

    def _years(self, row) -> str | None:
        """A peak year, or every year tied for the peak (``2015, 2018 (tied)``)."""
        if row.peak_year is None:
            return None
        tied = list(getattr(row, "peak_years", None) or [row.peak_year])
        if len(tied) == 1:
            return str(tied[0])
        if self.lang == "zh":
            return "、".join(map(str, tied)) + "（并列）"
        return ", ".join(map(str, tied)) + " (tied)"

    def peak_note(self) -> str:
        """Each category with its peak year, in order; those no ranked year coded last;
        without a ranked year, that peaks are not determined."""
        if not self.ranked_years:
            return ("无法确定，" if self.lang == "zh" else "not determined, ") + self._none_ranked()
        peaks = self.peaks.itertuples()
        zh = self.lang == "zh"
        named = [(self.labels.get(r.category, r.category), self._years(r)) for r in peaks]
        none = [label for label, year in named if year is None]
        unranked = "所排序的年份中均未编码：" if zh else "not coded in the years ranked: "
        return ("；" if zh else "; ").join(
            [f"{label} {year}" for label, year in named if year is not None]
            + ([unranked + ("、" if zh else ", ").join(none)] if none else [])
        )

    def summary(self) -> SummaryTable:
        """The counts by year with a total column, and the notes on peaks and stages,
        in the evolution's language."""
        zh = self.lang == "zh"
        frame = self.counts.rename(columns=self.labels).copy()
        frame[said_in(self.lang, "Total")] = frame.sum(axis=1)
        frame.index.name = said_in(self.lang, "year")
        frame.columns.name = None if zh else frame.columns.name  # zh: no "value" left
        said = "{0}（{1}）" if zh else "{0} ({1})"
        thin = ("、" if zh else ", ").join(said.format(*p) for p in self.thin_years.items())
        # the texts counted are those coded in the dimension, not all texts of the year
        name = self.dimension_label or self.dimension
        if zh:
            notes = [
                f"各类目占当年比重的峰值年份：{self.peak_note()}",
                f"有{name}编码的文本少于 {self.min_year_n} 条的年份不纳入峰值与阶段"
                + (f"：{thin}" if thin else "（本表无）"),
            ]
        else:
            notes = [
                f"Peak share of the year: {self.peak_note()}",
                f"Years with fewer than {self.min_year_n} texts coded in {name} are left out "
                "of peaks and stages" + (f": {thin}" if thin else " (none here)"),
            ]
        if self.stages and not self.ranked_years:  # shares of no year: nothing to place
            notes.append(
                f"阶段无法确定：{self._none_ranked()}"
                if zh
                else f"Stages not determined: {self._none_ranked()}"
            )
        else:
            notes += [self._stage_line(s) for s in self.stages]
        if self.stages and self.ranked_years:
            notes.append(self.rule_note())
        if self.overlaps:
            notes.append(self.overlap_note())
        title = f"{name}的时间演变" if zh else f"Time evolution of {name}"
        return SummaryTable(frame, title=title, notes=tuple(notes), lang=self.lang)

    def figure(self, *, title: str = ""):
        """Line chart of counts by year per category, stages shaded (Yu et al. 2024, Figure 4)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        from ihms.fonts import use_cjk_font

        use_cjk_font()
        fig, ax = plt.subplots(figsize=(9, 4.8))
        years = [int(y) for y in self.counts.index]
        # 20 distinct colours, and a line style and marker per category besides, so
        # 18 policy tools are told apart in print and in grey (the default cycle has 10)
        palette = plt.get_cmap("tab20").colors
        dashes, markers = ("-", "--", "-.", ":"), ("o", "s", "^", "D", "v", "P")
        for i, col in enumerate(self.counts.columns):
            ax.plot(years, self.counts[col], label=self.labels.get(col, col),
                    color=palette[i % len(palette)], linestyle=dashes[i % len(dashes)],
                    marker=markers[i % len(markers)])  # fmt: skip
        colours = ("#f2d7d5", "#d6eaf8", "#d5f5e3", "#fcf3cf")
        top = float(self.counts.to_numpy().max()) if self.counts.size else 1.0
        for i, s in enumerate(self.stages):
            if s.start is None:
                continue
            ax.axvspan(
                s.start - 0.4, s.end + 0.4, color=colours[i % len(colours)], alpha=0.6, zorder=0
            )
            ax.text((s.start + s.end) / 2, top * (1.02 + 0.07 * i), self._stage(s.name),
                    ha="center", fontsize=8)  # fmt: skip
        ax.set_xticks(years)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 ticks
        zh = self.lang == "zh"
        ax.set_xlabel(ZH["year"] if zh else "Year")
        several = self.texts is not None and bool((self.counts.sum(axis=1) > self.texts).any())
        # several codings to a text
        ax.set_ylabel(said_in(self.lang, "Codings" if several else "Texts"))
        ax.set_ylim(0, top * (1.1 + 0.07 * len(self.stages)))
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        name = self.dimension_label or self.dimension
        ax.set_title(title or (f"{name}的年度分布" if zh else f"{name} by year"))
        if any(s.start is not None for s in self.stages):
            shaded = (
                "阴影：按 ihms 规则划分的阶段（见注）"
                if zh
                else "Shaded: stages by ihms's rule (see the notes)"
            )
            fig.text(0.01, 0.01, shaded, fontsize=7)
        fig.tight_layout()
        return fig


def time_evolution(
    data,
    dimension: str,
    *,
    year_dimension: str = "year",
    stages: Mapping[str, Sequence[str]] | None = None,
    min_year_n: int = MIN_YEAR_N,
    lang: str = "en",
) -> TimeEvolution:
    """Counts by year per category of ``dimension`` from
    :class:`~ihms.policy.reconcile.CodedData`; ``stages`` default to Yu et al. 2024's for the
    orientation dimension and to none otherwise; ``lang`` the language of its table,
    notes and chart."""
    check_lang(lang)
    cb = data.codebook
    dim = cb.dimension(dimension)
    ydim = cb.dimension(year_dimension)
    long = data.long
    values = long.loc[long["dimension"] == dim.key, ["segment_id", "value"]]
    years = long.loc[long["dimension"] == ydim.key, ["segment_id", "value"]].rename(
        columns={"value": "year"}
    )
    joined = values.merge(years, on="segment_id")
    if joined.empty:
        why = (
            f"no segment coded in {dim.key!r}"
            if values.empty
            else f"none of the {values['segment_id'].nunique():,} segments coded in {dim.key!r} "
            f"has a {ydim.key!r}"
        )
        raise InputError(
            f"{why}, so there is nothing to count by year; the year comes from each "
            "document's date (发布日期 in the metadata sheet, or a date found in the text)"
        )
    joined["year"] = joined["year"].astype(int)
    counts = pd.crosstab(joined["year"], joined["value"])
    # every category of a closed dimension, the uncoded ones as zeros: the stages read
    # their groups' columns, and a table of the codebook's categories shows its gaps
    order = list(dim.category_keys) if dim.kind == "closed" else list(counts.columns)
    counts = counts.reindex(columns=order, fill_value=0)
    full = range(int(counts.index.min()), int(counts.index.max()) + 1)
    counts = counts.reindex(full, fill_value=0)
    counts.index.name = "year"
    totals = counts.sum(axis=1)
    shares = counts.div(totals.where(totals > 0), axis=0).fillna(0.0)
    # a multi-label year sums codings; thin years are judged by their texts
    texts = joined.groupby("year")["segment_id"].nunique().reindex(full, fill_value=0)
    texts.index.name = "year"
    ranked = shares[texts >= min_year_n]
    # a category none of the ranked years coded has no peak (idxmax of zeros named the
    # first year)
    peak_years = [
        [int(y) for y, v in ranked[c].items() if math.isclose(v, ranked[c].max())]
        if len(ranked) and ranked[c].max() > 0
        else []
        for c in order
    ]
    peaks = pd.DataFrame(
        {
            "category": list(order),
            "peak_year": [(tied[0] if tied else None) for tied in peak_years],
            # every year whose share equals the peak (ties are named, not settled)
            "peak_years": peak_years,
        },
        dtype=object,
    ).sort_values(
        ["peak_year", "category"], key=lambda s: s.map(order.index) if s.name == "category" else s
    )
    if (
        stages is None
        and dim.key == "orientation"
        and set(SEED000_STAGES["disease-centred"]) <= set(dim.category_keys)
    ):
        stages = SEED000_STAGES
    found = stages_from_counts(counts, stages or {}, min_year_n=min_year_n, texts=texts)
    labels = {k: dim.value_label(k, lang) for k in order}
    return TimeEvolution(
        dim.key,
        counts,
        shares,
        peaks.reset_index(drop=True),
        tuple(found),
        labels,
        min_year_n,
        texts,
        lang=lang,
        dimension_label=dim.label(lang) if lang == "zh" else "",
    )
