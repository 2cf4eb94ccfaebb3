"""``ihms trend``, ``ihms growth`` and ``ihms agreement`` through Typer's CliRunner."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_trend_prints_r_golden_numbers():
    # R prop.trend.test help example: X-squared = 8.2249, df = 1, p-value = 0.004132.
    result = run("trend", "--events", "83,90,129,70", "--totals", "86,93,136,82")
    assert result.exit_code == 0, result.output
    assert "8.2249" in result.output and "Departure" in result.output
    # typed with a Chinese input method: full-width digits and commas, an enumeration comma
    zh = run("trend", "--events", "８３，９０、129,70", "--totals", "86，93，136，82")
    assert zh.exit_code == 0, zh.output
    assert "8.2249" in zh.output
    # a superscript is not a digit of the count: NFKC read 8³ as 83 and printed 8.2249
    sup = run("trend", "--events", "8³,90,129,70", "--totals", "86,93,136,82")
    assert sup.exit_code == 2 and "8.2249" not in sup.output
    assert "option '--events': expected comma-separated numbers, got '8³,90,129,70'" in (
        " ".join(sup.output.split())
    )


def test_trend_json_and_n_minus_1_form():
    result = run("trend", "--events", "1,5,21", "--totals", "20,36,88", "--form", "n-1", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # SAS PROC FREQ CMH for Kalish's example (Stata FAQ on tests for trend): 4.515.
    assert round(out["chi2"], 3) == 4.515 and out["form"] == "n-1" and out["df"] == 1
    scored = json.loads(
        run(
            "trend", "--events", "83,90,129,70", "--totals", "86,93,136,82",
            "--scores", "0,0,0,1", "--json",
        ).output
    )  # fmt: skip
    assert scored["scores"] == [0, 0, 0, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--events", "83,90,140", "--totals", "86,93,136"],
            "total 136 is smaller than events 140",
        ),
        (["--events", "83,90", "--totals", "86,93,136"], "same number of groups"),
        (["--events", "83,x", "--totals", "86,93"], "option '--events'"),
        (["--events", "83", "--totals", "86"], "at least 2 groups"),
        (["--events", "3,-1", "--totals", "86,93"], "expected counts >= 0"),
        (["--events", "3,1", "--totals", "86,93", "--form", "x"], "option '--form': expected 'n'"),
    ],
)
def test_trend_bad_input_exits_2_with_a_message(args, message):
    result = run("trend", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_growth_single_indicator_against_seed_004():
    # Seed 004, Table 2: GPs per 10,000 people 1.04 -> 1.63 (2016-2018): 25.2%, national
    # 21.3%.
    args = ["growth", "--start-year", 2016, "--end-year", 2018, "--start", 1.04, "--end", 1.63]
    result = run(*args, "--reference", "21.3%")
    assert result.exit_code == 0, result.output
    assert "25.2%" in result.output and "+3.9 pp" in result.output
    zh = run(*args, "--reference", "21.3％")
    assert zh.exit_code == 0, zh.output
    assert "+3.9 pp" in zh.output
    out = json.loads(run(*args, "--reference", "0.213", "--json").output)
    assert round(out["growth_rate"], 3) == 0.252 and round(out["difference"], 3) == 0.039


def test_growth_from_a_csv_table_with_reference_column(tmp_path):
    csv = tmp_path / "capacity.csv"
    csv.write_text(
        "indicator,year,value,national\n"
        "GPs per 10k,2016,1.04,21.3%\n"
        "GPs per 10k,2017,1.41,21.3%\n"
        "GPs per 10k,2018,1.63,21.3%\n"
        "Beds per THC,2016,86,-\n"
        "Beds per THC,2017,158,-\n"
        "Beds per THC,2018,155,-\n",
        encoding="utf-8",
    )
    result = run(
        "growth", csv, "--indicator-col", "indicator", "--reference-col", "national", "--json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    rows = {r["indicator"]: r for r in out["rows"]}
    assert (out["start_year"], rows["GPs per 10k"]["end_year"]) == (2016, 2018)
    assert json.dumps(out["start_year"]) == "2016"  # a year, not 2016.0
    assert round(100 * rows["GPs per 10k"]["growth_rate"], 1) == 25.2
    assert round(100 * rows["Beds per THC"]["growth_rate"], 1) == 34.3
    assert rows["Beds per THC"]["difference"] is None


def test_growth_bad_input_exits_2(tmp_path):
    zero = run("growth", "--start-year", 2016, "--end-year", 2018, "--start", 0, "--end", 2)
    assert zero.exit_code == 2 and "expected a value > 0" in zero.output
    missing = run("growth", "--start-year", 2016, "--start", 1, "--end", 2)
    assert missing.exit_code == 2 and "--end-year" in missing.output
    # the options typed, not the library's parameters start_year/end_year
    backwards = run("growth", "--start-year", 2018, "--end-year", 2016, "--start", 1, "--end", 2)
    assert backwards.exit_code == 2
    assert "options '--start-year' and '--end-year': expected --end-year after --start-year" in (
        " ".join(backwards.output.split())
    )
    csv = tmp_path / "bad.csv"
    csv.write_text("year,value\n2016,5\n2017,7\n2018,0\n", encoding="utf-8")
    bad = run("growth", csv)
    assert bad.exit_code == 2
    assert "indicator 'value', year 2018" in " ".join(bad.output.split())
    both = run("growth", csv, "--start", 1)
    assert both.exit_code == 2 and "cannot be combined" in both.output
    nofile = run("growth", tmp_path / "absent.csv")
    assert nofile.exit_code == 2
    # a percentage without its sign would silently be a rate of 2,130 %
    args = ("growth", "--start-year", 2016, "--end-year", 2018, "--start", 1.04, "--end", 1.63)
    bare = run(*args, "--reference", "21.3")
    assert bare.exit_code == 2 and "write 21.3% for per cent" in " ".join(bare.output.split())
    assert run(*args, "--reference", "150%").exit_code == 0
    assert run(*args, "--reference", "-0.05").exit_code == 0


def _write_codings(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_agreement_csv_to_json(tmp_path):
    csv = _write_codings(
        tmp_path / "codings.csv",
        "segment,coder,tools\ns1,A,a;b\ns1,B,a\ns2,A,b\ns2,B,b\ns3,A,c\ns3,B,c;a\ns4,A,a\ns4,B,a\n",
    )
    result = run(
        "agreement", csv, "--unit", "segment", "--code", "tools", "--multi-label", "--json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    cats = {r["category"]: r for r in out["rows"] if r["category"] is not None}
    assert set(cats) == {"a", "b", "c"}
    assert cats["c"]["kappa"] == pytest.approx(1.0)
    table = run("agreement", csv, "--unit", "segment", "--code", "tools", "--multi-label")
    assert table.exit_code == 0 and "Mean kappa over dimensions" in table.output


def test_agreement_reads_gbk_files(tmp_path):
    csv = _write_codings(
        tmp_path / "gbk.csv",
        "段落,编码员,政策工具\n1,甲,人才建设\n1,乙,人才建设\n2,甲,技术支持\n2,乙,人才建设\n",
        encoding="gbk",
    )
    result = run(
        "agreement", csv, "--unit", "段落", "--coder", "编码员", "--code", "政策工具", "--json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"][0]["percent_agreement"] == 50.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("unit,coder,code\n1,A,x\n1,A,y\n2,B,x\n", "coder 'A' coded unit '1' twice"),
        ("unit,coder,code\n1,A,x\n2,A,y\n", "expected at least 2 coders, got 1"),
        ("unit,who,code\n1,A,x\n", "missing column(s) coder;"),
    ],
)
def test_agreement_bad_input_exits_2(tmp_path, text, message):
    csv = _write_codings(tmp_path / "codings.csv", text)
    result = run("agreement", csv)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_shipped_growth_example_reproduces_seed_004_table_2():
    # examples/series/deqing_thc_growth.csv holds all 12 rows of seed 004's Table 2
    # (Deqing's township health centres, 2016-2018); the rates below are the ones the
    # table prints.
    printed = {
        "GPs per 10,000 people": 25.2,
        "Beds per THC": 34.3,
        "Average length of stay (days)": -20.3,
        "Total revenue per THC (million yuan)": 18.1,
        "Professional income per physician (10,000 yuan)": 52.7,
    }
    result = run(
        "growth", "examples/series/deqing_thc_growth.csv",
        "--indicator-col", "indicator", "--reference-col", "national", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {r["indicator"]: r for r in json.loads(result.output)["rows"]}
    assert len(rows) == 12
    for name, rate in printed.items():
        assert round(100 * rows[name]["growth_rate"], 1) == rate, name
    # Three rows' printed rates do not follow from their rounded values (see
    # tests/stats/test_growth.py): printed 23.1 %, -3.0 % and 17.5 %.
    not_from_rounded = {
        "GPs/specialists ratio": 23.6,
        "Nurses/doctors ratio": -2.2,
        "Occupancy rate for curative care beds (%)": 17.6,
    }
    for name, rate in not_from_rounded.items():
        assert round(100 * rows[name]["growth_rate"], 1) == rate, name
    # six of the twelve rows carry a national rate, the occupancy rate's -0.8 % among them
    national = {n: r["reference_rate"] for n, r in rows.items() if r["reference_rate"] is not None}
    assert len(national) == 6
    assert national["Occupancy rate for curative care beds (%)"] == pytest.approx(-0.008)


def test_shipped_codings_example_matches_the_coders_sheets():
    # examples/policies/codings/codings_long.csv is the two coders' sheets in long form;
    # one category's kappa checked against scikit-learn on the sheets themselves.
    import pandas as pd
    from sklearn.metrics import cohen_kappa_score

    result = run(
        "agreement", "examples/policies/codings/codings_long.csv",
        "--unit", "segment", "--coder", "coder", "--code", "code", "--dimension", "dimension",
        "--multi-label-dimension", "tools", "--multi-label-dimension", "stakeholders", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    got = next(
        r["kappa"]
        for r in rows
        if r["dimension"] == "tools" and r["category"] == "price_adjustment"
    )
    a = pd.read_excel("examples/policies/codings/coder_a.xlsx").set_index("segment_id")
    b = pd.read_excel("examples/policies/codings/coder_b.xlsx").set_index("segment_id")
    has_a = a["Policy tools"].str.contains("Price adjustment", regex=False)
    has_b = b["政策工具"].str.contains("价格调整", regex=False).reindex(has_a.index)
    assert got == pytest.approx(cohen_kappa_score(has_a, has_b), abs=1e-9)


def test_agreement_reads_a_short_gbk_file_as_chinese(tmp_path):
    # 4 rows of GBK: too short for charset-normalizer alone, which guesses a Korean
    # code page and turns 国家 into 벌소
    csv = _write_codings(
        tmp_path / "short.csv",
        "unit,coder,code\n1,A,国家\n1,B,国家\n2,A,地方\n2,B,国家\n",
        encoding="gbk",
    )
    result = run("agreement", csv, "--json")
    assert result.exit_code == 0, result.output
    cats = {r["category"] for r in json.loads(result.output)["rows"]}
    assert {"国家", "地方"} <= cats, cats


def test_agreement_splits_codes_at_a_full_width_semicolon(tmp_path):
    # a Chinese input method types ； for ; — the same table written both ways must give
    # the same report, and "a；b" must not become a category of its own
    text = "segment,coder,tools\ns1,A,a;b\ns1,B,a\ns2,A,b\ns2,B,b\ns3,A,c\ns3,B,c;a\n"
    ascii_csv = _write_codings(tmp_path / "ascii.csv", text)
    wide_csv = _write_codings(tmp_path / "wide.csv", text.replace(";", "；"))
    args = ("--unit", "segment", "--code", "tools", "--multi-label", "--json")
    ascii_out = run("agreement", ascii_csv, *args)
    wide_out = run("agreement", wide_csv, *args)
    assert wide_out.exit_code == 0, wide_out.output
    rows = json.loads(wide_out.output)["rows"]
    assert {r["category"] for r in rows if r["category"] is not None} == {"a", "b", "c"}
    assert rows == json.loads(ascii_out.output)["rows"]


def test_growth_yoy_seed_002_table_4_with_a_share_in_points(tmp_path):
    # Seed 002 (002_a40ed8d069ea109f.txt), Table 4, Youxi 2016-2019, as a Chinese
    # spreadsheet would export it: the share written with per cent signs, GBK-encoded.
    csv = tmp_path / "youxi.csv"
    csv.write_text(
        "指标,年份,数值\n"
        "门急诊人次(万),2016,134.2\n门急诊人次(万),2017,202.3\n"
        "门急诊人次(万),2018,190.6\n门急诊人次(万),2019,254.6\n"
        "基层占比,2016,50.8%\n基层占比,2017,63.0%\n基层占比,2018,60.8%\n基层占比,2019,69.2%\n",
        encoding="gbk",
    )
    args = ("growth", csv, "--yoy", "--indicator-col", "指标", "--period-col", "年份")
    result = run(*args, "--value-col", "数值")
    assert result.exit_code == 0, result.output
    # 202.3 / 134.2 - 1 = +50.7 %; 63.0 - 50.8 = +12.2 points; 100 * 254.6 / 134.2 = 189.7
    assert "+50.7%" in result.output and "+12.2 pp" in result.output
    assert "189.7" in result.output and "基层占比" in result.output
    out = json.loads(run(*args, "--value-col", "数值", "--json").output)
    assert out["rates"] == ["基层占比"] and out["base_period"] == 2016
    points = [r["yoy_points"] for r in out["rows"] if r["indicator"] == "基层占比"]
    assert points[0] is None and [round(p, 1) for p in points[1:]] == [12.2, -2.2, 8.4]


def test_growth_by_month_on_the_shipped_monthly_series():
    import pandas as pd

    path = "examples/series/county_hospital_monthly.csv"
    result = run(
        "growth", path, "--by", "month", "--value-col", "hospitalizations",
        "--value-col", "cost_per_hospitalization", "--base-period", "2017-01", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["frequency"] == "month" and out["base_period"] == "2017-01"
    rows = {(r["indicator"], r["period"]): r for r in out["rows"]}
    # computed by hand from the file with pandas: same month a year before, previous month
    data = pd.read_csv(path).set_index("month")["hospitalizations"]
    got = rows[("hospitalizations", "2019-03")]
    assert got["yoy_growth"] == pytest.approx(data["2019-03"] / data["2018-03"] - 1, rel=1e-12)
    assert got["mom_growth"] == pytest.approx(data["2019-03"] / data["2019-02"] - 1, rel=1e-12)
    assert got["index"] == pytest.approx(100 * data["2019-03"] / data["2017-01"], rel=1e-12)
    assert rows[("hospitalizations", "2016-02")]["mom_growth"] is None  # the first month


def test_growth_yoy_gap_is_named_and_bad_input_exits_2(tmp_path):
    csv = tmp_path / "beds.csv"
    csv.write_text("year,value\n2016,100\n2018,200\n2019,220\n", encoding="utf-8")
    gap = run("growth", csv, "--yoy", "--json")
    assert gap.exit_code == 0, gap.output
    out = json.loads(gap.output)
    assert out["rows"][1]["yoy_growth"] is None  # not 200 / 100 - 1 over two years
    assert "no value for 2017" in out["notes"][0]
    text = " ".join(run("growth", csv, "--yoy").output.split())
    assert "no value for 2017" in text

    def fails(*args):
        result = run("growth", *args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        return " ".join(result.output.split())

    assert "option '--by': expected 'year', 'quarter' or 'month'" in fails(csv, "--by", "week")
    assert "option '--rate': no indicator named 'beds'" in fails(csv, "--yoy", "--rate", "beds")
    assert "option '--base-period'" in fails(csv, "--yoy", "--base-period", "2010")
    assert "--reference belongs to the average annual rate; not to --yoy" in fails(
        csv, "--yoy", "--reference", "5%"
    )
    assert "give a CSV table" in fails("--yoy")
    assert "--rate belongs to the average annual rate or --yoy or --cumulative or --to" in fails(
        csv, "--prices", csv, "--rate", "value"
    )
    assert "give the long form" in fails(csv, "--value-col", "a", "--value-col", "b")
    bad = tmp_path / "bad.csv"
    bad.write_text("year,value\n2016,100\n2017,lots\n", encoding="utf-8")
    assert (
        f"column 'value' of {bad} row 3 (indicator 'value', year 2017): expected a number, "
        "got 'lots'" in fails(bad, "--yoy")
    )


def test_agreement_shows_ac1_pabak_bootstrap_and_the_paradox_note(tmp_path):
    # 20 units, "x" from both coders on 17, one disagreement each way, "y" from both on 1:
    # po = 18/20 = 0.9, so PABAK = 2·0.9 − 1 = 0.8 (Byrt, Bishop & Carlin 1993)
    lines = ["unit,coder,code"]
    for u in range(20):
        a = "y" if u in (17, 19) else "x"
        b = "y" if u in (18, 19) else "x"
        lines += [f"{u},A,{a}", f"{u},B,{b}"]
    csv = _write_codings(tmp_path / "codings.csv", "\n".join(lines) + "\n")
    out = json.loads(run("agreement", csv, "--bootstrap", 100, "--seed", 4, "--json").output)
    row = out["rows"][0]
    assert row["pabak"] == pytest.approx(0.8)
    assert row["ac1"] > 0.8 > row["kappa"]
    assert row["alpha_ci_low"] <= row["alpha"] <= row["alpha_ci_high"]
    assert 0 <= row["alpha_p_below"] <= 1
    assert out["bootstrap"] == {"n_boot": 100, "seed": 4, "alpha_minimum": 0.667}
    assert any("kappa paradox" in n for n in out["notes"])
    again = json.loads(run("agreement", csv, "--bootstrap", 100, "--seed", 4, "--json").output)
    assert again["rows"] == out["rows"]
    table = run("agreement", csv, "--bootstrap", 100, "--alpha-min", 0.8)
    assert table.exit_code == 0, table.output
    assert "AC1" in table.output and "PABAK" in table.output and "P(alpha<0.8)" in table.output
    bad = run("agreement", csv, "--bootstrap", 1)
    assert bad.exit_code == 2 and "n_boot" in bad.output


def test_agreement_skips_wholly_empty_rows_with_a_note(tmp_path):
    rows = "unit,coder,code\n1,a,x\n1,b,x\n2,a,y\n2,b,y\n3,a,x\n3,b,y\n"
    clean = _write_codings(tmp_path / "clean.csv", rows)
    padded = _write_codings(tmp_path / "padded.csv", rows + ",,\n, ,\n")
    expected = run("agreement", clean, "--json")
    result = run("agreement", padded, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(expected.stdout)
    assert "skipped 2 wholly empty rows (rows 8, 9)" in " ".join(result.stderr.split())
    partly = _write_codings(tmp_path / "partly.csv", rows + "4,,x\n")
    result = run("agreement", partly)
    assert result.exit_code == 2
    assert "column 'coder' of" in result.output and "row 8: expected a value, got an empty" in (
        " ".join(result.output.split())
    )


@pytest.mark.parametrize("bad", ["1_0", "nan", "inf", "٨٣", "83%"])
def test_trend_counts_are_read_as_table_cells_are(bad):
    # float() alone took 1_000, nan, inf and Arabic-Indic digits; a count is no per cent
    result = run("trend", "--events", f"{bad},90,129,70", "--totals", "86,93,136,82")
    assert result.exit_code == 2, result.output
    assert "expected comma-separated numbers" in result.output


@pytest.mark.parametrize("bad", ["inf", "nan", "2_1%", "٢١%"])
def test_growth_reference_rate_is_read_as_table_cells_are(bad):
    result = run(
        "growth", "--start-year", "2016", "--end-year", "2018", "--start", "1.04", "--end", "1.63",
        "--reference", bad,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "expected a rate such as 0.213 or 21.3%" in result.output


LONG_CODINGS = [
    "examples/policies/codings/codings_long.csv", "--unit", "segment", "--coder", "coder",
    "--code", "code", "--dimension", "dimension", "--multi-label-dimension", "tools",
    "--multi-label-dimension", "stakeholders",
]  # fmt: skip


def _p_shown(p: float) -> str:
    """A p-value as Stata's tables show it, to three decimals, and below that '<0.001'."""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


