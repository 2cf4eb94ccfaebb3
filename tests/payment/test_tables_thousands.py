"""Amounts in yuan written with thousands separators (``1,234.57``, as a spreadsheet shows
money): the payment tables read them as ``ihms data import`` does — separators in groups
of three, with a note; ``1,23`` refused — while a fen column stays whole fen, digits
only (a grouped amount there is money formatted in yuan)."""

from __future__ import annotations

import csv
import json
import warnings
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data._coerce import coerce
from ihms.errors import DataError, IhmsWarning
from ihms.payment import PopulationTable, SpendingTable, spending_from_encounters

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"


def _spending(paid: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": ["2018"] * len(paid),
            "setting": ["consortium"] * len(paid),
            "institution_id": [f"THC{i:02d}" for i in range(1, len(paid) + 1)],
            "insurance_paid_yuan": paid,
        }
    )


def test_yuan_with_thousands_separators_is_read_exactly_with_a_note():
    frame = _spending(["1,234.57", "１，２３４，５６７．８", "12,345", "7.00"])
    with pytest.warns(IhmsWarning) as caught:
        table = SpendingTable.from_frame(frame, source="sp.csv")
    # by hand: 1,234.57 yuan = 123,457 fen; 1,234,567.8 yuan = 123,456,780 fen
    assert table.frame["insurance_paid_fen"].tolist() == [123_457, 123_456_780, 1_234_500, 700]
    (note,) = [str(w.message) for w in caught]
    assert note.startswith(
        "column 'insurance_paid_yuan' of sp.csv: 3 values written with thousands separators "
        "were read as numbers (1,234.57 → 1234.57"
    )
    assert "so 1,23 is refused" in note


def test_plain_yuan_gives_no_note():
    with warnings.catch_warnings():
        warnings.simplefilter("error", IhmsWarning)
        SpendingTable.from_frame(_spending(["1234.57"]), source="sp.csv")


@pytest.mark.parametrize("cell", ["1,23", "12,5", "1,2,3", "0,123", "1,234.567"])
def test_a_comma_that_is_no_thousands_separator_is_refused_with_its_place(cell):
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(_spending(["10.00", cell]), source="sp.csv")
    (problem,) = err.value.problems
    assert problem.startswith("column 'insurance_paid_yuan' of sp.csv row 3: ")
    assert problem.endswith(repr(cell))
    if cell != "1,234.567":  # grouped, but three decimals: the amount's form is at fault
        assert "a comma that is no thousands separator" in problem


@pytest.mark.parametrize("cell", ["1,234.57", "1,23", "12,5", "1,234,567", "12,34,567", ",123"])
def test_payment_and_data_import_take_the_same_yuan_cells(cell):
    imported, refused = coerce(pd.Series([cell], dtype=object), "yuan", thousands=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IhmsWarning)
            table = SpendingTable.from_frame(_spending([cell]), source="sp.csv")
    except DataError:
        assert bool(refused.iloc[0])
    else:
        assert not bool(refused.iloc[0])
        assert table.frame["insurance_paid_fen"].iloc[0] == imported.iloc[0]


def test_a_fen_column_stays_digits_only():
    frame = _spending(["0"]).drop(columns="insurance_paid_yuan")
    frame["insurance_paid_fen"] = ["1,234"]
    with pytest.raises(DataError) as err:
        SpendingTable.from_frame(frame, source="sp.csv")
    assert "whole fen >= 0" in err.value.problems[0]
    assert "give yuan in a column 'insurance_paid_yuan'" in err.value.problems[0]


def test_population_benchmark_in_grouped_yuan():
    frame = pd.DataFrame(
        {
            "year": ["2018"],
            "insured_population": ["1000"],
            "benchmark_per_capita_yuan": ["1,500.50"],
        }
    )
    with pytest.warns(IhmsWarning, match="benchmark_per_capita_yuan"):
        pop = PopulationTable.from_frame(frame, source="pop.csv")
    assert pop.for_year(2018).benchmark_per_capita_fen == 150_050


