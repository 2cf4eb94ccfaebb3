"""``ihms demo --lang zh``: the opening brief and the closing "use it on your county"
section in Chinese — every paragraph from the same stand-ins the English tests use, the
numbers those of the English paragraph, no English sentence left (:mod:`zh_check`)."""

from __future__ import annotations

import shlex
from types import SimpleNamespace

import pandas as pd
import pytest
from tests.demo.test_brief import _calibrated_ctx, _record, _youxi_tuning
from tests.demo.test_next_steps import _resolve
from tests.demo.test_sim_demo_reform import _checked
from tests.demo.zh_check import english_left, section_texts

from ihms.demo import _brief, _brief_sim
from ihms.demo._next import STEPS_ON_YOUR_COUNTY, STEPS_ON_YOUR_COUNTY_ZH, next_sections
from ihms.demo._run import DemoContext
from ihms.errors import ConfigError


def _ctx(tmp_path, lang="zh") -> DemoContext:
    return DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work", lang=lang)


def _chinese(text: str) -> str:
    assert english_left(text) == [], text
    return text


def _records():
    # the premiums of the Sanming rule file (630 and 710 yuan); 1,761,000 yuan overspent
    # in 2017, 1,163,000 kept in 2018: 1.76 and 1.16 million yuan, 176.1 and 116.3 万元
    return {
        2017: _record(2017, 63000, overspend_fen=1_761_000_00),
        2018: _record(2018, 71000, balance_fen=1_163_000_00, retained_fen=1_163_000_00),
    }


def test_the_settlements_in_chinese_keep_the_english_amounts(tmp_path):
    ctx = _ctx(tmp_path)
    ctx.artefacts["payment_records"] = _records()
    text = _chinese(_brief._payment(ctx))
    assert text.startswith(
        "**总额预算有结余，可留归医共体。**按三明规则清算：2017 年支出超出预算 176.1 万元；"
        "2018 年结余 116.3 万元，全部留归医共体，未用于医务人员薪酬激励。"
    )
    # the premium is the rule file's assumption, the budget the fund less the reserves
    # (3 % for private hospitals, 5 % risk fund: the Sanming rule file)
    assert "人均筹资是规则文件的假设，并非尤溪县公布的数字" in text
    assert "2017 年为每名参保人 630 元、2018 年为 710 元" in text
    assert "（2017 年民营医院预留 3%、风险调剂金 5%）" in text
    assert "Zhong et al. 2023 未给出该数字" in text
    assert "因此，这些结余和超支反映的是规则在该筹资水平下如何运作" in text
    ctx.lang = "en"
    english = _brief._payment(ctx)
    assert "1.76 million yuan" in english and "1.16 million yuan" in english


def test_a_year_kept_in_part_names_the_kept_amount_and_the_staff_share(tmp_path):
    from ihms.demo._brief_zh import year_zh

    # 2,000,000 yuan balance, 1,500,000 kept, 240,000 (16 %) for staff: in 万元 (10,000
    # yuan) 200.0, 150.0 and 24.0
    rec = _record(2018, 71000, balance_fen=2_000_000_00, retained_fen=1_500_000_00)
    rec.distribution.staff_incentive_fen = 240_000_00
    said = year_zh(2018, rec)
    assert (
        said == "2018 年结余 200.0 万元，医共体留用 150.0 万元，其中 24.0 万元用于医务人员薪酬激励"
    )
    failed = _record(2018, 71000, balance_fen=2_000_000_00, assessment_passed=False)
    assert year_zh(2018, failed) == "2018 年结余 200.0 万元，未予留用（医共体考核不合格）"
    # rounded half up from the exact fen: 1,764,500 yuan is 176.45 万元, 176.5 (a float's
    # round-half-even of 176.45 gives 176.4)
    half = _record(2018, 71000, balance_fen=1_764_500_00, retained_fen=0)
    assert year_zh(2018, half) == "2018 年结余 176.5 万元，未予留用"


