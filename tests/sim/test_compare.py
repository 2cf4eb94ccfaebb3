import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.sim.compare import RegimeComparison


def test_summary_of_a_year_not_compared_names_the_years():
    frame = pd.DataFrame(
        {
            "regime": ["sanming", "sanming"],
            "year": [2018, 2019],
            "figure": ["hospitalization_rate", "hospitalization_rate"],
            "value": [16.0, 15.5],
        }
    )
    cmp = RegimeComparison(frame=frame, settlements={}, runs={"sanming": None})
    assert cmp.summary(2019).frame.loc[:, "Sanming IMPM"].tolist() == [15.5]  # built-in title
    with pytest.raises(
        InputError, match=r"year: expected one of the compared years \[2018, 2019\], got 2030"
    ):
        cmp.summary(2030)


def test_the_uses_of_the_kept_balance_follow_the_kept_balance():
    keys = ["clawback", "balance_kept", "staff_incentive", "cooperation"]
    frame = pd.DataFrame(
        {"regime": "sanming", "year": 2018, "figure": keys, "value": [5.0, 10.0, 6.0, 4.0]}
    )
    rows = list(
        RegimeComparison(frame=frame, settlements={}, runs={"sanming": None}).wide(2018).index
    )
    kept = rows.index("Balance kept by the consortium (million yuan)")
    # the "of which" rows break down the kept balance (6 + 4 = 10), so they sit under it
    assert rows[kept + 1 : kept + 3] == [
        "  of which staff salary incentives (million yuan)",
        "  of which cooperation among CH/THC/clinics (million yuan)",
    ]
    assert rows.index("Balance clawed back (million yuan)") < kept


def test_compared_labels_give_the_catalogue_unit():
    # The comparison table printed the hospitalization rate as "(%)" (seed 002's label),
    # but the catalogue defines it as admissions per 100 residents; a label must carry
    # the unit the catalogue computes in.
    from ihms.indicators import load_catalogue
    from ihms.sim.compare import COMPARED

    catalogue = load_catalogue()
    for indicator, label in COMPARED.items():
        unit = catalogue[indicator].unit
        expected = "(%)" if unit == "%" else f"({unit.split(',')[0]})"
        assert label.endswith(expected), (indicator, label, unit)


def test_the_library_refuses_a_county_too_small_for_deqing_before_simulating(
    youxi_config, youxi_system, monkeypatch
):
    # as `ihms sim compare --residents 5100` (tests/sim/test_cli_regimes.py): 5,100
    # residents × population.insured_share 0.97 ≈ 4,968 insured in 2017, under the 5,000
    # assigned people the minimum savings rate table of deqing-shared-savings starts at
    from ihms.sim import compare

    def no_simulating(*args, **kwargs):
        raise AssertionError("simulated before the check")

    monkeypatch.setattr(compare.CountySimulation, "run", no_simulating)
    with pytest.raises(InputError) as refused:
        compare.compare_regimes(
            youxi_config, regimes=("sanming", "deqing"), residents=5100, system=youxi_system
        )
    text = " ".join(str(refused.value).split())
    assert text.startswith("parameter 'residents': 5,100 residents give about 4,968 insured")
    assert "residents in 2017 (population.insured_share 0.97)" in text
    assert "minimum savings rate table of rules 'deqing-shared-savings'" in text
    assert "simulate at least 5,18" in text
