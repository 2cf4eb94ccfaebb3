import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from ihms.errors import InputError
from ihms.policy.agreement import agreement_table, coder_agreement
from ihms.policy.coding import import_codings

from .conftest import EXAMPLES


def _present(path, column, category):
    frame = pd.read_excel(path, dtype=str, keep_default_na=False).set_index("segment_id")
    return frame[column].map(lambda cell: int(category in [x.strip() for x in cell.split(";")]))


def test_category_kappa_matches_sklearn_on_the_example_sheets(coded_project):
    report = coder_agreement(coded_project)
    # Reference: scikit-learn's Cohen's kappa on the two sheets read directly (coder A
    # writes English names, coder B Chinese ones).
    a = _present(EXAMPLES / "codings" / "coder_a.xlsx", "Stakeholders", "Governments")
    b = _present(EXAMPLES / "codings" / "coder_b.xlsx", "利益相关者", "政府").reindex(a.index)
    expected = cohen_kappa_score(a, b)
    assert report.row("stakeholders", "governments")["kappa"] == pytest.approx(expected, rel=1e-9)
    assert report.row("tools")["basis"] == "code set"
    assert 0.5 < report.mean_kappa < 0.9


def test_single_label_dimension_and_none_answers(project):
    segs = list(project.segments()["id"][:6])
    a = [
        "Healthy China",
        "Healthy China",
        "Smart health care",
        "-",
        "Healthy community",
        "Healthy China",
    ]
    b = [
        "Healthy China",
        "Smart health care",
        "Smart health care",
        "-",
        "Healthy community",
        "Healthy China",
    ]
    for coder, answers in (("a", a), ("b", b)):
        frame = pd.DataFrame({"segment_id": segs, "orientation": answers})
        import_codings(project, frame, coder=coder)
    report = coder_agreement(project, dimensions=["orientation"])
    row = report.row("orientation")
    assert row["basis"] == "code" and row["n_units"] == 6
    # Reference: scikit-learn on the same answers ("-" as its own category).
    assert row["kappa"] == pytest.approx(cohen_kappa_score(a, b), rel=1e-9)
    table = agreement_table(report, project.codebook(), lang="zh")
    assert table.frame["dimension / category"].iloc[0] == "政策导向"


def test_needs_two_coders(project):
    with pytest.raises(InputError, match="at least two coders"):
        coder_agreement(project)
    with pytest.raises(InputError, match="unknown coder"):
        coder_agreement(project, coders=["x", "y"])
