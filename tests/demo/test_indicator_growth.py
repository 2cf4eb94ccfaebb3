"""The indicators section's year-on-year table holds growth in percent, its header
saying so (review of 2026-11-25, finding 6: the CSV and sheet held 0.0349 under
"year-on-year growth" beside the capacity sheet's "average annual growth (%)" 15.77)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from ihms.demo._indicator_growth import year_on_year
from ihms.indicators import CATALOGUE


def _results():
    rows = [
        ("outpatient_contacts", "2018", 200.0),
        ("outpatient_contacts", "2019", 206.98),  # 206.98 / 200 - 1 = 3.49 %
        ("outpatient_contacts", "2020", 206.98),  # no change: 0.0, not -0.0
        ("outpatient_contacts_primary_share", "2018", 60.8),
        ("outpatient_contacts_primary_share", "2019", 69.2),  # +8.4 percentage points
        ("outpatient_contacts_primary_share", "2020", 69.2),
    ]
    frame = pd.DataFrame(rows, columns=["indicator", "period", "value"]).assign(unit="youxi")
    return SimpleNamespace(to_frame=lambda: frame.copy())


def test_growth_is_held_in_percent_under_a_header_that_says_so():
    table = year_on_year(
        _results(),
        ["outpatient_contacts", "outpatient_contacts_primary_share"],
        "Table 4",
        county="youxi",
    )
    frame = table.to_frame()
    assert "year-on-year growth" not in frame.columns
    visits = frame.loc[CATALOGUE["outpatient_contacts"].name_en].set_index("year")
    assert visits.loc[2019, "year-on-year growth (%)"] == pytest.approx(3.49)
    # shares keep their change in percentage points, not a growth
    share = frame.loc["Share of outpatient contacts in primary care"].set_index("year")
    assert share.loc[2019, "year-on-year change (pp)"] == pytest.approx(8.4)
    text = table.to_text()
    assert "+3.5" in text and "+3.5%" not in text and "-0.0" not in text
    assert "+8.4 pp" in text
    assert "Growth (%) = 100 × (value / value of the previous period - 1)." in table.notes