def test_every_built_in_premium_assumption_is_said_in_chinese():
    # Review 399, finding 7: a rule file's premium line missing from PREMIUM_ZH fell
    # back to pointing at the file; every built-in file's line is said
    from ihms.demo._brief_zh import PREMIUM_ZH
    from ihms.payment._config import BUILTIN_RULES, load_rules

    stated = [
        a
        for name in BUILTIN_RULES
        for a in load_rules(name).assumptions
        if a.lower().startswith("premium:")
    ]
    assert stated  # sanming's at least
    assert [a for a in stated if a not in PREMIUM_ZH] == []


def test_the_policy_paragraph_in_chinese(tmp_path):
    ctx = _ctx(tmp_path)
    ctx.artefacts["policy_agreement"] = SimpleNamespace(mean_kappa=0.660)
    ctx.artefacts["autocode_kappa"] = {"human": 0.660, "machine": 0.344}
    text = _chinese(_brief._policy(ctx))
    assert text.startswith("**政策分析工具可用；示例编码为模拟所得。**")
    assert "两者的平均 κ 为 0.660（Yu et al. 2024 的人工编码员为 0.746）" in text
    assert "在从未见过的文件上 κ 达到 0.344，而编码员之间为 0.660：在如此小的语料上" in text


def test_the_opening_in_chinese_says_whose_reform_it_is():
    youxi = _chinese(_brief.opening("2017-10", "尤溪县", "sanming", "fee-for-service", lang="zh"))
    assert youxi.startswith(
        "尤溪县自 2017 年 10 月起按三明总额包干（按参保人数核定总额预算，结余留归医共体）向医共体付费。"
    )
    assert "诊疗向乡镇卫生院和村卫生室下沉" in youxi and "本报告在一个模拟的尤溪县上" in youxi
    late = _chinese(_brief.opening("2018-07", "尤溪县", "sanming", "fee-for-service", lang="zh"))
    assert late.startswith("本报告模拟的尤溪县自 2018 年 7 月起按三明总额包干")
    stays = _chinese(
        _brief.opening("2019-01", "某县", "fee-for-service", "fee-for-service", lang="zh")
    )
    assert "该县仍沿用按项目付费（每笔费用照付，不设总额），未作改革" in stays
    assert "其清算假定自 2019 年 1 月起按三明规则进行" in stays


def test_the_county_is_named_in_chinese_or_refused(tmp_path):
    # the brief names the county as the payment and ITS sections do
    # (_payment_baseline.county_zh): Youxi's when nothing was simulated, the system's
    # name_zh (test_the_brief_section_in_chinese), and a simulated system without one
    # refused, where the brief said it in English ("本报告模拟的Anytown")
    ctx = _ctx(tmp_path)
    ctx.artefacts["policy_agreement"] = SimpleNamespace(mean_kappa=0.660)
    (section,) = _brief.brief_sections(ctx)
    assert section.blocks[0].text.startswith("尤溪县自 2017 年 10 月起按三明总额包干")
    config = SimpleNamespace(
        reform=SimpleNamespace(date="2017-10", regime="sanming"), baseline_regime="fee-for-service"
    )
    ctx.artefacts["simulation"] = SimpleNamespace(
        system=SimpleNamespace(name="Anytown", name_zh=""), config=config
    )
    with pytest.raises(ConfigError, match="delivery system 'Anytown': no name_zh"):
        _brief.brief_sections(ctx)


def test_the_calibration_paragraph_in_chinese_counts_what_the_english_counts(tmp_path):
    ctx, tuning = _calibrated_ctx(
        tmp_path, outpatient_contacts_primary_share_2017=53.7, ch_visits_level_change=-100.0
    )
    ctx.lang = "zh"
    text = _chinese(_brief_sim.calibration_paragraph(ctx))
    assert f"有 {len(tuning.tuned)} 个行为参数无研究可据，系用最小二乘法调参确定。" in text
    # seed 002: 22 gated figures; 8 not tuned to, of which the 2017 share departs
    assert "这 22 个指标全部符合各自的判定规则。这种一致说明的是拟合效果，而非独立验证。" in text
    assert (
        "在未用于调参的 8 个样本外指标中，7 个按同样的规则与尤溪县的数值一致，1 个偏离："
        "Zhong et al. 2023，表4：2017 年诊疗人次基层占比。" in text
    )
    del ctx.artefacts["simulation"]
    untuned = _chinese(_brief_sim.calibration_paragraph(ctx))
    assert untuned.startswith("**模拟县与尤溪县相似。**模拟须符合的 22 个已发表指标（")
    # shown, not gated: the 2017 share and the visits' level change, both off
    assert "在仅供对照展示的 15 个指标中，有 2 个偏离尤溪县的数值" in untuned


