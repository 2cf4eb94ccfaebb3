"""The consortium's assessment rows under the spending table's names for the consortium
(payment review 2026-11-25, finding 2): rows under ``医共体`` were left unread, so with
``--assume-passed`` a consortium failing its assessment kept its whole balance, the
record saying no values were given; without it the error named no file."""

from __future__ import annotations

import json
import warnings
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError, IhmsWarning
from ihms.payment import IndicatorValues

EX = Path(__file__).resolve().parents[2] / "examples" / "payment"
TABLES = ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]
# the 2018 consortium rows of examples/payment/indicators.csv replaced by failing values
FAILING = {
    "hypertension_control_rate": "0.50",
    "diabetes_control_rate": "0.50",
    "outpatient_contacts_primary_share": "0.40",
}
runner = CliRunner()


def _indicators(tmp_path: Path, subject: str | None) -> Path:
    """examples/payment/indicators.csv without its 2018 consortium rows, and with
    :data:`FAILING` under ``subject`` (None: no such rows)."""
    lines = (EX / "indicators.csv").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith("2018,consortium,")]
    if subject is not None:
        kept += [f"2018,{subject},{k},{v}" for k, v in FAILING.items()]
    path = tmp_path / "ind.csv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


def _settle(*args: str):
    return runner.invoke(app, ["payment", "settle", *TABLES, "--year", "2018", *args])


@pytest.mark.parametrize("subject", ["医共体", "县域医共体", "Consortium", "ｃｏｎｓｏｒｔｉｕｍ"])
def test_the_spending_tables_names_of_the_consortium_are_its_subject(subject):
    frame = pd.DataFrame(
        {"year": [2018], "subject": [subject], "indicator": ["x_rate"], "value": ["0.5"]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = IndicatorValues.from_frame(frame, source="指标.csv")
    assert dict(values.for_subject(2018, "consortium")) == {"x_rate": Decimal("0.5")}
    assert values.subjects(2018) == ["consortium"]
    (note,) = [str(w.message) for w in caught if issubclass(w.category, IhmsWarning)]
    assert "column 'subject' of 指标.csv" in note and "consortium" in note


def test_the_consortium_under_two_names_for_one_indicator_is_refused():
    frame = pd.DataFrame(
        {
            "year": [2018, 2018],
            "subject": ["consortium", "医共体"],
            "indicator": ["x_rate", "x_rate"],
            "value": ["0.5", "0.6"],
        }
    )
    with pytest.raises(DataError) as info:
        IndicatorValues.from_frame(frame, source="ind.csv")
    (problem,) = info.value.problems
    assert "ind.csv row 3" in problem and "(first on row 2)" in problem


def test_a_failing_consortium_under_its_chinese_name_fails_with_assume_passed(tmp_path):
    # before: the 医共体 rows unread, "Assessment assumed passed", 100 % kept
    r = _settle("--indicators", str(_indicators(tmp_path, "医共体")), "--assume-passed", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["assessment_passed"] is False
    assert out["figures"]["retained_fen"] == 0
    assert not any("assumed passed" in n for n in out["notes"])
    # the same file with subject 'consortium' settles alike (the review's e/ind_fail_en.csv)
    same = _settle(
        "--indicators", str(_indicators(tmp_path, "consortium")), "--assume-passed", "--json"
    )
    assert json.loads(same.stdout)["figures"] == out["figures"]


def test_no_consortium_rows_names_the_file_and_the_rows_expected(tmp_path):
    ind = _indicators(tmp_path, None)
    r = _settle("--indicators", str(ind))
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert f"{ind} has no rows for 2018 under subject 'consortium' (nor 医共体" in said
    assert (
        "expected a row (year 2018, subject 'consortium', indicator, value) for each of "
        "hypertension_control_rate, diabetes_control_rate, "
        "outpatient_contacts_primary_share (the settlement computes fund_balance_rate), or "
        "assume the assessment passed (--assume-passed)"
    ) in said
    assumed = _settle("--indicators", str(ind), "--assume-passed", "--json")
    assert (
        f"Assessment assumed passed: {ind} has no consortium rows for 2018."
        in (json.loads(assumed.stdout)["notes"])
    )


def test_without_an_indicator_table_the_option_is_named():
    r = _settle()
    assert r.exit_code == 2
    said = " ".join(r.output.split())
    assert "but no indicator values were given (--indicators); expected a row" in said
    assumed = _settle("--assume-passed", "--json")
    notes = json.loads(assumed.stdout)["notes"]
    assert "Assessment assumed passed: no indicator values were given." in notes
