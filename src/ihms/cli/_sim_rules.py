"""Helpers of ``ihms sim run`` and ``ihms sim compare``: the payment rules a regime's
years are settled by (``--rules``) and a Deqing run's figures beside seed 004's."""

from __future__ import annotations

from ihms.cli._notes import notes_on_stderr
from ihms.errors import InputError


def seed_004_of(results):
    """A Deqing run's shares beside seed 004's figures for Deqing county (shown, not
    calibrated); None under another regime."""
    if results.regime != "deqing":
        return None
    from ihms.sim.seed004 import seed_004_comparison

    return seed_004_comparison(results)


def in_run_settlement(rules: str | None, regime: str):
    """The in-run settlement, under ``rules`` for ``regime`` when given: refused before
    any simulating when the rule set pays otherwise than the regime's built-in one (the
    simulated providers behave as that regime pays them)."""
    from ihms.payment import load_rules
    from ihms.sim._compare_notes import note_changed_measures
    from ihms.sim.compare import check_regime_rules
    from ihms.sim.funding import YearEndSettlement

    if rules is None:
        return YearEndSettlement()
    with notes_on_stderr():  # a rule file naming a former indicator id
        given = load_rules(rules)
    check_regime_rules(given, regime, given=rules, option="option '--rules'")
    note_changed_measures(regime, given)  # as `sim compare` says it of such a card
    return YearEndSettlement(rules={regime: given})


def rules_record(used, given: str | None) -> dict:
    """Name, version and digest of the rules a regime was settled by, and where they came
    from (the ``--rules`` value, or ``built in``)."""
    return {
        "name": used.name,
        "version": used.version,
        "digest": used.digest,
        "from": given or "built in",
    }


def rules_by_regime(values: list[str], regimes: tuple[str, ...]):
    """``compare``'s ``--rules REGIME=NAME|FILE`` values: the rules by regime and where
    each came from, refused before simulating when malformed, given twice, for a regime
    not compared, or of another kind than the regime's own."""
    from ihms.payment import load_rules
    from ihms.sim.compare import check_regime_rules

    given, sources = {}, {}
    for value in values:
        name, sep, source = value.partition("=")
        name, source = name.strip(), source.strip()
        if not sep or not name or not source:
            raise InputError(
                "option '--rules': expected REGIME=NAME|FILE (e.g. sanming=county.yaml), "
                f"got {value!r}"
            )
        if name in given:
            raise InputError(f"option '--rules': {name} is given rules twice")
        option = f"option '--rules': {value}"
        if name not in regimes:  # before reading the file
            check_regime_rules(None, name, regimes=regimes, given=source, option=option)
        with notes_on_stderr():  # a rule file naming a former indicator id
            rules = load_rules(source)
        check_regime_rules(rules, name, regimes=regimes, given=source, option=option)
        given[name], sources[name] = rules, source
    return given, sources
