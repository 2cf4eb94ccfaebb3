"""Several rule sets over the same years and spending paths (the incentive argument of Zhong et al. 2023).

Under the ratchet ("other areas") next year's budget follows this year's spending, so a
consortium that spends less is given less; under Sanming the budget follows population
and the premium, so spending less only adds to the balance the consortium keeps.
:func:`compare_regimes` settles every (rules, path, year) and :class:`ComparisonResult`
shows it as a table, an "effect of saving" table and a figure.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from ihms._repr import SummaryHtml, brief_repr
from ihms.errors import InputError
from ihms.payment._rebasing import rebasing_note
from ihms.payment.inputs import settlement_inputs
from ihms.payment.money import apply_rate, format_rate, million_yuan
from ihms.payment.rules import PaymentRules
from ihms.payment.settlement import SettlementRecord, settle_year
from ihms.payment.tables import IndicatorValues, PopulationTable, SpendingTable, StaffRoster
from ihms.summary import SummaryTable

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "ComparisonResult",
    "SpendingPath",
    "compare_regimes",
    "observed_path",
    "rules_label",
    "saving_path",
]

BASELINE = "as observed"


@dataclass(frozen=True)
class SpendingPath:
    """A named spending table (the observed one, or a counterfactual)."""

    name: str
    table: SpendingTable


def saving_path(
    table: SpendingTable,
    *,
    rate: Decimal,
    from_year: int,
    name: str | None = None,
    settings: Sequence[str] = ("consortium", "outside_county"),
) -> SpendingPath:
    """Counterfactual: from ``from_year`` on, charged spending falls by ``rate`` a year
    (compounding) below what was observed: year ``t`` is scaled by
    ``(1 − rate) ** (t − from_year + 1)``. Private-hospital spending is left as observed.
    Amounts are rounded half up to the fen row by row.

    Parameters
    ----------
    table : SpendingTable
        The observed spending (fen); it is not modified.
    rate : Decimal
        Yearly saving as a fraction, ``0 <= rate < 1`` (``Decimal("0.05")`` for 5%).
    from_year : int
        First year whose spending is lowered (by one year's ``rate``).
    name : str, optional
        The path's name; default ``"saving 5% a year from 2018"`` style.
    settings : sequence of str, default ("consortium", "outside_county")
        The spending settings scaled; other settings (private hospitals) stay observed.

    Returns
    -------
    SpendingPath
        The counterfactual spending table under its name.

    Raises
    ------
    InputError
        ``rate`` is outside ``[0, 1)``.
    """
    if not (Decimal(0) <= rate < Decimal(1)):
        raise InputError(f"saving path: rate must be >= 0 and < 1, got {rate}")
    frame = table.to_frame()
    factors = [
        (Decimal(1) - rate) ** (int(y) - from_year + 1)
        if int(y) >= from_year and s in settings
        else None
        for y, s in zip(frame["year"], frame["setting"], strict=True)
    ]
    for col in ("insurance_paid_fen", "total_cost_fen", "out_of_pocket_fen"):
        frame[col] = [
            v if (f is None or v is None or pd.isna(v)) else apply_rate(int(v), f)
            for v, f in zip(frame[col].tolist(), factors, strict=True)
        ]
    label = name or f"saving {format_rate(rate)} a year from {from_year}"
    return SpendingPath(label, SpendingTable.from_frame(frame, source=f"{table.source} ({label})"))


@functools.cache
def rules_label(name: str) -> str:
    """A rule set's name as readers see it: a built-in set's short title.

    Parameters
    ----------
    name : str
        A rule set's name (``sanming``, ``other-areas``, ...).

    Returns
    -------
    str
        The title before its dash (``Sanming IMPM``, ``Other areas of China``, ``Fee for
        service``) for a built-in rule set; any other name unchanged.

    Examples
    --------
    >>> rules_label("sanming"), rules_label("my-county-2024")
    ('Sanming IMPM', 'my-county-2024')

    Built-in rule files do not change while ihms runs, so each is read once.
    """
    from ihms.payment._config import BUILTIN_RULES, load_rules

    if name not in BUILTIN_RULES:
        return name
    return load_rules(name).title.split(" — ")[0].strip() or name


#: The comparison's fixed notes (said in Chinese by :mod:`ihms.payment._words_zh_books`).
ROWS_NOTE = (
    "Each row settles one year under one rule set and one spending path; history-based "
    "budgets read the same path's earlier years."
)
EFFECT_NOTE = (
    "Change of each figure on the counterfactual path against the same rule set on spending "
    "as observed; cumulative: summed over the years so far."
)
#: Under a table written to a file with every amount exact (``payment compare --out``).
EXACT_NOTE = "Amounts exact in yuan; the printed table rounds them to 0.01 million yuan."

#: effect_of_saving's columns as readers see them (the frame keeps the codes).
_EFFECT_COLUMNS = {
    "spending_change_fen": "spending change",
    "budget_change_fen": "budget change",
    "result_change_fen": "result change",
    "cumulative_result_change_fen": "cumulative result change",
}


def _in_million_yuan(frame: pd.DataFrame, columns: Mapping[str, str]) -> pd.DataFrame:
    """``regime, path, year`` as the index and each fen column of ``columns`` renamed and
    shown in million yuan, exact (Decimal, half up); a missing amount stays missing."""
    out = frame[["regime", "path", "year"]].copy()
    for code, label in columns.items():
        out[label] = [None if pd.isna(v) else million_yuan(int(v)) for v in frame[code].tolist()]
    return out.set_index(["regime", "path", "year"])


@dataclass(frozen=True)
class ComparisonResult(SummaryHtml):
    """Settlements of every rule set × spending path × year."""

    records: Mapping[tuple[str, str, int], SettlementRecord]
    rules: tuple[str, ...]
    paths: tuple[str, ...]
    years: tuple[int, ...]
    #: What the rules compared do that the figures alone do not say: a budget or
    #: benchmark reset every year from the spending before it (:func:`compare_regimes`).
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # the generated repr printed every settlement record
        return brief_repr(
            self, rules=self.rules, paths=self.paths, years=self.years, records=len(self.records)
        )

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for (regime, path, _year), rec in self.records.items():
            head = rec.headline()
            head.pop("rules")
            rows.append({"regime": regime, "path": path, **head})
        return pd.DataFrame(rows)

    def effect_of_saving(self) -> pd.DataFrame:
        """For each regime and counterfactual path: the change against the observed path
        in the budget, in the consortium's settlement result, and cumulated."""
        if BASELINE not in self.paths or len(self.paths) < 2:
            return pd.DataFrame()
        frame = self.to_frame()
        rows = []
        for regime in self.rules:
            base = frame[(frame.regime == regime) & (frame.path == BASELINE)].set_index("year")
            for path in self.paths:
                if path == BASELINE:
                    continue
                alt = frame[(frame.regime == regime) & (frame.path == path)].set_index("year")
                cum = 0
                for y in self.years:
                    db = alt.at[y, "global_budget_fen"], base.at[y, "global_budget_fen"]
                    budget_change = (
                        None if db[0] is None or pd.isna(db[0]) else int(db[0]) - int(db[1])
                    )
                    result_change = int(alt.at[y, "consortium_result_fen"]) - int(
                        base.at[y, "consortium_result_fen"]
                    )
                    cum += result_change
                    rows.append(
                        {
                            "regime": regime,
                            "path": path,
                            "year": y,
                            "spending_change_fen": int(alt.at[y, "charged_fen"])
                            - int(base.at[y, "charged_fen"]),
                            "budget_change_fen": budget_change,
                            "result_change_fen": result_change,
                            "cumulative_result_change_fen": cum,
                        }
                    )
        return pd.DataFrame(rows)

    def summary(self) -> SummaryTable:
        frame = self.to_frame()
        frame["regime"] = frame["regime"].map(rules_label)
        # a shared-savings rule set's result and outlay add up from the shared savings
        # and the family-physician fees: those columns are shown when one is compared,
        # left out of a table of budgets alone
        records = self.records.values()
        shared = any(rec.shared_savings is not None for rec in records)
        fees = any(rec.family_physician_fee_fen for rec in records)
        cols = {
            "global_budget_fen": "budget",
            "charged_fen": "charged spending",
            "balance_fen": "balance",
            "overspend_fen": "overspend",
            "retained_fen": "kept",
            "clawback_fen": "clawed back",
            **({"shared_savings_fen": "shared savings"} if shared else {}),
            "consortium_result_fen": "consortium result",
            **({"family_physician_fee_fen": "family-physician fees"} if fees else {}),
            "insurer_outlay_fen": "insurer outlay",
            "staff_incentive_fen": "staff incentive",
        }
        return SummaryTable(
            _in_million_yuan(frame, cols),
            title="Payment regimes compared over the same years (million yuan)",
            notes=(ROWS_NOTE, *self.notes),
        )

    def effect_summary(self) -> SummaryTable:
        """:meth:`effect_of_saving` for readers: rule sets by their titles, amounts in
        million yuan (half up from the exact fen), as :meth:`summary` shows them."""
        frame = self.effect_of_saving()
        if frame.empty:
            frame = pd.DataFrame(columns=["regime", "path", "year", *_EFFECT_COLUMNS])
        frame["regime"] = frame["regime"].map(rules_label)
        return SummaryTable(
            _in_million_yuan(frame, _EFFECT_COLUMNS),
            title="Effect of the saving against spending as observed (million yuan)",
            notes=(EFFECT_NOTE,),
        )

    def get_plot_data(self, *, regimes: Sequence[str] | None = None) -> pd.DataFrame:
        """What :meth:`figure` draws: budget and consortium result by regime, path, year.

        Parameters
        ----------
        regimes : sequence of str, optional
            Names of the rule sets to keep; None (the default) keeps all.

        Returns
        -------
        pandas.DataFrame
            Columns ``regime, path, year, global_budget_fen, charged_fen,
            consortium_result_fen`` (amounts in fen).
        """
        f = self.to_frame()
        if regimes is not None:
            f = f[f["regime"].isin(list(regimes))]
        cols = [
            "regime",
            "path",
            "year",
            "global_budget_fen",
            "charged_fen",
            "consortium_result_fen",
        ]
        return f[cols]

    def figure(
        self,
        *,
        regimes: Sequence[str] | None = None,
        title: str | None = None,
        lang: str = "en",
    ) -> Figure:
        """Two panels: the global budget by year (one line per regime and path), and the
        consortium's settlement result (kept balance − overspend borne). ``regimes``
        limits the figure to some of the rule sets.

        Parameters
        ----------
        regimes : sequence of str, optional
            Names of the rule sets to draw; None (the default) draws all.
        title : str, optional
            The figure's title; None gives "Sanming vs other areas: budgets and results"
            (in ``lang``).
        lang : str, default "en"
            ``"zh"``: titles, legend and the budget changes written beside the points in
            Chinese (the words of ``ihms payment compare --lang zh``), drawn in the CJK
            font (:func:`ihms.fonts.use_cjk_font`); the figures are the same.

        Returns
        -------
        matplotlib.figure.Figure
            Amounts shown in million yuan.

        Raises
        ------
        InputError
            None of ``regimes`` was compared, or ``lang`` is not one ihms writes.
        """
        from ihms._words import check_lang
        from ihms.payment._compare_figure import comparison_figure, default_title

        lang = check_lang(lang)
        title = default_title(lang) if title is None else title
        return comparison_figure(self, regimes=regimes, title=title, lang=lang)


def compare_regimes(
    rule_sets: Sequence[PaymentRules],
    *,
    population: PopulationTable,
    paths: Sequence[SpendingPath],
    years: Sequence[int],
    indicators: IndicatorValues | None = None,
    staff: StaffRoster | None = None,
    assume_assessment_passed: bool = False,
) -> ComparisonResult:
    """Settle every rule set on every spending path for every year.

    The first path should be the observed one (named ``"as observed"``) for
    :meth:`ComparisonResult.effect_of_saving`.

    Parameters
    ----------
    rule_sets : sequence of PaymentRules
        The rule sets to compare; their names must differ.
    population : PopulationTable
        Insured population by year, shared by every path.
    paths : sequence of SpendingPath
        Spending paths (from :func:`observed_path` and :func:`saving_path`).
    years : sequence of int
        The years to settle; history-based budgets read each path's earlier years.
    indicators : IndicatorValues, optional
        Assessment and staff indicator values (see :func:`settlement_inputs`).
    staff : StaffRoster, optional
        Staff whose annual salaries are settled; None settles none.
    assume_assessment_passed : bool, default False
        Treat the assessment as passed where no values are given.

    Returns
    -------
    ComparisonResult
        One :class:`SettlementRecord` per (rule set, path, year); its ``notes`` say which
        rule sets reset their budget or benchmark every year from the spending before
        it (a ratchet: a lasting saving earns less each year).

    Raises
    ------
    InputError
        No rule set, path or year; duplicate rule set names; or missing data for a
        year (see :func:`settlement_inputs` and :func:`settle_year`).
    """
    if not rule_sets or not paths or not years:
        raise InputError("compare: give at least one rule set, one spending path and one year")
    names = [r.name for r in rule_sets]
    if len(set(names)) != len(names):
        raise InputError(f"compare: rule set names must differ, got {names}")
    records: dict[tuple[str, str, int], SettlementRecord] = {}
    for rules in rule_sets:
        for path in paths:
            for year in years:
                inputs = settlement_inputs(
                    rules,
                    year,
                    spending=path.table,
                    population=population,
                    indicators=indicators,
                    staff=staff,
                    assume_assessment_passed=assume_assessment_passed,
                )
                records[(rules.name, path.name, year)] = settle_year(rules, inputs)
    ratchets = (rebasing_note(r, rules_label(r.name)) for r in rule_sets)
    return ComparisonResult(
        records,
        tuple(names),
        tuple(p.name for p in paths),
        tuple(years),
        notes=tuple(n for n in ratchets if n is not None),
    )


def observed_path(table: SpendingTable) -> SpendingPath:
    """The spending as observed, named ``"as observed"``: the first path
    :func:`compare_regimes` expects, beside counterfactuals from :func:`saving_path`.

    Parameters
    ----------
    table
        The observed spending.
    """
    return SpendingPath(BASELINE, table)
