"""One measure, one id: the share of healthcare (preventive) outpatient visits made in
primary care is the catalogue's ``healthcare_visits_primary_share`` on the scorecards too.
Its former scorecard id ``primary_care_healthcare_share``, which users may have saved in a
rule file (copied from ``ihms payment rules sanming`` before 2026-11-26, when its director
card scored that share; it now scores ``outpatient_contacts_primary_share``) or an
indicator-value table, is read as that id; given under both names it is refused."""

import json
from decimal import Decimal as D
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError, IhmsWarning, InputError
from ihms.indicators import CATALOGUE
from ihms.payment import (
    IndicatorValues,
    builtin_rules_text,
    load_rules,
    score_card,
    settle_year,
    settlement_inputs,
)
from ihms.payment.indicator_values import INDICATOR_ALIASES

OLD, NEW = "primary_care_healthcare_share", "healthcare_visits_primary_share"
# what sanming's director card scores in their place since 2026-11-26
NOW = "outpatient_contacts_primary_share"
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"


def _indicators_as(tmp_path, name: str) -> Path:
    """The example indicator values with the share saved under ``name``."""
    frame = pd.read_csv(EX / "indicators.csv", dtype=str)
    assert (frame["indicator"] == NOW).sum() == 18
    frame["indicator"] = frame["indicator"].replace(NOW, name)
    path = tmp_path / f"indicators-{name}.csv"
    frame.to_csv(path, index=False)
    return path


def _rules_as(tmp_path, name: str) -> Path:
    """sanming's rules with the director card's share under ``name`` (``NEW``: the rules
    as they were until 2026-11-26)."""
    text = builtin_rules_text("sanming")
    assert f"id: {NOW}" in text
    path = tmp_path / f"sanming-{name}.yaml"
    path.write_text(text.replace(f"id: {NOW}", f"id: {name}"), encoding="utf-8")
    return path


def test_the_alias_names_a_catalogue_indicator_and_is_none_itself():
    assert INDICATOR_ALIASES == {OLD: NEW}
    assert NEW in CATALOGUE and OLD not in CATALOGUE
    # the scorecard reads the catalogue's measure: preventive visits in primary care
    # over all preventive visits
    ind = CATALOGUE[NEW]
    assert {(c.column, c.values) for c in ind.numerator.where} == {
        ("type", ("preventive",)),
        ("care_level", ("primary",)),
    }
    assert {(c.column, c.values) for c in ind.denominator.where} == {("type", ("preventive",))}


def test_a_saved_rule_file_with_the_former_id_is_the_rule_set_of_that_time(tmp_path):
    saved = _rules_as(tmp_path, OLD)
    with pytest.warns(IhmsWarning) as caught:
        mine = load_rules(saved)
    assert [str(w.message) for w in caught] == [
        f"{saved}: scorecard 'director' indicator '{OLD}' is the former id of '{NEW}'; "
        f"read as '{NEW}' (use that id from now on)"
    ]
    then = load_rules(_rules_as(tmp_path, NEW))
    ids = [i.id for i in mine.staff_pay.scorecards["director"].indicators]
    assert NEW in ids and OLD not in ids
    # same rules, same digest: a ledger posted with either is not reposted
    assert mine.digest == then.digest


def test_a_values_table_with_the_former_id_settles_as_the_current_one(tmp_path, youxi):
    with pytest.warns(IhmsWarning, match="is the former id"):
        old = IndicatorValues.read(_indicators_as(tmp_path, OLD))
    assert old.for_subject(2018, "consortium")[NEW] == D("0.608")
    assert OLD not in old.for_subject(2018, "consortium")

    rules = load_rules(_rules_as(tmp_path, NEW))

    def record(values):
        inputs = settlement_inputs(
            rules,
            2018,
            spending=youxi["spending"],
            population=youxi["population"],
            indicators=values,
            staff=youxi["staff"],
        )
        return settle_year(rules, inputs)

    got, want = record(old), record(IndicatorValues.read(_indicators_as(tmp_path, NEW)))
    assert got.input_digest == want.input_digest
    assert {ln.indicator for ln in got.assessment.lines} >= {NEW}


