import pytest

from ihms.errors import DataError, IhmsError, InputError, did_you_mean, format_location


def test_input_error_is_value_error_and_ihms_error():
    with pytest.raises(ValueError):
        raise InputError("bad")
    with pytest.raises(IhmsError):
        raise InputError("bad")


def test_format_location_names_column_file_and_row():
    assert (
        format_location(file="claims.csv", row=1204, field="cost")
        == "column 'cost' of claims.csv row 1204"
    )
    assert format_location(file="a.csv") == "a.csv"
    assert format_location(field="x") == "column 'x'"


def test_data_error_lists_every_problem_and_truncates_long_lists():
    problems = [f"row {i}: bad" for i in range(60)]
    err = DataError("encounters.csv has 60 problems", problems)
    text = str(err)
    assert err.problems == problems
    assert "row 0: bad" in text and "row 49: bad" in text
    assert "row 50: bad" not in text
    assert "and 10 more" in text


def test_data_error_keeps_its_summary_apart_from_its_problems():
    # a summary of several lines, or one ending as a problem list does, is kept as given
    summary = "g.csv: 2 problem(s)\n  - row 2: bad"
    err = DataError(summary, ["row 2: bad"])
    assert err.summary == summary
    assert str(err) == summary + "\n  - row 2: bad"
    assert DataError("no problems").summary == "no problems"


def test_did_you_mean_names_a_similar_name_but_only_a_same_id_written_differently():
    assert did_you_mean("quality_scor", ["quality_score"]) == " — did you mean 'quality_score'?"
    # R0124 is another resident: no suggestion for identifiers beyond case and width
    assert did_you_mean("R0123", ["R0124", "R1023"], similar=False) == ""
    assert did_you_mean("r0124", ["R0124"], similar=False) == " — did you mean 'R0124'?"
    assert did_you_mean("Ｒ０１２４ ", ["R0124"], similar=False) == " — did you mean 'R0124'?"
    assert did_you_mean("R0124", ["R0124"], similar=False) == ""


def test_a_problem_is_its_text_and_keeps_its_pieces():
    import pickle

    from ihms.errors import Problem, problem_details

    p = Problem.at("expected a number, got 'x'", file="a.csv", row=1204, column="n", value="x")
    assert p == "column 'n' of a.csv row 1204: expected a number, got 'x'"
    assert pickle.loads(pickle.dumps(p)).details() == p.details()
    assert problem_details(["plain"]) == [
        {"file": None, "row": None, "column": None, "value": None, "expected": None}
        | {"message": "plain"}
    ]


def test_a_problems_value_is_as_json_takes_it():
    from decimal import Decimal

    import numpy as np
    import pandas as pd

    from ihms.errors import Problem

    def value(v):
        return Problem("p", value=v).value

    assert (value(np.int64(-50)), value(np.float64(1.5)), value(np.bool_(True))) == (-50, 1.5, True)
    assert (value(pd.NA), value(pd.NaT), value(float("nan"))) == (None, None, None)
    assert value(pd.Timestamp("2016-01-01")) == "2016-01-01"
    assert value(pd.Timestamp("2016-01-01 14:35")) == "2016-01-01T14:35:00"
    assert value(Decimal("-15.00")) == "-15.00" and value(("a", 1)) == "('a', 1)"
    # review of session 29's diff: an infinite cell read as null, as a missing one
    assert (value(float("inf")), value(np.float64("-inf"))) == ("inf", "-inf")
