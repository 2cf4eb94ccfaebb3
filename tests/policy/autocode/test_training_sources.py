"""A model trained after accepted machine answers tells them apart from people's codes
in its manifest and `show` (review finding 5); older manifests still load."""

import json

import joblib
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import load_coder
from ihms.policy.project import Project

runner = CliRunner()


def run(*args):
    res = runner.invoke(app, ["policy", "autocode", *map(str, args)])
    assert res.exit_code == 0, res.output
    return res


def said(result) -> str:
    return " ".join(result.stdout.split())


def test_accepted_machine_answers_are_counted_apart(study, tmp_path):
    with Project(study) as p:  # people have not coded document M01
        segs = tuple(p.segments(scheme="paragraph").query("doc_id == 'M01'")["id"])
        marks = ",".join("?" * len(segs))
        with p.transaction() as conn:
            conn.execute(f"DELETE FROM codings WHERE segment_id IN ({marks})", segs)
            conn.execute(f"DELETE FROM decisions WHERE segment_id IN ({marks})", segs)
    first = json.loads(
        run("train", study, "-d", "stakeholders", "--out", tmp_path / "a", "--json").stdout
    )
    assert first["training_accepted_machine"] == 0
    assert first["training_by_people"] == first["training_size"]
    applied = json.loads(run("apply", study, tmp_path / "a", "--only-uncoded", "--json").stdout)
    assert applied["segments"] == len(segs)
    run("review", study, "--by", "lead", "--accept-all", "--coder", applied["coder"],
        "--dimension", "stakeholders")  # fmt: skip

    res = run("train", study, "-d", "stakeholders", "--out", tmp_path / "b")
    n = first["training_size"] + len(segs)
    assert (
        f"Of the {n:,} segments, {first['training_size']:,} were coded by people and "
        f"{len(segs):,} are machine answers a person accepted" in said(res)
    )
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["training_size"] == n
    assert manifest["training_by_people"] == first["training_size"]
    assert manifest["training_accepted_machine"] == len(segs)
    run("show", tmp_path / "b")
    shown = load_coder(tmp_path / "b", codebook_version=None).summary().frame["value"]
    assert shown["trained on"].startswith(
        f"{n:,} coded segments: {first['training_size']:,} coded by people, {len(segs):,} "
        "machine answers a person accepted"
    )

    # a manifest edited to hide the machine answers is refused
    manifest["training_accepted_machine"] = 0
    (tmp_path / "b" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    res = runner.invoke(app, ["policy", "autocode", "show", str(tmp_path / "b")])
    assert res.exit_code == 2 and "training_accepted_machine" in res.output


def test_a_model_saved_before_the_split_still_loads(study, tmp_path):
    model = tmp_path / "old"
    run("train", study, "-d", "stakeholders", "--out", model)
    est = joblib.load(model / "model.joblib")
    del est.n_accepted_machine_
    joblib.dump(est, model / "model.joblib")
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    for key in ("training_by_people", "training_accepted_machine"):
        del manifest[key]
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    trained = load_coder(model, codebook_version=None)
    assert trained.training_accepted_machine is None
    assert trained.manifest()["training_by_people"] is None
    run("show", model)
    assert "was not recorded" in trained.summary().frame["value"]["trained on"]


def test_a_model_folder_is_as_readable_as_any_new_folder(segments, labels, tmp_path):
    from ihms.policy.autocode import LearnedCoder, train_coder

    trained = train_coder(segments, labels, codebook_version="t", dimension="d",
                          coder=LearnedCoder(calibration=None))  # fmt: skip
    folder = trained.save(tmp_path / "m")
    (tmp_path / "plain").mkdir()
    assert folder.stat().st_mode & 0o777 == (tmp_path / "plain").stat().st_mode & 0o777
