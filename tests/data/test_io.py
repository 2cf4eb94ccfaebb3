from __future__ import annotations

import pandas as pd
import pytest

from ihms.data import Period, Pseudonymiser, Store, import_folder, read_tables
from ihms.data.schema import SCHEMA_VERSION
from ihms.errors import DataError, InputError


def test_import_pseudonymises_and_converts_yuan_exactly(csv_folder, youxi, key_file, tmp_path):
    p = Pseudonymiser.from_env(key_file=key_file)
    store_path = tmp_path / "ihms.duckdb"
    dataset = import_folder(csv_folder, store_path, pseudonymiser=p, system=youxi)
    assert dataset.id_scheme == "pseudonymised"
    with Store(store_path, read_only=True) as store:
        enc = store.to_pandas("encounters").set_index("encounter_id")
        res = store.to_pandas("residents")
        info = store.info()
    raw = "350426195001011234"
    assert raw not in set(res["resident_id"])
    assert p.pseudonym(raw, kind="resident") in set(res["resident_id"])
    # 120.50 yuan = 12,050 fen; 35.8 yuan = 3,580 fen; 15.8 yuan = 1,580 fen
    first = enc.loc[p.pseudonym("V0001", kind="encounter")]
    assert (first.total_cost_fen, first.insurance_paid_fen) == (12050, 6025)
    last = enc.loc[p.pseudonym("V0004", kind="encounter")]
    assert (last.total_cost_fen, last.out_of_pocket_fen) == (3580, 1580)
    # structure and resources come from the system file
    assert info.row_counts["institutions"] == len(youxi.institutions)
    # 3 CHs x 4 years + 18 THCs x 4 years + 5 THCs x 2 years (from 2018) = 94
    assert info.row_counts["resources"] == 94
    assert info.period.start.isoformat() == "2016-01-01"
    assert info.key_fingerprint == p.fingerprint
    # residents.csv has no fp_registered_date column (a schema 1.0 export): all null
    assert res["fp_registered_date"].isna().all()
    assert info.schema_version == SCHEMA_VERSION


def _break(csv_folder, name, old, new):
    path = csv_folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(csv_folder, youxi) -> list[str]:
    """The problems reading the folder's tables is refused with."""
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    return err.value.problems


def test_every_problem_is_reported_with_file_row_and_column(csv_folder, youxi):
    _break(
        csv_folder,
        "encounters.csv",
        "V0001,350426195001011234,YX-CH01",
        "V0001,350426195001011234,YX-CH99",
    )
    _break(csv_folder, "encounters.csv", "15,0,15,,,", "-15,0,-15,,,")
    _break(csv_folder, "encounters.csv", "2018-01-05", "2020-01-05")
    _break(csv_folder, "encounters.csv", "12000.00,6000.00,6000.00", "12000.00,13000.00,0")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    problems = err.value.problems
    text = "\n".join(problems)
    assert "column 'institution_id' of encounters.csv row 2: unknown institution 'YX-CH99'" in text
    # the file gives money in yuan (total_cost_yuan): the message names that column and
    # the amount as written, -15 yuan, not the schema's total_cost_fen and -1500 fen
    assert (
        "column 'total_cost_yuan' of encounters.csv row 3: expected an amount ≥ 0.00 yuan, "
        "got -15.00 yuan" in text
    )
    assert (
        "column 'date' of encounters.csv row 5: date 2020-01-05 is outside the period 2016-01-01 to 2019-12-31"
        in text
    )
    assert (
        "column 'insurance_paid_yuan' of encounters.csv row 4: insurance paid 13,000.00 yuan "
        "exceeds the total cost 12,000.00 yuan" in text
    )


def test_unreadable_values_and_unknown_columns(csv_folder, youxi):
    _break(csv_folder, "residents.csv", "1960,M", "196O,M")
    _break(csv_folder, "encounters.csv", "120.50,60.25", "120.505,60.25")
    _break(csv_folder, "followups.csv", "fasting_glucose_mmol_l", "fasting_glucose")
    text = "\n".join(_problems(csv_folder, youxi))
    assert "column 'birth_year' of residents.csv row 3: expected a whole number, got '196O'" in text
    assert (
        "column 'total_cost_yuan' of encounters.csv row 2: expected yuan with at most two "
        "decimals, digits only (1234.57 or 1,234.57: no 元), got '120.505'" in text
    )
    assert (
        "followups.csv: unknown column 'fasting_glucose'; did you mean 'fasting_glucose_mmol_l'?"
        in text
    )


