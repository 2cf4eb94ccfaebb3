"""A valid data set with gaps says so, and the indicators show the gaps it names."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Dataset, Period, data_gaps, resources_table, structural_tables
from ihms.data.gaps import RECORD_USES, SUMMED_RESOURCES
from ihms.indicators import CATALOGUE, compute
from ihms.system import load_system

# A county as an analyst writes it: a county hospital with its beds and staff, a village
# clinic without (village doctors are not practising physicians), one grid.
SYSTEM = """\
ihms_system: 1
name: Hexi county
period: {start: 2020-01-01, end: 2020-06-30}
study_counties: [hexi]
counties: [{id: hexi, name: Hexi county, city: Testcity, kind: county}]
grids:
  - {id: N, name: North, county: hexi, population: {2020: 2}}
institutions:
  - id: CH1
    name: Hexi County Hospital
    tier: secondary
    affiliation: county
    ownership: public
    county: hexi
    grid: N
    resources: {2020: {beds: 10, gps: 1, specialists: 3, nurses: 4}}
  - {id: VC1, name: Village clinic, tier: village_clinic, affiliation: county,
     ownership: collective, county: hexi, grid: N}
"""
PERIOD = Period(date(2020, 1, 1), date(2020, 6, 30))


@pytest.fixture
def county(tmp_path):
    path = tmp_path / "hexi.yaml"
    path.write_text(SYSTEM, encoding="utf-8")
    return load_system(path)


def _frames(county, *, resources=None):
    frames = structural_tables(county)
    frames["resources"] = resources_table(county) if resources is None else resources
    frames["residents"] = pd.DataFrame(
        {
            "resident_id": ["a", "b"],
            "birth_year": [1950, 1980],
            "sex": ["F", "M"],
            "grid_id": ["N", "N"],
            "insured": [True, True],
            "fp_registered": [False, False],
            "hypertension": [True, False],
            "diabetes": [False, False],
        }
    )
    # visits in January, February and May: March, April and June have none
    frames["encounters"] = pd.DataFrame(
        {
            "encounter_id": ["e1", "e2", "e3"],
            "resident_id": ["a", "b", "a"],
            "institution_id": ["CH1", "VC1", "CH1"],
            "date": [date(2020, 1, 10), date(2020, 2, 3), date(2020, 5, 20)],
            "type": ["outpatient", "outpatient", "outpatient"],
            "total_cost_fen": [10000, 2000, 12000],
            "insurance_paid_fen": [5000, 1000, 6000],
            "out_of_pocket_fen": [5000, 1000, 6000],
        }
    )
    # one record in each other record table, so none of them is empty
    frames["referrals"] = pd.DataFrame(
        {
            "referral_id": ["r1"],
            "resident_id": ["b"],
            "date": [date(2020, 2, 3)],
            "from_institution_id": ["VC1"],
            "to_institution_id": ["CH1"],
        }
    )
    frames["followups"] = pd.DataFrame(
        {
            "followup_id": ["f1"],
            "resident_id": ["a"],
            "institution_id": ["VC1"],
            "date": [date(2020, 3, 2)],
            "condition": ["hypertension"],
            "systolic_mmhg": [132],
            "diastolic_mmhg": [84],
        }
    )
    frames["claims"] = pd.DataFrame(
        {
            "claim_id": ["c1"],
            "encounter_id": ["e1"],
            "settled_date": [date(2020, 2, 1)],
            "insurance_paid_fen": [5500],
            "out_of_pocket_fen": [4500],
        }
    )
    frames["staff_activities"] = pd.DataFrame(
        {
            "staff_id": ["d1"],
            "institution_id": ["CH1"],
            "date": [date(2020, 1, 15)],
            "activity": ["thc_consultation_day"],
            "host_institution_id": ["VC1"],
        }
    )
    return frames


def test_the_gaps_are_named_and_the_indicators_show_them(county):
    dataset = Dataset.from_frames(_frames(county), period=PERIOD)
    resources, months = data_gaps(dataset)
    assert resources.startswith(
        "resources: no row for 1 institution(s) in years they operate — VC1 (2020); every "
        "sum of beds, staff or money that takes them in is missing"
    )
    assert months.startswith(
        "encounters: none in 3 of the period's 6 months (2020-03 to 2020-04, 2020-06); "
        "the indicators by month over encounters and the referral counts are left empty "
        "there (missing, not 0) and their yearly values lack those months (too low); the "
        "chronic-disease management and control rates are left empty only for a year "
        "without any encounter, and the spending summed over encounters counts those "
        "months as 0 — if the extract lacks those months"
    )
    # what the notes warn of: beds per 1,000 is missing, though CH1 has 10 beds, and
    # March, without any encounter, has no visit count (missing, not 0: the indicators
    # leave such a month empty)
    yearly = compute(dataset, indicators=["beds_per_1000"], level="county").to_frame()
    assert yearly["numerator"].isna().all() and yearly["value"].isna().all()
    monthly = compute(
        dataset, indicators=["outpatient_emergency_visits"], level="county", period="month"
    ).to_frame()
    assert pd.isna(monthly.set_index("period").loc["2020-03", "numerator"])


def test_a_complete_data_set_has_no_gaps(county):
    frames = _frames(county)
    # the clinic's row, with 0 beds and staff; a visit in every month
    clinic = {"institution_id": "VC1", "year": 2020, "beds": 0, "gps": 0}
    frames["resources"] = pd.concat(
        [frames["resources"], pd.DataFrame([{**clinic, "specialists": 0, "nurses": 0}])]
    )
    enc = frames["encounters"]
    frames["encounters"] = enc.iloc[[0] * 6].assign(
        encounter_id=[f"e{m}" for m in range(1, 7)],
        date=[date(2020, m, 1) for m in range(1, 7)],
    )
    dataset = Dataset.from_frames(frames, period=PERIOD)
    assert data_gaps(dataset) == []
    # 10 beds (CH1) + 0 (VC1) over the 2 residents present on the period's last day
    beds = compute(dataset, indicators=["beds_per_1000"], level="county").to_frame()
    assert beds["value"].tolist() == [10 / 2 * 1000]


def test_data_check_prints_the_notes_and_succeeds(county, tmp_path, monkeypatch):
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "gap-test-key-0123456789")
    folder = tmp_path / "export"
    folder.mkdir()
    frames = _frames(county)
    for name in ("residents", "encounters"):
        frames[name].to_csv(folder / f"{name}.csv", index=False)
    system = str(tmp_path / "hexi.yaml")
    result = CliRunner().invoke(app, ["data", "check", str(folder), "--system", system])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "note: resources: no row for 1 institution(s) in years they operate — VC1" in text
    assert "note: encounters: none in 3 of the period's 6 months" in text
    result = CliRunner().invoke(app, ["data", "check", str(folder), "--system", system, "--json"])
    # the two gaps, after a note for each record table the folder lacks
    notes = json.loads(result.output)["notes"]
    assert [n.split(":")[0] for n in notes] == [
        "referrals",
        "followups",
        "claims",
        "staff_activities",
        "resources",
        "encounters",
    ]


def test_empty_cells_the_indicators_sum_are_named(county):
    # the clinic's row gives its 0 beds and GPs but leaves specialists and nurses empty:
    # physicians and nurses per 1,000 are then missing, and the note must say why
    frames = _frames(county)
    frames["resources"] = pd.concat(
        [
            frames["resources"],
            pd.DataFrame([{"institution_id": "VC1", "year": 2020, "beds": 0, "gps": 0}]),
        ]
    )
    dataset = Dataset.from_frames(frames, period=PERIOD)
    per_1000 = compute(
        dataset, indicators=["physicians_per_1000", "nurses_per_1000"], level="county"
    ).to_frame()
    assert per_1000["value"].isna().all()
    notes = [n for n in data_gaps(dataset) if n.startswith("resources:")]
    assert notes == [
        "resources: empty cells in sums the indicators take — specialists: VC1 (2020); "
        "nurses: VC1 (2020); every such sum is missing, and so is each indicator built on "
        "it: give the figures, with 0 where there are none"
    ]
    # CH1 gives no money: only the THCs' money enters an indicator, so no note for it
    assert "revenue_fen" not in notes[0]


def test_summed_resource_columns_are_the_catalogues():
    # the note's columns and tiers are those the catalogue's resource measures sum
    # (physicians = gps + specialists)
    used: dict[str, set] = {}
    for ind in CATALOGUE:
        for m in (ind.numerator, ind.denominator):
            if m is None or m.source != "resources":
                continue
            tiers = next((c.values for c in m.where if c.column == "tier"), None)
            for col in ("gps", "specialists") if m.column == "physicians" else (m.column,):
                used.setdefault(col, set()).add(tiers)
    expected = {
        col: None if None in tiers else frozenset(t for ts in tiers for t in ts)
        for col, tiers in used.items()
    }
    assert expected == SUMMED_RESOURCES


def _clinic_without_staff(county) -> dict:
    """The frames with the clinic's row giving 0 beds and GPs, specialists and nurses
    left empty (physicians and nurses per 1,000 then missing)."""
    frames = _frames(county)
    clinic = pd.DataFrame([{"institution_id": "VC1", "year": 2020, "beds": 0, "gps": 0}])
    frames["resources"] = pd.concat([frames["resources"], clinic])
    return frames


def test_a_programs_data_set_is_not_asked_for_what_it_never_records(county):
    export = Dataset.from_frames(_clinic_without_staff(county), period=PERIOD)
    # the same tables, as a program that never records specialists wrote them
    made = dataclasses.replace(
        export, producer="ihms.sim", unrecorded={"resources": ("specialists",)}
    )
    resources = [n for n in data_gaps(made) if n.startswith("resources:")]
    assert resources == [
        "resources: specialists not recorded by ihms.sim (empty by design, not a gap to "
        "fill): every sum over them is missing, and so is each indicator built on them",
        "resources: empty cells in sums the indicators take — nurses: VC1 (2020); every "
        "such sum is missing, and so is each indicator built on it: ihms.sim left them "
        "empty",
    ]
    months = [n for n in data_gaps(made) if n.startswith("encounters:")]
    assert months[0].endswith(
        "ihms.sim simulated no encounter there (too few residents for every month to have one)"
    )
    # nothing asks the program's user for figures or for an extract's months
    assert not any("give" in n or "extract" in n for n in data_gaps(made))
    # a county's export with the same gaps is asked for them
    notes = data_gaps(export)
    assert notes[0].endswith("give the figures, with 0 where there are none")
    assert "if the extract lacks those months" in notes[1]


@pytest.mark.parametrize("producer", [None, "ihms.sim"])
def test_data_check_advice_follows_the_folders_dataset_json(county, tmp_path, producer):
    from ihms.data.io import write_folder_meta

    folder = tmp_path / "tables"
    folder.mkdir()
    frames = _clinic_without_staff(county)
    for name in ("residents", "encounters", "resources"):
        frames[name].to_csv(folder / f"{name}.csv", index=False)
    write_folder_meta(
        folder,
        PERIOD,
        source="test",
        id_scheme=producer and "synthetic",  # the simulator's ids are made up
        producer=producer,
        unrecorded={"resources": ["specialists", "nurses"]},
    )
    system = str(tmp_path / "hexi.yaml")
    result = CliRunner().invoke(app, ["data", "check", str(folder), "--system", system])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    if producer is None:  # a county's export: asked for the figures
        assert "empty cells in sums the indicators take — specialists: VC1 (2020)" in text
        assert "give the figures, with 0 where there are none" in text
        assert "ids as the source system gives them" in text
    else:  # the simulator's folder: told they are not simulated
        assert "note: resources: specialists, nurses not recorded by ihms.sim" in text
        assert "give the" not in text and "empty cells" not in text
        assert "ids synthetic (made by ihms.sim: kept as they are)" in text


def test_record_tables_without_rows_name_the_indicators_they_leave_out(county, tmp_path):
    # The reviewer's folder: residents and encounters only. The import said nothing and
    # the indicators needing referrals and follow-ups were silently left out.
    frames = _frames(county)
    for name in ("referrals", "followups", "claims"):
        del frames[name]
    dataset = Dataset.from_frames(frames, period=PERIOD)
    notes = [n for n in data_gaps(dataset) if ": no records — " in n]
    assert notes == [
        "referrals: no records — the referral counts (referrals_up, referrals_down, "
        "referrals_up_received, referrals_down_received, off_pathway_referrals and 1 more) are left out of `ihms indicators compute` (no records is not no referrals): give the "
        "referrals table (see `ihms data schema`) if the county keeps them",
        "followups: no records — the chronic-disease management and control rates "
        "(hypertension_management_rate, hypertension_control_rate, diabetes_management_rate, "
        "diabetes_control_rate) have no managed patients and cannot be computed: give the "
        "followups table (see `ihms data schema`) if the county keeps them",
        "claims: no records — the insurance shares and spending per insured resident "
        "(insurance_inside_county_share, insurance_primary_care_share, "
        "insurance_paid_per_insured) and the payment engine's spending take each "
        "encounter's own insurance_paid_fen and out_of_pocket_fen as settled: give the "
        "claims if settlement differed from the encounters' amounts",
    ]
    # what the notes warn of: resident a has hypertension, yet no rate; no referral
    results = compute(
        dataset, indicators=["hypertension_management_rate", "referrals_up"], level="county"
    )
    got = results.to_frame()
    values = got.groupby("indicator")["value"]
    assert (
        "hypertension_management_rate" not in values.groups
        or values.get_group("hypertension_management_rate").isna().all()
    )
    # as the note says: left out, with the reason, not counted 0 (the note said "0
    # everywhere" while the computation left them out)
    assert "referrals_up" not in values.groups
    assert "referrals_up" in [o.indicator for o in results.omitted]
    # a program's tables: it wrote none (its settlement is its encounters' amounts)
    made = dataclasses.replace(dataset, producer="ihms.sim")
    notes = [n for n in data_gaps(made) if ": no records — " in n]
    assert [n.split(":")[0] for n in notes] == ["referrals", "followups"]
    assert all(n.endswith(": ihms.sim wrote none") for n in notes)


def test_an_import_names_a_table_file_without_rows(county, tmp_path, monkeypatch):
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", "gap-test-key-0123456789")
    folder = tmp_path / "export"
    folder.mkdir()
    frames = _frames(county)
    for name in ("residents", "encounters", "referrals", "claims"):
        frames[name].to_csv(folder / f"{name}.csv", index=False)
    frames["followups"].iloc[:0].to_csv(folder / "followups.csv", index=False)  # header only
    args = ["data", "import", str(folder), "--system", str(tmp_path / "hexi.yaml")]
    result = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "note: followups: followups.csv has no rows — the chronic-disease management" in text
    assert "note: referrals" not in text and "note: claims" not in text


def test_record_uses_are_the_catalogues():
    # the indicators each record table feeds, in catalogue order: encounters through the
    # encounters, resident_encounters and diagnoses sources; follow-ups through
    # chronic_patients; claims through the settled insurance and out-of-pocket amounts
    table = {
        "encounters": "encounters",
        "resident_encounters": "encounters",
        "diagnoses": "encounters",
        "referrals": "referrals",
        "referrals_received": "referrals",
        "chronic_patients": "followups",
    }
    settled = {"insurance_paid_fen", "out_of_pocket_fen"}
    used: dict[str, list[str]] = {}
    for ind in CATALOGUE:
        for m in (ind.numerator, ind.denominator):
            if m is None:
                continue
            reads = [table.get(m.source)]
            if m.source in ("encounters", "resident_encounters") and m.column in settled:
                reads.append("claims")
            for name in filter(None, reads):
                if ind.id not in used.setdefault(name, []):
                    used[name].append(ind.id)
    assert {name: uses[0] for name, uses in RECORD_USES.items()} == {
        name: tuple(ids) for name, ids in used.items()
    }


def test_no_staff_activities_is_named_for_the_payment_views(county, tmp_path):
    # no indicator reads staff_activities, so without a note nothing said that the
    # doctors' scorecard counts and the supervision view cannot come from this data set
    frames = _frames(county)
    del frames["staff_activities"]
    dataset = Dataset.from_frames(frames, period=PERIOD)
    notes = [n for n in data_gaps(dataset) if n.startswith("staff_activities")]
    assert notes == [
        "staff_activities: no records — the staff scorecards' health_education_sessions "
        "and thc_consultation_days cannot be counted from this data set (ihms payment "
        "scorecard/settle/supervision --store need them from --indicators): give the "
        "staff_activities table (see `ihms data schema`) if the county's supervision "
        "system records them, or the counts in an indicator values file"
    ]
    # what the note warns of: the payment view refuses the store rather than count 0
    from ihms.data import Store
    from ihms.errors import InputError
    from ihms.payment import staff_values_from_store

    with Store(tmp_path / "s.duckdb") as store:
        store.write(dataset)
        with pytest.raises(InputError, match="holds no staff activities"):
            staff_values_from_store(store, 2020)
    # a program's data set: it wrote none
    made = dataclasses.replace(dataset, producer="ihms.sim")
    note = next(n for n in data_gaps(made) if n.startswith("staff_activities"))
    assert note.endswith(": ihms.sim wrote none")
    # one activity recorded: no note
    assert not any(
        n.startswith("staff_activities")
        for n in data_gaps(Dataset.from_frames(_frames(county), period=PERIOD))
    )


def test_months_past_the_named_runs_are_counted_as_months():
    """Synthea's test data leave 11 of 24 months empty in 8 runs; the note named five
    and said 'and 3 more' (runs), so the months did not add up to 11 (walk16)."""
    from ihms.data.gaps import _months

    empty = [pd.Period(m, freq="M") for m in ("2018-04", "2018-06", "2018-08", "2018-10")]
    empty += [pd.Period(m, freq="M") for m in ("2018-12", "2019-05", "2019-07")]
    empty += list(pd.period_range("2019-09", "2019-12", freq="M"))
    assert _months(empty) == "2018-04, 2018-06, 2018-08, 2018-10, 2018-12 and 6 more"
    assert _months(empty[:3]) == "2018-04, 2018-06, 2018-08"
