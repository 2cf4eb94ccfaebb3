"""``ihms agreement --coders``: a wide table (one column per coder) read as its long
table is (a user walk: SPSS, Stata and Excel users keep their codings wide)."""

from __future__ import annotations

import json

from tests.stats.test_agreement_wide import KRIPPENDORFF_2011, _long_text
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def test_the_wide_and_the_long_layout_give_the_same_report(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(KRIPPENDORFF_2011, encoding="utf-8")
    long = tmp_path / "long.csv"
    long.write_text(_long_text(KRIPPENDORFF_2011), encoding="utf-8")
    from_wide = runner.invoke(app, ["agreement", str(wide), "--coders", "A, B,C,D", "--json"])
    from_long = runner.invoke(app, ["agreement", str(long), "--json"])
    assert from_wide.exit_code == 0, from_wide.output
    assert from_long.exit_code == 0, from_long.output
    assert from_wide.output == from_long.output
    row = json.loads(from_wide.output)["rows"][0]
    # the published nominal alpha of the worked example (Krippendorff 2011, section C)
    assert round(row["alpha"], 3) == 0.743
    assert (row["n_units"], row["n_coders"]) == (11, 4)


def test_the_shipped_wide_codings_report_as_the_long_ones():
    # examples/policies/codings/codings_wide.csv is codings_long.csv pivoted: one row per
    # segment and dimension, one column per coder
    common = ["--unit", "segment", "--dimension", "dimension", "--multi-label", "--json"]
    folder = "examples/policies/codings"
    wide = runner.invoke(
        app, ["agreement", f"{folder}/codings_wide.csv", "--coders", "coder_a,coder_b", *common]
    )
    long = runner.invoke(app, ["agreement", f"{folder}/codings_long.csv", *common])
    assert wide.exit_code == 0, wide.output
    assert wide.output == long.output
    # seed 000's figure, as test_evaluation_cli's long run gives it
    assert 0.5 < json.loads(wide.output)["mean_kappa"] < 0.9


def test_a_long_table_with_a_dimension_column_not_named_is_refused():
    # without --dimension the tools and stakeholders of a segment were pooled into one
    # code set (mean kappa 0.486 instead of 0.660), with no word
    result = runner.invoke(
        app,
        [
            "agreement",
            "examples/policies/codings/codings_long.csv",
            "--unit",
            "segment",
            "--multi-label",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "differ in column 'dimension'" in result.output
    assert "--dimension dimension" in result.output
