"""Scorecard indicator values, and which indicators are rates.

**Indicator values** (long format): ``year``, ``subject`` (``consortium`` for the
consortium's assessment — or a name the spending table reads as the consortium, such as
``医共体``, read as it with a note — otherwise a staff id), ``indicator``, ``value``. An indicator
whose id ends in ``_rate`` or ``_share`` is a rate (see :func:`is_rate`): its value lies
between 0 and 1 and is written as a fraction (``0.784``) or a percentage (``78.4%``); a
bare ``78.4`` is refused rather than scored as 7,840 %. The settlement's own
``fund_balance_rate`` (balance ÷ budget) is negative after an overspend, so only its upper
bound 1 is checked. Other indicators are counts (``health_education_sessions``,
``thc_consultation_days``): any number ≥ 0, so ``-23`` sessions is refused rather than
scored as none.

An indicator has one id everywhere: the indicator catalogue's. A name users may have
saved before (in a rule file copied from ``ihms payment rules``, or an indicator-value
table) is read as the catalogue's id (:data:`INDICATOR_ALIASES`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms._repr import brief_repr
from ihms._warnings import caller_stacklevel
from ihms.errors import IhmsWarning, InputError
from ihms.payment._collector import Collector
from ihms.payment._names import CONSORTIUM_NAMES
from ihms.payment._parse import file_row, parse_decimal, read_mapped

if TYPE_CHECKING:
    from ihms.data.column_map import ColumnMap
    from ihms.payment.rules import PaymentRules

__all__ = [
    "CHANGED_MEASURES",
    "FUND_BALANCE_RATE",
    "INDICATOR_ALIASES",
    "INDICATOR_COLUMNS",
    "SCORED_INSTEAD",
    "IndicatorValues",
    "canonical_indicator_id",
    "is_rate",
    "note_changed_measures",
    "scored_instead_hint",
]


#: The indicator-value table's columns.
INDICATOR_COLUMNS = ("year", "subject", "indicator", "value")

#: Indicator the settlement computes itself: (GB − charged spending) / GB.
FUND_BALANCE_RATE = "fund_balance_rate"

#: Former scorecard ids → the indicator catalogue's id for the same measure. Until
#: 2026-11-23 (before 0.1.0 was released) the scorecards called the share of healthcare (preventive) outpatient visits made in
#: primary care ``primary_care_healthcare_share``; the catalogue computes it as
#: ``healthcare_visits_primary_share`` (primary-care preventive visits ÷ all preventive
#: visits; a percentage there, a fraction on a scorecard).
INDICATOR_ALIASES: Mapping[str, str] = {
    "primary_care_healthcare_share": "healthcare_visits_primary_share",
}


#: Indicators the built-in cards scored until 2026-11-25 (the management rates) or
#: 2026-11-26 (the preventive-visit share) → the one each scores in its
#: place: sanming's director card scores health promotion by the hypertension and diabetes
#: control rates, as Zhong et al. 2023 name them, no longer by the management rates, and
#: (since 2026-11-26) cooperation by the primary-care share of all outpatient contacts,
#: their Table 4's 诊疗人次, no longer of preventive visits (another measure: a value of
#: one is never read as the other).
SCORED_INSTEAD: Mapping[str, str] = {
    "hypertension_management_rate": "hypertension_control_rate",
    "diabetes_management_rate": "diabetes_control_rate",
    "healthcare_visits_primary_share": "outpatient_contacts_primary_share",
}


#: Indicators whose measure changed under a card that still names them → the date, what
#: the id counts since and what a card naming it before meant (session 35's review, A5):
#: a rule file saved from the built-in Sanming card before 2026-11-26 scores
#: ``healthcare_visits_primary_share`` for the primary-care share of all outpatient
#: contacts, which the built-in card now scores as its :data:`SCORED_INSTEAD` successor.
CHANGED_MEASURES: Mapping[str, tuple[str, str, str, str, str]] = {
    "healthcare_visits_primary_share": (
        "2026-11-26",
        "the primary-care share of preventive encounters (health examinations) only",
        "the share of all outpatient contacts",
        "健康门诊（健康体检等预防性就诊）的基层占比",
        "全部诊疗人次的基层占比",
    ),
}


def note_changed_measures(
    rules: PaymentRules,
    *,
    settled: str,
    settled_zh: str,
    regime: str | None = None,
    roles=None,
) -> None:
    """Warn (:class:`~ihms.errors.IhmsWarning`, a note in the CLI) for each scorecard
    indicator of ``rules`` whose measure changed (:data:`CHANGED_MEASURES`): it is still
    scored as the card names it, with values counting what the id counts now, which is
    not what the card meant. ``sim compare`` and ``payment ... --store`` say it alike.

    Parameters
    ----------
    rules
        The rule set whose scorecards are settled.
    settled
        What is settled, and from what: the sentence's opening, ended by "with '<id>' as
        the card names it".
    settled_zh
        The same opening in Chinese (the note's Chinese under ``--lang zh``), ended by
        "按评分表所写的 '<id>' 结算".
    regime
        The regime ``rules`` are given for, named after them (None: none named).
    roles
        The roles whose cards are settled with such values (None: every card's).
    """
    for role, card in rules.staff_pay.scorecards.items():
        if roles is not None and role not in roles:
            continue
        for indicator in (i.id for i in card.indicators if i.id in CHANGED_MEASURES):
            since, counts, meant, counts_zh, meant_zh = CHANGED_MEASURES[indicator]
            instead = SCORED_INSTEAD[indicator]
            named = "" if regime is None else f" ({regime})"
            named_zh = "" if regime is None else f"（{regime}）"
            warnings.warn(
                IhmsWarning(
                    f"rules {rules.name} v{rules.version}{named}: scorecard {role!r} scores "
                    f"{indicator!r}, which since {since} counts {counts}; a card naming it "
                    f"before then meant {meant}, which the built-in card scores as "
                    f"{instead!r}. {settled} with {indicator!r} as the card names it; name "
                    f"{instead!r} on the card to score what it meant",
                    zh=f"规则 {rules.name} v{rules.version}{named_zh}：考核评分表 {role!r} "
                    f"考核 {indicator!r}，该指标自 {since} 起只统计{counts_zh}；此前写有该指标"
                    f"的评分表指的是{meant_zh}，内置评分表以 {instead!r} 考核。{settled_zh}"
                    f"按评分表所写的 {indicator!r} 结算；要考核其原意，请在评分表中改写为 "
                    f"{instead!r}",
                ),
                stacklevel=caller_stacklevel(),
            )


def scored_instead_hint(indicator: str, known) -> str:
    """The hint for ``indicator`` that no card of the rules scores, when they score its
    successor of :data:`SCORED_INSTEAD` (``known``: the ids they score); else "".

    Examples
    --------
    >>> scored_instead_hint("diabetes_management_rate", {"diabetes_control_rate"})
    " — the scorecard scores 'diabetes_control_rate' in its place (another measure, not read as it): give that"
    >>> scored_instead_hint("diabetes_management_rate", {"diabetes_management_rate"})
    ''
    """
    instead = SCORED_INSTEAD.get(indicator)
    if instead is None or instead not in known or indicator in known:
        return ""
    return (
        f" — the scorecard scores {instead!r} in its place (another measure, not read as "
        "it): give that"
    )


def canonical_indicator_id(indicator: str) -> str:
    """The catalogue's id for ``indicator``: itself, unless it is a former name in
    :data:`INDICATOR_ALIASES`.

    Examples
    --------
    >>> canonical_indicator_id("primary_care_healthcare_share")
    'healthcare_visits_primary_share'
    >>> canonical_indicator_id("hypertension_management_rate")
    'hypertension_management_rate'
    """
    return INDICATOR_ALIASES.get(indicator, indicator)


def _former_names(indicator: str) -> str:
    former = [a for a, c in INDICATOR_ALIASES.items() if c == indicator]
    return f" (or its former id {', '.join(map(repr, former))})" if former else ""


def _note_former_ids(given: list[str | None], source: str, first_row: int) -> None:
    """Warn (:class:`~ihms.errors.IhmsWarning`, a note in the CLI) for each former id a
    table uses, naming its rows (the first record's is ``first_row``) and the id it is
    read as."""
    for former, current in INDICATOR_ALIASES.items():
        rows = [first_row + pos for pos, i in enumerate(given) if i == former]
        if rows:
            where, where_zh = (
                (f"row {rows[0]}", f"第 {rows[0]} 行")
                if len(rows) == 1
                else (
                    f"{len(rows):,} rows, from row {rows[0]}",
                    f"自第 {rows[0]} 行起共 {len(rows):,} 行",
                )
            )
            warnings.warn(
                IhmsWarning(
                    f"{source}: indicator {former!r} ({where}) is the former id of "
                    f"{current!r}; read as {current!r} (use that id from now on)",
                    zh=f"{source}：指标 {former!r}（{where_zh}）是 {current!r} 的旧编码，按 "
                    f"{current!r} 读入（今后请用该编码）",
                ),
                stacklevel=caller_stacklevel(),
            )


def canonical_values(values: Mapping[str, Decimal], *, where: str) -> dict[str, Decimal]:
    """``values`` with former ids read as the catalogue's; one measure given under both
    of its names is refused (``where`` names the subject in the message)."""
    out: dict[str, Decimal] = {}
    for name, v in values.items():
        key = canonical_indicator_id(name)
        if key in out:
            former = ", ".join(repr(a) for a, c in INDICATOR_ALIASES.items() if c == key)
            raise InputError(
                f"{where}: {key!r} is given twice, once under its former id {former}; "
                f"give it once, as {key!r}"
            )
        out[key] = v
    return out


def is_rate(indicator: str) -> bool:
    """Whether an indicator is a rate (its id ends in ``_rate`` or ``_share``), whose
    values lie between 0 and 1 (0–100 %).

    Parameters
    ----------
    indicator : str
        An indicator id (``hypertension_management_rate``).
    """
    return indicator.endswith(("_rate", "_share"))


def _value_ok(indicator: str, value: Decimal) -> bool:
    if not is_rate(indicator):  # a count
        return value >= 0
    if indicator == FUND_BALANCE_RATE:  # negative after an overspend
        return value <= 1
    return 0 <= value <= 1


def _value_problem(indicator: str, cell: object) -> str:
    text = str(cell).strip()
    if not is_rate(indicator):
        return (
            f"{indicator!r} is a count (its id does not end in _rate or _share): expected "
            f"a count ≥ 0, got {text!r}"
        )
    low = "at most 1" if indicator == FUND_BALANCE_RATE else "between 0 and 1"
    msg = f"{indicator!r} is a rate: expected a value {low} (a fraction, or a percentage such as 78.4%), got {text!r}"
    if not text.endswith("%"):
        try:
            bare = Decimal(text.replace(",", ""))
        except ArithmeticError:
            return msg
        if 1 < bare <= 100:
            msg += f"; if {text} is a percentage, write {text}%"
    return msg


@dataclass(frozen=True)
class IndicatorValues:
    """Scorecard indicator values: ``(year, subject) → {indicator: value}``."""

    values: Mapping[tuple[int, str], Mapping[str, Decimal]] = field(default_factory=dict)
    source: str = "indicator values"
    #: ``(year, subject, indicator) → row`` of the file (header = row 1), when read from one.
    rows: Mapping[tuple[int, str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if any(i in INDICATOR_ALIASES for v in self.values.values() for i in v):
            values = {
                key: canonical_values(v, where=f"{self.source}, {key[1]} in {key[0]}")
                for key, v in self.values.items()
            }
            rows = {(y, s, canonical_indicator_id(i)): r for (y, s, i), r in self.rows.items()}
            object.__setattr__(self, "values", values)
            object.__setattr__(self, "rows", rows)

    def __repr__(self) -> str:
        # the generated repr printed every value and its row (~12,500 characters for the
        # example county's four years)
        return brief_repr(
            self,
            source=self.source,
            years=tuple(sorted({year for year, _ in self.values})),
            subjects=len({subject for _, subject in self.values}),
            values=sum(len(v) for v in self.values.values()),
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "indicator values",
        renamed: Mapping[str, str] | None = None,
    ) -> IndicatorValues:
        """Validate ``frame``; ``renamed`` as :meth:`SpendingTable.from_frame
        <ihms.payment.SpendingTable.from_frame>` takes it."""
        c = Collector(source, renamed, first_row=file_row(frame, 0))
        c.require_columns(frame, ("year", "subject", "indicator", "value"))
        years = c.year(frame)
        # the consortium under the spending table's names for it (医共体) is the consortium
        subj = c.coded(
            frame, "subject", CONSORTIUM_NAMES, table="indicators", expected="a subject id"
        )
        given = c.text(frame, "indicator", expected="an indicator id")
        ind = [None if i is None else canonical_indicator_id(i) for i in given]
        val = c.column(frame, "value", parse_decimal, expected="a number")
        for pos, (name, v) in enumerate(zip(ind, val, strict=True)):
            if name is not None and v is not None and not _value_ok(name, v):
                val[pos] = None
                c.add(c.row(pos), "value", _value_problem(name, frame["value"].iloc[pos]))
        keys = [None if None in key else key for key in zip(years, subj, ind, strict=True)]
        repeats = c.duplicates(
            keys,
            column="indicator",
            describe=lambda k: f"{k[2]!r}{_former_names(k[2])} for {k[1]!r} in {k[0]}",
            hint="; give one value per year, subject and indicator",
        )
        out: dict[tuple[int, str], dict[str, Decimal]] = {}
        first: dict[tuple[int, str, str], int] = {}
        for pos, key in enumerate(keys):
            if key is None or val[pos] is None or pos in repeats:
                continue
            first[key] = c.row(pos)
            out.setdefault((years[pos], subj[pos]), {})[ind[pos]] = val[pos]
        c.raise_if_any("indicator values")
        _note_former_ids(given, source, c.first_row)  # once the table is read: a refused one is not
        return cls(out, source, first)

    @classmethod
    def read(cls, path: str | Path, *, columns: ColumnMap | None = None) -> IndicatorValues:
        """Read and validate an indicator-value table (.csv, .xlsx,
        .dta, .sav or .parquet); ``columns``: a column map
        (:func:`ihms.data.read_column_map` with :data:`ihms.payment.TABLE_COLUMNS`) whose
        ``indicators`` entries read the file's own headers as the table's columns."""
        frame, renamed = read_mapped(path, "indicators", columns)
        return cls.from_frame(frame, source=str(path), renamed=renamed)

    def for_subject(self, year: int, subject: str) -> Mapping[str, Decimal]:
        """``indicator → value`` (rates as fractions) for one year and subject; empty if none.

        Parameters
        ----------
        year : int
            The calendar year.
        subject : str
            ``"consortium"`` or a staff id.
        """
        return self.values.get((year, subject), {})

    def subjects(self, year: int) -> list[str]:
        """The subjects with values in ``year``, sorted.

        Parameters
        ----------
        year : int
            The calendar year.
        """
        return sorted(s for (y, s) in self.values if y == year)
