"""In-year budget tracking from a store, and ``ihms payment track`` (review item #13).

The store is the tiny county of ``tests/indicators/conftest.py`` (county c1, ten insured
residents, data for 2016-01-01 to 2017-12-31) with one claim added: r6's outpatient visit
o6 at the county hospital CH (2 April 2017, 12,500 fen from insurance at the point of
service) settled on 10 July 2017 for 12,000 fen. Worked by hand, spending charged to the
sanming budget (consortium care and care outside the county, private none):

- 2016, by encounter: May 280,000 (i1 as its claim settled), June 44,500 (o1 10,000 +
  o2 2,500 + o3 12,000 + o4 at PH 20,000), August 70,000 (i2), November 1,000,000 (i3 at
  PH); the year 1,394,500, of which January to June 324,500 (and to July the same).
- 2017, by encounter: February 80,000 (i4), April o5 1,500 + o6 12,000 as settled,
  September 400,000 (i5): the year 493,500.
- The 2017 budget: 10 insured × the 640.00-yuan premium (sanming.yaml, 2017) = 6,400.00
  yuan pooled, less the 3 % private and 5 % risk reserves (192.00 + 320.00): 5,888.00
  yuan, 588,800 fen.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest
from tests.indicators.conftest import tiny_frames
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Dataset, Period, Store
from ihms.errors import InputError
from ihms.payment import load_rules, round_fen, spending_from_store, tracking_from_store

from .conftest import former_sanming

runner = CliRunner()
# the figures here were worked by hand with the premium before session 36 (640 yuan in
# 2017 grown 6 %): the former rule text (conftest.former_sanming_rules says why)
SANMING = former_sanming()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    late = pd.DataFrame(
        {
            "claim_id": ["c9"],
            "encounter_id": ["o6"],
            "settled_date": [date(2017, 7, 10)],
            "insurance_paid_fen": [12000],
            "out_of_pocket_fen": [13000],
        }
    )
    return store_with_claims(tmp_path_factory.mktemp("track") / "ihms.duckdb", late)


def store_with_claims(path, claims: pd.DataFrame):
    """The tiny county's store (2016–2017) at ``path`` with ``claims`` added."""
    frames = tiny_frames()
    frames["claims"] = pd.concat([frames["claims"], claims], ignore_index=True)
    data = Dataset.from_frames(frames, period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    with Store(path) as s:
        s.write(data)
    return path


def _track(store_path, through, **kw):
    with Store(store_path, read_only=True) as s:
        return tracking_from_store(s, SANMING, year=2017, through=through, **kw)


def _row(t, month):
    return next(r for r in t.rows if r["month"] == month)


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_claim_settled_after_the_month_tracked_is_named_and_left_out(store_path):
    t = _track(store_path, "2017-06")
    assert t.counties[0].budget_fen == 588_800
    # April: o5 1,500 paid; o6's claim is settled in July, after June: not yet paid
    april = _row(t, 4)
    assert (april["spent_fen"], april["late_claims"], april["late_fen"]) == (1_500, 1, 12_000)
    june = _row(t, 6)
    assert june["to_date_fen"] == 81_500  # 80,000 + 1,500
    # the 2016 profile: 324,500 of 1,394,500 fell in January to June (23.27 %);
    # projected 81,500 × 1,394,500 / 324,500 = 350,236.52 → 350,237 fen
    assert june["expected_pct"] == Decimal("23.27")
    assert june["projected_fen"] == round_fen(Fraction(81_500 * 1_394_500, 324_500)) == 350_237
    assert june["projected_balance_fen"] == 588_800 - 350_237
    assert june["over_budget"] is False
    said = " ".join(t.notes)
    assert "2017-04 has 1 claim(s) settled after 2017-06, 120.00 yuan" in said
    assert "monthly profile of 2016" in said
    assert "by the encounter's date, paid by the end of 2017-06" in said


def test_once_the_claim_is_paid_its_month_counts_it(store_path):
    t = _track(store_path, "2017-07")
    april = _row(t, 4)
    assert (april["spent_fen"], april["late_claims"]) == (13_500, 0)  # 1,500 + 12,000
    # 93,500 × 1,394,500 / 324,500 = 401,805.08 → 401,805
    assert _row(t, 7)["projected_fen"] == 401_805
    assert not any("settled after" in n for n in t.notes)


def test_dated_by_settlement_the_claim_counts_in_july(store_path):
    t = _track(store_path, "2017-07", date="settled")
    assert (_row(t, 4)["spent_fen"], _row(t, 7)["spent_fen"]) == (1_500, 12_000)
    assert _row(t, 6)["late_claims"] == 0
    assert "by the date its last claim was settled" in " ".join(t.notes)


def test_the_whole_year_tracked_is_the_years_charged_spending(store_path):
    t = _track(store_path, "2017-12")
    dec = _row(t, 12)
    with Store(store_path, read_only=True) as s:
        year = spending_from_store(s).for_year(2017)
    charged = year.consortium_total + year.outside_county
    assert dec["to_date_fen"] == charged == 493_500
    # the profile's share to December is the whole year: the projection is what was spent
    assert (dec["expected_pct"], dec["projected_fen"]) == (Decimal("100.00"), 493_500)


def test_bad_months_and_budgets_from_the_store_are_refused(store_path):
    with Store(store_path, read_only=True) as s:
        with pytest.raises(InputError, match=r"2018-01 ends after the store's data \(store .* "
                           r"holds 2016-01-01 to 2017-12-31\)"):  # fmt: skip
            tracking_from_store(s, SANMING, year=2018, through="2018-01")
        with pytest.raises(InputError, match="2015-06 is before any data in the store"):
            tracking_from_store(s, SANMING, year=2015, through="2015-06")
        with pytest.raises(InputError, match="set no global budget"):
            tracking_from_store(s, load_rules("fee-for-service"), year=2017, through="2017-03")
        # other-areas sets 2016's budget from 2015's spending, which the store lacks
        with pytest.raises(InputError, match=r"county c1: no budget for 2016: .*2015"):
            tracking_from_store(s, load_rules("other-areas"), year=2016, through="2016-03")
        with pytest.raises(InputError, match="county: 'out' has no grids of residents"):
            tracking_from_store(s, SANMING, year=2017, through="2017-03", counties=["out"])
        # sanming's premium starts in 2017 (its budget for 2016 is refused, naming it)
        with pytest.raises(InputError, match=r"county c1: no budget for 2016: .*premium"):
            tracking_from_store(s, SANMING, year=2016, through="2016-06")
        # January 2017 had no insurance-paid spending at all
        with pytest.raises(
            InputError, match="no spending charged to the budget in 2017 to 2017-01"
        ):
            tracking_from_store(s, SANMING, year=2017, through="2017-01")


def _cli(store_path, *extra):
    args = ["payment", "track", "--store", str(store_path), "--year", "2017", *extra]
    return runner.invoke(app, args)


@pytest.mark.usefixtures("former_sanming_rules")
def test_cli_json_gives_the_months_in_fen(store_path):
    r = _cli(store_path, "--through", "2017-06", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert (d["rules"], d["through"]) == ("sanming", "2017-06")
    assert d["counties"][0] == {
        "county": "c1",
        "budget_fen": 588_800,
        "projection": "profile",
        "profile_years": [2016],
        "fallback": None,
    }
    june = d["months"][-1]
    assert (june["month"], june["projected_fen"], june["over_budget"]) == (
        "2017-06",
        350_237,
        False,
    )
    assert d["months"][3]["late_fen"] == 12_000
    linear = json.loads(_cli(store_path, "--through", "2017-06", "--json",
                             "--projection", "linear").stdout)  # fmt: skip
    # 81,500 × 12 / 6 = 163,000
    assert linear["months"][-1]["projected_fen"] == 163_000


def test_cli_prints_the_tables_and_writes_them(store_path, tmp_path):
    r = _cli(store_path, "--through", "2017-06")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "Budget execution 2017 to 2017-06" in text and "by month to 2017-06" in text
    assert text.count("monthly profile of 2016") == 1  # the notes once
    out = tmp_path / "track.xlsx"
    r = _cli(store_path, "--through", "2017-06", "--out", str(out))
    assert r.exit_code == 0, r.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["tracking", "months"]
    cells = [c for row in book["tracking"].iter_rows(values_only=True) for c in row]
    assert 3502.37 in cells  # the projection, a number cell in yuan
    csv = tmp_path / "track.csv"
    assert _cli(store_path, "--through", "2017-06", "--out", str(csv)).exit_code == 0
    assert (tmp_path / "track-months.csv").is_file()
    months = pd.read_csv(tmp_path / "track-months.csv", dtype=str)
    assert months["spent_yuan"].tolist()[:4] == ["0.00", "800.00", "0.00", "15.00"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--through", "2018-03"], "--through: 2018-03 is outside the budget year 2017"),
        (["--through", "June"], "--through: expected a month written 2018-06, 2018年6月"),
        (["--through", "2017-12", "--county", "zz"], "--county: no county 'zz' in store"),
        (["--through", "2017-06", "--county", "c1", "--county", "c1"],
         "--county: c1 given more than once"),
        (["--through", "2017-06", "--rules", "fee-for-service"], "set no global budget"),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_line_and_exit_2(store_path, args, said):
    r = _cli(store_path, *args)
    assert r.exit_code == 2, r.output
    assert said in " ".join(r.output.split())
    assert "Traceback" not in r.output


def test_cli_refuses_a_store_that_is_not_there(tmp_path):
    r = _cli(tmp_path / "none.duckdb", "--through", "2017-06")
    assert r.exit_code == 2
    assert "no store file there" in r.output


@pytest.fixture(scope="module")
def two_counties(tmp_path_factory):
    """The same store with the consortium over two counties: r7 and r8 live in grid g3 of
    county ``out``, whose provincial hospital PH joins the consortium."""
    frames = tiny_frames()
    frames["grids"] = pd.concat(
        [frames["grids"], pd.DataFrame({"grid_id": ["g3"], "name": ["Grid three"],
                                        "county_id": ["out"]})],
        ignore_index=True,
    )  # fmt: skip
    res = frames["residents"]
    frames["residents"] = res.assign(
        grid_id=res["grid_id"].where(~res["resident_id"].isin(["r7", "r8"]), "g3")
    )
    frames["consortium_members"] = pd.concat(
        [frames["consortium_members"], pd.DataFrame({"consortium_id": ["cmc"], "institution_id": ["PH"]})],
        ignore_index=True,
    )  # fmt: skip
    data = Dataset.from_frames(frames, period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    path = tmp_path_factory.mktemp("track2") / "ihms.duckdb"
    with Store(path) as s:
        s.write(data)
    return path


@pytest.mark.usefixtures("former_sanming_rules")
def test_two_counties_of_one_consortium_and_their_total_worked_by_hand(two_counties):
    r = _cli(two_counties, "--through", "2017-06", "--county", "c1", "--county", "out", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    june = {m["county"]: m for m in d["months"] if m["month"] == "2017-06"}
    # budgets: 8 insured in c1 and 2 in out × 640.00 yuan × (1 − 3 % − 5 %)
    assert (june["c1"]["budget_fen"], june["out"]["budget_fen"]) == (471_040, 117_760)
    # c1 (r1–r6, r9, r10): 2016 charged May 280,000 (i1), June 12,500 (o1, o2), August
    # 70,000 (i2): 362,500, of which 292,500 by June; 2017 to June April's o5 1,500 + o6
    # 12,500 (this store has no late claim): 14,000 × 362,500 / 292,500 = 17,350.43 → 17,350
    assert (june["c1"]["to_date_fen"], june["c1"]["projected_fen"]) == (14_000, 17_350)
    # out (r7, r8; PH its member, c1's institutions outside it): 2016 June 12,000 (o3 at CH)
    # + 20,000 (o4 at PH), November 1,000,000 (i3): 1,032,000, of which 32,000 by June,
    # 3.10 %: under a quarter of the even 50 %, the profile (80,000 × 1,032,000 / 32,000 =
    # 2,580,000) gives way to linear; 2017 February i4 at THC2, 80,000 × 12 / 6 = 160,000
    assert (june["out"]["to_date_fen"], june["out"]["projected_fen"]) == (80_000, 160_000)
    assert june["out"]["projected_balance_fen"] == 117_760 - 160_000
    assert d["counties"][1]["projection"] == "linear"
    # the consortium: 588,800 budget, 94,000 to date, 17,350 + 160,000 projected
    total = june["total"]
    assert (total["budget_fen"], total["to_date_fen"]) == (588_800, 94_000)
    assert (total["projected_fen"], total["over_budget"]) == (177_350, False)
    assert [c["county"] for c in d["counties"]] == ["c1", "out"]


def test_a_month_the_store_holds_in_part_is_refused_naming_the_last_whole_one():
    from types import SimpleNamespace

    from ihms.payment.tracking_from_store import _check_period

    store = SimpleNamespace(path="db", period=Period(date(2016, 1, 1), date(2018, 6, 15)))
    with pytest.raises(InputError, match=r"holds 2016-01-01 to 2018-06-15.*at most to 2018-05"):
        _check_period(store, 2018, 6)
    assert _check_period(store, 2018, 5) == (date(2016, 1, 1), date(2018, 6, 15))
    january = SimpleNamespace(path="db", period=Period(date(2016, 1, 1), date(2018, 1, 20)))
    with pytest.raises(InputError, match="ends after the store's data") as caught:
        _check_period(january, 2018, 1)
    assert "at most" not in str(caught.value)  # December 2017 is another budget year
