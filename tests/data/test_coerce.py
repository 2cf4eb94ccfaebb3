"""Reading cells as the schema's types: full-width forms, and no cell silently dropped."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ihms.data._coerce import (
    COERCERS,
    YUAN_INEXACT_FLOAT,
    YUAN_TOO_LARGE,
    coerce,
    yuan_reasons,
    yuan_too_large,
)

#: Every column kind a cell is read as (the schema's dtypes, whole fen, yuan).
KINDS = sorted(COERCERS)


def _wide(text: str) -> str:
    """``text`` as a Chinese input method in full-width mode types it: each printable
    ASCII character moved to the Fullwidth Forms block (U+FF01-U+FF5E, 0xFEE0 above)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        # the reviewer's cells: beds ７, insurance_paid_fen ３９５９
        ("int16", "７", 7),
        ("int64", "３９５９", 3959),
        ("fen", "３９５９", 3959),
        ("float64", "６.４", 6.4),
        ("float64", "６．４", 6.4),  # full-width point too
        ("yuan", "６０．２５", 6025),  # 60.25 yuan = 6,025 fen
        ("date", "２０１６－０１－１８", pd.Timestamp("2016-01-18")),
        ("date", "２０１６年１月１８日", pd.Timestamp("2016-01-18")),
        ("bool", "ｔｒｕｅ", True),
        ("bool", "Ｎｏ", False),
        ("int32", "\u3000１２\u3000", 12),  # padded with ideographic spaces
        ("string", "ＹＸ", "ＹＸ"),  # text stays as written
    ],
)
def test_full_width_forms_read_as_their_ascii_value(kind, text, value):
    values, bad = coerce(pd.Series([text, ""], dtype="str"), kind)
    assert bad.tolist() == [False, False]
    assert values.iloc[0] == value
    assert pd.isna(values.iloc[1])


@pytest.mark.parametrize("kind", ["int16", "int32", "int64", "fen", "float64", "yuan"])
@pytest.mark.parametrize(
    "text", ["٧", "७", "7张", "1,234", "N/A", "１，２３４", "10²", "₂", "①", "½", "1_000"]
)
def test_other_digits_and_junk_are_refused_not_dropped(kind, text):
    # Arabic-Indic and Devanagari sevens are digits to Python's int(), not to a county's
    # spreadsheet: refused (they were stored as NULL), as ASCII junk always was. NFKC
    # read 10² as 102, ① as 1 and ½ as 1⁄2: only width is folded, so they are refused
    _, bad = coerce(pd.Series([text], dtype="str"), kind)
    assert bad.tolist() == [True]


def test_a_full_width_decimal_point_in_a_fen_column_is_yuan_formatting():
    # １２３４．００ is 1234.00: money written in yuan, never 1,234 fen
    _, bad = coerce(pd.Series(["１２３４．００", "1234.00", "１２３４"], dtype="str"), "fen")
    assert bad.tolist() == [True, True, False]


@given(st.integers(min_value=-(2**31), max_value=2**31 - 1))
def test_full_width_integers_read_as_the_ascii_ones(n):
    wide = pd.Series([_wide(str(n))], dtype="str")
    for kind in ("int32", "int64", "fen", "float64"):
        values, bad = coerce(wide, kind)
        assert not bad.iloc[0] and values.iloc[0] == n


@given(st.sampled_from(KINDS), st.lists(st.text(max_size=6), min_size=1, max_size=5))
@example("int16", ["７"])
@example("fen", ["٣٩٥٩"])
@example("yuan", ["１２.５"])
@example("date", ["２０１６/1/18"])
def test_a_non_empty_cell_is_read_or_refused_never_missing(kind, cells):
    raw = pd.Series(cells, dtype="str")
    values, bad = coerce(raw, kind)
    empty = raw.str.strip().eq("")
    lost = values.isna() & ~bad & ~empty
    assert not lost.any(), raw[lost].tolist()


