"""The population table's ``quality_score`` column reads a score as ``--quality-score`` and
a rule file's rates read theirs (``_parse.parse_rate``: a fraction or a percentage,
exact): 0.92, 92 % and '92%' are the same score; a value outside [0, 1] (a bare 92, a
decimal comma, 120 %) is refused naming the file, row and column, with the option's words."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from ihms.cli._payment_quality import quality_score_option
from ihms.errors import DataError
from ihms.payment import PopulationTable

EXPECTED = "expected a score between 0 and 1, as a fraction (0.92) or a percentage (92%)"


def _scores(cells) -> list[Decimal]:
    frame = pd.DataFrame(
        {
            "year": [str(2017 + i) for i in range(len(cells))],
            "insured_population": ["5000"] * len(cells),
            "quality_score": cells,
        }
    )
    table = PopulationTable.from_frame(frame, source="pop.csv")
    return [table.for_year(2017 + i).quality_score for i in range(len(cells))]


@pytest.mark.parametrize("text", ["0.92", "92%", "92 %", " 92% ", "92.0%", "92％"])
def test_a_score_written_as_a_fraction_or_a_percentage_is_the_same_score(text):
    assert _scores([text]) == [Decimal("0.92")]
    assert quality_score_option(text) == Decimal("0.92")  # as the option reads it


def test_a_parquet_float_is_read_as_written():
    assert _scores([0.92, np.float64(0.92)]) == [Decimal("0.92")] * 2


def test_a_score_outside_0_to_1_is_refused_naming_file_row_and_column(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        "year,insured_population,quality_score\n"
        "2017,5000,92\n"
        '2018,5000,"0,92"\n'
        "2019,5000,120%\n"
        "2020,5000,nan%\n"
        "2021,5000,-0.1\n"
        "2022,5000,0.92\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        PopulationTable.read(path)
    where = f"column 'quality_score' of {path}"
    assert info.value.problems == [
        f"{where} row 2: {EXPECTED}, got '92' (if 92 is a percentage, write 92% or 0.92)",
        f"{where} row 3: {EXPECTED}, got '0,92' (write the decimal point as '.': 0.92)",
        f"{where} row 4: {EXPECTED}, got '120%'",
        f"{where} row 5: {EXPECTED}, got 'nan%'",
        f"{where} row 6: {EXPECTED}, got '-0.1'",
    ]


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("92", " (if 92 is a percentage, write 92% or 0.92)"),
        ("0,92", " (write the decimal point as '.': 0.92)"),
        # was no hint: the decimal comma read as 92.5, out of range, ended the hint
        ("92,5", " (if 92,5 is a percentage, write 92.5% or 0.925)"),
        ("2", " (if 2 is a percentage, write 2% or 0.02)"),
        # was "write 1.5% or 0.015": a score of 1.5 % is no likely meaning of 1.5
        ("1.5", ""),
        ("1,5", ""),
        ("120%", ""),
        # was "(if 9,200 is a percentage, write 9.200% or 0.092)": commas in groups of
        # three are thousands separators wherever ihms reads a number
        # (ihms.stats._cells.ungrouped), so 9,200 is 9200 — no score in any reading
        (
            "9,200",
            " (9,200 is 9200 written with a thousands separator: a count or an "
            "amount, not a score)",
        ),
        (
            "92,500",
            " (92,500 is 92500 written with a thousands separator: a count or an "
            "amount, not a score)",
        ),
        (
            "1,234,567.5",
            " (1,234,567.5 is 1234567.5 written with a thousands separator: a "
            "count or an amount, not a score)",
        ),
        # a decimal comma that gives a score is still taken for one (0,920 is no grouping)
        ("0,920", " (write the decimal point as '.': 0.920)"),
        ("1,000", " (write the decimal point as '.': 1.000)"),
        # a percentage sign: a decimal comma (9200 % is no likely score)
        ("9,200%", " (write the decimal point as '.': 0.092)"),
    ],
)
def test_a_refused_score_is_hinted_at_only_where_a_meaning_is_likely(value, hint):
    from ihms.payment._parse import score_hint

    assert score_hint(value) == hint
