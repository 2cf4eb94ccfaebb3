"""``autocode apply --min-probability`` after a full apply (review finding 4): the
earlier low-probability answers of the same model are withdrawn with --replace, or
said to stay without it; ``review --accept-all`` accepts what the summary says and
leaves a person's earlier reviews alone."""

import json

from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.coding import codings
from ihms.policy.project import Project

runner = CliRunner()


def run(*args):
    res = runner.invoke(app, ["policy", "autocode", *map(str, args)])
    assert res.exit_code == 0, res.output
    return res


def answered(study, coder):
    with Project(study) as p:
        got = codings(p, coders=[coder])
    return got.groupby("segment_id")["review_status"].first()


def test_a_stricter_cut_withdraws_or_names_the_earlier_answers(study, tmp_path):
    model = tmp_path / "model"
    run("train", study, "-d", "stakeholders", "--out", model)
    full = json.loads(run("apply", study, model, "--json").output)
    coder = full["coder"]
    assert full["abstained"] == 0

    kept = json.loads(run("apply", study, model, "--min-probability", 0.9, "--json").output)
    left = kept["abstained"]
    assert 0 < left < full["segments"]
    assert kept["earlier_kept"] == left and kept["withdrawn"] == 0
    assert len(answered(study, coder)) == full["segments"]  # nothing removed without --replace
    text = " ".join(run("apply", study, model, "--min-probability", 0.9).output.split())
    assert f"{left:,} earlier answers of {coder} on segments now left for a person stay" in text

    # a person rejected one of the answers now below the cut: that review stands
    below = sorted(set(answered(study, coder).index) - set(_coded_at(study, model, 0.9)))
    with Project(study) as p:
        from ihms.policy.coding import review_codings

        review_codings(
            p, coder=coder, reviews={(below[0], "stakeholders"): "rejected"}, reviewed_by="lead"
        )

    res = json.loads(
        run("apply", study, model, "--min-probability", 0.9, "--replace", "--json").output
    )
    assert res["withdrawn"] == left - 1 and res["earlier_kept"] == 1
    now = answered(study, coder)
    assert len(now) == res["segments"] + 1 and now[below[0]] == "rejected"

    accepted = json.loads(
        run("review", study, "--by", "lead", "--accept-all", "--coder", coder,
            "--dimension", "stakeholders", "--json").stdout
    )  # fmt: skip
    assert accepted["reviewed"] == {coder: res["segments"]}
    now = answered(study, coder)
    assert now[below[0]] == "rejected" and (now.drop(below[0]) == "accepted").all()


def _coded_at(study, model, cut):
    """The segments the model answers at ``cut``."""
    from ihms.policy.autocode import codebook_version_of, load_coder, project_codes

    with Project(study) as p:
        trained = load_coder(model, codebook_version=codebook_version_of(p.codebook()))
        segs = project_codes(p, "stakeholders").segments
    coding = trained.code(segs, min_probability=cut)
    return set(segs["id"].astype(str)) - set(segs["id"].iloc[coding.abstained].astype(str))


def test_a_cut_no_answer_reaches_registers_no_coder(study, tmp_path):
    model = tmp_path / "model"
    run("train", study, "-d", "stakeholders", "--out", model)
    res = json.loads(run("apply", study, model, "--min-probability", 1, "--json").stdout)
    assert res["segments"] == 0 and res["abstained"] > 0
    with Project(study) as p:
        assert res["coder"] not in set(p.coders()["id"])
    text = " ".join(run("apply", study, model, "--min-probability", 1).stdout.split())
    assert "No segment answered: nothing was stored, and no new coder registered." in text
