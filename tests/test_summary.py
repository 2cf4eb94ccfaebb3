import numpy as np
import pandas as pd

from ihms.summary import SummaryTable, format_number


def test_format_number():
    assert format_number(1234567) == "1,234,567"
    assert format_number(0.5, 3) == "0.500"
    assert format_number(float("nan")) == ""
    assert format_number(None) == ""
    assert format_number(np.int64(12)) == "12"
    assert format_number("x") == "x"


def test_summary_renders_text_html_and_frame_copy():
    frame = pd.DataFrame({"coef": [1.5, -2.25], "p": [0.01, 0.5]}, index=["_t", "_cons"])
    table = SummaryTable(frame, title="Fit", notes=("a note",), formats={"p": "{:.3f}".format})
    text = table.to_text()
    assert text.splitlines()[0] == "Fit"
    assert "0.010" in text and "-2.2500" in text and "a note" in text
    html = table.to_html()
    assert "<caption>Fit</caption>" in html and "<td>0.500</td>" in html
    assert table._repr_html_() == html
    copy = table.to_frame()
    copy.iloc[0, 0] = 99.0
    assert frame.iloc[0, 0] == 1.5
