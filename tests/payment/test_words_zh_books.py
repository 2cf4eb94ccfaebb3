"""``--lang zh`` of ``ihms payment compare``, ``ledger`` and ``supervision``
(:mod:`ihms.payment._words_zh_books`): each note the library writes under their tables
comes out in Chinese — the fixed ones keyed by the library's own English constants, the
others made here by the library —, with every figure the English table's; titles,
headers and the cells that are words said in Chinese, codes (accounts, a ledger's scope,
indicator ids) kept as written. Figures: examples/payment settled for 2018 under sanming
(the settlement of test_settle_years: balance 4,922,949.33 yuan, 787,671.89 to the staff
incentive pool)."""

from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import Ledger
from ihms.payment._words_zh import in_lang, said_cell, said_note
from ihms.payment._words_zh_books import BOOK_NOTES
from ihms.payment.ledger_results import batches_summary

from .conftest import former_sanming_in_force
from .test_settle_years import TABLES
from .test_supervision import _command

runner = CliRunner()
ENGLISH = re.compile(r"\b(the|of|and|to|by|in|per|each|account|net|yuan)\b")


def _chinese(text: str, said: str) -> str:
    assert said != text, text
    assert not ENGLISH.search(said), said
    # every figure of the English is in the Chinese, as it was
    for figure in re.findall(r"\d[\d,.]*\d|\d", text):
        assert figure in said, (figure, said)
    return said


def _flat(text: str) -> str:
    # a Chinese note folds between characters: a line break there is no space
    text = re.sub(r"(?<=[\u4e00-\u9fff，。；：、）])[ ]*\n(?=[\u4e00-\u9fff（])", "", text)
    return " ".join(re.sub(r"[│┃]", " ", text).split())


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    path = tmp_path_factory.mktemp("books") / "ledger.sqlite"
    with former_sanming_in_force():  # the figures below were worked with it (conftest)
        args = ["payment", "settle", *TABLES, "--year", "2018", "--ledger", str(path)]
        r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return path


@pytest.mark.parametrize("english", list(BOOK_NOTES))
def test_every_fixed_note_is_said_in_chinese(english):
    _chinese(english, said_note(english))


def test_the_audits_notes_made_by_the_library(ledger):
    with Ledger(ledger, read_only=True) as led:
        view = led.audit(2018)
        one = led.audit(2018, institution="CH01")
    tables = [view.summary(), view.checks_summary(), view.kinds_summary(), one.summary()]
    tables.append(view.postings_summary())
    for table in tables:
        said = in_lang(table, "zh")
        for english, chinese in zip(table.notes, said.notes, strict=True):
            _chinese(english, chinese)
        assert said.title != table.title and not ENGLISH.search(said.title), said.title
        # the figures are the English table's, cell by cell
        assert (
            said.frame.select_dtypes("number").to_numpy().tolist()
            == table.frame.select_dtypes("number").to_numpy().tolist()
        )
        assert said.frame.map(str).to_numpy().shape == table.frame.shape
    said = in_lang(one.summary(), "zh")
    assert said.title == "2018 年清算台账核对（CH01）：各科目有效记账净额"
    assert said.notes[0] == "本年度记账记录 1 笔（含已冲销的）；净额 = 收款 − 付款。"
    assert "各科目净额合计为 0.00（复式记账" in in_lang(view.summary(), "zh").notes[-1]
    # account codes stay codes; the memos and the balance uses are said
    postings = in_lang(view.postings_summary(), "zh").frame
    assert "institution:CH01" in set(postings["借方（收款）"])
    assert {"医保支付的诊疗费用", "结余用途：医务人员激励", "结余留用"} <= set(postings["摘要"])


def test_a_failing_audit_and_a_reversal_batch():
    frame = pd.DataFrame(
        {
            "batch_id": [1, 2, 3],
            "scope": ["youxi-ichc"] * 3,
            "year": [2018] * 3,
            "kind": ["settlement", "reversal", "settlement"],
            "rules_name": ["sanming"] * 3,
            "rules_version": ["2018.1"] * 3,
            "status": ["reversed", "reversal", "active"],
            "reverses_batch": [None, 1, None],
        }
    )
    table = batches_summary(frame, title="Ledger books.sqlite: batches")
    said = in_lang(table, "zh")
    assert said.title == "医保基金清算台账 books.sqlite：记账批次"
    assert list(said.frame["状态"]) == ["已冲销", "冲销批次 1", "有效"]
    assert list(said.frame["类型"]) == ["年终清算", "冲销", "年终清算"]
    assert list(said.frame["清算范围"]) == ["youxi-ichc"] * 3  # a name, as written
    _chinese(table.notes[-1], said.notes[-1])
    assert said_note("Audit rule: 2 of 40 account(s) fail (checks_summary lists them with "
                     "the reasons).") == "核对规则：40 个科目中 2 个未通过（核对表列出各科目及原因）。"  # fmt: skip