_SHOWN = {  # how the table prints each figure of a --json row
    "n_units": "{:.0f}", "percent_agreement": "{:.1f}%", "statistic": "{}", "kappa": "{:.3f}",
    "ci_low": "{:.3f}", "ci_high": "{:.3f}", "p_value": _p_shown, "alpha": "{:.3f}",
    "ac1": "{:.3f}", "pabak": "{:.3f}", "alpha_ci_low": "{:.3f}", "alpha_ci_high": "{:.3f}",
    "alpha_p_below": "{:.3f}",
}  # fmt: skip


@pytest.mark.parametrize(
    ("width", "boot"),
    [(80, []), (120, []), (80, ["--bootstrap", 50, "--seed", 1]), (120, ["--bootstrap", 50])],
)
def test_agreement_table_fits_the_terminal_with_every_figure(width, boot, monkeypatch):
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    out = json.loads(run("agreement", *LONG_CODINGS, *boot, "--json").output)
    args = ["agreement", *LONG_CODINGS, *map(str, boot)]
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    assert not any("(continued)" in line for line in lines)  # one table, no column blocks
    labels = [line.strip("│ ").split(" ")[0] for line in lines]
    starts = [labels.index(row["category"] or row["dimension"]) for row in out["rows"]]
    for row, at, end in zip(out["rows"], starts, [*starts[1:], len(lines)], strict=True):
        cells = " ".join(lines[at:end]).replace("│", " ").split()  # a row and its lines below
        for key, fmt in _SHOWN.items():
            if row.get(key) is not None:
                shown = fmt(row[key]) if callable(fmt) else fmt.format(row[key])
                assert shown in cells, (key, row, lines[at : at + 2])
    if width == 120 and not boot:  # wide enough for the full layout, unchanged
        assert "│" in result.output and "95% high" in result.output and "kappa" in result.output


