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
    assert "--population grids takes the grid populations of --system FILE" in flat(refused.output)


def test_a_bad_system_file_is_refused_before_computing(store, tmp_path):
    bad = tmp_path / "county.yaml"
    bad.write_text("institutions: [", encoding="utf-8")
    result = runner.invoke(
        app, ["indicators", "compute", "--store", str(store), "--system", str(bad)]
    )
    assert result.exit_code == 2
    assert "county.yaml line 1, column 16: not valid YAML" in flat(result.output)
