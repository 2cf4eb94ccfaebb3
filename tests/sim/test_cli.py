import dataclasses
import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_sim_run_writes_a_store_and_json(tmp_path, example_path):
    out = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path),
            "--residents",
            "1500",
            "--out",
            str(out),
            "--regime",
            "other-areas",
            "--seed",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["regime"] == "other-areas"
    assert summary["seed"] == 3
    assert set(summary["per_year"]) == {"2016", "2017", "2018", "2019"}
    # the whole years of the reform (2017-10): 2017, from October, is the baseline
    assert set(summary["settlements"]) == {"2018", "2019"}
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["seed"] == 3
    with Store(out / "ihms.duckdb", read_only=True) as store:
        assert store.info().row_counts["encounters"] > 1000


def test_a_second_run_replaces_an_earlier_simulation_but_not_other_data(
    tmp_path, example_path, monkeypatch
):
    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(example_path), "--residents", "800", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, [*args, "--seed", "5"])
    assert again.exit_code == 0, again.output
    assert "It replaced what the store held before: a data set of" in _flat(again.output)
    # what the written resources table leaves empty is said beside where it was written,
    # not under the volumes table (session 24 review, item 17)
    assert (
        "The run's resources table leaves consultation income and total expense empty (not "
        "simulated), so the THC consultation-fee and personnel-cost shares are missing, not 0."
    ) in _flat(again.output)
    # a store holding imported (not simulated) data is refused before any simulation
    from ihms.sim import CountySimulation

    with Store(out / "ihms.duckdb") as store:
        imported = dataclasses.replace(store.dataset(), id_scheme="pseudonymised")
        store.write(imported, replace=True)
    monkeypatch.setattr(CountySimulation, "run", lambda *a, **k: pytest.fail("simulated"))
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "not an earlier simulation; pass --replace" in _flat(refused.output)


