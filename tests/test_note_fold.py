"""A note under a Chinese table folds as a paragraph is filled, but never inside the
phrases a title keeps whole (:mod:`ihms._note_fold`, :func:`ihms._title_fold.phrase_words`):
``its lags --lang zh`` at 60 columns read …依 Breusch-Godfrey 检验选定滞后 over
11 阶（alpha = 0.05）. An English table's notes fold as before."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from ihms._note_fold import fold_note

# its lags' note (ihms._stats_zh), with the lag it chose for outpatient_emergency_visits
LAGS = (
    "滞后项 P 值检验第 p 阶滞后项的系数；建议的 Newey-West 滞后阶数取逐步阶数（1, 2, ... 直至"
    "滞后项 P 值 ≥ alpha；第 1 阶的 P 值 < alpha 时亦计入）与滞后项 P 值 < alpha/最大阶数的最高"
    "阶数（Bonferroni）中的较大者。依 Breusch-Godfrey 检验选定滞后 11 阶（alpha = 0.05）：1-11 "
    "阶中滞后项显著的阶数：2, 6, 10, 11；规则：逐步阶数（0：第 1, 2, ... 阶的滞后项 P 或第 1 阶 "
    "chi2 的 P < 0.05）与滞后项 P < 0.05/11 = 0.00455 的最高阶数（对 11 个阶数作 Bonferroni "
    "校正：11）中的较大者。该滞后阶数仅由 Bonferroni 部分决定：第 11 阶高度显著，而更低的阶数不显著。"
)
BATCH = (
    "注：39 个序列，每个序列 N = 31 个时间点；各序列均滞后 1 阶。水平变化：_x<P>；斜率变化："
    "_x_t<P>；干预后趋势：_t + _x_t<P>（同 itsa 的 posttrend）。各序列的结果与对其单独运行 ihms "
    "its fit 的结果相同。"
)
PHRASES = {
    LAGS: ["滞后 11 阶", "第 1 阶", "第 11 阶", "对 11 个", "= 0.00455 的"],
    BATCH: ["39 个", "N = 31 个", "滞后 1 阶"],
}
TERMS = {  # kept whole on a line where they take at most half of it
    LAGS: ["（Bonferroni）", "（alpha = 0.05）"],
    BATCH: ["（同 itsa 的 posttrend）"],
}


def _lines_hold(lines: list[str], phrase: str) -> bool:
    return any(phrase in line for line in lines)


@pytest.mark.parametrize("width", range(40, 81))
@pytest.mark.parametrize("note", list(PHRASES), ids=["lags", "batch"])
def test_a_chinese_note_keeps_its_numbers_with_their_words_and_short_terms_whole(note, width):
    lines = fold_note(note, width, lang="zh").split("\n")
    assert "".join(lines).replace(" ", "") == note.replace(" ", "")  # nothing lost
    assert all(cell_len(line) <= width for line in lines)
    for phrase in PHRASES[note]:  # before: 选定滞后 / 11 阶 at 46 columns
        assert _lines_hold(lines, phrase), (phrase, lines)
    for term in TERMS[note]:
        if cell_len(term) <= width // 2:
            assert _lines_hold(lines, term), (term, lines)
    assert not any(line[0] in "，。；：）" or line[-1] == "（" for line in lines)


def test_a_chinese_note_still_fills_its_lines():
    # a term wider than half a line folds inside, so the line above it is not left short
    lines = fold_note(LAGS, 40, lang="zh").split("\n")
    assert not _lines_hold(
        lines, "（1, 2, ... 直至滞后项 P 值 ≥ alpha；第 1 阶的 P 值 < alpha 时亦计入）"
    )
    assert sum(40 - cell_len(line) for line in lines[:-1]) / (len(lines) - 1) < 6


def test_a_number_glued_to_its_punctuation_keeps_the_word_before_it():
    # 目标值 55,022.00（Zhong…: the number and its bracket are one unit, still a number
    note = "县级医院月均门急诊人次 2016年：模拟值 25,109.72，目标值 55,022.00（Zhong et al. 2023，表4）"
    for width in range(30, 60):
        lines = fold_note(note, width, lang="zh").split("\n")
        assert _lines_hold(lines, "目标值 55,022.00") or _lines_hold(lines, "标值 55,022.00"), lines
        assert _lines_hold(lines, "拟值 25,109.72"), lines  # two characters: not 模拟值


def test_an_english_tables_note_folds_as_it_did():
    # English prose with a Chinese term goes through the same folding, number rules aside
    note = (
        "Deflated by CPI (same period a year before = 100): real growth = (1 + nominal "
        "growth) / (1 + price change) - 1 (按可比价格, 扣除价格因素)."
    )
    assert fold_note(note, 40, lang="en").split("\n") == [
        "Deflated by CPI (same period a year",
        "before = 100): real growth = (1 +",
        "nominal growth) / (1 + price change) - 1",
        "(按可比价格, 扣除价格因素).",
    ]  # as ihms printed it before session 35
    assert fold_note("no Chinese here, lag 1", 8, lang="zh") == "no Chinese here, lag 1"


@pytest.mark.parametrize("width", [44, 46, 60, 72])
def test_its_lags_zh_keeps_the_chosen_lag_with_its_words_in_the_note(monkeypatch, width):
    from ihms.cli._common import console
    from ihms.cli.main import app

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["its", "lags", "examples/series/county_hospital_monthly.csv", "--outcome"]
    args += ["outpatient_emergency_visits", "--time", "month", "--interruption", "2017-10"]
    result = CliRunner().invoke(app, [*args, "--lang", "zh"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert _lines_hold(lines, "滞后 11 阶"), result.output  # 60: …检验选定滞后 / 11 阶
    assert not any(line.rstrip().endswith("滞后") for line in lines)