def test_ledger_command_in_chinese(ledger, tmp_path):
    r = runner.invoke(app, ["payment", "ledger", "--ledger", str(ledger), "--lang", "zh"])
    assert r.exit_code == 0, r.output
    said = _flat(r.stdout)
    assert (
        "医保基金清算台账" in said
        and "年终清算" in said
        and "--json 另给出输入文件的校验值和记账时间。" in said
    )
    out = tmp_path / "audit.xlsx"
    args = ["payment", "ledger", "--ledger", str(ledger), "--year", "2018", "--out", str(out)]
    r = runner.invoke(app, [*args, "--lang", "zh"])
    assert r.exit_code == 0, r.output
    said = _flat(r.stdout)
    assert "2018 年清算台账核对：全部科目通过" in said
    assert "consortium:use:staff_incentive 787,671.89" in said  # a code and its figure
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["科目净额", "核对"]  # named in Chinese since session 36
    cells = [c for row in book["科目净额"].iter_rows(values_only=True) for c in row]
    assert cells[0] == "2018 年清算台账核对：各科目有效记账净额"
    assert "净额（元）" in cells and 787_671.89 in cells


def test_compare_in_chinese_has_the_english_figures(tmp_path):
    args = ["payment", "compare", *TABLES, "--year", "2018", "--year", "2019", "--saving", "5%"]
    english, chinese = runner.invoke(app, args), runner.invoke(app, [*args, "--lang", "zh"])
    assert english.exit_code == 0 and chinese.exit_code == 0, chinese.output
    said = _flat(chinese.stdout)
    assert said.startswith("不同医保支付方式同期比较（百万元）")
    assert "控费节约相对实际支出的影响（百万元）" in said
    assert "三明总额包干" in said and "实际支出" in said  # the regime, the path (may wrap)
    assert "自 2018 年起每年节约 5%" in said
    figures = re.compile(r"-?\d[\d,]*\.\d\d")
    # the same figures (the rows wrap differently in either language)
    assert sorted(figures.findall(_flat(english.stdout))) == sorted(figures.findall(said))
    # --out: the exact table's columns and notes said, the cells the English file's
    out_en, out_zh = tmp_path / "en.xlsx", tmp_path / "zh.xlsx"
    assert runner.invoke(app, [*args, "--out", str(out_en)]).exit_code == 0
    assert runner.invoke(app, [*args, "--out", str(out_zh), "--lang", "zh"]).exit_code == 0

    def numbers(path):
        rows = openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)
        return [c for row in rows for c in row if isinstance(c, int | float)]

    assert numbers(out_en) == numbers(out_zh)
    cells = {c for r in openpyxl.load_workbook(out_zh)["支付方式比较"].iter_rows(values_only=True)
             for c in r}  # fmt: skip
    assert {"支付方式", "医共体结算结果（元）", "结余留用（元）"} <= cells
    assert "金额单位：元，精确到分；屏幕显示的表格四舍五入到 0.01 百万元。" in cells
    assert json.loads(runner.invoke(app, [*args, "--json", "--lang", "zh"]).stdout) == json.loads(
        runner.invoke(app, [*args, "--json"]).stdout
    )


def test_supervision_in_chinese(tmp_path):
    args, ind = _command(tmp_path, "2016,A,health_management_rate,0.92\n")
    r = runner.invoke(app, [*args, "--indicators", ind, "--lang", "zh"])
    assert r.exit_code == 0, r.output
    said = _flat(r.stdout)
    assert "2016 年考核指标进度（截至 2016-04-30）" in said
    assert "2016 年考核总分进度（截至 2016-04-30）" in said
    # doctor A (test_supervision): 43.8 points to date, 51.3 at this pace, pass mark 60
    assert "A 医生 43.8 51.3 60 按当前进度不能" in said  # 合格 may wrap
    assert "health_education_sessions 3 7.9344" in said  # an indicator id stays an id
    assert "按时间进度应达：" in said and "为预测，而非年度考核结果。" in said
    assert said_cell("no verdict: no value of thc_consultation_days") == (
        "无法判断：缺少 thc_consultation_days 的指标值"
    )
