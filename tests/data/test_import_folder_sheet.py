"""``import_folder`` takes ``sheet`` as ``read_tables`` and ``data import --sheet`` do
(review of the data import, 2026-11-25, finding 15)."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from ihms.data import Pseudonymiser, Store, import_folder


def test_import_folder_reads_the_sheet_named(csv_folder, youxi, key_file, tmp_path):
    csv = csv_folder / "encounters.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    book = Workbook()
    first = book.active
    first.title = "2015"
    first.append(["note"])
    first.append(["an earlier extract"])
    chosen = book.create_sheet("2016-2019")
    chosen.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        chosen.append([None if v == "" else v for v in row])
    book.save(csv_folder / "encounters.xlsx")
    csv.unlink()
    p = Pseudonymiser.from_env(key_file=key_file)
    import_folder(
        csv_folder, tmp_path / "s.duckdb", pseudonymiser=p, system=youxi, sheet="2016-2019"
    )
    with Store(tmp_path / "s.duckdb", read_only=True) as s:
        assert s.info().row_counts["encounters"] == 4
