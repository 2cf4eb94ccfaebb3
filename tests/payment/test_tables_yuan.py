"""Money given in yuan: a payment table takes ``x_yuan`` wherever it takes ``x_fen`` (a
health commission's spreadsheet is in yuan), converted exactly as ``ihms data import``
converts it, and refuses what cannot be converted exactly or is ambiguous."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.payment import PopulationTable, SpendingTable, StaffRoster, spending_from_encounters

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"

#: 2^53 + 1 fen: the first whole number a float64 cannot hold.
BEYOND_FLOAT = 2**53 + 1


def _yuan_text(fen: int) -> str:
    return f"{Decimal(fen).scaleb(-2):.2f}"


def _spending(**money: list) -> pd.DataFrame:
    n = len(next(iter(money.values())))
    return pd.DataFrame(
        {
            "year": ["2018"] * n,
            "setting": ["consortium"] * n,
            "institution_id": [f"THC{i:02d}" for i in range(1, n + 1)],
            **money,
        }
    )


def _problems(frame: pd.DataFrame) -> list[str]:
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(frame, source="sp.csv")
    return err.value.problems


def test_yuan_converts_to_fen_exactly_beyond_float_precision():
    assert _yuan_text(BEYOND_FLOAT) == "90071992547409.93"
    frame = _spending(
        insurance_paid_yuan=["90071992547409.93", "12.3", "１２３４．５", "0.07", "7"],
        total_cost_yuan=["90071992547409.94", "12.30", "1234.50", "0.1", "7.00"],
    )
    table = SpendingTable.from_frame(frame, source="sp.csv")
    paid = table.frame["insurance_paid_fen"].tolist()
    # 12.3 yuan = 1,230 fen; full-width digits read as the data import reads them
    assert paid == [BEYOND_FLOAT, 1230, 123450, 7, 700]
    assert table.frame["total_cost_fen"].tolist()[0] == BEYOND_FLOAT + 1
    assert float(BEYOND_FLOAT) != BEYOND_FLOAT  # a float on the way would have lost it
    assert table.for_year(2018).consortium["THC01"] == BEYOND_FLOAT


def test_yuan_in_a_csv_file_is_read_as_text_not_float(tmp_path):
    path = tmp_path / "spending.csv"
    path.write_text(
        "year,setting,institution_id,insurance_paid_yuan\n"
        "2018,consortium,CH01,90071992547409.93\n"
        "2018,outside_county,OUT,0.01\n",
        "utf-8",
    )
    year = SpendingTable.read(path).for_year(2018)
    assert (year.consortium["CH01"], year.outside_county) == (BEYOND_FLOAT, 1)


def test_staff_and_population_money_may_be_given_in_yuan():
    roster = StaffRoster.from_frame(
        pd.DataFrame(
            {
                "staff_id": ["D1"],
                "role": ["director"],
                "institution_id": ["CH01"],
                "base_salary_yuan": ["380000.05"],
            }
        )
    )
    assert roster.members[0].base_salary_fen == 38_000_005
    population = PopulationTable.from_frame(
        pd.DataFrame(
            {"year": [2018], "insured_population": [1000], "benchmark_per_capita_yuan": [1500.5]}
        )
    )
    # a Parquet float column: 1500.5 is exactly 150,050 fen
    assert population.for_year(2018).benchmark_per_capita_fen == 150_050


@pytest.mark.parametrize("cell", ["12.345", "-5.00", "12 元", "1e3"])
def test_yuan_that_cannot_be_converted_exactly_is_refused_with_its_place(cell):
    (problem,) = _problems(_spending(insurance_paid_yuan=["10.00", cell]))
    assert problem.startswith("column 'insurance_paid_yuan' of sp.csv row 3: expected")
    assert "at most two decimal places" in problem and problem.endswith(repr(cell))


def test_an_empty_required_yuan_cell_is_named():
    assert _problems(_spending(insurance_paid_yuan=["1", " "])) == [
        "column 'insurance_paid_yuan' of sp.csv row 3: expected an amount in yuan >= 0 with at "
        "most two decimal places (1234.57 or 1,234.57: digits, thousands separators only in "
        "groups of three, no 元), got an empty cell"
    ]


def test_a_table_giving_an_amount_in_both_fen_and_yuan_is_refused():
    frame = _spending(insurance_paid_fen=["1230"], insurance_paid_yuan=["12.30"])
    assert _problems(frame) == [
        "sp.csv: columns 'insurance_paid_fen' and 'insurance_paid_yuan' both give the same "
        "amount; keep one ('insurance_paid_fen' in whole fen or 'insurance_paid_yuan' in yuan)"
    ]
    roster = pd.DataFrame(
        {
            "staff_id": ["D1"],
            "role": ["director"],
            "institution_id": ["CH01"],
            "base_salary_fen": [1],
            "base_salary_yuan": ["0.01"],
        }
    )
    with pytest.raises(DataError, match="'base_salary_fen' and 'base_salary_yuan'"):
        StaffRoster.from_frame(roster, source="staff.csv")


def test_a_missing_money_column_is_missing_in_fen_and_in_yuan():
    with pytest.raises(DataError, match=r"missing required column\(s\) insurance_paid_fen"):
        SpendingTable.from_frame(pd.DataFrame({"year": [2018], "setting": ["private"]}))


# ------------------------------------------------------------------------------ CLI


def _in_yuan(source: Path, target: Path) -> None:
    """``source`` with every ``x_fen`` column as ``x_yuan`` (exact decimal text)."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    money = [i for i, name in enumerate(rows[0]) if name.endswith("_fen")]
    assert money, source
    for i in money:
        rows[0][i] = rows[0][i][: -len("_fen")] + "_yuan"
        for row in rows[1:]:
            row[i] = _yuan_text(int(row[i])) if row[i] else ""
    with target.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def _args(root: Path, spending: str, staff: str) -> list[str]:
    return [
        "--spending",
        str(root / spending),
        "--staff",
        str(root / staff),
        "--population",
        str(EX / "population.csv"),
        "--indicators",
        str(EX / "indicators.csv"),
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["settle", "--year", "2018"],
        ["distribute", "--year", "2019"],
        ["scorecard", "--year", "2019"],
    ],
)
def test_cli_settles_yuan_tables_to_the_fen_as_the_fen_tables(tmp_path, command):
    _in_yuan(EX / "spending.csv", tmp_path / "spending_yuan.csv")
    _in_yuan(EX / "staff.csv", tmp_path / "staff_yuan.csv")
    assert "8177700551" in (EX / "spending.csv").read_text("utf-8")
    assert "81777005.51" in (tmp_path / "spending_yuan.csv").read_text("utf-8")
    fen = runner.invoke(
        app, ["payment", *command, *_args(EX, "spending.csv", "staff.csv"), "--json"]
    )
    yuan = runner.invoke(
        app,
        ["payment", *command, *_args(tmp_path, "spending_yuan.csv", "staff_yuan.csv"), "--json"],
    )
    assert fen.exit_code == 0, fen.output
    assert yuan.exit_code == 0, yuan.output
    assert json.loads(yuan.stdout) == json.loads(fen.stdout)


