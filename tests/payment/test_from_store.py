"""``population_from_store``'s family-physician registrations, worked out by hand.

One county (c1, grid g1, a township health centre T1; a second county c2 with grid g2
whose residents are not c1's), period 1 July 2016 - 31 December 2017, so 2016 has six
month ends (July - December) and 2017 twelve. A resident counts on a month end when
present (entry_date on or before it or null, exit_date after it or null), insured and
registered by then (fp_registered, fp_registered_date on or before it).
"""

from __future__ import annotations

import warnings
from datetime import date

import duckdb
import pandas as pd
import pytest

from ihms.data import Dataset, Period, Store, structural_tables
from ihms.errors import DataError, IhmsWarning, InputError
from ihms.payment import population_from_store
from ihms.system import parse_system

SYSTEM = """
ihms_system: 1
name: Two counties
period: {start: 2016-07-01, end: 2017-12-31}
counties:
  - {id: c1, name: County one, city: City}
  - {id: c2, name: County two, city: City}
grids:
  - {id: g1, name: Grid one, county: c1, population: {2016: 9, 2017: 9}}
  - {id: g2, name: Grid two, county: c2, population: {2016: 1, 2017: 1}}
institutions:
  - {id: T1, name: Centre one, tier: primary_centre, affiliation: county, county: c1, grid: g1}
  - {id: T2, name: Centre two, tier: primary_centre, affiliation: county, county: c2, grid: g2}
"""
PERIOD = Period(date(2016, 7, 1), date(2017, 12, 31))
D = date

# resident: (grid, insured, fp_registered, fp_registered_date, entry_date, exit_date)
RESIDENTS = {
    "a": ("g1", True, True, D(2015, 3, 1), None, None),  # registered before the data
    "b": ("g1", True, True, D(2016, 9, 15), None, None),  # from the September month end
    "c": ("g1", True, True, D(2016, 7, 31), None, None),  # on the first month end itself
    "d": ("g1", False, True, None, None, None),  # not insured: never counted, date unneeded
    "e": ("g1", True, True, D(2016, 5, 1), None, D(2017, 4, 1)),  # leaves: until 31 March
    "f": ("g1", True, True, D(2016, 6, 1), D(2016, 8, 20), None),  # signed before arriving
    "g": ("g1", True, False, None, None, None),  # not registered
    "h": ("g1", True, True, D(2017, 12, 31), None, None),  # the last day only
    "x": ("g2", True, True, D(2015, 1, 1), None, None),  # county c2's resident
}


def _frames(residents=RESIDENTS) -> dict[str, pd.DataFrame]:
    frames = structural_tables(parse_system(SYSTEM, source="two.yaml"))
    rows = [
        {
            "resident_id": rid,
            "birth_year": 1960,
            "sex": "F",
            "grid_id": grid,
            "insured": insured,
            "fp_registered": registered,
            "fp_registered_date": since,
            "fp_institution_id": None,
            "hypertension": False,
            "diabetes": False,
            "entry_date": entry,
            "exit_date": exit_,
        }
        for rid, (grid, insured, registered, since, entry, exit_) in residents.items()
    ]
    frames["residents"] = pd.DataFrame(rows)
    return frames


def _store(path, residents=RESIDENTS) -> Store:
    store = Store(path)
    store.write(Dataset.from_frames(_frames(residents), period=PERIOD))
    return store


def test_registered_members_are_the_mean_of_month_end_counts(tmp_path):
    with _store(tmp_path / "s.duckdb") as store, warnings.catch_warnings():
        warnings.simplefilter("error", IhmsWarning)  # d's missing date is not a gap
        pop = population_from_store(store, county_id="c1")
    # Registered insured c1 residents at the 2016 month ends (Jul-Dec, 6):
    # a 6 + b 4 (Sep-Dec) + c 6 + e 6 + f 5 (Aug-Dec) + h 0 = 27; 27 / 6 = 4.5 -> 5
    # (half up; round-half-even would give 4).
    assert pop.for_year(2016).family_physician_registered == 5
    # 2017 (12 month ends): a 12 + b 12 + c 12 + e 3 (Jan-Mar) + f 12 + h 1 (Dec) = 52;
    # 52 / 12 = 4.33 -> 4.
    assert pop.for_year(2017).family_physician_registered == 4
    # Insured c1 residents: 2016 a b c e g h 6 x 6 + f 5 = 41; 41 / 6 = 6.83 -> 7;
    # 2017 a b c f g h 6 x 12 + e 3 = 75; 75 / 12 = 6.25 -> 6.
    assert [pop.for_year(y).insured_population for y in (2016, 2017)] == [7, 6]


def test_an_undated_registration_is_not_guessed(tmp_path):
    residents = dict(RESIDENTS)
    residents["b"] = ("g1", True, True, None, None, None)
    with _store(tmp_path / "s.duckdb", residents) as store:
        with pytest.warns(IhmsWarning, match="1 registered insured resident"):
            pop = population_from_store(store, county_id="c1")
        assert pop.for_year(2016).family_physician_registered is None  # left out
        with pytest.raises(DataError, match="cannot be counted by year") as err:
            population_from_store(store, county_id="c1", registrations="required")
        assert err.value.problems == [
            "resident b: fp_registered is true but fp_registered_date is empty"
        ]
        with warnings.catch_warnings():
            warnings.simplefilter("error", IhmsWarning)
            omitted = population_from_store(store, county_id="c1", registrations="omit")
        assert omitted.for_year(2016).insured_population == 7
        with pytest.raises(InputError, match="registrations: expected one of if_known"):
            population_from_store(store, county_id="c1", registrations="yes")


def test_a_schema_1_0_store_gives_no_registrations(tmp_path):
    path = tmp_path / "s.duckdb"
    _store(path).close()
    con = duckdb.connect(str(path))  # what ihms 1.0 wrote: no fp_registered_date
    con.execute('ALTER TABLE residents DROP COLUMN "fp_registered_date"')
    con.execute("DROP TABLE staff_activities")
    con.execute("UPDATE _ihms_meta SET value = '1.0' WHERE key = 'schema_version'")
    con.close()
    with Store(path, read_only=True) as store:
        with pytest.warns(IhmsWarning, match="written under data schema 1.0"):
            pop = population_from_store(store, county_id="c1")
        assert pop.for_year(2017).family_physician_registered is None
        assert pop.for_year(2017).insured_population == 6
        with pytest.raises(DataError, match=r"data schema 1\.0, without fp_registered_date"):
            population_from_store(store, county_id="c1", registrations="required")


def test_resident_population_counts_every_resident_present(tmp_path):
    # The county's resident (total) population, for rules setting the budget on it
    # (budget.population: residents): c1 residents present on each month end, insured or
    # not (d is uninsured), the same mean of month-end counts rounded half up.
    # 2016 (6 month ends): a b c d e g h 7 x 6 + f 5 (Aug-Dec) = 47; 47 / 6 = 7.83 -> 8.
    # 2017 (12): a b c d f g h 7 x 12 + e 3 (Jan-Mar) = 87; 87 / 12 = 7.25 -> 7.
    with _store(tmp_path / "s.duckdb") as store:
        pop = population_from_store(store, county_id="c1")
    assert [pop.for_year(y).resident_population for y in (2016, 2017)] == [8, 7]
    assert [pop.for_year(y).insured_population for y in (2016, 2017)] == [7, 6]
