import sqlite3
from decimal import Decimal

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.payment import Ledger, load_rules, record_postings, settle_year, settlement_inputs
from ihms.payment import ledger as ledger_module


def _record(youxi, rules="sanming", year=2018, **kw):
    r = load_rules(rules)
    inputs = settlement_inputs(
        r,
        year,
        spending=youxi["spending"],
        population=youxi["population"],
        indicators=youxi["indicators"],
        staff=youxi["staff"],
        **kw,
    )
    return settle_year(r, inputs)


def test_post_is_idempotent_and_changes_reverse(tmp_path, youxi):
    rec = _record(youxi)
    with Ledger(tmp_path / "l.sqlite") as ledger:
        first = ledger.post(rec)
        assert first.status == "posted" and first.postings_written == len(record_postings(rec))
        again = ledger.post(rec)
        assert again.status == "unchanged" and again.postings_written == 0
        assert len(ledger.batches()) == 1
        changed = _record(youxi, rules="other-areas")
        third = ledger.post(changed)
        assert third.status == "replaced"
        assert third.postings_written == len(record_postings(rec)) + len(record_postings(changed))
        b = ledger.batches()
        assert list(b["status"]) == ["reversed", "reversal", "active"]
        assert int(b.loc[1, "reverses_batch"]) == first.batch_id
        # the reversal cancels the first batch exactly: net balances equal the new record's
        alone = Ledger(tmp_path / "alone.sqlite")
        alone.post(changed)
        a = ledger.balances(year=2018).set_index("account")["net_fen"]
        b2 = alone.balances(year=2018).set_index("account")["net_fen"]
        assert a.sort_index().to_dict() == b2.sort_index().to_dict()
        alone.close()


def test_ledger_survives_reopening(tmp_path, youxi):
    rec = _record(youxi)
    Ledger(tmp_path / "l.sqlite").post(rec)
    with Ledger(tmp_path / "l.sqlite") as again:
        assert again.post(rec).status == "unchanged"
        stored = again.record(1)
        assert stored["input_digest"] == rec.input_digest
        assert stored["figures"]["balance_fen"] == rec.balance_fen


