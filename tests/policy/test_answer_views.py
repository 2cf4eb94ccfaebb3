"""The group-level and answer-level views of a grouped open dimension, as the tables
lay them out; every count below is worked out by hand from the codings written here."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy.answer_views import answer_level, group_level, require_answer_groups
from ihms.policy.codebook import load_codebook
from ihms.policy.reconcile import CodedData
from ihms.policy.tables import crosstab_table, frequency_table

ENV = "symbiotic_environment"
# four entries over two years:
#   s1 (2019): 多点执业 and 编制 as policies, 信息化 as a technology
#   s2 (2019): 多点执业 as a policy
#   s3 (2020): 远程医疗 as a policy and as a technology
#   s4 (2020): 财政补助 (economy)
CODES = {
    ("s1", 2019): ["policy:多点执业", "policy:编制与职称晋升", "technology:信息化"],
    ("s2", 2019): ["policy:多点执业"],
    ("s3", 2020): ["policy:远程医疗", "technology:远程医疗"],
    ("s4", 2020): ["economy:财政补助"],
}


@pytest.fixture
def data() -> CodedData:
    rows = []
    for (seg, year), values in CODES.items():
        rows += [(seg, ENV, v) for v in values] + [(seg, "year", str(year))]
    long = pd.DataFrame(rows, columns=["segment_id", "dimension", "value"]).assign(doc_id="d")
    segments = pd.DataFrame({"id": ["s1", "s2", "s3", "s4"], "doc_id": "d"})
    return CodedData(long, segments, load_codebook("symbiosis"))


def test_group_level_counts_an_entry_once_per_group(data):
    view = group_level(data)
    dim = view.codebook.dimension(ENV)
    assert (dim.kind, dim.multi, dim.category_keys) == (
        "closed", True, ("policy", "technology", "economy", "society")
    )  # fmt: skip
    # policy: s1 (twice, counted once), s2, s3 → 3; technology: s1, s3 → 2; economy: s4
    # → 1; 6 codings: 3 / 6 = 50 %, 2 / 6 = 33.33 %, 1 / 6 = 16.67 %
    table = frequency_table(view, ENV, show_empty=True, order="codebook")
    assert table.to_frame().values.tolist() == [
        ["Policy", "3 (50.00)"], ["Technology", "2 (33.33)"], ["Economy", "1 (16.67)"],
        ["Society", "0 (0.00)"],
    ]  # fmt: skip
    # the data handed in is unchanged
    assert (
        "policy:多点执业" in set(data.long["value"]) and data.codebook.dimension(ENV).kind == "open"
    )


def test_group_level_by_year(data):
    # 2019: s1 policy + technology, s2 policy → policy 2, technology 1 (n=3);
    # 2020: s3 policy + technology, s4 economy → 1, 1, 1 (n=3)
    table = crosstab_table(group_level(data), ENV, "year", percent="column", digits=1)
    assert table.counts.loc["Policy"].tolist() == [2, 1]
    assert table.counts.loc["Technology"].tolist() == [1, 1]
    assert table.cell("Policy", "2019 (n=3), n (%)") == "2 (66.7)"


def test_answer_level_puts_each_answer_under_its_group(data):
    table = frequency_table(answer_level(data), ENV)
    # 7 codings: policy 多点执业 2, 编制 1, 远程医疗 1 (n=4); technology 信息化 1,
    # 远程医疗 1 (n=2); economy 财政补助 1; society none. 2 / 7 = 28.57 %, 1 / 7 = 14.29 %
    assert table.to_frame().values.tolist() == [
        ["Policy (n=4)", ""],
        ["Multi-site practice", "2 (28.57)"],
        ["Staffing and promotion channels", "1 (14.29)"],
        ["Telemedicine", "1 (14.29)"],
        ["Technology (n=2)", ""],
        ["Telemedicine", "1 (14.29)"],
        ["Informatization", "1 (14.29)"],
        ["Economy (n=1)", ""],
        ["Government financial support", "1 (14.29)"],
        ["Society (n=0)", ""],
    ]
    zh = frequency_table(answer_level(data), ENV, lang="zh")
    assert zh.to_frame().iloc[1, 0] == "多点执业"


def test_answer_level_by_year_gives_each_group_a_subtotal(data):
    table = crosstab_table(answer_level(data), ENV, "year")
    # policy total: 2019 多点执业 ×2 + 编制 = 3, 2020 远程医疗 = 1 → "Total (n=4)"
    assert table.counts.loc["Total (n=4)"].tolist() == [3, 1]
    assert table.header[0] == "Symbiotic environment and secondary classification"


def test_views_name_grouped_dimensions_only(data):
    with pytest.raises(InputError, match=r"\['symbiotic_unit'\] have no groups of answers"):
        group_level(data, ["symbiotic_unit"])
    with pytest.raises(InputError, match="no dimension 'nonsense'"):
        answer_level(data, ["nonsense"])
    # a codebook without grouped answers passes through unchanged
    plain = CodedData(data.long.iloc[0:0], data.segments, load_codebook("6d"))
    assert group_level(plain).codebook.dimensions == plain.codebook.dimensions


def test_a_stored_answer_without_its_group_is_refused(data):
    long = pd.concat(
        [
            data.long,
            pd.DataFrame(
                [{"segment_id": "s2", "doc_id": "d", "dimension": ENV, "value": "多点执业"}]
            ),
        ]
    )
    broken = CodedData(long, data.segments, data.codebook)
    message = (
        "dimension 'symbiotic_environment': 1 answer(s) carry no group: '多点执业' (segment "
        "s2); expected '<group>:<answer>' with a group of ['policy', 'technology', "
        "'economy', 'society']"
    )
    for view in (group_level, answer_level):
        with pytest.raises(InputError) as err:
            view(broken)
        assert str(err.value) == message


def test_the_group_level_needs_a_dimension_with_groups_of_answers(data):
    require_answer_groups(data.codebook)  # symbiotic_environment
    with pytest.raises(InputError) as err:
        require_answer_groups(data.codebook, ["level"])
    assert str(err.value) == (
        "parameter 'level': 'group' compares the groups an open dimension's answers fall "
        "in, but dimension(s) level of codebook 'symbiosis' has no category groups of "
        "answers; dimensions with groups: symbiotic_environment (open); leave out level "
        "(the default 'answer')"
    )