@pytest.mark.parametrize("command", ["settle", "distribute", "scorecard", "compare"])
def test_cli_help_says_money_may_be_in_yuan(command):
    r = runner.invoke(app, ["payment", command, "--help"], env={"COLUMNS": "250"})
    assert r.exit_code == 0
    out = " ".join(r.output.split())
    assert "insurance_paid_yuan" in out or "base_salary_yuan" in out, out


def test_cli_refuses_a_third_decimal_and_both_columns(tmp_path):
    _in_yuan(EX / "staff.csv", tmp_path / "staff.csv")
    body = (tmp_path / "staff.csv").read_text("utf-8")
    assert "D-CH01,director,CH01,380000.00" in body
    (tmp_path / "staff.csv").write_text(body.replace("380000.00", "380000.005", 1), "utf-8")
    _in_yuan(EX / "spending.csv", tmp_path / "spending.csv")
    r = runner.invoke(
        app, ["payment", "settle", *_args(tmp_path, "spending.csv", "staff.csv"), "--year", "2018"]
    )
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "Traceback" not in out
    assert "column 'base_salary_yuan' of" in out and "staff.csv row 2" in out
    assert "at most two decimal places" in out and "'380000.005'" in out

    both = pd.read_csv(EX / "spending.csv", dtype=str)
    both["insurance_paid_yuan"] = [_yuan_text(int(v)) for v in both["insurance_paid_fen"]]
    both.to_csv(tmp_path / "spending.csv", index=False)
    _in_yuan(EX / "staff.csv", tmp_path / "staff.csv")
    r = runner.invoke(
        app, ["payment", "settle", *_args(tmp_path, "spending.csv", "staff.csv"), "--year", "2018"]
    )
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "'insurance_paid_fen' and 'insurance_paid_yuan' both give the same amount" in out


