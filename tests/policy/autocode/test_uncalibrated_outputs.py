"""Review of machine-assisted coding, session 31 (helper-301): an uncalibrated model's
numbers are called scores wherever they are shown, and the smaller findings — errors
that name their file, row and column for ``--json``, ``table apply --out`` replacing a
file and saying so, a model/manifest mismatch naming what the model file holds, and
too few codes in a table naming the file and its label column.

An uncalibrated model: one category coded only in one document cannot be calibrated on
folds grouped by document (:func:`ihms.policy.autocode._scores.uncalibratable`), so the
model keeps the logistic function of its scores, an order rather than chances.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.autocode import load_coder
from ihms.policy.coding import codings
from ihms.policy.project import Project

from .conftest import make_corpus, write_jsonl

runner = CliRunner()
TABLE = ["policy", "autocode", "table"]


def said(text: str) -> str:
    return " ".join(text.split())


def _tables(tmp_path, *, rare: bool):
    """Training documents (with ``rare``: 申请程序 coded once) and unseen ones."""
    frame = make_corpus(n_docs=6)[["doc", "text", "label"]]
    seen = frame["doc"].isin(["doc01", "doc02", "doc03", "doc04"])
    train = frame[seen].copy()
    if rare:
        once = train["label"] == "申请程序"
        train.loc[once[once].index[1:], "label"] = None
    return (
        write_jsonl(train, tmp_path / "train.jsonl"),
        write_jsonl(frame[~seen], tmp_path / "unseen.jsonl"),
    )


def _table_model(tmp_path, *, rare: bool):
    train, unseen = _tables(tmp_path, rare=rare)
    model = tmp_path / ("rare" if rare else "model")
    res = runner.invoke(app, [*TABLE, "train", str(train), "--label", "label", "--out",
                              str(model), "--min-per-category", "1", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["calibrated"] is (not rare)
    return model, unseen


def test_table_apply_calls_an_uncalibrated_models_numbers_scores(tmp_path):
    model, unseen = _table_model(tmp_path, rare=True)
    out = tmp_path / "coded.csv"
    args = [*TABLE, "apply", str(unseen), "--model", str(model), "--out", str(out)]
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["calibrated"] is False and report["number_column"] == "machine_score"
    # review of session 31, L6: "score_column" (this column) stood beside "score" (the
    # agreement with --label), two keys of different meanings; "score" is older
    assert "score_column" not in report
    assert "(申请程序) is not coded in every one" in report["calibration_note"]
    coded = pd.read_csv(out)
    assert "machine_score" in coded and "machine_probability" not in coded
    assert coded["machine_score"].between(0, 1).all()
    # the file's notes say what the column is (the notes beside a .csv)
    notes = pd.read_csv(tmp_path / "coded-notes.csv")["note"].tolist()
    assert len(notes) == 1 and notes[0].startswith("machine_score: Scores, not probabilities")
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "mean_score" in res.stdout and "mean_probability" not in res.stdout
    assert "Scores, not probabilities (0.10 is no 10% chance)" in said(res.stdout)

    # a calibrated model's column keeps its name, with no notes file beside it
    calibrated, _ = _table_model(tmp_path, rare=False)
    res = runner.invoke(app, [*TABLE, "apply", str(unseen), "--model", str(calibrated),
                              "--out", str(out), "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["calibrated"] is True and report["number_column"] == "machine_probability"
    assert "machine_probability" in pd.read_csv(out)
    assert not (tmp_path / "coded-notes.csv").exists()


def _uncalibrated_project(study):
    """coder_a's codes alone, physicians coded in one document only."""
    with Project(study) as p, p.transaction() as conn:
        conn.execute("DELETE FROM decisions")
        conn.execute("DELETE FROM codings WHERE coder_id <> 'coder_a'")
        conn.execute(
            "DELETE FROM codings WHERE dimension='stakeholders' AND value='physicians' "
            "AND segment_id IN (SELECT id FROM segments WHERE doc_id <> 'M01')"
        )
    return study


