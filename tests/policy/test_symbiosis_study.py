"""Seed 003's study walked through with the symbiosis codebook: clause entries of the
example corpus, two coders' open answers in Chinese (synonyms and variants), agreement,
reconciliation and the counts seed 003 reports. Every expected number is worked out by
hand in the comments beside it from the codings written below. Community facilities
(社区卫生服务中心), township hospitals (乡镇卫生院) and PHC institutions (基层) are three
units, as seed 003 §3.2.1 keeps them (review seeds32 M2: they were merged before); coder
a's telemedicine is typed 远程影像, a variant of 远程医疗 (远程会诊, remote consultation,
was one until M3 made it a model of its own)."""

from __future__ import annotations

import pandas as pd
import pytest

from ihms.policy.agreement import agreement_table, coder_agreement
from ihms.policy.codebook import load_codebook
from ihms.policy.coding import codings, import_codings
from ihms.policy.project import Project

COLS = ("共生单元", "共生模式", "共生环境", "共生界面", "共生行为", "共生组织程度")
# entry code: unit, model, environment (each answer led by its group), interface,
# behaviour, organisation degree
CODER_A = {
    "00-06-2-1": ("三级公立医院; 社区卫生服务中心", "医疗集团", "-", "-", "偏利共生", "连续共生"),
    "00-06-2-2": ("县级医院; 乡镇卫生院; 村卫生室", "医共体", "-", "-", "互惠共生", "一体化共生"),
    "00-06-3-2": ("三级医院; 基层", "多点执业", "政策环境：多点执业", "医师", "偏利共生", "间歇共生"),
    "00-10-2-1": ("县级医院; 乡镇卫生院; 村卫生室", "紧密型县域医共体", "-", "人员", "互惠共生", "一体化共生"),
    "00-10-2-4": ("-", "远程影像", "技术环境：信息平台；政策环境：结果互认", "信息", "偏利共生", "连续共生"),
    "33-02-2-2": ("三甲医院; 社区卫生服务中心", "专家下沉", "-", "专家", "偏利共生", "间歇共生"),
}  # fmt: skip
CODER_B = {
    "00-06-2-1": ("三级医院; 社区卫生服务中心", "城市医疗集团", "-", "-", "偏利共生", "连续共生"),
    "00-06-2-2": ("县医院; 乡镇卫生院; 村卫生室", "县域医共体", "-", "-", "互惠共生", "一体化共生"),
    "00-06-3-2": ("三级甲等医院; 基层医疗机构", "人员下沉", "政策环境：医师多点执业", "医务人员", "偏利共生", "间歇共生"),
    "00-10-2-1": ("县级医院; 乡镇卫生院", "医共体", "政策：人员编制", "人员", "互惠共生", "一体化共生"),
    "00-10-2-4": ("-", "远程医疗", "技术：信息化建设; 政策：检验结果互认", "信息", "偏利共生", "连续共生"),
    "33-02-2-2": ("三级医院、社区卫生服务中心", "坐诊", "-", "专家", "偏利共生", "间歇共生"),
}  # fmt: skip


def _sheet(project, answers: dict) -> pd.DataFrame:
    segs = project.segments(scheme="clause")
    ids = dict(zip(segs["code"], segs["id"], strict=True))
    return pd.DataFrame(
        [
            {"segment_id": ids[code], **dict(zip(COLS, row, strict=True))}
            for code, row in answers.items()
        ]
    )


def build_study(path, documents, codebook=None):
    """The study project at ``path``: clause entries, coders a and b (also used by
    test_dataset)."""
    p = Project.create(path, codebook or load_codebook("symbiosis"))
    p.add_documents(documents)  # unscreened: file numbers as the CLI gives
    p.segment("clause")
    import_codings(p, _sheet(p, CODER_A), coder="a")
    import_codings(p, _sheet(p, CODER_B), coder="b")
    p.close()
    return path


