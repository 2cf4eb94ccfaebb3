import pandas as pd

from ihms.demo import DemoContext
from ihms.demo._payment import payment_sections
from ihms.payment import SpendingTable


def _ctx(tmp_path, **artefacts):
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.work_dir.mkdir(parents=True)
    ctx.artefacts.update(artefacts)
    return ctx


def test_demo_sections_from_example_tables(tmp_path):
    ctx = _ctx(tmp_path)
    sections = payment_sections(ctx)
    ids = [s.id for s in sections]
    assert ids == [
        "payment-rules",
        "payment-2017",
        "payment-2018",
        "payment-2019",
        "payment-compare",
        "payment-ledger",
    ]
    by_id = {s.id: s for s in sections}
    assert by_id["payment-rules"].mirrors == "Zhong et al. 2023, Table 1"
    assert {t.name for t in by_id["payment-2018"].tables()} >= {
        "budget",
        "settlement",
        "distribution",
        "salaries",
    }
    assert len(by_id["payment-compare"].figures()) == 1
    records = ctx.artefacts["payment_records"]
    # 2017, the year the reform began (October), is the baseline: shown, not settled
    assert sorted(records) == [2018, 2019]
    assert {t.name for t in by_id["payment-2017"].tables()} == {"baseline"}
    # the report's prose quotes the records' own numbers
    text = " ".join(b.text for b in by_id["payment-2018"].blocks if hasattr(b, "text"))
    assert f"{records[2018].budget.global_budget_fen / 1e8:,.2f} million yuan" in text
    # without the simulated county's store the staff and their values are the example's
    # invented ones, and the report says so and why, naming where real data give them
    assert (
        "The staff's own scorecard values are illustrative too, from "
        "examples/payment/indicators.csv: this run has no simulated county's data store, so "
        "there are no staff activity records to count them from. The doctors' indicators "
        "(health education sessions held in the year; share of the doctor's chronic patients "
        "under standardized management; days consulting at a lower-tier institution) would "
        "come from the county's records: the staff_activities table gives the sessions and "
        "consultation days"
    ) in text
    salaries = next(t for t in by_id["payment-2018"].tables() if t.name == "salaries")
    assert "DR-CH01-A" in salaries.table.to_frame().index  # the example's roster, by name
    ledger_text = " ".join(b.text for b in by_id["payment-ledger"].blocks if hasattr(b, "text"))
    assert "wrote 0 postings" in ledger_text


def test_demo_takes_spending_from_artefacts(tmp_path, example_dir):
    frame = SpendingTable.read(example_dir / "spending.csv").to_frame()
    frame["insurance_paid_fen"] = (frame["insurance_paid_fen"] * 0.9).round().astype("int64")
    frame["total_cost_fen"] = pd.NA
    ctx = _ctx(tmp_path, spending=frame)
    sections = payment_sections(ctx)
    rec = ctx.artefacts["payment_records"][2018]
    assert rec.consortium_fen == int(
        frame.query("year == 2018 and setting == 'consortium'")["insurance_paid_fen"].sum()
    )
    assert "simulator" in " ".join(b.text for b in sections[0].blocks if hasattr(b, "text"))
