import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from ihms.errors import ConfigError, DataError, InputError
from ihms.policy.autocode import (
    KeywordCoder,
    KeywordRule,
    rules_from_keywords,
    rules_from_mapping,
)

RULES = {
    "资金支持": {"any": ["补助", "补贴", "奖励"], "none": ["扣减"]},
    "人才培养": [
        {"all": ["人才", "培养"]},
        {"any": ["全科医生", "进修"], "name": "培训"},
    ],
    "监督管理": {"rules": [{"any": ["监督", "检查"]}], "exclude": ["奖励办法"]},
}


def coded(texts, rules=RULES):
    return KeywordCoder(rules).fit().code(texts).codes


def test_or_and_not_semantics_case_by_case():
    texts = [
        "给予一次性补助。",  # OR: one 'any' term
        "奖励或扣减。",  # NOT vetoes the rule
        "加强人才培养。",  # AND: both terms
        "加强人才引进。",  # AND fails: only one term
        "支持医师进修。",  # second rule of the same category
        "无关的句子。",
    ]
    codes = coded(texts)
    assert codes[["row", "category", "rule"]].values.tolist() == [
        [0, "资金支持", "资金支持#1"],
        [2, "人才培养", "人才培养#1"],
        [4, "人才培养", "培训"],
    ]


def test_category_exclusion_vetoes_whichever_rule_fired():
    codes = coded(["开展监督检查。", "按奖励办法开展监督检查。"])
    assert codes[["row", "category"]].values.tolist() == [[0, "监督管理"], [1, "资金支持"]]
    # the exclusion vetoes only its own category: 资金支持 still fires on 奖励


def test_every_code_names_its_rule_and_matched_terms():
    codes = coded(["加强人才培养，支持全科医生进修，给予补贴。"])
    talent = codes[codes["category"] == "人才培养"].iloc[0]
    assert talent["rule"] == "人才培养#1"  # first rule in writing order
    assert talent["rules"] == "人才培养#1;培训"  # every rule that fired
    assert talent["matched"].split(";") == ["人才", "培养", "全科医生", "进修"]
    money = codes[codes["category"] == "资金支持"].iloc[0]
    assert money["matched"] == "补贴"


def test_matching_folds_width_and_case():
    codes = coded(["ＧＤＰ增长目标"], rules={"经济": {"any": ["gdp"]}})
    assert codes["matched"].tolist() == ["gdp"]


def test_segment_ids_are_kept():
    frame = pd.DataFrame({"id": ["p-1", "p-2"], "text": ["无关。", "给予补助。"]})
    assert coded(frame)["segment"].tolist() == ["p-2"]


def test_predict_matrix_and_single_label_priority():
    coder = KeywordCoder(RULES).fit()
    texts = ["给予补助并开展检查。", "无关。", "开展检查。"]
    assert coder.predict(texts).tolist() == [[1, 0, 1], [0, 0, 0], [0, 0, 1]]
    single = KeywordCoder(RULES, single_label=True, no_match="未编码").fit()
    # 资金支持 is written first, so it wins when both fire
    assert single.predict(texts).tolist() == ["资金支持", "未编码", "监督管理"]


def test_rules_from_keywords_makes_one_or_rule_per_category():
    rs = rules_from_keywords({"人才建设": ["人才", "全科医生"], "空": []})
    assert rs.categories == ["人才建设"]
    assert rs.rules[0].describe() == "(人才 OR 全科医生)"
    assert KeywordRule("x", all=("甲", "乙"), none=("丙",)).describe() == "甲 AND 乙 AND NOT (丙)"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"甲": {"none": ["乙"]}}, "at least one 'any' or 'all' term"),
        ({"甲": {"any": ["乙"], "some": ["丙"]}}, "unknown keys"),
        ({"甲": {"any": [""]}}, "non-empty text terms"),
        ({"甲": [{"any": ["乙"], "name": "r"}], "丙": [{"any": ["丁"], "name": "r"}]}, "unique"),
        ({"甲": 3}, "expected a rule"),
        ({}, "expected a mapping"),
    ],
)
def test_malformed_rules_are_config_errors(spec, message):
    with pytest.raises(ConfigError, match=message):
        rules_from_mapping(spec)


