"""``ihms trend`` and ``ihms agreement`` with ``--lang zh``: the table's title, rows,
headers and notes in the terms of Chinese statistics papers (率的趋势卡方检验, 自由度;
编码员间一致性, and the 一致率 and PABAK of :data:`ihms._words.TERMS`); English stays the default
and ``--json`` is the same in either language. And every ``--lang`` says, in its help,
that error messages stay English."""

import json

import pytest
import typer.main
from typer.testing import CliRunner

from ihms._words import TERMS
from ihms.cli.main import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


R_EXAMPLE = ("trend", "--events", "83,90,129,70", "--totals", "86,93,136,82")


def test_trend_in_chinese():
    # R prop.trend.test's help example: X-squared = 8.2249, df = 1, p-value = 0.004132
    said = run(*R_EXAMPLE, "--lang", "zh")
    assert "率的趋势卡方检验" in said and "8.2249" in said
    assert "趋势（Cochran–Armitage，以 n 为分母）" in said and "偏离线性趋势" in said
    assert "χ²" in said and "自由度" in said and "Departure" not in said
    assert "各组比例 0.9651, 0.9677, 0.9485, 0.8537，对应评分 1, 2, 3, 4；N = 397；" in said
    english = run(*R_EXAMPLE)
    assert "Departure from linear trend" in english and "偏离" not in english
    assert json.loads(run(*R_EXAMPLE, "--json", "--lang", "zh")) == json.loads(
        run(*R_EXAMPLE, "--json")
    )
    # the n-1 form's note on how its rows add up (Kalish's example, SAS CMH 4.515)
    said = run("trend", "--events", "1,5,21", "--totals", "20,36,88", "--form", "n-1",
               "--lang", "zh")  # fmt: skip
    assert "4.5149" in said and "三行仅在以 n 为分母时相加相等" in said


def _paradox_codings(tmp_path):
    """test_evaluation_cli's 20 units: 'x' from both coders on 17, one disagreement each
    way, 'y' from both on 1: agreement 90 %, PABAK 2·0.9 − 1 = 0.8 (Byrt, Bishop & Carlin
    1993); Cohen's κ (p_e = 0.9² + 0.1² = 0.82) = 0.08/0.18 = 0.444 — the paradox."""
    lines = ["unit,coder,code"]
    for u in range(20):
        a = "y" if u in (17, 19) else "x"
        b = "y" if u in (18, 19) else "x"
        lines += [f"{u},A,{a}", f"{u},B,{b}"]
    path = tmp_path / "codings.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("options", "zh", "en"),
    [
        (["--order-col", "year"], "注：评分：year 列的取值（--order-col）",
         "note: scores: the values of column 'year' (--order-col)"),
        ([], "注：评分：按文件中的行序取 1..5", "note: scores: 1..5 in the file's row order"),
    ],
)  # fmt: skip
def test_trend_table_notes_where_its_scores_came_from_in_chinese(tmp_path, options, zh, en):
    """Review zh32 F8: the note was English, ``note:``-headed, under ``--lang zh``."""
    table = tmp_path / "吸烟.csv"
    table.write_text("year,smokers,patients\n2016,83,86\n2017,90,93\n2018,129,136\n"
                     "2019,70,82\n2020,60,80\n", encoding="utf-8")  # fmt: skip
    args = ["trend", str(table), "--events-col", "smokers", "--totals-col", "patients", *options]
    said = runner.invoke(app, [*args, "--lang", "zh"])
    assert said.exit_code == 0, said.output
    assert zh in said.stderr and "note:" not in said.stderr
    plain = runner.invoke(app, args)
    assert en in plain.stderr and "注" not in plain.stderr


def test_agreement_in_chinese(tmp_path):
    csv = _paradox_codings(tmp_path)
    said = run("agreement", csv, "--lang", "zh")
    assert "编码员间一致性（2 名编码员）" in said
    zh = TERMS["zh"]
    agree = zh["percent agreement"]
    assert f"{agree}：所有编码员答案相同的单元所占比例" in said
    assert "Cohen's κ" in said and "0.444" in said
    assert f"PABAK：{zh['PABAK']}（编码员多于 2 名时为 Brennan–Prediger 系数）" in said
    assert "各维度平均 κ：0.444。" in said
    # the paradox note said again in Chinese from the row, none of it left in English
    assert f"{agree} 90% 而 κ 仅 0.44——某一答案占绝大多数（{zh['kappa paradox']}）" in said
    assert "kappa paradox" not in said
    english = run("agreement", csv)
    assert "Inter-coder agreement (2 coders)" in english and "一致" not in english
    assert json.loads(run("agreement", csv, "--json", "--lang", "zh")) == json.loads(
        run("agreement", csv, "--json")
    )


def _lang_options(command, path):
    for param in getattr(command, "params", ()):
        if "--lang" in getattr(param, "opts", ()):
            yield " ".join(path), param.help
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _lang_options(sub, [*path, name])


@pytest.mark.parametrize(
    "command",
    ["trend", "agreement", "policy segment", "policy codes import", "policy qdpx import",
     "policy screen", "policy screening", "policy agreement", "policy tables"],
)  # fmt: skip
def test_lang_is_an_option_of(command):
    assert command in dict(_lang_options(typer.main.get_command(app), []))


def test_every_lang_help_says_errors_stay_english():
    helps = dict(_lang_options(typer.main.get_command(app), []))
    assert len(helps) >= 15
    assert [c for c, h in helps.items() if "error messages stay English" not in h] == []
