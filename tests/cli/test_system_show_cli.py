"""``ihms system show`` and ``check`` on the review of the delivery system (session 30):
empty tables, a year's consortium members, the population counted, names with brackets."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()

BASE = """\
ihms_system: 1
name: "Test county [pilot]"
period: {start: 2020-01-01, end: 2021-12-31}
study_counties: [c1]
counties:
  - {id: c1, name: County one, city: X, kind: county}
  - {id: cap, name: Capital, city: Y, kind: district}
grids:
  - {id: GC, name: capital grid, county: cap, population: {2020: 9000, 2021: 9000}}
  - {id: G1, name: g1, county: c1, population: {2020: 1000, 2021: 1100}}
  - {id: G2, name: g2, county: c1, population: {2020: 500, 2021: 600}}
institutions:
  - {id: CH, name: County hospital, tier: secondary, affiliation: county, county: c1, grid: G1}
  - {id: THC1, name: "THC one [closed 2021]", tier: primary_centre, affiliation: county,
     county: c1, grid: G1, active_to: 2020}
  - {id: THC2, name: THC two, tier: primary_centre, affiliation: county, county: c1, grid: G2}
  - {id: T3, name: Tertiary, tier: tertiary, affiliation: municipal, county: cap}
consortia:
  - {id: cmc, name: CMC, type: county_medical_community, integration: full, lead: CH,
     members: [CH, THC1, THC2], grids: [G1, G2], start_year: 2020, refers_up_to: [T3]}
"""


def flat(text: str) -> str:
    return " ".join(text.split())


def test_show_grids_and_institutions_of_a_file_without_any(tmp_path):
    # finding 2: a traceback, KeyError "None of ['id'] are in the columns"; grids are
    # optional (a file of specialist alliances has none)
    path = tmp_path / "nogrids.yaml"
    path.write_text(
        "ihms_system: 1\nname: Minimal\ncounties:\n  - {id: c1, name: County one, city: X}\n",
        encoding="utf-8",
    )
    for what in ("grids", "institutions"):
        args = ["system", "show", str(path), "--what", what]
        res = runner.invoke(app, [*args, "--json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.output) == []
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and f"Minimal: {what}" in res.output, res.output


def test_show_consortia_counts_the_members_of_the_year_and_checks_it(tmp_path):
    # finding 9: the members of every year were counted (Youxi 2019: 413, 389 operate)
    # and --year 2030 was not refused; no --year listed every year's consortia
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    args = ["system", "show", str(path), "--what", "consortia", "--json"]
    members = {
        y: json.loads(runner.invoke(app, [*args, "--year", y]).output)[0]["members"]
        for y in ("2020", "2021")
    }
    assert members == {"2020": 3, "2021": 2}  # THC1 closes after 2020
    assert json.loads(runner.invoke(app, args).output)[0]["members"] == 2  # the last year
    res = runner.invoke(app, [*args, "--year", "2030"])
    assert res.exit_code == 2 and "covers 2020–2021, got 2030" in res.output
    youxi = ["system", "show", "examples/youxi.yaml", "--what", "consortia", "--json"]
    rows = json.loads(runner.invoke(app, [*youxi, "--year", "2019"]).output)
    assert rows[0]["members"] == 389  # as 'system coverage --year 2019' counts them


def test_show_summary_counts_the_population_coverage_counts(tmp_path):
    # finding 11: the summary added every grid (10,700 in 2021, the capital's 9,000
    # included) where coverage counts the study counties' (1,700)
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    info = json.loads(runner.invoke(app, ["system", "show", str(path), "--json"]).output)
    cov = json.loads(runner.invoke(app, ["system", "coverage", str(path), "--json"]).output)
    assert info["population"]["2021"] == cov["population"] == 1700
    assert info["grids_outside_study_counties"] == ["GC"]
    said = flat(runner.invoke(app, ["system", "show", str(path)]).output)
    assert "population (study counties) │ 2020: 1,500; 2021: 1,700" in said
    assert "grids outside them (not counted) │ GC" in said


def test_names_in_square_brackets_are_printed_whole(tmp_path):
    # finding 12: rich read "[pilot]" and "[closed 2021]" as markup and dropped them
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    said = flat(runner.invoke(app, ["system", "check", str(path)]).output)
    assert "Test county [pilot] —" in said
    res = runner.invoke(
        app, ["system", "show", str(path), "--what", "institutions", "--year", "2020"]
    )
    assert "Test county [pilot]: institutions (2020)" in flat(res.output)
    assert "[closed" in res.output and "2021]" in res.output
    said = flat(runner.invoke(app, ["system", "show", str(path)]).output)
    assert "Test county [pilot] (base.yaml)" in said


def test_check_without_a_period_notes_the_earlier_years(tmp_path):
    # finding 8: the "earlier years" note went over the period's years, none without one
    path = tmp_path / "np.yaml"
    text = BASE.replace("period: {start: 2020-01-01, end: 2021-12-31}\n", "")
    path.write_text(text.replace("start_year: 2020", "start_year: 2021"), encoding="utf-8")
    res = runner.invoke(app, ["system", "check", str(path)])
    assert res.exit_code == 0, res.output
    assert "note: in earlier years no consortium serves: 2020 G1, G2." in flat(res.output)


def test_coverage_names_the_year_option_as_show_does(tmp_path):
    # finding 14: coverage said "parameter 'year'", show "--year" for the same mistake
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    res = runner.invoke(app, ["system", "coverage", str(path), "--year", "2030"])
    assert res.exit_code == 2 and "error: --year: " in res.output, res.output


def test_a_chinese_name_stacked_under_the_english_one_is_not_split(monkeypatch):
    # review of session 31, L8: at 80 columns the name column was 11 cells wide, and
    # 尤溪县总医院 (12) was printed as 尤溪县总医 / 院
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["system", "show", "examples/youxi.yaml", "--what", "consortia", "--year", "2019"]
    res = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.split() == ["尤溪县总医院"] for line in lines), res.output
