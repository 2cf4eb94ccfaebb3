"""The words of ``ihms sim … --lang zh`` a Chinese analyst reviewed (notes/review_zh33.md):
one Chinese name per catalogue indicator (the catalogue's ``name_zh``), 结余 as ihms
payment says it, IMPM as the payment scheme it is, a verdict naming figures not ids, CI
cells with full-width brackets, and tables whose headers and cells are never cut inside
a word or a number. Runs are at the 800 residents the other sim CLI tests use."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.indicators import load_catalogue

runner = CliRunner()
SMALL = ("--residents", "800")
#: names the review found for the one figure "healthcare visits" before this fix
_OTHER_NAMES = ("保健服务人次", "预防保健人次", "保健门诊人次", "基层就诊占比")


@pytest.fixture(autouse=True)
def _sized_by_columns(monkeypatch):
    from ihms.cli._common import console

    monkeypatch.setattr(console, "_width", None)


def _invoke(*args, columns: int, code: int = 0) -> str:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns)})
    assert result.exit_code == code, result.output
    return result.output


def _table_lines(output: str) -> list[str]:
    """Each line of a table's header or rows, boxed (│ ┃) or compact (two spaces)."""
    return [line for line in output.splitlines() if line[:1] in "│┃" or "  " in line.strip()]


def _cut_cells(output: str) -> list[str]:
    """Cells (between box rules) that begin with closing punctuation or end with
    opening, or a line reading √1 over 0倍: a header or cell cut inside its words."""
    bad = []
    for line in _table_lines(output):
        for cell in re.split(r"[│┃]|\s{2,}", line):
            cell = cell.strip()
            if cell and (cell[0] in "）)，、" or cell[-1] in "（(" or re.search(r"√\d?$", cell)):
                bad.append(cell)
    return bad


def test_the_simulator_names_catalogue_indicators_as_the_catalogue_does():
    from ihms.sim._notes_zh import _WHOLE
    from ihms.sim._words_zh import said_cell

    catalogue = load_catalogue()
    visits = catalogue["healthcare_visits"].name_zh
    assert visits == "健康门诊人次"  # catalogue.yaml
    assert said_cell("preventive visits") == visits
    # Zhong et al. 2023's Table 4 share, which the regimes are compared on: of all contacts
    contacts = catalogue["outpatient_contacts_primary_share"].name_zh
    assert contacts == "诊疗人次基层占比"
    assert said_cell("Primary-care share of outpatient contacts (%)") == f"{contacts}（%）"
    # the N of the regimes' intervals table (ihms.sim._intervals.COUNTED) since 2026-11-26
    assert said_cell("outpatient contacts") == catalogue["outpatient_contacts"].name_zh
    rate = catalogue["hospitalization_rate"].name_zh
    assert said_cell("Hospitalization rate (admissions per 100 residents)").startswith(rate)
    assert said_cell("Admissions per 100 residents").startswith(rate)
    control = catalogue["hypertension_control_rate"].name_zh
    assert said_cell("Hypertension control (%)") == f"{control}（%）"
    cost = catalogue["cost_per_hospitalization"].name_zh
    assert said_cell("CH cost per hospitalization (yuan): slope change") == (
        f"县级医院{cost}（元）：斜率变化"
    )
    run_note = next(zh for en, zh in _WHOLE.items() if en.startswith("A row per simulated"))
    assert visits in run_note and not any(n in run_note for n in _OTHER_NAMES)


def test_every_english_term_is_one_the_simulator_writes():
    """Review item A9: terms said in Chinese that no simulator table wrote (healthcare
    visits, the primary-care shares and the hospitalization rate in lower case, a
    sensitivity column 'label') were kept only by the pins above. Each English term is
    a text of :mod:`ihms.sim` (not its Chinese words), such a text and a year after it
    (``f"Deqing {y0}"``, a calibration figure of a year), or a settlement line with its
    unit (``f"{label} (yuan)"``). A term a table builds otherwise fails here: say where."""
    import ast
    from pathlib import Path

    import ihms.sim
    from ihms.sim import results
    from ihms.sim._words_zh import _INDICATORS, WORDS

    texts = set()
    for path in Path(ihms.sim.__file__).parent.glob("*.py"):
        if not path.stem.endswith("_zh"):
            tree = ast.parse(path.read_text("utf-8"))
            texts |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    for lines in (results._BUDGET_LINES, results._SHARED_SAVINGS_LINES):
        texts |= {f"{label} (yuan)" for label in lines.values()}
    written = {t for t in texts if isinstance(t, str)}

    def used(term: str) -> bool:
        yearly = re.compile(re.escape(term) + r" \d{4}")
        return term in written or f"{term} " in written or any(map(yearly.fullmatch, written))

    assert [t for t in [*WORDS, *_INDICATORS] if not used(t)] == []


