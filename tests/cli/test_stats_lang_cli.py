"""``--lang zh`` of ``ihms its fit|lags|batch`` and ``ihms growth``: Chinese titles,
headers, row labels and notes, every number as ``--lang en`` prints it; ``--json``
the same in both; a language ihms does not write refused."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "cigsales.csv"
SERIES = ROOT / "examples" / "series"
MONTHLY = SERIES / "county_hospital_monthly.csv"
CIG = ["its", "fit", str(GOLDEN), "--outcome", "cigsale", "--time", "year"]
CIG += ["--interruption", "1989", "--group", "state_name", "--treated", "California"]
LAGS = ["its", "lags", *CIG[2:], "--single", "--actest", "--max-lag", "3"]
BATCH = ["its", "batch", str(MONTHLY), "--outcome", "hospitalizations"]
BATCH += ["--outcome", "cost_per_hospitalization", "--time", "month", "--interruption", "2017-10"]
GROWTH = {
    "average": ["growth", str(SERIES / "deqing_thc_growth.csv"), "--indicator-col", "indicator",
                "--reference-col", "national"],
    "yoy": ["growth", str(SERIES / "deqing_thc_growth.csv"), "--yoy", "--indicator-col",
            "indicator"],
    "month": ["growth", str(MONTHLY), "--by", "month", "--value-col", "hospitalizations",
              "--value-col", "cost_per_hospitalization", "--base-period", "2017-01"],
    "quarter": ["growth", str(MONTHLY), "--to", "quarter", "--value-col", "hospitalizations"],
    "cumulative": ["growth", str(MONTHLY), "--cumulative", "--value-col", "hospitalizations"],
    "real": ["growth", str(SERIES / "household_income_cpi.csv"), "--value-col", "income",
             "--value-col", "consumption", "--price-col", "cpi", "--price-name", "CPI"],
}  # fmt: skip

#: A number as printed: not the digit of a name (chi2, _x1989, lag_p2), signed, with
#: thousands separators, decimals and a per cent sign.
NUMBER = re.compile(r"(?<![A-Za-z_\d.])[-+]?\d(?:[\d,]*\d)?(?:\.\d+)?%?")


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """The console sized by ``COLUMNS`` at each call: 250, so no header folds."""
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)


def run(args: list[str]) -> str:
    result = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def numbers(text: str) -> Counter:
    return Counter(NUMBER.findall(text))


def both(args: list[str]) -> tuple[str, str]:
    """The output of ``args`` in English (the default) and with ``--lang zh``."""
    return run(args), run([*args, "--lang", "zh"])


def test_its_fit_in_chinese_prints_the_numbers_of_english():
    en, zh = both([*CIG, "--lags", "1"])
    for word in ("中断时间序列分析：cigsale", "系数", "标准误", "t 值", "P 值",
                 "95% 置信区间下限", "95% 置信区间上限", "截距（_cons）", "时间趋势（_t）",
                 "干预后水平变化（_x1989）", "干预后斜率变化（_x_t1989）",
                 "组间干预后斜率变化差值（_z_x_t1989）", "干预后线性趋势", "干预组（1989）",
                 "对照组（1989）", "滞后 1 阶", "干预组：California；对照单位 38 个"):  # fmt: skip
        assert word in zh, word
    for word in ("coef", "std_error", "CI low", "Treated:", "Post-interruption"):
        assert word not in zh, word
    assert numbers(zh) == numbers(en)
    # the coefficient of _x1989 as itsa prints it (test_its_cli's golden fit)
    assert "-17.2517" in zh and "-17.2517" in en


def test_its_fit_glm_and_prais_in_chinese_keep_the_numbers():
    for extra in (["--cov", "glm", "--lags", "1"], ["--cov", "prais", "--single"]):
        en, zh = both([*CIG, *extra])
        assert numbers(zh) == numbers(en), extra
    assert "z 值" in both([*CIG, "--cov", "glm"])[1]
    prais = both([*CIG, "--cov", "prais", "--single"])[1]
    assert "Prais-Winsten AR(1) 回归" in prais and "Durbin-Watson 统计量（原始）" in prais


def test_its_lags_in_chinese_prints_the_numbers_of_english():
    en, zh = both(LAGS)
    for word in ("Breusch-Godfrey 自相关 LM 检验", "Cumby-Huizinga 自相关检验", "滞后阶数",
                 "χ² 值", "自由度", "观测数", "滞后项系数", "单阶 P 值",
                 "依 Breusch-Godfrey 检验选定滞后 1 阶", "要求条件同方差"):  # fmt: skip
        assert word in zh, word
    assert "chosen by" not in zh and "Test allows" not in zh
    assert numbers(zh) == numbers(en)


def test_its_lags_glm_note_in_chinese():
    result = runner.invoke(app, [*LAGS, "--cov", "glm", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "注：--cov glm：glm 的系数即 OLS 系数" in result.output


def test_its_batch_in_chinese_screen_and_file(tmp_path):
    en, zh = both([*BATCH, "--lags", "1", "--adjust", "holm"])
    for word in ("2 个序列的中断时间序列分析", "结局指标", "干预时点", "效应", "水平变化",
                 "斜率变化", "干预后趋势", "校正 P 值", "Holm 法"):  # fmt: skip
        assert word in zh, word
    assert "level change" not in zh
    assert numbers(zh) == numbers(en)
    files = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"{lang}.csv"
        run([*BATCH, "--out", str(out), "--lang", lang])
        files[lang] = out.read_text(encoding="utf-8-sig")
    header = files["zh"].splitlines()[0]
    assert header.startswith("结局指标,干预时点,效应,变量,系数,标准误,t 值,P 值,95% 置信区间下限")
    # the cells below the headers: the same numbers, the effects said in Chinese
    assert numbers(files["zh"].split("\n", 1)[1]) == numbers(files["en"].split("\n", 1)[1])
    assert ",水平变化,_x2017m10," in files["zh"]


@pytest.mark.parametrize("mode", sorted(GROWTH))
def test_growth_in_chinese_prints_the_numbers_of_english(mode):
    en, zh = both(GROWTH[mode])
    words = {
        "average": ["2016—2018年年均增长率", "基期值", "报告期值", "参照增长率",
                    "差值（百分点）", "注：几何平均法：年均增长率 = (报告期值 / 基期值)^(1 / 年数)"],
        "yoy": ["同比增长率，2016–2018", "年份", "定基指数（2016 = 100）",
                "注：同比增长率 = 本期数 / 上年同期数 - 1。"],
        "month": ["同比与环比增长率（月度）", "月份", "环比增长率", "定基指数（2017-01 = 100）",
                  "显示 92 行中的 40 行",
                  "同比增长率 = 本期数 / 上年同期数 - 1；环比增长率 = 本期数 / 上期数 - 1。"],
        "quarter": ["同比与环比增长率（季度）", "季度", "因此 2016Q1 不计合计"],
        "cumulative": ["累计值及累计同比增长率（按月）", "累计同比增长率", "累计值 = 自当年"],
        "real": ["现价与可比价增长率", "数值（现价）", "价格指数", "名义增长率",
                 "实际增长率（可比价）", "注：以 CPI 平减（上年同期 = 100）"],
    }[mode]  # fmt: skip
    for word in words:
        assert word in zh, word
    assert "growth" not in zh.lower().replace("growth_", "")
    # the Chinese note defines 环比 apart from 同比 (the English one growth alone): its "1"
    assert numbers(zh.replace("；环比增长率 = 本期数 / 上期数 - 1", "")) == numbers(en)


def test_growth_out_in_chinese(tmp_path):
    out = tmp_path / "growth.csv"
    args = ["growth", "--start-year", "2016", "--end-year", "2018", "--start", "1.04"]
    en = run([*args, "--end", "1.63", "--reference", "21.3%", "--lang", "en"])
    zh = run([*args, "--end", "1.63", "--reference", "21.3%", "--lang", "zh", "--out", str(out)])
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("指标,基期值,报告期值,年均增长率,参照增长率")
    assert "表格已写入" in zh
    # Jia et al. 2021, Table 2: GPs per 10,000 people grew 25.2% a year against 21.3%;
    # the header 差值（百分点） says the unit, so the cell does not say it again
    assert "25.2%" in zh and "+3.9 pp" in en
    assert "+3.9 个百分点" not in zh and re.search(r"\+3\.9(?! pp)", zh)
    # no --indicator: the row is named in Chinese, --json keeps ihms's English name
    assert re.search(r"│ 指标值 +│", zh) and "value" not in zh
    assert '"indicator": "value"' in run([*args, "--end", "1.63", "--json", "--lang", "zh"])


@pytest.mark.parametrize(
    "args", [[*CIG, "--lags", "1"], LAGS, BATCH, GROWTH["yoy"], GROWTH["real"]]
)
def test_json_ignores_lang(args):
    assert run([*args, "--json", "--lang", "zh"]) == run([*args, "--json"])


@pytest.mark.parametrize("args", [CIG, LAGS, BATCH, GROWTH["average"]])
def test_a_language_ihms_does_not_write_is_refused(args):
    result = runner.invoke(app, [*args, "--lang", "fr"])
    assert result.exit_code != 0
    assert "expected 'en' or 'zh', got 'fr'" in " ".join(result.output.split())


def test_its_fit_seasonal_and_delta_notes_in_chinese(tmp_path):
    seasonal = ["its", "fit", str(MONTHLY), "--outcome", "hospitalizations", "--time", "month"]
    en, zh = both([*seasonal, "--interruption", "2017-10", "--seasonal"])
    assert "结局变量已作季节调整（与中心化 2x12 移动平均之比）" in zh
    assert "12 个比值未计入季节指数" in zh
    assert numbers(zh) == numbers(en)
    survey = tmp_path / "survey.csv"
    survey.write_text(
        "year,y\n" + "".join(f"{2000 + 2 * i},{v}\n" for i, v in enumerate([5, 6, 8, 7, 9, 8]))
    )
    args = ["its", "fit", str(survey), "--outcome", "y", "--time", "year"]
    en, zh = both([*args, "--interruption", "2006", "--delta", "2"])
    assert "时间变量 'year' 每 2 个单位一期（Stata：tsset year, delta(2)）" in zh
    assert numbers(zh) == numbers(en)


def test_its_fit_plot_in_chinese(tmp_path):
    figure = tmp_path / "its.png"
    out = run([*CIG, "--single", "--plot", str(figure), "--lang", "zh"])
    assert "图已写入" in out and figure.stat().st_size > 0


def test_in_lang_leaves_english_and_the_data_own_words():
    import pandas as pd

    from ihms.cli._stats_zh import in_lang
    from ihms.summary import SummaryTable

    table = SummaryTable(
        pd.DataFrame(
            {
                "indicator": ["value", "level change"],
                "effect": ["level change"] * 2,
                "value": [1.5, 2],
            }
        ),
        title="Year-on-year growth, 2016–2018",
        notes=("A note ihms has no Chinese for.",),
        show_index=False,
    )
    assert in_lang(table, "en") is table
    zh = in_lang(table, "zh")
    assert list(zh.frame.columns) == ["指标", "效应", "数值"]
    # an indicator named as a header or an effect is the data's; a batch's effect is said
    assert zh.frame["指标"].tolist() == ["value", "level change"]
    assert zh.frame["效应"].tolist() == ["水平变化"] * 2
    assert zh.frame["数值"].tolist() == [1.5, 2.0]
    assert zh.title == "同比增长率，2016–2018"
    # the first note under 注：, as Chinese tables set their notes
    assert zh.notes == ("注：A note ihms has no Chinese for.",)


def test_its_notes_follow_zhu_and_flags_read_shi_fou():
    zh = run([*CIG, "--lags", "1", "--lang", "zh"])
    assert "注：N = 1209，自由度 = 1201" in zh and "注：由 _t 与 _x_t" in zh
    en, zh = both(["its", "lags", str(MONTHLY), "--outcome", "hospitalizations", "--time",
                   "month", "--interruption", "2017-10", "--actest"])  # fmt: skip
    assert "True" not in zh and "False" not in zh and "“特征值已调整”为“是”处" in zh

    # lags 8 and 10 have an adjusted single-lag Psi (the English table's True)
    def flags(text):
        cells = [[c.strip() for c in line.split("│") if c.strip()] for line in text.splitlines()]
        return {c[0]: c[-2:] for c in cells if len(c) == 8}  # the Cumby-Huizinga rows

    assert flags(zh)["8"] == ["否", "是"] and flags(zh)["1"] == ["否", "否"]
    assert flags(en)["8"] == ["False", "True"]


def test_its_fit_at_80_columns_uses_short_chinese_headers():
    result = runner.invoke(app, [*CIG, "--lags", "1", "--lang", "zh"], env={"COLUMNS": "80"})
    head = result.output.split("────")[0]
    # the interval's headers as Chinese papers shorten them, not the full 95% 置信区间下限
    # that the English table's short headers (std_error -> se) had no Chinese for
    assert "95%CI 下限" in result.output and "95% 置信区间下限" not in head
    assert all(len(line) <= 80 for line in result.output.splitlines())
    # side by side: the long Chinese row labels fold, the interval is not stacked under
    # the coefficient (review zh34 #2)
    cons = next(line for line in result.output.splitlines() if "截距（_cons）" in line)
    assert "135.4995" in cons and "142.4720" in cons


def test_growth_price_note_without_a_name_and_with_a_chinese_one():
    args = [*GROWTH["real"][:-2], "--lang", "zh"]
    assert "注：以价格指数平减（上年同期 = 100）" in run(args)
    assert "以居民消费价格指数平减（" in run([*args, "--price-name", "居民消费价格指数"])
