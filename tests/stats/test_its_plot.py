"""The ITS figure with Chinese column names."""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd

from ihms.stats.its import ITSModel
from ihms.stats.its_plot import plot_its


def test_chinese_column_names_are_drawn_with_a_cjk_font():
    df = pd.DataFrame(
        {
            "月份": [f"2017-{m:02d}" for m in range(1, 13)],
            # not a straight line: an exact fit would raise the exact-fit warning here
            "门急诊人次": [10.0, 12, 11, 14, 13, 15, 18, 17, 20, 19, 22, 21],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = ITSModel(df, outcome="门急诊人次", time="月份", interruptions="2017-07")
        res = model.fit(lags=0)
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        matplotlib.rcdefaults()  # as in a fresh process: no CJK font set up by another test
        warnings.simplefilter("always")
        fig = plot_its(res)
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert fig.axes[0].get_ylabel() == "门急诊人次"
