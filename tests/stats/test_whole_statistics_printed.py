"""A statistic that happens to be whole — a kappa of exactly 1 where coders agree on
every unit, a standard error of 0 — prints with its column's decimals, as Stata's
``kap`` prints 1.0000, not as the integer ``1`` the tables give whole-valued counts."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.stats import (
    agreement_report,
    cohens_kappa_from_table,
    fleiss_kappa_from_counts,
    gwet_ac1_from_table,
    krippendorff_alpha,
    krippendorff_alpha_bootstrap,
    pabak_from_table,
)
from ihms.summary import SummaryTable

PERFECT = [[10, 0], [0, 10]]  # two coders agreeing on all 20 units


def _shown(table: SummaryTable, row: int = 0) -> dict[str, str]:
    header, rows, _ = table._cells()
    return dict(zip(header, rows[row], strict=True))


@pytest.mark.parametrize(
    ("result", "columns"),
    [
        (
            lambda: cohens_kappa_from_table(PERFECT),
            {"kappa": "1.0000", "std_error": "0.0000", "95% low": "1.0000"},
        ),
        (
            lambda: gwet_ac1_from_table(PERFECT),
            {"estimate": "1.0000", "std_error": "0.0000", "95% high": "1.0000"},
        ),
        (
            lambda: pabak_from_table(PERFECT),
            {"kappa": "1.0000", "PABAK": "1.0000", "bias index": "0.0000"},
        ),
        (
            lambda: fleiss_kappa_from_counts([[2, 0]] * 10 + [[0, 2]] * 10),
            {"kappa": "1.0000"},
        ),
        (
            lambda: krippendorff_alpha(pd.DataFrame({"a": [1, 2] * 10, "b": [1, 2] * 10})),
            {"alpha": "1.0000", "D_o": "0.0000"},
        ),
        (
            lambda: krippendorff_alpha_bootstrap(
                pd.DataFrame({"a": [1, 2] * 10, "b": [1, 2] * 10}), n_boot=50, seed=1
            ),
            {"alpha": "1.0000", "boot SE": "0.0000", "95% low": "1.0000"},
        ),
    ],
    ids=["cohen", "gwet", "pabak", "fleiss", "alpha", "alpha-bootstrap"],
)
def test_a_perfect_agreement_prints_its_decimals(result, columns):
    shown = _shown(result().summary())
    for column, text in columns.items():
        assert shown[column] == text, column


def test_the_agreement_report_prints_a_kappa_of_1_as_1_000():
    rows = [{"unit": i, "coder": c, "code": "x" if i % 2 else "y"} for i in range(30) for c in "ab"]
    report = agreement_report(pd.DataFrame(rows))
    for detail in (False, True):
        table = report.summary(detail=detail)
        for row in range(3):
            shown = _shown(table, row)
            assert shown["n"] == "30" and shown["agree"] == "100.0%"  # counts stay counts
            assert shown["kappa"] == shown["alpha"] == shown["AC1"] == "1.000"
            assert table.to_frame()["kappa"].iloc[row] == 1.0
        if detail:
            assert _shown(table)["std_error"] == "0.000" and _shown(table)["n_coders"] == "2"


def test_decimal_columns_keep_whole_values_decimals_and_other_columns_do_not():
    frame = pd.DataFrame({"kappa": [1.0, 0.0], "segments": [212.0, 31.0]})
    table = SummaryTable(frame, show_index=False, decimal_columns=("kappa",), digits=3)
    assert table._cells()[1] == [["1.000", "212"], ["0.000", "31"]]
