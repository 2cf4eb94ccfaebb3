"""``staff_values_from_store``: the doctors' scorecard counts from staff_activities,
worked out by hand.

County c1: a county hospital H1 (secondary), township health centres T1 and T2 and a
village clinic V1 (primary care), and a second hospital H2. Period 2016-01-01 to
2017-12-31. The roster is A and B (H1 doctors) and C (a T1 doctor); Z has activities but
is not on the roster.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from ihms.data import Dataset, Period, Pseudonymiser, Store, pseudonymise_dataset, structural_tables
from ihms.errors import DataError, InputError
from ihms.payment import StaffRoster, annual_salaries, load_rules, staff_values_from_store
from ihms.system import parse_system

SYSTEM = """
ihms_system: 1
name: One county
period: {start: 2016-01-01, end: 2017-12-31}
counties:
  - {id: c1, name: County one, city: City}
grids:
  - {id: g1, name: Grid one, county: c1, population: {2016: 1, 2017: 1}}
institutions:
  - {id: H1, name: County hospital, tier: secondary, affiliation: county, county: c1, grid: g1}
  - {id: H2, name: Second hospital, tier: secondary, affiliation: county, county: c1, grid: g1}
  - {id: T1, name: Centre one, tier: primary_centre, affiliation: county, county: c1, grid: g1}
  - {id: T2, name: Centre two, tier: primary_centre, affiliation: county, county: c1, grid: g1}
  - {id: V1, name: Village clinic, tier: village_clinic, affiliation: county, ownership: collective, county: c1, grid: g1}
