"""A column named differently is one problem, naming the column it was probably meant
for (a user walk: ``visit_date`` for ``date`` was two lines, a missing column and an
unknown one)."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms._column_hints import missing_column_hints
from ihms.data import read_tables
from ihms.data._table_coerce import coerce_table
from ihms.data.dataset import RowLabels
from ihms.data.schema import SCHEMAS
from ihms.errors import DataError


def _rename_header(csv_folder, name, old, new):
    path = csv_folder / name
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    assert old in header.split(",")
    path.write_text(
        ",".join(new if c == old else c for c in header.split(",")) + "\n" + rest,
        encoding="utf-8",
    )


def _problems(csv_folder, youxi) -> list[str]:
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    return err.value.problems


def test_a_renamed_required_column_is_one_problem_naming_the_column_given(csv_folder, youxi):
    _rename_header(csv_folder, "encounters.csv", "date", "visit_date")
    problems = [p for p in _problems(csv_folder, youxi) if p.startswith("encounters.csv")]
    assert problems == [
        "encounters.csv: missing required column 'date' — did you mean 'visit_date'?"
    ]


def test_an_amount_without_its_unit_names_both_forms(csv_folder, youxi):
    _rename_header(csv_folder, "encounters.csv", "total_cost_yuan", "total_cost")
    problems = [p for p in _problems(csv_folder, youxi) if p.startswith("encounters.csv")]
    assert problems == [
        "encounters.csv: missing required column 'total_cost_fen' — 'total_cost' has no unit: "
        "give it in fen as 'total_cost_fen' or in yuan as 'total_cost_yuan'"
    ]


def test_an_optional_amount_without_its_unit_names_both_forms():
    schema = SCHEMAS["resources"]
    frame = pd.DataFrame({"institution_id": ["YX-CH01"], "year": ["2018"], "revenue": ["12.5"]})
    problems = coerce_table(frame, schema, RowLabels("resources.csv", first_row=2)).problems
    assert problems == [
        "resources.csv: unknown column 'revenue'; it is an amount: give it in fen as "
        "'revenue_fen' or in yuan as 'revenue_yuan'"
    ]


def test_an_unrelated_column_is_not_named_for_a_missing_one():
    assert missing_column_hints(["institution_id"], ["remarks", "resident_name"]) == {}
    # the closest pair first, each column named once
    assert missing_column_hints(["date", "type"], ["visit_date", "visit_type"]) == {
        "date": ("visit_date", " — did you mean 'visit_date'?"),
        "type": ("visit_type", " — did you mean 'visit_type'?"),
    }
    # written differently (case) is the same name
    assert missing_column_hints(["date"], ["Visit_Date", "DATE"])["date"][0] == "DATE"


def test_a_required_amount_missing_names_its_yuan_form_too():
    schema = SCHEMAS["claims"]
    frame = pd.DataFrame(
        {
            "claim_id": ["C1"],
            "encounter_id": ["E1"],
            "settled_date": ["2022-05-20"],
            "insurance_paid_yuan": ["3400.00"],
        }
    )
    problems = coerce_table(frame, schema, RowLabels("claims.csv", first_row=2)).problems
    assert problems == [
        "claims.csv: missing required column 'out_of_pocket_fen' (or 'out_of_pocket_yuan', in yuan)"
    ]


def test_a_his_export_with_its_own_headers_is_one_problem_listing_the_names_to_use():
    # A hospital information system's export, headers as it writes them: before, 17
    # lines (8 missing columns, then 9 unknown ones) and no word that they must be renamed.
    schema = SCHEMAS["encounters"]
    headers = ["就诊流水号", "患者ID", "机构编码", "就诊日期", "就诊类型", "总费用", "统筹支付"]
    frame = pd.DataFrame([["1"] * len(headers)], columns=headers)
    problems = coerce_table(frame, schema, RowLabels("门诊明细.csv", first_row=2)).problems
    assert problems == [
        "门诊明细.csv: none of its 7 columns (就诊流水号, 患者ID, 机构编码, 就诊日期, 就诊类型, "
        "...) is a column of table 'encounters': map them once with --columns MAP.yaml "
        "(encounters: {就诊流水号: ...}, reused with every export) or rename them to the "
        "schema's names — required: encounter_id, resident_id, institution_id, date, "
        "type, total_cost_fen (or total_cost_yuan), insurance_paid_fen (or "
        "insurance_paid_yuan), out_of_pocket_fen (or out_of_pocket_yuan); `ihms data "
        "schema --markdown` lists every column"
    ]