def test_an_amount_past_16_digits_of_yuan_is_called_too_large(csv_folder, youxi):
    # 17 digits of whole yuan: its fen (×100) would pass int64's 9.2e18; 16 digits read
    _break(csv_folder, "encounters.csv", "120.50,60.25", "12345678901234567.00,60.25")
    _break(csv_folder, "encounters.csv", "15,0,15", "15,9999999999999999.99,15")
    _break(csv_folder, "encounters.csv", "35.8,20", "35.8,20.001")
    problems = _problems(csv_folder, youxi)
    assert (
        "column 'total_cost_yuan' of encounters.csv row 2: too large (at most 16 digits of "
        "whole yuan), got '12345678901234567.00'" in problems
    )
    assert not any("9999999999999999.99" in p for p in problems)
    # the other unreadable amounts keep their own message
    assert (
        "column 'insurance_paid_yuan' of encounters.csv row 5: expected yuan with at most two "
        "decimals, digits only (1234.57 or 1,234.57: no 元), got '20.001'" in problems
    )
    assert sum("encounters.csv row 2" in p for p in problems) == 1


def test_money_in_yuan_is_reported_in_yuan_under_the_files_column(csv_folder, youxi):
    # claims for V0003 (total cost 12000.00 yuan): 9000.00 + 4000.00 = 13,000.00 yuan
    # from insurance, more than the cost; a negative out-of-pocket of -0.50 yuan
    (csv_folder / "claims.csv").write_text(
        "claim_id,encounter_id,settled_date,insurance_paid_yuan,out_of_pocket_yuan\n"
        "C1,V0003,2017-07-01,9000.00,0\n"
        "C2,V0003,2017-08-01,4000,-0.5\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    text = "\n".join(err.value.problems)
    assert (
        "column 'out_of_pocket_yuan' of claims.csv row 3: expected an amount ≥ 0.00 yuan, "
        "got -0.50 yuan" in text
    )
    assert (
        "column 'insurance_paid_yuan' of claims.csv row 2: claims of encounter 'V0003' pay "
        "13,000.00 yuan from insurance, more than its total cost 12,000.00 yuan" in text
    )
    assert "_fen" not in text


def test_an_amount_given_both_in_fen_and_in_yuan_is_refused(csv_folder, youxi):
    # which of the two columns is right cannot be told: neither is silently dropped
    _break(csv_folder, "encounters.csv", "referred_to_id\n", "referred_to_id,total_cost_fen\n")
    path = csv_folder / "encounters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + [f"{x},1" for x in lines[1:]]) + "\n", "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert err.value.problems == [
        "encounters.csv: columns 'total_cost_fen' and 'total_cost_yuan' both give the same "
        "amount; keep one ('total_cost_fen' in whole fen or 'total_cost_yuan' in yuan)"
    ]


def test_tab_and_semicolon_separated_tables_read_as_comma_separated(csv_folder, youxi):
    # Excel's "Unicode text" (UTF-16 with a BOM, tab-separated) and a semicolon CSV
    expected = read_tables(csv_folder, system=youxi)
    residents = csv_folder / "residents.csv"
    residents.write_text(residents.read_text("utf-8").replace(",", "\t"), encoding="utf-16")
    followups = csv_folder / "followups.csv"
    followups.write_text(followups.read_text("utf-8").replace(",", ";"), encoding="utf-8")
    got = read_tables(csv_folder, system=youxi)
    for name in ("residents", "followups"):
        assert got.table(name).equals(expected.table(name))


def test_an_empty_file_says_it_is_empty(csv_folder, youxi):
    (csv_folder / "claims.csv").write_bytes(b"")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert err.value.problems == [
        "claims.csv: the file is empty; expected a header row naming the columns of table "
        "'claims' (see `ihms data schema`)"
    ]


def test_failed_import_leaves_the_store_unchanged(csv_folder, youxi, key_file, tmp_path):
    p = Pseudonymiser.from_env(key_file=key_file)
    store_path = tmp_path / "ihms.duckdb"
    import_folder(csv_folder, store_path, pseudonymiser=p, system=youxi)
    with Store(store_path, read_only=True) as store:
        before = {name: store.to_pandas(name) for name in ("residents", "encounters", "followups")}
        written_at = store.info().written_at
    _break(csv_folder, "encounters.csv", "YX-THC02,2018-01-05", "YX-NOPE,2018-01-05")
    _break(csv_folder, "residents.csv", "1985,F", "1985,X")
    with pytest.raises(DataError):
        import_folder(csv_folder, store_path, pseudonymiser=p, system=youxi, replace=True)
    with Store(store_path, read_only=True) as store:
        assert store.info().written_at == written_at
        for name, frame in before.items():
            assert store.to_pandas(name).equals(frame)


def test_a_second_import_is_refused_unless_replace(csv_folder, youxi, key_file, tmp_path):
    p = Pseudonymiser.from_env(key_file=key_file)
    store_path = tmp_path / "ihms.duckdb"
    import_folder(csv_folder, store_path, pseudonymiser=p, system=youxi)
    period = Period.parse("2016", "2017")
    last = "V0004,350426198503033456,YX-THC02,2018-01-05,outpatient,J02,35.8,20,15.8,,,\n"
    _break(csv_folder, "encounters.csv", last, "")
    with pytest.raises(InputError, match="already holds a data set of 4 encounters and 3 resid"):
        import_folder(csv_folder, store_path, pseudonymiser=p, system=youxi, period=period)
    done = import_folder(
        csv_folder, store_path, pseudonymiser=p, system=youxi, period=period, replace=True
    )
    assert done.row_counts()["encounters"] == 3
    with Store(store_path, read_only=True) as store:
        assert store.info().row_counts["encounters"] == 3
        assert str(store.info().period) == "2016-01-01 to 2017-12-31"


def test_folder_problems(tmp_path, youxi, csv_folder):
    (csv_folder / "encounter.csv").write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"no table called 'encounter'; did you mean 'encounters\.csv'"
    ):
        read_tables(csv_folder, system=youxi)
    (csv_folder / "encounter.csv").unlink()
    (csv_folder / "institutions.csv").write_text("institution_id\nA\n", encoding="utf-8")
    with pytest.raises(DataError, match="disagree with the system file") as err:
        read_tables(csv_folder, system=youxi)
    assert err.value.problems[0].startswith("institutions.csv: institution_id A not in the system")
    with pytest.raises(InputError, match="no such folder"):
        read_tables(tmp_path / "missing")
    (csv_folder / "institutions.csv").unlink()
    with pytest.raises(InputError, match="no period"):
        read_tables(csv_folder)
    with pytest.raises(InputError, match="no counties, institutions table"):
        read_tables(csv_folder, period=Period.parse("2016", "2019"))


