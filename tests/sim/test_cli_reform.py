"""``--reform`` on ``sim run``, ``sim compare`` and ``sim calibrate`` (session 20 user
review #6, #10): one option, read as ``its``/``growth`` read months
(:func:`ihms._months.month_of`: ``2018-4``, ``2018年4月``), and checked alike;
a reform month that cannot be one says why and names the months allowed.

Youxi's example config: period 2016-01 … 2019-12, study window 2016-02 … 2019-11 (seed
002's T = 1 … 46), so a reform may begin from 2016-03 (a month of the window before it)
to 2019-11.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.sim import with_overrides

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("written", ["2018-4", "2018年4月", "2018/04", "２０１８年４月"])
def test_the_reform_month_is_read_as_its_and_growth_read_months(youxi_config, written):
    assert with_overrides(youxi_config, reform=written).reform.date == "2018-04"


@pytest.mark.parametrize(
    ("reform", "words"),
    [
        # the period's first month is inside the period: say what is wrong with it
        ("2016-01", "must be after the first month of the study window 2016-02 … 2019-11: "
                    "the first month allowed is 2016-03"),
        ("2016-02", "the first month allowed is 2016-03"),
        ("2015-06", "outside the period 2016-01 … 2019-12: a month from 2016-03 to 2019-11"),
        ("2019-12", "after the study window 2016-02 … 2019-11: the last month allowed is 2019-11"),
    ],
)  # fmt: skip
def test_a_reform_month_that_cannot_be_one_names_the_months_allowed(youxi_config, reform, words):
    with pytest.raises(InputError) as info:
        with_overrides(youxi_config, reform=reform)
    text = str(info.value)
    assert words in text and "outside the period 2016-01 … 2019-12 (it must" not in text


@pytest.mark.parametrize("command", ["run", "compare", "calibrate"])
def test_each_command_reads_and_checks_reform_alike_before_simulating(
    tmp_path, example_path, command
):
    out = ["--out", str(tmp_path / "o")] if command == "run" else []
    bad = runner.invoke(
        app, ["sim", command, "--config", str(example_path), "--reform", "2016-01", *out]
    )
    assert bad.exit_code == 2, bad.output
    text = _flat(bad.output)
    assert "option '--reform': 2016-01 must be after the first month" in text
    assert "the first month allowed is 2016-03" in text
    written = runner.invoke(
        app, ["sim", command, "--config", str(example_path), "--reform", "2018-13", *out]
    )
    assert written.exit_code == 2 and "option '--reform'" in _flat(written.output)
    assert "2017年10月" in _flat(written.output)  # the forms read are named
    assert not (tmp_path / "o").exists()


def test_compare_runs_each_regime_from_the_reform_given(tmp_path, example_path):
    # user review #6: `sim compare --reform` matched `sim run --reform` only after the
    # config was copied and edited. A reform in April 2018 leaves 2018 the baseline year
    # (not settled) and settles 2019 (ihms.payment.reform.first_settled_year).
    common = ["--config", str(example_path), "--residents", "1500", "--regime", "sanming"]
    ran = runner.invoke(
        app, ["sim", "run", *common, "--reform", "2018-4", "--out", str(tmp_path / "r"), "--json"]
    )
    assert ran.exit_code == 0, ran.output
    summary = json.loads(ran.output)
    assert summary["reform"] == "2018-04" and summary["settled_years"]["settled"] == [2019]
    compared = runner.invoke(app, ["sim", "compare", *common, "--reform", "2018年4月", "--json"])
    assert compared.exit_code == 0, compared.output
    figures = {(r["year"], r["figure"]): r["value"] for r in json.loads(compared.output)["figures"]}
    # compare shows money in millions of yuan; the run's summary in fen
    assert figures[(2019, "charged")] == pytest.approx(
        summary["settlements"]["2019"]["charged_fen"] / 1e8, rel=1e-9
    )
    assert (
        figures.get((2018, "global_budget")) is None
        or figures[(2018, "global_budget")] != (figures[(2018, "global_budget")])
    )  # 2018: baseline, no budget (NaN)


@pytest.mark.parametrize(
    ("args", "said", "unsaid"),
    [
        # user review #10: a reform from July 2019 has its first whole year (2020) after
        # the period; the summary said none was settled, then "Reform years settled
        # under rules".
        (["--reform", "2019-07"], "No reform year was settled; rules sanming", ("settled under",)),
        # no reform at all: the note says so, and no rules are named as settling anything
        (
            ["--regime", "fee-for-service"],
            "no reform: no year is settled",
            ("settled under", "would"),
        ),
    ],
)
def test_a_run_that_settles_no_year_does_not_say_it_settled_some(
    tmp_path, example_path, args, said, unsaid
):
    ran = runner.invoke(
        app,
        ["sim", "run", "--config", str(example_path), "--residents", "800", *args,
         "--out", str(tmp_path / "r")],
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    text = _flat(ran.output)
    assert said in text
    assert not [words for words in unsaid if words in text.replace(said, "")]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        # seed 002's first figures are of 2016: a reform in 2016 leaves none before it
        (["--reform", "2016-12"], "no figure of Zhong et al. 2023"),
        # tuning fits the figures after Youxi's October 2017 reform too
        (["--reform", "2018年1月", "--tune"], "got 2018-01"),
    ],
)
def test_calibrate_names_the_option_a_refused_reform_came_from(example_path, args, words):
    result = runner.invoke(app, ["sim", "calibrate", "--config", str(example_path), *args])
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert text.startswith("error: option '--reform':") and words in text
    assert "key 'simulation.reform.date'" not in text


def test_a_parquet_run_imported_into_a_store_still_says_its_reform(
    tmp_path, small_config, youxi_system
):
    # the store's `source` of an imported folder is the folder's path, so the month could
    # not be read from it; the structured key travels through dataset.json
    from ihms.data import Store
    from ihms.data.io import import_folder
    from ihms.payment.reform import store_reform
    from ihms.sim import CountySimulation, ParquetSink

    folder = tmp_path / "tables"
    CountySimulation(small_config, reform="2018-04", residents=800, system=youxi_system).run(
        sink=ParquetSink(folder)
    )
    meta = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    assert meta["producer_details"] == {
        "regime": "sanming",
        "baseline_regime": "fee-for-service",
        "reform": "2018-04",
    }
    import_folder(folder, tmp_path / "ihms.duckdb", pseudonymiser=None)
    with Store(tmp_path / "ihms.duckdb", read_only=True) as store:
        assert store.info().source == str(folder)
        assert store_reform(store) == "2018-04"
