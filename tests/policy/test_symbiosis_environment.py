"""Seed 003 §3.2.3 worked through: the symbiotic environment coded as open answers
under their groups, counted per group and clustered within one group into the study's
seven core policies and three technology themes.

The seed's figures (003_9e37b55973af9edc.txt):

* §2 (content coding): 442 of the 1,072 entries contain a symbiotic environment; "the
  symbiotic environment offers 383 options derived from 4 s-level categories";
* §3.2.3: 283 policy environments, 78 technological, 23 economic and 0 social; the 283
  policy environments hold seven core policies (differentiated insurance payment,
  evaluation, multi-site practice, private hospitals, telemedicine and its payment,
  staffing and promotion, mutual recognition of results), the 78 technological ones
  three themes (telemedicine, informatization, internet hospital).

283 + 78 + 23 + 0 = 384, one more than 383. We read 383 as the distinct answers and
384 as the answers within their groups: one answer (远程医疗, telemedicine) is both a
core policy (the fifth) and a technology theme. The answers below are built to those
counts: each core policy and theme has a head term every answer of it contains and
modifiers of its own, so the themes are known before clustering. Every entry has one
answer; the 442 − 384 = 58 entries beyond one per answer repeat the head terms, the
answers coded most often: each core policy's 6 times (42), each technology theme's 4
times (12), two economic answers twice (4).
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy.answer_views import answer_level, group_level
from ihms.policy.cluster import answer_counts, cluster_dimension
from ihms.policy.codebook import load_codebook
from ihms.policy.coverage import coverage_table
from ihms.policy.reconcile import CodedData
from ihms.policy.tables import frequency_table

ENV = "symbiotic_environment"
# seed 003 §3.2.3, the seven core policies in the study's order: head term → modifiers
POLICY = {
    "医保差异化支付": ["分级", "报销比例", "起付线", "梯度", "拉开档次", "县域内", "基层首诊", "按病种"],
    "考核评价": ["绩效", "指标体系", "纳入", "年度", "结果运用", "公立医院", "帮扶成效", "评审"],
    "多点执业": ["医师", "注册", "备案", "区域", "柔性流动", "退休专家", "兼职", "签约"],
    "社会办医": ["鼓励", "民营", "准入", "放宽", "举办", "连锁", "投资", "合作办"],
    "远程医疗": ["收费", "价格", "医保支付", "项目", "服务费", "结算", "分成", "纳入报销"],
    "编制职称晋升": ["人员", "总量", "通道", "倾斜", "评聘", "基层服务经历", "岗位", "待遇"],
    "检查检验结果互认": ["影像", "同级", "区域内", "病理", "心电", "共享", "标准", "质控"],
}  # fmt: skip
POLICY_SIZES = (45, 42, 40, 38, 40, 39, 39)  # 283 in all
# seed 003 §3.2.3, the three technology themes
TECHNOLOGY = {
    "远程医疗": ["协作网", "会诊中心", "影像诊断", "心电诊断", "平台", "服务体系", "病理", "教学"],
    "信息化": ["区域", "病历", "档案", "互通", "共享", "系统", "标准", "安全"],
    "互联网医院": ["诊疗", "复诊", "处方", "在线", "问诊", "药品配送", "建设", "监管"],
}  # fmt: skip
TECHNOLOGY_SIZES = (30, 28, 20)  # 78
ECONOMY = ["中央财政补助", "省级财政补助", "地方财政投入", "专项资金", "医保总额预算"]


def _answers(group: str, head: str, modifiers: list[str], n: int) -> list[str]:
    """The first ``n`` answers of a theme: its head alone, head + modifier, modifier +
    head, then modifier + head + modifier — each as the codebook stores it (answers a
    synonym would turn into another are skipped)."""
    env = load_codebook("symbiosis").dimension(ENV)
    found = [head]
    for m in modifiers:
        found += [head + m, m + head]
    found += [a + head + b for a, b in itertools.permutations(modifiers, 2)]
    stored = [f"{group}:{a}" for a in dict.fromkeys(found)]
    stored = [s for s in stored if env.normalize(s) == s]
    assert len(stored) >= n
    return stored[:n]


def _themes(group: str, themes: dict, sizes) -> dict[str, str]:
    """``{stored answer: head}``."""
    out = {}
    for (head, modifiers), n in zip(themes.items(), sizes, strict=True):
        out.update(dict.fromkeys(_answers(group, head, modifiers, n), head))
    return out


POLICIES = _themes("policy", POLICY, POLICY_SIZES)
TECHNOLOGIES = _themes("technology", TECHNOLOGY, TECHNOLOGY_SIZES)
# 23 economic answers: five kinds of funding, each with up to four purposes (§3.2.3)
PURPOSES = ["", "医联体建设", "公立医院综合改革", "区域医疗中心建设", "基层能力提升"]
ECONOMIES = [f"economy:{f}{p}" for f, p in itertools.product(ECONOMY, PURPOSES)][:23]


@pytest.fixture(scope="module")
def data() -> CodedData:
    values = [*POLICIES, *TECHNOLOGIES, *ECONOMIES]
    values += [f"policy:{h}" for h in POLICY] * 6 + [f"technology:{h}" for h in TECHNOLOGY] * 4
    values += [ECONOMIES[0], ECONOMIES[5]] * 2
    assert len(values) == 442
    long = pd.DataFrame(
        {
            "segment_id": [f"e{i:04d}" for i in range(len(values))],
            "doc_id": "d",
            "dimension": ENV,
            "value": values,
        }
    )
    segments = pd.DataFrame({"id": long["segment_id"], "doc_id": "d"})
    return CodedData(long, segments, load_codebook("symbiosis"), source="seed 003")


def test_the_built_answers_match_seed_003s_counts():
    # guards the construction itself: 283 + 78 + 23 answers within their groups, one
    # text (远程医疗) in two groups
    assert (len(POLICIES), len(TECHNOLOGIES), len(ECONOMIES)) == (283, 78, 23)
    texts = {v.split(":", 1)[1] for v in [*POLICIES, *TECHNOLOGIES, *ECONOMIES]}
    assert len(texts) == 383


def test_coverage_counts_the_environments_per_group(data):
    cov = coverage_table(data).counts
    # 442 entries, one answer each; 384 answers within their groups (§3.2.3)
    assert cov.loc["Symbiotic environment"].tolist() == [442, 442, 384]
    # distinct answers: policy 283 (in 283 + 42 = 325 entries), technology 78 (78 + 12
    # = 90), economy 23 (23 + 4 = 27); no social environment, listed all the same (§3.2.3)
    assert cov.loc["Symbiotic environment: Policy"].tolist() == [325, 325, 283]
    assert cov.loc["Symbiotic environment: Technology"].tolist() == [90, 90, 78]
    assert cov.loc["Symbiotic environment: Economy"].tolist() == [27, 27, 23]
    assert cov.loc["Symbiotic environment: Society"].tolist() == [0, 0, 0]
    # in Chinese the group rows take a full-width colon, as the Chinese labels around them
    zh = coverage_table(data, lang="zh").counts
    assert zh.loc["共生环境：政策环境"].tolist() == [325, 325, 283]


def test_the_answers_as_text(data):
    every = answer_counts(data, ENV)
    # 383 distinct texts (§2), 442 entries; 远程医疗's entries of both groups (each
    # entry codes one answer here)
    assert (len(every), int(every.sum())) == (383, 442)
    assert every["远程医疗"] == (1 + 6) + (1 + 4)  # as a policy and as a technology
    assert [len(answer_counts(data, ENV, group=g)) for g in ("政策环境", "Technology")] == [283, 78]
    assert len(answer_counts(data, ENV, group="economy")) == 23
    assert answer_counts(data, ENV, group="society").empty


def test_a_segment_counts_once_per_answer_whatever_its_groups():
    """e1 codes 远程医疗 as a policy and as a technology, e2 as a policy only: two
    segments code the text (seed 003 counts entries), not three codings."""
    long = pd.DataFrame(
        {
            "segment_id": ["e1", "e1", "e2"],
            "doc_id": "d",
            "dimension": ENV,
            "value": ["policy:远程医疗", "technology:远程医疗", "policy:远程医疗"],
        }
    )
    segments = pd.DataFrame({"id": ["e1", "e2"], "doc_id": "d"})
    coded = CodedData(long, segments, load_codebook("symbiosis"), source="test")
    assert answer_counts(coded, ENV).to_dict() == {"远程医疗": 2}
    assert answer_counts(coded, ENV, group="policy").to_dict() == {"远程医疗": 2}
    assert answer_counts(coded, ENV, group="technology").to_dict() == {"远程医疗": 1}


def test_the_policy_environments_cluster_into_seven_core_policies(data):
    result = cluster_dimension(data, ENV, group="policy")
    # the silhouette picks seven themes, each one core policy's answers, all 283
    assert result.k == 7
    assigned = result.assignments.assign(
        head=[POLICIES[f"policy:{a}"] for a in result.assignments["answer"]]
    )
    heads = assigned.groupby("theme")["head"].agg(set)
    assert sorted(min(h) for h in heads) == sorted(POLICY) and all(len(h) == 1 for h in heads)
    assert int(result.themes["answers"].sum()) == 283
    assert int(result.themes["count"].sum()) == 325
    # each theme named after its most frequent answer, its head term: the codebook's
    # English names of seed 003's core policies (编制职称晋升 is not in the dictionary)
    assert set(result.themes["label"]) == {
        "Differentiated medical insurance payment", "Evaluation index system",
        "Multi-site practice", "Encouraging private hospitals", "Telemedicine",
        "编制职称晋升", "Mutual recognition of inspection results",
    }  # fmt: skip
    # the group's name is no part of the texts clustered, and the title says which
    assert not result.assignments["answer"].str.contains("policy").any()
    assert result.title == "Themes of the answers: Symbiotic environment, group Policy"
    given = cluster_dimension(data, ENV, group="policy", k=7)
    assert sorted(given.themes["answers"]) == sorted(POLICY_SIZES)


def test_the_technological_environments_cluster_into_three_themes(data):
    result = cluster_dimension(data, ENV, group="技术环境", lang="zh")
    assert result.k == 3
    # largest first: 远程医疗 30 answers (30 + 4 codings), 信息化 28, 互联网医院 20
    assert result.themes["answers"].tolist() == [30, 28, 20]
    assert result.themes["count"].tolist() == [34, 32, 24]
    assert result.themes["label"].tolist() == ["远程医疗", "信息化", "互联网医院"]
    english = cluster_dimension(data, ENV, group="technology")
    # the codebook's names of seed 003's themes (§3.2.3)
    assert english.themes["label"].tolist() == [
        "Telemedicine",
        "Informatization",
        "Internet hospital",
    ]


def test_group_level_table_as_a_closed_dimension(data):
    table = frequency_table(group_level(data), ENV, show_empty=True, order="codebook")
    # each entry counts once per group: 325 + 90 + 27 + 0 = 442 codings;
    # 325 / 442 = 73.529 %, 90 / 442 = 20.362 %, 27 / 442 = 6.109 % (two decimals, half up)
    assert table.to_frame().values.tolist() == [
        ["Policy", "325 (73.53)"],
        ["Technology", "90 (20.36)"],
        ["Economy", "27 (6.11)"],
        ["Society", "0 (0.00)"],
    ]


def test_answer_level_table_lists_each_groups_answers_under_it(data):
    table = frequency_table(answer_level(data), ENV, lang="zh")
    labels = [label for label, kind, _ in table.rows if kind == "group"]
    assert labels == [
        "政策环境（n=325）",
        "技术环境（n=90）",
        "经济环境（n=27）",
        "社会环境（n=0）",
    ]
    rows = [label for label, _, _ in table.rows]
    # under 政策环境 its 283 answers, most frequent first: the seven head terms (7
    # codings each) in the dictionary's order (frameworks/symbiosis.yaml lists
    # 远程医疗 among the technologies, after 检查检验结果互认; 编制职称晋升, not in it, last)
    first = rows[1 : 1 + 283]
    assert first[:7] == [
        "医保差异化支付", "考核评价", "多点执业", "社会办医", "检查检验结果互认", "远程医疗",
        "编制职称晋升",
    ]  # fmt: skip
    assert len(set(first)) == 283
    assert rows[1 + 283] == "技术环境（n=90）"


def test_build_tables_lays_out_the_environment_by_group_as_the_cli_does(data):
    from ihms.policy.table_specs import TableSpec, build_tables

    spec = TableSpec(name="env", rows=ENV)
    (table,) = build_tables(data, [spec], lang="zh")
    assert table.rows == frequency_table(answer_level(data), ENV, lang="zh").rows
    (groups,) = build_tables(group_level(data), [spec])  # the groups alone, when asked
    assert [r[0] for r in groups.rows] == ["Policy", "Technology", "Economy"]


def test_clustering_needs_an_open_dimension_and_a_known_group(data):
    with pytest.raises(InputError, match="unknown group 'law'; groups: policy"):
        cluster_dimension(data, ENV, group="law")
    with pytest.raises(InputError, match="'symbiotic_unit' has no groups"):
        cluster_dimension(data, "symbiotic_unit", group="policy")
    with pytest.raises(InputError, match=r"group Society .*at least 3 distinct answers, got 0"):
        cluster_dimension(data, ENV, group="society")
    with pytest.raises(InputError, match="'behaviour' is closed in this codebook"):
        cluster_dimension(data, "behaviour")