@pytest.mark.parametrize(
    "cells",
    [
        pd.Series(
            [
                "9999999999999999.99",
                "10000000000000000",
                "０１２３４５６７８９０１２３４５６７",
                "x",
            ]
        ),
        pd.Series([9_999_999_999_999_999, 10**16, 12_345_678_901_234_567, 5], dtype="int64"),
    ],
    ids=["text", "int64"],
)
def test_yuan_past_16_whole_digits_are_told_apart_and_refused(cells):
    # 10**16 yuan = 10**18 fen fits int64 but is past the 16 digits every reader keeps,
    # so a text cell and a Parquet int64 cell are refused alike
    too_large = yuan_too_large(cells).tolist()
    assert too_large == [False, True, True, False]
    values, bad = coerce(cells, "yuan")
    assert bad.tolist()[1:3] == [True, True] and values.iloc[1:3].isna().all()


@pytest.mark.parametrize(
    "cells",
    [
        pd.Series([12_345_678_901.23, 80_000_000_000_000.01, 2.0**54 / 100, float("nan")]),
        pd.Series([12_345_678_901.23, 80_000_000_000_000.01, 2.0**54 / 100, None], dtype=object),
    ],
    ids=["float64", "object"],
)
def test_float_yuan_whose_cents_a_float_cannot_hold_are_refused(cells):
    # a float holds at most 15 significant digits exactly (DBL_DIG): 80000000000000.01
    # is stored as 80000000000000.015625 and repr gives ...0.02, so the cell was read as
    # 8,000,000,000,000,002 fen (below even 2^53 fen), and 2^54/100 yuan past 2^53 fen
    # was read through repr as whatever digits it printed
    assert float("80000000000000.01") == float("80000000000000.02")
    assert yuan_reasons(cells).tolist() == [None, YUAN_INEXACT_FLOAT, YUAN_INEXACT_FLOAT, None]
    values, bad = coerce(cells, "yuan")
    assert bad.tolist() == [False, True, True, False]
    assert values.iloc[0] == 1_234_567_890_123 and values.iloc[1:].isna().all()


def test_float_yuan_just_below_the_limit_come_back_to_the_fen():
    # 13 whole digits and cents: 15 significant digits, which a float returns exactly
    cells = pd.Series([9_999_999_999_999.99, 1_234_567_890_123.45, 0.07])
    values, bad = coerce(cells, "yuan")
    assert not bad.any()
    assert values.tolist() == [999_999_999_999_999, 123_456_789_012_345, 7]


def test_text_yuan_past_16_digits_are_named_too_large_not_inexact():
    cells = pd.Series(["12345678901234567", "80000000000000.01"])
    assert yuan_reasons(cells).tolist() == [YUAN_TOO_LARGE, None]
    assert coerce(cells, "yuan")[0].iloc[1] == 8_000_000_000_000_001


def test_an_integer_column_read_as_floats_past_2_to_53_is_refused():
    # Parquet gives an integer column with nulls as float64; past 2^53 the float is not
    # the integer the file meant (2^53 + 1 comes back as 2^53)
    cells = pd.Series([2.0**53, 2.0**53 + 2, float("nan")])
    values, bad = coerce(cells, "fen")
    assert bad.tolist() == [False, True, False]
    assert values.iloc[0] == 2**53


def test_dates_with_the_month_named_as_stata_and_spss_write_them():
    # Stata's %td (export delimited writes 05mar2019) and SPSS's DATE11 (05-MAR-2019)
    # were refused as day-first dates; a named month cannot be taken for a day
    cells = pd.Series(
        ["05mar2019", "5-Mar-2019", "05-MAR-2019 08:30:00", "31feb2019", "05xyz2019", "05/03/2019"]
    )
    values, bad = coerce(cells, "date")
    assert bad.tolist() == [False, False, False, True, True, True]
    assert [str(v.date()) for v in values.iloc[:3]] == ["2019-03-05"] * 3


