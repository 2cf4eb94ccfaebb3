"""The family-physician fee when it changes (by year, or within a year) and where it goes.

Deqing's blended payment (seed 004, "Payment model": "a per-member-year care management
fee in addition to traditional fee-for-services payments"). A user review (session 21,
finding 1) set a fee of 100 yuan from January 2019 and 120 yuan from July; the rule file
refused it. Every figure below is worked by hand in the comments: a fee per member per
year is charged for each period as member-months × fee / 12, rounded half up to the fen,
and the year's fee is the sum of its periods.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ihms.errors import ConfigError
from ihms.payment import (
    CountyYear,
    PastYear,
    SettlementInputs,
    YearSpending,
    builtin_rules_text,
    load_rules,
    settle_year,
)
from ihms.payment._ledger_checks import expected_nets
from ihms.payment.family_physician import family_physician_fee
from ihms.payment.fee_schedule import FamilyPhysicianFee
from ihms.payment.postings import net_by_account, record_postings
from ihms.payment.registrations import Registrations
from ihms.payment.rules import PremiumRule

DEQING_FEE = "family_physician_fee:\n  per_member_per_year_yuan: 100   # (assumption)\n"


def _rules_file(tmp_path: Path, fee_yaml: str) -> Path:
    text = builtin_rules_text("deqing-shared-savings")
    assert DEQING_FEE in text
    path = tmp_path / "wk.yaml"
    path.write_text(text.replace(DEQING_FEE, fee_yaml), encoding="utf-8")
    return path


def _spending(year: int) -> YearSpending:
    return YearSpending(
        year=year,
        consortium={"CH": 200_000_000_00, "THC01": 10_000_000_00, "THC02": 5_000_000_00},
        outside_county=20_000_000_00,
        private=3_000_000_00,
        primary_care=15_000_000_00,
    )


def _settle(rules, county: CountyYear):
    # Deqing's benchmark trends the previous year forward, so the year before is given
    # (the same spending; what is shared does not matter to the fee)
    past = PastYear(county.year - 1, county.insured_population, _spending(county.year - 1))
    inputs = SettlementInputs(county=county, spending=_spending(county.year), history=(past,))
    return settle_year(rules, inputs)


def _county(year: int = 2019, **kw) -> CountyYear:
    return CountyYear(
        year=year,
        insured_population=415_012,
        benchmark_per_capita_fen=693_47,
        quality_score=Decimal("0.9"),  # above Deqing's standard of 60%
        **kw,
    )


def test_a_fee_changing_in_july_is_charged_by_member_months(tmp_path):
    # The review's county (wukang): 163,457 registered in 2019, one count for the year,
    # so every month has 163,457 members.
    #   Jan-Jun: 163,457 x 6 = 980,742 member-months x 100.00 / 12 = 8,172,850.00
    #   Jul-Dec: 163,457 x 6 = 980,742 member-months x 120.00 / 12 = 9,807,420.00
    #   year:    8,172,850.00 + 9,807,420.00 = 17,980,270.00, the reviewer's hand
    #            average (110.00 x 163,457), as it must be with flat registrations.
    path = _rules_file(
        tmp_path,
        "family_physician_fee:\n  per_member_per_year_yuan: {2019-01: 100, 2019-07: 120}\n",
    )
    rec = _settle(load_rules(path), _county(family_physician_registered=163_457))
    assert rec.family_physician_fee_fen == 17_980_270_00
    steps = {s.label: s for s in rec.steps}
    first = steps["family-physician fee 2019-01 to 2019-06 (6 months)"]
    second = steps["family-physician fee 2019-07 to 2019-12 (6 months)"]
    assert (first.amount_fen, second.amount_fen) == (8_172_850_00, 9_807_420_00)
    assert "163,457 registered (the year's count) × 6 months = 980,742 member-months" in (
        first.formula
    )
    assert "100.00 per member per year" in first.formula
    assert "120.00 per member per year" in second.formula
    assert steps["family-physician fee"].formula == "8,172,850.00 + 9,807,420.00"
    # no institution is named: the working says the fee is pooled in one account
    assert (
        "primary_care:family_physician_fee" in steps["family-physician fee: who receives it"].value
    )
    # the insurer pays it on top of claims and the savings shared
    assert rec.insurer_outlay_fen == (
        200_000_000_00
        + 10_000_000_00
        + 5_000_000_00
        + 20_000_000_00
        + 3_000_000_00
        + rec.consortium_result_fen
        + 17_980_270_00
    )


def test_each_period_is_rounded_half_up_and_the_year_is_their_sum():
    # 1,001 registered; 100.01 from 2019-01, 120.03 from 2019-04.
    #   Jan-Mar: 1,001 x 3 = 3,003 mm x 10,001 fen / 12 = 30,033,003 / 12
    #            = 2,502,750.25 fen -> 2,502,750 fen (25,027.50 yuan)
    #   Apr-Dec: 1,001 x 9 = 9,009 mm x 12,003 fen / 12 = 108,135,027 / 12
    #            = 9,011,252.25 fen -> 9,011,252 fen (90,112.52 yuan)
    #   year: 11,514,002 fen; the unrounded 1,001 x (3 x 100.01 + 9 x 120.03) / 12
    #   = 115,140.025 yuan would round to 115,140.03: the documented rule sums the
    #   periods' rounded amounts, so the working adds up.
    fee = FamilyPhysicianFee(from_month={"2019-01": 100_01, "2019-04": 120_03})
    result = family_physician_fee(fee, CountyYear(2019, 2_000, family_physician_registered=1_001))
    assert [line.amount_fen for line in result.lines] == [2_502_750, 9_011_252]
    assert [line.member_months for line in result.lines] == [3_003, 9_009]
    assert result.total_fen == 11_514_002


def test_a_schedule_carries_its_last_fee_into_later_years_but_not_back():
    fee = FamilyPhysicianFee(from_month={"2018-07": 90_00, "2019-07": 120_00})
    # 2020: 120.00 (from 2019-07) all year; 500 registered x 120.00 = 60,000.00
    result = family_physician_fee(fee, CountyYear(2020, 1_000, family_physician_registered=500))
    assert result.total_fen == 60_000_00
    # 2018: January to June have no fee in the rules
    with pytest.raises(ConfigError, match=r"starts at 2018-07, so 2018-01 has no fee"):
        family_physician_fee(fee, CountyYear(2018, 1_000, family_physician_registered=500))


def test_a_fee_by_year_like_the_premium(tmp_path):
    path = _rules_file(
        tmp_path, "family_physician_fee:\n  by_year_yuan: {2018: 100, 2019: 110.50}\n"
    )
    rules = load_rules(path)
    # 2019: 1,000 registered x 110.50 = 110,500.00, the working as for a single fee
    rec = _settle(rules, _county(family_physician_registered=1_000))
    assert rec.family_physician_fee_fen == 110_500_00
    assert {s.label: s.formula for s in rec.steps}["family-physician fee"] == (
        "1,000 registered × 110.50 per year"
    )
    with pytest.raises(
        ConfigError,
        match=r"by_year_yuan: no fee for 2020 \(rules give 2018, 2019\); add 2020: <yuan> to it",
    ):
        _settle(rules, _county(2020, family_physician_registered=1_000))


def test_the_fee_and_the_premium_by_year_follow_one_rule_for_the_year_that_applies():
    # both go through rules_uses.for_year: a year named gives its own amount; a year
    # between or after those named is refused, never given a neighbouring year's amount
    years = {2018: 100_00, 2020: 120_00}
    fee, premium = FamilyPhysicianFee(by_year=years), PremiumRule(by_year=years)
    for year in (2018, 2020):
        (period,) = fee.periods(year)
        assert period.per_member_per_year_fen == premium.for_year(year) == years[year]
    for year in (2019, 2021):
        with pytest.raises(ConfigError) as fee_refused:
            fee.periods(year)
        with pytest.raises(ConfigError) as premium_refused:
            premium.for_year(year)
        assert f"no fee for {year} (rules give 2018, 2020)" in str(fee_refused.value)
        assert f"no amount for {year} (rules give 2018, 2020)" in str(premium_refused.value)


def test_a_single_fee_keeps_its_rules_digest():
    # the digest of the built-in Deqing rules, as ledgers posted before this change hold it
    single = load_rules("deqing-shared-savings")
    assert single.family_physician_fee == FamilyPhysicianFee(100_00)
    assert single.to_dict()["family_physician_fee"]["by_year"] == {}
    data = single.to_dict()
    assert data["family_physician_fee"]["per_member_per_year_fen"] == 100_00
    # the digest reads only the form given
    from dataclasses import replace

    other = replace(single, family_physician_fee=FamilyPhysicianFee(by_year={2019: 100_00}))
    assert other.digest != single.digest


@pytest.mark.parametrize(
    ("fee_yaml", "says"),
    [
        # a month that is no month
        (
            "per_member_per_year_yuan: {2019-13: 100}",
            r"per_member_per_year_yuan': expected a month written 2018-06, 2018年6月, .*, got "
            r"'2019-13'; the fee may be given as per_member_per_year_yuan: 110",
        ),
        # a year where a month belongs: the by-year form is named
        (
            "per_member_per_year_yuan: {2019: 100, 2020: 120}",
            r"month 2019: a year, not a month; for a fee by year write by_year_yuan",
        ),
        # an amount past the fen, inside the schedule
        (
            "per_member_per_year_yuan: {2019-01: 100.005}",
            r"month 2019-01: expected yuan to the fen",
        ),
        # a month in the by-year form
        (
            "by_year_yuan: {2019-07: 120}",
            r"key '2019-07': expected a year such as 2019; the fee may be given as .*"
            r"per_member_per_year_yuan: \{2019-01: 100, 2019-07: 120\} \(each amount from",
        ),
        # both forms
        (
            "per_member_per_year_yuan: 100\n  by_year_yuan: {2019: 110}",
            r"give the fee in one form: per_member_per_year_yuan: 110 .* by_year_yuan: "
            r"\{2019: 110, 2020: 120\} .* per_member_per_year_yuan: \{2019-01: 100, 2019-07: 120\}",
        ),
        # one month twice, spelt two ways (review 21a: the last silently won)
        (
            "per_member_per_year_yuan: {2019-07: 100, 2019-07-01: 120}",
            r"month 2019-07 given twice \(as '2019-07' and '2019-07-01'\): give each month once",
        ),
        # one year twice, as a number and as text: the rules reader's duplicate-key check
        (
            "by_year_yuan: {2019: 100, '2019': 120}",
            r"by_year_yuan: key '2019' is given twice",
        ),
        # text that is no amount: the three forms are named
        (
            "per_member_per_year_yuan: hundred",
            r"expected an amount in yuan such as 640.25 .*; the fee may be given as "
            r"per_member_per_year_yuan: 110",
        ),
    ],
)
def test_a_bad_schedule_names_the_file_the_key_and_the_forms(tmp_path, fee_yaml, says):
    path = _rules_file(tmp_path, f"family_physician_fee:\n  {fee_yaml}\n")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    text = str(err.value)
    assert f"{path} line " in text
    assert "family_physician_fee" in text
    import re

    assert re.search(says, text), text


def test_a_schedule_may_date_its_changes_on_the_first_of_a_month(tmp_path):
    path = _rules_file(
        tmp_path,
        "family_physician_fee:\n  per_member_per_year_yuan: {2019-01-01: 100, 2019-07-01: 120}\n",
    )
    fee = load_rules(path).family_physician_fee
    assert fee == FamilyPhysicianFee(from_month={"2019-01": 100_00, "2019-07": 120_00})
    bad = _rules_file(
        tmp_path, "family_physician_fee:\n  per_member_per_year_yuan: {2019-07-15: 120}\n"
    )
    with pytest.raises(
        ConfigError,
        match=r"month 2019-07-15: a fee changes from the first of a month; write 2019-07",
    ):
        load_rules(bad)


# Month-end registrations by contract-holding institution (as a data store gives them):
# THC01 10 members Jan-Jun and 20 Jul-Dec; THC02 7 all year.
MONTHLY = Registrations({"THC01": (10,) * 6 + (20,) * 6, "THC02": (7,) * 12})


def test_member_months_by_institution_split_each_period_by_largest_remainder():
    # 100.01 from 2019-01, 120.00 from 2019-07.
    #   Jan-Jun: THC01 60 + THC02 42 = 102 mm x 10,001 fen / 12 = 85,008.5 -> 85,009 fen
    #     THC01 85,009 x 60/102 = 50,005.29; THC02 85,009 x 42/102 = 35,003.71
    #     floors 50,005 + 35,003 = 85,008: the fen left goes to THC02 (.71 > .29)
    #   Jul-Dec: THC01 120 + THC02 42 = 162 mm x 12,000 / 12 = 162,000 fen
    #     THC01 120,000; THC02 42,000
    #   THC01 50,005 + 120,000 = 170,005 fen; THC02 35,004 + 42,000 = 77,004 fen
    fee = FamilyPhysicianFee(from_month={"2019-01": 100_01, "2019-07": 120_00})
    county = CountyYear(
        2019, 1_000, family_physician_registered=22, family_physician_members=MONTHLY
    )
    result = family_physician_fee(fee, county)
    assert [line.amount_fen for line in result.lines] == [85_009, 162_000]
    assert result.lines[0].by_institution_fen == {"THC01": 50_005, "THC02": 35_004}
    assert result.by_institution_fen == {"THC01": 170_005, "THC02": 77_004}
    assert result.total_fen == 247_009
    steps = {s.label: s for s in result.steps}
    assert "102 registered member-months (month-end counts)" in (
        steps["family-physician fee 2019-01 to 2019-06 (6 months)"].formula
    )
    assert steps["family-physician fee to THC01"].amount_fen == 170_005
    # THC01: 10 x 6 + 20 x 6 = 180 member-months over the year
    assert steps["family-physician fee to THC01"].formula.startswith("180 member-months")


def test_the_fee_is_posted_to_the_institutions_holding_the_contracts():
    # THC01 and THC02 hold the contracts of 22 members as above; 3 more members' team is
    # not known (all year): 100.00 a member-year, one period.
    #   THC01 180 mm, THC02 84 mm, unknown 36 mm: 300 mm x 10,000 / 12 = 250,000 fen
    #   THC01 250,000 x 180/300 = 150,000; THC02 70,000; unknown 30,000 (pooled)
    members = Registrations({**MONTHLY.by_institution, "": (3,) * 12})
    rules = load_rules("deqing-shared-savings")
    rec = _settle(rules, _county(family_physician_registered=25, family_physician_members=members))
    assert rec.family_physician_fee_fen == 250_000
    assert rec.family_physician_fee_by_institution == {"THC01": 150_000, "THC02": 70_000}
    fees = [p for p in record_postings(rec) if p.category == "fee"]
    assert [(p.debit, p.credit, p.amount_fen) for p in fees] == [
        ("institution:THC01", "insurer:fund", 150_000),
        ("institution:THC02", "insurer:fund", 70_000),
        ("primary_care:family_physician_fee", "insurer:fund", 30_000),
    ]
    # the audit's expectation, worked from the stored record, agrees with the postings
    import pandas as pd

    frame = pd.DataFrame([p.__dict__ for p in record_postings(rec)])
    net = net_by_account(frame)
    nets = dict(zip(net["account"], net["net_fen"].astype(int), strict=True))
    want = {k: v for k, v in expected_nets(rec.to_dict()).items() if v}
    assert nets == want
    # THC01 receives its care (10,000,000.00) and its fee
    assert nets["institution:THC01"] == 10_000_000_00 + 150_000


def test_without_institutions_the_fee_stays_in_one_account():
    rules = load_rules("deqing-shared-savings")
    rec = _settle(rules, _county(family_physician_registered=1_000))
    assert rec.family_physician_fee_by_institution == {}
    fees = [p for p in record_postings(rec) if p.category == "fee"]
    # 1,000 x 100.00 = 100,000.00
    assert [(p.debit, p.amount_fen) for p in fees] == [
        ("primary_care:family_physician_fee", 100_000_00)
    ]


def test_a_population_table_names_the_institutions_holding_the_contracts(tmp_path):
    # One row per contract-holding institution, the year's other cells repeated; the
    # empty institution is members whose team is not known. 2019: 600 + 400 + 25 =
    # 1,025 registered. Fee 100.00 from 2019-01, 120.00 from 2019-07:
    #   Jan-Jun: 1,025 x 6 = 6,150 mm x 100.00 / 12 = 51,250.00
    #     THC01 600 x 6 = 3,600 mm -> 51,250.00 x 3,600 / 6,150 = 30,000.00
    #     THC02 400 x 6 = 2,400 mm -> 20,000.00; unknown 150 mm -> 1,250.00
    #   Jul-Dec: 6,150 mm x 120.00 / 12 = 61,500.00: THC01 36,000.00, THC02 24,000.00,
    #     unknown 1,500.00
    #   THC01 66,000.00; THC02 44,000.00; pooled 2,750.00; year 112,750.00
    from ihms.payment import PopulationTable

    csv = tmp_path / "population.csv"
    csv.write_text(
        "year,insured_population,family_physician_registered,family_physician_institution,"
        "quality_score\n"
        "2018,415012,1000,,0.9\n"
        "2019,415012,600,THC01,0.9\n"
        "2019,415012,400,THC02,0.9\n"
        "2019,415012,25,,0.9\n",
        encoding="utf-8",
    )
    table = PopulationTable.read(csv)
    county = table.for_year(2019)
    assert county.family_physician_registered == 1_025
    path = _rules_file(
        tmp_path,
        "family_physician_fee:\n  per_member_per_year_yuan: {2019-01: 100, 2019-07: 120}\n",
    )
    rec = _settle(
        load_rules(path),
        _county(
            **{
                "family_physician_registered": county.family_physician_registered,
                "family_physician_members": county.family_physician_members,
            }
        ),
    )
    assert rec.family_physician_fee_fen == 112_750_00
    assert rec.family_physician_fee_by_institution == {"THC01": 66_000_00, "THC02": 44_000_00}
    steps = {s.label: s for s in rec.steps}
    assert (
        steps[
            "family-physician fee, institution not known (primary_care:family_physician_fee)"
        ].amount_fen
        == 2_750_00
    )
    # 2018 names no institution: one row, pooled
    assert table.for_year(2018).family_physician_members is None


def test_rows_of_a_year_by_institution_must_agree_on_the_years_figures(tmp_path):
    from ihms.errors import DataError
    from ihms.payment import PopulationTable

    csv = tmp_path / "population.csv"
    csv.write_text(
        "year,insured_population,family_physician_registered,family_physician_institution\n"
        "2019,415012,600,THC01\n"
        "2019,415000,400,THC02\n"
        "2019,415012,,THC03\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        PopulationTable.read(csv)
    text = str(err.value)
    assert (
        f"column 'insured_population' of {csv} row 3: expected the value of row 2 for 2019 "
        "(415012): the rows of a year by family_physician_institution share the year's "
        "figures, got 415000"
    ) in text
    assert f"column 'family_physician_registered' of {csv} row 4" in text


def test_an_empty_registration_cell_is_named_at_its_own_row(tmp_path):
    # session 21 review A: an empty cell on a year's FIRST row was reported at every
    # later row (rows 3 and 4 here) and never at row 2, the row that holds it
    from ihms.errors import DataError
    from ihms.payment import PopulationTable

    csv = tmp_path / "population.csv"
    csv.write_text(
        "year,insured_population,family_physician_registered,family_physician_institution\n"
        "2019,415012,,THC01\n"
        "2019,415012,100,THC02\n"
        "2019,415012,50,THC03\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        PopulationTable.read(csv)
    text = str(err.value)
    assert f"column 'family_physician_registered' of {csv} row 2" in text
    assert f"{csv} row 3" not in text and f"{csv} row 4" not in text


def test_a_year_given_twice_in_python_is_refused_too():
    # a rules file's duplicate keys are caught by its reader; a mapping built in Python
    # can still hold 2019 and "2019" (review 21a: the last silently won)
    from pydantic import ValidationError

    from ihms.payment._config_models import FamilyPhysicianFeeModel

    with pytest.raises(ValidationError, match="year 2019 given twice: give each year once"):
        FamilyPhysicianFeeModel(by_year_yuan={2019: 100, "2019": 120})