def test_paid_above_total_in_a_yuan_table_is_told_in_yuan_under_its_column():
    frame = _spending(insurance_paid_yuan=["12.30"], total_cost_yuan=["12.29"])
    assert _problems(frame) == [
        "column 'insurance_paid_yuan' of sp.csv row 2: insurance paid 12.30 yuan exceeds "
        "total cost 12.29 yuan"
    ]
    # one column in fen, the other in yuan: each amount in its own column's unit
    mixed = _spending(insurance_paid_fen=["1230"], total_cost_yuan=["12.29"])
    assert _problems(mixed) == [
        "column 'insurance_paid_fen' of sp.csv row 2: insurance paid 1230 fen exceeds "
        "total cost 12.29 yuan"
    ]


# ---------------------------------------------------------------- the encounters adapter


def _encounters_in_yuan(**money: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "institution_id": ["CH01", "CH01", "OUT"],
            "date": ["2018-01-03", "2018-05-20", "2018-07-01"],
            **money,
        }
    )


def test_encounters_in_yuan_sum_to_exact_fen():
    frame = _encounters_in_yuan(
        insurance_paid_yuan=["90071992547409.93", "0.07", "12.3"],
        total_cost_yuan=["90071992547410.00", "0.10", "１２．３"],
    )
    table = spending_from_encounters(frame, {"CH01": "consortium", "OUT": "outside_county"})
    year = table.for_year(2018)
    assert (year.consortium["CH01"], year.outside_county) == (BEYOND_FLOAT + 7, 1230)
    ch = table.frame[table.frame["institution_id"] == "CH01"].iloc[0]
    assert ch["total_cost_fen"] == BEYOND_FLOAT + 7 + 10


def test_encounters_in_yuan_refused_with_rows_and_both_columns():
    institutions = {"CH01": "consortium", "OUT": "outside_county"}
    frame = _encounters_in_yuan(insurance_paid_yuan=["1.00", "12.345", "-1"])
    with pytest.raises(DataError) as err:
        spending_from_encounters(frame, institutions, source="enc.csv")
    assert err.value.problems == [
        "enc.csv: column 'insurance_paid_yuan': 2 row(s) not an amount in yuan >= 0 with at "
        "most two decimal places (1234.57 or 1,234.57: digits, thousands separators only in "
        "groups of three, no 元), rows [3, 4]"
    ]
    frame["insurance_paid_fen"] = [100, 1234, 0]
    with pytest.raises(DataError, match="'insurance_paid_fen' and 'insurance_paid_yuan' both"):
        spending_from_encounters(frame, institutions, source="enc.csv")


