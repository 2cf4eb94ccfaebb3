"""``ihms payment scorecard --store --staff``: the doctors' activity counts come from the
store's staff_activities, under the values an ``--indicators`` file gives.

A short Youxi simulation (1,000 residents) is written to a store with a hand-made
staff_activities table in place of the simulated one (so the counts are worked by
hand): doctor A of the county
hospital YX-CH01 held 5 health education sessions in 2018 and consulted on 14 days at
township health centres (15 rows: one day at two centres), plus one day on 1 January 2019;
doctor B has no activity.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store
from ihms.sim import CountySimulation, MemorySink, load_sim_config
from ihms.system import load_system

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def _activities() -> pd.DataFrame:
    rows = [
        ("A", "YX-CH01", date(2018, 2, 1) + timedelta(days=7 * k), "健康教育", None)
        for k in range(5)
    ]
    rows += [
        ("A", "YX-CH01", date(2018, 3, 1) + timedelta(days=k), "下乡坐诊", "YX-THC01")
        for k in range(14)
    ]
    rows.append(("A", "YX-CH01", date(2018, 3, 1), "thc_consultation_day", "YX-THC02"))
    rows.append(("A", "YX-CH01", date(2019, 1, 1), "thc_consultation_day", "YX-THC01"))
    return pd.DataFrame(
        rows, columns=["staff_id", "institution_id", "date", "activity", "host_institution_id"]
    )


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    config = load_sim_config(EXAMPLES / "youxi_sim.yaml").model_copy(update={"block_size": 512})
    system = load_system(EXAMPLES / "youxi.yaml")
    result = CountySimulation(config, residents=1000, system=system).run(sink=MemorySink())
    dataset = result.sink.dataset(validate=False).replace(staff_activities=_activities())
    path = tmp_path_factory.mktemp("sim") / "ihms.duckdb"
    with Store(path) as store:
        store.write(dataset)
    return path


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "staff_id,role,institution_id,base_salary_fen\n"
        "A,doctor,YX-CH01,20000000\nB,doctor,YX-CH01,18000000\n",
        encoding="utf-8",
    )
    ind = tmp_path / "indicators.csv"
    ind.write_text(
        "year,subject,indicator,value\n"
        "2018,A,health_management_rate,0.7\n"
        "2018,B,health_management_rate,0.7\n"
        "2018,B,thc_consultation_days,13\n",
        encoding="utf-8",
    )
    return {"staff": staff, "indicators": ind}


def _scorecard(store_path, files):
    return runner.invoke(
        app,
        [
            "payment",
            "scorecard",
            "--store",
            str(store_path),
            "--year",
            "2018",
            "--staff",
            str(files["staff"]),
            "--indicators",
            str(files["indicators"]),
            "--json",
        ],
    )


def test_the_scorecard_counts_the_stores_staff_activities(store_path, files):
    r = _scorecard(store_path, files)
    assert r.exit_code == 0, r.output
    cards = {c["subject"]: c for c in json.loads(r.stdout)["scorecards"] if c["role"] == "doctor"}
    values = {
        s: {ln["indicator"]: Decimal(ln["value"]) for ln in card["lines"]}
        for s, card in cards.items()
    }
    # A: 5 sessions; 14 distinct days in 2018 (the 15 rows include one day at two
    # centres; 1 January 2019 is next year's); B: nothing recorded = 0, but the file's 13
    # days replace the store's count
    assert values["A"] == {
        "health_education_sessions": 5,
        "health_management_rate": Decimal("0.7"),
        "thc_consultation_days": 14,
    }
    assert values["B"]["health_education_sessions"] == 0
    assert values["B"]["thc_consultation_days"] == 13
    out = " ".join(r.output.split())
    assert "gives thc_consultation_days of B for 2018; used instead of the counts" in out
    # sanming's doctor card: A 0.3 x 5/24 + 0.4 x (0.7-0.5)/0.4 + 0.3 x 1 (14 >= 12)
    # = 0.0625 + 0.2 + 0.3 = 0.5625 -> 56.3 points, below the pass mark of 60
    assert (cards["A"]["points"], cards["A"]["passed"]) == ("56.3", False)


def test_a_roster_the_store_does_not_know_is_refused(store_path, files, tmp_path):
    files["staff"].write_text(
        "staff_id,role,institution_id,base_salary_fen\nX,doctor,YX-CH01,20000000\n",
        encoding="utf-8",
    )
    files["indicators"].write_text(
        "year,subject,indicator,value\n2018,X,health_management_rate,0.7\n", encoding="utf-8"
    )
    r = _scorecard(store_path, files)
    assert r.exit_code == 2, r.output
    assert "none of its 1 staff ids has an activity in store" in " ".join(r.output.split())
    # the supervision view says which ids the store has in the year (only A's
    # activities are in 2018) and how to list them all
    sup = ["payment", "supervision", "--store", str(store_path), "--staff", str(files["staff"])]
    r = runner.invoke(app, [*sup, "--year", "2018"])
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "which records 1 staff member(s) in 2018: A" in out
    assert (
        f"ihms data export --store {store_path} --table staff_activities --format csv "
        "--out DIR lists every staff_id"
    ) in out


def test_a_store_without_activities_leaves_the_counts_to_the_file(store_path, files, tmp_path):
    empty = tmp_path / "ihms.duckdb"
    shutil.copy(store_path, empty)
    con = duckdb.connect(str(empty))
    con.execute("DELETE FROM staff_activities")
    con.close()
    r = _scorecard(empty, files)
    out = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    assert "records no staff activities; health_education_sessions, thc_consultation_days" in out
    # so A's sessions and days, and B's sessions, are missing rather than 0
    assert "2018, subject 'A' (doctor scorecard): no health_education_sessions, " in out
    assert "2018, subject 'B' (doctor scorecard): no health_education_sessions" in out


def test_a_key_file_matches_the_roster_to_a_pseudonymised_store(store_path, files, tmp_path):
    # the store as `ihms data import` writes a county's export: ids pseudonymised with
    # the key; the roster carries the raw ids. The key comes from a file, as the import
    # takes it (--key-file), not only from $IHMS_PSEUDONYM_KEY.
    from ihms.data import Pseudonymiser, pseudonymise_dataset

    key_file = tmp_path / "pseudonym.key"
    key_file.write_text("a-key-file-for-the-payment-commands-0123\n", encoding="utf-8")
    key = Pseudonymiser.from_env(key_file=key_file)
    with Store(store_path, read_only=True) as plain:
        dataset = dataclasses.replace(plain.dataset(), id_scheme="raw")  # as a county's
    hashed = tmp_path / "hashed.duckdb"
    with Store(hashed) as store:
        store.write(pseudonymise_dataset(dataset, key))
    tables = ["--year", "2018", "--staff", str(files["staff"])]
    tables += ["--indicators", str(files["indicators"])]
    args = ["payment", "scorecard", "--store", str(hashed), *tables, "--json"]
    r = runner.invoke(app, [*args, "--key-file", str(key_file)])
    assert r.exit_code == 0, r.output
    cards = {c["subject"]: c for c in json.loads(r.stdout)["scorecards"] if c["role"] == "doctor"}
    # A's counts found under the raw id, as from the plain store (5 sessions, 14 days)
    lines = {ln["indicator"]: ln["value"] for ln in cards["A"]["lines"]}
    assert (lines["health_education_sessions"], lines["thc_consultation_days"]) == (
        "5.0000",
        "14.0000",
    )
    # without the key the raw ids match nothing: refused, with the hint
    r = runner.invoke(app, args)
    assert r.exit_code == 2
    assert "give the key the data were imported with" in " ".join(r.output.split())
    # the supervision command takes it too
    sup = ["payment", "supervision", "--store", str(hashed), "--staff", str(files["staff"])]
    r = runner.invoke(app, [*sup, "--year", "2018", "--key-file", str(key_file), "--json"])
    assert r.exit_code == 0, r.output
    days = [
        ln
        for ln in json.loads(r.stdout)["lines"]
        if (ln["staff_id"], ln["indicator"]) == ("A", "thc_consultation_days")
    ]
    assert days[0]["value"] == "14"
    # a key file without a store is refused, naming what it is for
    r = runner.invoke(app, ["payment", "scorecard", *tables, "--key-file", str(key_file)])
    assert r.exit_code == 2
    assert "--key-file matches a --staff roster's ids to a pseudonymised --store" in " ".join(
        r.output.split()
    )


def test_a_member_without_activity_is_counted_0_when_the_file_covers_the_others(store_path, files):
    # The file gives all of A's counts, so only B (no activity in 2018) is looked up in the
    # store; B is a 0, not a roster of raw ids the store does not know (review13 found the
    # run refused with "none of its 1 staff ids has an activity").
    files["indicators"].write_text(
        "year,subject,indicator,value\n"
        "2018,A,health_management_rate,0.7\n"
        "2018,A,health_education_sessions,5\n"
        "2018,A,thc_consultation_days,14\n"
        "2018,B,health_management_rate,0.7\n",
        encoding="utf-8",
    )
    r = _scorecard(store_path, files)
    assert r.exit_code == 0, r.output
    cards = {c["subject"]: c for c in json.loads(r.stdout)["scorecards"] if c["role"] == "doctor"}
    b = {ln["indicator"]: Decimal(ln["value"]) for ln in cards["B"]["lines"]}
    assert (b["health_education_sessions"], b["thc_consultation_days"]) == (0, 0)
    # sanming's doctor card: B 0.3 x 0 + 0.4 x (0.7-0.5)/0.4 + 0.3 x 0 = 0.2 -> 20.0 points
    assert cards["B"]["points"] == "20.0"


def test_a_wrong_key_is_named_by_where_it_came_from_never_shown(
    store_path, files, tmp_path, monkeypatch
):
    # review13: "pseudonymised with another key" did not say which key was given, so a
    # user with a key file and $IHMS_PSEUDONYM_KEY both set could not tell which was read
    from ihms.data import Pseudonymiser, pseudonymise_dataset

    right = Pseudonymiser(b"the-key-the-county-imported-with-0123")
    with Store(store_path, read_only=True) as plain:
        dataset = dataclasses.replace(plain.dataset(), id_scheme="raw")
    hashed = tmp_path / "hashed.duckdb"
    with Store(hashed) as store:
        store.write(pseudonymise_dataset(dataset, right))
    wrong = "a-wrong-key-file-for-the-payment-commands-0123"
    key_file = tmp_path / "old.key"
    key_file.write_text(wrong + "\n", encoding="utf-8")
    args = ["payment", "scorecard", "--store", str(hashed), "--year", "2018"]
    args += ["--staff", str(files["staff"]), "--indicators", str(files["indicators"])]

    r = runner.invoke(app, [*args, "--key-file", str(key_file)])
    out = "".join(r.output.split())  # the path may be wrapped anywhere
    assert r.exit_code == 2, r.output
    assert "pseudonymisedwithanotherkey" in out
    assert f"thantheonefromkeyfile{key_file}".replace(" ", "") in out
    assert wrong not in out

    env_wrong = "a-wrong-key-in-the-environment-0123456789"
    monkeypatch.setenv("IHMS_PSEUDONYM_KEY", env_wrong)
    r = runner.invoke(app, args)
    out = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    assert "than the one from $IHMS_PSEUDONYM_KEY (fingerprint" in out
    assert env_wrong not in "".join(r.output.split())
