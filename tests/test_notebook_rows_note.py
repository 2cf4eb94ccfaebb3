"""The note under a notebook's capped table names what the object shown has (review
diff33a F7): a result displayed in Jupyter is not its SummaryTable, and 37 of the 51
results with ``_repr_html_`` have no ``to_frame()`` (none has ``to_text()``), so the
note points at ``summary().to_frame()``; a SummaryTable shown itself keeps
``to_frame()``."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms import _table_rows
from ihms._repr import SummaryHtml
from ihms.summary import SummaryTable


@pytest.fixture(autouse=True)
def _no_cap_set(monkeypatch):
    monkeypatch.delenv("IHMS_MAX_ROWS", raising=False)
    _table_rows.reset()


class Fit(SummaryHtml):
    """A result that is no table: only its summary() is."""

    def summary(self) -> SummaryTable:
        frame = pd.DataFrame({"n": range(100)}, index=pd.Index([f"u{i}" for i in range(100)]))
        return SummaryTable(frame, title="Fit")


def test_a_result_points_at_its_summary():
    page = Fit()._repr_html_()
    assert not hasattr(Fit(), "to_frame") and not hasattr(Fit(), "to_text")
    assert "Every row: summary().to_frame() or summary().to_text();" in page
    assert "Every row: summary().to_frame() or summary().to_text()" in _table_rows.rows_note(
        "en", 100, 20, 20, via="summary()."
    )


def test_a_table_shown_itself_points_at_its_own_methods():
    table = Fit().summary()
    assert "Every row: to_frame() or to_text();" in table._repr_html_()
    assert "summary()." not in table._repr_html_()


def test_a_policy_content_table_points_at_its_summary():
    # a ContentTable has to_frame() but no to_text(): the note names its summary()'s
    from ihms.policy._content_table import ContentTable

    rows = tuple((f"code {i}", "category", (f"{i} (1.00)",)) for i in range(100))
    counts = pd.DataFrame({"n": range(100)})
    shown = ContentTable(name="t", title="T", header=("code", "n (%)"), rows=rows, counts=counts)
    assert isinstance(shown, SummaryHtml)
    page = shown._repr_html_()
    assert "Showing 40 of 100 rows" in page
    assert "Every row: summary().to_frame() or summary().to_text();" in page
