"""An id the data name many times but the system does not know (an outside hospital
left out of the system file) is one problem, not one per row: before, 41 encounters at
'PROVH' were 41 identical lines, and a county's extract would be 100 and a count."""

from __future__ import annotations

import pytest

from ihms.data import read_tables
from ihms.data._yes_no import YES_NO_FORMS
from ihms.errors import DataError


def test_an_unknown_institution_in_many_rows_is_one_problem_naming_them(csv_folder, youxi):
    path = csv_folder / "encounters.csv"
    header, *rows = path.read_text("utf-8").splitlines()
    extra = [
        f"X{i:03d},{rows[0].split(',')[1]},PROVH,2018-03-0{i % 9 + 1},outpatient,,10,5,5,,,"
        for i in range(41)
    ]
    path.write_text("\n".join([header, *rows, *extra]) + "\n", "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    first = len(rows) + 2
    shown = ", ".join(str(first + k) for k in range(1, 6))
    assert err.value.problems == [
        f"column 'institution_id' of encounters.csv row {first}: unknown institution "
        f"'PROVH' (not in institutions), also in 40 more rows ({shown} and 35 more); every "
        "institution the records name must be listed (in the system file, or "
        "institutions.csv) — hospitals outside the county that residents use, too"
    ]


def test_a_value_unreadable_in_many_rows_is_one_problem_naming_them(csv_folder, youxi):
    # A HIS export writes insured as 已参保 (是/否 are read): before, one line per
    # resident and column.
    path = csv_folder / "residents.csv"
    header, *rows = path.read_text("utf-8").splitlines()
    at = header.split(",").index("insured")
    edited = []
    for row in rows:
        cells = row.split(",")
        cells[at] = "已参保"
        edited.append(",".join(cells))
    path.write_text("\n".join([header, *edited]) + "\n", "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    shown = ", ".join(str(r) for r in range(3, len(rows) + 2))
    assert err.value.problems == [
        f"column 'insured' of residents.csv row 2: expected {YES_NO_FORMS}, got '已参保', also in "
        f"{len(rows) - 1} more rows ({shown})"
    ]


def test_many_unknown_institutions_are_counted_as_ids_and_told_once(csv_folder, youxi):
    # 120 unknown ids in 360 rows (three each): 100 are named, one line each, and the
    # rest were "20 more rows where ..." (20 ids in 60 rows), the hint on every line
    path = csv_folder / "encounters.csv"
    header, *rows = path.read_text("utf-8").splitlines()
    resident = rows[0].split(",")[1]
    extra = [
        f"X{i:03d}{k},{resident},OUT{i:03d},2018-03-0{k + 1},outpatient,,10,5,5,,,"
        for i in range(120)
        for k in range(3)
    ]
    path.write_text("\n".join([header, *rows, *extra]) + "\n", "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    unknown = [p for p in err.value.problems if "institution" in p]
    assert len(unknown) == 101
    assert unknown[-1] == (
        "encounters.csv: 20 more ids (in 60 rows) where 'institution_id' names no row of "
        "institutions"
    )
    told = [p for p in unknown if "every institution the records name must be listed" in p]
    assert told == [unknown[0]]


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        # a zero too many: one institution is nearest (difflib ratio 2*8/17 = 0.94;
        # 2*7/17 = 0.82 for YX-THC01, YX-THC13 and the like)
        ("YX-THC003", " — did you mean 'YX-THC03'?"),
        # three equally near (ratio 12/14 each): all three named, none picked
        ("YX-CH04", " — the nearest listed: 'YX-CH01', 'YX-CH02' or 'YX-CH03'"),
    ],
)
def test_an_unknown_institution_is_named_with_the_nearest_listed(csv_folder, youxi, typed, nearest):
    # the institutions are the system file's closed list, not residents: the near ones
    # are named (QS-THC9 beside QS-THC1/2/3 was not; session-19 review, F10)
    path = csv_folder / "encounters.csv"
    path.write_text(path.read_text("utf-8").replace(",YX-THC02,", f",{typed},"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert err.value.problems == [
        f"column 'institution_id' of encounters.csv row 5: unknown institution '{typed}' "
        f"(not in institutions){nearest}; every institution the records name must be listed "
        "(in the system file, or institutions.csv) — hospitals outside the county that "
        "residents use, too"
    ]


def test_an_unknown_grid_names_the_grids(csv_folder, youxi):
    # session 22 review D, LOW 7: "unknown grid 'G6' (not in grids)" named no grid
    path = csv_folder / "residents.csv"
    path.write_text(path.read_text("utf-8").replace(",G01,", ",G16,"), "utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi)
    assert err.value.problems == [
        "column 'grid_id' of residents.csv row 2: unknown grid 'G16' (not in grids); the "
        "grids: G01, G02, G03, G04, G05, G06, G07, G08, G09, G10 and 5 more"
    ]