def test_thousands_read_once_per_value_give_each_cell_its_own_number():
    # a column repeats its amounts down the rows; each distinct value is read once
    # (pandas.factorize) and put back at every row it stands in, bad cells too
    cells = ["1,234.50", "1,23", "12,345", "1,234.50", None, "１，２３４．５０", "12,345", "7"]
    values, bad = coerce(pd.Series(cells, dtype=object), "yuan", thousands=True)
    assert values.tolist() == [123450, pd.NA, 1234500, 123450, pd.NA, 123450, 1234500, 700]
    assert bad.tolist() == [False, True, False, False, False, False, False, False]


@pytest.mark.parametrize("dtype", ["float64", object], ids=["float64", "object"])
def test_float_yuan_are_read_at_15_significant_digits_as_excel_shows_them(dtype):
    # A sheet's 个人自付 = 总费用 − 统筹支付 holds the double the subtraction gives, not
    # the cents Excel shows: 35.8 − 20 is 15.799999999999997 (IEEE 754 binary64), and
    # Excel shows 15.8 because it shows and computes with 15 significant digits (a
    # double's DBL_DIG, C11 §5.2.4.2.2; Microsoft, "Floating-point arithmetic may give
    # inaccurate results in Excel"). The 17 digits of repr read it as three decimals.
    # The session-19 review's workbook: 7925.290000000001 shown as 7,925.29.
    assert 35.8 - 20 == 15.799999999999997 and 0.1 + 0.2 == 0.30000000000000004
    cells = pd.Series(
        [35.8 - 20, 7925.290000000001, 134.87999999999997, 0.1 + 0.2, 202.326, 1234.0],
        dtype=dtype,
    )
    values, bad = coerce(cells, "yuan", thousands=True)
    # 202.326 is a genuine third decimal at 15 digits too, and stays refused
    assert bad.tolist() == [False, False, False, False, True, False]
    assert values.tolist() == [1580, 792529, 13488, 30, pd.NA, 123400]


@pytest.mark.parametrize("dtype", ["float64", object], ids=["float64", "object"])
def test_float_yuan_from_a_difference_of_large_amounts_are_read_to_the_nearest_fen(dtype):
    # The residue of a subtraction scales with the amounts subtracted, not with the
    # result, so 15 significant digits of the result still show it (session-19 review
    # of the change above): 1234.56 − 1200.5 is 34.059999999999945, 20300.15 − 20000.1 is
    # 300.0500000000029 and 8123.45 − 8123.40 is 0.05000000000018190 (IEEE 754 binary64;
    # Python's float arithmetic). Each lies within 1e-6 fen of a whole fen; 202.326 is
    # 0.6 fen from one, 0.005 half a fen: genuine third decimals, still refused.
    assert 1234.56 - 1200.5 == 34.059999999999945
    assert 20300.15 - 20000.1 == 300.0500000000029
    assert 8123.45 - 8123.40 == 0.0500000000001819
    cells = pd.Series(
        [1234.56 - 1200.5, 20300.15 - 20000.1, 8123.45 - 8123.40, 202.326, 0.005, -15.5],
        dtype=dtype,
    )
    values, bad = coerce(cells, "yuan", thousands=True)
    assert bad.tolist() == [False, False, False, True, True, False]
    assert values.tolist() == [3406, 30005, 5, pd.NA, pd.NA, -1550]


def test_a_grouped_amount_is_refused_for_its_decimals_not_its_commas():
    # review session 24, finding 9: the thousands separators of 1,234.567 are right
    from ihms.data._coerce import placeholder_reason

    assert placeholder_reason("1,234.567", "yuan").startswith("more than two decimal places")
    assert placeholder_reason("1,234.56", "yuan") is None
    assert placeholder_reason("1,23", "yuan").startswith("a comma that is no thousands")
    # in a whole-number column the commas are right too: the decimals are the caller's
    assert placeholder_reason("1,234.5", "int64") is None
