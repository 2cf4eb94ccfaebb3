"""The incentive pool's headcount from Python (session 21: it came only from the CLI's
``--staff-headcount``): ``settlement_inputs(..., staff_headcount=N)`` and the record's
notes say what ``incentive_notes`` says with that headcount; the input digest and every
figure are the same with or without it (it is read by a note alone, so a ledger posted
before is not posted again).

Figures: examples/payment, sanming, 2018, as in ``test_incentive_checks``: pool 787,671.89
yuan; Youxi's 1,911 health personnel (seed 002 Table 2), 412.18 yuan a head."""

from __future__ import annotations

import dataclasses

import pytest

from ihms.errors import InputError
from ihms.payment import incentive_notes, load_rules, settle_year, settlement_inputs

from .conftest import former_sanming


@pytest.fixture(scope="module")
def settled(youxi):
    rules = former_sanming()  # the premium the figures were worked with (conftest)
    plain = settle_year(rules, settlement_inputs(rules, 2018, **youxi))
    counted = settle_year(rules, settlement_inputs(rules, 2018, **youxi, staff_headcount=1911))
    return plain, counted


@pytest.mark.usefixtures("former_sanming_rules")
def test_the_headcount_gives_the_notes_on_the_roster(settled):
    plain, counted = settled
    assert counted.inputs.staff_headcount == 1911
    added = [n for n in counted.notes if n not in plain.notes]
    assert added == incentive_notes(counted.salaries, headcount=1911)
    (short,) = [n for n in added if "the headcount given" in n]
    assert "787,671.89 yuan is for 1,911 staff" in short
    assert "412.18 yuan a head" in short


def test_without_it_the_record_notes_no_headcount(settled):
    plain, _ = settled
    assert plain.inputs.staff_headcount is None
    assert not [n for n in plain.notes if "the headcount given" in n]
    # the share above a base salary is noted either way, asking for the headcount
    (above,) = [n for n in plain.notes if n.startswith("Incentive above")]
    assert "give the headcount the pool is for to check the roster" in above


def test_the_digest_and_figures_do_not_read_it(settled):
    plain, counted = settled
    assert counted.input_digest == plain.input_digest
    assert counted.inputs.digest == plain.inputs.digest
    assert dataclasses.replace(counted, notes=plain.notes, inputs=plain.inputs) == plain
    assert "staff_headcount" not in plain.inputs.to_dict()
    assert counted.inputs.to_dict()["staff_headcount"] == 1911


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_a_bad_headcount_is_refused(youxi, bad):
    rules = load_rules("sanming")
    with pytest.raises(InputError, match="staff_headcount: expected a whole number >= 1"):
        settlement_inputs(rules, 2018, **youxi, staff_headcount=bad)
