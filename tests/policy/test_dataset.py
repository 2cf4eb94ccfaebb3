"""The coded data set for SPSS / Stata / Excel (``ihms.policy.dataset``)."""

import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
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
    assert meta.column_names_to_labels["tools_talent_construction"] == "政策工具: 人才建设"
    assert meta.variable_value_labels["level"][1.0] == "国家级"
    assert meta.variable_measure["tools_talent_construction"] == "nominal"
    dta = ds.write(tmp_path / "codes.dta")
    with pd.io.stata.StataReader(dta) as reader:
        back = reader.read(convert_categoricals=False)
        labels = reader.variable_labels()
        values = reader.value_labels()
    assert labels["stakeholders_governments"] == "利益相关者: 政府"
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
    with pytest.raises(InputError, match="no segments of scheme 'paragraph'"):
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
