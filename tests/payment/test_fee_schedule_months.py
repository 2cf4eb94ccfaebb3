"""A dated family-physician fee schedule reads its months as ihms reads a month anywhere
(read-through 34, item 4): ``fee_schedule.month_key`` took only ``2019-07``, so a rule
file writing ``2019年7月``, ``2019/7`` or ``201907`` — forms ``its``, ``growth``,
``payment track`` and ``sim --reform`` all read — was refused.

The schedule below is the user review's (session 21, finding 1; tests/payment/
test_family_physician_fee.py): 100 yuan from January 2019 and 120 yuan from July."""

from __future__ import annotations

import pickle
import re
from dataclasses import replace

import pytest

from ihms.errors import ConfigError
from ihms.payment import load_rules
from ihms.payment.fee_schedule import FamilyPhysicianFee

from .test_family_physician_fee import _rules_file

JULY = FamilyPhysicianFee(from_month={"2019-01": 100_00, "2019-07": 120_00})


def _fee(tmp_path, schedule: str) -> FamilyPhysicianFee:
    path = _rules_file(tmp_path, f"family_physician_fee:\n  per_member_per_year_yuan: {schedule}\n")
    return load_rules(path).family_physician_fee


@pytest.mark.parametrize(
    "july",
    [
        "2019-07",
        "2019-7",
        "2019/7",
        "2019年7月",
        "２０１９年７月",
        "2019m7",
        "Jul 2019",
        "201907",  # YAML's integer: a YYYYMM number
        "'201907'",
        "2019.07",  # YAML's float 2019.07
        "2019-07-01",  # YAML's date, the first of the month
        "2019/7/1",
    ],
)
def test_a_schedule_month_is_read_in_every_form_the_month_reader_takes(tmp_path, july):
    assert _fee(tmp_path, f"{{2019-01: 100, {july}: 120}}") == JULY


def test_yamls_2019_1_beside_2019_01_is_october_as_excels_is(tmp_path):
    # YAML reads 2019.10 as the float 2019.1, as Excel keeps 2019.10 typed as a number;
    # beside 2019.01 (January written with its 0) it is October (ihms._months.read_dotted)
    fee = _fee(tmp_path, "{2019.01: 100, 2019.10: 120}")
    assert fee == FamilyPhysicianFee(from_month={"2019-01": 100_00, "2019-10": 120_00})
    assert [(p.first_month, p.last_month) for p in fee.periods(2019)] == [(1, 9), (10, 12)]


@pytest.mark.parametrize(
    ("schedule", "says"),
    [
        # 2019.1 the other months leave January or October: refused, both readings named
        (
            "{2018.12: 90, 2019.1: 100}",
            r"month 2019.1 may be "
            r"January or October \(YAML and Excel keep 2019.10 typed as a number as 2019.1, "
            r"and the schedule's other months do not tell which\): write 2019-01 or 2019-10",
        ),
        # no month: the key and every form the reader takes are named
        (
            "{2019-01: 100, July of 2019: 120}",
            r"expected a month written "
            r"2018-06, 2018年6月, 2018/6, 2018.06, 2018m6, Jun 2018, 201806 or 2018/6/1 "
            r"\(a date on the first day of the month\), got 'July of 2019'; the fee may be "
            r"given as per_member_per_year_yuan: 110",
        ),
        ("{201913: 100}", r"expected a month written 2018-06, .*got '201913'"),
        ("{2019.13: 100}", r"expected a month written 2018-06, .*got '2019.13'"),
        # one month spelt two ways: which fee holds is not guessed
        (
            "{2019-01: 100, 2019年7月: 110, 201907: 120}",
            r"month 2019-07 given twice \(as '2019年7月' and '201907'\): give each month once",
        ),
    ],
)
def test_a_bad_month_names_the_file_the_key_and_the_forms(tmp_path, schedule, says):
    with pytest.raises(ConfigError) as err:
        _fee(tmp_path, schedule)
    text = str(err.value)
    key = r"key 'family_physician_fee\.per_member_per_year_yuan'"
    assert re.search(rf"wk\.yaml line \d+: {key}: {says}", text), text