def test_a_later_reform_is_said_to_be_compared_before_both_in_chinese(tmp_path):
    ctx = _ctx(tmp_path)
    ctx.artefacts["calibration"] = _checked("2018-07")
    tuning = SimpleNamespace(tuned={"a": 1.0}, run={"method": "least_squares"})
    ctx.artefacts["simulation"] = SimpleNamespace(config=SimpleNamespace(calibration=tuning))
    text = _chinese(_brief_sim.calibration_paragraph(ctx))
    # 29 of 37 left out (as the English: test_sim_demo_reform)
    assert (
        "Zhong et al. 2023 的 37 个指标中有 29 个未纳入比较。本次运行的改革始于 2018 年 7 月"
        in text
    )
    ctx.artefacts["calibration"] = _checked("2016-12")
    none = _chinese(_brief_sim.calibration_paragraph(ctx))
    assert none.startswith("**模拟县未与尤溪县作比较。**")
    # the library's reason, as the calibration section gives it (ihms.sim.targets)
    assert "指标：Zhong et al. 2023 中没有 2016 年 12 月之前的指标。" in none


def test_the_grassroots_paragraph_in_chinese():
    share = pd.Series([51.1, 60.0, 62.0, 68.8], index=["2016", "2017", "2018", "2019"])
    hosp = pd.Series([17.0, 16.9, 16.5, 16.4], index=share.index)
    text = _chinese(_brief_sim._grassroots(share, hosp, _youxi_tuning(), lang="zh"))
    assert text.startswith(
        "**诊疗向基层下沉。**诊疗人次基层占比从 2016 年的 51.1% 升至 2019 年的 68.8%，"
        "居民住院率从每百居民 17.0 人次降至 16.4 人次（Zhong et al. 2023，表4 报告的尤溪县数值为 "
        "50.8% → 69.2% 和 17.0 → 16.3）。这些数字只是复述拟合结果"
    )
    assert "`regimes.sanming.primary_extra_revisits`" in text
    assert "调参" not in _brief_sim._grassroots(share, hosp, None, lang="zh")


@pytest.mark.parametrize(
    ("kw", "head", "said"),
    [
        (
            {},
            "县级医院服务量的增长放缓。",
            "改革后住院人次每月仍上升 6.1（P = 0.038），而尤溪县同期基本持平",
        ),
        (
            {"visits": (501.2, -827.2, (-326.0, -400.0, -252.0, 1e-9))},
            "模型中县级医院的门急诊人次在改革后下降，而尤溪县的仍在上升。",
            # 827.2 / 459.9 = 1.8; Youxi's post-reform slope 578.3 − 459.9 = +118.4
            "其中门急诊人次的斜率变化是尤溪县 −459.9 的 1.8 倍（Zhong et al. 2023，表3）。"
            "改革后门急诊人次每月下降 326.0（P < 0.001），而尤溪县为每月 +118.4",
        ),
        (
            {"visits": (578.3, -468.3, (110.0, 60.0, 160.0, 1e-4))},
            "县级医院服务量的增长放缓。",
            "与尤溪县的每月 +118.4 相近",
        ),
        (
            {"hospitalizations_post": (2.0, -1.0, 5.0, 0.2)},
            "县级医院服务量的增长放缓，放缓后的增速与零无统计学差异。",
            "改革后住院人次保持平稳，与尤溪县一致",
        ),
    ],
    ids=["still rising", "fell against youxi", "close to youxi", "flat"],
)
def test_the_its_paragraph_in_chinese(tmp_path, its_fits, kw, head, said):
    ctx = _ctx(tmp_path)
    ctx.artefacts["its"] = its_fits(**kw)
    text = _chinese(_brief_sim.its_paragraph(ctx))
    assert text.startswith(f"**{head}**改革后，县级医院门急诊人次的月度趋势斜率下降 ")
    assert said in text
    assert text.endswith(
        "单组设计无法排除同在 2017 年 10 月前后发生的其他变化的影响（见“评价”一节）。"
    )