@pytest.fixture(scope="module")
def study_template(tmp_path_factory, example_corpus):
    path = tmp_path_factory.mktemp("symbiosis") / "study.sqlite"
    return build_study(path, example_corpus.documents)


@pytest.fixture
def study(study_template, tmp_path):
    import shutil

    target = tmp_path / "study.sqlite"
    shutil.copy(study_template, target)
    p = Project(target)
    yield p
    p.close()


def test_entry_codes_of_the_coded_clauses(study):
    segs = study.segments(scheme="clause").set_index("code")
    # N05 is the sixth national file by date: 二、(一) → 00-06-2-1
    assert segs.loc["00-06-2-1", "text"].startswith("（一）在城市主要组建医疗集团")
    assert segs.loc["33-02-2-2", "text"].startswith("（二）实施专家下沉")


def test_agreement_lists_open_answers_under_their_dimension(study):
    report = coder_agreement(study, coders=["a", "b"])
    table = agreement_table(report, study.codebook(), lang="zh").frame
    labels = [s.strip() for s in table["维度 / 类目"]]
    # each open answer's present/absent row follows its own dimension's whole-set row
    start = labels.index("共生界面")
    end = labels.index("共生行为")
    assert sorted(labels[start + 1 : end]) == ["人员", "信息"]
    start = labels.index("共生模式")
    end = labels.index("共生环境")
    assert sorted(labels[start + 1 : end]) == ["人员下沉", "县域医共体", "城市医疗集团", "远程医疗"]
    # in English, the answers' English names (seed 003, sections 3.2.2 and 3.2.4)
    table = agreement_table(report, study.codebook(), lang="en").frame
    labels = [s.strip() for s in table["dimension / category"]]
    # in the framework's order (the synonym list of symbiotic_model in
    # frameworks/symbiosis.yaml: 城市医疗集团, 县域医共体, 远程医疗, 人员下沉), as every
    # other table orders them
    start = labels.index("Symbiotic model")
    assert labels[start + 1 : start + 5] == [
        "Urban medical group", "County medical community", "Telemedicine", "Dispatching personnel"
    ]  # fmt: skip
    assert labels[labels.index("Symbiotic interface") + 1 :][:2] == ["Personnel", "Information"]


def test_agreement_note_names_seed_000_only_for_its_codebook(study):
    report = coder_agreement(study, coders=["a", "b"])
    notes = agreement_table(report, study.codebook()).notes
    assert notes[0].startswith("Mean kappa over dimensions:")
    assert "Yu et al. 2024" not in " ".join(notes)  # its 0.746 is a 6D benchmark


def test_variants_normalise_and_a_list_typed_with_dunhao_splits(study):
    long = codings(study, coders=["b"], dimensions=["symbiotic_unit"])
    segs = study.segments(scheme="clause").set_index("id")["code"]
    units = long.assign(code=long["segment_id"].map(segs)).groupby("code")["value"]
    # 三级甲等医院 → 三级医院, 基层医疗机构 → 基层医疗卫生机构
    assert sorted(units.get_group("00-06-3-2")) == ["三级医院", "基层医疗卫生机构"]
    # '三级医院、社区卫生服务中心' is two units, the second a variant of 社区卫生服务机构
    # (community facilities, a unit of its own in seed 003 §3.2.1)
    assert sorted(units.get_group("33-02-2-2")) == ["三级医院", "社区卫生服务机构"]
    unit = study.codebook().dimension("symbiotic_unit")
    assert unit.normalize("三甲医院") == "三级医院"
    # seed 003 kept hospital levels apart from hospital types (section 3.2.1)
    assert unit.normalize("二级医院") == "二级医院" != unit.normalize("县医院")
    assert unit.normalize("二级及以上医院") == "二级以上医院"