def test_a_schedule_given_in_python_reads_the_same_months():
    fee = FamilyPhysicianFee(from_month={"2019年1月": 100_00, "Jul 2019": 120_00})
    assert [
        (p.first_month, p.last_month, p.per_member_per_year_fen) for p in fee.periods(2019)
    ] == [
        (1, 6, 100_00),
        (7, 12, 120_00),
    ]
    with pytest.raises(
        ConfigError, match=r"month 2019-07 given twice \(as '2019-07' and '2019m7'\)"
    ):
        FamilyPhysicianFee(from_month={"2019-01": 1, "2019-07": 2, "2019m7": 3})
    with pytest.raises(
        ConfigError,
        match=r"family_physician_fee\.from_month: expected a month written .*got '2019-13'",
    ):
        FamilyPhysicianFee(from_month={"2019-13": 1})


def test_a_schedule_given_in_python_reads_2019_1_as_the_rule_file_does():
    # review34a M2: FamilyPhysicianFee(from_month=...) read "2019.1" as January one key
    # at a time, and charged 2.00 for January–August; a rule file reads it as October
    # beside 2019.09 (ihms._months.read_dotted), or refuses it when unsettled
    fee = FamilyPhysicianFee(from_month={"2019.01": 100, "2019.09": 150, "2019.1": 200})
    assert [
        (p.first_month, p.last_month, p.per_member_per_year_fen) for p in fee.periods(2019)
    ] == [(1, 8, 100), (9, 9, 150), (10, 12, 200)]
    # one-digit months in its year: January
    fee = FamilyPhysicianFee(from_month={"2019.1": 100, "2019.7": 120})
    assert [(p.first_month, p.per_member_per_year_fen) for p in fee.periods(2019)] == [
        (1, 100),
        (7, 120),
    ]
    with pytest.raises(
        ConfigError,
        match=r"family_physician_fee\.from_month: month '2019\.1' may be January or October .*"
        r"write 2019-01 or 2019-10",
    ):
        FamilyPhysicianFee(from_month={"2018.12": 90, "2019.1": 100})
    with pytest.raises(ConfigError, match=r"month 2019-10 given twice"):
        FamilyPhysicianFee(from_month={"2019.09": 1, "2019.1": 2, "2019-10": 3})


def test_a_schedule_is_a_value_a_fee_cannot_be_changed_after_construction():
    # session 35 review, item 2: a change to from_month after construction was counted
    # (read34a L3) but never checked, so a negative fee put in afterwards was charged;
    # the schedule is now a read-only copy, as the frozen rules holding it are
    given = {"2019-01": 10_000}
    fee = FamilyPhysicianFee(from_month=given)
    with pytest.raises(TypeError):
        fee.from_month["2019-07"] = -12_000  # type: ignore[index]
    with pytest.raises(TypeError):
        fee.by_year[2019] = -1  # type: ignore[index]
    given["2019-07"] = -12_000  # the caller's dict is not the schedule
    assert [(p.first_month, p.per_member_per_year_fen) for p in fee.periods(2019)] == [(1, 10_000)]
    assert hash(fee) == hash(FamilyPhysicianFee(from_month={"2019-01": 10_000}))
    assert pickle.loads(pickle.dumps(fee)) == fee  # as a simulator's workers take it


def test_schedules_naming_the_same_months_are_equal_however_spelt():
    # 2019.1 beside 2019.09 is October (ihms._months.read_dotted): the schedule keeps its
    # months as 2019-MM, so the same schedule spelt two ways is one value
    dotted = FamilyPhysicianFee(from_month={"2019.09": 100, "2019.1": 120})
    assert dotted == FamilyPhysicianFee(from_month={"2019-09": 100, "2019-10": 120})
    assert dotted.from_month == {"2019-09": 100, "2019-10": 120}
    assert FamilyPhysicianFee(from_month={"2019年7月": 1}) == FamilyPhysicianFee(
        from_month={"Jul 2019": 1}
    )
    rules = load_rules("deqing-shared-savings")
    assert (
        replace(rules, family_physician_fee=dotted).digest
        == replace(
            rules,
            family_physician_fee=FamilyPhysicianFee(from_month={"2019-09": 100, "2019-10": 120}),
        ).digest
    )


def test_a_rule_files_months_are_read_once(tmp_path, monkeypatch):
    # session 35 review, item 1: the pydantic model read each month, then
    # FamilyPhysicianFee read the months it had written again
    import ihms.payment.fee_schedule as fee_schedule

    calls = []

    def counted(value, **kw):
        calls.append(value)
        return read_month(value, **kw)

    read_month = fee_schedule.read_month
    monkeypatch.setattr(fee_schedule, "read_month", counted)
    assert _fee(tmp_path, "{2019-01: 100, 2019年7月: 120}") == JULY
    assert calls == ["2019-01", "2019年7月"]
