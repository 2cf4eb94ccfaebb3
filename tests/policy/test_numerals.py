import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihms.policy.numerals import (
    cn_to_int,
    int_to_circled,
    int_to_cn,
    int_to_roman,
    roman_to_int,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十六", 26),
        ("一百零五", 105),
        ("二〇一七", 2017),
        ("贰拾", 20),
        ("两千零二十一", 2021),
    ],
)
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


def test_cn_to_int_rejects_other_text():
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        cn_to_int("十a")


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(n):
    assert roman_to_int(int_to_roman(n)) == n
    assert roman_to_int(int_to_roman(n).lower()) == n


def test_roman_rejects_non_canonical():
    with pytest.raises(ValueError):
        roman_to_int("IIII")


def test_circled():
    assert int_to_circled(1) == "①"
    assert int_to_circled(21) == "㉑"
    with pytest.raises(ValueError):
        int_to_circled(0)
