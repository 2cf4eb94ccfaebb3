"""examples/columns/his_map.yaml, which the README shows, is a map ihms reads."""

from __future__ import annotations

from ihms.data import read_column_map


def test_the_example_map_reads_and_covers_the_required_columns():
    columns = read_column_map("examples/columns/his_map.yaml")
    assert columns.renames["encounters"]["就诊日期"] == "date"
    assert columns.renames["residents"]["患者ID"] == "resident_id"
    assert columns.origin == "his_map.yaml"
    assert columns.digest.startswith("sha256:") and len(columns.digest) == 7 + 64