def test_empty_text_codes_nothing():
    with pytest.raises(DataError):
        KeywordCoder(RULES).fit().code(["给予补助。", ""])
    with pytest.raises(InputError, match="expected keyword rules"):
        KeywordCoder().fit()


def test_summary_counts_codes_per_rule():
    coding = KeywordCoder(RULES).fit().code(["给予补助。", "给予奖励。", "开展检查。"])
    frame = coding.summary().to_frame()
    assert frame.loc["资金支持", "segments"] == 2
    assert frame.loc["监督管理", "segments"] == 1


def test_is_a_scikit_learn_classifier():
    coder = KeywordCoder(RULES, single_label=True)
    twin = clone(coder)
    assert twin.get_params() == coder.get_params()
    assert twin.fit(["x"]).classes_.tolist() == ["资金支持", "人才培养", "监督管理"]


terms = st.text(alphabet="甲乙丙丁戊己庚辛壬癸", min_size=2, max_size=3)


@settings(max_examples=60, deadline=None)
@given(
    all_terms=st.lists(terms, min_size=1, max_size=3),
    any_terms=st.lists(terms, min_size=1, max_size=3),
    none_term=st.text(alphabet="子丑寅卯", min_size=2, max_size=2),
    pick=st.integers(0, 2),
    filler=st.text(alphabet="，。的了", max_size=5),
)
def test_rule_fires_exactly_when_its_logic_holds(all_terms, any_terms, none_term, pick, filler):
    rules = {"c": {"all": all_terms, "any": any_terms, "none": [none_term]}}
    text = filler.join([*all_terms, any_terms[pick % len(any_terms)]]) + filler
    coder = KeywordCoder(rules).fit()
    assert coder.predict([text]).tolist() == [[1]]
    # adding the NOT term anywhere stops it
    assert coder.predict([text + none_term]).tolist() == [[0]]


def test_rules_for_a_dimension_refuse_categories_it_lacks():
    from ihms.policy.autocode import rules_for_dimension
    from ihms.policy.codebook import load_codebook

    tools = load_codebook("6d").dimension("tools")
    ok = rules_for_dimension({"financial_guarantee": {"any": ["资金"]}}, tools)
    assert ok.categories == ["financial_guarantee"]
    with pytest.raises(ConfigError) as err:
        rules_for_dimension(
            {"financial_guarantees": {"any": ["财政"]}, "financial_guarantee": {"any": ["资金"]}},
            tools,
            source="r.yaml",
        )
    msg = str(err.value)
    assert msg.startswith("r.yaml: categories ['financial_guarantees']")
    assert "dimension 'tools'" in msg and "talent_construction" in msg


def test_the_shipped_rules_file_fits_the_tools_dimension():
    # examples/policies/rules_tools.yaml is the README's rules example
    from pathlib import Path

    import yaml

    from ihms.policy.autocode import rules_for_dimension
    from ihms.policy.codebook import load_codebook

    spec = yaml.safe_load(Path("examples/policies/rules_tools.yaml").read_text(encoding="utf-8"))
    rules = rules_for_dimension(spec, load_codebook("6d").dimension("tools"))
    assert sorted(rules.categories) == [
        "financial_guarantee",
        "incentive_and_restraint",
        "talent_construction",
    ]


def test_a_category_given_twice_in_a_rules_file_is_refused_with_both_lines(study, tmp_path):
    # Walk 17: a rules file naming financial_guarantee twice kept the second rule
    # (专项资金) and dropped the first (财政补助) without a word
    from tests.policy.autocode.test_cli import run, said

    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "financial_guarantee: {any: [财政补助]}\nfinancial_guarantee: {any: [专项资金]}\n",
        encoding="utf-8",
    )
    res = run("rules", study, "-d", "tools", "--rules", rules)
    assert res.exit_code == 2, res.output
    assert "rules.yaml line 2: key 'financial_guarantee' is given twice (first at line 1)" in said(
        res
    )
