"""The population source: residents at each period's start and end, and the average.

Worked examples on the tiny county of ``conftest.py`` with six more residents who come
and go across 2016 and 2017; every count is written out by hand below. A property test
checks the average against counts taken day by day from the register in plain Python.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from ihms.data import Dataset, Period, Store
from ihms.indicators import compute, load_catalogue
from ihms.indicators._sources import population_measures

from .conftest import tiny_frames

PERIOD = Period(date(2016, 1, 1), date(2017, 12, 31))

# The shipped hospitalization rate's numerator over each population denominator.
BOTH = """version: 1
indicators:
  - id: rate_average
    name_en: Admissions per 100 residents of the average population
    name_zh: 平均人口
    numerator: {source: resident_encounters, agg: count, where: {type: [inpatient]}}
    denominator: {source: population, agg: mean_start_end}
    factor: 100
    unit: admissions per 100 residents, average population
    periods: [month, year]
    levels: [total, county, grid, consortium]
    seed: test
    suppress_on: [numerator, denominator]
  - id: rate_end
    name_en: Admissions per 100 residents at the period's end
    name_zh: 期末人口
    numerator: {source: resident_encounters, agg: count, where: {type: [inpatient]}}
    denominator: {source: population, agg: count_end}
    factor: 100
    unit: admissions per 100 residents, period-end population
    periods: [month, year]
    levels: [total, county, grid, consortium]
    seed: test
    suppress_on: [numerator, denominator]
