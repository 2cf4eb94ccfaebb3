"""What a user sees of a settlement at a prompt (one line, not every village clinic's
spending), and the caller's frames left as given by the whole settlement path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ihms.payment import (
    IndicatorValues,
    PopulationTable,
    SpendingTable,
    StaffRoster,
    load_rules,
    settle_year,
    settlement_inputs,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "payment"


def _frames() -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(EXAMPLES / f"{name}.csv")
        for name in ("spending", "population", "indicators", "staff")
    }


def _settle(frames: dict[str, pd.DataFrame]):
    rules = load_rules("sanming")
    inputs = settlement_inputs(
        rules,
        2018,
        spending=SpendingTable.from_frame(frames["spending"]),
        population=PopulationTable.from_frame(frames["population"]),
        indicators=IndicatorValues.from_frame(frames["indicators"]),
        staff=StaffRoster.from_frame(frames["staff"]),
    )
    return inputs, settle_year(rules, inputs)


def test_settlement_inputs_and_record_repr_in_one_line():
    inputs, record = _settle(_frames())
    text = repr(record)
    # before: the generated repr printed the inputs (every institution's spending), the
    # budget's steps, the scorecards and salaries: ~8,000 characters for 27 institutions
    # and ~48,000 for a simulated county's 400
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<SettlementRecord: rules='sanming 2018.1', kind='global_budget'")
    assert f"year=2018, charged_fen={record.charged_fen}" in text
    assert f"consortium_result_fen={record.consortium_result_fen}" in text
    shown = repr(inputs)
    assert "\n" not in shown and len(shown) < 250
    assert f"institutions={len(inputs.spending.consortium)}" in shown
    assert f"staff={len(inputs.staff)}" in shown


def test_the_records_parts_repr_in_one_line_each():
    _, record = _settle(_frames())
    # before: the budget printed its steps (~900 characters), the director's scorecard its
    # indicator lines (~1,000) and the salaries every staff member (~13,600)
    budget, card, pay = record.budget, record.assessment, record.salaries
    for part in (budget, card, pay):
        assert "\n" not in repr(part) and len(repr(part)) < 200
    assert repr(budget) == (
        f"<BudgetResult: year=2018, method='population', insured_population="
        f"{budget.insured_population}, global_budget_fen={budget.global_budget_fen}>"
    )
    assert repr(card) == (
        f"<ScorecardResult: role={card.role!r}, subject={card.subject!r}, "
        f"points='{float(card.total * 100):.1f}', passed={card.passed}>"
    )
    passed = sum(1 for line in pay.lines if line.passed)
    assert repr(pay) == (
        f"<SalaryResult: staff={len(pay.lines)}, passed={passed}, pool_fen={pay.pool_fen}, "
        f"unshared_fen={pay.unshared_fen}>"
    )


def test_the_settlement_path_leaves_the_callers_frames_as_given():
    frames = _frames()
    before = {name: frame.copy() for name, frame in frames.items()}
    _settle(frames)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)
