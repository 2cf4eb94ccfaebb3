"""A table's title folds at phrase boundaries (:mod:`ihms._title_fold`): ``its fit
--lang zh`` printed 中断时间序列分析：…，滞后 over a lone 0 阶） at 70 columns, because rich
folds a title at its spaces, and those sit inside a Chinese title's phrases."""

from __future__ import annotations

import io
import random

import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from ihms._title_fold import fold_title, title_breaks
from ihms.summary import SummaryTable

ZH = "中断时间序列分析：hospitalizations（OLS 回归，Newey-West 标准误，滞后 1 阶）"
EN = "Interrupted time series: hospitalizations (OLS with Newey-West standard errors, lag 1)"
ZH_TERM = "（OLS 回归，Newey-West 标准误，滞后 1 阶）"
EN_TERM = "(OLS with Newey-West standard errors, lag 1)"


def _its_like(title: str, lang: str) -> SummaryTable:
    """The shape of ``its fit``'s coefficient table, with ``title``."""
    frame = pd.DataFrame(
        {
            "coef": [18.5609, -225.1254, 3.0262, 1181.4137],
            "se": [5.8736, 94.4243, 7.1405, 89.6204],
            "t": [3.16, -2.3842, 0.4238, 13.1825],
            "p": [0.003, 0.022, 0.674, 0.0],
            "95% CI low": [6.7075, -415.7848, -11.3944, 1000.5236],
            "95% CI high": [30.4143, -34.466, 17.4469, 1362.3038],
        },
        index=pd.Index(["_t", "_x2017m10", "_x_t2017m10", "_cons"], name="term"),
    )
    under = {"95% CI low": "coef", "95% CI high": "se"}
    return SummaryTable(frame, title=title, stack_under=under, lang=lang)


def _title_lines(shown: str, title: str) -> tuple[list[str], int]:
    """The lines the title took above the table, and the table's width."""
    lines, joined = shown.splitlines(), ""
    for k, line in enumerate(lines):
        joined += line.strip()
        if joined == title.replace(" ", "") or joined.replace(" ", "") == title.replace(" ", ""):
            return [line.strip() for line in lines[: k + 1]], cell_len(lines[k + 1])
    raise AssertionError(f"no title in {shown!r}")


@pytest.mark.parametrize("width", range(40, 81))
@pytest.mark.parametrize(("title", "term", "phrase", "lang"), [
    (ZH, ZH_TERM, "滞后 1 阶", "zh"),
    (EN, EN_TERM, "lag 1", "en"),
])  # fmt: skip
def test_a_title_folds_at_its_phrases_at_every_width_from_40_to_80(
    width, title, term, phrase, lang
):
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(_its_like(title, lang))
    lines, table_width = _title_lines(console.file.getvalue(), title)
    assert all(cell_len(line) <= table_width for line in lines)
    assert any(phrase in line for line in lines), lines  # never 滞后 / 1 阶, lag / 1
    if cell_len(term) <= table_width:  # the bracketed term whole on its line
        assert any(term in line for line in lines), lines
    assert not any(line[0] in "，）)" for line in lines)


@pytest.mark.parametrize("width", [40, 50, 60, 70, 80])
def test_its_fit_zh_keeps_the_lag_with_its_number_in_the_title(monkeypatch, width):
    from ihms.cli._common import console
    from ihms.cli.main import app

    monkeypatch.setattr(console, "_width", None)  # sized by COLUMNS at each call
    args = ["its", "fit", "examples/series/county_hospital_monthly.csv", "--outcome"]
    args += ["hospitalizations", "--time", "month", "--interruption", "2017-10"]
    result = CliRunner().invoke(
        app, [*args, "--lags", "1", "--lang", "zh"], env={"COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.output
    lines, table_width = _title_lines(result.output, ZH)
    assert any("滞后 1 阶" in line for line in lines), lines  # 70 columns: 滞后 / 1 阶）
    assert all(cell_len(line) <= table_width for line in lines)


def test_an_english_title_without_numbers_or_brackets_folds_where_rich_folds_it():
    words = ["Breusch-Godfrey", "test", "for", "autocorrelation", "of", "residuals", "the",
             "county", "hospital", "global", "budget", "settlement", "by", "tier", "a"]  # fmt: skip
    rng = random.Random(7)
    console = Console(width=200, file=io.StringIO())
    for _ in range(300):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 14)))
        for width in range(16, 81, 4):
            by_rich = [line.plain.rstrip() for line in Text(title).wrap(console, width)]
            assert fold_title(title, width).split("\n") == by_rich, (title, width)


def test_a_long_chinese_phrase_folds_between_characters_never_before_closing_punctuation():
    title = "尤溪县医共体总额预算结余留用与超支分担测算结果（2016—2018年，按机构分列）"
    for width in range(16, 40):  # （2016—2018年， is 16 cells
        lines = fold_title(title, width).split("\n")
        assert "".join(lines) == title
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line[0] in "，）" or line[-1] == "（" for line in lines), lines
    # the bracketed term whole on a line where it fits
    assert fold_title(title, 36).split("\n")[-1] == "（2016—2018年，按机构分列）"


def test_a_title_with_a_word_wider_than_a_line_is_left_to_rich():
    assert title_breaks("county_hospital_monthly_outpatient_visits.csv by month", 20) is None
    assert title_breaks("a title that fits", 40) == []


def test_the_folds_agree_on_what_is_chinese_punctuation():
    """Review item C9: a header's, a note's and a title's fold each kept its own set of
    punctuation, and the title's had lost 〈 and 〉 the other two had. One set now
    (:mod:`ihms._cjk_fold`): every fold glues a clause's end and a closing bracket to
    the text before it and an opening bracket to the text after it."""
    from ihms import _cjk_fold as cjk
    from ihms import _title_fold as title

    # the characters written out, not the shared constants: the sets are built from
    # those, so a test on them alone could not fail
    for ch in "，。；：、！？）」』》〉":
        assert ch in cjk._NO_START and ch in cjk._CJK_NO_START and ch in title._CLAUSE_END, ch
    for ch in "）」』》〉":
        assert ch in title._CLOSE, ch
    for ch in "（「『《〈":
        assert ch in cjk._NO_END and ch in cjk._CJK_NO_END and ch in title._OPEN, ch
    # a line may end after 〉 as after ）: before, 16 cells cut 实施 as 〈健康促进法〉实 over 施
    assert fold_title("政策文本：《关于〈健康促进法〉实施的意见》", 16) == (
        "政策文本：《关于\n〈健康促进法〉\n实施的意见》"
    )
