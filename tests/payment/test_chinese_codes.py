"""The payment tables' codes written as a county's export writes them (review P #6): a
spending row's ``setting`` (医共体 / 县外 / 民营医院 ...) and a roster's ``role`` (院长,
医生 ...) are read as their codes with ``ihms data import``'s reader of closed
vocabularies (``ihms.data._vocabulary.read_codes``), with its note naming file and column.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from ihms.errors import DataError, IhmsWarning
from ihms.payment import SpendingTable, StaffRoster


def _spending(settings):
    # four rows worked by hand: consortium 1,000 + 500 fen, outside 300, private 200
    return pd.DataFrame(
        {
            "year": ["2018"] * 4,
            "setting": settings,
            "institution_id": ["CH01", "THC01", "OUT", "PRI"],
            "insurance_paid_fen": ["1000", "500", "300", "200"],
        }
    )


@pytest.mark.parametrize(
    "settings",
    [
        ["医共体", "县域医共体", "县外", "民营医院"],
        ["县域内", "医共体", "县域外", "民营"],
        ["consortium", "Consortium", "市外", "私立医院"],
    ],
)
def test_settings_in_chinese_are_read_as_their_codes(settings):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        year = SpendingTable.from_frame(_spending(settings), source="支出.csv").for_year(2018)
    assert dict(year.consortium) == {"CH01": 1000, "THC01": 500}
    assert (year.outside_county, year.private) == (300, 200)
    (note,) = [str(w.message) for w in caught if issubclass(w.category, IhmsWarning)]
    assert "column 'setting' of 支出.csv" in note
    assert "'setting'" in note and "read as their codes" in note


def test_an_unknown_setting_names_the_codes_and_the_words_read():
    with pytest.raises(DataError) as info:
        SpendingTable.from_frame(_spending(["医院", "医共体", "县外", "民营"]), source="s.csv")
    text = str(info.value) + " ".join(info.value.problems)
    assert "expected one of consortium, outside_county, private" in text
    assert "are read too" in text and "got '医院'" in text


def _roster(roles):
    return pd.DataFrame(
        {
            "staff_id": [f"S{i}" for i in range(len(roles))],
            "role": roles,
            "institution_id": ["CH01"] * len(roles),
            "base_salary_fen": ["10000000"] * len(roles),
        }
    )


def test_roles_in_chinese_are_read_as_the_built_in_cards():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        roster = StaffRoster.from_frame(
            _roster(["院长", "医生", "医师", "主任医师"]), source="r.csv"
        )
    assert [m.role for m in roster.members] == ["director", "doctor", "doctor", "doctor"]
    (note,) = [str(w.message) for w in caught if issubclass(w.category, IhmsWarning)]
    assert "院长 → director" in note


def test_a_role_the_names_do_not_know_is_kept_for_the_rules():
    # roles are the rules' scorecards (a county's rules may name others); 主任 is left as
    # written: a department's 主任 (科主任) is a doctor, a centre's its director
    roster = StaffRoster.from_frame(_roster(["nurse", "主任"]), source="r.csv")
    assert [m.role for m in roster.members] == ["nurse", "主任"]


def test_the_encounter_adapters_institutions_read_chinese_settings_too():
    from ihms.payment import spending_from_encounters

    encounters = pd.DataFrame(
        {
            "date": ["2018-03-01", "2018-04-01", "2018-05-01"],
            "institution_id": ["CH01", "OUT", "PRI"],
            "insurance_paid_fen": [1000, 300, 200],
        }
    )
    institutions = pd.DataFrame(
        {"institution_id": ["CH01", "OUT", "PRI"], "setting": ["医共体", "县外", "民营医院"]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        year = spending_from_encounters(encounters, institutions).for_year(2018)
    assert (dict(year.consortium), year.outside_county, year.private) == ({"CH01": 1000}, 300, 200)
    assert any("医共体 → consortium" in str(w.message) for w in caught)
