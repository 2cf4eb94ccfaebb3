"""Spending inside the county (the consortium) and outside it, per year (user review 22s
L4): what ``sim run`` prints and ``summary.json`` records beside the settlement."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from typer.testing import CliRunner

from ihms.cli.main import app


def _from_tables(tables) -> pd.DataFrame:
    """Insurance paid and total cost by year, inside the county (its primary care apart)
    and outside it, summed from the written encounters and institutions tables."""
    inst = tables["institutions"].set_index("institution_id")
    enc = tables["encounters"].join(inst[["county_id", "tier"]], on="institution_id")
    enc = enc.assign(
        year=pd.to_datetime(enc["date"]).dt.year,
        inside=enc["county_id"] == "youxi",
        primary=enc["tier"].isin(["village_clinic", "primary_centre"]),
    )
    return enc


def test_spending_split_adds_up_from_the_written_encounters(small_run, small_tables):
    enc = _from_tables(small_tables)
    split = small_run.spending()
    assert sorted(split) == [2016, 2017, 2018, 2019]
    for year, row in split.items():
        e = enc[enc["year"] == year]
        inside, outside = e[e["inside"]], e[~e["inside"]]
        assert row["consortium_insurance_paid_fen"] == inside["insurance_paid_fen"].sum()
        assert (
            row["consortium_primary_care_insurance_paid_fen"]
            == inside.loc[inside["primary"], "insurance_paid_fen"].sum()
        )
        assert row["outside_county_insurance_paid_fen"] == outside["insurance_paid_fen"].sum()
        assert row["consortium_total_cost_fen"] == inside["total_cost_fen"].sum()
        assert row["outside_county_total_cost_fen"] == outside["total_cost_fen"].sum()
        assert row["outside_county_insurance_paid_fen"] > 0  # Youxi's residents go outside


def test_settled_years_charge_what_the_split_shows(small_run):
    split = small_run.spending()
    assert small_run.settlements  # Sanming from 2017-10 settles 2018 and 2019
    for year, record in small_run.settlements.items():
        assert record.consortium_fen == split[year]["consortium_insurance_paid_fen"]
        assert record.outside_county_fen == split[year]["outside_county_insurance_paid_fen"]


def test_spending_summary_in_yuan_with_the_outside_share(small_run):
    split = small_run.spending()
    frame = small_run.spending_summary().frame
    row = frame.loc[2019]
    inside = split[2019]["consortium_insurance_paid_fen"]
    outside = split[2019]["outside_county_insurance_paid_fen"]
    assert row["in the county (yuan)"] == Decimal(inside).scaleb(-2)
    assert row["outside the county (yuan)"] == Decimal(outside).scaleb(-2)
    share = row["outside the county (%)"]
    assert abs(share - 100 * outside / (inside + outside)) < 0.005


def test_sim_run_prints_and_records_the_split(tmp_path, example_path):
    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(example_path), "--residents", "800", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Insurance paid inside the county and outside it" in result.output
    import json

    summary = json.loads((out / "summary.json").read_text())
    spending = summary["spending"]
    assert sorted(spending) == ["2016", "2017", "2018", "2019"]
    for year, head in summary["settlements"].items():
        assert spending[year]["consortium_insurance_paid_fen"] == head["consortium_fen"]
        assert spending[year]["outside_county_insurance_paid_fen"] == head["outside_county_fen"]
