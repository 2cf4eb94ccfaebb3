"""Choosing a regime on the command line: ``ihms sim run --regime deqing`` settles each
year under Deqing's shared savings and family-physician fee (printed and in
summary.json, money in integer fen), ``ihms sim compare --regime`` runs the regimes
asked for side by side, and a regime that cannot be run as asked is refused before any
simulating with a message naming the option."""

from __future__ import annotations

import json
import shutil

import yaml
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sim(example_path, *args):
    return runner.invoke(app, ["sim", *args[:1], "--config", str(example_path), *args[1:]])


def test_a_deqing_run_prints_and_records_each_years_settlement(tmp_path, example_path):
    out = tmp_path / "deqing"
    result = _sim(example_path, "run", "--regime", "deqing", "--residents", "6000", "--out", out)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["regime"] == "deqing"
    assert summary["rules"]["name"] == "deqing-shared-savings"
    settled = summary["settlements"]
    assert sorted(settled) == ["2018", "2019"]  # the whole years of the 2017-10 reform
    text = _flat(result.output)
    assert "Year-end settlements, regime deqing (deqing-shared-savings)" in text
    for year, head in settled.items():
        for key in (
            "benchmark_fen",
            "savings_fen",
            "shared_savings_fen",
            "family_physician_fee_fen",
        ):
            assert isinstance(head[key], int), (year, key)
        # savings = benchmark − total cost of care, and the benchmark is per capita × insured
        assert head["savings_fen"] == head["benchmark_fen"] - head["charged_fen"]
        assert head["benchmark_fen"] % head["benchmark_per_capita_fen"] == 0
        # 100 yuan per registered member-year, paid on member-months: fee = member-months
        # x 10,000 fen / 12 rounded half up, so 12 x fee is within 6 fen of a whole
        # number of member-months x 10,000 (e.g. 33,848,333 x 12 = 406,179,996 is 4 short
        # of 40,618 member-months x 10,000)
        off = 12 * head["family_physician_fee_fen"] % 10_000
        assert min(off, 10_000 - off) <= 6, (year, head["family_physician_fee_fen"])
        for key in ("benchmark_fen", "family_physician_fee_fen"):
            fen = head[key]
            assert f"{fen // 100:,}.{fen % 100:02d}" in text, (year, key)


def test_regime_and_rules_that_do_not_match_are_refused(tmp_path, example_path):
    out = tmp_path / "refused"
    base = ["run", "--residents", "6000", "--out", out]
    result = _sim(example_path, *base, "--regime", "deqing", "--rules", "sanming")
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert "option '--rules': sanming is a global budget rule set (sanming)" in text
    assert "the deqing regime's providers are paid by a shared savings rule set" in text
    assert "ihms payment rules deqing-shared-savings" in text
    assert not out.exists()  # before any simulating


def test_a_county_too_small_for_the_minimum_savings_rate_table_is_refused(tmp_path, example_path):
    out = tmp_path / "small"
    result = _sim(example_path, "run", "--regime", "deqing", "--residents", "3000", "--out", out)
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert "option '--residents': 3,000 residents give about 2,9" in text
    assert "fewer than the 5,000 assigned people" in text
    assert not out.exists()


def test_the_minimum_savings_rate_table_is_checked_on_insured_not_all_residents(
    tmp_path, example_path
):
    # 5,100 residents are over the table's 5,000, but shared savings are reckoned on the
    # insured (population.insured_share 0.97): about 4,997 in 2018 (the first settled year), so the settlement would
    # stop the run at its first settled year. Refused before simulating, naming the insured.
    for command in ("run", "compare"):
        out = tmp_path / command
        args = ["--regime", "deqing", "--residents", "5100"]
        result = _sim(example_path, command, *args, *(["--out", out] if command == "run" else []))
        assert result.exit_code == 2, result.output
        text = _flat(result.output)
        assert "5,100 residents give about 4,997 insured residents in 2018" in text
        assert "population.insured_share 0.97" in text
        assert "the assigned population of shared savings is the insured" in text
        assert "simulate at least 5,154" in text
        assert not out.exists()


def test_an_unknown_regime_and_one_the_config_lacks_are_refused(tmp_path, example_path):
    result = _sim(example_path, "run", "--regime", "deqin", "--out", tmp_path / "x")
    assert result.exit_code == 2, result.output
    assert "option '--regime': expected one of" in _flat(result.output)
    assert "'deqin'" in result.output
    # a county file written before Deqing's regime existed: loads, and runs the others
    data = yaml.safe_load(example_path.read_text(encoding="utf-8"))
    del data["simulation"]["regimes"]["deqing"]
    del data["simulation"]["staff"]["regimes"]["deqing"]
    shutil.copy(example_path.parent / "youxi.yaml", tmp_path / "youxi.yaml")
    old = tmp_path / "old_sim.yaml"
    old.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = _sim(old, "run", "--regime", "deqing", "--out", tmp_path / "y")
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert "option '--regime' 'deqing': the config describes no provider behaviour" in text
    assert "add a regimes.deqing section" in text
    result = _sim(old, "compare", "--regime", "sanming", "--regime", "deqing")
    assert result.exit_code == 2 and "regimes.deqing" in _flat(result.output)


def test_compare_shows_the_regimes_asked_for(example_path, simulated_once):
    import ihms.sim.compare

    simulated_once(ihms.sim.compare, "compare_regimes")  # the table and --json: one comparison
    args = ["compare", "--regime", "sanming", "--regime", "deqing", "--residents", "6000"]
    result = _sim(example_path, *args, "--year", "2018")
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "Sanming IMPM" in text and "Deqing CIHO" in text
    assert "Fee for service" not in text  # only those asked for
    for line in ("Global budget", "Shared-savings benchmark", "Family-physician fees paid"):
        assert line in text
    result = _sim(example_path, *args, "--json")
    assert result.exit_code == 0, result.output
    frame = json.loads(result.output)["figures"]
    assert {row["regime"] for row in frame} == {"sanming", "deqing"}
    benchmark = {
        row["regime"]: row["value"]
        for row in frame
        if row["figure"] == "benchmark" and row["year"] == 2018
    }
    # a benchmark under Deqing's shared savings; none under Sanming's global budget
    assert benchmark["deqing"] > 0 and benchmark["sanming"] is None
