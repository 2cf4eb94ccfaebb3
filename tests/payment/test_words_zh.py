"""The payment tables' Chinese (:mod:`ihms.payment._words_zh`) follows the library's own
English: each note is made by the library here and must come out in Chinese with its
figures as they were (a changed English sentence fails here, not silently in English
under ``--lang zh``). Figures: ``test_tracking``'s worked example (12,000,000 fen budget;
3 claims, 45,000 fen, of February settled after March)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ihms.payment import CountyMonths, LateClaims, budget_tracking, load_rules
from ihms.payment._words_zh import in_lang, said_cell, said_note
from ihms.payment.tracking_from_store import charged_note

FIGURE = re.compile(r"-?\d(?:[\d,]*\d)?(?:\.\d+)?%?")


def _chinese(note: str) -> str:
    said = said_note(note)
    assert said != note, note
    assert not re.search(r"\b(the|of|and|to|by|in)\b", said), said
    return said


def test_late_claims_and_empty_month_notes():
    c = CountyMonths("A", 12_000_000, {1: 1_000_000, 3: 1_300_000}, late={2: LateClaims(3, 45_000)})
    t = budget_tracking([c], year=2018, through="2018-03")
    said = [_chinese(n) for n in t.notes]
    assert (
        "A：2018-02 有 3 笔费用结算于 2018-03 之后（医保支付 450.00 元），未计入：该月支出尚未全部支付"
        in said
    )
    assert any(s.startswith("A：2018-02 无医保支付") for s in said)
    assert any("因为没有完整的上一年度支出" in s for s in said)  # no history: linear


def test_a_fallback_naming_the_years_and_months():
    quiet = {2017: {m: (0 if m <= 3 else 100) for m in range(1, 13)}}
    c = CountyMonths("A", 12_000_000, {1: 1_000_000, 2: 900_000}, history=quiet)
    t = budget_tracking([c], year=2018, through="2018-02")
    said = [_chinese(n) for n in t.notes]
    assert (
        "A：按时间进度推算（累计 × 12 ÷ 已过月数），因为此前年份（2017）在 1 月至 2 月没有支出"
        in said
    )


@pytest.mark.parametrize("rules", ["sanming", "other-areas"])
@pytest.mark.parametrize(
    "when",
    [
        "by the encounter's date, paid by the end of 2018-06",
        "by the date its last claim was settled, paid by the end of 2018-06",
        "as paid by month to 2018-06",
    ],
)
def test_the_charged_spending_note_in_either_rule_set(rules, when):
    r = load_rules(rules)
    note = charged_note(r, "store /data/youxi.duckdb", when)
    said = _chinese(note)
    assert said.startswith("计入总额预算的医保支付来自 store /data/youxi.duckdb：")
    assert ("县外" in said) and ("2018-06" in said)
    with_file = _chinese(note + " The file shows what was paid, not the claims still to come.")
    assert with_file.endswith("文件显示的是已支付的金额，不含尚未到来的费用。")


def test_words_unknown_stay_as_written():
    # a county's own indicator label, an institution id, a figure
    for cell in ("健康教育覆盖率", "Share of my own indicator", "CH01", "DR-THC03-A", 12):
        assert said_cell(cell) == cell
    # the working's words only in the working column
    assert (
        said_cell("Medical insurance fund balance of mine")
        == "Medical insurance fund balance of mine"
    )
    assert said_cell("balance − kept", working=True) == "结余 − 留用"
    assert said_note("A note ihms does not know.") == "A note ihms does not know."


def test_a_working_cell_leaves_no_space_after_a_full_width_colon():
    # review zh32 L11: settle --steps printed 留用结余： 4,922,949.33 (the English
    # "balance kept: " with its space); the figures of examples/payment's 2018 settlement
    said = said_cell("balance kept: 4,922,949.33 × 16% (largest remainder)", working=True)
    assert said == "留用结余：4,922,949.33 × 16%（最大余额法）"


@pytest.mark.usefixtures("former_sanming_rules")
def test_in_lang_keeps_english_and_every_figure():
    from ihms.payment import global_budget
    from ihms.payment.tables import CountyYear

    table = global_budget(load_rules("sanming"), county=CountyYear(2018, 100)).summary()
    assert in_lang(table, "en") is table
    zh = in_lang(table, "zh")
    assert zh.lang == "zh" and zh.title == "2018 年医保基金总额预算（按人口测算）：62,412.80 元"
    assert list(zh.frame.columns) == ["计算过程", "结果"] and zh.frame.index.name == "项目"
    for a, b in zip(table.frame.to_numpy().ravel(), zh.frame.to_numpy().ravel(), strict=True):
        assert FIGURE.findall(str(a)) == FIGURE.findall(str(b))
    # a note added by the command (a file's caveat) stays English
    noted = in_lang(replace(table, notes=(*table.notes, "spending.csv: 2017 read.")), "zh")
    assert noted.notes == ("金额单位：元；所有金额精确到分。", "spending.csv: 2017 read.")


@pytest.mark.usefixtures("former_sanming_rules")
@pytest.mark.parametrize("headcount", [None, 5, 1804])
def test_the_staff_incentive_notes_of_a_settled_year(youxi, headcount):
    """examples/payment under sanming, 2019: five staff above their base salary
    (``test_incentive_checks``); a headcount below and above the roster's 12."""
    from ihms.payment import incentive_notes, settle_year, settlement_inputs

    rules = load_rules("sanming")
    record = settle_year(rules, settlement_inputs(rules, 2019, **youxi))
    notes = incentive_notes(record.salaries, headcount=headcount)
    assert notes
    for note in notes:
        said = _chinese(note)
        # the same figures, written the same (Chinese puts them in another order)
        figures = [sorted(FIGURE.findall(n.replace("Zhong et al. 2023", ""))) for n in (said, note)]
        assert figures[0] == figures[1]
    said = " ".join(map(said_note, notes))
    # "超过基本年薪的 1 倍" would read as "more than double" (review zh32 F4)
    assert (
        "12 名人员中有 5 人的激励与基本年薪之比超过 1：D-THC01 激励 202,186.98 元，为基本年薪"
        in said
    )
    assert "超过基本年薪的" not in said
    if headcount == 5:
        assert "名册列有 12 名人员，多于激励资金所对应的 5 人：请核对人数。" in said
    if headcount == 1804:
        assert "每人所得相当于 150.33 人的份额（1,797,331.08 / 1,804 = 人均 996.30 元）" in said