def test_encounters_in_grouped_yuan_are_summed_with_a_note():
    frame = pd.DataFrame(
        {
            "institution_id": ["CH01", "CH01", "OUT"],
            "date": ["2018-03-01", "2018-05-01", "2018-06-01"],
            "insurance_paid_yuan": ["1,000.50", "2,000", "0.01"],
        }
    )
    with pytest.warns(IhmsWarning, match="enc.csv: column 'insurance_paid_yuan': 2 values"):
        table = spending_from_encounters(
            frame, {"CH01": "consortium", "OUT": "outside_county"}, source="enc.csv"
        )
    year = table.for_year(2018)
    assert (year.consortium["CH01"], year.outside_county) == (300_050, 1)


def test_cli_settles_a_spreadsheet_in_grouped_yuan_as_the_fen_file(tmp_path):
    rows = list(csv.DictReader((EX / "spending.csv").open(encoding="utf-8")))
    path = tmp_path / "spending_yuan.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        names = [n.replace("_fen", "_yuan") for n in rows[0]]
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k.replace("_fen", "_yuan"): f"{Decimal(v).scaleb(-2):,.2f}"
                    if k.endswith("_fen")
                    else v
                    for k, v in row.items()
                }
            )
    assert "79,276,296.65" in path.read_text("utf-8")  # CH01 2016 insurance paid, in yuan
    args = ["payment", "settle", "--year", "2018", "--population", str(EX / "population.csv")]
    args += ["--assume-passed", "--json"]
    fen = runner.invoke(app, [*args, "--spending", str(EX / "spending.csv")])
    yuan = runner.invoke(app, [*args, "--spending", str(path)])
    assert fen.exit_code == 0 and yuan.exit_code == 0, yuan.output
    assert "written with thousands separators were read as numbers" in yuan.stderr
    assert "written with thousands separators" not in fen.stderr
    settled, expected = json.loads(yuan.stdout), json.loads(fen.stdout)
    assert settled["figures"] == expected["figures"]
    assert settled["budget"] == expected["budget"]
    assert settled["input_digest"] == expected["input_digest"]  # the same amounts to the fen


def test_counts_with_thousands_separators_are_read_with_a_note():
    # session 19 user review, F3: an Excel-saved population table writes 228,500; the
    # same file's yuan, `ihms data import` counts, its, trend and growth read it
    frame = pd.DataFrame(
        {
            "year": ["2021", "2022"],
            "insured_population": ["228,500", "２３０，１００"],
            "family_physician_registered": ["61,020", "700"],
        }
    )
    with pytest.warns(IhmsWarning) as caught:
        pop = PopulationTable.from_frame(frame, source="pop.csv")
    assert pop.for_year(2021).insured_population == 228_500
    assert pop.for_year(2022).insured_population == 230_100
    assert pop.for_year(2021).family_physician_registered == 61_020
    notes = [str(w.message) for w in caught]
    assert any(
        n.startswith("column 'insured_population' of pop.csv: 2 values written with thousands")
        for n in notes
    ), notes
    assert any("column 'family_physician_registered' of pop.csv: 1 value" in n for n in notes)


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("228,50", "a comma that is no thousands separator"),
        ("1,234.5", "expected a whole number > 0"),
        ("228.500", "expected a whole number > 0"),
    ],
)
def test_a_count_with_a_comma_that_is_no_separator_is_refused(cell, why):
    frame = pd.DataFrame({"year": ["2021"], "insured_population": [cell]})
    with pytest.raises(DataError) as err:
        PopulationTable.from_frame(frame, source="pop.csv")
    (problem,) = err.value.problems
    assert problem.startswith("column 'insured_population' of pop.csv row 2: ")
    assert why in problem and repr(cell) in problem
