"""The year the reform began is the demo's baseline, not a reform year it settles and
scores (review of the demo report, session 18, finding 3: 2017 was settled and scored
under Sanming's rules — "Assessment failed", a 36.1-point consortium scorecard, 3 of 625
doctors passing — though Youxi's IMPM began in October 2017).

Seed 002: "Youxi implemented the IMPM policy in October 2017", and the global budget is
allocated "At the beginning of each year": a year's budget is set at its start, so the
first year a county's consortium is settled and scored under IMPM is the first whole
calendar year of the reform, 2018.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ihms.demo._payment import payment_sections
from ihms.demo._run import DemoContext
from ihms.payment import PopulationTable, SpendingTable

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
#: seed 002: "Youxi implemented the IMPM policy in October 2017"
REFORM_YEAR, REFORM_MONTH = 2017, 10
FIRST_WHOLE_YEAR = REFORM_YEAR + (REFORM_MONTH > 1)


def _text(section) -> str:
    return " ".join(" ".join(b.text.split()) for b in section.blocks if hasattr(b, "text"))


def _sections(tmp_path, simulation=None):
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.work_dir.mkdir(parents=True)
    if simulation is not None:
        ctx.artefacts["simulation"] = simulation
    return ctx, {s.id: s for s in payment_sections(ctx)}


@pytest.fixture(scope="module")
def youxi(tmp_path_factory):
    """The payment step on the example tables (no simulation before it): its context and
    sections, built once for the tests that only read them."""
    return _sections(tmp_path_factory.mktemp("youxi"))


def test_the_reform_year_is_neither_settled_nor_scored(youxi):
    ctx, sections = youxi
    spending = SpendingTable.read(EX / "spending.csv")
    settled = sorted(ctx.artefacts["payment_records"])
    assert settled[0] == FIRST_WHOLE_YEAR
    assert settled == [y for y in spending.years if FIRST_WHOLE_YEAR <= y <= 2019]
    baseline = sections[f"payment-{REFORM_YEAR}"]
    # no budget, settlement, assessment or salaries for the reform year
    assert {t.name for t in baseline.tables()} == {"baseline"}
    text = _text(baseline)
    assert "baseline" in baseline.title
    assert "neither settled nor scored" in text
    # the ratchet and the saving in the comparison start from the first whole year too
    table = next(t for t in sections["payment-compare"].tables() if t.name == "comparison")
    years = table.table.to_frame().index.get_level_values("year")
    assert sorted(set(years)) == settled


def test_the_baseline_shows_the_years_spending_from_the_table(youxi):
    _, sections = youxi
    year = SpendingTable.read(EX / "spending.csv").for_year(REFORM_YEAR)
    insured = PopulationTable.read(EX / "population.csv").rows[REFORM_YEAR].insured_population
    frame = next(t for t in sections[f"payment-{REFORM_YEAR}"].tables()).table.to_frame()
    amounts = frame["Amount (yuan)"]
    total = year.consortium_total + year.outside_county + year.private
    assert amounts["In the consortium's institutions"] * 100 == year.consortium_total
    assert amounts["Outside the county"] * 100 == year.outside_county
    assert amounts["At private hospitals"] * 100 == year.private
    assert amounts["Total insurance-paid care"] * 100 == total
    # per insured resident, to the fen, rounded half up
    per_head = (amounts["Per insured resident"] * 100).to_integral_value()
    assert abs(per_head * insured - total) <= insured / 2


def test_the_rules_section_says_why_the_first_year_is_not_settled(youxi):
    _, sections = youxi
    text = _text(sections["payment-rules"])
    assert "for illustration the rules are applied to whole years" not in text
    # the reform named from the regime's built-in rules (sanming: its title)
    assert (
        "Youxi began paying its consortium by Sanming IMPM (population-based global budget, "
        f"balance kept by the consortium) in October {REFORM_YEAR}; a global budget is set "
        "for a year at its start" in text
    )
    assert f"the first year settled and scored under its rules is {FIRST_WHOLE_YEAR}" in text
    # `ihms sim run` settles by the same rule (ihms.sim.regime.first_settled_year): no
    # whole-year settlement of the reform year, assessment taken as passed, any more
    assert "`ihms sim run` settles the same years, the whole years of the reform" in text
    assert "taken as passed" not in text


def _county(reform: str, name: str, regime: str = "sanming"):
    """A simulated county's config with its reform moved to ``reform`` (under ``regime``),
    and a delivery system named ``name``: what the payment step reads of
    ``artefacts["simulation"]``."""
    from types import SimpleNamespace

    from ihms.sim import load_sim_config
    from ihms.sim.load import example_file

    config = load_sim_config(example_file("youxi_sim.yaml"))
    moved = config.reform.model_copy(update={"date": reform, "regime": regime})
    config = config.model_copy(update={"reform": moved})
    return SimpleNamespace(config=config, system=SimpleNamespace(name=name))


def test_a_reform_in_january_settles_its_own_year_and_has_no_baseline(tmp_path):
    # Session 18 review R1, item 3: a reform from January 2018 is in force the whole of
    # 2018, so 2018 is settled; 2017 is no year "in which the reform ran only from
    # January" — it had no reform at all, and is no baseline year. The county is the
    # config's, not Youxi.
    ctx, sections = _sections(tmp_path, _county("2018-01", "Otherton county"))
    assert sorted(ctx.artefacts["payment_records"]) == [2018, 2019]
    assert "payment-2017" not in sections
    text = _text(sections["payment-rules"])
    assert "Otherton county began paying its consortium by Sanming IMPM" in text
    assert "in January 2018; a global budget is set for a year at its start" in text
    assert "the first year settled and scored under its rules is 2018." in text
    assert "baseline" not in text and "Youxi began" not in text


def test_a_reform_within_a_year_names_the_configs_county_and_month(tmp_path):
    # a reform from March 2017 (another county): 2017 is the baseline, run from March
    ctx, sections = _sections(tmp_path, _county("2017-03", "Otherton county"))
    assert sorted(ctx.artefacts["payment_records"]) == [2018, 2019]
    text = _text(sections["payment-rules"])
    assert "Otherton county began paying its consortium by Sanming IMPM" in text
    assert "in March 2017; a global budget" in text
    assert "2017, in which the reform ran only from March, is the baseline year" in text
    assert "reform began in March 2017" in sections["payment-2017"].title


def test_the_staff_text_dates_the_scorecards_from_the_configs_reform():
    # the simulated staff's activity rates change at the config's reform month, not at
    # Youxi's October 2017 whatever the config says
    from decimal import Decimal
    from types import SimpleNamespace

    from ihms.demo._payment_staff import DemoStaff, staff_text
    from ihms.payment import IndicatorValues, load_rules

    staff = DemoStaff(
        {2018: SimpleNamespace(members=())},
        IndicatorValues({}, source="test"),
        True,
        management_rate={2018: Decimal("0.5")},
        reform="2018-01",
    )
    text = staff_text(SimpleNamespace(year=2018), load_rules("sanming"), staff)
    assert "once Sanming's scorecards apply from January 2018" in text
    assert "October 2017" not in text


def test_the_reform_is_named_from_the_configs_regime_not_assumed_sanming(tmp_path):
    # Session 19 brief, item 3: "<county> began IMPM" whatever the config's regime.
    # Deqing's shared savings (seed 004), from April 2018: named from its rule set, and
    # the demo's settlements said to be Sanming's
    ctx, sections = _sections(tmp_path, _county("2018-04", "Otherton county", "deqing"))
    assert sorted(ctx.artefacts["payment_records"]) == [2019]
    text = _text(sections["payment-rules"])
    assert "IMPM in" not in text and "began IMPM" not in text
    assert (
        "Otherton county began paying its consortium by Deqing CIHO (total-cost-of-care "
        "shared savings, blended primary-care payment) in April 2018; shared savings are "
        "reckoned over a whole year against a benchmark from the year before" in text
    )
    assert "the first year settled and scored under Sanming's rules" in text
    assert "2018, in which the reform ran only from April, is the baseline year" in text
    # a county that stays on fee for service has no reform to name
    _, sections = _sections(
        tmp_path / "ffs", _county("2017-10", "Otherton county", "fee-for-service")
    )
    text = _text(sections["payment-rules"])
    assert "Otherton county stays on Fee for service (every claim paid, no budget)" in text
    assert "began paying" not in text