def test_agreement_on_normalised_open_answers(study):
    import krippendorff
    import numpy as np

    row = (
        coder_agreement(study, coders=["a", "b"], dimensions=["symbiotic_unit"])
        .table.set_index(["dimension", "category"], drop=False)
        .loc[("symbiotic_unit", None)]
    )
    # Whole normalised sets, six entries; S1 = {三级医院, 社区卫生服务机构},
    # S2 = {县级医院, 乡镇卫生院, 村卫生室}, S3 = {县级医院, 乡镇卫生院}, S4 = none,
    # S5 = {三级医院, 基层医疗卫生机构}.
    # a: S1 S2 S5 S2 S4 S1;  b: S1 S2 S5 S3 S4 S1 (00-10-2-1 differs).
    # p_o = 5/6; p_e = (2·2 + 2·1 + 1·1 + 0·1 + 1·1)/36 = 8/36 = 2/9;
    # kappa = (5/6 − 2/9)/(7/9) = 11/14
    assert row["n_units"] == 6
    assert row["percent_agreement"] == pytest.approx(100 * 5 / 6)
    assert row["kappa"] == pytest.approx(11 / 14)
    # Krippendorff's alpha, nominal, from the reference package on the same sets
    a, b = [1, 2, 5, 2, 4, 1], [1, 2, 5, 3, 4, 1]
    expected = krippendorff.alpha(np.array([a, b], dtype=float), level_of_measurement="nominal")
    assert row["alpha"] == pytest.approx(expected)


def test_seed_003_tables_from_one_coder(study):
    from ihms.policy.reconcile import coded_data
    from ihms.policy.table_specs import build_tables

    tables = {t.name: t for t in build_tables(coded_data(study, source="a", scheme="clause"))}
    cov = tables["coverage"]
    # coder a coded six entries; units in 5 (00-10-2-4 is '-'): 2+3+2+3+2 = 12 codings
    # of 6 distinct units (三级医院 — 三甲医院 too —, 社区卫生服务机构, 县级医院,
    # 乡镇卫生院, 村卫生室, 基层医疗卫生机构)
    assert cov.cell("Symbiotic unit", "Entries with an answer (n=6), n (%)") == "5 (83.3)"
    assert cov.counts.loc["Symbiotic unit"].tolist() == [5, 12, 6]
    # models in all six, four distinct: 城市医疗集团, 县域医共体 (×2), 人员下沉 (×2), 远程医疗
    assert cov.counts.loc["Symbiotic model"].tolist() == [6, 6, 4]
    # environment: 00-06-3-2 多点执业 (policy), 00-10-2-4 信息化 (technology) and
    # 检查检验结果互认 (policy) → 2 of 6 entries, 3 codings, 3 distinct; then per group
    assert cov.cell("Symbiotic environment", "Entries with an answer (n=6), n (%)") == "2 (33.3)"
    assert cov.counts.loc["Symbiotic environment"].tolist() == [2, 3, 3]
    assert cov.counts.loc["Symbiotic environment: Policy"].tolist() == [2, 2, 2]
    assert cov.counts.loc["Symbiotic environment: Technology"].tolist() == [1, 1, 1]
    # seed 003 reports 0 social environments: every group is listed
    assert cov.counts.loc["Symbiotic environment: Society"].tolist() == [0, 0, 0]
    # interface: 医师, 人员, 专家 are 人员, and 信息 → 4 entries, 2 distinct
    assert cov.counts.loc["Symbiotic interface"].tolist() == [4, 4, 2]
    # the answers under their groups (every group listed, as seed 003 lists society's 0)
    env = tables["symbiotic_environment"]
    assert [(label, kind) for label, kind, _ in env.rows] == [
        ("Policy (n=2)", "group"),
        ("Multi-site practice", "category"),
        ("Mutual recognition of inspection results", "category"),
        ("Technology (n=1)", "group"),
        ("Informatization", "category"),
        ("Economy (n=0)", "group"),
        ("Society (n=0)", "group"),
    ]
    assert env.counts["n"].dropna().tolist() == [1, 1, 1]
    # behaviour × organisation degree: commensalism is 2 intermittent (00-06-3-2,
    # 33-02-2-2) and 2 continuous (00-06-2-1, 00-10-2-4); mutualism 2 integrated
    cross = tables["behaviour_by_organisation_degree"]
    assert cross.counts.loc["Commensalism (n=4)"].tolist() == [0, 2, 2, 0]
    assert cross.cell("Commensalism (n=4)", "Intermittent symbiosis, n (%)") == "2 (50.00)"
    assert cross.cell("Mutualism (n=2)", "Integrated symbiosis, n (%)") == "2 (100.00)"


