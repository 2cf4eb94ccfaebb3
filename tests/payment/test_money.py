from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ihms.errors import InputError
from ihms.payment.money import (
    allocate,
    apply_rate,
    fen_to_yuan,
    format_rate,
    format_yuan,
    round_fen,
    yuan_to_fen,
)


def test_yuan_to_fen_is_exact():
    assert yuan_to_fen("640") == 64000
    assert yuan_to_fen("0.10") == 10
    assert yuan_to_fen(Decimal("1234.56")) == 123456
    assert yuan_to_fen("1,000.01") == 100001


@pytest.mark.parametrize("bad", ["0.001", "abc", "NaN", "inf"])
def test_yuan_to_fen_rejects_sub_fen_and_junk(bad):
    with pytest.raises(InputError, match="premium"):
        yuan_to_fen(bad, field="premium")


def test_yuan_to_fen_refuses_floats():
    with pytest.raises(InputError, match="float"):
        yuan_to_fen(0.1)  # type: ignore[arg-type]


def test_round_half_up_away_from_zero():
    # 四舍五入: 2.5 -> 3, -2.5 -> -3, 2.4999 -> 2
    assert round_fen(Decimal("2.5")) == 3
    assert round_fen(Decimal("-2.5")) == -3
    assert round_fen(Decimal("2.4999")) == 2
    assert round_fen(Fraction(7, 3)) == 2
    assert round_fen(Fraction(8, 3)) == 3


def test_apply_rate():
    # 230,656,000.00 yuan x 3% = 6,919,680.00 yuan exactly
    assert apply_rate(23_065_600_000, Decimal("0.03")) == 691_968_000
    # 10,001 fen x 50% = 5,000.5 fen -> 5,001 (half up)
    assert apply_rate(10_001, Decimal("0.5")) == 5_001


def test_formatting():
    assert fen_to_yuan(123456) == Decimal("1234.56")
    assert format_yuan(-123456789) == "-1,234,567.89"
    assert format_rate(Decimal("0.16")) == "16%"
    assert format_rate(Decimal("0.033946")) == "3.3946%"


def test_allocate_largest_remainder_worked_example():
    # 100 fen over three equal shares: quotas 33 1/3 each; floors 33+33+33 = 99; the one
    # fen left goes to the first listed (equal remainders, ties by order).
    assert allocate(100, [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))]) == {
        "a": 34,
        "b": 33,
        "c": 33,
    }
    # 7,203,520.00 yuan split 16/24/20/40: every quota is whole, nothing to round.
    shares = [
        ("s", Decimal("0.16")),
        ("c", Decimal("0.24")),
        ("h", Decimal("0.2")),
        ("i", Decimal("0.4")),
    ]
    assert allocate(720_352_000, shares) == {
        "s": 115_256_320,
        "c": 172_884_480,
        "h": 144_070_400,
        "i": 288_140_800,
    }
    # 1 fen at 16/24/20/40: quotas 0.16, 0.24, 0.2, 0.4 -> the largest remainder (0.4) wins.
    assert allocate(1, shares) == {"s": 0, "c": 0, "h": 0, "i": 1}


def test_allocate_negative_and_zero():
    assert allocate(-100, [("a", Decimal(1)), ("b", Decimal(2))]) == {"a": -33, "b": -67}
    assert allocate(0, [("a", Decimal(1))]) == {"a": 0}


def test_allocate_rejects_bad_weights():
    with pytest.raises(InputError, match="all zero"):
        allocate(5, [("a", Decimal(0))])
    with pytest.raises(InputError, match=">= 0"):
        allocate(5, [("a", Decimal(-1)), ("b", Decimal(2))])
    with pytest.raises(InputError, match="distinct"):
        allocate(5, [("a", Decimal(1)), ("a", Decimal(2))])


@given(
    total=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8).filter(
        lambda w: sum(w) > 0
    ),
)
def test_allocate_conserves_money_and_stays_within_one_fen(total, weights):
    pairs = [(f"w{i}", Decimal(w)) for i, w in enumerate(weights)]
    out = allocate(total, pairs)
    assert sum(out.values()) == total
    whole = sum(weights)
    for (name, w), part in zip(pairs, out.values(), strict=True):
        exact = Fraction(total) * Fraction(int(w), whole)
        assert abs(Fraction(part) - exact) < 1
        assert out[name] == part
