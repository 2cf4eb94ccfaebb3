import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.sim.compare import RegimeComparison


def test_summary_of_a_year_not_compared_names_the_years():
    frame = pd.DataFrame(
        {
            "regime": ["sanming", "sanming"],
            "year": [2018, 2019],
            "figure": ["hospitalization_rate", "hospitalization_rate"],
            "value": [16.0, 15.5],
        }
    )
    cmp = RegimeComparison(frame=frame, settlements={}, runs={"sanming": None})
    assert cmp.summary(2019).frame.loc[:, "sanming"].tolist() == [15.5]
    with pytest.raises(
        InputError, match=r"year: expected one of the compared years \[2018, 2019\], got 2030"
    ):
        cmp.summary(2030)