def _tables_folder(tmp_path, youxi, csv_folder, *, meta: Period | None = None):
    """The CSV export plus the system's structural tables as Parquet files (the layout
    of ``ihms sim run --format parquet``), with a dataset.json when ``meta`` is given."""
    from ihms.data import structural_tables
    from ihms.data.io import write_folder_meta

    for name, frame in structural_tables(youxi).items():
        frame.to_parquet(csv_folder / f"{name}.parquet")
    if meta is not None:
        write_folder_meta(csv_folder, meta, source="test")
    return csv_folder


def test_no_period_fails_before_any_table_is_read(csv_folder):
    # An unreadable table would be reported if the folder were read first.
    (csv_folder / "referrals.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match="no period: give it with --start and --end"):
        read_tables(csv_folder)


def test_the_period_comes_from_dataset_json(tmp_path, youxi, csv_folder):
    whole = Period.parse("2016-01", "2019-12")
    folder = _tables_folder(tmp_path, youxi, csv_folder, meta=whole)
    assert read_tables(folder).period == whole
    # a sub-window of what the tables cover is one clear error, not a row per record
    with pytest.raises(InputError) as err:
        read_tables(folder, period=Period.parse("2016-02", "2019-11"))
    assert not isinstance(err.value, DataError)
    assert "the tables cover 2016-01-01 to 2019-12-31 (dataset.json)" in str(err.value)


def test_structural_parquet_files_that_match_the_system_file_are_accepted(
    tmp_path, youxi, csv_folder
):
    folder = _tables_folder(tmp_path, youxi, csv_folder)
    dataset = read_tables(folder, system=youxi)
    assert dataset.period == Period.parse("2016-01", "2019-12")  # the system file's
    assert dataset.table("institutions").num_rows == len(youxi.institutions)
    counties = pd.read_parquet(folder / "counties.parquet")
    counties.iloc[:1].to_parquet(folder / "counties.parquet")
    with pytest.raises(DataError) as err:
        read_tables(folder, system=youxi)
    assert err.value.problems[0].startswith("counties.parquet: county_id - not in the system")


def test_a_gbk_export_is_read_as_chinese(csv_folder, youxi):
    # Hospital systems in China often export CSV in GBK; pandas' UTF-8 reader stops at
    # the first such byte with only a byte offset. The table is read as Chinese text.
    path = csv_folder / "encounters.csv"
    text = path.read_text(encoding="utf-8").replace(",J06,", ",上呼吸道感染,")
    path.write_bytes(text.encode("gbk"))
    dataset = read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    groups = set(dataset.to_pandas("encounters")["diagnosis_group"].dropna())
    assert "上呼吸道感染" in groups


def test_dates_as_chinese_excel_saves_them_are_read(csv_folder, youxi):
    # The reviewer's file: every row refused with "expected a date YYYY-MM-DD".
    for old, new in (
        ("2016-03-01", "2016/3/1"),
        ("2016-04-01", "2016-04-01 08:30:00"),
        ("2017-06-10", "2017年6月10日"),
        ("2018-01-05", "20180105"),
    ):
        _break(csv_folder, "encounters.csv", old, new)
    _break(csv_folder, "residents.csv", "2017-05-01", "2017/5/1 0:00")
    dataset = read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    dates = sorted(d.isoformat() for d in dataset.table("encounters").column("date").to_pylist())
    assert dates == ["2016-03-01", "2016-04-01", "2017-06-10", "2018-01-05"]
    entry = dataset.table("residents").column("entry_date").to_pylist()
    assert [d.isoformat() for d in entry if d] == ["2017-05-01"]
    _break(csv_folder, "followups.csv", "2016-05-02", "2/5/2016")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    assert err.value.problems == [
        "column 'date' of followups.csv row 3: expected a date (YYYY-MM-DD, YYYY/M/D, "
        "YYYY.M.D, YYYY年M月D日, YYYYMMDD or with the month named (05mar2019, 05-MAR-2019), "
        "optionally with a time; a day or month in digits never first), got '2/5/2016'"
    ]


def test_undecodable_csv_bytes_name_the_file(csv_folder, youxi):
    (csv_folder / "followups.csv").write_bytes(b"followup_id,resident_id\n\xff\xfe\x00\xd8" * 3)
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    assert any(p.startswith("followups.csv: undecodable bytes") for p in err.value.problems), (
        err.value.problems
    )


def test_a_table_in_a_format_ihms_does_not_read_is_an_error(csv_folder, youxi):
    (csv_folder / "followups.csv").rename(csv_folder / "followups.xls")
    (csv_folder / "README.md").write_text("notes", encoding="utf-8")  # not a table: ignored
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert err.value.problems == [
        "followups.xls: table 'followups' must be a .csv, .parquet, .xlsx, .dta or .sav file, "
        "got .xls (save it as followups.csv, UTF-8, one header row)"
    ]


def test_a_folder_without_residents_is_an_error(csv_folder, youxi):
    (csv_folder / "residents.csv").unlink()
    (csv_folder / "encounters.csv").unlink()
    (csv_folder / "followups.csv").unlink()
    with pytest.raises(InputError, match=r"no residents table; expected residents\.csv"):
        read_tables(csv_folder, system=youxi)


def test_what_made_the_tables_comes_from_dataset_json(tmp_path, youxi, csv_folder):
    import json

    from ihms.data.io import FOLDER_META, folder_producer, write_folder_meta

    whole = Period.parse("2016-01", "2019-12")
    folder = _tables_folder(tmp_path, youxi, csv_folder, meta=whole)
    # a county's export: nothing made it
    assert folder_producer(folder) is None
    assert read_tables(folder).producer == ""
    write_folder_meta(
        folder, whole, source="t", producer="ihms.sim", unrecorded={"resources": ["expense_fen"]}
    )
    dataset = read_tables(folder)
    assert (dataset.producer, dict(dataset.unrecorded)) == (
        "ihms.sim",
        {"resources": ("expense_fen",)},
    )
    # a data set rebuilt with other tables keeps them
    assert dataset.replace(followups=dataset.to_pandas("followups")).producer == "ihms.sim"
    # a broken declaration is refused with every problem named
    meta = json.loads((folder / FOLDER_META).read_text())
    meta["unrecorded"] = {"resourcez": ["x"], "resources": ["beds", "bedz"]}
    (folder / FOLDER_META).write_text(json.dumps(meta))
    with pytest.raises(DataError) as err:
        read_tables(folder)
    assert "cannot read what made the tables" in str(err.value)
    assert len(err.value.problems) == 2
    assert "'unrecorded' names no table of the schema: 'resourcez'" in err.value.problems[0]


def test_a_simulation_runs_out_folder_points_to_its_tables(tmp_path):
    import json

    out = tmp_path / "sim"
    (out / "tables").mkdir(parents=True)
    (out / "summary.json").write_text(json.dumps({"data": str(out / "tables")}))
    # not "give the period": the run wrote it, beside its tables
    with pytest.raises(InputError, match=r"simulation run \(summary.json\); its tables are in"):
        read_tables(out)
    (out / "summary.json").write_text(json.dumps({"data": str(out / "ihms.duckdb")}))
    with pytest.raises(InputError, match="its data are in the store"):
        read_tables(out)
    # another tool's summary.json (data not a path) is not a run's: the folder is read
    # as tables and fails for what it lacks, not with a TypeError
    (out / "summary.json").write_text(json.dumps({"data": None}))
    with pytest.raises(InputError) as err:
        read_tables(out)
    assert "simulation run" not in str(err.value)


def test_full_width_digits_are_read_as_numbers_not_dropped(csv_folder, youxi):
    # The reviewer's import: beds ７ (optional) was stored as NULL and the note called the
    # cell empty; a required column said "a value is required". Read as the numbers.
    # a row for each institution operating in 2016 (one for a year it does not operate
    # is refused)
    open_2016 = [i.id for i in youxi.institutions if i.active_in(2016)]
    resources = pd.DataFrame({"institution_id": open_2016, "year": 2016})
    resources = resources.assign(beds="", gps="1")
    resources.loc[resources.institution_id == "YX-CH01", "beds"] = "７"
    resources.to_csv(csv_folder / "resources.csv", index=False)
    _break(csv_folder, "residents.csv", "1960,M", "１９６０,M")  # required birth_year
    _break(csv_folder, "encounters.csv", "120.50,60.25", "１２０.５０,６０．２５")
    _break(csv_folder, "followups.csv", ",6.4,", ",６.４,")
    _break(csv_folder, "followups.csv", "2016-05-01", "２０１６－０５－０１")
    dataset = read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    res = dataset.to_pandas("resources")  # the system file gives the other years' rows
    res = res[res["year"] == 2016].set_index("institution_id")
    assert res.loc["YX-CH01", "beds"] == 7
    assert 1960 in set(dataset.to_pandas("residents")["birth_year"])
    enc = dataset.to_pandas("encounters").set_index("encounter_id")
    # 120.50 yuan = 12,050 fen; 60.25 yuan = 6,025 fen
    assert tuple(enc.loc["V0001", ["total_cost_fen", "insurance_paid_fen"]]) == (12050, 6025)
    fu = dataset.to_pandas("followups").set_index("followup_id")
    assert fu.loc["F2", "fasting_glucose_mmol_l"] == 6.4
    assert fu.loc["F1", "date"] == pd.Timestamp("2016-05-01")
    # another script's digits are refused with the cell shown, not stored as empty
    _break(csv_folder, "resources.csv", "７", "٧")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    assert err.value.problems == [
        "column 'beds' of resources.csv row 2: expected a whole number, got '٧'"
    ]


def test_look_alike_digits_are_refused_naming_file_row_and_column(csv_folder, youxi):
    # NFKC folded these into other numbers (13⁵ → 135, ① → 1, ½ → 1⁄2): refused instead
    _break(csv_folder, "followups.csv", ",135,85,", ",13⁵,85,")
    _break(csv_folder, "followups.csv", ",6.4,", ",①,")
    _break(csv_folder, "encounters.csv", "120.50,60.25", "120½,60.25")
    _break(csv_folder, "residents.csv", "1960,M", "１９６０,M")  # full-width: still read
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=Period.parse("2016", "2019"))
    text = "\n".join(err.value.problems)
    assert (
        "column 'systolic_mmhg' of followups.csv row 2: expected a whole number, got '13⁵'" in text
    )
    assert "of followups.csv row 3: expected a number, got '①'" in text
    assert "column 'total_cost_yuan' of encounters.csv row 2: expected yuan" in text
    assert "got '120½'" in text
    assert "residents.csv" not in text
