"""``ihms indicators compute --system FILE [--population grids]``: the delivery-system
file the store's data belong to, for the indicators and checks that read it (the
off-pathway referrals, the register-against-grids population note, rates per grid
resident), as ``ihms.indicators.compute(system=, population=)`` takes it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store
from ihms.data.synthetic import synthetic_dataset
from ihms.indicators import compute
from ihms.system import load_system

runner = CliRunner()
SYSTEM = "examples/youxi.yaml"


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("sys") / "ihms.duckdb"
    with Store(path) as s:
        s.write(synthetic_dataset(load_system(SYSTEM), seed=5, scale=0.002))
    return path


def _rows(result) -> dict[tuple[str, str], float | None]:
    return {(r["indicator"], r["period"]): r["value"] for r in json.loads(result.stdout)}


def test_off_pathway_referrals_need_the_system_file_and_say_so(store):
    args = ["indicators", "compute", "--store", str(store), "-i", "off_pathway_referrals"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    said = flat(refused.output)
    assert "give --system FILE" in said and "another --level" not in said
    result = runner.invoke(app, [*args, "--system", SYSTEM, "--min-cell", "1", "--json"])
    assert result.exit_code == 0, result.output
    # the library's figures, given the same system file
    with Store(store, read_only=True) as s:
        expected = compute(s, indicators=["off_pathway_referrals"], system=load_system(SYSTEM))
    frame = expected.to_frame()
    assert _rows(result) == {(r.indicator, r.period): r.value for r in frame.itertuples()}


def test_population_grids_divides_by_the_system_files_populations(store):
    args = ["indicators", "compute", "--store", str(store), "-i", "hospitalization_rate",
            "--min-cell", "1", "--json"]  # fmt: skip
    grids = runner.invoke(app, [*args, "--system", SYSTEM, "--population", "grids"])
    assert grids.exit_code == 0, grids.output
    with Store(store, read_only=True) as s:
        expected = compute(
            s, indicators=["hospitalization_rate"], system=load_system(SYSTEM), population="grids"
        ).to_frame()
    assert _rows(grids) == {(r.indicator, r.period): r.value for r in expected.itertuples()}
    register = runner.invoke(app, args)
    assert _rows(register) != _rows(grids)  # a synthetic register is a sample of the grids
    # grids without the file that holds them
    refused = runner.invoke(app, [*args, "--population", "grids"])
    assert refused.exit_code == 2
    assert (
        "--population grids takes the grid populations of the delivery-system file (--system FILE)"
        in flat(refused.output)
    )


def test_a_bad_system_file_is_refused_before_computing(store, tmp_path):
    bad = tmp_path / "county.yaml"
    bad.write_text("institutions: [", encoding="utf-8")
    result = runner.invoke(
        app, ["indicators", "compute", "--store", str(store), "--system", str(bad)]
    )
    assert result.exit_code == 2
    assert "county.yaml line 1, column 16: not valid YAML" in flat(result.output)


@pytest.fixture
def tiny(tmp_path):
    """The tiny county of tests/indicators/conftest.py as a store, its system file with
    g1 at 4 people in 2016 (so the register's 10 lie 125 % of the file's 8), and the
    referral y1 VC1 -> CH (2017-04-01) added."""
    import pandas as pd
    from tests.indicators.conftest import TINY_YAML, _d, tiny_frames

    from ihms.data import Dataset, Period

    frames = tiny_frames()
    extra = pd.DataFrame(
        {
            "referral_id": ["y1"],
            "resident_id": ["r1"],
            "date": [_d("2017-04-01")],
            "from_institution_id": ["VC1"],
            "to_institution_id": ["CH"],
        }
    )
    frames["referrals"] = pd.concat([frames["referrals"], extra], ignore_index=True)
    with Store(tmp_path / "tiny.duckdb") as s:
        s.write(Dataset.from_frames(frames, period=Period(_d("2016-01-01"), _d("2017-12-31"))))
    system = tmp_path / "tiny.yaml"
    yaml = TINY_YAML.replace("population: {2016: 6, 2017: 6}", "population: {2016: 4, 2017: 6}")
    system.write_text(yaml, encoding="utf-8")
    return tmp_path / "tiny.duckdb", system


def test_hand_worked_off_pathway_count_and_population_note(tiny):
    store, system = tiny
    args = ["indicators", "compute", "--store", str(store), "--system", str(system),
            "-i", "off_pathway_referrals", "-i", "hospitalization_rate", "--level", "total",
            "--min-cell", "1"]  # fmt: skip
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows = {(r["indicator"], r["period"]): r for r in json.loads(result.stdout)}
    # 2016: x1 CH -> PH up, CH in no consortium yet: up to the tertiary hospitals, as
    # its centres go up to it -> on (0).
    # 2017: x2 VC1 -> THC1 up to its parent centre (on), x3 CH -> THC1 down from the lead
    # to a centre of its grids (on), y1 VC1 -> CH skipping its parent centre (off): 1.
    assert rows[("off_pathway_referrals", "2016")]["numerator"] == 0
    assert rows[("off_pathway_referrals", "2017")]["numerator"] == 1
    said = flat(runner.invoke(app, args).output)
    assert "10 in the register, 8 by the system file's grids (125 %)" in said
    assert "--population grids" in said and "compute(" not in said and "))" not in said


def test_without_the_file_the_cli_names_system_file_not_python(tiny):
    store, _ = tiny
    result = runner.invoke(app, ["indicators", "compute", "--store", str(store)])
    assert result.exit_code == 0, result.output
    said = flat(result.output)
    assert "off_pathway_referrals" in said and "--system FILE" in said
    assert "compute(" not in said and "load_system" not in said
    refused = flat(
        runner.invoke(
            app, ["indicators", "compute", "--store", str(store), "-i", "off_pathway_referrals"]
        ).output
    )
    assert "load_system" not in refused and "))" not in refused
