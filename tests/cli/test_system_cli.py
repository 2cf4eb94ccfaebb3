from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def flat(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


YOUXI = "examples/youxi.yaml"


def test_check_ok_and_json():
    result = runner.invoke(app, ["system", "check", YOUXI])
    assert result.exit_code == 0, result.output
    assert "3 counties, 15 grids, 416 institutions, 2 consortia; no problems" in flat(result.output)
    result = runner.invoke(app, ["system", "check", YOUXI, "--json"])
    info = json.loads(result.output)
    assert info["population"]["2019"] == 363000
    assert info["institutions_by_tier"]["primary_centre"] == 23


def test_check_counts_one_of_a_kind_in_the_singular(tmp_path):
    from tests.indicators.conftest import TINY_YAML

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_YAML, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 counties, 2 grids, 5 institutions, 1 consortium; no problems" in flat(result.output)


def test_check_reports_typo_with_suggestion(tmp_path):
    text = (
        Path(YOUXI)
        .read_text(encoding="utf-8")
        .replace("    tier: primary_centre\n", "    teir: primary_centre\n", 1)
    )
    bad = tmp_path / "youxi.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(bad)])
    assert result.exit_code == 2
    assert "unknown key 'teir'; did you mean 'tier'?" in flat(result.output)
    assert "Traceback" not in flat(result.output)


def test_coverage_and_show():
    result = runner.invoke(app, ["system", "coverage", YOUXI, "--year", "2016", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["population_covered"] == 0
    result = runner.invoke(app, ["system", "show", YOUXI, "--what", "referrals", "--json"])
    rows = json.loads(result.output)
    assert {"institution_id": "YX-THC01", "direction": "up", "target_id": "YX-CH01"} in rows
    result = runner.invoke(app, ["system", "show", YOUXI, "--what", "wards"])
    assert result.exit_code == 2
    assert "--what: expected one of" in flat(result.output)
