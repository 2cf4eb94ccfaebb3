"""ihms._statfiles: files for statistics packages, written whole or not at all."""

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from ihms._statfiles import _clip_bytes, write_stat_file
from ihms.errors import InputError


def test_spss_shows_whole_numbers_whole_and_clips_long_labels_visibly(tmp_path):
    frame = pd.DataFrame({"level": [1.0, 2.0, None], "share": [0.25, 0.5, 0.75]})
    long = "政策工具" * 20  # 240 UTF-8 bytes: over SPSS's 120 for a value label
    path = write_stat_file(
        frame,
        tmp_path / "x.sav",
        variable_labels={"level": "Policy level"},
        value_labels={"level": {1: "National", 2: long}},
    )
    data, meta = pyreadstat.read_sav(path)
    assert meta.original_variable_types == {"level": "F1.0", "share": "F8.2"}
    label = meta.variable_value_labels["level"][2.0]
    assert label.endswith("…") and len(label.encode("utf-8")) <= 120
    assert long.startswith(label[:-1])  # cut between characters, not inside one
    assert data["level"].isna().tolist() == [False, False, True]


def test_clip_bytes_keeps_short_text_and_cuts_between_characters():
    assert _clip_bytes("Policy level", 120) == "Policy level"
    assert _clip_bytes("人才建设", 9) == "人才…"  # 2 × 3 bytes + 3 for the mark


@pytest.mark.parametrize("suffix", [".sav", ".dta", ".csv", ".xlsx"])
def test_an_unwritable_target_is_a_message_and_leaves_nothing(tmp_path, suffix):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    with pytest.raises(InputError, match=r"--out .*afile/x\S*: cannot create its folder"):
        write_stat_file(pd.DataFrame({"a": [1]}), blocker / f"x{suffix}", option="--out")
    # /proc takes no new files, even from root (CI runs as root, so no chmod here)
    with pytest.raises(InputError, match=r"/proc/ihms-x\S*: cannot be written"):
        write_stat_file(pd.DataFrame({"a": [1]}), f"/proc/ihms-x{suffix}")


def test_stata_tC_counts_leap_seconds_and_reads_one_as_the_last_of_its_day():
    from ihms._statfiles import stata_clock

    # %tc of 2017-01-01 00:00:00: 20,820 days since 01jan1960 (20,820 × 86,400,000 ms)
    midnight = 20_820 * 86_400_000
    # %tC counts the 26 leap seconds before 31dec2016's, then that one (23:59:60)
    assert stata_clock(midnight + 27_000, leap_seconds=True) == pd.Timestamp("2017-01-01")
    inside = stata_clock(midnight + 26_500, leap_seconds=True)
    assert inside == pd.Timestamp("2016-12-31 23:59:59.999")
    assert stata_clock(midnight + 25_999, leap_seconds=True) == pd.Timestamp(
        "2016-12-31 23:59:59.999"
    )
    # before 30jun1972 %tC and %tc agree (Stata counts no leap second before UTC's)
    assert stata_clock(1_000, leap_seconds=True) == pd.Timestamp("1960-01-01 00:00:01")
    assert stata_clock(midnight) == pd.Timestamp("2017-01-01")


def _dta(tmp_path, values, display):
    import pyreadstat

    path = tmp_path / "dates.dta"
    frame = pd.DataFrame({"when": [float(v) if v is not None else None for v in values]})
    pyreadstat.write_dta(frame, str(path), version=15, variable_format={"when": display})
    return path


def test_stata_dates_at_the_ends_of_stata_s_range_read_as_iso_dates(tmp_path):
    from ihms._statfiles import read_stat_table

    # Stata help datetime: td(01jan0100) = -679350 and td(31dec9999) = 2936549, the
    # ends of %td; ISO writes a year with four digits (strftime wrote '100-01-01')
    got = read_stat_table(_dta(tmp_path, [-679_350, 2_936_549, None], "%td"), records=True)
    assert got["when"].tolist() == ["0100-01-01", "9999-12-31", ""]
    # tc(31dec9999 23:59:59) = 2936549 days × 86,400,000 ms + 86,399,000 ms
    last = 2_936_549 * 86_400_000 + 86_399_000
    got = read_stat_table(_dta(tmp_path, [last, 0], "%tc"), records=True)
    assert got["when"].tolist() == ["9999-12-31 23:59:59", "1960-01-01 00:00:00"]


@pytest.mark.parametrize("display", ["%td", "%tm", "%tc", "%tC"])
def test_stata_counts_read_as_pandas_timestamps_give_them(tmp_path, display):
    """Cell by cell against pandas' own arithmetic (the reader's earlier row loop): counts
    cut toward zero, before and after 1960, missing kept."""
    from ihms._statfiles import read_stat_table, stata_clock

    rng = np.random.default_rng(17)
    scale = {"%td": 40_000, "%tm": 1_500, "%tc": 4e12, "%tC": 4e12}[display]
    values = [*(rng.uniform(-scale, scale, 200)), -0.5, 1.5, -1.0, None]
    got = read_stat_table(_dta(tmp_path, values, display), records=True)["when"].tolist()

    def expected(v):
        if v is None:
            return ""
        if display == "%tm":
            return f"{1960 + int(v) // 12:04d}-{int(v) % 12 + 1:02d}"
        if display == "%td":
            return (pd.Timestamp(1960, 1, 1) + pd.Timedelta(days=int(v))).strftime("%Y-%m-%d")
        moment = stata_clock(v, leap_seconds=display == "%tC")
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    assert got == [expected(v) for v in values]


@pytest.mark.parametrize("letter", ["h", "w"])
def test_spss_refuses_half_years_and_weeks_naming_the_column(tmp_path, letter):
    # Before: a bare KeyError 'th' / 'tw' from the SPSS format table.
    frame = pd.DataFrame({"t": pd.to_datetime(["2019-01-01", "2019-07-01"]), "y": [1.0, 2.0]})
    with pytest.raises(InputError, match=r"column 't'.*\.dta") as err:
        write_stat_file(frame, tmp_path / "x.sav", periods={"t": letter})
    assert "quarters" in str(err.value)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_an_unknown_period_letter_is_refused_naming_the_column(tmp_path, suffix):
    # Before: a pandas ValueError from the Stata writer's format.
    frame = pd.DataFrame({"t": pd.to_datetime(["2019-01-01", "2019-04-01"]), "y": [1.0, 2.0]})
    with pytest.raises(InputError, match=r"column 't'.*q \(quarters\), h \(half-years\)"):
        write_stat_file(frame, tmp_path / f"x{suffix}", periods={"t": "x"})
    assert not list(tmp_path.iterdir())
