"""The ITS figure with Chinese column names."""

from __future__ import annotations

import warnings

import matplotlib
import pandas as pd
import pytest

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


def _english_fit():
    df = pd.DataFrame(
        {
            "month": [f"2017-{m:02d}" for m in range(1, 13)],
            "visits": [10.0, 12, 11, 14, 13, 15, 18, 17, 20, 19, 22, 21],
        }
    )
    return ITSModel(df, outcome="visits", time="month", interruptions="2017-07").fit(lags=0)


def test_lang_zh_says_the_figure_in_chinese_with_the_same_lines():
    res = _english_fit()
    with matplotlib.rc_context(), warnings.catch_warnings(record=True) as caught:
        matplotlib.rcdefaults()  # English names alone: the CJK font comes from lang="zh"
        warnings.simplefilter("always")
        en, zh = plot_its(res), plot_its(res, lang="zh")
        zh.canvas.draw()
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    ax_en, ax_zh = en.axes[0], zh.axes[0]
    assert ax_zh.get_title() == "visits：干预时点 2017-07"
    assert ax_en.get_title() == "visits: interruption at 2017-07"
    legend = [t.get_text() for t in ax_zh.get_legend().get_texts()]
    assert legend == ["观测值", "拟合值", "反事实（干预前趋势延续）"]
    # the same points and lines in either language
    for line_en, line_zh in zip(ax_en.get_lines(), ax_zh.get_lines(), strict=True):
        assert list(line_en.get_ydata()) == list(line_zh.get_ydata())


def test_plot_lang_is_checked():
    from ihms.errors import InputError

    with pytest.raises(InputError, match="expected 'en' or 'zh', got 'de'"):
        plot_its(_english_fit(), lang="de")
