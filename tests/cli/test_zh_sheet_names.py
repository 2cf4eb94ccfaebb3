"""Under ``--lang zh`` a command's ``--out`` workbook names its sheets in Chinese, as
its tables are (session 36: the sheets of ``agreement``, ``its batch``, ``growth``,
``system off-pathway``, ``policy coders`` and the ``payment`` commands kept their
English names in a Chinese workbook); in English they are as they were."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from tests.cli.test_agreement_out_cli import CODINGS
from tests.payment.conftest import EXAMPLES
from typer.testing import CliRunner

from ihms._sheet_names import SHEETS_ZH, sheet_name
from ihms.cli.main import app

runner = CliRunner()


def test_every_chinese_sheet_name_is_one_excel_takes():
    from ihms.payment._words_zh_books import TABLE_NAMES

    names = [*SHEETS_ZH.values(), *(f"{n}（2018年）" for n in TABLE_NAMES.values())]
    assert [n for n in names if len(n) > 31 or re.search(r"[\[\]:*?/\\]", n)] == []
    assert sheet_name("en", "its batch") == "its batch" and sheet_name("zh", "other") == "other"


@pytest.mark.parametrize(("lang", "sheet"), [("zh", "一致性"), ("en", "agreement")])
def test_agreement_names_its_sheet_in_its_lang(tmp_path, lang, sheet):
    (tmp_path / "c.csv").write_text(CODINGS, encoding="utf-8")
    args = ["agreement", str(tmp_path / "c.csv"), "--unit", "segment", "--lang", lang]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "ag.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "ag.xlsx").sheetnames == [sheet]


@pytest.mark.parametrize(("lang", "sheet"), [("zh", "总额预算"), ("en", "budget")])
def test_a_payment_workbook_names_its_sheets_in_its_lang(tmp_path, lang, sheet):
    out = tmp_path / "budget.xlsx"
    pop = f"--population={EXAMPLES / 'population.csv'}"
    args = ["payment", "budget", pop, "--year", "2018", "--lang", lang, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == [sheet]
