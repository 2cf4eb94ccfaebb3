"""The symbiosis codebook's policy levels: a county or municipal document keeps its
level (session 21, user review A, finding 2). Seed 003's own corpus is 46 national
and 563 provincial documents (seed 003, §2.1), so its tables are unchanged: a level
without documents is no column (``test_symbiosis_walk``'s documents by year)."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.policy.codebook import derive_metadata, load_codebook
from ihms.policy.corpus import Document
from ihms.policy.table_specs import build_tables, default_specs

from .test_symbiosis_walk import _Data


def _doc(doc_id: str, **meta) -> Document:
    return Document(id=doc_id, file=f"{doc_id}.txt", fmt="txt", sha256=doc_id, text="x", **meta)


@pytest.mark.parametrize(
    ("issuer", "level"),
    [
        ("国家卫生健康委员会", "national"),
        ("国务院办公厅", "national"),
        ("浙江省卫生健康委员会", "provincial"),
        ("广西壮族自治区卫生健康委员会", "provincial"),  # 自治区 is no 区 (district)
        ("上海市卫生健康委员会", "provincial"),  # a municipality under the central government
        ("杭州市卫生健康委员会", "municipal"),
        ("延边朝鲜族自治州卫生健康委员会", "municipal"),
        ("云溪县卫生健康局", "county"),
        ("云溪县市场监督管理局", "county"),  # 市场 is no city
        ("杭州市萧山区卫生健康局", "county"),  # a district of a city
        ("浙江省云溪县人民政府", "county"),  # the lowest level named
    ],
)
def test_issuer_rules_give_the_level_of_the_issuing_body(issuer, level):
    cb = load_codebook("symbiosis")
    assert derive_metadata(cb, _doc("d", issuer=issuer))["level"][0] == level
    # the 6D codebook's rules alike, Shanghai apart as seed 000 keeps it
    six_d = "shanghai" if issuer.startswith("上海") else level
    assert derive_metadata(load_codebook("6d"), _doc("d", issuer=issuer))["level"][0] == six_d


@pytest.mark.parametrize(
    ("given", "level"), [("县级", "county"), ("市级", "municipal"), ("省级", "provincial"),
                         ("上海", "provincial"), ("国家级", "national")]
)  # fmt: skip
def test_a_metadata_level_is_read_as_its_own_category(given, level):
    cb = load_codebook("symbiosis")
    assert derive_metadata(cb, _doc("d", level=given))["level"][0] == level


def test_the_level_table_shows_county_documents_as_county():
    # the review's corpus: 5 national, 3 provincial and 2 county documents, one entry each
    levels = ["national"] * 5 + ["provincial"] * 3 + ["county"] * 2
    rows = [(f"d{i}-1", f"d{i}", "level", lv) for i, lv in enumerate(levels)]
    data = _Data(pd.DataFrame(rows, columns=["segment_id", "doc_id", "dimension", "value"]),
                 load_codebook("symbiosis"))  # fmt: skip
    (table,) = build_tables(data, [s for s in default_specs(data.codebook) if s.name == "level"])
    # by hand: 5/10 = 50 %, 3/10 = 30 %, 2/10 = 20 %; no municipal document, no row
    assert [(r[0], r[2][0]) for r in table.rows] == [
        ("National level", "5 (50.00)"), ("Provincial level", "3 (30.00)"),
        ("County level", "2 (20.00)"),
    ]  # fmt: skip


def test_import_says_which_metadata_levels_an_alias_folds_into_another_category():
    from ihms.policy._metadata_aliases import folded_metadata

    cb = load_codebook("symbiosis")
    docs = [_doc("S1", level="上海"), _doc("S2", level="上海市"), _doc("C1", level="县级"),
            _doc("P1", level="省"), _doc("N1", level="中央")]  # fmt: skip
    notes = folded_metadata(cb, docs)
    # 上海 and 中央 are no form of 省级 / 国家级: said; 县级 is the category's own name,
    # 省 a shortening of 省级: not said. 上海市 is no alias (its issuer rules apply)
    assert notes == [
        "level '上海' of 1 document(s) (S1) is read as 省级 (provincial) through the "
        "codebook's alias; correct the sheet or the codebook if that is not meant",
        "level '中央' of 1 document(s) (N1) is read as 国家级 (national) through the "
        "codebook's alias; correct the sheet or the codebook if that is not meant",
    ]