def test_project_apply_calls_an_uncalibrated_models_numbers_scores(study, tmp_path):
    study = _uncalibrated_project(study)
    model, sheet = tmp_path / "model", tmp_path / "review.csv"
    base = ["policy", "autocode"]
    res = runner.invoke(app, [*base, "train", str(study), "-d", "stakeholders", "--out",
                              str(model), "--min-per-category", "1", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["calibrated"] is False
    res = runner.invoke(app, [*base, "apply", str(study), str(model), "--json"])
    assert res.exit_code == 0, res.output
    applied = json.loads(res.stdout)
    assert applied["calibrated"] is False and "(physicians)" in applied["calibration_note"]
    with Project(study) as p:
        stored = codings(p, coders=[applied["coder"]])
    provenance = [json.loads(v) for v in stored["provenance"]]
    assert provenance and all(v["calibrated"] is False for v in provenance)
    assert any(v["probability"] for v in provenance)
    res = runner.invoke(app, [*base, "apply", str(study), str(model), "--replace",
                              "--review-sheet", str(sheet)])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "mean score" in res.stdout and "mean probability" not in res.stdout
    assert "Scores, not probabilities" in said(res.stdout)
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    assert "score" in frame and "probability" not in frame
    # the provenance table and the codes export say so beside the numbers
    out = tmp_path / "answers.csv"
    res = runner.invoke(app, [*base, "provenance", str(study), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(out, dtype=str)["calibrated"].dropna()) == {"False"}
    export = tmp_path / "codes.csv"
    res = runner.invoke(app, ["policy", "codes", "export", str(study), str(export),
                              "--coder", applied["coder"]])  # fmt: skip
    assert res.exit_code == 0, res.output
    cells = pd.read_csv(export, dtype=str)["Stakeholders · machine probability"].dropna()
    assert len(cells) and cells.str.endswith("(scores, not calibrated)").all()
    # and the sheet imports again unchanged, the cells agreeing with the project
    res = runner.invoke(app, ["policy", "codes", "import", str(study), str(export)])
    assert res.exit_code == 0, res.output
    assert "unchanged" in said(res.stdout)


def test_json_errors_name_file_row_and_column(tmp_path, study):
    model, unseen = _table_model(tmp_path, rare=False)
    frame = pd.read_json(unseen, lines=True)
    frame.loc[5, "text"] = ""
    bad = write_jsonl(frame, tmp_path / "bad.jsonl")
    res = runner.invoke(app, [*TABLE, "apply", str(bad), "--model", str(model), "--out",
                              str(tmp_path / "o.csv"), "--json"])  # fmt: skip
    assert res.exit_code == 2
    (detail,) = json.loads(res.stdout)["problem_details"]
    assert (detail["file"], detail["row"], detail["column"]) == ("bad.jsonl", 6, "text")

    # the review sheet's
    base = ["policy", "autocode"]
    project_model, sheet = tmp_path / "pm", tmp_path / "review.csv"
    assert runner.invoke(app, [*base, "train", str(study), "-d", "stakeholders", "--out",
                               str(project_model)]).exit_code == 0  # fmt: skip
    res = runner.invoke(app, [*base, "apply", str(study), str(project_model),
                              "--review-sheet", str(sheet)])  # fmt: skip
    assert res.exit_code == 0, res.output
    review = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    review.loc[:1, "status"] = ["accepted", "maybe"]
    review.to_csv(sheet, index=False)
    res = runner.invoke(app, [*base, "review", str(study), "--sheet", str(sheet), "--by",
                              "lead", "--json"])  # fmt: skip
    assert res.exit_code == 2
    (detail,) = json.loads(res.stdout)["problem_details"]
    assert (detail["file"], detail["row"], detail["column"]) == ("review.csv", 3, "status")
    assert detail["value"] == "maybe"


def test_table_apply_replaces_an_existing_out_file_and_says_so(tmp_path):
    model, unseen = _table_model(tmp_path, rare=False)
    res = runner.invoke(app, [*TABLE, "apply", "--help"])
    assert "An existing file is replaced" in said(res.stdout.replace("│", ""))
    out = tmp_path / "other.csv"
    out.write_text("a,b\n1,2\n", encoding="utf-8")
    args = [*TABLE, "apply", str(unseen), "--model", str(model), "--out", str(out)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "(replacing the file there)" in said(res.stdout)
    assert "machine_label" in pd.read_csv(out)
    res = runner.invoke(app, [*args, "--json"])
    assert json.loads(res.stdout)["replaced"] is True
    out.unlink()
    assert json.loads(runner.invoke(app, [*args, "--json"]).stdout)["replaced"] is False


def test_a_model_file_from_another_model_is_named_for_what_it_holds(tmp_path):
    model, _ = _table_model(tmp_path, rare=False)
    rare, _ = _table_model(tmp_path, rare=True)
    other = tmp_path / "other"
    shutil.copytree(model, other)
    shutil.copy(rare / "model.joblib", other / "model.joblib")  # another model's file
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    held = json.loads((rare / "manifest.json").read_text(encoding="utf-8"))
    with pytest.raises(InputError) as caught:
        load_coder(other, codebook_version=None)
    text = str(caught.value)
    assert f"field 'model_id' is '{manifest['model_id']}'" in text
    assert (
        f"it holds a model of {', '.join(held['categories'])} trained on "
        f"{held['training_size']} segments at {held['trained_at']}"
    ) in text
    assert "the model file is '" not in text  # no id that belongs to no model


def test_too_few_codes_in_a_table_name_the_file_and_the_label_column(tmp_path):
    train, _ = _tables(tmp_path, rare=True)
    for command in ("train", "evaluate"):
        args = [*TABLE, command, str(train), "--label", "label", "--json"]
        res = runner.invoke(app, [*args, *(["--out", str(tmp_path / "m")] * (command == "train"))])
        assert res.exit_code == 2
        error = json.loads(res.stdout)["error"]
        assert error.startswith("train.jsonl, column 'label': too few labelled segments")
        assert "'申请程序' has 1 coded segment, needs 4 more" in error
