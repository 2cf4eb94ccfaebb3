"""The regimes figure in Chinese (``ComparisonResult.figure(lang="zh")``; review of the
zh demo sections, finding 1: the demo relabelled the finished English figure, so any
English the library reworded would have stayed English in the Chinese figure)."""

import re
import warnings

import pytest
from matplotlib.text import Text
from tests.demo.zh_check import english_left
from tests.payment.test_compare_figure import comparison  # noqa: F401  (the fixture)

from ihms.errors import InputError

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def compared(request):
    """The regimes compared in ``test_compare_figure`` (its fixture ``comparison``)."""
    return request.getfixturevalue("comparison")[1]


def _texts(fig) -> list[str]:
    """Every text drawn with words in it (tick labels are numbers)."""
    found = [t.get_text() for t in fig.findobj(Text)]
    return [t for t in found if re.search(r"[A-Za-z\u4e00-\u9fff]", t)]


def test_every_text_of_the_chinese_figure_is_chinese(compared):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = compared.figure(lang="zh")
        fig.canvas.draw()
    texts = _texts(fig)
    assert texts  # titles, legend entries, the budget change beside its point
    assert {t: english_left(t) for t in texts if english_left(t)} == {}
    assert all(_CJK.search(t) for t in texts), texts
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_the_chinese_figure_names_its_panels_and_lines(compared):
    fig = compared.figure(lang="zh")
    budget, result = fig.axes
    assert fig.get_suptitle() == "三明与其他地区：总额预算与结算结果"
    assert budget.get_title() == "医保基金总额预算（百万元）"
    assert result.get_title() == "医共体结算结果（百万元）"
    labels = [t.get_text() for t in budget.get_legend().get_texts()]
    assert labels == [
        "三明总额包干 — 实际支出",
        "三明总额包干 — 自 2018 年起每年节约 5%",
        "其他地区按历史支出核定总额 — 实际支出",
        "其他地区按历史支出核定总额 — 自 2018 年起每年节约 5%",
        "计入支付（实际支出）",
    ]


def test_the_budget_change_is_said_by_its_sign(compared):
    # the ratchet's budget is lower after a saving: "减少", the amount without its sign
    effect = compared.effect_of_saving().set_index(["regime", "year"])
    change = int(effect.loc[("other-areas", 2019), "budget_change_fen"])
    assert change < 0
    budget, _ = compared.figure(lang="zh").axes
    assert [t.get_text() for t in budget.texts] == [
        f"较实际支出情景减少 {-change / 1e8:,.2f} 百万元"
    ]


def test_the_title_given_is_kept_and_an_unknown_language_refused(compared):
    assert compared.figure(title="我的标题", lang="zh").get_suptitle() == "我的标题"
    assert compared.figure().get_suptitle() == "Sanming vs other areas: budgets and results"
    with pytest.raises(InputError, match="'lang'"):
        compared.figure(lang="fr")
