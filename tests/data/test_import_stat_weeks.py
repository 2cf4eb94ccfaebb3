"""A record's date in an SPSS file shown by its week, quarter or month (``WKYR``,
``QYR``, ``MOYR``) is the day the file holds: SPSS keeps every date as seconds from
14 October 1582 and the display format only shows it (IBM SPSS Statistics, "Date and
time formats"). ``ihms data import`` reads that day; the statistics commands read the
column as periods, where SPSS's week 53 beside week 52 is one Stata week twice and is
refused (``tests/test_stat_periods.py``). A record on 31 December is no such clash."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from ihms.data import Period, dataset_notes, read_tables

from .test_import_statfiles import _encounters

WHOLE = Period.parse("2016", "2019")
#: 2018-12-24 is day 358 of 2018, SPSS's week 52 (7-day blocks from 1 January); 2018-12-31
#: (day 365) its week 53; 2018-12-27 lies in week 52 but is not its first day
DAYS = ["2018-12-24", "2018-12-31", "2018-12-27", "2019-01-03"]


def _seconds(days) -> pd.Series:
    # SPSS's date: seconds from 1582-10-14 (2016-03-01 is 13,676,169,600)
    return (pd.to_datetime(pd.Series(days)) - pd.Timestamp("1582-10-14")).dt.days * 86_400.0


@pytest.mark.parametrize("shown", ["WKYR10", "QYR8", "MOYR8"])
def test_an_spss_date_shown_by_its_period_is_read_as_the_day_it_holds(csv_folder, youxi, shown):
    frame = _encounters(csv_folder)
    frame["date"] = _seconds(DAYS)
    # by hand: 2016-03-01 (13,676,169,600) + 365 + 365 + 298 days (to 24 December)
    assert frame.loc[0, "date"] == 13_676_169_600 + 1_028 * 86_400
    pyreadstat.write_sav(frame, str(csv_folder / "encounters.sav"), variable_format={"date": shown})
    dataset = read_tables(csv_folder, system=youxi, period=WHOLE)
    got = dataset.to_pandas("encounters")["date"]
    assert [str(d)[:10] for d in got] == DAYS
    assert (
        f"encounters.sav: column 'date' is shown by SPSS's {shown} format (a date by its "
        "period); its cells are read as the days they hold (2018-12-24, 2018-12-31, "
        "2018-12-27 and 1 more)"
    ) in dataset_notes(dataset)


def test_week_53_is_still_refused_where_weeks_are_periods(tmp_path):
    from ihms._statfiles import read_stat_table
    from ihms.errors import InputError

    path = Path(tmp_path) / "weeks.sav"
    frame = pd.DataFrame({"w": _seconds(DAYS[:2]), "y": [1.0, 2.0]})
    pyreadstat.write_sav(frame, str(path), variable_format={"w": "WKYR10"})
    assert read_stat_table(path, records=True)["w"].tolist() == DAYS[:2]
    with pytest.raises(InputError, match="SPSS week 53"):
        read_stat_table(path)
