"""What a content table's n counts, said in its header: texts (segments) of how many
documents, or documents.

Seed 000 (``/work/shared/seeds/000_e6f48db32a589104.txt``, Methods line 151) segments
its 152 policy documents into 1,345 paragraphs, the "policy texts", and its Tables 1,
2 and 5 count those texts ("Policies (n=1345)"): ihms counts them as the paper does but
says they are texts of so many documents, so a project of 3 documents in 13
paragraphs does not read "County level 6 (46.15)" under "Policies" (session 19 user
review, F4).
"""

from dataclasses import dataclass

import pandas as pd

from ihms.policy.codebook import load_codebook
from ihms.policy.table_specs import SEED000_TABLES, build_tables, default_specs
from ihms.policy.tables import crosstab_table, frequency_table


@dataclass(frozen=True)
class Data:
    long: pd.DataFrame
    codebook: object
    source: str = "test"


def _three_documents(codebook="6d"):
    """The review's project: a county document of 6 paragraphs, a provincial one of 4
    and a municipal one of 3, every paragraph on medical associations."""
    rows = []
    levels = ["county", "provincial", "municipal"]
    if codebook != "6d":  # the symbiosis codebook knows national and provincial alone
        levels = ["national", "provincial", "provincial"]
    for doc, level, n in zip(("d1", "d2", "d3"), levels, (6, 4, 3), strict=True):
        for i in range(n):
            seg = f"{doc}-{i}"
            rows.append((seg, doc, "level", level))
            if codebook == "6d":
                rows.append((seg, doc, "orientation", "medical_association"))
    long = pd.DataFrame(rows, columns=["segment_id", "doc_id", "dimension", "value"])
    return Data(long, load_codebook(codebook))


def test_a_text_count_says_how_many_documents_the_texts_come_from():
    level = frequency_table(_three_documents(), "level")
    assert level.header[1] == "Texts (n=13 from 3 documents), n (%)"
    assert level.cell("County level", level.header[1]) == "6 (46.15)"
    assert any("13 texts are segments of 3 documents" in note for note in level.notes)
    zh = frequency_table(_three_documents(), "level", lang="zh")
    assert zh.header[1] == "文本数（n=13，来自 3 份政策文件），频数（占比 %）"
    assert any("13 条文本为 3 份政策文件的分段" in note for note in zh.notes)


def test_seed000_tables_1_2_5_say_policy_texts_not_policies():
    table1, table5 = build_tables(
        _three_documents(), [s for s in SEED000_TABLES if s.name in ("table1", "table5")]
    )
    assert table1.header[1] == "Policy texts (n=13 from 3 documents), n (%)"
    assert table5.header[1] == "Policy texts (n=13 from 3 documents), n (%)"
    (zh,) = build_tables(_three_documents(), [SEED000_TABLES[0]], lang="zh")
    assert zh.header[1] == "政策文本数（n=13，来自 3 份政策文件），频数（占比 %）"


def test_a_crosstab_of_document_properties_by_texts_says_so_in_a_note():
    table = crosstab_table(_three_documents(), "orientation", "level", percent="column")
    assert any("13 texts are segments of 3 documents" in note for note in table.notes)


def test_one_text_per_document_needs_no_word_on_documents():
    data = _three_documents()
    one = data.long.drop_duplicates(["doc_id", "dimension"])
    table = frequency_table(Data(one, data.codebook), "level")
    assert table.header[1] == "Texts (n=3), n (%)"
    assert not any("segments of" in note for note in table.notes)


def test_the_default_table_of_a_document_property_counts_documents():
    # the symbiosis codebook's level is the issuing body's, one per document (seed 003
    # counts its policy documents by level and year)
    data = _three_documents("symbiosis")
    level = next(s for s in default_specs(data.codebook) if s.name == "level")
    assert level.options["count"] == "documents"
    (table,) = build_tables(data, [level])
    assert table.header[1] == "Documents (n=3), n (%)"
    assert table.cell("Provincial level", table.header[1]) == "2 (66.67)"
