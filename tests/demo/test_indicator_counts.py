"""The whole-county rate tables show their numerators and denominators (session 23
review, MEDIUM 4: 'hypertension management 2019 is 27,714/34,869' was only in
`ihms indicators compute --out`)."""

from types import SimpleNamespace

import pandas as pd

from ihms.demo._indicators import counts_table


def test_each_rate_and_year_has_its_numerator_and_denominator():
    frame = pd.DataFrame(
        {
            "indicator": ["hypertension_management_rate"] * 2 + ["hospitalization_rate"],
            "unit": ["youxi"] * 3,
            "period": ["2018", "2019", "2019"],
            "numerator": [25_000, 27_714, 59_357],
            "denominator": [34_000, 34_869, 362_697.5],
            "value": [73.5, 79.48, 16.37],
        }
    )
    table = counts_table(
        SimpleNamespace(frame=frame),
        ["hospitalization_rate", "hypertension_management_rate"],
        unit="youxi",
        title="N",
    )
    shown = table.to_frame()
    assert list(shown.columns) == ["indicator", "year", "numerator", "denominator"]
    row = shown[(shown["year"] == "2019") & (shown["indicator"] == "hypertension_management_rate")]
    assert row[["numerator", "denominator"]].values.tolist() == [[27_714, 34_869]]
    assert shown["indicator"].iloc[0] == "hospitalization_rate"  # in the order asked
    assert 362_697.5 in shown["denominator"].tolist()
