"""Held-out segments copied from a training document (user review M, MEDIUM 3): county
documents copy paragraphs from each other, changing the county's name; the evaluation
counts such held-out twins, gives kappa without them, and can keep their documents in
one fold."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import evaluate_coder, evaluate_on_project, machine_human_kappa
from ihms.policy.autocode._twins import copy_key

from ._content_project import build


def test_copy_key_folds_the_county_name_numbers_and_spacing():
    a = "成立云溪县医共体管理委员会，每年 3 次。"
    b = "三、成立 青山县医共体管理委员会,每年12次"  # its clause number is its own
    assert copy_key(a) == copy_key(b)
    assert copy_key(a) != copy_key("成立云溪县医共体理事会，每年3次。")


@pytest.fixture
def copied(tmp_path):
    p = build(tmp_path / "p.sqlite", copied=True, distinct=True)
    yield p
    p.close()


def test_evaluation_counts_held_out_twins_and_scores_without_them(copied):
    ev = evaluate_on_project(copied, "content", n_splits=4)
    pred = ev.evaluation.predictions
    # each of the 8 documents ends with a copy of the previous document's second
    # paragraph: a twin is a held-out segment whose copy key some coded segment of a
    # training fold shares (recomputed here from the predictions and the texts)
    segs = copied.segments(scheme="paragraph").set_index("id")
    key = pred["segment"].map(lambda s: copy_key(segs.loc[s, "text"]))
    folds_of = key.groupby(key).apply(lambda k: set(pred.loc[k.index, "fold"]))
    expected = np.array([bool(folds_of[k] - {f}) for k, f in zip(key, pred["fold"], strict=True)])
    assert expected.sum() > 0
    assert (pred["twin"].to_numpy() == expected).all()
    rest = pred[~expected]
    assert ev.evaluation.n_twins == int(expected.sum())
    assert ev.evaluation.kappa_without_twins == pytest.approx(
        machine_human_kappa(rest["human"], rest["machine"], categories=sorted(set(rest["human"]) | set(rest["machine"]))),
        abs=1e-12,
    )  # fmt: skip
    said = " ".join(ev.summary().notes)
    assert f"{int(expected.sum())} of the {len(pred)} held-out segments" in said
    assert "twins_together" in said


def test_twins_together_keeps_the_documents_in_one_fold():
    import pandas as pd

    from ihms.policy.autocode import LearnedCoder

    from ._content_project import texts

    rows = [
        (name, k, text, cat)
        for name, paras in texts(distinct=True).items()
        for k, (text, cat) in enumerate(paras)
    ]
    X = pd.DataFrame(rows, columns=["doc", "position", "text", "label"])
    donor = 1  # 云溪县's second paragraph, copied into 柳河县's document
    X.loc[len(X)] = [
        "柳河县.txt",
        9,
        X.loc[donor, "text"].replace("云溪县", "柳河县"),
        X.loc[donor, "label"],
    ]
    plain = evaluate_coder(
        LearnedCoder(min_per_category=2),
        X[["doc", "position", "text"]],
        list(X["label"]),
        n_splits=4,
    )
    assert (
        plain.n_twins
        == (
            plain.predictions.set_index("row")["fold"][donor]
            != plain.predictions.set_index("row")["fold"][len(X) - 1]
        )
        * 2
    )
    ev = evaluate_coder(
        LearnedCoder(min_per_category=2),
        X[["doc", "position", "text"]],
        list(X["label"]),
        n_splits=4,
        twins_together=True,
    )
    pred = ev.predictions.set_index("row")
    assert pred.loc[donor, "fold"] == pred.loc[len(X) - 1, "fold"]
    assert ev.n_twins == 0


def test_cli_evaluate_json_has_twins_and_plain_category_keys(copied):
    path = copied.path
    copied.close()
    args = ["policy", "autocode", "evaluate", str(path), "-d", "content", "--folds", "4", "--json"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["n_twins"] > 0 and any("held-out segments" in n for n in out["notes"])
    assert [r["category"] for r in out["rows"]] == [None, "governance", "payment", "personnel"]
    assert {r["dimension"] for r in out["rows"]} == {"content"}
    res = CliRunner().invoke(app, [*args, "--twins-together"])
    # every document shares a paragraph with the next: one group, too few for 4 folds
    assert res.exit_code == 2 and "--folds" in res.output


def test_evaluate_out_workbook_holds_the_held_out_predictions(copied, tmp_path):
    # user review M, LOW 10: the predictions with their fold, to recompute the figures
    path = copied.path
    copied.close()
    out = tmp_path / "eval.xlsx"
    args = ["policy", "autocode", "evaluate", str(path), "-d", "content", "--folds", "4"]
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    # laid out as the other tables' workbooks: a title row, then the header
    sheets = pd.read_excel(out, sheet_name=None, header=1)
    assert list(sheets) == ["evaluation", "predictions"]
    pred = sheets["predictions"]
    assert list(pred.columns[:6]) == ["segment", "doc", "fold", "human", "machine", "twin"]
    assert len(pred) == 40  # 8 documents of 4 paragraphs and one copied each
    kappa = machine_human_kappa(
        list(pred["human"]),
        list(pred["machine"]),
        categories=sorted(set(pred["human"]) | set(pred["machine"])),
    )
    table = sheets["evaluation"]
    assert table["machine vs reconciled kappa"].iloc[0] == pytest.approx(kappa, abs=1e-9)
