"""The hint on an unknown id shows what the referred table holds without another
person's raw id (review of session 30, finding 3: it printed three residents' 身份证号):
its pseudonyms as they are, else how many ids and their form."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ihms.data import Period, read_tables
from ihms.data._checks import held_ids
from ihms.errors import DataError

WHOLE = Period.parse("2016", "2019")


def test_an_unknown_resident_is_told_the_form_of_the_ids_not_their_values(csv_folder, youxi):
    path = csv_folder / "encounters.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("350426198503033456", "350426198503039999", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_tables(csv_folder, system=youxi, period=WHOLE)
    message = next(p for p in err.value.problems if "unknown resident" in p)
    assert "'350426198503039999'" in message  # the row's own id, as before
    for other in ("350426195001011234", "350426196002022345", "350426198503033456"):
        assert other not in message
    assert "residents holds 3 ids, written like '999999999999999999'" in message


def test_pseudonyms_are_shown_and_other_forms_described():
    pseudonyms = pa.array(["r" + "0a" * 10, "r" + "1b" * 10, None, "r" + "2c" * 10])
    assert held_ids("residents", pseudonyms) == (
        f"; residents holds ids such as 'r{'0a' * 10}', 'r{'1b' * 10}'"
    )
    mixed = pa.array(["r" + "0a" * 10, "YX-0001", "1001.0", "A12", "b7"])
    assert held_ids("residents", mixed) == (
        "; residents holds 5 ids, written like 'A9A9A9A9A9A9A9A9A9A9A', 'AA-9999', "
        "'9999.0' … (9 a digit, A a letter)"
    )
    assert held_ids("residents", pa.array([], pa.string())) == ""