def test_savings_are_jieyu_as_ihms_payment_says_and_impm_is_the_payment_scheme():
    from ihms.sim._calibration_zh import _reasons
    from ihms.sim._notes_zh import _PATTERNS, _WHOLE
    from ihms.sim._words_zh import WORDS
    from ihms.sim.targets import _IN_2017

    texts = [*WORDS.values(), *_WHOLE.values(), *(str(p[1]) for p in _PATTERNS)]
    assert not [t for t in texts if "节余" in t]
    assert WORDS["shared savings (yuan)"] == "结余分成（元）"
    assert WORDS["savings (yuan)"] == "结余（元）"
    said = _reasons()[_IN_2017]
    assert (
        said.startswith("三明总额包干（医保基金打包支付）始于 2017 年 10 月")
        and "医改模式" not in said
    )


def test_the_verdict_names_the_figures_not_their_ids():
    from ihms.sim._notes_zh import said_note

    said = said_note(
        "Verdict (in sample): outside: ch_cost_per_stay_slope_change, "
        "hypertension_management_rate_2019."
    )
    assert said == (
        "结论（样本内）：不符合：县级医院住院次均费用（元）：斜率变化、"
        "高血压患者规范管理率（%），2019年。"
    )


def test_an_interval_cell_has_full_width_brackets():
    from ihms.sim._words_zh import said_cell

    assert said_cell("19.85 (18.89–20.84); 1,603 / 8,076") == "19.85（18.89～20.84）；1,603/8,076"
    assert said_cell("-1.50 (-2.00–-1.00); 3 / 200") == "-1.50（-2.00～-1.00）；3/200"


@pytest.mark.parametrize("columns", [120, 80])
def test_run_tables_keep_words_and_numbers_whole(example_path, tmp_path, columns):
    args = ("sim", "run", "--config", example_path, *SMALL, "--out", tmp_path / "zh")
    chinese = _invoke(*args, "--lang", "zh", columns=columns)
    assert not _cut_cells(chinese), _cut_cells(chinese)
    assert "年终清算：三明总额包干（规则：sanming），金额单位：元" in chinese
    assert "健康门诊人次" in chinese and not any(n in chinese for n in _OTHER_NAMES)
    assert "（2018、2019）" in chinese and "校验值" in chinese and "摘要" not in chinese
    assert re.search(r"注：曾在县内居住的居民共 [\d,]+ 名；", chinese)


def test_calibrate_table_keeps_words_and_numbers_whole(example_path):
    args = ("sim", "calibrate", "--config", example_path, *SMALL)
    chinese = _invoke(*args, "--lang", "zh", columns=120, code=1)
    assert not _cut_cells(chinese), _cut_cells(chinese)
    assert "同号且≤√10倍" in chinese
    assert not re.search(r"[a-z]+_[a-z_]+\d*", chinese.split("结论")[1].splitlines()[0])
    assert not any(n in chinese for n in _OTHER_NAMES)
    rows = [line for line in chinese.splitlines() if "诊疗人次（万人次），2016年" in line]
    assert rows and "表4" in rows[0]  # the row on one line, its source the table only


def test_only_a_figure_of_a_year_takes_the_year_suffix():
    # read-through 33b: any cell ending in a year became "… 2021年" (a citation, a place)
    from ihms.sim._words_zh import said_cell

    assert said_cell("chronic follow-ups 2019") == "慢性病随访人次，2019年"
    assert said_cell("Jia et al. 2021") == "Jia et al. 2021"
    assert said_cell("Zhong et al. 2023") == "Zhong et al. 2023"
    assert said_cell("Deqing 2016") == "德清县，2016年"  # a place the words know


def test_the_deqing_table_beside_seed_004_is_chinese_throughout():
    # read-through 33b: headers, the THC row, "no" and the first note stayed English
    from ihms.sim._words_zh import in_zh
    from ihms.sim.seed004 import SEED_004, SeedComparison, against_seed_004

    values = {}
    for fig in SEED_004:
        (y0, _), (y1, _) = fig.before, fig.after
        values[(fig.indicator, y0)], values[(fig.indicator, y1)] = 50.0, 45.0
    shown = against_seed_004(values).frame
    table = in_zh(SeedComparison(shown, county="simulated Youxi county").summary(), "zh")
    cells = [*map(str, table.frame.columns), *map(str, table.frame.index)]
    cells += [str(v) for v in table.frame["方向一致"]]
    assert not [c for c in cells if re.search(r"[A-Za-z]{3,}", c)], cells
    assert "乡镇卫生院住院占比（%）" in table.frame.index
    assert table.notes[0].startswith("注：德清县：Jia et al. 2021")
    assert "模拟县域（Youxi county）自改革之日起按德清规则支付" in table.notes[0]
