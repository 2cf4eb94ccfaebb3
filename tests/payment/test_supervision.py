"""The supervision view on the hand-worked store of ``test_staff_from_store``: doctor A's
activities to 30 April 2016 against sanming's doctor card, worked by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.payment import IndicatorValues, load_rules, staff_values_from_store, supervision

from .test_staff_from_store import ROSTER, _store

RATE = IndicatorValues.from_frame(
    pd.DataFrame(
        {
            "year": [2016],
            "subject": ["A"],
            "indicator": ["health_management_rate"],
            "value": ["0.92"],
        }
    ),
    source="ind.csv",
)


def _values(store, through):
    counted = staff_values_from_store(store, 2016, roster=ROSTER, through=through)
    merged = {k: dict(v) for k, v in counted.values.items()}
    merged[2016, "A"].update(RATE.for_subject(2016, "A"))
    return IndicatorValues(merged)


def test_the_year_to_date_against_the_doctor_card(tmp_path):
    through = date(2016, 4, 30)
    with _store(tmp_path / "s.duckdb") as store:
        view = supervision(
            load_rules("sanming"), ROSTER, _values(store, through), 2016, through=through
        )
    lines = {(ln.staff_id, ln.indicator): ln for ln in view.lines}
    # 1 Jan - 30 Apr 2016 (a leap year): 31 + 29 + 31 + 30 = 121 of 366 days.
    # A by then: sessions 1 Jan and two on 1 Mar = 3; consultation days 5 Apr = 1.
    a_sessions = lines["A", "health_education_sessions"]
    assert a_sessions.value == 3
    assert a_sessions.target == 24  # capped ratio target
    assert a_sessions.due == Decimal(24) * 121 / 366  # 7.93...
    assert (a_sessions.on_track, a_sessions.score) == (False, Decimal(3) / 24)
    a_days = lines["A", "thc_consultation_days"]
    assert (a_days.value, a_days.target) == (1, 12)
    assert a_days.due == Decimal(12) * 121 / 366  # 3.97...
    assert (a_days.on_track, a_days.score) == (False, 0)
    a_rate = lines["A", "health_management_rate"]  # a rate: against its target, no pace
    assert (a_rate.value, a_rate.target, a_rate.due) == (Decimal("0.92"), Decimal("0.9"), None)
    assert (a_rate.on_track, a_rate.score) == (True, 1)
    # B: nothing recorded counts 0 (behind), no rate given (no value, not 0)
    assert lines["B", "thc_consultation_days"].value == 0
    assert lines["B", "thc_consultation_days"].on_track is False
    b_rate = lines["B", "health_management_rate"]
    assert (b_rate.value, b_rate.on_track, b_rate.score) == (None, None, None)
    # 5 April's day and 31 December's, whole year: due is the target
    with _store(tmp_path / "y.duckdb") as store:
        year = supervision(
            load_rules("sanming"), ROSTER, _values(store, None), 2016, through=date(2016, 12, 31)
        )
    full = {(ln.staff_id, ln.indicator): ln for ln in year.lines}
    assert full["A", "thc_consultation_days"].value == 2
    assert full["A", "thc_consultation_days"].due == 12


def test_a_day_outside_the_year_is_refused(tmp_path):
    with (
        _store(tmp_path / "s.duckdb") as store,
        pytest.raises(InputError, match="through 2017-01-01: expected a day in 2016"),
    ):
        staff_values_from_store(store, 2016, roster=ROSTER, through=date(2017, 1, 1))
    with pytest.raises(InputError, match="expected a day in 2016"):
        supervision(load_rules("sanming"), ROSTER, RATE, 2016, through=date(2017, 1, 1))
    with pytest.raises(InputError, match="have no staff scorecards"):
        supervision(load_rules("fee-for-service"), ROSTER, RATE, 2016, through=date(2016, 1, 1))


def test_the_command_shows_the_month_to_date(tmp_path):
    _store(tmp_path / "s.duckdb").close()
    staff = tmp_path / "staff.csv"
    roster_csv = "staff_id,role,institution_id,base_salary_fen\nA,doctor,H1,20000000\n"
    staff.write_text(roster_csv, encoding="utf-8")
    ind = tmp_path / "ind.csv"
    ind.write_text(
        "year,subject,indicator,value\n2016,A,health_management_rate,0.92\n", encoding="utf-8"
    )
    args = ["payment", "supervision", "--store", str(tmp_path / "s.duckdb"), "--staff", str(staff)]
    r = CliRunner().invoke(
        app, [*args, "--year", "2016", "--month", "4", "--indicators", str(ind), "--json"]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["through"] == "2016-04-30"
    lines = {ln["indicator"]: ln for ln in out["lines"]}
    assert lines["health_education_sessions"]["value"] == "3"
    assert lines["health_education_sessions"]["due"] == "7.9344"  # 24 x 121 / 366
    assert lines["thc_consultation_days"]["on_track"] is False
    # A's card: 43.75 points to date, 51.3 at this pace (worked in the test above)
    assert out["cards"] == [
        {
            "staff_id": "A",
            "role": "doctor",
            "points": "43.8",
            "points_at_pace": "51.3",
            "pass_mark": "60",
            "would_pass": False,
            "missing": [],
        }
    ]
    r = CliRunner().invoke(app, [*args, "--year", "2016", "--month", "4", "--indicators", str(ind)])
    assert r.exit_code == 0, r.output
    assert "Scorecard indicators of 2016 to 2016-04-30" in r.output
    text = " ".join(r.output.split())
    assert "Scorecard totals of 2016 to 2016-04-30" in text
    assert "51.3" in text and "would not" in text  # the verdict's cell may wrap


def test_each_card_total_to_date_and_at_this_pace_against_the_pass_mark(tmp_path):
    through = date(2016, 4, 30)  # 121 of 366 days
    with _store(tmp_path / "s.duckdb") as store:
        view = supervision(
            load_rules("sanming"), ROSTER, _values(store, through), 2016, through=through
        )
    cards = {c.staff_id: c for c in view.cards}
    a = cards["A"]
    # sanming's doctor card (pass mark 60): sessions 0.3 x capped(v / 24), management rate
    # 0.4 x linear(0.5 -> 0.9), consultation days 0.3 x (v >= 12).
    # To date: 0.3 x 3/24 + 0.4 x 1 + 0.3 x 0 = 0.4375 -> 43.75 points.
    assert a.points == Decimal("43.75")
    # At this pace: 3 sessions x 366/121 = 9.07 -> 0.3 x 9.07/24; 1 day x 366/121 = 3.02
    # days, below 12 -> 0; the rate as it stands -> 0.4: 51.34 points, below 60.
    assert (
        a.points_at_pace == (Decimal("0.3") * (3 * Decimal(366) / 121) / 24 + Decimal("0.4")) * 100
    )
    assert (a.shown(a.points_at_pace), a.pass_mark, a.would_pass) == (
        Decimal("51.3"),
        Decimal("60"),
        False,
    )
    assert a.verdict == "would not pass at this pace"
    # B has no management rate: no total and no verdict, never a guess
    b = cards["B"]
    assert (b.points, b.points_at_pace, b.would_pass) == (None, None, None)
    assert b.verdict == "no verdict: no value of health_management_rate"
    # C (given by hand): 8 sessions and 4 days by 30 April, rate 0.9. To date 0.3 x 8/24
    # + 0.4 + 0 = 50 points; at this pace 24.2 sessions (capped at 1), 12.1 days (>= 12)
    # and the rate: 100 points, a pass though today's 50 is below the mark.
    c_values = IndicatorValues(
        {
            (2016, "C"): {
                "health_education_sessions": Decimal(8),
                "thc_consultation_days": Decimal(4),
                "health_management_rate": Decimal("0.9"),
            }
        }
    )
    c = {
        x.staff_id: x
        for x in supervision(load_rules("sanming"), ROSTER, c_values, 2016, through=through).cards
    }["C"]
    assert (c.points, c.points_at_pace, c.would_pass) == (Decimal(50), Decimal(100), True)
    assert c.verdict == "would pass at this pace"
    table = view.cards_summary().to_frame()
    assert table.loc[0, "Verdict"] == "would not pass at this pace"
    # the table holds the points as shown, numbers (none: missing), and prints them so,
    # right-aligned as numbers
    assert list(table["Points to date"]) == [Decimal("43.8"), None, None]
    assert list(table["Pass mark"]) == [Decimal(60)] * 3
    rows = view.cards_summary().to_text().splitlines()[4:7]
    assert [r.split()[2] for r in rows] == ["43.8", "—", "—"]
    assert rows[0].startswith("A      doctor            43.8                 51.3         60  ")


def _command(tmp_path, rows: str, activities=None) -> tuple[list[str], str]:
    """The supervision command's arguments on the hand-worked store (``activities``:
    its staff activities, default the hand-worked ones) and doctor A's roster, and the
    indicator file holding ``rows``."""
    extra = {} if activities is None else {"activities": activities}
    _store(tmp_path / "s.duckdb", **extra).close()
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "staff_id,role,institution_id,base_salary_fen\nA,doctor,H1,20000000\n", encoding="utf-8"
    )
    ind = tmp_path / "ind.csv"
    ind.write_text("year,subject,indicator,value\n" + rows, encoding="utf-8")
    store = str(tmp_path / "s.duckdb")
    args = ["payment", "supervision", "--store", store, "--staff", str(staff)]
    return [*args, "--year", "2016", "--month", "4"], str(ind)


def test_the_command_reads_a_former_indicator_id_with_a_note(tmp_path):
    # primary_care_healthcare_share is INDICATOR_ALIASES' former id of
    # healthcare_visits_primary_share: read as it, and the note says so
    args, ind = _command(
        tmp_path,
        "2016,A,health_management_rate,0.92\n2016,consortium,primary_care_healthcare_share,0.6\n",
    )
    r = CliRunner().invoke(app, [*args, "--indicators", ind, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["through"] == "2016-04-30"
    assert (
        f"note: {ind}: indicator 'primary_care_healthcare_share' (row 3) is the former id of "
        "'healthcare_visits_primary_share'"
    ) in " ".join(r.stderr.split())


def test_a_store_without_activities_leaves_the_counts_to_the_indicator_file(tmp_path):
    # session 19 user review, F17: the refusal asked for the very file given. README: "A
    # store recording no activities leaves both to --indicators, with a note".
    rows = (
        "2016,A,health_management_rate,0.92\n"
        "2016,A,health_education_sessions,3\n2016,A,thc_consultation_days,1\n"
    )
    args, ind = _command(tmp_path, rows, activities=[])
    r = CliRunner().invoke(app, [*args, "--indicators", ind, "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    lines = {ln["indicator"]: ln for ln in out["lines"]}
    # the file's values, as the store's would have been: the same card as the hand-worked
    # test above (3 sessions, 1 day, 92 % to 30 April: 43.8 points, 51.3 at this pace)
    assert lines["health_education_sessions"]["value"] == "3"
    assert lines["thc_consultation_days"]["value"] == "1"
    assert (out["cards"][0]["points"], out["cards"][0]["points_at_pace"]) == ("43.8", "51.3")
    note = " ".join(r.stderr.split())
    assert "records no staff activities" in note and f"from {ind}" in note
    # without the file: refused, naming the option that gives them
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "holds no staff activities" in " ".join(r.output.split())
    assert "--indicators" in " ".join(r.output.split())
