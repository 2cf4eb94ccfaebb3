from __future__ import annotations

from ihms.data import SCHEMA_VERSION, SCHEMAS, schema_markdown


def test_every_reference_points_at_an_existing_key():
    for table in SCHEMAS.values():
        for col in table.columns:
            if col.references:
                ref_table, ref_col = col.references.split(".")
                assert SCHEMAS[ref_table].primary_key == (ref_col,), col.references


def test_money_columns_are_integer_fen():
    for table in SCHEMAS.values():
        for col in table.columns:
            if col.name.endswith("_fen"):
                assert col.dtype == "int64" and col.unit == "fen", (table.name, col.name)


def test_arrow_schema_and_dictionary():
    schema = SCHEMAS["encounters"].to_arrow()
    assert schema.field("total_cost_fen").nullable is False
    assert schema.field("length_of_stay_days").nullable is True
    assert schema.metadata[b"ihms_schema_version"].decode() == SCHEMA_VERSION
    text = schema_markdown()
    for name in SCHEMAS:
        assert f"## `{name}`" in text


def test_schema_1_1_adds_an_optional_registration_date():
    col = SCHEMAS["residents"].column("fp_registered_date")
    assert (col.dtype, col.required) == ("date", False)
    assert SCHEMAS["residents"].to_arrow().field("fp_registered_date").nullable
    assert "| `fp_registered_date` | date | no |" in schema_markdown()


def test_schema_1_3_makes_sex_optional_null_meaning_not_known():
    col = SCHEMAS["residents"].column("sex")
    assert (col.required, col.allowed) == (False, ("F", "M"))
    assert SCHEMAS["residents"].to_arrow().field("sex").nullable
    assert "| `sex` | string | no |  | F, M |  | F or M; null if not known" in schema_markdown()
    assert schema_markdown().startswith("# ihms data dictionary (schema 1.3)")