def test_an_incentive_multiple_other_than_1_is_said_as_a_ratio(youxi):
    """2019's D-THC01 (202,186.98 yuan of incentive beside its base salary) above a multiple of 1.5."""
    from decimal import Decimal

    from ihms.payment import incentive_notes, settle_year, settlement_inputs

    rules = load_rules("sanming")
    record = settle_year(rules, settlement_inputs(rules, 2019, **youxi))
    notes = incentive_notes(record.salaries, headcount=12, base_multiple=Decimal("1.5"))
    said = " ".join(map(_chinese, notes))
    assert "人的激励与基本年薪之比超过 1.5：" in said


def test_the_indicators_the_settlement_computed_by_their_chinese_names():
    from ihms.payment.indicator_values import FUND_BALANCE_RATE

    note = f"Computed by the settlement: {FUND_BALANCE_RATE}, own_rate."
    assert _chinese(note) == "医保基金结余率、own_rate由结算结果计算。"


def test_a_pool_no_one_passed_for():
    from ihms.payment._salary_pool import unshared_note

    said = _chinese(unshared_note(1_000_000, 1_000_000, 3))
    assert said.startswith("医务人员薪酬激励资金 10,000.00 元未分配：名册上的 3 名人员均未通过考核")
    assert said_note(unshared_note(1_000_000, 1_000_000, 1)) != unshared_note(
        1_000_000, 1_000_000, 1
    )


def test_a_pool_whose_staff_who_pass_have_weight_0():
    # payment review 2026-11-25, finding 5: the note naming who passed with weight 0
    from ihms.payment._salary_pool import pool_note, unshared_note

    said = _chinese(unshared_note(1_000_000, 1_000_000, 3, ["A", "B"]))
    assert said.startswith("医务人员薪酬激励资金 10,000.00 元未分配：考核合格的 2 名人员（A, B）")
    assert "权重均为 0" in said
    many = _chinese(unshared_note(1_000_000, 1_000_000, 9, list("ABCDEFG")))
    assert "（A, B, C, D, E，另有 2 人）" in many
    assert _chinese(pool_note(1_000_000, unshared_fen=1_000_000)).startswith(
        "薪酬激励资金 10,000.00 元：未分配"
    )


