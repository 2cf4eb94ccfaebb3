"""When a year is posted again and the ledger writes a reversal and a new batch, the
result says why: the rule set changed (its digest before and after — e.g. sanming.yaml
edited), the inputs changed, or both; ``payment settle --ledger`` prints it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import (
    Ledger,
    SpendingTable,
    load_rules,
    settle_year,
    settlement_inputs,
)

from .conftest import sanming_text_before_36

runner = CliRunner()
EX = Path(__file__).resolve().parents[2] / "examples" / "payment"


def _edited_sanming(tmp_path) -> Path:
    """sanming.yaml as before session 36 with the premium raised from 640 to 650 yuan:
    another digest."""
    text = sanming_text_before_36()
    assert "base_yuan: 640" in text
    path = tmp_path / "sanming.yaml"
    path.write_text(text.replace("base_yuan: 640", "base_yuan: 650"), encoding="utf-8")
    return path


def _record(youxi, rules, spending=None):
    inputs = settlement_inputs(
        rules,
        2018,
        spending=spending or youxi["spending"],
        population=youxi["population"],
        indicators=youxi["indicators"],
        staff=youxi["staff"],
    )
    return settle_year(rules, inputs)


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_changed_rule_set_is_named_with_both_digests(tmp_path, youxi):
    edited = load_rules(_edited_sanming(tmp_path))
    old_digest, new_digest = load_rules("sanming").digest, edited.digest
    assert old_digest != new_digest
    with Ledger(tmp_path / "l.sqlite") as ledger:
        first = ledger.post(_record(youxi, load_rules("sanming")))
        again = ledger.post(_record(youxi, edited))
    assert first.reason is None
    assert again.status == "replaced" and again.replaced_batch_id == first.batch_id
    assert again.reason == (
        f"the rule set changed: sanming 2018.1 digest {old_digest} → sanming 2018.1 digest "
        f"{new_digest}; the inputs are unchanged"
    )


def test_changed_inputs_are_named_with_the_rule_set_unchanged(tmp_path, youxi):
    frame = youxi["spending"].to_frame()
    at = frame.index[(frame["year"] == 2018) & (frame["setting"] == "consortium")][0]
    frame.loc[at, "insurance_paid_fen"] += 100  # one yuan more
    more = SpendingTable.from_frame(frame, source="spending, one yuan more")
    with Ledger(tmp_path / "l.sqlite") as ledger:
        ledger.post(_record(youxi, load_rules("sanming")))
        again = ledger.post(_record(youxi, load_rules("sanming"), spending=more))
    digest = load_rules("sanming").digest
    assert again.status == "replaced"
    assert (
        again.reason == f"the inputs changed; the rule set is unchanged (sanming digest {digest})"
    )


@pytest.mark.usefixtures("former_sanming_rules")
def test_settle_says_it_reposted_because_the_rule_set_changed(tmp_path):
    settle = ["payment", "settle", "--year", "2018", "--assume-passed"]
    settle += ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]
    settle += ["--ledger", str(tmp_path / "l.sqlite")]
    assert runner.invoke(app, [*settle, "--rules", "sanming"]).exit_code == 0
    edited = _edited_sanming(tmp_path)
    r = runner.invoke(app, [*settle, "--rules", str(edited)])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    old, new = load_rules("sanming").digest, load_rules(edited).digest
    assert (
        "replaced batch 1: reversal batch 2 and new batch 3 written because the rule set "
        f"changed: sanming 2018.1 digest {old} → sanming 2018.1 digest {new}; the inputs are "
        "unchanged"
    ) in text
    r = runner.invoke(app, [*settle, "--rules", "sanming", "--json"])
    ledger = json.loads(r.stdout)["ledger"]
    assert ledger["status"] == "replaced" and ledger["replaced_batch_id"] == 3
    assert ledger["reason"].startswith(f"the rule set changed: sanming 2018.1 digest {new} → ")
