"""``ihms system`` after the session-30 review's leftovers (session 31): ``--json`` gives
lists as JSON arrays and shares as fractions, ``off-pathway`` titles and notes read as
``show``'s and name the year whose pathway judged the referrals, and ``show --what
consortia`` fits 80 columns in one block; grids and the system take a Chinese name and
``show`` lists the Chinese names."""

from __future__ import annotations

import json

from tests.cli.test_system_show_cli import BASE, flat
from tests.indicators.conftest import TINY_YAML, tiny_tables  # noqa: F401  (fixture)
from tests.indicators.test_referral_views import referred  # noqa: F401  (fixture)
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()
QINGSHAN = "tests/system/data/qingshan.yaml"


def as_json(args: list[str]):
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_show_json_gives_lists_as_arrays_and_years_as_numbers():
    # before: "consortia": "youxi-ichc, fjph-alliance", "refers up to": "PV-PH, UH" (a
    # key with a space) and "years": "2021–"
    show = ["system", "show", QINGSHAN, "--year", "2022", "--what"]
    insts = {r["id"]: r for r in as_json([*show, "institutions"])}
    assert insts["QS-TCM"]["consortia"] == ["cmc-tcm", "sa-uh"]
    assert insts["VC1-001"]["consortia"] == ["cmc-ch"]
    grids = {r["id"]: r for r in as_json([*show, "grids"])}
    assert all(isinstance(g["consortia"], list) for g in grids.values())
    consortia = {r["id"]: r for r in as_json([*show, "consortia"])}
    assert consortia["cmc-ch"]["refers_up_to"] == ["PV-PH", "UH"]
    assert consortia["sa-uh"]["refers_up_to"] == []
    assert (consortia["cmc-ch"]["start_year"], consortia["cmc-ch"]["end_year"]) == (2021, None)
    assert (consortia["sa-uh"]["start_year"], consortia["sa-uh"]["end_year"]) == (None, None)
    assert "years" not in consortia["cmc-ch"] and "refers up to" not in consortia["cmc-ch"]


def test_coverage_json_gives_every_share_the_console_shows_as_a_fraction(tmp_path):
    # base.yaml in 2021: G1 and G2 (1,100 + 600 residents) served by cmc, fully; CH and
    # THC2 operate (THC1 closed after 2020), both members: every share 1 or 0, which the
    # console printed as "100" and "0" where Youxi's read "99.76"
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    cov = as_json(["system", "coverage", str(path), "--year", "2021"])
    shares = {k: v for k, v in cov.items() if k.startswith("share_")}
    assert shares == {
        "share_population_covered": 1.0,
        "share_population_in_full": 1.0,
        "share_population_uncovered": 0.0,  # before: no share of these three in --json
        "share_grids_uncovered": 0.0,
        "share_institutions_covered": 1.0,
        "share_institutions_in_full": 1.0,
        "share_hospitals_not_involved": 0.0,
        "share_cities_active": None,  # no studied city: 0 of 0
        "share_counties_active": 1.0,
    }
    said = runner.invoke(app, ["system", "coverage", str(path), "--year", "2021"]).output
    assert "share (%)" in said and "100.00" in said and "0.00" in said


def test_show_consortia_fits_80_columns_in_one_block(monkeypatch):
    # before: five blocks at 80 columns, each repeating id, name, type and integration
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["system", "show", QINGSHAN, "--what", "consortia", "--year", "2022"]
    res = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert "(continued)" not in res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80
    said = flat(res.output)
    for value in ("county_medical_community", "full", "half", "QS-TCM", "2021–", "2022–"):
        assert value in said
    assert "PV-PH, UH" in said and "up to" in said
    youxi = ["system", "show", "examples/youxi.yaml", "--what", "consortia", "--year", "2019"]
    res = runner.invoke(app, youxi, env={"COLUMNS": "80"})  # a name_zh column too
    assert "(continued)" not in res.output and "尤溪县总医" in res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80
    wide = flat(runner.invoke(app, args, env={"COLUMNS": "200"}).output)
    assert "refers up to" in wide and "integration" in wide  # full headers when room