def test_the_settlements_notes_on_no_roster_and_an_assumed_assessment():
    # payment review 2026-11-25, finding 8: the no-roster note stayed English under
    # settle --lang zh; the assumed assessment now names the file lacking the rows
    from ihms.payment import CountyYear, SettlementInputs, YearSpending, settle_year

    inputs = SettlementInputs(
        CountyYear(2018, 347_520),
        YearSpending(2018, {"CH01": 100}),
        assume_assessment_passed=True,
        indicators_source="ind.csv",
    )
    notes = settle_year(load_rules("sanming"), inputs).notes
    assert "No staff roster given: the incentive pool is not shared out." in notes
    assert "Assessment assumed passed: ind.csv has no consortium rows for 2018." in notes
    said = [_chinese(n) for n in notes if not n.startswith("Rules ")]
    assert "未提供医务人员名册：薪酬激励资金未分配。" in said
    assert "ind.csv 中没有 2018 年医共体的考核指标值，视为考核合格。" in said


def test_a_profile_of_january_alone_and_a_profile_too_thin_to_project_from():
    # the profile of 2017: 1 fen in January, 1,000,000 in December; January 2018 tracked:
    # 0.00% of it in January, under a quarter of 1/12 (8.33%), so the projection is linear
    thin = CountyMonths("A", 12_000_000, {1: 100_000}, history={2017: {1: 1, 12: 1_000_000}})
    said = [_chinese(n) for n in budget_tracking([thin], year=2018, through="2018-01").notes]
    assert any(
        "因为此前年份（2017）1 月的支出仅占全年的 0.00%，不到时间进度 8.33% 的四分之一" in s
        for s in said
    ), said
    # an even profile: 1/12 of 2017 in January, projected from it
    even = CountyMonths(
        "A", 12_000_000, {1: 100_000}, history={2017: dict.fromkeys(range(1, 13), 10)}
    )
    said = [_chinese(n) for n in budget_tracking([even], year=2018, through="2018-01").notes]
    assert any("按 2017 年的逐月支出分布推算" in s and "1 月占 8.33%" in s for s in said), said


def test_two_counties_say_how_the_total_is_made_and_what_late_to_date_means():
    a = CountyMonths("A", 12_000_000, {1: 1_000_000}, late={1: LateClaims(1, 5_000)})
    b = CountyMonths("B", 6_000_000, {1: 500_000})
    said = [_chinese(n) for n in budget_tracking([a, b], year=2018, through="2018-01").notes]
    assert any(s.startswith("合计：各县（区）的总额预算") for s in said), said
    assert any(s.startswith("累计延迟结算：") for s in said), said


def test_claims_paid_on_encounters_still_open_under_settlement_dating():
    c = CountyMonths("A", 12_000_000, {1: 1_000_000, 6: 100}, open={5: LateClaims(1, 5_000)})
    said = [_chinese(n) for n in budget_tracking([c], year=2018, through="2018-06").notes]
    assert any(
        s.startswith(
            "A：1 笔费用已于 2018-05 支付（医保支付 50.00 元），但所属就诊的最后一笔费用结算于 2018-06 之后"
        )
        for s in said
    ), said


@pytest.mark.parametrize(
    "name", ["sanming", "other-areas", "fee-for-service", "mssp", "deqing-shared-savings"]
)
def test_every_card_line_of_a_builtin_rule_set_has_chinese_words(name):
    # Sanming's director card line moved to the share of all outpatient contacts
    # (2026-11-26) without its Chinese label, so zh scorecards printed it in English
    from ihms.payment._words_zh_staff import CARD_LABELS

    rules = load_rules(name)
    labels = {
        line.label
        for card in (rules.staff_pay.scorecards.values() if rules.staff_pay else ())
        for line in card.indicators
        if line.label
    }
    assert labels or name != "sanming"  # Sanming's cards label every line
    assert labels <= set(CARD_LABELS), sorted(labels - set(CARD_LABELS))