def test_english_outputs_name_open_answers_in_english(study_template, tmp_path):
    """``--lang en`` shows seed 003's English names of the units, models and interfaces
    (sections 3.2.1, 3.2.2, 3.2.4); ``--lang zh`` the answers as the codebook has them."""
    import json
    import shutil

    from typer.testing import CliRunner

    from ihms.cli.main import app
    from ihms.policy.reconcile import coded_data
    from ihms.policy.textstats import top_terms_by_category
    from ihms.policy.trend import time_evolution

    project = str(shutil.copy(study_template, tmp_path / "study.sqlite"))
    runner = CliRunner()
    common = ["--source", "a", "--scheme", "clause", "--json"]

    def tables(lang: str) -> dict:
        out = tmp_path / lang
        result = runner.invoke(
            app, ["policy", "tables", project, "--out", str(out), "--format", "csv",
                  "--lang", lang, *common],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        return {
            name: {r[next(iter(r))]: r[list(r)[1]] for r in t["table"]}
            for name, t in json.loads(result.output).items()
        }

    en, zh = tables("en"), tables("zh")
    # coder a's units: 三级医院 in 3 entries, 县级医院, 社区卫生服务机构, 乡镇卫生院 and
    # 村卫生室 2 each (codebook order), 基层医疗卫生机构 1 (12 codings; see
    # test_seed_003_tables_from_one_coder)
    units = en["symbiotic_unit"]
    assert list(units) == [
        "Tertiary hospitals", "County hospitals", "Community facilities", "Township hospitals",
        "Village clinics", "PHC institutions",
    ]  # fmt: skip
    assert units["Tertiary hospitals"] == "3 (25.00)"  # 3 / 12 = 25 %
    assert list(zh["symbiotic_unit"]) == [
        "三级医院", "县级医院", "社区卫生服务机构", "乡镇卫生院", "村卫生室", "基层医疗卫生机构"
    ]  # fmt: skip
    # models: 县域医共体 2, 人员下沉 2, 城市医疗集团 1, 远程医疗 1; interfaces: 人员 3, 信息 1
    assert set(en["symbiotic_model"]) == {
        "County medical community", "Dispatching personnel", "Urban medical group", "Telemedicine"
    }  # fmt: skip
    assert list(en["symbiotic_interface"]) == ["Personnel", "Information"]

    # the network: 三级医院 → 社区卫生服务机构 in 2 entries (00-06-2-1, 33-02-2-2), the
    # first of the links of weight 2 (县级医院 → 乡镇卫生院 and → 村卫生室, 乡镇卫生院 →
    # 村卫生室: 00-06-2-2, 00-10-2-1), 三级医院 → 基层医疗卫生机构 in 1 (00-06-3-2);
    # nodes and edges keep the units as coded
    result = runner.invoke(app, ["policy", "network", project, *common])
    assert result.exit_code == 0, result.output
    net = json.loads(result.output)
    weights = {(e["source"], e["target"]): e["weight"] for e in net["edges"]}
    assert {k: net["edges"][0][k] for k in ("source", "target", "weight")} == {
        "source": "三级医院", "target": "社区卫生服务机构", "weight": 2
    }  # fmt: skip
    assert weights[("县级医院", "乡镇卫生院")] == weights[("乡镇卫生院", "村卫生室")] == 2
    assert weights[("三级医院", "基层医疗卫生机构")] == 1
    assert {n["unit"]: n["label"] for n in net["nodes"]}["村卫生室"] == "Village clinics"
    result = runner.invoke(app, ["policy", "network", project, "--source", "a"])
    assert result.exit_code == 0, result.output
    assert "Tertiary hospitals" in result.output and "三级医院" not in result.output
    result = runner.invoke(app, ["policy", "network", project, "--source", "a", "--lang", "zh"])
    assert "三级医院" in result.output and "Tertiary hospitals" not in result.output
    bad = runner.invoke(app, ["policy", "network", project, "--source", "a", "--lang", "fr"])
    assert bad.exit_code == 2 and "'lang'" in bad.output

    # the year chart and the top terms per answer
    with Project(project) as p:
        data = coded_data(p, source="a", scheme="clause")
    assert "Tertiary hospitals" in time_evolution(data, "symbiotic_unit").labels.values()
    terms = top_terms_by_category(data, "symbiotic_interface", n=1)
    assert terms["category"].tolist() == ["Personnel", "Information"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_coding_sheet_shows_the_headings_of_each_entry(study, tmp_path, suffix):
    from ihms.policy.coding_export import export_codings

    path = export_codings(study, tmp_path / f"sheet{suffix}", coders=["a"], scheme="clause")
    if suffix == ".xlsx":
        sheet = pd.read_excel(path, dtype=str, keep_default_na=False)
    else:
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(sheet.columns[:6]) == ["segment_id", "coder", "document", "code", "context", "text"]
    rows = sheet.set_index("code")
    # the clause headings in the example files: 2017_国务院办公厅_医联体建设.html (N05)
    # and 2017_杭州市_城市医联体.txt (M04)
    assert rows.loc["00-06-2-1", "context"] == "二、逐步形成多种形式的医联体组织模式"
    assert rows.loc["00-06-3-2", "context"] == "三、完善医联体内部分工协作机制"
    assert rows.loc["33-02-2-2", "context"] == "二、工作任务"
    # the column is for reading: the sheet imports back unchanged (as coder c)
    import_codings(study, sheet.assign(coder="c"))
    key = ["segment_id", "dimension", "value"]
    got = codings(study, coders=["c"])[key].sort_values(key).reset_index(drop=True)
    want = codings(study, coders=["a"])[key].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_a_third_coders_gaps_are_noted_once_per_dimension_even_for_grouped_answers(study):
    """Coder c coded the first four entries only: Fleiss' kappa leaves out the other two
    in every dimension, for the whole answer and each answer alike. One note per
    dimension says so; a grouped answer (``policy:多点执业``, a colon in its key) got a
    note of its own per answer before, the wording parsed back by a pattern that a
    colon in a category broke."""
    import_codings(study, _sheet(study, dict(list(CODER_A.items())[:4])), coder="c")
    report = coder_agreement(study)
    shown = agreement_table(report, study.codebook())
    left_out = [n for n in shown.notes if "Fleiss' kappa left out" in n]
    dims = list(dict.fromkeys(report.table["dimension"]))
    whole = {d: "set" if d in report.multi_label else "answer" for d in dims}
    assert left_out == [
        f"{study.codebook().dimension(dim).label('en')}: Fleiss' kappa left out 2 "
        f"segment(s) not every coder coded, for the whole {whole[dim]} and each category "
        "(kappa units)."
        for dim in dims
    ]
    assert set(report.table["kappa_units"]) == {4}


@pytest.mark.parametrize(
    ("level", "how"),
    [
        ("answer", "比较其答案（连同所属组别；level='group' / --level group 只比较组别）"),
        ("group", "只比较其组别（编码员答案所属组别的集合）"),
    ],
)
def test_the_grouped_dimension_note_in_chinese(study, level, how):
    """The note coder_agreement adds on a grouped open dimension, said in Chinese with
    the dimension's label (in English it names the key: symbiotic_environment)."""
    report = coder_agreement(study, coders=["a", "b"], level=level)
    notes = agreement_table(report, study.codebook(), lang="zh").notes
    assert [n for n in notes if "分组开放维度" in n] == [f"分组开放维度共生环境{how}。"]
    assert not [n for n in notes if "Grouped" in n]