def test_off_pathway_titles_and_notes_read_as_show_and_name_the_pathways_year(
    referred,  # noqa: F811
    tmp_path,
):
    # before: "... off the pathway in 2017", no word of which year's pathway judged them,
    # "error: year: ..." where show and coverage say "--year: ..."; --json's expected
    # space-separated
    store, yaml = tmp_path / "tiny.duckdb", tmp_path / "tiny.yaml"
    yaml.write_text(TINY_YAML, encoding="utf-8")
    with Store(store) as s:
        s.write(referred)
    args = ["system", "off-pathway", str(yaml), "--store", str(store)]
    said = flat(runner.invoke(app, [*args, "--year", "2017"]).output)
    assert "Tiny county: 1 referral off the pathway (2017)" in said
    assert "judged against the referral pathway of 2017" in said
    assert "'ihms system show --what referrals --year 2017'" in said
    said = flat(runner.invoke(app, args).output)
    assert "Tiny county: 1 referral off the pathway " in said
    assert "the referral pathway of its own year (2016–2017)" in said
    res = runner.invoke(app, [*args, "--year", "2015"])
    assert res.exit_code == 2 and "error: --year: the data cover 2016–2017" in res.output
    rows = as_json(args)
    assert [(r["referral_id"], r["expected"]) for r in rows] == [("x4", ["CH"])]
    assert as_json([*args, "--year", "2016"]) == []


def test_grids_and_the_system_take_a_chinese_name_and_show_lists_them(tmp_path):
    # review 30 #15: a grid's name_zh was refused ("unknown key 'name_zh'"), the system's
    # was read and dropped, and show printed no name_zh, the institutions' neither
    text = BASE.replace(
        'name: "Test county [pilot]"', 'name: "Test county [pilot]"\nname_zh: 试点县'
    )
    text = text.replace("{id: G1, name: g1,", "{id: G1, name: g1, name_zh: 东城镇,")
    text = text.replace(
        "{id: CH, name: County hospital,", "{id: CH, name: County hospital, name_zh: 县医院,"
    )
    path = tmp_path / "zh.yaml"
    path.write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["system", "check", str(path)])
    assert res.exit_code == 0, res.output
    assert as_json(["system", "show", str(path)])["name_zh"] == "试点县"
    assert "name_zh │ 试点县" in flat(runner.invoke(app, ["system", "show", str(path)]).output)
    grids = {
        g["id"]: g["name_zh"] for g in as_json(["system", "show", str(path), "--what", "grids"])
    }
    assert grids == {"GC": "", "G1": "东城镇", "G2": ""}
    show = ["system", "show", str(path), "--year", "2020", "--what", "institutions"]
    insts = {i["id"]: i["name_zh"] for i in as_json(show)}
    assert insts["CH"] == "县医院" and insts["THC2"] == ""
    assert "县医院" in runner.invoke(app, show).output
    assert "东城镇" in runner.invoke(app, [*show[:-1], "grids"]).output
    # a file without Chinese names: no empty name_zh column on the console
    plain = tmp_path / "base.yaml"
    plain.write_text(BASE, encoding="utf-8")
    said = runner.invoke(app, ["system", "show", str(plain), "--what", "grids"]).output
    assert "name_zh" not in said
    assert as_json(["system", "show", str(plain), "--what", "grids"])[0]["name_zh"] == ""


def test_show_institutions_fits_80_columns_in_one_block(monkeypatch):
    # before: two blocks at 80 columns, the second repeating id for county, grid and
    # consortia; now affiliation under tier and grid under county, as consortia's
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["system", "show", "examples/youxi.yaml", "--what", "institutions", "--year", "2019"]
    res = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert "(continued)" not in res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80
    lines = res.output.splitlines()
    (head,) = [i for i, line in enumerate(lines) if line.split()[:2] == ["id", "name"]]
    assert lines[head].split() == ["id", "name", "tier", "county", "consortia"]
    assert lines[head + 1].split() == ["name_zh", "affiliation", "grid"]
    said = flat(res.output)
    for value in ("尤溪县中医医院", "primary_centre", "fjph-alliance", "G15"):
        assert value in said
    # a row without a Chinese name takes no blank line for it
    (thc,) = [i for i, line in enumerate(lines) if line.startswith("YX-THC01 ")]
    assert lines[thc + 2].startswith("YX-THC02 "), lines[thc : thc + 3]
    # --json keeps every column, one key each
    (ch,) = [i for i in as_json(args) if i["id"] == "YX-CH01"]
    assert (ch["affiliation"], ch["grid"], ch["county"]) == ("county", "G01", "youxi")
    assert ch["consortia"] == ["youxi-ichc", "fjph-alliance"] and ch["name_zh"] == "尤溪县医院"
    wide = runner.invoke(app, args, env={"COLUMNS": "200"}).output
    assert "┃ affiliation ┃" in wide  # one column each when there is room
