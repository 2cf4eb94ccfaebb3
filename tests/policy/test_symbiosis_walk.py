"""Seed 003 walked again as a researcher would: English names typed back as answers,
open answers in the framework's order, years without texts, the disagreement sheet's
context, and themes named in English. Expected numbers are worked by hand beside them
from the two coders' answers in ``test_symbiosis_study`` (CODER_A, CODER_B)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass

import pandas as pd
import pytest
from tests.policy.test_symbiosis_study import build_study
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import ConfigError, DataError, InputError
from ihms.policy.codebook import load_codebook, parse_codebook
from ihms.policy.coding import codings, import_codings
from ihms.policy.project import Project
from ihms.policy.reconcile import coded_data, export_disagreements, read_decisions, reconcile
from ihms.policy.tables import crosstab_table, frequency_table


@pytest.fixture(scope="module")
def template(tmp_path_factory, example_corpus):
    return build_study(tmp_path_factory.mktemp("walk") / "study.sqlite", example_corpus.documents)


@pytest.fixture
def study(template, tmp_path):
    p = Project(shutil.copy(template, tmp_path / "study.sqlite"))
    yield p
    p.close()


def _ids(project) -> dict[str, str]:
    segs = project.segments(scheme="clause")
    return dict(zip(segs["code"], segs["id"], strict=True))


def test_english_names_read_back_as_the_answers_they_name(study):
    unit = study.codebook().dimension("symbiotic_unit")
    # the codebook's English names (seed 003 §3.2.1, seed 001), any case or spacing
    assert unit.normalize("Tertiary hospitals") == "三级医院"
    assert unit.normalize("primary  care facilities") == "基层医疗卫生机构"
    ids = _ids(study)
    sheet = pd.DataFrame(
        [{"segment_id": ids["00-06-2-1"], "Symbiotic unit": "Tertiary hospitals; Primary care facilities",
          "Symbiotic model": "Urban medical group", "Symbiotic interface": "Personnel"}]
    )  # fmt: skip
    import_codings(study, sheet, coder="c")
    got = codings(study, coders=["c"]).groupby("dimension")["value"].apply(sorted).to_dict()
    assert got == {
        "symbiotic_interface": ["人员"],
        "symbiotic_model": ["城市医疗集团"],
        "symbiotic_unit": ["三级医院", "基层医疗卫生机构"],
    }
    # a decision typed in English is the same decision as in Chinese
    decided = read_decisions(
        study,
        pd.DataFrame(
            [{"segment_id": ids["00-10-2-1"], "dimension": "共生单元",
              "decision": "County hospitals; Primary care facilities; Village clinics"}]
        ),
    )  # fmt: skip
    assert json.loads(decided[0][2]) == ["县级医院", "基层医疗卫生机构", "村卫生室"]


def test_an_english_name_that_is_another_answers_spelling_is_refused():
    text = """
name: mini
dimensions:
  - key: unit
    en: Unit
    zh: 单元
    kind: open
    synonyms:
      三级医院: [big hospital]
      县级医院: [县医院]
    attributes:
      三级医院: {en: Tertiary hospitals}
      县级医院: {en: Big  Hospital}