"""


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "both.yaml"
    path.write_text(BOTH, encoding="utf-8")
    return load_catalogue(path)


def _register(rows: list[tuple[str, str, date | None, date | None]]) -> pd.DataFrame:
    """Residents (id, grid, entry, exit) with nothing else of note."""
    return pd.DataFrame(
        {
            "resident_id": [r[0] for r in rows],
            "birth_year": 1980,
            "sex": "F",
            "grid_id": [r[1] for r in rows],
            "insured": True,
            "fp_registered": False,
            "hypertension": False,
            "diabetes": False,
            "entry_date": [r[2] for r in rows],
            "exit_date": [r[3] for r in rows],
        }
    )


def _dataset(extra, *, records: bool = True, also_on: date | None = None) -> Dataset:
    """The tiny county with ``extra`` residents: beside its ten residents and their
    records, or (``records=False``) as its only residents, whose only record is one
    outpatient visit of the first of them living there in the period (an empty
    encounters table would leave the rates out: no records is not no admissions), and
    a second one ``also_on`` that day (a period without any encounter is missing)."""
    frames = tiny_frames()
    if records:
        frames["residents"] = pd.concat([frames["residents"], _register(extra)], ignore_index=True)
    else:
        visit = frames["encounters"].iloc[[15]]  # o1: outpatient at CH
        for name in ("encounters", "claims", "followups", "referrals"):
            del frames[name]
        frames["residents"] = _register(extra)
        for resident, _, entry, exit_ in extra:
            day = max(entry or PERIOD.start, PERIOD.start)
            if day <= PERIOD.end and (exit_ is None or exit_ > day):
                days = [day] if also_on is None else [day, also_on]
                frames["encounters"] = pd.concat(
                    visit.assign(encounter_id=f"v{i}", resident_id=resident, date=pd.Timestamp(d))
                    for i, d in enumerate(days, 1)
                )
                break
    return Dataset.from_frames(frames, period=PERIOD)


# Besides r1-r6 (g1) and r7, r8 (g2), present throughout, r9 (g2) arriving 2016-03-15
# and r10 (g2) leaving 2017-07-01. A resident is present on a day when entry_date is on
# or before it and exit_date after it.
COMERS_AND_GOERS = [
    ("r11", "g1", date(2016, 1, 1), None),  # arrives on the data's first day
    ("r12", "g1", None, date(2016, 1, 1)),  # leaves on it: present on 2015-12-31 only
    ("r13", "g1", date(2016, 6, 10), date(2017, 2, 20)),
    ("r14", "g2", date(2015, 5, 1), date(2017, 12, 31)),  # arrived before the data
    ("r15", "g2", date(2017, 3, 1), date(2017, 9, 1)),  # comes and goes within 2017
    ("r16", "g2", date(2016, 12, 31), None),  # arrives on 2016's last day
]


@pytest.fixture(scope="module")
def comers_and_goers():
    return _dataset(COMERS_AND_GOERS)


def _row(results, indicator, unit, period):
    rows = results.select(indicators=[indicator], units=[unit], periods=[period])
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_yearly_by_grid_and_county_on_both_populations(comers_and_goers, both):
    # g1, 2016: start (2015-12-31) r1-r6 + r12 = 7 (r11, r13 not yet there);
    #           end (2016-12-31) r1-r6 + r11 + r13 = 8 (r12 gone)        -> (7 + 8) / 2 = 7.5
    # g1, 2017: start 8; end r1-r6 + r11 = 7 (r13 left 2017-02-20)       -> 7.5
    # g2, 2016: start r7, r8, r10, r14 = 4 (r9 comes in March, r16 on 12-31);
    #           end r7, r8, r9, r10, r14, r16 = 6                        -> 5
    # g2, 2017: start 6; end r7, r8, r9, r16 = 4 (r10, r14 and r15 gone:
    #           r14 left on 12-31 itself, r15 came and went)             -> 5
    # County c1 = g1 + g2: 2016 start 11, end 14 -> 12.5; 2017 start 14, end 11 -> 12.5.
    # Admissions of residents: 2016 i1 (r3, g1), i2 (r4, g1), i3 (r7, g2); 2017 i4 (r8,
    # g2), i5 (r1, g1).
    expected = {
        # unit, year: (admissions, average, year-end count)
        ("g1", 2016): (2, 7.5, 8),
        ("g1", 2017): (1, 7.5, 7),
        ("g2", 2016): (1, 5, 6),
        ("g2", 2017): (1, 5, 4),
        ("c1", 2016): (3, 12.5, 14),
        ("c1", 2017): (2, 12.5, 11),
    }
    by_grid = compute(comers_and_goers, level="grid", period="year", catalogue=both)
    by_county = compute(comers_and_goers, level="county", period="year", catalogue=both)
    for (unit, year), (admissions, average, end) in expected.items():
        r = by_county if unit == "c1" else by_grid
        avg = _row(r, "rate_average", unit, year)
        assert (avg.numerator, avg.denominator) == (admissions, average), (unit, year)
        assert avg.value == pytest.approx(100 * admissions / average, rel=1e-12)
        at_end = _row(r, "rate_end", unit, year)
        assert (at_end.numerator, at_end.denominator) == (admissions, end), (unit, year)
        assert at_end.value == pytest.approx(100 * admissions / end, rel=1e-12)
    # the county's 2016 rate: 3 / 12.5 x 100 = 24.0 on the average population, against
    # 3 / 14 x 100 = 21.4 on the year-end one
    assert _row(by_county, "rate_average", "c1", 2016).value == pytest.approx(24.0, rel=1e-12)
    assert _row(by_county, "rate_end", "c1", 2016).value == pytest.approx(300 / 14, rel=1e-12)


def test_monthly_by_grid_and_county_on_both_populations(comers_and_goers, both):
    # unit, month: (start = the previous month's last day, end = the month's last day)
    expected = {
        # g2 2016-01: start 2015-12-31 r7, r8, r10, r14 = 4; end 2016-01-31 the same 4
        ("g2", "2016-01"): (4, 4),
        # g2 2016-03: start 02-29 4; end 03-31 + r9 (arrived 03-15) = 5
        ("g2", "2016-03"): (4, 5),
        # g2 2016-12: start 11-30 r7, r8, r9, r10, r14 = 5; end 12-31 + r16 = 6
        ("g2", "2016-12"): (5, 6),
        # g2 2017-03: start 02-28 6; end 03-31 + r15 (arrived 03-01) = 7
        ("g2", "2017-03"): (6, 7),
        # g2 2017-07: start 06-30 7; end 07-31 without r10 (left 07-01) = 6
        ("g2", "2017-07"): (7, 6),
        # g2 2017-09: start 08-31 r7, r8, r9, r14, r15, r16 = 6; end without r15 = 5
        ("g2", "2017-09"): (6, 5),
        # g2 2017-12: start 11-30 5; end 12-31 without r14 (left that day) = 4
        ("g2", "2017-12"): (5, 4),
        # g1 2016-01: start 2015-12-31 r1-r6 + r12 = 7; end 01-31 r1-r6 + r11 = 7
        ("g1", "2016-01"): (7, 7),
        # g1 2016-06: start 05-31 r1-r6, r11 = 7; end 06-30 + r13 (arrived 06-10) = 8
        ("g1", "2016-06"): (7, 8),
        # g1 2017-02: start 01-31 8; end 02-28 without r13 (left 02-20) = 7
        ("g1", "2017-02"): (8, 7),
        # county c1 2016-01: g1 + g2 = 7 + 4 = 11 at both ends
        ("c1", "2016-01"): (11, 11),
        # county c1 2017-07: g1 7 + g2 7 = 14 at the start, 7 + 6 = 13 at the end
        ("c1", "2017-07"): (14, 13),
    }
    by_grid = compute(comers_and_goers, level="grid", period="month", catalogue=both)
    by_county = compute(comers_and_goers, level="county", period="month", catalogue=both)
    for (unit, month), (start, end) in expected.items():
        r = by_county if unit == "c1" else by_grid
        assert _row(r, "rate_average", unit, month).denominator == (start + end) / 2, unit
        assert _row(r, "rate_end", unit, month).denominator == end, (unit, month)
    # g1, May 2016: r3's stay (05-10) over (7 + 7) / 2 = 7 residents (r1-r6, r11);
    # g2, February 2017: r8's stay (02-01) over (6 + 6) / 2 = 6.
    assert _row(by_grid, "rate_average", "g1", "2016-05").value == pytest.approx(100 / 7)
    assert _row(by_grid, "rate_average", "g2", "2017-02").value == pytest.approx(100 / 6)
    # g2, June 2016: no stay (o3, o4 are visits); 0 over (5 + 5) / 2 is a true 0 %
    assert _row(by_grid, "rate_average", "g2", "2016-06").value == 0.0
    # July 2016 has no encounter at all: the stays are unknown, the population is not
    july = _row(by_grid, "rate_average", "g2", "2016-07")
    assert pd.isna(july.numerator) and pd.isna(july.value) and july.denominator == 5


def test_a_unit_whose_residents_all_left_keeps_its_start(both):
    # y1 lives in g1 throughout; y2, the only resident of g2, leaves on 2017-01-01.
    # g2, 2016: start 1, end 1 -> 1. g2, 2017: present on 2016-12-31 (start 1), gone on
    # 2017-12-31 (end 0) -> (1 + 0) / 2 = 0.5 residents: no admission, a true 0 %, where
    # the year-end population (0) gives no rate at all. y1's visits in 2016 and 2017 keep
    # either year from being one without any encounter (missing, not 0).
    extra = [("y1", "g1", None, None), ("y2", "g2", None, date(2017, 1, 1))]
    data = _dataset(extra, records=False, also_on=date(2017, 5, 1))
    r = compute(data, level="grid", period="year", catalogue=both)
    assert _row(r, "rate_average", "g2", 2016).denominator == 1
    row = _row(r, "rate_average", "g2", 2017)
    assert (row.numerator, row.denominator, row.value) == (0, 0.5, 0.0)
    row = _row(r, "rate_end", "g2", 2017)
    assert row.denominator == 0 and pd.isna(row.value)


def test_the_average_is_suppressed_like_a_count(both, comers_and_goers):
    # 2016, min_cell 2: g2 has 1 admission (i3) over an average of 5 residents, a count
    # below 2, so its cell is hidden; g1 has 2 admissions over 7.5 and stays.
    r = compute(comers_and_goers, level="grid", period="year", catalogue=both).suppress(2)
    g2 = _row(r, "rate_average", "g2", 2016)
    assert g2.suppressed and pd.isna(g2.denominator) and pd.isna(g2.value)
    g1 = _row(r, "rate_average", "g1", 2016)
    assert not g1.suppressed and g1.denominator == 7.5


def test_population_measures_from_residents_grouped_by_entry_and_exit(both):
    # Years 2016-2017; g1: 3 residents there throughout (keys 0 and 10**9), 2 arriving in
    # 2016 and leaving in 2017, 1 whose exit (2016) precedes its entry (2017), as an
    # unvalidated register may have: present nowhere.
    # 2016: start 3, end 3 + 2 = 5 -> twice the average 8; 2017: start 5, end 3 -> 8.
    grouped = pd.DataFrame(
        {
            "grid_id": ["g1", "g1", "g1"],
            "entry_key": [0, 2016, 2017],
            "exit_key": [10**9, 2017, 2016],
            "n": [3, 2, 1],
        }
    )
    avg, end = (both["rate_average"].denominator, both["rate_end"].denominator)
    out = population_measures(grouped, [avg, end], [2016, 2017])
    assert out["period_key"].tolist() == [2016, 2017]
    assert out[avg.engine_key].tolist() == [3 + 5, 5 + 3]
    assert out[end.engine_key].tolist() == [5, 3]


# -- property: the average lies between the start and end counts ------------------------------
DAY0 = date(2015, 1, 1)
DAYS = (date(2018, 6, 30) - DAY0).days


def _present(rows, grid: str, day: date) -> int:
    return sum(
        g == grid and (e is None or e <= day) and (x is None or x > day) for _, g, e, x in rows
    )


def _months():
    for y in (2016, 2017):
        for m in range(1, 13):
            first = date(y, m, 1)
            yield (
                f"{y}-{m:02d}",
                first - timedelta(days=1),
                date(y, m, calendar.monthrange(y, m)[1]),
            )


@st.composite
def comers(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for i in range(n):
        grid = draw(st.sampled_from(["g1", "g2"]))
        entry = draw(st.none() | st.integers(0, (PERIOD.end - DAY0).days))
        low = 1 if entry is None else entry + 1
        exit_ = draw(st.none() | st.integers(low, DAYS))
        rows.append(
            (
                f"x{i}",
                grid,
                None if entry is None else DAY0 + timedelta(days=entry),
                None if exit_ is None else DAY0 + timedelta(days=exit_),
            )
        )
    return rows


# each example writes a store and computes twice (~1 s): no shrinking, which would take
# minutes; a failure shows the example as drawn
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(extra=comers())
def test_the_average_lies_between_the_start_and_end_counts(both, extra):
    data = _dataset(extra, records=False)
    with Store(":memory:") as store:
        store.write(data)
        months = compute(store, level="grid", period="month", catalogue=both)
        years = compute(store, level="county", period="year", catalogue=both)
    for label, start_day, end_day in _months():
        for grid in ("g1", "g2"):
            start, end = _present(extra, grid, start_day), _present(extra, grid, end_day)
            if start == end == 0:
                continue
            avg = _row(months, "rate_average", grid, label).denominator
            assert min(start, end) <= avg <= max(start, end)
            assert avg == (start + end) / 2
            assert _row(months, "rate_end", grid, label).denominator == end
    for year in (2016, 2017):
        start = sum(_present(extra, g, date(year - 1, 12, 31)) for g in ("g1", "g2"))
        end = sum(_present(extra, g, date(year, 12, 31)) for g in ("g1", "g2"))
        assert _row(years, "rate_average", "c1", year).denominator == (start + end) / 2
        assert _row(years, "rate_end", "c1", year).denominator == end
