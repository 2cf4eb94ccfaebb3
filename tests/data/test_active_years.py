"""Every record naming an institution falls in a year the institution operates: an
encounter was refused at an institution before it opened, but a follow-up, a referral
(either end) or a resources row was let through, and then vanished from the
institution's row of the indicators while its tier, grid, county and total counted it.

Youxi (examples/youxi.yaml): YX-THC20 operates from 2018 (seed 002: 23 THCs from 2018);
YX-THC01 is made to close after 2016 below (``active_to``), for the other end.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from tests.data.test_dataset import PERIOD, frames, problems_of

from ihms.data import Dataset, read_tables, resources_table
from ihms.errors import DataError


def _problems(youxi, **overrides) -> list[str]:
    return problems_of(youxi, **overrides).split("\n")


def _not_operating(youxi, **overrides) -> list[str]:
    """The problems of records at an institution outside its years, YX-THC01 closed after
    2016."""
    inst = frames(youxi)["institutions"]
    inst["active_to"] = inst["active_to"].mask(inst["institution_id"] == "YX-THC01", 2016)
    return [p for p in _problems(youxi, institutions=inst, **overrides) if "operate" in p]


def test_an_encounter_names_the_institutions_active_years(youxi):
    enc = frames(youxi)["encounters"].assign(institution_id=["YX-CH01", "YX-THC20"])
    assert (
        "column 'institution_id' of encounters row 2: institution 'YX-THC20' does not "
        "operate in 2017 (active 2018–…)"
    ) in _problems(youxi, encounters=enc)


def test_a_followup_at_an_institution_not_yet_open(youxi):
    fu = pd.DataFrame(
        {
            "followup_id": ["f1", "f2"],
            "resident_id": ["a", "a"],
            "institution_id": ["YX-THC20", "YX-THC20"],
            # 2017: a year before YX-THC20 opens; 2018: its first year, fine
            "date": [date(2017, 3, 1), date(2018, 3, 1)],
            "condition": ["hypertension", "hypertension"],
            "systolic_mmhg": [140, 138],
            "diastolic_mmhg": [90, 88],
        }
    )
    assert [p for p in _problems(youxi, followups=fu) if "operate" in p] == [
        "column 'institution_id' of followups row 1: institution 'YX-THC20' does not "
        "operate in 2017 (active 2018–…)"
    ]


def test_a_referral_from_or_to_an_institution_not_open(youxi):
    ref = pd.DataFrame(
        {
            "referral_id": ["x1", "x2", "x3"],
            "resident_id": ["a", "a", "b"],
            "date": [date(2017, 4, 1), date(2017, 5, 1), date(2016, 6, 1)],
            # x1: sent by YX-THC20 before it opens; x2: received by YX-THC01 after it
            # closed; x3: YX-THC01 in its last year, fine
            "from_institution_id": ["YX-THC20", "YX-CH01", "YX-THC01"],
            "to_institution_id": ["YX-CH01", "YX-THC01", "YX-CH01"],
        }
    )
    assert _not_operating(youxi, referrals=ref) == [
        "column 'from_institution_id' of referrals row 1: institution 'YX-THC20' does not "
        "operate in 2017 (active 2018–…)",
        "column 'to_institution_id' of referrals row 2: institution 'YX-THC01' does not "
        "operate in 2017 (active …–2016)",
    ]


def test_an_encounters_referral_ends_name_their_active_years(youxi):
    # session 21: an encounter's referred_from_id / referred_to_id were checked as
    # institutions but not against their years, as a referral's ends are
    enc = frames(youxi)["encounters"].assign(
        # e1 (2016): referred from YX-THC20, which opens in 2018; e2 (2017): referred on
        # to YX-THC01, closed after 2016
        referred_from_id=["YX-THC20", None],
        referred_to_id=[None, "YX-THC01"],
    )
    assert _not_operating(youxi, encounters=enc) == [
        "column 'referred_from_id' of encounters row 1: institution 'YX-THC20' does not "
        "operate in 2016 (active 2018–…)",
        "column 'referred_to_id' of encounters row 2: institution 'YX-THC01' does not "
        "operate in 2017 (active …–2016)",
    ]


def test_a_staff_members_own_institution_names_its_active_years(youxi):
    # session 21: the host of a consultation day was checked, the staff member's own
    # institution was not; S2's row 2 is in 2017, a year before YX-THC20 opens
    acts = pd.DataFrame(
        {
            "staff_id": ["S1", "S2"],
            "institution_id": ["YX-CH01", "YX-THC20"],
            "date": [date(2017, 3, 1), date(2017, 3, 2)],
            "activity": ["health_education_session"] * 2,
        }
    )
    assert [p for p in _problems(youxi, staff_activities=acts) if "operate" in p] == [
        "column 'institution_id' of staff_activities row 2: institution 'YX-THC20' does not "
        "operate in 2017 (active 2018–…)"
    ]


def test_a_resources_row_for_a_year_the_institution_does_not_operate(youxi):
    res = resources_table(youxi, years=PERIOD.years)
    extra = pd.DataFrame({"institution_id": ["YX-THC20", "YX-THC20"], "year": [2017, 2018]})
    res = pd.concat([res[res["institution_id"] != "YX-THC20"], extra], ignore_index=True)
    # the row of 2017 is the (n-1)th of the file, the last but one
    row = len(res) - 1
    assert [p for p in _problems(youxi, resources=res) if "operate" in p] == [
        f"column 'institution_id' of resources row {row}: institution 'YX-THC20' does not "
        "operate in 2017 (active 2018–…)"
    ]


def test_the_file_and_its_line_are_named_on_import(csv_folder, youxi):
    # F2 moved to YX-THC20 in 2016 (it opens in 2018): line 3 of followups.csv, the
    # header being line 1
    path = csv_folder / "followups.csv"
    path.write_text(path.read_text().replace("YX-THC02,2016-05-02", "YX-THC20,2016-05-02"))
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert (
        "column 'institution_id' of followups.csv row 3: institution 'YX-THC20' does not "
        "operate in 2016 (active 2018–…)"
    ) in err.value.problems


def test_records_in_the_institutions_years_pass(youxi):
    fu = pd.DataFrame(
        {
            "followup_id": ["f1"],
            "resident_id": ["a"],
            "institution_id": ["YX-THC20"],
            "date": [date(2018, 3, 1)],
            "condition": ["hypertension"],
        }
    )
    ds = Dataset.from_frames(frames(youxi, followups=fu), period=PERIOD)
    assert ds.row_counts()["followups"] == 1
