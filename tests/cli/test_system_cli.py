from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def flat(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


YOUXI = "examples/youxi.yaml"


def test_check_ok_and_json():
    result = runner.invoke(app, ["system", "check", YOUXI])
    assert result.exit_code == 0, result.output
    assert "3 counties, 15 grids, 416 institutions, 2 consortia; no problems" in flat(result.output)
    result = runner.invoke(app, ["system", "check", YOUXI, "--json"])
    info = json.loads(result.output)
    assert info["population"]["2019"] == 363000
    assert info["institutions_by_tier"]["primary_centre"] == 23


def test_check_counts_one_of_a_kind_in_the_singular(tmp_path):
    from tests.indicators.conftest import TINY_YAML

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_YAML, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 counties, 2 grids, 5 institutions, 1 consortium; no problems" in flat(result.output)


def test_check_reports_typo_with_suggestion(tmp_path):
    text = (
        Path(YOUXI)
        .read_text(encoding="utf-8")
        .replace("    tier: primary_centre\n", "    teir: primary_centre\n", 1)
    )
    bad = tmp_path / "youxi.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(bad)])
    assert result.exit_code == 2
    out = flat(result.output)
    # one typo, one problem, at the misspelt key's line (walkthroughs 17)
    line = text.splitlines().index("    teir: primary_centre") + 1
    assert f"youxi.yaml line {line}, institutions[3] (id 'YX-THC01'): unknown key 'teir'" in out
    assert "unknown key 'teir'; did you mean 'tier'? (required)" in out
    assert "missing required key 'tier'" not in out
    assert "1 problem(s)" in out
    assert "Traceback" not in out


def test_coverage_and_show():
    result = runner.invoke(app, ["system", "coverage", YOUXI, "--year", "2016", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["population_covered"] == 0
    result = runner.invoke(app, ["system", "show", YOUXI, "--what", "referrals", "--json"])
    rows = json.loads(result.output)
    assert {"institution_id": "YX-THC01", "direction": "up", "target_id": "YX-CH01"}.items() <= (
        next(r for r in rows if r["institution_id"] == "YX-THC01").items()
    )
    result = runner.invoke(app, ["system", "show", YOUXI, "--what", "wards"])
    assert result.exit_code == 2
    assert "--what: expected one of" in flat(result.output)


QINGSHAN = "tests/system/data/qingshan.yaml"


def test_check_notes_the_grid_no_consortium_serves():
    result = runner.invoke(app, ["system", "check", QINGSHAN])
    assert result.exit_code == 0, result.output
    # G3 (West mountains): 39,500 residents in 2022, the period's last year
    assert "note: no consortium serves 1 grid in 2022: G3 (39,500 residents)" in flat(result.output)
    info = json.loads(runner.invoke(app, ["system", "check", QINGSHAN, "--json"]).output)
    assert info["grids_uncovered"] == [{"grid": "G3", "population": 39500}]


def test_check_notes_a_specialist_alliance_marked_fully_integrated(tmp_path):
    # seed 001 (sections 1.2, 2.3): specialist alliances and telemedicine networks are
    # technical cooperation, the flexible type; marked full, the file is accepted with a
    # note, since the rules for full consortia then apply to it
    before = json.loads(runner.invoke(app, ["system", "check", QINGSHAN, "--json"]).output)
    assert not any("marked fully integrated" in n for n in before["notes"])
    alliance = (
        "  - {id: sa-tcm, name: TCM orthopaedics alliance, type: 专科联盟, integration: 紧密型,\n"
        "     lead: QS-TCM, members: [QS-TCM, QS-THC2]}\n"
    )
    text = Path(QINGSHAN).read_text(encoding="utf-8")
    assert text.count("\n# Technical cooperation") == 1  # the consortia list ends here
    county = tmp_path / "county.yaml"
    county.write_text(
        text.replace("\n# Technical cooperation", alliance + "\n# Technical cooperation"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["system", "check", str(county)])
    assert result.exit_code == 0, result.output
    assert (
        "note: consortium 'sa-tcm' is a specialist alliance marked fully integrated; Gao et al. 2022 "
        "counts these as technical cooperation (flexible)" in flat(result.output)
    )
    info = json.loads(runner.invoke(app, ["system", "check", str(county), "--json"]).output)
    full = [n for n in info["notes"] if "marked fully integrated" in n]
    assert len(full) == 1 and "'sa-tcm'" in full[0]


def test_check_reports_every_problem_at_once_with_exit_code_2(tmp_path):
    text = (
        Path(QINGSHAN)
        .read_text(encoding="utf-8")
        .replace("affiliation: 民营", "affiliation: privat")
        .replace("lead: QS-TCM", "lead: QS-PRIV")
        .replace("members: [QS-TCM, QS-THC2,", "members: [QS-TCM, QS-THC2, QS-THC1,")
        .replace("integration: 半紧密型", "integration: 紧密型")
    )
    bad = tmp_path / "qingshan.yaml"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(bad)])
    assert result.exit_code == 2
    out = flat(result.output)
    assert "qingshan.yaml: 3 problem(s):" in out
    assert "got 'privat'; did you mean 'private'?" in out
    assert "consortium 'cmc-tcm': lead 'QS-PRIV' is not one of its members" in out
    # THC1 is in cmc-ch (full) and now in cmc-tcm (made full) from 2022
    assert "member 'QS-THC1' is already a member of the fully integrated consortium 'cmc-ch'" in out


def test_a_yaml_syntax_error_names_file_line_and_column(tmp_path):
    bad = tmp_path / "county.yaml"
    bad.write_text("name: x\ncounties: [{id: c1, name: C}\n", encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(bad)])
    assert result.exit_code == 2
    assert "county.yaml line 3, column 1: not valid YAML" in flat(result.output)
    assert "<unicode string>" not in result.output


def test_show_summary_reads_as_lines_not_python_dicts():
    result = runner.invoke(app, ["system", "show", QINGSHAN])
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "2021: 240,000; 2022: 241,000" in out
    assert "cmc-tcm │ county_medical_community, half, 5 members" in out
    assert "{" not in result.output


def test_referrals_name_each_institution_and_its_tier():
    """``show --what referrals`` listed ids only (QS-THC2 → QS-CH): a reader had to look
    each up. Names and tiers as qingshan.yaml gives them (lines 26-28, 40; tiers in Chinese there)."""
    result = runner.invoke(
        app, ["system", "show", QINGSHAN, "--what", "referrals", "--year", "2021", "--json"]
    )
    rows = json.loads(result.output)
    thc2_up = next(
        r for r in rows if r["institution_id"] == "QS-THC2" and r["target_id"] == "QS-CH"
    )
    assert thc2_up == {
        "institution_id": "QS-THC2", "name": "Dongxiang THC",
        "tier": "primary_centre", "direction": "up", "target_id": "QS-CH",
        "target_name": "Qingshan County People's Hospital", "target_tier": "secondary",
    }  # fmt: skip
    table = runner.invoke(app, ["system", "show", QINGSHAN, "--what", "referrals"]).output
    assert "Qingshan County People's Hospital" in flat(table) and "secondary" in table


def test_show_referrals_and_cooperation_of_a_year():
    result = runner.invoke(
        app, ["system", "show", QINGSHAN, "--what", "referrals", "--year", "2021", "--json"]
    )
    rows = json.loads(result.output)
    # cmc-tcm starts in 2022: in 2021 THC2 refers to the county's public hospitals
    ups = [
        r["target_id"] for r in rows if r["institution_id"] == "QS-THC2" and r["direction"] == "up"
    ]
    assert ups == ["QS-CH", "QS-TCM"]
    result = runner.invoke(app, ["system", "show", QINGSHAN, "--what", "cooperation", "--json"])
    rows = json.loads(result.output)
    # 2022 by default: 3 declared rows and 4 implied by sa-uh and tm-ph
    assert len(rows) == 7
    assert {
        "provider": "QS-CH",
        "recipient": "QS-THC3",
        "form": "itinerant_services",
        "source": "declared",
        "from_outside": False,
    } in rows
    # the table says yes/no; JSON keeps true/false
    table = runner.invoke(app, ["system", "show", QINGSHAN, "--what", "cooperation"]).output
    assert "│ no " in table and "│ yes " in table and "False" not in table
    result = runner.invoke(
        app, ["system", "show", QINGSHAN, "--what", "referrals", "--year", "2030"]
    )
    assert result.exit_code == 2
    assert "--year: Qingshan county covers 2021–2022, got 2030" in flat(result.output)


def test_coverage_without_a_period_takes_the_grids_last_year(tmp_path):
    # Before: no period meant population 0 of 0 and every share blank.
    text = (
        Path(QINGSHAN)
        .read_text(encoding="utf-8")
        .replace("period: {start: 2021-01-01, end: 2022-12-31}\n", "")
    )
    path = tmp_path / "noperiod.yaml"
    path.write_text(text, encoding="utf-8")
    cov = json.loads(runner.invoke(app, ["system", "coverage", str(path), "--json"]).output)
    # the grids give 2021 and 2022: 2022's 241,000 residents, 201,500 in served grids
    assert (cov["year"], cov["population"], cov["population_covered"]) == (2022, 241000, 201500)


def test_show_institutions_of_a_year_lists_the_consortia_of_that_year():
    result = runner.invoke(
        app, ["system", "show", QINGSHAN, "--what", "institutions", "--year", "2021", "--json"]
    )
    rows = {r["id"]: r for r in json.loads(result.output)}
    # cmc-tcm starts in 2022 (before: listed in 2021 too); VC2-003 closes after 2021
    assert rows["QS-TCM"]["consortia"] == ["sa-uh"]
    assert "VC2-003" in rows


def test_show_consortia_of_a_year_leaves_out_those_not_operating():
    # session 22 review D, LOW 6: cmc-tcm (from 2022) was listed under "consortia (2021)"
    args = ["system", "show", QINGSHAN, "--what", "consortia", "--json"]
    every = {r["id"] for r in json.loads(runner.invoke(app, args).output)}
    in_2021 = {r["id"] for r in json.loads(runner.invoke(app, [*args, "--year", "2021"]).output)}
    assert "cmc-tcm" in every and in_2021 == every - {"cmc-tcm"}


SMALL = """
ihms_system: 1
name: Small county
period: {start: 2020-01-01, end: 2021-12-31}
counties:
  - {id: xx, name: Small county, city: City, kind: county}
grids:
  - {id: A, name: East, county: xx, population: {2020: 10000, 2021: 10100}}
  - {id: B, name: West, county: xx, population: {2020: 8000, 2021: 8050}}
  - {id: C, name: North, county: xx, population: {2020: 5000, 2021: 5000}}
institutions:
  - {id: CH1, name: County hospital, tier: secondary, affiliation: county, county: xx, grid: A}
  - {id: CH2, name: TCM hospital, tier: secondary, affiliation: county, county: xx, grid: B}
  - {id: T1, name: East centre, tier: primary_centre, affiliation: county, county: xx, grid: A}
  - {id: T2, name: West centre, tier: primary_centre, affiliation: county, county: xx, grid: B}
consortia:
  - {id: M1, name: One, type: county_medical_community, integration: full, lead: CH1,
     members: [CH1, T1], grids: [A], start_year: 2020}
  - {id: M2, name: Two, type: county_medical_community, integration: full, lead: CH2,
     members: [CH2, T2], grids: [B], start_year: 2021}
"""


def test_check_notes_the_grids_no_consortium_serves_in_earlier_years(tmp_path):
    """Grid B has a consortium from 2021 only: check named C in 2021 and said nothing of
    B's 8,000 residents without one in 2020."""
    path = tmp_path / "small.yaml"
    path.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(path)])
    assert result.exit_code == 0, result.output
    said = flat(result.output)
    assert "note: no consortium serves 1 grid in 2021: C (5,000 residents)" in said
    assert "note: in earlier years no consortium serves: 2020 B, C" in said
    info = json.loads(runner.invoke(app, ["system", "check", str(path), "--json"]).output)
    assert info["grids_uncovered_by_year"] == {"2020": ["B", "C"], "2021": ["C"]}


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_check_names_the_line_of_a_bad_key_in_the_simulation_section(tmp_path):
    # A county file carrying its own `simulation:` section (youxi.yaml + youxi_sim.yaml's
    # section, without its `county:`), checked by `ihms system check`: was reported at the
    # line of `simulation:` alone, where `sim run` names the key's own line.
    sim = Path(YOUXI).with_name("youxi_sim.yaml").read_text(encoding="utf-8")
    text = Path(YOUXI).read_text(encoding="utf-8") + "\n" + sim
    for old, new in (
        ("  county: youxi.yaml ", "  # county: youxi.yaml "),
        ("FJ-PH: {km: 160, share: 0.6}", "FJ-PH: {km: -160, share: 0.6}"),
        ("    insured_share: 0.97", "    insured_shar: 0.97"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "county.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["system", "check", str(path)])
    assert result.exit_code == 2
    out = flat(result.output)
    km = _line_of(text, "FJ-PH: {km: -160")
    assert km > text.splitlines().index("simulation:") + 30  # deep inside the section
    assert (
        f"county.yaml line {km}: key 'simulation.geography.outside.FJ-PH.km': "
        "Input should be greater than 0, got -160" in out
    )
    typo = _line_of(text, "insured_shar: 0.97")
    assert (
        f"county.yaml line {typo}: unknown key 'simulation.population.insured_shar'; "
        "did you mean 'insured_share'? (required)" in out
    )
    # each of the section's problems is one of the file's problems; the typo is one
    # problem, not also "'insured_share' is required" (walkthroughs 17)
    assert "county.yaml: 2 problem(s):" in out


def test_show_consortia_of_a_year_without_any(tmp_path):
    path = tmp_path / "small.yaml"
    # M1 from 2021 too: no consortium operates in 2020
    path.write_text(SMALL.replace("start_year: 2020", "start_year: 2021"), encoding="utf-8")
    result = runner.invoke(
        app, ["system", "show", str(path), "--what", "consortia", "--year", "2020", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