def test_ledger_is_append_only(tmp_path, youxi):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(_record(youxi))
        for sql in (
            "UPDATE postings SET amount_fen = 1",
            "DELETE FROM postings",
            "UPDATE batches SET year = 1999",
            "DELETE FROM batches",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                ledger.conn.execute(sql)


def test_money_conserved_in_postings(tmp_path, youxi):
    rec = _record(youxi, year=2019)
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(rec)
        net = ledger.balances().set_index("account")["net_fen"].to_dict()
    # pass-through accounts net to zero
    for acc in ("consortium:global_budget", "consortium:balance", "consortium:use:staff_incentive"):
        assert net.get(acc, 0) == 0
    # what left the insurer's fund = outlay + what stays in its reserves
    assert -net["insurer:fund"] == (
        rec.insurer_outlay_fen
        + net.get("insurer:private_reserve", 0)
        + net.get("insurer:risk_adjustment_fund", 0)
    )
    # every institution received exactly its claims
    for inst, fen in rec.inputs.spending.consortium.items():
        salaries = sum(
            ln.annual_salary_fen for ln in rec.salaries.lines if ln.institution_id == inst
        )
        assert net[f"institution:{inst}"] == fen - salaries
    assert sum(v for k, v in net.items() if k.startswith("staff:")) == (
        sum(ln.annual_salary_fen + ln.incentive_fen for ln in rec.salaries.lines)
    )


def test_audit_view_per_institution(tmp_path, youxi):
    rec = _record(youxi)
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(rec)
        view = ledger.audit(2018, institution="CH01")
        assert set(view.postings["institution"]) == {"CH01"}
        net = view.net.set_index("account")["net_fen"].to_dict()
        assert net["institution:CH01"] + sum(
            v for k, v in net.items() if k.startswith("staff:")
        ) == (
            rec.inputs.spending.consortium["CH01"]
            + sum(ln.incentive_fen for ln in rec.salaries.lines if ln.institution_id == "CH01")
        )
        assert "Ledger audit 2018, CH01" in view.summary().title
        assert repr(view) == (  # not both tables
            f"<AuditView: year=2018, institution='CH01', postings={len(view.postings)}, "
            f"accounts={len(view.net)}>"
        )
        # the years it holds, so the user need not list the batches to find them
        with pytest.raises(InputError, match=r"nothing posted for 2016; it holds 2018$"):
            ledger.audit(2016)
        with pytest.raises(InputError, match="nothing posted for 2018 in scope 'x'; it holds no"):
            ledger.audit(2018, scope="x")


def test_nothing_posted_on_bad_input(tmp_path, youxi, monkeypatch):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        with pytest.raises(InputError, match="expected a SettlementRecord"):
            ledger.post({"year": 2018})  # type: ignore[arg-type]
        with pytest.raises(InputError, match="scope"):
            ledger.post(_record(youxi), scope="")

        def explode(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(ledger_module, "insert_postings", explode)
        with pytest.raises(RuntimeError, match="disk full"):
            ledger.post(_record(youxi))
        assert ledger.batches().empty
        assert ledger.postings().empty


def test_not_a_database(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a usable ledger"):
        Ledger(junk).batches()


def test_read_only_ledger_writes_nothing_and_refuses_non_ledgers(tmp_path, youxi):
    path = tmp_path / "ledger.sqlite"
    with pytest.raises(InputError, match="no ledger file"):
        Ledger(path, read_only=True).batches()
    assert not path.exists()  # opening to audit never creates the file
    with Ledger(path) as led:
        led.post(_record(youxi))
    before = path.read_bytes()
    with Ledger(path, read_only=True) as led:
        assert list(led.batches()["status"]) == ["active"]
        with pytest.raises(InputError, match="open read-only"):
            led.post(_record(youxi, year=2019))
    assert path.read_bytes() == before
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE batches (id INTEGER)")  # a name clash, not a ledger
    conn.close()
    for read_only in (False, True):
        with pytest.raises(InputError, match="not an ihms payment ledger"):
            Ledger(other, read_only=read_only).batches()


def test_a_reversal_names_the_batch_it_reverses_by_its_whole_id(tmp_path, youxi):
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(_record(youxi))
        ledger.post(_record(youxi, rules="other-areas"))  # replaced: batches 1, 2, 3
        b = ledger.batches()
    # before: the column came back as floats (NaN for "none"), so the CLI's --json
    # printed "reverses_batch": 1.0 for batch 2, an id a script cannot join on as is
    assert [None if pd.isna(v) else v for v in b["reverses_batch"]] == [None, 1, None]
    assert not any(isinstance(v, float) for v in b["reverses_batch"])


def test_audit_tables_read_in_words_and_show_the_books_balance(tmp_path, youxi):
    rec = _record(youxi)
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(rec)
        year = ledger.audit(2018)
        one = ledger.audit(2018, institution="CH01")
    table = year.summary()
    # double entry: each posting is received by one account and paid by another, so the
    # year's nets add up to nothing; the note says so (before: no total to reconcile to)
    assert sum(table.frame["Net (yuan)"]) == 0
    assert "The accounts net to 0.00" in " ".join(table.notes)
    assert all(isinstance(v, Decimal) for v in table.frame["Net (yuan)"])  # exact yuan
    # one institution's accounts need not balance: no such note
    assert not any("net to" in n for n in one.summary().notes)
    # the postings list names its columns in words, as the batches table does (before:
    # posting_id, batch_id, debit, ... and "yuan")
    postings = one.postings_summary()
    assert list(postings.frame.columns) == [
        "Batch",
        "Batch kind",
        "Debit (receives)",
        "Credit (pays)",
        "Memo",
        "Amount (yuan)",
    ]
    # the institution's care, 81,777,005.51 yuan (examples/payment/spending.csv, CH01 2018)
    assert Decimal("81777005.51") in list(postings.frame["Amount (yuan)"])


def test_audit_totals_by_kind_of_account():
    from ihms.payment.ledger_results import AuditView

    # a hand-made year: the hospital receives 1,000.00 yuan of claims and pays three
    # staff 100.00, 150.50 and 49.50 yuan (300.00 in all); the fund pays the claims
    net = pd.DataFrame(
        {
            "account": [
                "fund:medical_insurance",
                "institution:CH01",
                "staff:a",
                "staff:b",
                "staff:c",
            ],
            "net_fen": [-100000, 70000, 10000, 15050, 4950],
        }
    )
    view = AuditView(year=2018, institution=None, postings=net.iloc[:0], net=net)
    frame = view.kinds_summary().frame
    assert frame.index.tolist() == ["fund", "institution", "staff"]
    assert frame["Accounts"].tolist() == [1, 1, 3]
    assert [str(v) for v in frame["Net (yuan)"]] == ["-1000.00", "700.00", "300.00"]


def test_post_all_posts_every_year_or_none(tmp_path, youxi, monkeypatch):
    # `payment settle --year 2018 --year 2019 --ledger L` posted each year in its own
    # transaction, so a failure at 2019 left 2018 posted; post_all is one transaction
    records = [_record(youxi, year=2018), _record(youxi, year=2019)]
    real = ledger_module.insert_postings

    def fail_at_2019(conn, batch_id, year, rows):
        if year == 2019:
            raise sqlite3.OperationalError("disk I/O error")
        return real(conn, batch_id, year, rows)

    with Ledger(tmp_path / "l.sqlite") as ledger:
        monkeypatch.setattr(ledger_module, "insert_postings", fail_at_2019)
        with pytest.raises(sqlite3.OperationalError):
            ledger.post_all(records)
        assert ledger.batches().empty and ledger.postings().empty
        monkeypatch.setattr(ledger_module, "insert_postings", real)
        done = ledger.post_all(records)
        assert [(p.status, p.year) for p in done] == [("posted", 2018), ("posted", 2019)]
        assert [p.status for p in ledger.post_all(records)] == ["unchanged", "unchanged"]
        with pytest.raises(InputError, match="one settlement per year"):
            ledger.post_all([records[0], records[0]])