def test_an_amount_past_16_digits_of_yuan_is_called_too_large():
    # as ihms data import says it; the payment readers gave the format message ("at most
    # two decimal places") for an amount with none
    huge = "12345678901234567"
    problems = _problems(_spending(insurance_paid_yuan=[huge], total_cost_yuan=["1.00"]))
    assert problems == [
        f"column 'insurance_paid_yuan' of sp.csv row 2: too large (at most 16 digits of whole "
        f"yuan), got '{huge}'"
    ]
    frame = _encounters_in_yuan(insurance_paid_yuan=["1.00", huge, "12.345"])
    with pytest.raises(DataError) as err:
        spending_from_encounters(frame, {"CH01": "consortium", "OUT": "outside_county"},
                                 source="enc.csv")  # fmt: skip
    assert err.value.problems[0] == (
        "enc.csv: column 'insurance_paid_yuan': 1 row(s) too large (at most 16 digits of "
        "whole yuan), rows [3]"
    )
    assert "rows [4]" in err.value.problems[1]  # the third decimal, on its own


def test_a_float_yuan_column_past_15_digits_is_refused_in_every_payment_reader():
    # a Parquet float column of yuan: 80000000000000.01 comes back from the float as
    # ...0.02 and was settled as 8,000,000,000,000,002 fen with exit 0
    cells = [80_000_000_000_000.01, 12.3]
    problems = _problems(_spending(insurance_paid_yuan=cells))
    assert problems == [
        "column 'insurance_paid_yuan' of sp.csv row 2: a floating-point number of "
        "10,000,000,000,000 yuan or more, which cannot hold whole fen exactly; store the "
        "column as text or as integer fen, got 80000000000000.02"
    ]
    frame = _encounters_in_yuan(insurance_paid_yuan=[1.0, 80_000_000_000_000.01, 0.07])
    with pytest.raises(DataError) as err:
        spending_from_encounters(frame, {"CH01": "consortium", "OUT": "outside_county"},
                                 source="enc.csv")  # fmt: skip
    assert err.value.problems == [
        "enc.csv: column 'insurance_paid_yuan': 1 row(s) a floating-point number of "
        "10,000,000,000,000 yuan or more, which cannot hold whole fen exactly; store the "
        "column as text or as integer fen, rows [3]"
    ]


def test_a_float_fen_column_past_2_to_53_is_refused():
    problems = _problems(_spending(insurance_paid_fen=[2.0**53 + 2, 1230.0]))
    assert problems[0].startswith("column 'insurance_paid_fen' of sp.csv row 2: expected whole")


def test_a_float_yuan_parquet_is_settled_to_the_fen_below_the_limit(tmp_path):
    frame = _spending(insurance_paid_yuan=[9_999_999_999_999.99, 0.07])
    frame.to_parquet(tmp_path / "sp.parquet")
    table = SpendingTable.read(tmp_path / "sp.parquet")
    assert table.frame["insurance_paid_fen"].tolist() == [999_999_999_999_999, 7]


def test_an_amount_in_wan_yuan_is_named_as_such_never_scaled():
    # 万元 is 10,000 yuan: read as yuan it would be 10,000 times too small; it was
    # refused with the format message ("at most two decimal places ... no 元")
    problems = _problems(_spending(insurance_paid_yuan=["7927.63万元", "12.30", "1.5万"]))
    assert problems == [
        "column 'insurance_paid_yuan' of sp.csv row 2: an amount in 万元 (ten thousand "
        "yuan), but the column is in yuan: give it in yuan (7927.63万元 is 79276300), got "
        "'7927.63万元'",
        "column 'insurance_paid_yuan' of sp.csv row 4: an amount in 万元 (ten thousand "
        "yuan), but the column is in yuan: give it in yuan (7927.63万元 is 79276300), got "
        "'1.5万'",
    ]


