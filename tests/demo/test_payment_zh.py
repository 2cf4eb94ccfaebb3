"""``ihms demo --lang zh``: the payment step's sections in Chinese, with the English
run's numbers.

The step runs once in each language on the illustrative tables of ``examples/payment/``
(as ``tests/payment/test_demo_payment.py`` runs it in English, about 6 s each); the
prose only the simulated store reaches (the simulated staff, the in-year tracking, the
member institutions) is checked on the stand-ins the English tests use.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from decimal import Decimal
from types import SimpleNamespace

import pytest
from tests.demo.test_pass_rate_note import _rec as _cards
from tests.demo.test_payment_amounts_text import MILLION, _record
from tests.demo.test_payment_members import TIERS, _ids
from tests.demo.test_payment_members import _record as _members_record
from tests.demo.zh_check import english_left, section_texts

from ihms.demo import DemoContext
from ihms.demo._payment import payment_sections
from ihms.report import Paragraph, Table

#: True names left in Chinese text: the built-in Deqing rule set's id, which the
#: comparison's ratchet note gives in brackets after its Chinese name.
ALLOWED = ("deqing-shared-savings",)


def _run(tmp_path_factory, lang):
    root = tmp_path_factory.mktemp(lang)
    ctx = DemoContext(out_dir=root / "out", work_dir=root / "work", lang=lang)
    ctx.work_dir.mkdir(parents=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sections = payment_sections(ctx)
    glyphs = [str(w.message) for w in caught if "Glyph" in str(w.message)]
    return {s.id: s for s in sections}, ctx, glyphs


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return _run(tmp_path_factory, "en"), _run(tmp_path_factory, "zh")


def _text(section) -> str:
    return "".join(b.text for b in section.blocks if isinstance(b, Paragraph))


def test_every_payment_section_is_chinese(runs):
    (en, _, _), (zh, _, glyphs) = runs
    assert list(zh) == list(en)  # the same sections, the same ids
    left = {
        sid: [(t, english_left(t, ALLOWED)) for t in section_texts(s) if english_left(t, ALLOWED)]
        for sid, s in zh.items()
    }
    assert {sid: found for sid, found in left.items() if found} == {}
    assert glyphs == []  # the comparison figure draws its Chinese in the CJK font


def test_the_tables_keep_their_names_and_the_english_runs_figures(runs):
    (en, en_ctx, _), (zh, zh_ctx, _) = runs
    assert zh_ctx.artefacts["payment_records"] == en_ctx.artefacts["payment_records"]
    for sid, section in zh.items():
        ours = {t.name: t.table for t in section.tables()}
        theirs = {t.name: t.table for t in en[sid].tables()}
        assert list(ours) == list(theirs)
        for name, table in ours.items():
            assert table.lang == "zh", (sid, name)
            frame, english = table.frame, theirs[name].frame
            assert frame.shape == english.shape, (sid, name)
            for col in range(frame.shape[1]):
                mine, other = frame.iloc[:, col].tolist(), english.iloc[:, col].tolist()
                numbers = [
                    (a, b) for a, b in zip(mine, other, strict=True) if not isinstance(b, str)
                ]
                assert [a for a, _ in numbers] == [b for _, b in numbers], (sid, name, col)


def test_the_key_terms_are_the_payment_tables(runs):
    _, (zh, _, _) = runs
    assert zh["payment-rules"].title == "医保支付规则：三明总额包干与其他地区按历史支出核定总额"
    assert zh["payment-rules"].mirrors == "Zhong et al. 2023，表1"
    assert zh["payment-compare"].mirrors == "Zhong et al. 2023，表1和“经验教训”"
    rules = zh["payment-rules"].tables()[0].table.frame
    assert rules.loc["结余", "三明"] == "考核合格则留用 100%"
    assert rules.loc["超支", "其他地区"] == (
        "医保基金分担超支的 50%，以不超过总额预算 10% 的超支为限（即最多为总额预算的 5%）；"
        "其余由医共体承担"
    )
    assert zh["payment-2017"].title == "2017 年：基线年（改革始于 2017 年 10 月）"
    assert zh["payment-ledger"].title == "医保基金清算台账"
    text = _text(zh["payment-ledger"])
    assert "再次记入相同年度时写入 0 笔记账" in text
    assert "各年全部科目均通过" in text


def test_a_settled_years_sentence_reads_whole_with_the_english_amounts(runs):
    (en, _, _), (zh, _, _) = runs
    english = _text(en["payment-2018"])
    # the amounts of the English sentence: "a balance of 15.03 million yuan remained; ...
    # of which 2.40 million yuan goes to staff incentives"
    balance, staff = re.search(
        r"a balance of ([\d.,]+) million yuan remained; the consortium passed its "
        r"assessment and keeps all of it, of which ([\d.,]+) million yuan goes to staff",
        english,
    ).groups()
    assert (
        f"因此，结余 {balance} 百万元；医共体考核合格，全部留用，其中 {staff} 百万元用于医务人员"
        "激励。"
    ) in _text(zh["payment-2018"])


def test_an_overspend_and_a_failed_year_are_said_in_chinese():
    from ihms.demo._payment_text import outcome_text, spending_text

    over = _record(consortium=60 * MILLION)  # 65 million charged against 58.88
    assert outcome_text(over, lang="zh") == (
        "计入总额预算的医保支付超出预算 6.12 百万元；超支全部由医共体承担，医保基金不在总额预算之外另行支付"
    )
    assert spending_text(_record(private=0), lang="zh") == (
        "参保居民在医共体内机构的医保支付为 50.00 百万元，县外就医 5.00 百万元，两者均计入总额预算；"
        "参保居民未在民营医院发生医保费用，因此医保部门的民营医院预留 1.92 百万元未动用（仍留在医保"
        "基金，不计入医共体的总额预算）。"
    )


def test_the_member_institutions_sentence_names_the_study_table():
    from ihms.demo._payment_text import members_text

    text = members_text(
        _members_record(2019, _ids(363)), _members_record(2018, _ids(387)), TIERS, lang="zh"
    )
    assert text == (
        "2019 年医共体计入 389 家成员机构，2018 年为 413 家：其中村卫生室由 387 家变为 363 家。"
        "县域数据文件的村卫生室数沿用 Zhong et al. 2023，表2 中尤溪县的数字。"
    )


def test_the_simulated_staff_and_their_notes_are_chinese():
    from ihms.demo._payment_staff import DemoStaff, pass_rate_note, staff_text
    from ihms.payment import IndicatorValues, load_rules

    staff = DemoStaff(
        {2018: SimpleNamespace(members=())},
        IndicatorValues({}, source="test"),
        True,
        management_rate={2018: Decimal("0.5")},
        reform="2018-01",
    )
    text = staff_text(SimpleNamespace(year=2018), load_rules("sanming"), staff, lang="zh")
    assert "三明考核评分表实施后更高（自 2018 年 1 月起）。" in text
    assert "2018 年医共体管理的高血压和糖尿病患者中有 50.0 % 随访至少四次" in text
    note = pass_rate_note(_cards(True, False, False, True), lang="zh")
    assert note.startswith("4 份考核评分表中有 2 份达到 60 分的合格线。")
    assert english_left(text) == [] and english_left(note) == []


def test_the_tracking_sentence_is_chinese(monkeypatch):
    from ihms.demo import _payment_tracking

    row = {"projected_balance_fen": -150_000_000, "to_date_fen": 12_000_000_000}
    row |= {"used_pct": "52.9", "projected_fen": 24_150_000_000}
    tracked = SimpleNamespace(
        latest=lambda: [row],
        counties=[SimpleNamespace(projection="profile", profile_years=[2017, 2018])],
    )
    monkeypatch.setattr(_payment_tracking, "tracking_from_store", lambda *a, **k: tracked)
    rec = SimpleNamespace(year=2019, charged_fen=24_000_000_000)
    text = _payment_tracking.tracking_text(None, None, rec, lang="zh")
    assert text == (
        "年内跟踪（`ihms payment track`）：截至 2019 年 6 月底，计入总额预算的医保支付为 120.00 "
        "百万元，占总额预算的 52.9%，而时间已过半；按 2017 和 2018 年的逐月支出分布推算至 12 月，全年"
        "预计为 241.50 百万元，即超支 1.50 百万元。该年实际计入 240.00 百万元。"
    )


def test_the_alike_sentences_are_chinese():
    from ihms.demo._payment_text import _Alike
    from ihms.demo._payment_text_zh import alike_zh
    from ihms.payment import load_rules

    facts = _Alike(
        same={"as observed": [2017], "with the saving": [2017]},
        capped={"as observed": [2019], "with the saving": []},
        over={"as observed": [2018], "with the saving": []},
        short=[(2018, "with the saving", "0.48", "2%")],
        apart=37,
        why=True,
    )
    said = alike_zh(
        facts, ratchet=load_rules("other-areas"), shared=load_rules("deqing-shared-savings")
    )
    # review 397, findings 3-5 and 16: each sentence says what its English one says (the
    # other-areas file: last year's spending per insured person + 5%, 50% kept; Deqing's
    # cap 10% of the benchmark; 37 fen apart = 0.37 yuan)
    assert said == [
        "德清医共体的结余分成与其他地区按历史支出核定总额时医共体可留用的结余相等：实际支出情景"
        "下的 2017 年，节约情景下的 2017 年。按所示精度（0.01 百万元）两者相同，实际最多相差 "
        "0.37 元，因为德清的基准按每名居民的金额舍入到分。",
        "两个规则文件都以上一年参保人均支出上浮 5% 后的金额作为当年的标尺（其他地区为总额预算，"
        "德清为结余分成基准），也都让医共体得到低于标尺部分的 50%（其他地区为结余留用比例，德清为"
        "结余分享比例）。因此，只要某年的结余达到德清的最低结余率、分成又不超过德清的上限，两者的"
        "结算结果就相同。",
        "其余年份两者不同。结余率低于该标准时（节约情景下的 2018 年：结余率 0.48%，低于 2%），"
        "德清不分享结余，而按历史支出核定总额的规则仍留用 50% 的结余。德清的分成上限（基准的 "
        "10%）起作用（实际支出情景下的 2019 年）。支出超过标尺时（实际支出情景下的 2018 年）即为"
        "超支：按历史支出核定总额的规则由医共体承担一部分；德清只分享结余、不分担超支，超支由医保"
        "基金承担。",
    ]
    assert all(english_left(s) == [] for s in said)


def test_a_consortium_keeping_none_of_its_balance_is_said_as_the_english_says_it():
    from ihms.demo._payment_text import outcome_text

    rec = _record()  # 58.88 budget − 55.00 charged = 3.88 million yuan (test_payment_amounts_text)
    failed = dataclasses.replace(
        rec, assessment_passed=False, retained_fen=0, clawback_fen=rec.balance_fen
    )
    # English: "keeps none of it: the ... returns to the insurer's fund" (not a prohibition)
    assert outcome_text(failed, lang="zh") == (
        "结余 3.88 百万元；医共体考核不合格，未留用任何结余：3.88 百万元全部返还医保基金"
    )


@pytest.mark.parametrize("table", ["rules", "baseline", "salaries", "audit-rule", "audit-ch01"])
def test_the_tables_built_here_are_chinese_summary_tables(runs, table):
    _, (zh, _, _) = runs
    found = [
        b.table for s in zh.values() for b in s.blocks if isinstance(b, Table) and b.name == table
    ]
    assert found and all(t.lang == "zh" and t.title for t in found)


def test_an_assumption_not_translated_is_marked_so():
    # review 397, finding 8: a county's own rule file's assumption was shown in English
    # with nothing to say it was not translated
    from ihms.demo._payment_zh import ASSUMPTIONS_ZH, assumption_zh

    own = "Budgets follow the county board's decision of 2024."
    assert assumption_zh(own) == "（原文，未译）Budgets follow the county board's decision of 2024."
    built_in = next(iter(ASSUMPTIONS_ZH))
    assert assumption_zh(built_in) == ASSUMPTIONS_ZH[built_in]


def test_the_staff_notes_say_what_the_english_says():
    # review 397, finding 14; the English: pass_rate_note ("pass mark of 60 or 70
    # points") and threshold_notes ("scores all or nothing: 2 points for at least 12, none
    # otherwise, so who falls short needs the pass mark from the other lines alone")
    from ihms.demo._payment_staff_zh import pass_rate_zh, threshold_zh

    assert pass_rate_zh(3, 5, ["60", "70"]).startswith(
        "5 份考核评分表中有 3 份达到 60 或 70 分的合格线。"
    )
    said = [("Doctors", 4, 10, 1, 5, 6)]
    assert threshold_zh("my line", "2", True, "12", said) == (
        "“my line”一项不设中间分：不少于 12 得 2 分，否则得 0 分，因此未达到者只能靠其他各项达到"
        "合格线。医生：10 人中 4 人未达到，其中 1 人考核合格（达到者 6 人中 5 人合格）。"
    )


def test_an_account_code_in_a_chinese_label_is_a_code_span():
    # review 397, finding 18: the account code stood bare in the Chinese label
    from ihms.demo._ledger import account_label

    said = account_label("institution:CH01", "CH01", lang="zh")
    assert said.endswith("（其人员的激励来自 `consortium:use:staff_incentive`）")
    assert english_left(said) == []