def test_sim_run_parquet_and_table(tmp_path, example_path):
    out = tmp_path / "o"
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path.parent / "youxi.yaml"),
            "--residents",
            "800",
            "--out",
            str(out),
            "--format",
            "parquet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "admissions" in result.output
    assert pq.read_table(out / "tables" / "encounters.parquet").num_rows > 500
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["period"] == {"start": "2016-01-01", "end": "2019-12-31"}
    assert summary["layout"]["format"] == "parquet"
    assert summary["layout"]["meta"] == str(out / "tables" / "dataset.json")
    # the obvious commands import the folder: the period comes from its dataset.json
    tables = str(out / "tables")
    for extra in ([], ["--system", str(example_path.parent / "youxi.yaml")]):
        result = runner.invoke(app, ["data", "check", tables, "--json", *extra])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["period"] == "2016-01-01 to 2019-12-31"
    result = runner.invoke(app, ["data", "check", tables, "--start", "2016-02", "--end", "2019-11"])
    assert result.exit_code == 2
    assert "the tables cover 2016-01-01 to 2019-12-31" in _flat(result.output)
    # a store written into the same folder would sit beside an earlier run's tables
    result = runner.invoke(
        app, ["sim", "run", "--config", str(example_path), "--residents", "800", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert "an earlier run's tables" in _flat(result.output)
    assert not (out / "ihms.duckdb").exists()


def test_sim_run_json_carries_money_as_integer_fen(tmp_path, example_path):
    out = tmp_path / "j"
    args = ["sim", "run", "--config", str(example_path), "--residents", "800"]
    result = runner.invoke(app, [*args, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    year = json.loads(result.output)["per_year"]["2016"]
    assert isinstance(year["total_cost_fen"], int) and isinstance(year["insurance_paid_fen"], int)
    assert 0 < year["insurance_paid_fen"] < year["total_cost_fen"]
    assert not any(isinstance(v, str) for v in year.values())
    # and a store in a folder that holds an earlier run's parquet tables is refused
    (out / "tables").mkdir()
    result = runner.invoke(app, [*args, "--out", str(out), "--format", "parquet"])
    assert result.exit_code == 2
    assert "an earlier run's store" in _flat(result.output)


def test_sim_run_finds_the_example_config_outside_the_clone(tmp_path, monkeypatch):
    from ihms.sim import load

    monkeypatch.chdir(tmp_path)
    assert load.example_file("youxi_sim.yaml").is_file()  # beside the package
    monkeypatch.setattr(load, "__file__", str(tmp_path / "a" / "b" / "c" / "load.py"))
    result = runner.invoke(app, ["sim", "run", "--residents", "800"])
    assert result.exit_code == 2
    assert "pass the file explicitly (--config PATH)" in _flat(result.output)


def test_sim_run_bad_input_exits_2(tmp_path, example_path):
    result = runner.invoke(
        app,
        [
            "sim",
            "run",
            "--config",
            str(example_path),
            "--reform",
            "2030-01",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert "outside the period" in _flat(result.output)
    assert not (tmp_path / "o").exists()
    result = runner.invoke(app, ["sim", "run", "--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in _flat(result.output)
    result = runner.invoke(app, ["sim", "run", "--config", str(example_path), "--format", "csv"])
    assert result.exit_code == 2
    assert "expected duckdb or parquet" in _flat(result.output)
    afile = tmp_path / "afile"
    afile.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["sim", "run", "--config", str(example_path), "--out", str(afile)])
    assert result.exit_code == 2
    assert "is a file; --out names a folder" in _flat(result.output)
    assert afile.read_text(encoding="utf-8") == "not a folder"


def test_calibrate_exit_code_follows_the_verdict(example_path):
    result = runner.invoke(
        app, ["sim", "calibrate", "--config", str(example_path), "--residents", "3000", "--json"]
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    assert result.exit_code == (0 if report["passed"] else 1)
    keys = {row["key"] for row in report["figures"]}
    assert {
        "hospitalization_rate_2016",
        "ch_visits_slope_change",
        "diabetes_control_rate_2019",
    } <= keys
    # the verdict is in sample; the held-out figures get their own (sim review finding 2)
    assert report["tuned"] is True  # the committed config applies its tuned values
    assert report["in_sample"].startswith("In sample: the config's tuned values were fitted")
    # Table 4's 2017-2018 (6) and the cost per stay's pre-slope and level change
    assert len(report["held_out"]) == 8
    assert set(report["held_out_departures"]) <= set(report["held_out"])
    assert report["held_out_verdict"].startswith("Held out (not fitted by")
    fitted = {row["key"] for row in report["figures"] if row["fitted"]}
    assert fitted == keys - set(report["held_out"])


def test_calibrate_exits_1_naming_the_figure_a_pushed_parameter_moves_off(tmp_path, example_path):
    # the committed config with one tuned value pushed off (hypertension management logit
    # 0.65 -> -1.0): seed 002 Table 5's management rates are out of reach, the gate says so
    text = example_path.read_text(encoding="utf-8")
    line = "      chronic.hypertension.management_logit: "
    start = text.index(line) + len(line)
    text = text[:start] + "-1.0" + text[text.index("\n", start) :]
    text = text.replace("county: youxi.yaml", f"county: {example_path.parent / 'youxi.yaml'}")
    config = tmp_path / "pushed_sim.yaml"
    config.write_text(text, encoding="utf-8")
    args = ["sim", "calibrate", "--config", str(config), "--residents", "8000", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert not report["passed"]
    assert "hypertension_management_rate_2019" in report["failures"]


def test_compare_prints_regimes_and_writes_figure(tmp_path, example_path):
    fig = tmp_path / "cmp.png"
    result = runner.invoke(
        app,
        [
            "sim",
            "compare",
            "--config",
            str(example_path),
            "--residents",
            "1200",
            "--figure",
            str(fig),
        ],
    )
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    for word in (  # the regimes by their rule sets' titles
        "Fee for service",
        "Sanming IMPM",
        "Other areas of China",
        "Global budget",
        "Hypertension control",
    ):
        assert word in text
    assert fig.stat().st_size > 1000


def test_compare_checks_year_and_figure_before_simulating(tmp_path, example_path, monkeypatch):
    import ihms.sim.compare

    def never(*args, **kwargs):
        raise AssertionError("simulated before checking the options")

    monkeypatch.setattr(ihms.sim.compare, "compare_regimes", never)
    base = ["sim", "compare", "--config", str(example_path), "--residents", "5000"]
    result = runner.invoke(app, [*base, "--year", "2030"])
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert "--year" in text and "2016-2019" in text and "2030" in text
    assert "Traceback" not in text
    fig = tmp_path / "cmp.pdf"
    result = runner.invoke(app, [*base, "--figure", str(fig)])
    assert result.exit_code == 2, result.output
    text = _flat(result.output)
    assert "--figure" in text and ".png or .svg" in text and "cmp.pdf" in text
    assert "'plot'" not in text
    assert not fig.exists()


# The child of the SIGTERM test: the real console script, with the Parquet sink's
# `write` wrapped so that after the first chunk of encounters is in the hidden folder it
# says so (a marker file, written whole by a rename) and waits for the signal. The signal
# therefore always lands mid-run, however loaded the machine: no race with the run's end.
_WAIT_FOR_SIGTERM = """
import sys, time
from pathlib import Path
from ihms.sim.tables import ParquetSink

marker = Path(sys.argv.pop(1))
write = ParquetSink.write

def write_then_wait(self, name, table):
    write(self, name, table)
    if name == "encounters" and not marker.exists():
        part = marker.with_suffix(".part")
        part.write_text(str(self._tmp), encoding="utf-8")
        part.rename(marker)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.01)
        raise RuntimeError("no SIGTERM came")

ParquetSink.write = write_then_wait
from ihms.cli.main import main
sys.argv[0] = "ihms"
main()
"""


def test_sigterm_mid_run_leaves_no_temporary_folder(tmp_path, example_path):
    # `kill` or a scheduler's time limit sends SIGTERM, which Python does not turn into an
    # exception by itself: the console script makes it one, so the Parquet sink's abort
    # removes its hidden `.tables-*` folder as it does on Ctrl-C.
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    out = tmp_path / "run"
    marker = tmp_path / "writing"
    args = ["sim", "run", "--config", str(example_path), "--out", str(out), "--format", "parquet"]
    args += ["--residents", "800"]
    log = tmp_path / "stderr.txt"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _WAIT_FOR_SIGTERM, str(marker), *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + 300
        while not marker.exists():  # the child writes it, then waits for the signal
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the run never wrote its first encounters"
            time.sleep(0.02)
        hidden = Path(marker.read_text(encoding="utf-8"))
        # the run is provably mid-way: its hidden folder holds the first chunk of encounters
        assert hidden.parent == out and hidden.name.startswith(".tables-")
        assert (hidden / "encounters.parquet").is_file()
        assert not (out / "tables").exists()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM, log.read_text(encoding="utf-8")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # no hidden folder; only the summary of the run, marked interrupted, with no data
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "interrupted" and summary["cause"] == "SIGTERM"
    assert summary["data"] is None


def _stop_writing_the_summary_half_way(monkeypatch):
    from pathlib import Path

    write_text = Path.write_text

    def stopped_half_way(self, data, *a, **k):
        write_text(self, data[: len(data) // 2], *a, **k)
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", stopped_half_way)


def _stop_once_the_store_is_written(monkeypatch):
    from ihms.sim import StoreSink

    close = StoreSink.close

    def stopped_after_writing(self):
        close(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(StoreSink, "close", stopped_after_writing)


@pytest.mark.parametrize(
    ("stop", "left"),
    [
        # stopped again while writing the interrupted summary: none is left
        (_stop_writing_the_summary_half_way, ["ihms.duckdb"]),
        # the interrupted run's own summary (tests/sim/test_interrupted_runs.py)
        (_stop_once_the_store_is_written, ["ihms.duckdb", "summary.json"]),
    ],
)
def test_a_run_stopped_once_its_data_are_in_place_leaves_no_summary_half_written_or_stale(
    tmp_path, example_path, monkeypatch, stop, left
):
    # summary.json was written in place: a run stopped part-way through left half a file.
    # And the earlier summary was removed only after CountySimulation.run returned: a run
    # stopped between the store's write and that left it. The store holds the new run
    # then, so the earlier summary (seed 20171001) would describe other data: none is left.
    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(example_path), "--residents", "800", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert (out / "summary.json").is_file()
    stop(monkeypatch)
    result = runner.invoke(app, [*args, "--seed", "5"])
    monkeypatch.undo()
    assert result.exit_code == 130  # as on Ctrl-C
    assert sorted(p.name for p in out.iterdir()) == left
    with Store(out / "ihms.duckdb", read_only=True) as store:
        assert "seed 5" in store.info().source
        data_id = store.info().run_id
    if "summary.json" in left:  # never the earlier run's (seed 20171001)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["status"] == "interrupted" and summary["run_id"] == data_id


def test_a_parquet_run_stopped_once_its_tables_are_in_place_leaves_no_stale_summary(
    tmp_path, example_path, monkeypatch
):
    from ihms.sim import ParquetSink

    out = tmp_path / "run"
    args = ["sim", "run", "--config", str(example_path), "--residents", "800", "--out", str(out)]
    args += ["--format", "parquet"]
    assert runner.invoke(app, args).exit_code == 0
    assert (out / "summary.json").is_file()
    close = ParquetSink.close

    def stopped_after_renaming(self):
        close(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(ParquetSink, "close", stopped_after_renaming)
    assert runner.invoke(app, [*args, "--seed", "5"]).exit_code == 130
    assert sorted(p.name for p in out.iterdir()) == ["summary.json", "tables"]
    meta = json.loads((out / "tables" / "dataset.json").read_text(encoding="utf-8"))
    assert "seed 5" in meta["source"]
    # the interrupted run's own summary, not the earlier run's
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "interrupted" and summary["run_id"] == meta["run_id"]


def _edited_example(example_path, path, old, new):
    """The example config with ``old`` replaced by ``new``, written to ``path`` (its
    county file named by its full path)."""
    text = example_path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    text = text.replace("county: youxi.yaml", f"county: {example_path.parent / 'youxi.yaml'}")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "options", "shown"),
    [
        # a config moved to a January 2018 reform ran the whole simulation, then failed
        # with KeyError: '_x2017m10' (Table 3's terms are an October 2017 interruption's).
        # Checked, it is now compared on the figures before both reforms
        # (test_calibrate_reform.py); tuned, on seed 002's later figures too, it is refused
        (
            'reform: {date: "2017-10"',
            'reform: {date: "2018-01"',
            ["--tune"],
            ["key 'simulation.reform.date'", "tuning", "2017-10", "got 2018-01"],
        ),
        # a reform in 2016: no figure of seed 002 lies before it, nothing to compare
        (
            'reform: {date: "2017-10"',
            'reform: {date: "2016-12"',
            [],
            ["key 'simulation.reform.date'", "no figure of Zhong et al. 2023", "got 2016-12"],
        ),
        # a window of whole years was not refused: the fit's coefficients were set beside
        # Table 3's, fitted on 2016-02 ... 2019-11, as if they were of one period
        (
            'study_window: {start: "2016-02", end: "2019-11"}',
            'study_window: {start: "2016-01", end: "2019-12"}',
            [],
            ["key 'simulation.study_window'", "2016-02 … 2019-11", "got 2016-01 … 2019-12"],
        ),
    ],
    ids=["tuned-reform-month", "reform-in-2016", "study-window"],
)
def test_calibrate_refuses_periods_other_than_seed_002s_before_simulating(
    tmp_path, example_path, monkeypatch, old, new, options, shown
):
    import ihms.sim.calibrate
    import ihms.sim.run

    monkeypatch.setattr(ihms.sim.calibrate, "measure", lambda *a, **k: pytest.fail("measured"))
    monkeypatch.setattr(ihms.sim.run.CountySimulation, "run", lambda *a, **k: pytest.fail("run"))
    config = _edited_example(example_path, tmp_path / "other_sim.yaml", old, new)
    args = ["sim", "calibrate", "--config", str(config), "--residents", "800", *options]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    flat = _flat(result.output)
    assert "Traceback" not in flat and "other_sim.yaml: " + shown[0] in flat
    assert all(s in flat for s in shown[1:]), flat


def test_a_run_without_a_reform_records_no_reform_month(tmp_path, example_path):
    # fee for service throughout: summary.json said "reform": "2017-10" beside the note
    # "no reform" (sim review finding 6); the store's producer_details had none already
    args = ["sim", "run", "--config", str(example_path), "--residents", "600"]
    args += ["--regime", "fee-for-service", "--out", str(tmp_path / "ffs"), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["reform"] is None
    assert summary["settled_years"]["note"].endswith("no reform: no year is settled.")
    written = json.loads((tmp_path / "ffs" / "summary.json").read_text(encoding="utf-8"))
    assert written["reform"] is None
