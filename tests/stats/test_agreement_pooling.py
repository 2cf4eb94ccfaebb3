"""Rows of one unit and coder in a long multi-label table are pooled into one code set
unless they differ in a column that looks like a dimension column (review diff32a M1,
L1, L3): a timestamp, a row id, pandas' ``Unnamed: 0`` index or a note filled on one row
is no dimension, and the table is read as before the check."""

from __future__ import annotations

import io
import time

import numpy as np
import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.stats import agreement_report, cohens_kappa

# one row per code, as coding tools export them, with per-row columns (review diff32a M1)
LONG_TS = """unit,coder,code,timestamp,note
s1,A,supply,2026-01-01 10:00,
s1,A,demand,2026-01-01 10:01,second tool
s1,B,supply,2026-01-02 09:00,
s1,B,demand,2026-01-02 09:05,
s2,A,environment,2026-01-01 10:02,
s2,B,environment,2026-01-02 09:06,
s3,A,supply,2026-01-01 10:03,
s3,B,demand,2026-01-02 09:07,
"""
# by hand: A gives {supply, demand}, {environment}, {supply}; B {supply, demand},
# {environment}, {demand}. po = 2/3, pe = 1/9 + 1/9 = 2/9, kappa = (4/9)/(7/9) = 4/7
FOUR_SEVENTHS = 4 / 7


def _long_ts(**kw) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(LONG_TS), **kw)


@pytest.mark.parametrize("dtype", [None, str])
def test_a_timestamp_and_a_note_on_one_row_are_no_dimension(dtype):
    report = agreement_report(_long_ts(dtype=dtype), multi_label=True)
    assert report.row("code")["kappa"] == pytest.approx(FOUR_SEVENTHS)


@pytest.mark.parametrize("dtype", [None, str])
def test_a_row_id_or_the_index_pandas_wrote_is_no_dimension(tmp_path, dtype):
    path = tmp_path / "codings.csv"
    _long_ts().drop(columns=["timestamp", "note"]).to_csv(path)  # writes 'Unnamed: 0'
    read = pd.read_csv(path, dtype=dtype)
    assert "Unnamed: 0" in read.columns
    report = agreement_report(read, multi_label=True)
    assert report.row("code")["kappa"] == pytest.approx(FOUR_SEVENTHS)
    with_id = _long_ts().assign(row_id=range(8))
    report = agreement_report(with_id, multi_label=True)
    assert report.row("code")["kappa"] == pytest.approx(FOUR_SEVENTHS)


def test_a_dimension_column_not_named_is_refused_with_advice_for_both_callers():
    codings = pd.read_csv("examples/policies/codings/codings_long.csv")
    codings = codings.rename(columns={"dimension": "coded dimension"})
    with pytest.raises(InputError) as caught:
        agreement_report(codings, unit="segment", multi_label=True)
    message = str(caught.value)
    assert "differ in column 'coded dimension' ('tools', 'stakeholders')" in message
    assert "dimension='coded dimension'" in message
    # shell-safe for the command line
    assert "`ihms agreement --dimension 'coded dimension'`" in message
    # what to do when it is not a dimension, in words a command-line user can act on
    assert "delete the column from the file" in message
    assert "np.int64" not in message


def test_a_text_column_used_in_one_unit_only_is_no_dimension():
    # a reference number per code ('r1', 'r2' …) differs on every row of a unit+coder,
    # and every value belongs to one unit: not a dimension
    codings = _long_ts().drop(columns=["timestamp", "note"])
    codings["reference"] = [f"{u}-{i}" for i, u in enumerate(codings["unit"])]
    report = agreement_report(codings, multi_label=True)
    assert report.row("code")["kappa"] == pytest.approx(FOUR_SEVENTHS)


def test_the_check_is_cheap_on_a_big_long_table():
    # review diff32a L3: 20,000 units x 2 coders x 3 codes took 11.0 s with the check,
    # 3.2 s without it; the check alone is now one vectorised pass per column
    from ihms.stats._pooling import refuse_pooling

    units = np.repeat(np.arange(20_000), 6).astype(str)
    coders = np.tile(np.repeat(["A", "B"], 3), 20_000)
    codings = pd.DataFrame(
        {
            "unit": units,
            "coder": coders,
            "code": np.tile(["x", "y", "z"], 40_000),
            "stamp": pd.date_range("2026-01-01", periods=120_000, freq="s").astype(str),
            "row_id": np.arange(120_000),
        }
    )
    kept = [
        (i + 2, "code", u, c, v, i)
        for i, (u, c, v) in enumerate(zip(units, coders, codings["code"], strict=True))
    ]
    started = time.perf_counter()
    refuse_pooling(codings, kept, "unit", "coder", "code", None, "codings")
    assert time.perf_counter() - started < 2.0


def test_cohens_kappa_names_one_column_in_the_singular():
    with pytest.raises(InputError, match=r"of 1 column\b"):
        cohens_kappa(pd.DataFrame({"a": ["x", "y"]}))
