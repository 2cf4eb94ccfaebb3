"""``ihms growth``'s average rate: a start year before the table's first and the
reference rate (once; per indicator through --reference-col), as the command says them.
By hand: 100 → 133.1 over 2016–2019 is 10 % a year (1.1³ = 1.331), +2.0 pp above 8 %."""

import json

from tests.cli.test_growth_cli import fails, run


def _table(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("year,value\n2016,100\n2017,110\n2018,121\n2019,133.1\n", encoding="utf-8")
    return path


def test_a_start_year_before_the_data_names_file_column_option_and_first_year(tmp_path):
    path = _table(tmp_path)
    text = fails(path, "--start-year", "2014")
    assert (
        f"column 'year' of {path}: the start year 2014 (option '--start-year') is before "
        "the table's first year, 2016 (its years run 2016–2019)"
    ) in text
    assert "no value for year" not in text
    out = json.loads(run("growth", path, "--start-year", "2014", "--json").stdout)
    assert len(out["problems"]) == 1 and "option '--start-year'" in out["problems"][0]


def test_the_default_period_points_to_years_every_indicator_has(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        "ind,year,value\na,2016,100\na,2018,121\nb,2015,50\nb,2016,55\nb,2018,66.55\n",
        encoding="utf-8",
    )
    text = fails(path, "--indicator-col", "ind")
    assert "indicator 'a': no value for year 2015" in text
    assert "its first year with a value is 2016" in text
    assert "set option '--start-year' to 2016)" in text
    result = run("growth", path, "--indicator-col", "ind", "--start-year", "2016", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert [round(r["growth_rate"], 12) for r in rows] == [0.1, 0.1]  # 1.21 ** 0.5 - 1


def test_single_rate_shows_the_reference_only_when_given(tmp_path):
    args = ("growth", "--start-year", "2016", "--end-year", "2019", "--start", "100",
            "--end", "133.1")  # fmt: skip
    plain = run(*args)
    assert plain.exit_code == 0, plain.output
    assert "10.0%" in plain.output and "reference" not in plain.output
    assert "difference" not in plain.output
    with_ref = run(*args, "--reference", "8%")
    text = " ".join(with_ref.output.split())
    assert "8.0%" in text and "+2.0 pp" in text
    out = json.loads(run(*args, "--reference", "8%", "--json").stdout)
    assert out["reference_rate"] == 0.08 and round(out["difference"], 12) == 0.02
    assert json.loads(run(*args, "--json").stdout)["reference_rate"] is None
    # one reference: a second is refused, pointing to a column per indicator
    twice = fails("--start-year", "2016", "--end-year", "2019", "--start", "100", "--end",
                  "133.1", "--reference", "8%", "--reference", "10%")  # fmt: skip
    assert "--reference given twice: 8%, 10%" in twice
    assert "(--reference-col)" in twice
    table = _table(tmp_path)
    assert "(--reference-col)" in fails(table, "--reference", "8%", "--reference", "9%")


def test_real_growth_of_a_value_turned_negative_prints_no_average(tmp_path):
    # 100, 110, 121, -30 deflated by a CPI (上年=100): the yoy rows print, the averages
    # are "—" with the reason (tests/stats/test_growth_real.py has the numbers)
    data, cpi = tmp_path / "g.csv", tmp_path / "cpi.csv"
    data.write_text("year,value\n2015,100\n2016,110\n2017,121\n2018,-30\n", encoding="utf-8")
    cpi.write_text("year,index\n2015,101.4\n2016,102.0\n2017,101.6\n2018,102.1\n")
    for extra in ((), ("--price-base", "2015")):
        prices = cpi
        if extra:
            prices = tmp_path / "fixed.csv"
            prices.write_text("year,index\n2015,100\n2016,102\n2017,103.6\n2018,105.8\n")
        result = run("growth", data, "--yoy", "--prices", prices, *extra)
        assert result.exit_code == 0, result.output
        text = " ".join(result.output.split())
        assert "nominal —, real —" in text
        assert "the value in 2018 is -30 (expected a value > 0 for a growth rate)" in text
        out = json.loads(run("growth", data, "--yoy", "--prices", prices, *extra, "--json").stdout)
        assert out["average"][0]["average_nominal_growth"] is None


def test_a_cpi_given_as_percentage_changes_is_refused(tmp_path):
    data, cpi = tmp_path / "g.csv", tmp_path / "cpi.csv"
    data.write_text("year,value\n2015,100\n2016,110\n", encoding="utf-8")
    cpi.write_text("year,index\n2015,1.4\n2016,2.0\n")
    text = fails(data, "--yoy", "--prices", cpi)
    assert (
        f"column 'index' of {cpi} row 3: expected an index with the same period a year "
        "before = 100, such as 102.0 for a rise of 2%, got 2: a percentage change"
    ) in text
