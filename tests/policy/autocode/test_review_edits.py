"""A review sheet whose 'proposed' cell a person corrected (user review M, MEDIUM 4):
a review accepts or rejects the machine's answer as it was; a corrected cell is refused,
naming the row, rather than recorded as the machine's answer accepted."""

import json

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import DataError
from ihms.policy.autocode import (
    apply_to_project,
    review_from_sheet,
    review_sheet,
    train_on_project,
)
from ihms.policy.coding import codings

from ._content_project import build


@pytest.fixture
def sheet(tmp_path):
    p = build(tmp_path / "p.sqlite")
    applied = apply_to_project(p, train_on_project(p, "actors"))
    frame = review_sheet(p, applied)
    frame["status"] = "accepted"
    yield p, applied, frame, tmp_path / "review.xlsx"
    p.close()


def test_a_corrected_proposal_is_refused_naming_the_row(sheet):
    p, applied, frame, path = sheet
    i = int(frame.index[frame["proposed"] == "hospital"][0])
    frame.loc[i, "proposed"] = "government;hospital"
    frame.to_excel(path, index=False)
    before = codings(p, coders=[applied.coder])["review_status"].tolist()
    with pytest.raises(DataError) as err:
        review_from_sheet(p, path, reviewed_by="lead")
    said = " ".join(err.value.problems)
    # the sheet's header is file row 1, so frame row i is file row i + 2
    assert f"review.xlsx row {i + 2}, column 'proposed'" in said
    assert "'hospital'" in said and "'government;hospital'" in said
    assert "policy codes import" in said
    assert codings(p, coders=[applied.coder])["review_status"].tolist() == before


def test_the_proposal_as_written_or_respelt_is_accepted(sheet):
    p, applied, frame, path = sheet
    multi = frame.index[frame["proposed"].str.contains(";")]
    # the same answer, its categories in another order and with a full-width semicolon
    for i in multi:
        frame.loc[i, "proposed"] = "；".join(reversed(frame.loc[i, "proposed"].split(";")))
    frame.to_excel(path, index=False)
    assert review_from_sheet(p, path, reviewed_by="lead") == {applied.coder: len(frame)}


def test_cli_review_json_counts_each_status(sheet):
    p, applied, frame, path = sheet
    frame.loc[:4, "status"] = "rejected"
    frame.to_excel(path, index=False)
    target = p.path
    p.close()
    res = CliRunner().invoke(app, ["policy", "autocode", "review", str(target), "--sheet", str(path), "--by", "lead", "--json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["reviewed"] == {applied.coder: len(frame)}
    assert out["statuses"] == {applied.coder: {"accepted": len(frame) - 5, "rejected": 5}}