"""
PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))
D = date
S, C = "health_education_session", "thc_consultation_day"

# (staff, own institution, date, activity, host)
ACTIVITIES = [
    ("A", "H1", D(2016, 1, 1), S, None),  # first day of 2016
    ("A", "H1", D(2016, 3, 1), S, None),
    ("A", "H1", D(2016, 3, 1), S, "T1"),  # a second session that day, elsewhere: 2
    ("A", "H1", D(2016, 4, 5), C, "T1"),
    ("A", "H1", D(2016, 4, 5), C, "T2"),  # morning T1, afternoon T2: one day
    ("A", "H1", D(2016, 12, 31), C, "V1"),  # last day of 2016
    ("A", "H1", D(2017, 1, 1), C, "T1"),  # first day of 2017
    ("C", "T1", D(2017, 6, 1), S, "T1"),
    ("Z", "H1", D(2016, 7, 1), S, None),
]
# By hand:
#   2016: A sessions 1 Jan, 1 Mar (two rows) = 3; consultation days 5 Apr, 31 Dec = 2
#         B, C nothing = 0, 0; Z 1 session.
#   2017: A 0 sessions, 1 day (1 Jan); C 1 session; B 0, 0; Z no row at all.
ROSTER = StaffRoster.from_frame(
    pd.DataFrame(
        {
            "staff_id": ["A", "B", "C"],
            "role": ["doctor"] * 3,
            "institution_id": ["H1", "H1", "T1"],
            "base_salary_fen": [20_000_000, 18_000_000, 11_000_000],
        }
    ),
    source="staff.csv",
)


def _frames(activities=ACTIVITIES) -> dict[str, pd.DataFrame]:
    frames = structural_tables(parse_system(SYSTEM, source="one.yaml"))
    frames["residents"] = pd.DataFrame(
        [
            {
                "resident_id": "r1",
                "birth_year": 1960,
                "sex": "F",
                "grid_id": "g1",
                "insured": True,
                "fp_registered": False,
                "hypertension": False,
                "diabetes": False,
            }
        ]
    )
    frames["staff_activities"] = pd.DataFrame(
        activities,
        columns=["staff_id", "institution_id", "date", "activity", "host_institution_id"],
    )
    return frames


def _store(path, activities=ACTIVITIES, *, pseudonymiser=None) -> Store:
    dataset = Dataset.from_frames(_frames(activities), period=PERIOD, id_scheme="raw")
    if pseudonymiser is not None:
        dataset = pseudonymise_dataset(dataset, pseudonymiser)
    store = Store(path)
    store.write(dataset)
    return store


def _counts(values, year):
    return {
        subject: (
            int(values.for_subject(year, subject)["health_education_sessions"]),
            int(values.for_subject(year, subject)["thc_consultation_days"]),
        )
        for subject in values.subjects(year)
    }


def test_counts_per_staff_member_and_year(tmp_path):
    with _store(tmp_path / "s.duckdb") as store:
        y2016 = staff_values_from_store(store, 2016, roster=ROSTER)
        y2017 = staff_values_from_store(store, 2017, roster=ROSTER)
        bare = staff_values_from_store(store, 2016)
    assert _counts(y2016, 2016) == {"A": (3, 2), "B": (0, 0), "C": (0, 0), "Z": (1, 0)}
    assert _counts(y2017, 2017) == {"A": (0, 1), "B": (0, 0), "C": (1, 0)}
    # without a roster only those with an activity that year
    assert _counts(bare, 2016) == {"A": (3, 2), "Z": (1, 0)}


def test_the_values_score_the_doctor_card(tmp_path):
    # sanming's doctor card: sessions capped ratio to 24 (weight 0.3), consultation days
    # at least 12 (0.3), health management rate 50 % -> 90 % (0.4, given here as 0.9).
    with _store(tmp_path / "s.duckdb") as store:
        values = staff_values_from_store(store, 2016, roster=ROSTER)
    given = {
        m.staff_id: {
            **values.for_subject(2016, m.staff_id),
            "health_management_rate": Decimal("0.9"),
        }
        for m in ROSTER.members
    }
    salaries = annual_salaries(load_rules("sanming").staff_pay, ROSTER.members, given)
    card = {c.subject: c for c in salaries.scorecards}["A"]
    # A: 0.3 x 3/24 + 0.4 x 1 + 0.3 x 0 (2 < 12 days) = 0.0375 + 0.4 = 0.4375
    assert card.total == Decimal("0.4375")


def test_a_consultation_day_at_a_hospital_is_refused(tmp_path):
    bad = [*ACTIVITIES, ("A", "H1", D(2016, 8, 8), C, "H2")]
    with pytest.raises(DataError) as err:
        Dataset.from_frames(_frames(bad), period=PERIOD)
    assert any(
        "host 'H2' is a secondary institution; a consultation day is at a primary-care "
        "institution" in p
        for p in err.value.problems
    )


def test_a_year_outside_the_period_or_a_store_without_activities_is_refused(tmp_path):
    with (
        _store(tmp_path / "s.duckdb") as store,
        pytest.raises(InputError, match=r"year 2018: outside the period"),
    ):
        staff_values_from_store(store, 2018, roster=ROSTER)
    with (
        _store(tmp_path / "empty.duckdb", activities=[]) as store,
        pytest.raises(InputError, match="its staff_activities table is empty"),
    ):
        staff_values_from_store(store, 2016, roster=ROSTER)
    path = tmp_path / "old.duckdb"
    _store(path).close()
    con = duckdb.connect(str(path))  # what ihms 1.1 wrote
    con.execute("DROP TABLE staff_activities")
    con.execute("UPDATE _ihms_meta SET value = '1.1' WHERE key = 'schema_version'")
    con.close()
    with (
        Store(path, read_only=True) as store,
        pytest.raises(InputError, match=r"written under data schema 1\.1, before the table"),
    ):
        staff_values_from_store(store, 2016, roster=ROSTER)


def test_a_pseudonymised_store_matches_the_roster_through_the_key(tmp_path):
    key = Pseudonymiser(b"a-test-key-of-enough-bytes")
    with _store(tmp_path / "p.duckdb", pseudonymiser=key) as store:
        values = staff_values_from_store(store, 2016, roster=ROSTER, pseudonymiser=key)
        counts = _counts(values, 2016)
        assert {k: v for k, v in counts.items() if k in "ABC"} == {
            "A": (3, 2),
            "B": (0, 0),
            "C": (0, 0),
        }
        assert counts[key.pseudonym("Z", kind="staff")] == (1, 0)  # not on the roster
        with pytest.raises(InputError, match="give the key the data were imported with"):
            staff_values_from_store(store, 2016, roster=ROSTER)
        other = Pseudonymiser(b"another-key-of-enough-bytes")
        with pytest.raises(InputError, match="pseudonymised with another key"):
            staff_values_from_store(store, 2016, roster=ROSTER, pseudonymiser=other)
