"""What the config's ``calibration.tuned`` block does, said aloud (user review 22s, H2, M2).

The review: a director copied ``examples/youxi_sim.yaml`` for her county, set the county
hospital's outpatient price 98 → 150 yuan, and the run was the same to the fen — the
value used was 251.0709, Youxi's tuned value at the bottom of the file, and nothing said
so. Now the tuned values apply only to the county they were tuned for
(``calibration.run.county``); another county's run uses the values written, and either
way the run says which values were replaced and what is assumed.
"""

import json
import shutil

from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.sim import load_sim_config
from ihms.sim.provenance import provenance

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _copy(tmp_path, example_path, *, county="youxi.yaml", price="98"):
    """The example pair copied to ``tmp_path``: the sim config (price edited) naming
    ``county``, a copy of the Youxi county file under that name."""
    shutil.copy(example_path.with_name("youxi.yaml"), tmp_path / county)
    text = example_path.read_text(encoding="utf-8")
    text = text.replace("county: youxi.yaml ", f"county: {county} ", 1)
    text = text.replace("county_hospital: 98,", f"county_hospital: {price},", 1)
    assert f"county: {county} " in text and f"county_hospital: {price}," in text
    path = tmp_path / "sim.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_records_the_county_its_values_were_tuned_for(youxi_config):
    assert youxi_config.calibration.run["county"] == "youxi.yaml"
    assert youxi_config.calibration.applied
    # the value used is the tuned one; the one written above it is recorded
    assert youxi_config.costs.outpatient_yuan["county_hospital"] == 237.9536
    assert youxi_config.calibration.replaced["costs.outpatient_yuan.county_hospital"] == 98


def test_an_edited_value_that_a_tuned_one_replaces_is_named_with_both_values(
    tmp_path, example_path
):
    config = load_sim_config(_copy(tmp_path, example_path, price="150"))
    assert config.costs.outpatient_yuan["county_hospital"] == 237.9536
    found = provenance(config)
    assert found["tuned_applied"] is True
    assert found["replaced"]["costs.outpatient_yuan.county_hospital"] == {
        "written": 150,
        "used": 237.9536,
    }
    assert len(found["replaced"]) == 23  # every tuned key differs from what is written
    text = _flat(" ".join(found["notes"]))
    assert (
        "23 values of calibration.tuned (tuned for youxi.yaml on 2026-11-26, to Zhong et al. 2023's Youxi figures)"
        in text
    )
    assert "costs.outpatient_yuan.county_hospital: 150 written, 237.9536 used" in text


def test_another_countys_config_uses_the_values_written_not_youxis_tuned_ones(
    tmp_path, example_path
):
    config = load_sim_config(_copy(tmp_path, example_path, county="hexi.yaml", price="150"))
    assert config.costs.outpatient_yuan["county_hospital"] == 150
    assert config.illness.trend_per_year != 0.0594  # tuned value not applied
    assert not config.calibration.applied
    found = provenance(config)
    assert found["tuned_applied"] is False
    assert found["replaced"] == {}
    text = _flat(" ".join(found["notes"]))
    assert (
        "not applied: they were tuned for youxi.yaml (on 2026-11-26), this config simulates hexi.yaml"
        in text
    )
    assert "No value is calibrated to this county" in text
    # and where to see how much the assumed behaviour moves the result (review 22s M1, M2)
    assert "how far the results move with it: ihms sim sensitivity" in text


def test_sim_run_prints_the_note_and_records_it_in_summary_json(tmp_path, example_path):
    path = _copy(tmp_path, example_path, county="hexi.yaml")
    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(path), "--residents", "800", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "not applied: they were tuned for youxi.yaml" in _flat(result.output)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["calibration"]["tuned_applied"] is False
    assert summary["calibration"]["tuned_for"] == "youxi.yaml"


def test_sim_compare_says_so_too(tmp_path, example_path):
    path = _copy(tmp_path, example_path, county="hexi.yaml")
    args = ["sim", "compare", "--config", str(path), "--residents", "6000", "--regime"]
    result = runner.invoke(app, [*args, "fee-for-service", "--regime", "sanming", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["calibration"]["tuned_applied"] is False
