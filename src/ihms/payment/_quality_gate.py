"""The quality gate of shared savings: what a year's population facts must give for it
(:func:`population_fields_lacking`, every lacking field at once) and the final sharing
rate it leaves (:func:`final_sharing_rate`: the full rate, the sliding scale's rate ×
quality score, or 0). Used by :mod:`ihms.payment.shared_savings`, which re-exports
:func:`population_fields_lacking`."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ihms.errors import InputError
from ihms.payment.rules import SharedSavingsRule
from ihms.payment.tables import CountyYear

__all__ = ["final_sharing_rate", "percent_text", "population_fields_lacking"]


def percent_text(rate: Decimal) -> str:
    """A rate as a percentage to 4 significant digits rounded half up, trailing zeros
    dropped (50%, 2.5%, 3.333%, 1.2345% as 1.235%), in Decimal arithmetic."""
    pct = Decimal(rate) * 100
    if not pct:
        return "0%"
    shown = pct.quantize(Decimal(1).scaleb(pct.adjusted() - 3), rounding=ROUND_HALF_UP)
    return f"{shown.normalize():f}%"


def final_sharing_rate(
    rule: SharedSavingsRule,
    *,
    quality_score: Decimal | None,
    standard_met: bool | None,
    alternative_met: bool | None,
) -> tuple[Decimal, bool, str]:
    q = rule.quality
    if q.standard is not None:
        if quality_score is None:
            raise InputError(
                f"shared savings: the quality standard is a score of {percent_text(q.standard)}, "
                "so the year needs a quality_score"
            )
        met = quality_score >= q.standard
        why = f"quality score {percent_text(quality_score)} {'≥' if met else '<'} standard {percent_text(q.standard)}"
    else:
        if standard_met is None:
            raise InputError(
                "shared savings: the payer determines the quality standard, so the year needs "
                "quality_standard_met (true/false)"
            )
        met = standard_met
        why = f"quality standard {'met' if met else 'not met'} (as determined by the payer)"
    if met:
        return rule.sharing_rate, True, why
    if q.sliding_scale:
        if q.alternative is not None:
            if quality_score is None:
                raise InputError(
                    f"shared savings: the alternative standard is a score of "
                    f"{percent_text(q.alternative)}, so the year needs a quality_score"
                )
            alt = quality_score >= q.alternative
        elif alternative_met is None:
            raise InputError(
                "shared savings: the quality standard was not met, and under the sliding "
                "scale whether the payer's alternative standard was met decides what is "
                "shared, so the year needs alternative_quality_standard_met (true/false)"
            )
        else:
            alt = alternative_met
        if alt:
            if quality_score is None:
                raise InputError("shared savings: the sliding scale needs a quality_score")
            return (
                rule.sharing_rate * quality_score,
                False,
                why
                + f"; alternative standard met: sliding scale {percent_text(rule.sharing_rate)} × {quality_score}",
            )
        return Decimal(0), False, why + "; alternative standard not met"
    return Decimal(0), False, why


def population_fields_lacking(rule: SharedSavingsRule, county: CountyYear) -> dict[str, str]:
    """The population table's fields a year settled under ``rule`` needs and lacks, each
    with why, all at once (so a user adds every column in one pass, not one error at a
    time).

    ``benchmark_per_capita_fen`` when the payer gives the benchmark; ``quality_score``
    when the standard is a score; ``quality_standard_met`` when the payer determines it;
    and under the sliding scale, when the standard is not met (or not known to be),
    ``alternative_quality_standard_met`` when the payer determines the alternative one
    (it decides between sharing and not: never taken as missed; asked for beside an
    unknown standard, for the case it is missed, rather than in a second error), and
    ``quality_score`` when the alternative is a score or is said to be met (the scale
    multiplies by the score).

    Parameters
    ----------
    rule : SharedSavingsRule
        The rule set's shared-savings part the year is settled under.
    county : CountyYear
        The county's population facts for the year.

    Returns
    -------
    dict of str to str
        Each lacking field with why it is needed; empty when nothing lacks.

    Examples
    --------
    >>> from ihms.payment import load_rules
    >>> list(population_fields_lacking(load_rules("mssp").shared_savings,
    ...                                CountyYear(year=2018, insured_population=10_000)))
    ['benchmark_per_capita_fen', 'quality_standard_met', 'alternative_quality_standard_met']
    """
    q = rule.quality
    lacking: dict[str, str] = {}
    if rule.benchmark_method == "given" and county.benchmark_per_capita_fen is None:
        lacking["benchmark_per_capita_fen"] = (
            "the payer gives the benchmark per capita: in fen, or in yuan as "
            "benchmark_per_capita_yuan"
        )
    score = county.quality_score
    if q.standard is not None:
        if score is None:
            lacking["quality_score"] = (
                f"the quality standard is a score of {percent_text(q.standard)}"
            )
        met: bool | None = None if score is None else score >= q.standard
        missed = f"if the quality score is below the standard of {percent_text(q.standard)}"
    else:
        met = county.quality_standard_met
        if met is None:
            lacking["quality_standard_met"] = (
                "the payer determines whether the quality standard was met: true or false"
            )
        missed = "if the quality standard was not met"
    if not q.sliding_scale or met is True:
        return lacking
    if q.alternative is not None:
        if score is None:
            lacking.setdefault(
                "quality_score",
                f"the alternative standard is a score of {percent_text(q.alternative)}, and the "
                "sliding scale shares at the sharing rate × the quality score",
            )
        return lacking
    alternative = county.alternative_quality_standard_met
    if alternative is None:
        # asked for with the standard when that is unknown too, not in a second error
        # once the standard is given as missed; never taken as missed
        decides = (
            "between sharing at the sharing rate × the quality score and sharing nothing: "
            "true or false"
        )
        lacking["alternative_quality_standard_met"] = (
            "the quality standard was not met, and under the sliding scale whether the "
            f"payer's alternative standard was met decides {decides}"
            if met is False
            else f"{missed}, whether the payer's alternative standard was met decides, under "
            f"the sliding scale, {decides} (a year meeting the standard may leave it empty)"
        )
    elif alternative and score is None:
        lacking["quality_score"] = (
            "the alternative standard is met, and the sliding scale shares at the sharing "
            "rate × the quality score"
        )
    return lacking