def test_the_brief_section_in_chinese(tmp_path, its_fits):
    ctx, _ = _calibrated_ctx(tmp_path)
    ctx.lang = "zh"
    # the simulated county of examples/youxi_sim.yaml: Sanming's from October 2017
    simulation = ctx.artefacts["simulation"]
    simulation.config.reform = SimpleNamespace(date="2017-10", regime="sanming")
    simulation.config.baseline_regime = "fee-for-service"
    simulation.system = SimpleNamespace(name="Youxi county", name_zh="尤溪县")
    ctx.artefacts |= {
        "its": its_fits(),
        "payment_records": _records(),
        "policy_agreement": SimpleNamespace(mean_kappa=0.660),
    }
    (section,) = _brief.brief_sections(ctx)
    assert (section.id, section.title) == ("brief", "简报")
    for text in section_texts(section):
        _chinese(text)
    # the opening (Youxi's own reform, the county by its Chinese name), then the four
    # paragraphs
    assert len(section.blocks) == 5
    assert section.blocks[0].text.startswith("尤溪县自 2017 年 10 月起按三明总额包干")


def test_the_closing_section_in_chinese(tmp_path):
    (en,) = next_sections(_ctx(tmp_path, "en"))
    (zh,) = next_sections(_ctx(tmp_path))
    assert (zh.id, zh.title) == ("next", "在本县应用")
    (en_table,), (zh_table,) = en.tables(), zh.tables()
    assert zh_table.name == en_table.name and zh_table.table.lang == "zh"
    frame = zh_table.table.frame
    assert frame.shape == en_table.table.frame.shape
    assert list(frame.columns) == ["命令", "输入", "输出"] and frame.index.name == "步骤"
    # the commands as typed, --lang zh added where the command takes it
    commands = [row[1] for row in STEPS_ON_YOUR_COUNTY_ZH]
    assert (
        "ihms its fit MONTHLY.csv --outcome VISITS --time month --interruption 2017-10 "
        "--seasonal --lags auto --lang zh" in commands
    )
    assert "ihms data check EXPORT/ --system COUNTY.yaml" in commands
    # the English "the itsa table": the table Stata's itsa prints (review 399, finding 6)
    outputs = [row[-1] for row in STEPS_ON_YOUR_COUNTY_ZH]
    assert "与 Stata itsa 格式相同的结果表：水平变化和斜率变化，采用 Newey-West 标准误" in outputs
    # commands, and the command names a cell mentions, stay as typed
    typed = (
        *commands,
        "ihms data schema",
        "ihms payment rules sanming",
        "policy import FOLDER/",
        "policy agreement",
    )
    for text in section_texts(zh):
        assert english_left(text, allowed=typed) == [], text


@pytest.mark.parametrize(
    ("en", "zh"), list(zip(STEPS_ON_YOUR_COUNTY, STEPS_ON_YOUR_COUNTY_ZH, strict=True))
)
def test_a_command_given_lang_zh_takes_it_and_one_without_does_not(en, zh):
    command, rest = _resolve(shlex.split(zh[1])[1:])
    options = {o for p in command.params for o in p.opts}
    given = [w for w in rest if w.startswith("--")]
    assert set(given) <= options
    assert zh[1] in (en[1], f"{en[1]} --lang zh")
    assert (zh[1] != en[1]) == ("--lang" in options)


def test_visits_that_did_not_bend_are_set_against_the_study(tmp_path, its_fits):
    # a slope change of +100.0 a month: the visits quickened, unlike seed 002's −459.9
    ctx = _ctx(tmp_path)
    ctx.artefacts["its"] = its_fits(visits=(501.2, 100.0, (601.2, 500.0, 700.0, 1e-9)))
    text = _chinese(_brief_sim.its_paragraph(ctx))
    assert text.startswith(
        "**县级医院服务量的增长趋势未见转折。**改革后，县级医院门急诊人次的月度趋势斜率上升 "
        "100.0 人次/月（P < 0.001），住院人次的月度趋势斜率下降 13.0 人次/月（P = 0.001），"
        "与已发表的结果"
        "（Zhong et al. 2023，表3）不同。"
    )
