"""The coded data set for SPSS / Stata / Excel (``ihms.policy.dataset``)."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.codebook import load_codebook
from ihms.policy.coding import import_codings
from ihms.policy.dataset import _names, analysis_dataset
from ihms.policy.reconcile import final_codings


def test_one_row_per_segment_and_a_dummy_per_multilabel_category(coded_project):
    ds = analysis_dataset(coded_project)
    frame = ds.frame
    segments = coded_project.segments(scheme="paragraph")
    assert len(frame) == 212 and frame["segment_id"].is_unique
    assert set(frame["segment_id"]) <= set(segments["id"])
    # each tools_<category> column counts exactly the final codings of that category
    final, _ = final_codings(coded_project)
    tools = final[final["dimension"] == "tools"]["value"].value_counts()
    for cat, n in tools.items():
        assert frame[f"tools_{cat}"].sum() == n, cat
    assert ds.variable_labels["tools_talent_construction"] == "Policy tools: Talent construction"
    assert ds.value_labels["tools_talent_construction"] == {0: "no", 1: "yes"}
    # single-label metadata: the category's position in the codebook, labelled
    cb = coded_project.codebook()
    level = cb.dimension("level")
    assert ds.value_labels["level"] == {i: c.en for i, c in enumerate(level.categories, start=1)}
    row = frame[frame["doc_id"] == "M01"].iloc[0]
    assert ds.value_labels["level"][int(row["level"])] == "Municipal level"
    assert row["year"] == 2015  # M01 is a 2015 Xiamen plan (examples/policies/metadata.xlsx)
    assert repr(ds) == (  # not the data and every label
        f"<AnalysisDataset: source='final', segments=212, variables={len(frame.columns)}, "
        "unresolved=0>"
    )


def test_uncoded_is_missing_and_a_none_answer_is_zero(project):
    # a project with two segments answered by one coder: one with a tool, one with
    # "none of them" ('-'); every other segment was never coded
    segs = project.segments(scheme="paragraph")
    first, second = segs["id"].iloc[0], segs["id"].iloc[1]
    sheet = pd.DataFrame(
        {"segment_id": [first, second], "Policy tools": ["Talent construction", "-"]}
    )
    import_codings(project, sheet, coder="alice")
    frame = analysis_dataset(project, text=False).frame.set_index("segment_id")
    assert frame.loc[first, "tools_talent_construction"] == 1
    assert frame.loc[first, "tools_financial_guarantee"] == 0
    assert (frame.loc[second, [c for c in frame if c.startswith("tools_")]] == 0).all()
    third = segs["id"].iloc[2]
    assert math.isnan(frame.loc[third, "tools_talent_construction"])
    assert "text" not in frame.columns


def test_spss_and_stata_files_keep_the_labels(coded_project, tmp_path):
    import pyreadstat

    ds = analysis_dataset(coded_project, lang="zh")
    sav = ds.write(tmp_path / "codes.sav")
    data, meta = pyreadstat.read_sav(sav)
    assert len(data) == 212
    # review zh32 L10: a full-width colon in Chinese; the year labelled a year (发布年份),
    # not the framework's 发布时间
    assert meta.column_names_to_labels["tools_talent_construction"] == "政策工具：人才建设"
    assert meta.column_names_to_labels["year"] == "发布年份"
    assert meta.variable_value_labels["level"][1.0] == "国家级"
    assert meta.variable_measure["tools_talent_construction"] == "nominal"
    dta = ds.write(tmp_path / "codes.dta")
    with pd.io.stata.StataReader(dta) as reader:
        back = reader.read(convert_categoricals=False)
        labels = reader.variable_labels()
        values = reader.value_labels()
    assert labels["stakeholders_governments"] == "利益相关者：政府"
    nature = coded_project.codebook().dimension("nature").categories
    assert values["nature"] == {1: nature[0].zh, 2: nature[1].zh}
    assert back["text"].iloc[0] == ds.frame["text"].iloc[0]
    csv = ds.write(tmp_path / "codes.csv").read_text(encoding="utf-8-sig")
    assert ",2015," in csv and ",2015.0," not in csv  # whole numbers stay whole
    sheets = pd.read_excel(ds.write(tmp_path / "codes.xlsx"), sheet_name=None)
    assert list(sheets) == ["data", "variables"]
    assert "1 = 国家级" in sheets["variables"].set_index("variable").loc["level", "values"]


def test_bad_file_names_write_nothing(coded_project, tmp_path):
    ds = analysis_dataset(coded_project, text=False)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(InputError, match=r"\.sav, \.dta, \.xlsx, \.csv; got '\.txt'"):
        ds.write(tmp_path / "codes.txt")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        ds.write(tmp_path / "folder.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["folder.csv"]
    with pytest.raises(InputError, match="'en' or 'zh'"):
        analysis_dataset(coded_project, lang="fr")


def test_variable_names_suit_spss_and_stata():
    long = "symbiotic_environment_" + "x" * 40
    names = _names(["tools_a", "1st", "共生单元", long, long, "Tools_A"])
    assert names[:3] == ["tools_a", "v_1st", "v"]
    assert all(len(n) <= 32 for n in names)
    assert len({n.lower() for n in names}) == len(names)  # unique, ignoring case
    assert names[4].endswith("_2") and names[5] == "Tools_A_2"
    # Stata's reserved 'function', SPSS's 'with'; a dimension keyed like a fixed column
    assert _names(["function", "with", "code", "code"]) == [
        "function_v",
        "with_v",
        "code",
        "code_2",
    ]


def test_none_answers_differ_from_uncoded_in_single_label_and_open_dimensions(
    example_corpus, tmp_path
):
    from ihms.policy.codebook import load_codebook
    from ihms.policy.project import Project

    project = Project.create(tmp_path / "sym.sqlite", load_codebook("symbiosis"))
    project.add_documents(example_corpus.documents[:2])
    project.segment("clause")
    segs = project.segments()["id"].tolist()
    sheet = pd.DataFrame(
        {
            "segment_id": segs[:3],
            "Symbiotic behaviour": ["Mutualism", "-", "Parasitism"],
            "Symbiotic unit": ["县级医院; 乡镇卫生院", "-", "县级医院"],
        }
    )
    import_codings(project, sheet, coder="alice")
    ds = analysis_dataset(project, text=False)
    frame = ds.frame.set_index("segment_id")
    assert frame.loc[segs[0], "behaviour"] == 3  # mutualism: third in the codebook
    assert frame.loc[segs[1], "behaviour"] == 0  # coded: none applies
    assert math.isnan(frame.loc[segs[3], "behaviour"])  # never coded
    assert ds.value_labels["behaviour"][0] == "none applies"
    assert frame.loc[segs[1], "symbiotic_unit"] == "-"
    assert frame.loc[segs[3], "symbiotic_unit"] == ""
    with pytest.raises(InputError, match="no 'paragraph' segments; it has clause"):
        analysis_dataset(project, scheme="paragraph")
    project.close()


def test_cli_writes_the_data_set(project_templates, tmp_path):
    runner = CliRunner()
    out = tmp_path / "out" / "codes.sav"
    result = runner.invoke(
        app, ["policy", "dataset", str(project_templates["coded"]), str(out), "--no-text"]
    )
    assert result.exit_code == 0, result.output
    assert "212 segments" in " ".join(result.output.split()) and out.is_file()
    bad = runner.invoke(
        app, ["policy", "dataset", str(project_templates["coded"]), str(out), "--source", "bob"]
    )
    assert bad.exit_code == 2 and "coder_a, coder_b" in bad.output


# Open dimensions: seed 003's symbiosis study (tests/policy/test_symbiosis_study.py),
# coders a and b, final codes = the answers both give (whole normalised sets).
@pytest.fixture(scope="module")
def symbiosis_template(tmp_path_factory, example_corpus):
    from tests.policy.test_symbiosis_study import build_study

    from ihms.policy.codebook import parse_codebook

    base = tmp_path_factory.mktemp("symbiosis_dataset")
    yaml = load_codebook("symbiosis").text
    # the built-in codebook names every answer in English; this one leaves
    # 基层医疗卫生机构 without its 'en', so that it shows as coded
    partial = yaml.replace("{tier: 2, en: PHC institutions}", "{tier: 2}")
    assert partial.count("en: ") == yaml.count("en: ") - 1
    return {
        "zh": build_study(base / "zh.sqlite", example_corpus.documents),
        "en": build_study(base / "en.sqlite", example_corpus.documents, parse_codebook(partial)),
    }


@pytest.fixture
def symbiosis(symbiosis_template):
    from ihms.policy.project import Project

    with Project(symbiosis_template["zh"]) as p:
        yield p


def _by_code(ds):
    return ds.frame.set_index("code")


def test_open_answers_become_one_dummy_each_most_frequent_first(symbiosis):
    ds = analysis_dataset(symbiosis, lang="zh", text=False)
    f = _by_code(ds)
    # final units (a and b agree once normalised; community facilities, township
    # hospitals and PHC institutions three units, as seed 003 §3.2.1 keeps them):
    # 00-06-2-1 {三级, 社区}, 00-06-2-2 {县级, 乡镇卫生院, 村卫生室}, 00-06-3-2 {三级, 基层},
    # 33-02-2-2 {三级, 社区}; 00-10-2-4 '-'; 00-10-2-1 unresolved (a adds 村卫生室).
    # 三级医院 3 entries, 社区卫生服务机构 2, then 县级医院, 基层医疗卫生机构, 乡镇卫生院 and
    # 村卫生室 1 each, in the dictionary's order
    units = [
        "三级医院",
        "社区卫生服务机构",
        "县级医院",
        "基层医疗卫生机构",
        "乡镇卫生院",
        "村卫生室",
    ]
    names = [f"symbiotic_unit_0{i}" for i in range(1, 7)]
    assert [ds.variable_labels[n] for n in names] == [f"共生单元：{u}" for u in units]
    assert "symbiotic_unit_07" not in f.columns
    assert [f[n].sum() for n in names] == [3, 2, 1, 1, 1, 1]
    assert ds.answers["symbiotic_unit_02"] == ("社区卫生服务机构",)
    assert ds.value_labels["symbiotic_unit_01"] == {0: "否", 1: "是"}
    assert f.loc["00-06-2-2", names].tolist() == [0, 0, 1, 0, 1, 1]
    assert f.loc["00-10-2-4", names].tolist() == [0] * 6  # '-': coded, none applies
    assert f.loc["00-10-2-4", "symbiotic_unit"] == "-"
    assert f[names].loc["00-10-2-1"].isna().all()  # unresolved: missing, not 0
    assert f[names].notna().all(axis=1).sum() == 5  # five coded entries; the rest missing
    # the text column stays, for reading
    assert f.loc["00-06-2-2", "symbiotic_unit"] == "乡镇卫生院; 县级医院; 村卫生室"
    # models: 县域医共体 2 (00-06-2-2, 00-10-2-1) and 人员下沉 2 (00-06-3-2, 33-02-2-2)
    # tie: the dictionary lists 县域医共体 first (character order would put 人 first);
    # then 城市医疗集团 and 远程医疗, 1 each, in dictionary order
    models = [ds.variable_labels[f"symbiotic_model_0{i}"] for i in range(1, 5)]
    assert models == [
        f"共生模式：{m}" for m in ("县域医共体", "人员下沉", "城市医疗集团", "远程医疗")
    ]
    # interfaces: 人员 (医师, 医务人员, 专家) in 3 entries, 信息 in 1; two '-' entries are 0
    assert f["symbiotic_interface_01"].sum() == 3 and f["symbiotic_interface_02"].sum() == 1
    assert f.loc[["00-06-2-1", "00-06-2-2"], "symbiotic_interface_01"].tolist() == [0, 0]
    assert all(n.isascii() and len(n) <= 32 for n in ds.frame.columns)
    assert set(names) <= set(ds.dichotomies)
    # environment: a 0/1 variable per group first (00-06-3-2 policy; 00-10-2-4 policy
    # and technology; 00-10-2-1 unresolved), then the answers, one entry each, in the
    # framework's order (policy before technology; 多点执业 before 检查检验结果互认)
    groups = [f"symbiotic_environment_{g}" for g in ("policy", "technology", "economy", "society")]
    assert [ds.variable_labels[g] for g in groups] == [
        "共生环境：政策环境", "共生环境：技术环境", "共生环境：经济环境", "共生环境：社会环境"
    ]  # fmt: skip
    assert [f[g].sum() for g in groups] == [2, 1, 0, 0]
    assert f[groups].loc["00-10-2-1"].isna().all()
    assert ds.answers[groups[0]] == ("policy:多点执业", "policy:检查检验结果互认")
    assert [ds.variable_labels[f"symbiotic_environment_0{i}"] for i in (1, 2, 3)] == [
        "共生环境：政策环境：多点执业",
        "共生环境：政策环境：检查检验结果互认",
        "共生环境：技术环境：信息化",
    ]


def test_rare_open_answers_pool_into_other(symbiosis, tmp_path):
    ds = analysis_dataset(symbiosis, min_count=2)
    f = _by_code(ds)
    # units given in at least 2 entries: 三级医院 (3), 社区卫生服务机构 (2); 县级医院,
    # 乡镇卫生院, 村卫生室 (00-06-2-2) and 基层医疗卫生机构 (00-06-3-2), 1 each, pooled
    assert [c for c in f if c.startswith("symbiotic_unit_")] == [
        "symbiotic_unit_01",
        "symbiotic_unit_02",
        "symbiotic_unit_other",
    ]
    assert ds.answers["symbiotic_unit_other"] == (
        "县级医院",
        "基层医疗卫生机构",
        "乡镇卫生院",
        "村卫生室",
    )
    assert ds.variable_labels["symbiotic_unit_other"] == (
        "Symbiotic unit: other (4 answers, each in fewer than 2 segments)"
    )
    assert f["symbiotic_unit_other"].sum() == 2 and f.loc["00-06-2-2", "symbiotic_unit_other"] == 1
    assert f.loc["00-10-2-4", "symbiotic_unit_other"] == 0  # '-'
    assert math.isnan(f.loc["00-10-2-1", "symbiotic_unit_other"])  # unresolved
    # interfaces: 人员 3 kept, 信息 1 pooled; models: both 2-entry answers kept
    assert ds.answers["symbiotic_interface_other"] == ("信息",)
    assert [c for c in f if c.startswith("symbiotic_model_")] == [
        "symbiotic_model_01",
        "symbiotic_model_02",
        "symbiotic_model_other",
    ]
    # the Excel file's variables sheet lists the new variables and their answers (as
    # coded); the label gives the codebook's English name (seed 003, section 3.2.1)
    sheet = pd.read_excel(ds.write(tmp_path / "codes.xlsx"), sheet_name="variables")
    rows = sheet.set_index("variable")
    assert rows.loc["symbiotic_unit_01", "label"] == "Symbiotic unit: Tertiary hospitals"
    assert rows.loc["symbiotic_unit_02", "label"] == "Symbiotic unit: Community facilities"
    assert rows.loc["symbiotic_unit_01", "values"] == "0 = no; 1 = yes"
    assert (
        rows.loc["symbiotic_unit_other", "answers"]
        == "县级医院、基层医疗卫生机构、乡镇卫生院、村卫生室"
    )
    assert rows.loc["symbiotic_model_other", "answers"] == "城市医疗集团、远程医疗"
    with pytest.raises(InputError, match=r"'min_count': expected a whole number ≥ 1, got 0"):
        analysis_dataset(symbiosis, min_count=0)


def test_open_dummies_survive_spss_and_stata(symbiosis_template, tmp_path):
    import pyreadstat

    from ihms.policy.project import Project

    with Project(symbiosis_template["en"]) as p:
        ds = analysis_dataset(p, lang="en")
    # the codebook names 三级医院, 社区卫生服务机构 and 村卫生室 in English;
    # 基层医疗卫生机构 stays Chinese (the order: test_open_answers_become_one_dummy_each_…)
    labels = {
        "symbiotic_unit_01": "Symbiotic unit: Tertiary hospitals",
        "symbiotic_unit_02": "Symbiotic unit: Community facilities",
        "symbiotic_unit_04": "Symbiotic unit: 基层医疗卫生机构",
        "symbiotic_unit_06": "Symbiotic unit: Village clinics",
    }
    codes = ["00-06-2-1", "00-06-2-2", "00-10-2-1", "00-10-2-4"]
    # 00-06-2-1 {三级, 社区}, 00-06-2-2 {县级, 乡镇卫生院, 村}, 00-10-2-1 unresolved,
    # 00-10-2-4 '-'
    expected = {
        "symbiotic_unit_01": [1, 0, None, 0],
        "symbiotic_unit_02": [1, 0, None, 0],
        "symbiotic_unit_04": [0, 0, None, 0],
        "symbiotic_unit_06": [0, 1, None, 0],
    }
    data, meta = pyreadstat.read_sav(ds.write(tmp_path / "codes.sav"))
    with pd.io.stata.StataReader(ds.write(tmp_path / "codes.dta")) as reader:
        back = reader.read(convert_categoricals=False)
        stata_labels, stata_values = reader.variable_labels(), reader.value_labels()
    for frame in (data, back):
        rows = frame.set_index("code").loc[codes]
        for name, want in expected.items():
            got = [None if pd.isna(v) else int(v) for v in rows[name]]
            assert got == want, name
        assert rows["symbiotic_unit"].tolist()[1] == "乡镇卫生院; 县级医院; 村卫生室"
        assert frame["symbiotic_unit_01"].sum() == 3  # 3 entries, as hand-counted above
    for name, label in labels.items():
        assert meta.column_names_to_labels[name] == label
        assert stata_labels[name] == label
        assert meta.variable_value_labels[name] == {0: "no", 1: "yes"}
        assert meta.variable_measure[name] == "nominal"
        assert stata_values[name] == {0: "no", 1: "yes"}


def test_cli_caps_rare_open_answers(symbiosis_template, tmp_path):
    import shutil

    project = shutil.copy(symbiosis_template["zh"], tmp_path / "study.sqlite")
    out = tmp_path / "codes.dta"
    runner = CliRunner()
    result = runner.invoke(
        app, ["policy", "dataset", str(project), str(out), "--min-count", "2", "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    with pd.io.stata.StataReader(out) as reader:
        labels = reader.variable_labels()
    assert labels["symbiotic_unit_02"] == "共生单元：社区卫生服务机构"
    assert labels["symbiotic_unit_other"] == "共生单元：其他（4 个答案，各见于不足 2 个片段）"
    # 2 + 1 + 2 kept answers, 4 pools (the environment's 3 answers are in one entry
    # each), 4 environment groups
    assert "其中 13 个为多选类目和开放答案的 0/1 变量" in " ".join(
        result.output.split()
    )  # --lang zh
    bad = runner.invoke(app, ["policy", "dataset", str(project), str(out), "--min-count", "0"])
    assert bad.exit_code == 2 and "min" in bad.output.lower()


_UNITS = [canon for canon, _ in load_codebook("symbiosis").dimension("symbiotic_unit").synonyms]


@settings(max_examples=60, deadline=None)
@given(
    got=st.lists(
        st.none() | st.lists(st.sampled_from([*_UNITS[:5], "卫生院联盟", "药店", ""]), max_size=4),
        min_size=1,
        max_size=12,
    ),
    min_count=st.integers(1, 4),
)
def test_open_dummies_partition_the_answers(got, min_count):
    from ihms.policy.dataset import _open_columns

    dim = load_codebook("symbiosis").dimension("symbiotic_unit")
    cols = list(_open_columns(dim, got, "zh", min_count))
    dummies = cols[1:]
    answers = {a for v in got if v for a in v if a}
    # every answer stands behind exactly one variable, kept or pooled
    behind = [a for c in dummies for a in c[4]]
    assert sorted(behind) == sorted(answers)
    sums = [sum(x for x in c[1] if not math.isnan(x)) for c in dummies]
    kept = [s for c, s in zip(dummies, sums, strict=True) if not c[0].endswith("_other")]
    assert kept == sorted(kept, reverse=True) and all(s >= min_count for s in kept)
    for i, v in enumerate(got):
        row = [c[1][i] for c in dummies]
        if v is None:  # not coded: missing everywhere, text empty
            assert all(math.isnan(x) for x in row) and cols[0][1][i] == ""
        elif min_count == 1:  # no pool: a 1 per distinct answer, '-' all 0
            assert sum(row) == len({a for a in v if a})
            assert cols[0][1][i] == ("; ".join(sorted({a for a in v if a})) or "-")
