"""``ihms sim compare`` (and ``sim run --rules``) settling a card that scores ``healthcare_visits_primary_share``
(session 35's review, A5): since 2026-11-26 that id counts preventive encounters (health
examinations) only, while a card naming it before meant the share of all outpatient
contacts, which the built-in Sanming card scores as ``outpatient_contacts_primary_share``
(``payment.indicator_values.SCORED_INSTEAD``). The run still settles, and says so."""

from __future__ import annotations

import warnings

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import IhmsWarning
from ihms.payment import builtin_rules_text, load_rules
from ihms.sim.compare import compare_regimes

FORMER, CHANGED, NOW = (
    "primary_care_healthcare_share",
    "healthcare_visits_primary_share",
    "outpatient_contacts_primary_share",
)
SAID = (
    f"scorecard 'director' scores '{CHANGED}', which since 2026-11-26 counts the "
    "primary-care share of preventive encounters (health examinations) only"
)


def _saved(tmp_path, indicator):
    path = tmp_path / f"{indicator}.yaml"
    text = builtin_rules_text("sanming")
    assert text.count(f"id: {NOW}") == 1
    path.write_text(text.replace(f"id: {NOW}", f"id: {indicator}"), encoding="utf-8")
    return path


def _compare(example_path, rules):
    args = ["sim", "compare", "--config", str(example_path), "--residents", "300"]
    args += ["--seed", "5", "--regime", "sanming", "--regime", "other-areas", "--json"]
    if rules is not None:
        args += ["--rules", f"sanming={rules}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return " ".join(result.stderr.split())


@pytest.mark.parametrize("indicator", [CHANGED, FORMER])
def test_a_card_scoring_the_changed_measure_is_settled_with_a_note(
    tmp_path, example_path, indicator
):
    stderr = _compare(example_path, _saved(tmp_path, indicator))
    assert "note: rules sanming v" in stderr and SAID in stderr
    assert f"the built-in card scores as '{NOW}'" in stderr
    assert stderr.count(SAID) == 1  # once, not once per settled year
    assert "IhmsWarning" not in stderr


def test_the_built_in_card_gets_no_such_note(example_path):
    assert SAID not in _compare(example_path, None)


def test_the_library_warns_too(tmp_path, youxi_config):
    rules = load_rules(_saved(tmp_path, CHANGED))
    with pytest.warns(IhmsWarning, match="since 2026-11-26 counts the primary-care share"):
        compare_regimes(
            youxi_config, regimes=("sanming",), residents=300, seed=5, rules={"sanming": rules}
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", IhmsWarning)
        compare_regimes(youxi_config, regimes=("sanming",), residents=300, seed=5)


def test_sim_run_with_such_a_card_says_it_too(tmp_path, example_path):
    args = ["sim", "run", "--config", str(example_path), "--residents", "300", "--seed", "5"]
    args += ["--regime", "sanming", "--rules", str(_saved(tmp_path, CHANGED)), "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    stderr = " ".join(result.stderr.split())
    assert SAID in stderr and stderr.count(SAID) == 1
