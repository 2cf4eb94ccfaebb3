"""``ihms policy autocode`` on the example project."""

import json

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.coding import codings
from ihms.policy.project import Project
from ihms.policy.reconcile import final_codings

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", "autocode", *map(str, args)])


def said(result) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def trained_folder(read_only_project, tmp_path_factory):
    """``autocode train -d stakeholders`` of the coded example project, run once for the
    tests that apply its model to their own copy."""
    model = tmp_path_factory.mktemp("trained") / "model"
    assert run("train", read_only_project.path, "-d", "stakeholders", "--out", model).exit_code == 0
    return model


@pytest.fixture
def model(trained_folder, tmp_path):
    """A copy of that model's folder for one test."""
    import shutil

    return shutil.copytree(trained_folder, tmp_path / "model")


def test_train_apply_review_session(study, tmp_path):
    model = tmp_path / "model"
    res = run("train", study, "-d", "stakeholders", "--out", model, "--json")
    assert res.exit_code == 0, res.output
    manifest = json.loads(res.output)
    assert manifest["coder"] == f"machine:{manifest['model_id']}"
    assert manifest["document_copies"] == []  # the example corpus holds each policy once
    # a second train into the folder is refused in the command's words, not the library's
    again = run("train", study, "-d", "stakeholders", "--out", model)
    assert again.exit_code == 2
    assert "(pass --overwrite to replace it)" in said(again), again.output
    assert "overwrite=True" not in said(again)
    assert (model / "manifest.json").is_file()
    # `show` reads the provenance back from the folder alone, as a methods section needs it
    res = run("show", model)
    assert res.exit_code == 0, res.output
    text = said(res)
    assert f"Machine coder {manifest['model_id']}: provenance" in text
    assert (
        f"{manifest['training_size']:,} hand-coded segments from {manifest['n_documents']}" in text
    )
    assert manifest["trained_at"] in text and "(multi-label)" in text
    shown = json.loads(run("show", model, "--json").output)
    for key in ("model_id", "trained_at", "training_size", "category_counts", "params"):
        assert shown[key] == manifest[key]
    assert run("show", tmp_path / "nowhere").exit_code == 2

    sheet = tmp_path / "review.xlsx"
    res = run("apply", study, model, "--review-sheet", sheet, "--json")
    assert res.exit_code == 0, res.output
    applied = json.loads(res.output)
    assert (
        applied["coder"] == manifest["coder"] and applied["segments"] == manifest["training_size"]
    )
    # 'added' counts segments (answers), 'codings' the coding rows written for them
    assert applied["added"] == applied["segments"] and applied["unchanged"] == 0
    with Project(study) as p:
        assert applied["codings"] == len(codings(p, coders=[manifest["coder"]]))
    again = run("apply", study, model)
    assert again.exit_code == 0, again.output
    n = applied["segments"]
    assert f"{n:,} segments in stakeholders: 0 added, 0 replaced, {n:,} unchanged" in said(again)

    frame = pd.read_excel(sheet, dtype=str, keep_default_na=False)
    assert set(frame.columns) >= {"segment", "dimension", "coder", "proposed", "status"}
    frame.loc[:2, "status"] = ["accepted", "rejected", "accepted"]
    frame.to_excel(sheet, index=False)
    res = run("review", study, "--sheet", sheet, "--by", "lead", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["reviewed"] == {manifest["coder"]: 3}
    with Project(study) as p:
        got = codings(p, coders=[manifest["coder"]])
        reviewed = (
            got.dropna(subset=["review_status"]).groupby("segment_id")["review_status"].first()
        )
    assert sorted(reviewed) == ["accepted", "accepted", "rejected"]
    assert set(got["reviewed_by"].dropna()) == {"lead"}


def test_apply_leaves_unsure_multilabel_answers_to_a_person(study, model):
    res = run("apply", study, model, "--min-probability", "0.5", "--json")
    assert res.exit_code == 0, res.output
    applied = json.loads(res.output)
    assert applied["abstained"] > 0 and applied["segments"] > 0
    with Project(study) as p:
        n_segments = len(p.query("SELECT id FROM segments"))
        coded = codings(p, coders=[applied["coder"]])["segment_id"].nunique()
    assert applied["segments"] + applied["abstained"] == n_segments
    assert coded == applied["segments"]


def test_a_bad_review_changes_nothing(study, tmp_path, model):
    sheet = tmp_path / "review.csv"
    assert run("apply", study, model, "--review-sheet", sheet).exit_code == 0
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    frame.loc[:1, "status"] = ["accepted", "maybe"]
    frame.to_csv(sheet, index=False)
    res = run("review", study, "--sheet", sheet, "--by", "lead")
    assert res.exit_code == 2
    assert (
        "review.csv row 3, column 'status': expected 'accepted' (接受), 'rejected' (拒绝) "
        "or empty, got 'maybe'" in said(res)
    )
    with Project(study) as p:
        assert codings(p)["review_status"].isna().all()


def test_too_few_codes_exit_2_naming_categories(study, tmp_path):
    with Project(study) as p:
        final, _ = final_codings(p)
    counts = final[final["dimension"] == "tools"]["value"].value_counts()
    res = run("train", study, "-d", "tools", "--out", tmp_path / "m", "--min-per-category", 12)
    assert res.exit_code == 2
    for cat, n in counts[counts < 12].items():
        assert f"'{cat}' has {n} coded segments, needs {12 - n} more" in said(res)
    assert not (tmp_path / "m").exists()


def test_a_model_of_another_codebook_version_is_refused(study, model):
    with Project(study) as p:
        from ihms.policy.codebook import parse_codebook

        text = p.codebook().text.replace("version: 1", "version: 2", 1)
        p.update_codebook(parse_codebook(text, name="6d"))
        before = len(codings(p))
    res = run("apply", study, model)
    assert res.exit_code == 2
    assert "trained on codebook '6d' version '6d v1" in said(res)
    with Project(study) as p:
        assert len(codings(p)) == before


def test_evaluate_and_suggest(study, tmp_path):
    res = run("evaluate", study, "-d", "stakeholders", "--folds", "4", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["human_coders"] == ["coder_a", "coder_b"]
    assert 0 < out["machine_kappa"] < 1 and 0 < out["human_kappa"] < 1
    assert out["rows"][0]["dimension"] == "stakeholders" and out["rows"][0]["category"] is None
    # the fold models' refused cuts, and the note that names them (test_uncut_in_folds.py)
    refused = out["uncut_categories"]
    noted = [n for n in out["notes"] if n.startswith("The fold models refused a tuned cut")]
    assert len(noted) == bool(refused)
    for category, by_kind in refused.items():
        for n in by_kind.values():
            assert f"{category} in {n} of the 4 folds" in noted[0]

    res = run("suggest", study, "-d", "stakeholders", "--n", "5", "--json")
    # every segment of the example project is reconciled: nothing left to suggest
    assert res.exit_code == 2
    assert "nothing to suggest" in said(res)


def test_evaluate_with_coverage(study):
    # the same-predictions table (the nested cut: test_cli_evaluation.py)
    res = run(
        "evaluate", study, "-d", "stakeholders", "--folds", "4", "--coverage", "--no-nested",
        "--json", "--bootstrap", "0",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    cov = out["coverage"]
    assert cov["target_kappa"] == out["human_kappa"]
    first = cov["table"][0]
    assert first["min_probability"] == 0 and first["coded"] == cov["n_segments"]
    assert first["kappa"] == pytest.approx(out["machine_kappa"])
    cut = cov["min_probability_for_target"]
    if cut is not None:  # the cut reached the human kappa on 30 or more segments
        row = next(r for r in cov["table"] if r["min_probability"] == cut)
        assert row["kappa"] >= out["human_kappa"] and row["coded"] >= 30

    res = run(
        "evaluate", study, "-d", "stakeholders", "--folds", "4", "--coverage", "--no-nested"
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "Coverage: what the machine codes" in said(res)


def test_rules_from_the_codebook_and_from_a_file(study, tmp_path):
    res = run("rules", study, "-d", "tools", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["codes"] and all(c["rule"].startswith(c["category"] + "#") for c in out["codes"])

    rules = tmp_path / "rules.yaml"
    rules.write_text(
        yaml.safe_dump(
            {"financial_guarantee": {"any": ["资金", "经费"], "none": ["医保基金"]}},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    res = run("rules", study, "-d", "tools", "--rules", rules, "--apply", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {c["category"] for c in out["codes"]} == {"financial_guarantee"}
    coder = out["applied"]["coder"]
    assert coder.startswith("machine:rules-")
    with Project(study) as p:
        stored = codings(p, coders=[coder])
    prov = json.loads(stored.loc[stored["value"] == "financial_guarantee", "provenance"].iloc[0])
    assert prov["rules"]["financial_guarantee"]["rule"] == "financial_guarantee#1"
    # rules for one of the tools say nothing of the others: the segments they do not
    # match are left for a person, not coded "none applies"
    applied = out["applied"]
    assert set(stored["value"]) == {"financial_guarantee"}
    assert applied["segments"] == stored["segment_id"].nunique() < 212
    assert applied["abstained"] == 212 - applied["segments"]

    typo = tmp_path / "typo.yaml"
    typo.write_text("financial_guarantees: {any: [财政]}\n", encoding="utf-8")
    res = run("rules", study, "-d", "tools", "--rules", typo, "--out", tmp_path / "codes.csv")
    assert res.exit_code == 2, res.output
    assert "['financial_guarantees'] are not categories of dimension 'tools'" in said(res)
    assert "financial_guarantee," in said(res)  # the dimension's categories are listed
    assert not (tmp_path / "codes.csv").exists()

    bad = tmp_path / "bad.yaml"
    bad.write_text("financial_guarantee: {none: [资金]}\n", encoding="utf-8")
    res = run("rules", study, "-d", "tools", "--rules", bad)
    assert res.exit_code == 2
    assert "at least one 'any' or 'all' term" in said(res)
    res = run("review", study, "--by", "lead")
    assert res.exit_code == 2 and "--sheet or --accept-all" in said(res)


def test_suggest_picks_from_segments_without_final_codes(study, tmp_path):
    with Project(study) as p:
        segs = tuple(p.segments(scheme="paragraph").query("doc_id == 'M01'")["id"])
        marks = ",".join("?" * len(segs))
        with p.transaction() as conn:
            conn.execute(f"DELETE FROM codings WHERE segment_id IN ({marks})", segs)
            conn.execute(f"DELETE FROM decisions WHERE segment_id IN ({marks})", segs)
    out = tmp_path / "next.xlsx"
    res = run("suggest", study, "-d", "stakeholders", "--n", "3", "--out", out, "--json")
    assert res.exit_code == 0, res.output
    picked = json.loads(res.output)["segments"]
    assert len(picked) == 3 and {s["segment"] for s in picked} <= set(segs)
    assert len(pd.read_excel(out)) == 3


def test_a_user_dictionary_reaches_the_coder(study, tmp_path):
    terms = tmp_path / "terms.txt"
    terms.write_text("基层首诊责任制 20 n\n", encoding="gbk")  # any Chinese encoding
    model = tmp_path / "model"
    res = run("train", study, "-d", "stakeholders", "--out", model, "--user-dict", terms)
    assert res.exit_code == 0, res.output
    from ihms.policy.autocode import load_coder

    version = json.loads((model / "manifest.json").read_text())["codebook_version"]
    features = load_coder(model, codebook_version=version).estimator.features
    assert features.words and "基层首诊责任制" in features.user_dictionary
    res = run("evaluate", study, "-d", "stakeholders", "--user-dict", tmp_path / "nope.txt")
    assert res.exit_code == 2
    assert "user dictionary" in said(res) and "nope.txt' does not exist" in said(res)
