"""A refund or reversal row (退费, 冲销: a negative amount, as settlement systems export
them) is refused with what to do about it, not only "expected an amount ≥ 0"."""

from __future__ import annotations

import pytest

from ihms.data import read_tables
from ihms.errors import DataError


def test_a_negative_claim_says_to_net_the_refund_into_the_claim_it_corrects(csv_folder, youxi):
    (csv_folder / "claims.csv").write_text(
        "claim_id,encounter_id,settled_date,insurance_paid_yuan,out_of_pocket_yuan\n"
        "C1,V0003,2017-07-01,9000.00,3000.00\n"
        "C1-R,V0003,2017-08-01,-500.00,500.00\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert (
        "column 'insurance_paid_yuan' of claims.csv row 3: expected an amount ≥ 0.00 yuan, "
        "got -500.00 yuan; a refund or reversal (退费, 冲销) is no claim of its own: net it "
        "into the claim it corrects (an encounter's claims are summed)"
    ) in err.value.problems


def test_a_negative_encounter_amount_says_to_net_it(csv_folder, youxi):
    path = csv_folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace("15,0,15,,,", "-15,0,-15,,,"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert any(
        p.endswith(
            "got -15.00 yuan; a refund or reversal (退费, 冲销) is no record of its own: net "
            "it into the record it corrects"
        )
        for p in err.value.problems
    ), err.value.problems


def test_a_negative_total_cost_is_one_problem_not_also_insurance_above_it(csv_folder, youxi):
    # session 23 demo review: a negative total cost was refused, and then again as
    # "insurance paid 60.25 yuan exceeds the total cost -120.50 yuan", a consequence
    path = csv_folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace(",120.50,", ",-120.50,"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert len(err.value.problems) == 1, err.value.problems
    assert "got -120.50 yuan" in err.value.problems[0]
