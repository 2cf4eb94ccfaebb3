"""Under ``--lang zh`` a library warning's note is said in Chinese where the warning
carries its Chinese (:class:`~ihms.errors.IhmsWarning`'s ``zh``, given where it is
warned; session 36: ``注：Sanming: …`` went on in English), in English where it has
none; in English and under ``--json`` the note is as it was. Every site giving Chinese
is run once through a command, or where no command reaches it cheaply, through the
library; :data:`ENGLISH_ONLY` lists the sites still without Chinese, so the gap shows
and shrinks."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest
from tests.cli.test_warning_notes import TREND, _warning_trend
from tests.payment.test_indicator_aliases import EX, NEW, OLD, _indicators_as, _rules_as
from tests.sim.test_compare_changed_measure import _saved
from typer.testing import CliRunner

import ihms.stats.trend
from ihms.cli.main import app
from ihms.errors import IhmsWarning, StatisticalWarning

runner = CliRunner()
SRC = Path(__file__).resolve().parents[2] / "src" / "ihms"
SIM_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "youxi_sim.yaml"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _flat(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ the mechanism


def test_a_warning_keeps_its_english_text_and_carries_its_chinese():
    w = StatisticalWarning("rates undefined", zh="率无定义")
    assert (str(w), w.args, w.zh) == ("rates undefined", ("rates undefined",), "率无定义")
    assert IhmsWarning("x").zh is None
    with pytest.warns(StatisticalWarning, match="rates undefined") as caught:
        warnings.warn(w, stacklevel=1)
    assert caught[0].message.zh == "率无定义"


def _chinese_trend(monkeypatch):
    real = ihms.stats.trend.trend_test

    def trend_test(*args, **kwargs):
        warnings.warn(IhmsWarning("groups undefined", zh="组率无定义"), stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(ihms.stats.trend, "trend_test", trend_test)


def test_a_note_is_said_in_chinese_under_lang_zh_and_in_english_else(monkeypatch):
    _chinese_trend(monkeypatch)
    zh = runner.invoke(app, [*TREND, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    assert zh.stderr == "注：组率无定义\n"
    en = runner.invoke(app, TREND)
    assert en.stderr == "note: groups undefined\n"
    json_out = runner.invoke(app, [*TREND, "--json"])
    assert json_out.stderr == "note: groups undefined\n"


def test_a_note_without_chinese_stays_english_under_lang_zh(monkeypatch):
    _warning_trend(monkeypatch)
    zh = runner.invoke(app, [*TREND, "--lang", "zh"])
    assert zh.stderr.startswith("注：a caveat of the test for trend")


# ------------------------------------------------------------------ each site, in a command

PAY = ["payment", "settle", "--year", "2018", "--assume-passed"]
PAY += ["--spending", str(EX / "spending.csv"), "--population", str(EX / "population.csv")]


def _settle(*args: str, lang: str = "zh"):
    result = runner.invoke(app, [*PAY, *args, "--lang", lang])
    assert result.exit_code == 0, result.output
    return _flat(result.stderr)


def test_payment_former_scorecard_id(tmp_path):  # payment/_config.py _note_former_ids
    saved = _rules_as(tmp_path, OLD)
    said = _settle("--rules", str(saved))
    assert f"注：{saved}：考核评分表 'director' 的指标 '{OLD}' 是 '{NEW}' 的旧编码" in said
    assert "注：" in said and "is the former id" not in said
    assert f"note: {saved}: scorecard 'director' indicator '{OLD}' is the former id" in (
        _settle("--rules", str(saved), lang="en")
    )


def test_payment_scorecard_keyed_by_a_role_name(tmp_path):  # _config.py _note_role_names
    path = tmp_path / "roles.yaml"
    text = _rules_as(tmp_path, NEW).read_text(encoding="utf-8")
    assert text.count("\n    doctor:\n") == 1
    path.write_text(text.replace("\n    doctor:\n", "\n    医生:\n"), encoding="utf-8")
    said = _settle("--rules", str(path))
    assert f"注：{path}：考核评分表 '医生' 按 'doctor' 读入" in said


def test_payment_former_indicator_id_in_a_table(tmp_path):  # indicator_values.py
    table = _indicators_as(tmp_path, OLD)
    args = ["--rules", str(_rules_as(tmp_path, NEW)), "--indicators", str(table)]
    args += ["--staff", str(EX / "staff.csv")]
    said = _settle(*args)
    assert re.search(rf"注：{re.escape(str(table))}：指标 '{OLD}'（自第 \d+ 行起共 18 行）", said)


def test_payment_title_row(tmp_path):  # payment/_parse.py read_frame's title note
    spending = tmp_path / "spending.csv"
    body = (EX / "spending.csv").read_text("utf-8")
    spending.write_text("2018年医保基金结算表\n" + body, "utf-8")
    result = runner.invoke(
        app, [*PAY[:-4], "--spending", str(spending), "--population", str(EX / "population.csv"),
              "--lang", "zh"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"注：{spending}：表头上方第 1 行为表格标题，未读入" in _flat(result.stderr)


def test_sim_changed_measure_and_value_outside_the_tuning_bounds(tmp_path):
    # sim/_compare_notes.py note_changed_measures; sim/load.py _warn_outside_tuning_bounds
    text = SIM_EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("county: youxi.yaml", f"county: {SIM_EXAMPLE.parent / 'youxi.yaml'}")
    text = text[: text.index("\n  calibration:\n")] + "\n"
    assert text.count("trend_per_year: 0.04") == 1
    config = tmp_path / "sim.yaml"
    config.write_text(text.replace("trend_per_year: 0.04", "trend_per_year: 0.3"), "utf-8")
    args = ["sim", "compare", "--config", str(config), "--residents", "300", "--seed", "5"]
    args += ["--regime", "sanming", "--regime", "other-areas", "--lang", "zh"]
    args += ["--rules", f"sanming={_saved(tmp_path, 'healthcare_visits_primary_share')}"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    said = _flat(result.stderr)
    assert (
        "考核评分表 'director' 考核 'healthcare_visits_primary_share'，该指标自 2026-11-26" in said
    )
    assert "键 'simulation.illness.trend_per_year' 为 0.3，超出校准的搜索范围" in said
    assert not re.search(r"(注|note)：?:? ?[A-Za-z]", said.replace("注：" + str(config), ""))


# ------------------------------------------------------------------ sites through the library


def _chinese_of(call) -> str:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    (w,) = [w for w in caught if issubclass(w.category, IhmsWarning)]
    assert w.message.zh and HAN.search(w.message.zh), str(w.message)
    return w.message.zh


def test_agreement_statistics_undefined_say_so_in_chinese():
    import pandas as pd

    from ihms.stats import cohens_kappa, fleiss_kappa, gwet_ac1, krippendorff_alpha

    same = pd.DataFrame({"a": ["x"] * 4, "b": ["x"] * 4})
    assert _chinese_of(lambda: cohens_kappa(same["a"], same["b"])).startswith("Cohen's κ 无定义")
    assert _chinese_of(lambda: fleiss_kappa(same)).startswith("Fleiss' κ 无定义")
    assert _chinese_of(lambda: krippendorff_alpha(same)).startswith("Krippendorff's α 无定义")
    assert "无定义：每名编码员都只用了一个类目" in _chinese_of(lambda: gwet_ac1(same))


def test_a_stop_list_taking_off_a_word_not_on_it(tmp_path):  # policy/_stopwords.py
    from ihms.policy._stopwords import apply_stopwords

    path = tmp_path / "stop.txt"
    path.write_text("!不在表中的词\n", encoding="utf-8")
    said = _chinese_of(lambda: apply_stopwords(set(), [path]))
    assert "第 1 行：'不在表中的词' 不在停用词表中" in said


def test_prais_winsten_not_converging_alone_and_in_a_batch(monkeypatch):
    # stats/_newey.py prais_winsten; stats/its_batch_effects.py _said_once names the series
    import functools

    from tests.stats.test_warning_lines import _autocorrelated

    import ihms.stats.its as its_module
    from ihms.stats import ITSModel
    from ihms.stats._newey import prais_winsten
    from ihms.stats.its_batch_effects import its_batch_effects

    monkeypatch.setattr(its_module, "prais_winsten", functools.partial(prais_winsten, max_iter=1))
    model = ITSModel(_autocorrelated(), outcome="y", time="month", interruptions="2021-09")
    assert _chinese_of(lambda: model.fit(cov_type="prais")).startswith(
        "Prais-Winsten 迭代 1 次未收敛（最后一次 rho 为"
    )
    args = {"outcomes": "y", "time": "month", "interruptions": "2021-09", "cov_type": "prais"}
    rows = _autocorrelated().assign(u="a")
    said = _chinese_of(lambda: its_batch_effects(rows, **args, series="u"))
    assert said.startswith("u 'a'：Prais-Winsten 迭代 1 次未收敛")


def test_tuning_from_a_start_outside_the_bounds():  # sim/tune.py _note_clipped_start
    import numpy as np

    from ihms.sim.tune import TUNED, _note_clipped_start

    start = np.array([p.high + 1 for p in TUNED[:1]])
    said = _chinese_of(lambda: _note_clipped_start(TUNED[:1], start))
    assert said.startswith(f"调参：键 'simulation.{TUNED[0].path}' 的初始值")


# ------------------------------------------------------------------ the sites still English

#: Warning sites (file, function) giving an IhmsWarning without Chinese: their notes
#: print in English under ``注：``. Give one its ``zh`` and take it off this list.
ENGLISH_ONLY: set[tuple[str, str]] = set()


def _warn_sites():
    """(file, function, whether it gives Chinese) for each ``warnings.warn`` in ihms
    whose warning is an IhmsWarning (by its class named at the call)."""
    ours = {"IhmsWarning", "StatisticalWarning"}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for call in ast.walk(func):
                if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "warnings.warn"):
                    continue
                first = call.args[0] if call.args else None
                if isinstance(first, ast.Call) and any(k.arg == "zh" for k in first.keywords):
                    yield path.relative_to(SRC).as_posix(), func.name, True
                    continue
                kind = call.args[1] if len(call.args) > 1 else None
                kind = kind or next((k.value for k in call.keywords if k.arg == "category"), None)
                if kind is not None and ast.unparse(kind) in ours:
                    yield path.relative_to(SRC).as_posix(), func.name, False


def test_the_warning_sites_still_without_chinese_are_the_listed_ones():
    sites = list(_warn_sites())
    assert len({(f, n) for f, n, zh in sites if zh}) >= 12  # the scan finds the Chinese ones
    assert {(f, n) for f, n, zh in sites if not zh} == ENGLISH_ONLY