"""
    with pytest.raises(ConfigError, match=r"'en' name 'Big  Hospital' of '县级医院' is also a "
                       r"spelling of '三级医院'"):  # fmt: skip
        parse_codebook(text)


def test_open_answers_follow_the_framework_order(study):
    data = coded_data(study, source="a", scheme="clause")
    # coder a's models: 县域医共体 2 (00-06-2-2, 00-10-2-1), 人员下沉 2 (多点执业 00-06-3-2,
    # 专家下沉 33-02-2-2), 城市医疗集团 1, 远程医疗 1. The codebook lists 城市医疗集团,
    # 县域医共体, 远程医疗 … 人员下沉 (symbiosis.yaml); by the Chinese strings 人员下沉
    # would come first (人 U+4EBA < 县 U+53BF < 城 U+57CE < 远 U+8FDC).
    t = frequency_table(data, "symbiotic_model", order="codebook", lang="zh")
    assert [r[0] for r in t.rows] == ["城市医疗集团", "县域医共体", "远程医疗", "人员下沉"]
    # by count, ties keep the codebook's order: 2, 2 (县域医共体 before 人员下沉), 1, 1
    t = frequency_table(data, "symbiotic_model", lang="en")
    assert [r[0] for r in t.rows] == [
        "County medical community", "Dispatching personnel", "Urban medical group", "Telemedicine"
    ]  # fmt: skip
    assert t.cell("County medical community", "Codings (n=6), n (%)") == "2 (33.33)"  # 2/6
    # an explicit order may name answers in English
    t = frequency_table(data, "symbiotic_model", order=["Telemedicine", "人员下沉"])
    assert [r[0] for r in t.rows][:2] == ["Telemedicine", "Dispatching personnel"]
    model = data.codebook.dimension("symbiotic_model")
    # the key the agreement table can sort open answers by (unknown answers last)
    answers = ["人员下沉", "新模式", "医联体", "Telemedicine"]
    assert sorted(answers, key=model.sort_key) == ["医联体", "Telemedicine", "人员下沉", "新模式"]


@dataclass(frozen=True)
class _Data:
    long: pd.DataFrame
    codebook: object
    source: str = "test"


def test_years_without_texts_are_listed_as_zeros():
    # five texts in 2015, two in 2017, three in 2019: 2016 and 2018 have none
    years = [2015] * 5 + [2017] * 2 + [2019] * 3
    rows = []
    for i, y in enumerate(years):
        rows += [(f"s{i}", "year", str(y)), (f"s{i}", "level", "national" if i < 6 else "shanghai")]
    long = pd.DataFrame(rows, columns=["segment_id", "dimension", "value"]).assign(doc_id="d")
    data = _Data(long, load_codebook("6d"))
    t = frequency_table(data, "year", order="codebook")
    # by hand: 5/10 = 50 %, 0, 2/10 = 20 %, 0, 3/10 = 30 %
    assert [(r[0], r[2][0]) for r in t.rows] == [
        ("2015", "5 (50.00)"), ("2016", "0 (0.00)"), ("2017", "2 (20.00)"), ("2018", "0 (0.00)"),
        ("2019", "3 (30.00)"),
    ]  # fmt: skip
    # years as rows of a 2D table: 2016 and 2018 rows with n=0; the national texts are
    # s0–s5 (five of 2015, one of 2017), Shanghai's s6–s9 (one of 2017, three of 2019)
    cross = crosstab_table(data, "year", "level", col_order=["national", "shanghai"])
    assert [r[0] for r in cross.rows] == [
        "2015 (n=5)", "2016 (n=0)", "2017 (n=2)", "2018 (n=0)", "2019 (n=3)", "Grand total (n=10)"
    ]  # fmt: skip
    assert cross.counts.loc["2016 (n=0)"].sum() == 0
    assert cross.cell("2017 (n=2)", "National level, n (%)") == "1 (50.00)"
    assert cross.cell("2018 (n=0)", "Shanghai, n (%)") == "N/A"
    # folded from 2018 on: 2018 and after holds 2019 too; the floor 2015 has no earlier
    # year, so it is "2015" as the unfolded table prints it (review A #14)
    folded = crosstab_table(data, "level", "year", year_floor=2015, year_ceiling=2018)
    assert folded.header[1:] == (
        "2015, n (%)", "2016, n (%)", "2017, n (%)", "2018 and after, n (%)"
    )  # fmt: skip


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_disagreement_sheet_shows_each_entrys_headings(study, tmp_path, suffix):
    rec = reconcile(study, coders=["a", "b"])
    # the coders differ only on 00-10-2-1 (units: a adds 村卫生室; environment: a '-',
    # b 政策：人员编制), which sits under 二、重点任务 in its file, as the coding sheet says
    path = export_disagreements(rec, tmp_path / f"d{suffix}", study.codebook())
    if suffix == ".xlsx":
        sheet = pd.read_excel(path, dtype=str, keep_default_na=False)
    else:
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(sheet.columns[:6]) == [
        "segment_id",
        "document",
        "code",
        "context",
        "text",
        "dimension",
    ]
    assert sheet["code"].tolist() == ["00-10-2-1", "00-10-2-1"]
    assert sheet["context"].tolist() == ["二、重点任务", "二、重点任务"]
    # the answers and dimensions in English (the default), open answers in the
    # codebook's order too; the dimension's key beside them, to read the sheet back by
    assert sheet[["dimension", "a", "b"]].values.tolist() == [
        ["Symbiotic environment", "-", "Policy: Staffing and promotion channels"],
        ["Symbiotic unit", "County hospitals; Township hospitals; Village clinics",
         "County hospitals; Township hospitals"],
    ]  # fmt: skip
    assert sheet["dimension_key"].tolist() == ["symbiotic_environment", "symbiotic_unit"]
    # the column is for reading: the filled-in sheet is recorded as before
    sheet["decision"] = ["政策环境：编制", "County hospitals; Primary care facilities"]
    assert len(read_decisions(study, sheet)) == 2
    with pytest.raises(DataError, match=r"row 2, column 'decision'.*'编制' has no group"):
        read_decisions(study, sheet.assign(decision=["编制", ""]))


def test_cluster_names_its_themes_in_english_or_chinese(template, tmp_path):
    project = str(shutil.copy(template, tmp_path / "study.sqlite"))
    runner = CliRunner()
    base = ["policy", "cluster", project, "symbiotic_model", "--source", "b", "--k", "2"]
    en = runner.invoke(app, [*base, "--json"])
    zh = runner.invoke(app, [*base, "--lang", "zh", "--json"])
    assert en.exit_code == 0 and zh.exit_code == 0, en.output + zh.output
    en, zh = json.loads(en.output), json.loads(zh.output)
    # the same themes whatever the language: coder b's models are 城市医疗集团, 县域医共体
    # ×2, 人员下沉 ×2, 远程医疗 (6 codings); only the names differ
    assert [t["count"] for t in en["themes"]] == [t["count"] for t in zh["themes"]]
    assert sum(t["count"] for t in en["themes"]) == 6
    shown = {a["answer"]: a["label"] for a in en["assignments"]}
    assert shown["县域医共体"] == "County medical community"  # seed 003 §3.2.2
    assert {a["answer"]: a["label"] for a in zh["assignments"]}["县域医共体"] == "县域医共体"
    printed = runner.invoke(app, base)
    assert "County medical community" in printed.output
    bad = runner.invoke(app, [*base, "--lang", "fr"])
    assert bad.exit_code == 2 and "'lang'" in bad.output


def test_words_keep_the_codebooks_units_whole():
    from ihms.policy.textstats import (
        PolicyTokenizer,
        codebook_terms,
        top_terms_by_category,
        word_frequencies,
    )

    cb = load_codebook("symbiosis")
    tok = PolicyTokenizer(terms=codebook_terms(cb))
    texts = {
        "s1": "三级公立医院派驻专家不少于5天。",
        "s2": "县域龙头医院与三级公立医院推进医联体建设。",
    }
    freq = word_frequencies(texts.values(), tokenizer=tok).set_index("term")
    # by hand: 三级公立医院 twice, once in each text; 县域龙头医院 once; 医联体建设 is the
    # word 医联体 and 建设 (医联体 names the same answer, so it is not kept whole)
    assert freq.loc["三级公立医院"].tolist() == [2, 2]
    assert freq.loc["县域龙头医院"].tolist() == [1, 1]
    assert freq.loc["医联体"].tolist() == [1, 1]
    # no fragment: 三级 (of 三级公立医院), 龙头 (of 县域龙头医院), 不少 (of the stop word 不少于)
    assert not {"三级", "龙头", "不少", "医联体建设"} & set(freq.index)
    # top terms by occurrences, units in the codebook's order: 省级医院 (s2) is listed
    # before 三级医院 (s1, s2) though 三 sorts before 省 as a string
    long = pd.DataFrame(
        [("s1", "symbiotic_unit", "三级医院"), ("s2", "symbiotic_unit", "三级医院"),
         ("s2", "symbiotic_unit", "省级医院")], columns=["segment_id", "dimension", "value"],
    ).assign(doc_id="d")  # fmt: skip
    segments = pd.DataFrame({"id": list(texts), "text": list(texts.values())})

    @dataclass(frozen=True)
    class Coded:
        long: pd.DataFrame
        segments: pd.DataFrame
        codebook: object

    top = top_terms_by_category(
        Coded(long, segments, cb), "symbiotic_unit", n=1, tokenizer=tok, method="count"
    )
    # 省级医院: s2's words, each once (县域龙头医院, 三级公立医院, 医联体, 建设 → the first
    # by name is 三级公立医院); 三级医院: 三级公立医院 twice
    assert top[["category", "term", "count"]].values.tolist() == [
        ["Provincial hospitals", "三级公立医院", 1], ["Tertiary hospitals", "三级公立医院", 2]
    ]  # fmt: skip


def test_the_words_command_on_a_symbiosis_project(template, tmp_path):
    project = str(shutil.copy(template, tmp_path / "study.sqlite"))
    args = ["policy", "words", project, "--source", "a", "--scheme", "clause", "--json"]
    result = CliRunner().invoke(app, [*args, "--top", "2000"])
    assert result.exit_code == 0, result.output
    terms = {r["term"] for r in json.loads(result.output)["frequencies"]}
    # 00-06-2-1 (N05) reads 三级公立医院: a unit of the codebook, counted whole
    assert "三级公立医院" in terms and "三级" not in terms


def test_qdpx_in_english_names_the_units_and_reads_them_back(template, tmp_path):
    from ihms.policy.qdpx import export_qdpx, import_qdpx

    with Project(shutil.copy(template, tmp_path / "study.sqlite")) as p:
        out = export_qdpx(p, tmp_path / "study.qdpx", lang="en", scheme="clause")
        # one selection per coded entry and coder (6 + 6); codings by hand from CODER_A
        # and CODER_B, one per answer and a 'none' code per dimension answered '-'
        # (00-10-2-4, the fifth, has two environment answers):
        # a: 7 + 8 + 7 + 8 + 7 + 7 = 44, b: 7 + 8 + 7 + 7 + 7 + 7 = 43 → 87
        assert (out.selections, out.codings) == (12, 87)
        import zipfile

        qde = zipfile.ZipFile(tmp_path / "study.qdpx").read("project.qde").decode("utf-8")
        assert 'name="Tertiary hospitals"' in qde and 'name="Head hospitals"' in qde
        assert 'name="三级医院"' not in qde
        back = import_qdpx(p, tmp_path / "study.qdpx", coder="b2", user="b", scheme="clause")
        assert back.added == 43
        key = ["segment_id", "dimension", "value"]
        c = codings(p, coders=["b", "b2"])
        got = c[c["coder_id"] == "b2"][key].sort_values(key).reset_index(drop=True)
        want = c[c["coder_id"] == "b"][key].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)


def test_a_coding_sheet_in_english_names_open_answers_in_english_and_reads_back(study, tmp_path):
    from ihms.policy.coding_export import export_codings

    path = export_codings(study, tmp_path / "en.xlsx", coders=["b"], scheme="clause", lang="en")
    sheet = pd.read_excel(path, dtype=str, keep_default_na=False).set_index("code")
    # coder b's 33-02-2-2: 三级医院、社区卫生服务中心 → Tertiary hospitals; Community
    # facilities (seed 003 §3.2.1), 坐诊 → 人员下沉 → Dispatching personnel (§3.2.2)
    assert sheet.loc["33-02-2-2", "Symbiotic unit"] == "Tertiary hospitals; Community facilities"
    assert sheet.loc["33-02-2-2", "Symbiotic model"] == "Dispatching personnel"
    import_codings(study, sheet.reset_index().assign(coder="b2"))
    key = ["segment_id", "dimension", "value"]
    c = codings(study, coders=["b", "b2"])
    got = c[c["coder_id"] == "b2"][key].sort_values(key).reset_index(drop=True)
    want = c[c["coder_id"] == "b"][key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


# seed 003 §3.1.1: national policy documents 2015–2024 were 5, 2, 2, 4, 5, 5, 7, 5, 8
# and 3 (46 in all); the first provincial one came in 2009 (§3.1.2, Shandong)
NATIONAL = dict(zip(range(2015, 2025), (5, 2, 2, 4, 5, 5, 7, 5, 8, 3), strict=True))


def test_documents_by_year_and_level_as_seed_003_counts_them():
    from ihms.policy.table_specs import build_tables, default_specs

    rows, doc = [], 0
    for year, n in NATIONAL.items():
        for _ in range(n):
            doc += 1
            for entry in (1, 2):  # two entries each: documents count once, texts twice
                seg = f"d{doc}-{entry}"
                rows += [(seg, f"d{doc}", "year", str(year)), (seg, f"d{doc}", "level", "national")]
    for doc_id, year in (("p1", 2009), ("p2", 2017)):
        rows += [(f"{doc_id}-1", doc_id, "year", str(year)), (f"{doc_id}-1", doc_id, "level", "provincial")]  # fmt: skip
    long = pd.DataFrame(rows, columns=["segment_id", "doc_id", "dimension", "value"])
    data = _Data(long, load_codebook("symbiosis"))
    specs = [s for s in default_specs(data.codebook) if s.name == "documents_by_year"]
    (table,) = build_tables(data, specs)
    assert table.header[1:] == (
        "National level (n=46), n (%)", "Provincial level (n=2), n (%)", "Total, n (%)"
    )  # fmt: skip
    # 8 / 46 = 17.39 % (2023, the national peak), 7 / 46 = 15.22 %, 2 / 46 = 4.35 %
    assert table.cell("2023", "National level (n=46), n (%)") == "8 (17.4)"
    assert table.cell("2021", "National level (n=46), n (%)") == "7 (15.2)"
    assert table.cell("2016", "National level (n=46), n (%)") == "2 (4.3)"
    # 2010–2014: no document at either level, listed between 2009 and 2015; 2017 holds
    # 2 national and 1 provincial: 3 of 48 = 6.25 % → 6.3 (half up)
    labels = [r[0] for r in table.rows]
    assert labels[:7] == ["2009", "2010", "2011", "2012", "2013", "2014", "2015"]
    assert table.cell("2012", "Total, n (%)") == "0 (0.0)"
    assert table.cell("2017", "Total, n (%)") == "3 (6.3)"
    assert table.cell("Grand total", "Total, n (%)") == "48 (100.0)"
    assert table.notes[0].startswith("n counts documents")
    with pytest.raises(InputError, match="coded per text"):
        frequency_table(data, "symbiotic_unit", count="documents")


def test_a_document_with_an_overridden_level_on_one_text_counts_once():
    # d1: three texts, a coder recoded one of them as provincial; d2: one provincial
    # text. Counted by document: national 1, provincial 1 (d1 under its most frequent
    # level, not under both), 2 documents in all, and a note names d1.
    rows = [(f"d1-{i}", "d1", "year", "2020") for i in (1, 2, 3)]
    rows += [("d1-1", "d1", "level", "national"), ("d1-2", "d1", "level", "national")]
    rows += [("d1-3", "d1", "level", "provincial")]
    rows += [("d2-1", "d2", "year", "2021"), ("d2-1", "d2", "level", "provincial")]
    long = pd.DataFrame(rows, columns=["segment_id", "doc_id", "dimension", "value"])
    data = _Data(long, load_codebook("symbiosis"))
    table = frequency_table(data, "level", count="documents")
    assert table.title.endswith("(n=2)")
    assert [float(n) for n in table.counts["n"]] == [1.0, 1.0]
    assert any("1 document(s)" in n and "(d1)" in n for n in table.notes)
    cross = crosstab_table(data, "year", "level", count="documents")
    assert cross.cell("2020 (n=1)", "National level, n (%)") == "1 (100.00)"
    assert any("(d1)" in n for n in cross.notes)


def test_the_most_frequent_interfaces_as_seed_003s_top_20(study, tmp_path):
    from ihms.policy.table_specs import build_tables, load_table_specs

    spec = tmp_path / "specs.yaml"
    spec.write_text(
        "- {name: top_interfaces, rows: symbiotic_interface, order: count, top: 1,\n"
        "   title: Top symbiotic interfaces}\n",
        encoding="utf-8",
    )
    data = coded_data(study, source="a", scheme="clause")
    (table,) = build_tables(data, load_table_specs(spec))
    # coder a's interfaces: 人员 (医师 00-06-3-2, 人员 00-10-2-1, 专家 33-02-2-2) and 信息
    # (00-10-2-4): 4 codings; the top one is Personnel, 3 of 4 = 75 %
    assert table.to_frame().values.tolist() == [["Personnel", "3 (75.00)"]]
    assert "The first 1 of 2 rows; percentages are of all n = 4." in table.notes
    spec.write_text("- {name: t, rows: symbiotic_interface, percent: row}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"entry 1 \(t\): percent not for a 1D table"):
        load_table_specs(spec)
    with pytest.raises(InputError, match="top must be a whole number"):
        frequency_table(data, "symbiotic_interface", top=0)


def test_a_word_cloud_of_the_coded_models(template, tmp_path):
    project = str(shutil.copy(template, tmp_path / "study.sqlite"))
    runner = CliRunner()
    base = ["policy", "words", project, "--source", "a", "--scheme", "clause"]
    result = runner.invoke(app, [*base, "--answers", "symbiotic_model", "--json"])
    assert result.exit_code == 0, result.output
    freq = json.loads(result.output)["frequencies"]
    # coder a's models (see test_open_answers_follow_the_framework_order): 2, 2, 1, 1,
    # ties in the codebook's order, named as seed 003 §3.2.2 names them
    assert [(r["term"], r["count"]) for r in freq] == [
        ("County medical community", 2), ("Dispatching personnel", 2),
        ("Urban medical group", 1), ("Telemedicine", 1),
    ]  # fmt: skip
    # the documents (level-file of the entry codes): 县域医共体 in 00-06 and 00-10,
    # 人员下沉 in 00-06 and 33-02 (review A #9: the column was called texts)
    assert [r["documents"] for r in freq] == [2, 2, 1, 1]
    out = tmp_path / "cloud"
    zh = runner.invoke(
        app, [*base, "--answers", "共生模式", "--lang", "zh", "--top", "50", "--out", str(out)]
    )
    assert zh.exit_code == 0, zh.output
    written = pd.read_csv(out / "frequencies.csv", encoding="utf-8-sig")
    assert written["词语"].tolist() == [
        "县域医共体",
        "人员下沉",
        "城市医疗集团",
        "远程医疗",
    ]  # zh headers (review A #15)
    assert (out / "wordcloud.png").stat().st_size > 5_000
    bad = runner.invoke(app, [*base, "--answers", "symbiotic_model", "--lang", "fr"])
    assert bad.exit_code == 2 and "'lang'" in bad.output


def test_trend_names_answers_in_either_language(template, tmp_path):
    project = str(shutil.copy(template, tmp_path / "study.sqlite"))
    runner = CliRunner()
    base = ["policy", "trend", project, "symbiotic_model", "--source", "a", "--scheme", "clause"]
    # the answers head the table's columns (no year has 10 texts, so the peak note,
    # which named them too, says peaks are not determined): read them from --table
    en_csv, zh_csv = tmp_path / "en.csv", tmp_path / "zh.csv"
    en = runner.invoke(app, [*base, "--table", str(en_csv)])
    zh = runner.invoke(app, [*base, "--lang", "zh", "--table", str(zh_csv)])
    assert en.exit_code == 0 and zh.exit_code == 0, en.output + zh.output
    en_cols = pd.read_csv(en_csv, encoding="utf-8-sig").columns.tolist()
    zh_cols = pd.read_csv(zh_csv, encoding="utf-8-sig").columns.tolist()
    assert "County medical community" in en_cols and "县域医共体" not in en_cols
    assert "县域医共体" in zh_cols and "County medical community" not in zh_cols
    bad = runner.invoke(app, [*base, "--lang", "fr"])
    assert bad.exit_code == 2 and "'lang'" in bad.output
