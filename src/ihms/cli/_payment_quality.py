"""The facts of a settled year only the payer has — a benchmark it gives, the quality
measure — for ``ihms payment settle|distribute|compare``: checked before settling, every
one lacking named at once, and the quality score given as ``--quality-score``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ihms._listing import in_words
from ihms.errors import InputError


def _need_population_facts(
    rule_sets, pop, years, *, from_store: bool, score_option: str | None = None
) -> None:
    """Shared savings read facts of the year only the payer has (a given benchmark, the
    quality measure), which a store does not hold: name every one each year lacks, for
    every rule set, in one error, and say where to give them, before settling."""
    from ihms.payment import population_fields_lacking

    found: list[str] = []
    columns: dict[str, None] = {}
    for rules in rule_sets:
        if rules.shared_savings is None:
            continue
        # the years lacking the same fields, together (a whole column is usually missing)
        by_lack: dict[tuple[tuple[str, str], ...], list[int]] = {}
        for year in years:
            if year in pop.rows:  # else the settlement names the missing year
                lacking = population_fields_lacking(rules.shared_savings, pop.rows[year])
                if lacking:
                    by_lack.setdefault(tuple(lacking.items()), []).append(year)
        for lacking, lacking_years in by_lack.items():
            columns.update(dict.fromkeys(f for f, _ in lacking))
            need = "needs" if len(lacking_years) == 1 else "need"
            found.append(
                f"rules {rules.name!r}: {' and '.join(map(str, lacking_years))} {need} "
                f"{in_words(f for f, _ in lacking)} ({'; '.join(w for _, w in lacking)})"
            )
    if not found:
        return
    names = list(columns)
    # how the command takes a score instead ("--quality-score YEAR=SCORE"), if it does
    score = f" (or {score_option})" if score_option and "quality_score" in columns else ""
    where = (
        f"a store holds no quality measure or payer's benchmark: give --population FILE with "
        f"year, insured_population, family_physician_registered and {', '.join(names)} "
        f"columns (it replaces the store's population table){score}"
        if from_store
        else f"add {'columns' if len(names) > 1 else 'a column'} {in_words(names)} to "
        f"{pop.source}{score}"
    )
    raise InputError(
        f"shared savings need facts the population table lacks: {'; '.join(found)}; {where}"
    )


def quality_score_option(text: str | None):
    """``--quality-score`` as an exact fraction: ``0.92`` or ``92%``, between 0 and 1, read
    and refused (with the same hint) as the population table's ``quality_score`` column."""
    from ihms.payment._parse import SCORE_EXPECTED, parse_score, score_hint

    if text is None:
        return None
    try:
        return parse_score(text)
    except ValueError:
        raise InputError(
            f"--quality-score: expected {SCORE_EXPECTED}, got {text!r}{score_hint(text)}"
        ) from None


def _reads_quality_score(rules) -> bool:
    rule = rules.shared_savings
    return rule is not None and (rule.quality.standard is not None or rule.quality.sliding_scale)


def _check_quality_rules(*rule_sets) -> None:
    """Refuse ``--quality-score`` when none of the rule sets reads a quality score."""
    from ihms.payment import BUILTIN_RULES, load_rules

    if any(_reads_quality_score(r) for r in rule_sets):
        return
    users = [n for n in BUILTIN_RULES if _reads_quality_score(load_rules(n))]
    whys = [
        f"rules {r.name!r} "
        + (
            "share no savings"
            if r.shared_savings is None
            else "take whether the quality standard was met (quality_standard_met), not a score"
        )
        for r in rule_sets
    ]
    raise InputError(
        f"--quality-score: {'; '.join(whys)}, so a quality score would change nothing; it "
        f"applies to shared-savings rule sets gated on a score ({', '.join(users)})"
    )


def quality_scores_by_year(texts: Sequence[str], years: Sequence[int]) -> dict:
    """``payment compare --quality-score``: ``YEAR=SCORE`` (repeat the option for each
    year), each score read as ``settle`` reads it (:func:`quality_score_option`); a bare
    ``SCORE`` when a single year is compared. A year not compared, or given twice, is
    refused."""
    scores: dict = {}
    shown = ", ".join(map(str, years))
    for text in texts:
        year_text, sep, score_text = text.partition("=")
        if not sep:
            if len(years) != 1:
                raise InputError(
                    f"--quality-score {text}: which year? Compared: {shown}; give one score a "
                    f"year as YEAR=SCORE (--quality-score {years[0]}={text.strip()})"
                )
            year_text, score_text = str(years[0]), text
        try:
            year = int(year_text.strip())
        except ValueError:
            raise InputError(
                f"--quality-score {text}: expected YEAR=SCORE (2018=0.92 or 2018=92%), got "
                f"year {year_text.strip()!r}"
            ) from None
        if year not in years:
            raise InputError(
                f"--quality-score {text}: {year} is not compared (compared: {shown}; add "
                f"--year {year} or drop the score)"
            )
        if year in scores:
            raise InputError(f"--quality-score: {year} is given a score twice; give it once")
        scores[year] = quality_score_option(score_text)
    return scores


def _with_quality_score(pop, year: int, score, population: Path | None):
    """The population with ``--quality-score`` as the year's quality score; refused when
    the --population file gives the year one already."""
    import dataclasses

    from ihms.payment import PopulationTable

    if year not in pop.rows:
        return pop  # the settlement names the missing year
    given = pop.rows[year].quality_score
    if population is not None and given is not None:
        raise InputError(
            f"--quality-score {score}: --population {population} gives {year} a quality_score "
            f"of {given} already; give the score once (drop the option, or the file's value)"
        )
    rows = dict(pop.rows)
    rows[year] = dataclasses.replace(rows[year], quality_score=score)
    return PopulationTable(
        rows, source=f"{pop.source}, {year} quality score {score} from --quality-score"
    )