def test_a_misspelt_optional_column_is_refused_not_ignored():
    # 'total_cost_fn' was ignored: the spending table had no total cost and nothing said
    # so; a column ihms does not read at all (an institution's name) is still ignored
    frame = _spending(insurance_paid_fen=["100", "200"], total_cost_fn=["300", "400"])
    frame["institution_name"] = ["尤溪县医院", "城关卫生院"]
    assert _problems(frame) == [
        "column 'total_cost_fn' of sp.csv: not a column of the spending table (a column "
        "ihms does not read is ignored, but this one looks misspelt) — did you mean "
        "'total_cost_fen'?"
    ]
    frame = frame.rename(columns={"total_cost_fn": "total_cost_fen"})
    assert SpendingTable.from_frame(frame, source="sp.csv").frame["total_cost_fen"].tolist() == [
        300,
        400,
    ]
    with pytest.raises(DataError, match="did you mean 'benchmark_per_capita_yuan'"):
        PopulationTable.from_frame(
            pd.DataFrame(
                {
                    "year": ["2018"],
                    "insured_population": ["1000"],
                    "benchmark_per_capita_yaun": ["850.00"],
                }
            ),
            source="pop.csv",
        )


def test_a_money_column_without_its_unit_names_both_forms():
    # a user walk: `base_salary` for `base_salary_fen` was only "missing required column(s)"
    roster = pd.DataFrame(
        {"staff_id": ["D1"], "role": ["director"], "institution_id": ["CH01"], "base_salary": ["1"]}
    )
    with pytest.raises(DataError) as err:
        StaffRoster.from_frame(roster, source="staff.csv")
    assert str(err.value) == (
        "staff.csv: missing required column(s) base_salary_fen (has: staff_id, role, "
        "institution_id, base_salary); 'base_salary_fen' — 'base_salary' has no unit: give it "
        "in fen as 'base_salary_fen' or in yuan as 'base_salary_yuan'"
    )


def test_an_optional_money_column_without_its_unit_is_not_ignored():
    # `total_cost` for the optional total_cost_fen was read as no column at all
    frame = pd.DataFrame(
        {
            "year": ["2018"],
            "setting": ["private"],
            "insurance_paid_fen": ["100"],
            "total_cost": ["5"],
        }
    )
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(frame, source="s.csv")
    assert err.value.problems == [
        "column 'total_cost' of s.csv: not a column of the spending table — 'total_cost' has "
        "no unit: give it in fen as 'total_cost_fen' or in yuan as 'total_cost_yuan'"
    ]


def test_float_yuan_from_a_formula_read_as_excel_shows_them():
    # a spending table saved from a sheet whose paid amount is a formula (=8123.45-2.6):
    # the float column holds 8120.849999999999 (IEEE 754), shown by Excel as 8,120.85
    # at 15 significant digits; read through the data layer's one yuan reader
    # (session-19 review, F13). A genuine third decimal is still refused.
    assert 8123.45 - 2.6 == 8120.849999999999
    table = SpendingTable.from_frame(
        _spending(insurance_paid_yuan=[8123.45 - 2.6, 0.1 + 0.2], total_cost_yuan=[8123.45, 1.0]),
        source="sp.parquet",
    )
    assert table.frame["insurance_paid_fen"].tolist() == [812085, 30]
    problems = _problems(_spending(insurance_paid_yuan=[202.326], total_cost_yuan=[300.0]))
    assert any("got 202.326" in p for p in problems)


def test_grouped_yuan_with_a_third_decimal_is_blamed_on_the_decimals(tmp_path):
    # review session 24, finding 9: '1,234.567' (an Excel formula's amount) was refused
    # for "a comma that is no thousands separator"; its commas are right, the third
    # decimal is not (without commas, 200000000.005 was already refused for its decimals)
    path = tmp_path / "y4.csv"
    path.write_text(
        'year,setting,institution_id,insurance_paid_yuan\n2018,consortium,CH01,"1,234.567"\n',
        "utf-8",
    )
    with pytest.raises(DataError) as err:
        SpendingTable.read(path)
    (problem,) = err.value.problems
    assert f"column 'insurance_paid_yuan' of {path} row 2: more than two decimal" in problem
    assert "more than two decimal places" in problem and "comma" not in problem
    assert problem.endswith("got '1,234.567'")
    # a comma out of groups of three is still blamed on the comma
    (comma,) = _problems(_spending(insurance_paid_yuan=["1,23"]))
    assert "a comma that is no thousands separator" in comma