def test_one_measure_under_both_names_is_refused_naming_both_rows():
    frame = pd.DataFrame(
        {
            "year": ["2018", "2018"],
            "subject": ["consortium", "consortium"],
            "indicator": [NEW, OLD],
            "value": ["0.6", "0.7"],
        }
    )
    with pytest.raises(DataError) as err:
        IndicatorValues.from_frame(frame, source="ind.csv")
    problems = " ".join(err.value.problems)
    assert f"'{NEW}' (or its former id '{OLD}') for 'consortium' in 2018" in problems
    assert "row 2" in problems and "row 3" in problems
    with pytest.raises(InputError, match="given twice, once under its former id"):
        IndicatorValues({(2018, "consortium"): {NEW: D("0.6"), OLD: D("0.7")}})


def test_score_card_takes_values_keyed_by_the_former_id(tmp_path):
    card = load_rules(_rules_as(tmp_path, NEW)).staff_pay.scorecards["director"]
    values = {
        "fund_balance_rate": D("0.03"),
        "hypertension_control_rate": D("0.8"),
        "diabetes_control_rate": D("0.8"),
        OLD: D("0.55"),
    }
    result = score_card(card, values, subject="consortium")
    line = {ln.indicator: ln for ln in result.lines}[NEW]
    # linear 40 % → 70 %: (0.55 − 0.40) / 0.30 = 0.5 (sanming.yaml, director card)
    assert line.score == D("0.5")


def test_cli_settles_under_a_former_id_rule_file_with_a_note(tmp_path):
    saved = _rules_as(tmp_path, OLD)
    args = ["payment", "settle", "--year", "2018", "--assume-passed", "--rules", str(saved)]
    args += ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]
    r = CliRunner().invoke(app, [*args, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["rules"]["digest"] == load_rules(_rules_as(tmp_path, NEW)).digest
    assert (
        f"note: {saved}: scorecard 'director' indicator '{OLD}' is the former id of '{NEW}'"
    ) in " ".join(r.stderr.split())


def test_cli_settles_with_a_former_id_table_and_reports_the_current_id(tmp_path):
    runner = CliRunner()
    args = [
        "payment",
        "settle",
        "--year",
        "2018",
        "--spending",
        str(EX / "spending.csv"),
        "--population",
        str(EX / "population.csv"),
        "--staff",
        str(EX / "staff.csv"),
        "--rules",
        str(_rules_as(tmp_path, NEW)),
        "--json",
    ]
    old = runner.invoke(app, [*args, "--indicators", str(_indicators_as(tmp_path, OLD))])
    new = runner.invoke(app, [*args, "--indicators", str(_indicators_as(tmp_path, NEW))])
    assert old.exit_code == 0, old.output
    assert json.loads(old.stdout) == json.loads(new.stdout)
    lines = json.loads(old.stdout)["assessment"]["lines"]
    assert NEW in {ln["indicator"] for ln in lines}
    # accepted, with a note naming the id it now has (none for the current file)
    assert f"is the former id of '{NEW}'; read as '{NEW}'" in " ".join(old.stderr.split())
    assert "former id" not in new.stderr


def test_reading_a_former_id_warns_naming_file_rows_and_the_current_id(tmp_path):
    path = _indicators_as(tmp_path, OLD)
    with pytest.warns(IhmsWarning) as caught:
        IndicatorValues.read(path)
    (message,) = [str(w.message) for w in caught]
    # the example file has the measure on 18 rows, the first on row 4 (header = row 1)
    assert message.startswith(
        f"{path}: indicator '{OLD}' (18 rows, from row 4) is the former id of '{NEW}'; "
        f"read as '{NEW}' (use that id from now on)"
    )


def test_sanming_scores_the_share_of_all_outpatient_contacts_in_place_of_it():
    # Zhong et al. 2023's cooperation indicator is their Table 4's primary-care share of
    # "healthcare outpatient visits", the county's 诊疗人次 (ihms.sim.targets)
    from ihms.payment.inputs import check_indicator_ids

    rules = load_rules("sanming")
    ids = [i.id for i in rules.staff_pay.scorecards["director"].indicators]
    assert NOW in ids and NEW not in ids
    frame = pd.DataFrame(
        {"year": ["2018"], "subject": ["consortium"], "indicator": [NEW], "value": ["0.6"]}
    )
    with pytest.raises(DataError) as err:
        check_indicator_ids(IndicatorValues.from_frame(frame, source="ind.csv"), [rules])
    assert f"the scorecard scores '{NOW}' in its place (another measure" in " ".join(
        err.value.problems
    )
