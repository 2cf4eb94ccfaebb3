"""Problems with segments name them as the user gave them (review finding 16): a
numeric id as a plain number, and no made-up id when the user gave none."""

import numpy as np
import pandas as pd
import pytest

from ihms.errors import DataError
from ihms.policy.autocode._segments import as_segments


def test_numeric_ids_show_as_plain_numbers():
    frame = pd.DataFrame({"id": np.array([7, 8], dtype=np.int64), "text": ["有内容。", ""]})
    with pytest.raises(DataError) as err:
        as_segments(frame)
    assert err.value.problems == [
        "segment row 2 (id 8), column 'text': expected text, got an empty one"
    ]


def test_texts_without_ids_are_named_by_row_alone():
    with pytest.raises(DataError) as err:
        as_segments(["", "有内容。"])
    assert err.value.problems == ["segment row 1, column 'text': expected text, got an empty one"]
