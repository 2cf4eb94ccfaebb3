"""One rule for ``--out`` with ``--lang zh`` (review zh34 #3): a file ihms reads back as
input (indicator results, which ``its`` and ``growth`` read; ``its fit --predict``'s
series) keeps its English column names; a report-only table (``its batch``, ``growth``,
``payment``) is in ``--lang``, headers and the names ihms gives; JSON is English, with or
without ``--out``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()
SERIES = Path(__file__).resolve().parents[2] / "examples" / "series"
MONTHLY = str(SERIES / "county_hospital_monthly.csv")
CJK = re.compile("[一-鿿]")


def run(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def header(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").splitlines()[0]


def test_a_file_ihms_reads_back_keeps_english_column_names(tmp_path):
    out = tmp_path / "predict.csv"
    run("its", "fit", MONTHLY, "--outcome", "hospitalizations", "--time", "month",
        "--interruption", "2017-10", "--lags", "1", "--predict", out, "--lang", "zh")  # fmt: skip
    assert header(out) == "series,time,segment,observed,fitted,counterfactual"


@pytest.mark.parametrize("json", [[], ["--json"]])
def test_a_report_table_follows_lang_and_json_stays_english(tmp_path, json):
    out = tmp_path / "batch.csv"
    said = run("its", "batch", MONTHLY, "--outcome", "hospitalizations", "--time", "month",
               "--interruption", "2017-10", "--lags", "1", "--out", out, "--lang", "zh", *json)  # fmt: skip
    assert header(out).startswith("结局指标,干预时点,效应,变量,系数")
    out = tmp_path / "growth.csv"
    said += run("growth", "--start-year", 2016, "--end-year", 2018, "--start", 1.04, "--end",
                1.63, "--out", out, "--lang", "zh", *json)  # fmt: skip
    # the name ihms gives an unnamed value is said in --lang in the file, as on the
    # console, --json or not (it was 'value' in the Chinese file beside --json)
    assert out.read_text(encoding="utf-8-sig").splitlines()[:2] == [
        "指标,基期值,报告期值,年均增长率",
        "指标值,1.04,1.63,0.2519215999045994",
    ]
    if json:
        assert not CJK.search(said) and '"indicator": "value"' in said


def test_sim_compare_table_is_a_report_table_and_follows_lang(tmp_path):
    # nothing reads the spread over seeds back (review 34b #1): its headers, figure
    # labels, regimes and measures are said in --lang, every number the English table's
    import pandas as pd

    config = SERIES.parent / "youxi_sim.yaml"
    args = ("sim", "compare", "--config", config, "--residents", 800, "--seeds", 2)
    args += ("--regime", "fee-for-service", "--regime", "sanming")
    run(*args, "--table", tmp_path / "en.csv")
    said = run(*args, "--table", tmp_path / "zh.csv", "--lang", "zh", "--json")
    en, zh = pd.read_csv(tmp_path / "en.csv"), pd.read_csv(tmp_path / "zh.csv")
    assert list(zh.columns) == [
        "指标代码", "指标", "支付方式", "统计量", "对照", "年份", "随机种子", "种子数",
        "均数", "标准差", "最小值", "最大值", "种子间波动下限", "种子间波动上限",
        "随机种子 20171001", "随机种子 20171002",
    ]  # fmt: skip
    assert zh["指标代码"].tolist() == en["figure"].tolist()  # the keys --outcome takes
    assert all(CJK.search(label) for label in zh["指标"])
    row = zh[zh["指标代码"] == "hospitalization_rate"].iloc[-1]
    assert (row["指标"], row["支付方式"], row["统计量"], row["对照"]) == (
        "居民住院率（每百居民住院人次）", "三明总额包干", "相对差值（%）", "按项目付费",
    )  # fmt: skip
    assert set(zh["统计量"]) == {"数值", "差值", "相对差值（%）"}
    numbers = list(range(5, 16))  # year on: the same cells
    assert zh.iloc[:, numbers].to_numpy().tolist() == en.iloc[:, numbers].to_numpy().tolist()
    assert not CJK.search(said)  # beside --json too, as growth's


def test_payment_notes_file_and_flags_follow_lang(tmp_path):
    # review 34b #2: FILE-notes.csv's headers and table names were English beside Chinese
    # tables, and 考核合格 held True/False; English stays as it was
    payment = SERIES.parent / "payment"
    files = [f"--{t}={payment / f'{t}.csv'}" for t in ("spending", "population", "indicators", "staff")]  # fmt: skip
    args = ("payment", "distribute", *files, "--year", 2018)
    run(*args, "--out", tmp_path / "en.csv")
    run(*args, "--out", tmp_path / "zh.csv", "--lang", "zh")
    import pandas as pd

    def read(name):
        return pd.read_csv(tmp_path / name, dtype=str, encoding="utf-8-sig")

    en, zh = read("en-notes.csv"), read("zh-notes.csv")
    assert list(en.columns) == ["table", "note"] and set(en["table"]) == {
        "distribution",
        "salaries",
    }
    assert list(zh.columns) == ["表", "注"]
    assert set(zh["表"]) == {"结余分配", "年薪与激励分配"}
    assert set(read("en-salaries.csv")["Passed"]) == {"True", "False"}
    assert set(read("zh-salaries.csv")["考核合格"]) == {"是", "否"}


def test_a_yes_no_column_with_missing_cells_is_said_and_the_missing_left_blank():
    # read34a L6: a column of True/False and None or NaN (考核合格 where no assessment
    # was made) kept True/False; only an all-bool column was said as 是/否
    import numpy as np
    import pandas as pd

    from ihms.cli._payment_out import _flags_said
    from ihms.summary import SummaryTable

    frame = pd.DataFrame(
        {
            "机构": ["A", "B", "C", "D"],
            "考核合格": [True, None, False, np.nan],
            "预计超支": [np.False_, np.True_, pd.NA, False],
            "得分": [1.0, np.nan, 0.0, 2.0],  # numbers, not flags: as they are
        }
    )
    said = _flags_said(SummaryTable(frame=frame, title="t")).frame
    assert said["考核合格"].tolist() == ["是", "", "否", ""]
    assert said["预计超支"].tolist() == ["否", "是", "", "否"]
    assert said["得分"].tolist()[::2] == [1.0, 0.0] and pd.isna(said["得分"][1])
    blank = _flags_said(SummaryTable(frame=frame.assign(考核合格=None), title="t")).frame
    assert blank["考核合格"].isna().all()  # no answer at all: no flag column to say
