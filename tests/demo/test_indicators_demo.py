"""The indicators demo step: seed 002 Tables 4-5 and seed 004 Table 2 layouts."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Store
from ihms.data.synthetic import synthetic_dataset
from ihms.demo import STEPS, DemoContext, Step, _indicators, run_demo
from ihms.system import load_system


def test_step_writes_the_seed_layouts(tmp_path, monkeypatch):
    monkeypatch.setattr(_indicators, "SAMPLE_SCALE", 0.005)
    step = next(s for s in STEPS if s.key == "indicators")
    report = run_demo(tmp_path / "demo", steps=[Step(step.key, step.label, step.target)])
    html = report.read_text(encoding="utf-8")
    assert "SYNTHETIC" in html
    for mirrored in (
        "Zhong et al. 2023, Table 2",
        "Zhong et al. 2023, Table 4",
        "Zhong et al. 2023, Table 5",
        "Jia et al. 2021, Table 2",
        "Jia et al. 2021, Figure 6",
    ):
        assert mirrored in html
    tables = tmp_path / "demo" / "tables"
    t5 = pd.read_csv(
        tables / "indicators-table5-indicators_table5.csv", encoding="utf-8-sig", index_col=0
    )
    years = ["2016", "2017", "2018", "2019"]
    # the years, then seed 002's chi-square test for trend on each row's counts
    assert list(t5.columns) == [*years, "χ² for trend", "p (trend)", "trend"]
    assert ((t5[years] >= 0) & (t5[years] <= 100)).all().all()
    assert set(t5["trend"].dropna()) <= {"rising", "falling", "flat"}
    assert "Cochran–Armitage chi-square test for a linear trend" in html
    cap = pd.read_csv(
        tables / "indicators-capacity-indicators_capacity.csv", encoding="utf-8-sig", index_col=0
    )
    # the national growth of seed 004 Table 2 sits beside the computed growth
    gps = "THC general practitioners per 10,000 people (GPs per 10,000 residents, year-end population)"
    assert cap.loc[gps, "reference growth (%)"] == 21.3
    # a synthetic THC's beds and revenue shrink with the sample: left out; per resident
    # (GPs per 10,000) and per bed (occupancy) they are the county's: shown
    assert not any("Beds per THC" in i or "revenue per THC" in i for i in cap.index)
    assert any("GPs per 10,000" in i for i in cap.index)
    assert any("occupancy" in i for i in cap.index)
    t2 = pd.read_csv(
        tables / "indicators-table2-indicators_table2.csv", encoding="utf-8-sig", index_col=0
    )
    # seed 002 Table 2 printed beside the computed ratios: physicians 1.54 in 2016
    assert (
        t2.loc["Practising physicians per 1,000 residents, Zhong et al. 2023, Table 2", "2016"]
        == 1.54
    )
    computed = t2.loc["Hospital beds per 1,000 residents, Youxi (synthetic)"]
    assert computed.notna().all()
    # a 0.5 % sample: whole beds over ~1,800 residents, near seed 002's 4.16 ... 4.80
    published = t2.loc["Hospital beds per 1,000 residents, Zhong et al. 2023, Table 2"]
    assert ((computed - published).abs() / published < 0.1).all()
    # year on year beside Table 4: the shares by percentage points, worked from Table 4
    t4 = pd.read_csv(
        tables / "indicators-table4-indicators_table4.csv", encoding="utf-8-sig", index_col=0
    )
    yoy = pd.read_csv(tables / "indicators-table4-indicators_table4_yoy.csv", encoding="utf-8-sig")
    share = "Share of outpatient contacts in primary care"
    row = yoy[(yoy["indicator"] == share) & (yoy["year"] == 2019)].iloc[0]
    t4_share = t4.loc[f"{share} (%)"]
    expected = round(float(t4_share["2019"] - t4_share["2018"]), 1)
    assert abs(float(str(row["year-on-year change (pp)"]).split()[0]) - expected) <= 0.11
    # the years behind the computed growth differ from seed 004's 2016-2018: said so
    assert "The growth here runs 2016-2019; Jia et al. 2021 set Deqing" in html
    # the section names what it mirrors in words a reader can follow (no internal file)
    assert "DOMAIN" not in html and "Mirrors the indicator catalogue" in html
    # the numbers behind seed 004's Figure 6, as a table: THCs cost less than county
    # hospitals per visit and per stay in every year
    cost = pd.read_csv(
        tables / "indicators-cost-indicators_cost_by_level.csv", encoding="utf-8-sig", index_col=0
    )
    assert list(cost.columns) == ["2016", "2017", "2018", "2019"]
    for what in ("per outpatient and emergency visit", "per hospitalization"):
        thc = cost.loc[f"Cost {what}, THCs (yuan)"]
        ch = cost.loc[f"Cost {what}, county hospitals (yuan)"]
        assert (thc > 0).all() and (thc < ch).all()


def _first_table(section):
    return next(b for b in section.blocks if hasattr(b, "table")).table


@pytest.fixture(scope="module")
def earlier_store(tmp_path_factory):
    """The step on a store an earlier step left open, as the simulation leaves one: a
    0.3 % synthetic Youxi with consultation fees and total expense empty (the county
    simulator does not record them). Its context, its sections, and the store's id
    scheme read after the step; built once for the two tests below, which only read it."""
    tmp_path = tmp_path_factory.mktemp("earlier")
    system = load_system("examples/youxi.yaml")
    with Store(tmp_path / "sim.duckdb") as store:
        store.write(synthetic_dataset(system, seed=1, scale=0.003, validate=False))
        store.backend.raw_sql(
            "UPDATE resources SET consultation_income_fen = NULL, expense_fen = NULL"
        )
        ctx = DemoContext(
            out_dir=tmp_path / "out", work_dir=tmp_path / "work", artefacts={"store": store}
        )
        sections = _indicators.indicators_sections(ctx)
        id_scheme = store.info().id_scheme  # read with the store the step was given
    return ctx, sections, id_scheme


def test_step_reads_a_store_left_by_an_earlier_step(earlier_store):
    ctx, sections, id_scheme = earlier_store
    # the given store stays open for later steps
    assert id_scheme == "synthetic"
    assert "simulator" in sections[0].blocks[1].text
    # the twelve rows of seed 004 Table 2 when the data are not a sample, but the two
    # disease spectra, which count a simulator's diagnosis groups
    capacity = _first_table(sections[4]).frame
    assert len(capacity) == 10
    # seed 002 Table 2 is set beside the store's own ratios
    table_2 = _first_table(sections[1]).frame
    assert (
        table_2.loc["Registered nurses per 1,000 residents, Zhong et al. 2023, Table 2", "2019"]
        == 2.63
    )
    assert table_2.loc["Registered nurses per 1,000 residents, Youxi (simulated)"].notna().all()
    assert ctx.artefacts["indicator_results"].level == "county"


def test_finance_shares_the_simulator_does_not_record_are_missing_with_a_note(earlier_store):
    # The county simulator leaves consultation fees and total expense empty: the two
    # shares are missing in every year (not 0.00 %) and a note says why.
    _, sections, _ = earlier_store
    capacity = sections[4].blocks[1].table
    fee = "THC consultation fees in total income (%)"
    cost = "THC personnel cost in total cost (%)"
    years = ["2016", "2017", "2018", "2019"]
    assert capacity.frame.loc[[fee, cost], years].isna().all().all()
    assert capacity.frame.loc["Total revenue per THC (million yuan per THC)", years].notna().all()
    note = next(n for n in capacity.notes if n.startswith("Not available from the simulation"))
    assert "THC consultation fees in total income" in note and "not as 0" in note


def _simulated_sections(tmp_path, config_file=None):
    """The step on a store left by an earlier step (as the simulation leaves one), with
    the simulation's diagnosis groups of examples/youxi_sim.yaml: 5 mild, 6 moderate and
    5 severe, 11 ICD-10 chapters in all (J K M L H I E N S C G)."""
    from types import SimpleNamespace

    groups = {
        "mild": {"J": 0.45, "K": 0.15, "M": 0.15, "L": 0.10, "H": 0.15},
        "moderate": {"J": 0.30, "I": 0.20, "K": 0.15, "S": 0.15, "N": 0.10, "E": 0.10},
        "severe": {"I": 0.35, "C": 0.20, "S": 0.20, "J": 0.15, "G": 0.10},
    }
    system = load_system(_indicators._youxi_file())
    store = Store(tmp_path / "given.duckdb")
    store.write(synthetic_dataset(system, seed=1, scale=0.005, validate=False))
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.artefacts["store"] = store
    config = SimpleNamespace(illness=SimpleNamespace(diagnosis_groups=groups))
    ctx.artefacts["simulation"] = SimpleNamespace(config=config)
    if config_file is not None:
        ctx.artefacts["sim_config_file"] = config_file
    try:
        return {s.id: s for s in _indicators.indicators_sections(ctx)}
    finally:
        store.close()


def _texts(section):
    from ihms.report.document import Paragraph, Table

    out = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [block.table.title or "", *block.table.notes]
    return " ".join(out)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """``_simulated_sections`` of a simulation that left no config file name, built once
    for the tests that only read its sections."""
    return _simulated_sections(tmp_path_factory.mktemp("simulated"))


def test_simulated_disease_spectra_are_left_out_as_the_model_s_diagnosis_groups(simulated):
    sections = simulated
    capacity = next(b for b in sections["indicators-capacity"].blocks if hasattr(b, "table"))
    assert not any("disease spectrum" in str(i) for i in capacity.table.frame.index)
    text = _texts(sections["indicators-capacity"])
    assert "11 stylised diagnosis groups" in text
    # seed 004, Table 2: Deqing's THCs, disease spectrum in ambulatory care 62.2 ... 74.3
    assert "62.2" in text and "74.3" in text


def test_staff_and_beds_section_says_it_shows_the_simulation_s_inputs(simulated):
    text = _texts(simulated["indicators-table2"])
    assert "inputs of the simulation, not a check of it" in text


def test_the_spectra_note_names_the_config_file_the_simulation_used(tmp_path, simulated):
    # Session 18 review R1, item 4: the note named examples/youxi_sim.yaml whatever
    # config the simulation step read
    used = tmp_path / "otherton_sim.yaml"
    text = _texts(_simulated_sections(tmp_path, config_file=used)["indicators-capacity"])
    assert f"illness.diagnosis_groups in {used.as_posix()}" in text
    assert "youxi_sim.yaml" not in text
    # a simulation that left no file name: the config is named by what it is, not guessed
    text = _texts(simulated["indicators-capacity"])
    assert "illness.diagnosis_groups of the simulation's config" in text
    assert "youxi_sim.yaml" not in text


def test_the_repository_s_example_config_is_named_from_the_repository(tmp_path, monkeypatch):
    # review 27: run from another folder, the note printed the build machine's absolute
    # path (/work/main/examples/youxi_sim.yaml)
    from pathlib import Path

    from ihms.demo import _indicators
    from ihms.demo._run import DemoContext

    repository = Path(_indicators.__file__).resolve().parents[3]
    monkeypatch.chdir(tmp_path)
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.artefacts["sim_config_file"] = repository / "examples" / "youxi_sim.yaml"
    assert _indicators._groups_key(ctx) == "illness.diagnosis_groups in examples/youxi_sim.yaml"
    ctx.artefacts["sim_config_file"] = tmp_path / "mine" / "county_sim.yaml"
    assert _indicators._groups_key(ctx) == "illness.diagnosis_groups in mine/county_sim.yaml"


def test_the_simulated_thc_revenue_is_said_to_hold_no_subsidy(simulated):
    # review 27: the simulated store's THC revenue_fen equals its medical_income_fen every
    # year (ihms.sim.resources records only what was charged); a Chinese reader takes
    # THC revenue to include 财政补助
    text = _texts(simulated["indicators-capacity"])
    assert "the simulator pays no government subsidy (财政补助)" in text
