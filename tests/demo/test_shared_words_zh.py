"""The demo's words several sections share (a payment's name, an amount, a regime run's
tag), in Chinese for ``ihms demo --lang zh``."""

from __future__ import annotations

from types import SimpleNamespace

from ihms.demo._payment_baseline import TITLES_ZH, reform_payment
from ihms.demo._payment_text import fee_text, million
from ihms.demo._sim_regimes import regimes_title, run_size, run_tag
from ihms.payment import BUILTIN_RULES, load_rules


def test_every_built_in_rule_set_has_a_chinese_title():
    titles = {load_rules(name).title for name in BUILTIN_RULES}
    assert titles == set(TITLES_ZH)
    assert reform_payment("sanming", lang="zh").startswith("三明总额包干（")
    assert reform_payment("deqing", lang="zh").startswith("德清医共体结余分成（")
    assert reform_payment("sanming") == (
        "Sanming IMPM (population-based global budget, balance kept by the consortium)"
    )


def test_amounts_in_chinese_keep_the_figure_and_say_the_unit():
    # 1,234,567.89 yuan = 123,456,789 fen: 1.23 million either way
    assert million(123_456_789, lang="zh") == "1.23 百万元"
    assert million(-250_000_000, lang="zh") == "-2.50 百万元"
    assert million(400_000, lang="zh") == "4,000.00 元"  # under 0.005 million: in yuan


def test_the_family_physician_fee_in_chinese():
    deqing = load_rules("deqing-shared-savings")
    assert fee_text(deqing, lang="zh").startswith("每名签约居民每年 ")
    assert fee_text(deqing, lang="zh").endswith(" 元")
    assert fee_text(load_rules("sanming"), lang="zh") == ""


def _comparison(*sizes):
    runs = {f"r{i}": SimpleNamespace(residents=n) for i, n in enumerate(sizes)}
    return SimpleNamespace(runs=runs)


def test_a_regime_runs_tag_and_title_in_chinese():
    four = _comparison(20_877, 20_877, 21_002, 20_950)
    assert regimes_title(four, lang="zh") == "同一个县的四种支付方式"
    assert run_size(four, lang="zh") == "20,877 至 21,002"
    assert run_tag(_comparison(20_877), lang="zh") == "（20,877 名居民的模拟）"
    assert run_tag(_comparison(20_877)) == "(20,877-resident run)"
