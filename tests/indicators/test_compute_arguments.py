"""``compute`` given what a notebook user naturally passes: a store's path is refused
naming how to open it (it was an ``AttributeError: 'str' object has no attribute
'producer'``), and one indicator id is one indicator (it was iterated as its letters:
"no indicator 'h' in the catalogue") — a user walk, session 32."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.indicators import compute


def test_a_path_or_a_frame_is_refused_naming_how_to_open_a_store():
    with pytest.raises(InputError, match=r"parameter 'data': expected a Store .*got str "
                       r"'ihms.duckdb' \(open the file: with Store\('ihms.duckdb'"):  # fmt: skip
        compute("ihms.duckdb")
    with pytest.raises(InputError, match=r"parameter 'data': .*got DataFrame"):
        compute(pd.DataFrame({"a": [1]}))


def test_one_indicator_id_is_a_one_item_list(tiny_dataset):
    one = compute(tiny_dataset, indicators="hospitalization_rate", level="total")
    listed = compute(tiny_dataset, indicators=["hospitalization_rate"], level="total")
    pd.testing.assert_frame_equal(one.to_frame(), listed.to_frame())
    assert set(one.to_frame()["indicator"]) == {"hospitalization_rate"}
    with pytest.raises(InputError, match="parameter 'indicators': expected indicator ids"):
        compute(tiny_dataset, indicators=3, level="total")
