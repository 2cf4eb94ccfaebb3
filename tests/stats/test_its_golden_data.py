"""The golden cigsales table against Stata's own printout of the same panel.

Printed by Stata 19 on Abadie, Diamond and Hainmueller's (2010) smoking panel (the
data of Linden's cigsales.dta) in Mendez's synthetic-control tutorial report
(github.com/cmg777/starter-academic-v501, content/post/stata_sc/results_report.md):
``summarize`` ("Data Overview") and ``synth2``'s covariate balance and post-treatment
prediction tables. They check every one of the 1,209 transcribed values through their
mean and standard deviation, and California's and the 38 controls' values in the years
printed (see tests/golden/README.md).
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.stats.test_its import assert_printed, cigsales


@pytest.fixture(scope="module")
def data():
    return cigsales()  # cigsale as Stata's 4-byte float, read in double


def test_summarize_of_the_panel(data):
    # summarize: state 1,209 20 11.25929 1 39; year 1,209 1985 8.947973 1970 2000;
    # cigsale 1,209 118.8932 32.7674 40.7 296.2
    assert len(data) == 1209
    assert_printed(data["state"].mean(), "20")
    assert_printed(data["state"].std(), "11.25929")
    assert_printed(data["year"].mean(), "1985")
    assert_printed(data["year"].std(), "8.947973")
    assert_printed(data["cigsale"].mean(), "118.8932")
    assert_printed(data["cigsale"].std(), "32.7674")
    assert_printed(data["cigsale"].min(), "40.7")
    assert_printed(data["cigsale"].max(), "296.2")


def test_synth2_balance_table(data):
    # cigsale(1988), (1980), (1975): treated 90.1000, 120.2000, 127.1000; "Average
    # Control" 113.8237, 138.0895, 136.9316 (the 38 other states, unweighted)
    for year, treated, controls in [
        (1988, "90.1000", "113.8237"),
        (1980, "120.2000", "138.0895"),
        (1975, "127.1000", "136.9316"),
    ]:
        rows = data[data["year"] == year]
        assert_printed(rows.loc[rows["state"] == 3, "cigsale"].item(), treated)
        assert_printed(rows.loc[rows["state"] != 3, "cigsale"].mean(), controls)


def test_synth2_actual_outcomes_of_california(data):
    # "Actual Outcome" 1989-2000 and its Mean 60.3500
    printed = [
        "82.4",
        "77.8",
        "68.7",
        "67.5",
        "63.4",
        "58.6",
        "56.4",
        "54.5",
        "53.8",
        "52.3",
        "47.2",
        "41.6",
    ]
    ca = data[(data["state"] == 3) & (data["year"] >= 1989)].sort_values("year")
    assert ca["year"].tolist() == list(range(1989, 2001))
    for value, text in zip(ca["cigsale"], printed, strict=True):
        assert_printed(value, text)
    assert_printed(np.mean(ca["cigsale"]), "60.3500")
