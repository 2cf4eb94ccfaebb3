"""A referral or a resources row at an institution in a year it does not operate: the
institution has no row that year (its cell is missing), so the record counted at its
tier, grid, county and total and in no institution row, and the institution rows did not
add up. Validation now refuses it, as it refused an encounter there; data that were not
validated so (a store imported by an earlier version, ``validate=False``) get a note
counting the records and saying where they count.

The tiny county of tests/indicators/conftest.py, with VC1 opening in 2017 and THC2 in
2017 (their 2016 encounters p1-p3, p9, p10, follow-up f01 and THC2's 2016 resources row
taken out, as validation asks), plus:

* z1, 2016-07-01, VC1 -> THC1: up (village clinic < township centre), sent by VC1
  before it opens;
* THC2's resources row of 2016 (20 beds) put back, a year before it opens.

Every number below is worked out by hand from those rows.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from ihms.data import Dataset, Period
from ihms.errors import DataError
from ihms.indicators import compute

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))


def _opening_in_2017(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    inst = tables["institutions"]
    inst["active_from"] = inst["active_from"].mask(
        inst["institution_id"].isin(["VC1", "THC2"]), 2017
    )
    for name in ("encounters", "followups"):
        frame = tables[name]
        early = frame["institution_id"].isin(["VC1", "THC2"]) & (frame["date"].dt.year < 2017)
        tables[name] = frame[~early]
    res = tables["resources"]
    tables["resources"] = res[~((res["institution_id"] == "THC2") & (res["year"] == 2016))]
    return tables


def _z1(tables: dict[str, pd.DataFrame], when: date) -> dict[str, pd.DataFrame]:
    z1 = pd.DataFrame(
        {
            "referral_id": ["z1"],
            "resident_id": ["r5"],
            "date": [when],
            "from_institution_id": ["VC1"],
            "to_institution_id": ["THC1"],
        }
    )
    tables["referrals"] = pd.concat([tables["referrals"], z1], ignore_index=True)
    return tables


def _thc2_beds_2016(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    row = pd.DataFrame(
        {"institution_id": ["THC2"], "year": [2016], "beds": [20], "gps": [1], "specialists": [3]}
    )
    tables["resources"] = pd.concat([tables["resources"], row], ignore_index=True)
    return tables


def _cell(results, indicator, unit, year):
    rows = results.select(indicators=[indicator], units=[unit], periods=[str(year)])
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_a_record_outside_its_institutions_years_is_refused(tiny_tables):
    tables = _thc2_beds_2016(_z1(_opening_in_2017(tiny_tables), date(2016, 7, 1)))
    with pytest.raises(DataError) as err:
        Dataset.from_frames(tables, period=PERIOD)
    # z1 is the 4th referral (after x1-x3); THC2's 2016 row the 6th resources row
    # (CH, THC1 2016; CH, THC1, THC2 2017; then it)
    assert [p for p in err.value.problems if "operate" in p] == [
        "column 'from_institution_id' of referrals row 4: institution 'VC1' does not "
        "operate in 2016 (active 2017–…)",
        "column 'institution_id' of resources row 6: institution 'THC2' does not operate "
        "in 2016 (active 2017–…)",
    ]


def test_the_institution_rows_add_up_once_the_records_are_valid(tiny_tables):
    # z1 in VC1's first year instead: 2017-07-01
    data = Dataset.from_frames(_z1(_opening_in_2017(tiny_tables), date(2017, 7, 1)), period=PERIOD)
    ids = ["referrals_up", "referrals_up_received"]
    inst = compute(data, indicators=ids, level="institution")
    total = compute(data, indicators=ids, level="total")
    # up, sent: 2016 x1 CH -> PH = 1; 2017 x2 VC1 -> THC1 and z1 VC1 -> THC1 = 2.
    # up, received: 2016 x1 at PH = 1; 2017 x2, z1 at THC1 = 2.
    for indicator in ids:
        for year, expected in ((2016, 1), (2017, 2)):
            rows = inst.select(indicators=[indicator], periods=[str(year)])
            assert (
                rows["numerator"].sum()
                == expected
                == _cell(total, indicator, "total", year).numerator
            )
    assert _cell(inst, "referrals_up", "VC1", 2017).numerator == 2
    assert not [n for n in inst.notes if "do not operate" in n]


def test_data_not_validated_so_get_a_note_counting_the_records(tiny_tables):
    tables = _thc2_beds_2016(_z1(_opening_in_2017(tiny_tables), date(2016, 7, 1)))
    data = Dataset.from_frames(tables, period=PERIOD, validate=False)
    ids = ["referrals_up", "referrals_up_received", "thc_beds_per_institution"]
    inst = compute(data, indicators=ids, level="institution")
    tier = compute(data, indicators=["referrals_up"], level="tier")
    # 2016 up, sent: x1 at CH (1) and z1 at VC1, which has no 2016 row: the institution
    # rows hold 1, the tiers 2 (secondary 1, village_clinic 1).
    assert inst.select(indicators=["referrals_up"], periods=["2016"])["numerator"].sum() == 1
    assert tier.select(indicators=["referrals_up"], periods=["2016"])["numerator"].sum() == 2
    assert pd.isna(_cell(inst, "referrals_up", "VC1", 2016).numerator)
    # z1 received at THC1 (open in 2016) counts there: 1 (x1 arrives at PH)
    assert _cell(inst, "referrals_up_received", "THC1", 2016).numerator == 1
    (note,) = [n for n in inst.notes if "do not operate" in n]
    # one referral sent (z1, VC1 2016) and one resources row (THC2 2016); z1 received at
    # THC1 is no such record
    assert note.startswith(
        "2 records at institutions in years they do not operate: 1 referral sent at "
        "VC1 2016 (active 2017–…); 1 resources row at THC2 2016 (active 2017–…)"
    )
    assert "tier, grid, county and total" in note
    # the tier, county and total levels have every record: no note there
    assert not [n for n in tier.notes if "do not operate" in n]


def test_encounters_read_by_two_sources_are_counted_once(tiny_tables):
    # VC1 from 2017 with its 2016 visits p1, p2, p3 kept (validate=False): 3 encounters,
    # which healthcare_visits (source encounters) and thc_disease_spectrum_ambulatory
    # (source diagnoses) both read -- 3 in the note, not 6.
    inst = tiny_tables["institutions"]
    inst["active_from"] = inst["active_from"].mask(inst["institution_id"] == "VC1", 2017)
    fu = tiny_tables["followups"]
    tiny_tables["followups"] = fu[fu["followup_id"] != "f01"]
    data = Dataset.from_frames(tiny_tables, period=PERIOD, validate=False)
    ids = ["healthcare_visits", "thc_disease_spectrum_ambulatory"]
    r = compute(data, indicators=ids, level="institution")
    (note,) = [n for n in r.notes if "do not operate" in n]
    assert note.startswith(
        "3 records at institutions in years they do not operate: 3 encounters at VC1 2016 "
        "(active 2017–…) — counted at their tier"
    )


def test_an_open_start_is_read_as_open_and_a_closed_end_as_closed(tiny_tables):
    # VC1 closing after 2016, its start left empty (open), its 2017 visits p11 and o5
    # kept (validate=False): 2 encounters at VC1 2017, its years written "…–2016". Every
    # other institution is open at both ends and gets no mention.
    inst = tiny_tables["institutions"]
    inst["active_to"] = inst["active_to"].mask(inst["institution_id"] == "VC1", 2016)
    data = Dataset.from_frames(tiny_tables, period=PERIOD, validate=False)
    r = compute(data, indicators=["healthcare_visits"], level="institution")
    (note,) = [n for n in r.notes if "do not operate" in n]
    assert note.startswith(
        "2 records at institutions in years they do not operate: 2 encounters at VC1 2017 "
        "(active …–2016) — counted at their tier"
    )


def test_institutions_open_at_both_ends_get_no_note(tiny_tables):
    data = Dataset.from_frames(tiny_tables, period=PERIOD, validate=False)
    r = compute(data, indicators=["healthcare_visits"], level="institution")
    assert not [n for n in r.notes if "do not operate" in n]