@pytest.mark.parametrize("boot", [[], ["--bootstrap", 50, "--seed", 1]])
def test_agreement_table_folds_a_long_chinese_category_at_80_columns(tmp_path, boot, monkeypatch):
    # a category named by one long Chinese word was squeezed to three characters a line
    # (its further lines at the left edge, read as rows of their own); a snake_case one
    # of that length split the table into column blocks
    from rich.cells import cell_len

    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)
    name = "医疗保险支付方式改革与医保基金总额预算管理制度建设"
    text = Path(LONG_CODINGS[0]).read_text(encoding="utf-8")
    csv = tmp_path / "codings.csv"
    csv.write_text(text.replace("medical_insurance_payment", name), encoding="utf-8")
    args = ["agreement", str(csv), *LONG_CODINGS[1:], *map(str, boot)]
    row = next(r for r in json.loads(run(*args, "--json").output)["rows"] if r["category"] == name)
    result = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert not any("(continued)" in line for line in lines)
    at = next(i for i, line in enumerate(lines) if line.startswith("  " + name[:6]))
    rest = [line for line in lines[at + 1 : at + 3] if line.startswith("    ")]
    assert 1 <= len(rest) <= 2  # a line or two more, hanging under the category
    assert "".join(ch for line in [lines[at], *rest] for ch in line if ch > "\u2e80") == name
    cells = " ".join(lines[at : at + 3]).split()
    for key in ("n_units", "kappa", "ci_low", "alpha", "ac1", "pabak"):
        assert _SHOWN[key].format(row[key]) in cells, key
