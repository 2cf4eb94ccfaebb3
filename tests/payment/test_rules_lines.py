"""A rule file's errors give the file and the line, as ``ihms system check``'s do (the
same :class:`ihms.system._messages.Locator` finds the key in the composed YAML)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import ConfigError
from ihms.payment import load_rules, rules_from_mapping
from ihms.payment._config import builtin_rules_text

SANMING = builtin_rules_text("sanming")


def _file(tmp_path: Path, old: str, new: str, line_of: str) -> tuple[Path, int]:
    """Sanming's rules with ``old`` written ``new``, and the line ``line_of`` is on."""
    assert old in SANMING
    text = SANMING.replace(old, new, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text[: text.index(line_of)].count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "line_of", "message"),
    [
        # a misspelt key: the line of the key itself
        (
            "  premium:",
            "  premuim:",
            "premuim:",
            "unknown key 'budget.premuim' — did you mean 'premium'?",
        ),
        # a wrong value: the line of its key
        ("growth: 6%", "growth: lots", "growth: lots", "key 'budget.premium.growth': expected"),
        # the domain's checks (shares adding up) name the section: its line
        (
            "staff_incentive: 16%",
            "staff_incentive: 26%",
            "balance_uses:",
            "balance_uses: shares must add up to 100%, got 110.00%",
        ),
    ],
)
def test_a_rule_file_error_names_the_line(tmp_path, old, new, line_of, message):
    path, line = _file(tmp_path, old, new, line_of)
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert f"{path} line {line}: {message}" in str(info.value)
    result = CliRunner().invoke(app, ["payment", "budget", "--rules", str(path), "--year", "2018"])
    assert result.exit_code == 2
    assert f"line {line}: {message}" in " ".join(result.output.split())


def test_a_mapping_without_a_file_has_no_line():
    with pytest.raises(ConfigError) as info:
        rules_from_mapping({"name": "x", "budgt": {}}, source="mine")
    assert "mine: unknown key 'budgt'" in str(info.value)
    assert " line " not in str(info.value)


def test_a_key_given_twice_is_refused_with_both_lines(tmp_path):
    # YAML keeps the last silently: a premium growth of 6% would settle as 7% unsaid
    path, first = _file(tmp_path, "growth: 6%", "growth: 6%\n    growth: 7%", "growth: 6%")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    assert (
        f"{path} line {first + 1}, budget.premium: key 'growth' is given twice (first at "
        f"line {first})"
    ) in str(info.value)


def test_a_misspelt_required_key_is_one_problem_at_its_line(tmp_path):
    # one typo, one problem (walkthroughs 17): not also "budget.method: Field required"
    path, line = _file(tmp_path, "  method: population", "  mehtod: population", "mehtod:")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    msg = str(info.value)
    assert (
        f"{path} line {line}: unknown key 'budget.mehtod' — did you mean 'method'? (required)"
        in msg
    )
    assert "Field required" not in msg
    assert msg.count("\n  - ") == 1


def test_a_missing_key_without_a_near_miss_stays_missing(tmp_path):
    path, _ = _file(tmp_path, "  method: population", "  colour: red", "colour:")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    msg = str(info.value)
    assert "key 'budget.method': Field required" in msg
    assert "unknown key 'budget.colour'" in msg and "(required)" not in msg


def test_every_scorecard_whose_weights_miss_1_is_named_at_its_line(tmp_path):
    # session-19 user review (F10): the director's card and the doctor's both weighed
    # 1.1, and the error named only the director's, with no line
    text = SANMING.replace("weight: 0.4", "weight: 0.5")  # director +0.1, doctor +0.1
    assert text.count("weight: 0.5") == 2
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    director = next(i for i, s in enumerate(lines, 1) if s.strip() == "director:")
    doctor = next(i for i, s in enumerate(lines, 1) if s.strip() == "doctor:")
    with pytest.raises(ConfigError) as info:
        load_rules(path)
    msg = " ".join(str(info.value).split())
    assert f"line {director}:" in msg and f"line {doctor}:" in msg
    assert msg.count("weights must add up to 1, got 1.1") == 2
