"""Review P #2: the staff-incentive pool is for all the consortium's medical staff (seed
002: "a certain percentage of the balance (16% in 2018) as the performance of all ICHC
medical staff's salary incentives"), but it is split over whatever roster is given. A
roster covering fewer staff than the headcount the pool is for, or an incentive above
the staff member's whole base salary, is noted — never refused.

Figures: the README's example (examples/payment, sanming, 2018), worked in
``test_cli_review``: pool 787,671.89 yuan over the 12-person sample roster, DR-THC03-A
(base 105,000.00) receiving 116,708.37 yuan, 1.11 × the base (116,708.37 / 105,000.00 =
1.1115...). Youxi's staff: seed 002 Table 2 gives 5.28 health personnel per 1,000 in
2018 for 36.2 × 10,000 residents, 5.28 × 362 = 1,911.36, so 1,911; a head's share of the
pool is 787,671.89 / 1,911 = 412.1779..., 412.18 yuan (half up), and 1,911 / 12 =
159.25 × a head's share is what the roster's shares stand for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ihms.errors import InputError
from ihms.payment import incentive_notes, load_rules, settle_year, settlement_inputs

from .conftest import former_sanming


@pytest.fixture(scope="module")
def salaries_2018(youxi):
    rules = former_sanming()  # the premium the figures were worked with (conftest)
    inputs = settlement_inputs(rules, 2018, **youxi)
    salaries = settle_year(rules, inputs).salaries
    assert salaries.pool_fen == 78_767_189
    return salaries


@pytest.mark.usefixtures("former_sanming_rules")
def test_an_incentive_above_the_base_salary_is_noted(salaries_2018):
    (text,) = incentive_notes(salaries_2018)
    assert "1 of the 12 staff" in text
    assert "DR-THC03-A 116,708.37 yuan on a base salary of 105,000.00 (1.11 ×)" in text
    assert "all the consortium's medical staff" in text  # seed 002
    assert "give the headcount the pool is for to check the roster" in text


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_roster_short_of_the_headcount_is_noted(salaries_2018):
    texts = incentive_notes(salaries_2018, headcount=1911)
    assert len(texts) == 2
    short = texts[0]
    assert "787,671.89 yuan is for 1,911 staff" in short
    assert "the roster lists 12" in short
    assert "412.18 yuan a head" in short
    assert "159.25 times" in short
    assert "give the headcount" not in texts[1]  # it was given


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_full_roster_with_modest_incentives_has_no_note(salaries_2018):
    # the same roster said to be the whole staff, the multiple raised past 1.11
    assert incentive_notes(salaries_2018, headcount=12, base_multiple=Decimal("1.2")) == []


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_roster_longer_than_the_headcount_is_noted(salaries_2018):
    (text, _) = incentive_notes(salaries_2018, headcount=10)
    assert "lists 12 staff, more than the 10" in text


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_bad_headcount_is_refused(salaries_2018):
    with pytest.raises(InputError, match="headcount: expected a whole number >= 1, got 0"):
        incentive_notes(salaries_2018, headcount=0)


def test_no_pool_has_no_note(youxi):
    from ihms.payment import annual_salaries

    rules = load_rules("sanming")
    doctors = [m for m in youxi["staff"].members if m.role == "doctor"]
    values = {m.staff_id: youxi["indicators"].for_subject(2019, m.staff_id) for m in doctors}
    for pool in (0, None):
        result = annual_salaries(rules.staff_pay, doctors, values, pool_fen=pool)
        assert incentive_notes(result, headcount=1911) == []


def test_an_empty_roster_with_a_pool_is_noted_not_divided_by(youxi):
    # review 21a low 6: a pool with no roster divided the headcount by 0 listed staff.
    # A pool of 1,000.00 yuan for 5 staff: 1,000.00 / 5 = 200.00 yuan a head, none shared.
    from ihms.payment import annual_salaries

    rules = load_rules("sanming")
    result = annual_salaries(rules.staff_pay, [], {}, pool_fen=100_000)
    assert result.unshared_fen == 100_000
    (text,) = incentive_notes(result, headcount=5)
    assert text == (
        "The staff incentive pool of 1,000.00 yuan is for 5 staff (the headcount given), "
        "but the roster lists none: none of it is shared (1,000.00 / 5 = 200.00 yuan a "
        "head); give the roster for the shares staff would receive."
    )
    # no headcount: no share above a base salary, nothing to note
    assert incentive_notes(result) == []


@pytest.mark.usefixtures("former_sanming_rules")
def test_settle_year_notes_a_share_above_the_base_salary_without_a_headcount(youxi):
    # the note came from the CLI alone unless staff_headcount was given; the settlement
    # gives it to every caller, in the library's words (the CLI names its option)
    rules = load_rules("sanming")
    record = settle_year(rules, settlement_inputs(rules, 2018, **youxi))
    (text,) = [n for n in record.notes if n.startswith("Incentive above")]
    assert "DR-THC03-A 116,708.37 yuan on a base salary of 105,000.00 (1.11 ×)" in text
    assert "give the headcount the pool is for to check the roster" in text
