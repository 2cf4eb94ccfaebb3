"""A project's machine coders and their answers' provenance, from the project alone
(user review M, MEDIUM 7; LOW 8): `policy info` lists each machine coder's model id,
training size and date, `autocode provenance` every answer's probability and review."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.autocode import apply_to_project, codebook_version_of, train_on_project
from ihms.policy.autocode.provenance import machine_answers, machine_coders
from ihms.policy.coding import review_codings

from ._content_project import build


@pytest.fixture
def applied(tmp_path):
    p = build(tmp_path / "p.sqlite")
    trained = train_on_project(p, "actors")
    result = apply_to_project(p, trained)
    first = result.answered[:3]
    review_codings(
        p,
        coder=result.coder,
        reviews={(s, "actors"): "accepted" for s in first},
        reviewed_by="lead",
    )
    yield p, trained, result
    p.close()


def test_machine_coders_and_their_answers(applied):
    p, trained, result = applied
    coders = machine_coders(p)
    row = coders.set_index("coder").loc[result.coder]
    assert row["model_id"] == trained.model_id
    assert row["training_size"] == trained.training_size == 32
    assert row["trained_at"] == trained.trained_at
    assert row["codebook_version"] == trained.codebook_version
    assert (row["answers"], row["accepted"], row["rejected"], row["unreviewed"]) == (32, 3, 0, 29)
    answers = machine_answers(p, coder=result.coder)
    assert len(answers) == 32 and answers["segment"].is_unique
    assert list(answers.columns[:6]) == [
        "segment",
        "document",
        "dimension",
        "coder",
        "answer",
        "probability",
    ]
    codes = result.codes.groupby("segment")
    for seg, answer, prob in zip(
        answers["segment"], answers["answer"], answers["probability"], strict=True
    ):
        part = codes.get_group(seg) if seg in codes.groups else None
        assert answer == (";".join(sorted(part["category"])) if part is not None else "-")
        want = (
            ""
            if part is None
            else ";".join(
                f"{c}={p:.4f}"
                for c, p in sorted(zip(part["category"], part["probability"], strict=True))
            )
        )
        assert prob == want
    assert set(answers.loc[answers["review_status"] == "accepted", "segment"]) == set(
        result.answered[:3]
    )


def test_policy_info_lists_machine_provenance_and_both_versions(applied):
    p, trained, result = applied
    path = p.path
    version = codebook_version_of(p.codebook())
    p.close()
    res = CliRunner().invoke(app, ["policy", "info", str(path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["codebook"] == f"{version}, project codebook revision 1"
    machine = {m["coder"]: m for m in out["machine_coders"]}[result.coder]
    assert machine["model_id"] == trained.model_id and machine["training_size"] == 32
    res = CliRunner().invoke(app, ["policy", "info", str(path)], terminal_width=200)
    text = " ".join(res.output.split())
    assert trained.model_id in text and trained.trained_at in text and "revision 1" in text


def test_cli_provenance_writes_every_answer(applied, tmp_path):
    p, trained, _ = applied
    path = p.path
    p.close()
    out = tmp_path / "prov.csv"
    res = CliRunner().invoke(app, ["policy", "autocode", "provenance", str(path), "--out", str(out), "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["coders"][0]["model_id"] == trained.model_id
    assert len(pd.read_csv(out)) == 32
