"""Agreement with a machine coder on its own training segments is in-sample (user
review M, MEDIUM 2): `apply` counts them, each answer's provenance marks them, and
`policy agreement` says so (or leaves them out)."""

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.agreement import coder_agreement
from ihms.policy.autocode import (
    apply_to_project,
    default_coder,
    project_codes,
    train_coder,
)
from ihms.policy.coding import codings

from ._content_project import build


@pytest.fixture
def applied(tmp_path):
    """The project with a model trained on the first 20 of its 32 segments (the rest
    hidden from it) applied to all 32."""
    p = build(tmp_path / "p.sqlite")
    data = project_codes(p, "actors")
    codes = [c if i < 20 else None for i, c in enumerate(data.codes)]
    trained = train_coder(
        data.segments, codes, codebook_version=data.codebook_version, dimension="actors",
        coder=default_coder(data.dimension, min_per_category=3),
    )  # fmt: skip
    result = apply_to_project(p, trained)
    yield p, trained, result
    p.close()


def test_apply_counts_and_marks_the_training_segments(applied):
    p, trained, result = applied
    segs = project_codes(p, "actors").segments
    # a segment is in-sample when its text is one the model learnt: the first 20, and
    # the later ones repeating one of their texts word for word (9 of the 12 here)
    learnt = set(segs["text"].iloc[:20])
    inside = set(segs.loc[segs["text"].isin(learnt), "id"])
    assert len(inside) == 29
    assert result.n_segments == 32 and result.n_in_training == 29
    assert result.to_dict()["in_training"] == 29
    assert any(
        "29 of the 32 segments coded were training segments" in n for n in result.summary().notes
    )
    prov = codings(p, coders=[trained.coder_name]).drop_duplicates("segment_id")
    marked = {
        s: json.loads(v)["in_training"]
        for s, v in zip(prov["segment_id"], prov["provenance"], strict=True)
    }
    assert {s for s, v in marked.items() if v} == inside


def test_agreement_with_the_machine_notes_in_sample_units(applied):
    p, trained, _ = applied
    machine = trained.coder_name
    report = coder_agreement(p, coders=["coder_a", machine], dimensions=["actors"])
    said = " ".join(report.notes)
    assert f"29 of the 32 segments {machine} coded in actors were in its training data" in said
    assert "autocode evaluate" in said
    held_out = coder_agreement(
        p, coders=["coder_a", machine], dimensions=["actors"], exclude_training=True
    )
    whole = held_out.table[held_out.table["category"].isna()]
    assert int(whole["n_units"].iloc[0]) == 3
    assert any("left out the 29 segments" in n for n in held_out.notes)
    with pytest.raises(InputError, match=r"coder_a.*no machine coder"):
        coder_agreement(
            p, coders=["coder_a", "coder_a"], dimensions=["actors"], exclude_training=True
        )


def test_cli_agreement_says_it_and_takes_exclude_training(applied):
    p, trained, _ = applied
    path = p.path
    p.close()
    args = ["policy", "agreement", str(path), "--coders", f"coder_a,{trained.coder_name}", "--dimension", "actors", "--json"]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    assert any("in its training data" in n for n in json.loads(res.output)["notes"])
    res = CliRunner().invoke(app, [*args, "--exclude-training"])
    assert res.exit_code == 0, res.output
    assert any("left out the 29 segments" in n for n in json.loads(res.output)["notes"])


def test_agreement_with_a_machine_defaults_to_the_dimensions_it_coded(applied):
    # user review M, LOW 10: the machine coded actors only; content is left out, said so
    p, trained, _ = applied
    report = coder_agreement(p, coders=["coder_a", trained.coder_name])
    assert tuple(report.dimensions) == ("actors",)
    assert any("content" in n and "not coded by every coder named" in n for n in report.notes)


def test_answers_stored_before_the_mark_are_named(applied, tmp_path):
    # a project whose machine answers were applied before ihms marked in_training (the
    # review's own p.sqlite): their provenance has the model but no mark, so agreement
    # cannot tell training segments from the rest; it says so instead of nothing
    import sqlite3

    p, trained, _ = applied
    path = p.path
    p.close()
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT rowid, provenance FROM codings WHERE coder_id = ?", (trained.coder_name,)
        ).fetchall()
        for rowid, text in rows:
            old = {k: v for k, v in json.loads(text).items() if k != "in_training"}
            db.execute(
                "UPDATE codings SET provenance = ? WHERE rowid = ?", (json.dumps(old), rowid)
            )
    from ihms.policy import Project

    with Project(path) as again:
        report = coder_agreement(
            again, coders=["coder_a", trained.coder_name], dimensions=["actors"]
        )
        with pytest.raises(InputError, match="no in_training mark"):
            coder_agreement(
                again, coders=["coder_a", trained.coder_name], dimensions=["actors"],
                exclude_training=True,
            )  # fmt: skip
    said = " ".join(report.notes)
    assert f"the 32 segments {trained.coder_name} coded in actors carry no in_training mark" in said
    assert "trained on 20 segments" in said and "autocode apply" in said
