"""A person's review of machine codes: the review sheet `apply` writes and `review` reads."""

import json

import pandas as pd
import pytest
from tests.policy.autocode.test_cli import run, said
from tests.policy.conftest import EXAMPLES

from ihms.policy.coding import codings
from ihms.policy.project import Project
from ihms.policy.reconcile import final_codings


@pytest.fixture
def half_coded(coded_project):
    """The example project as one coder left it part way: coder_a's codes on the first
    150 segments of the sheet only, nothing reconciled, coder_b not yet imported."""
    p = coded_project
    first = list(pd.read_excel(EXAMPLES / "codings" / "coder_a.xlsx")["segment_id"][:150])
    marks = ",".join("?" * len(first))
    with p.transaction() as conn:
        conn.execute("DELETE FROM decisions")
        conn.execute("DELETE FROM codings WHERE coder_id <> 'coder_a'")
        conn.execute(f"DELETE FROM codings WHERE segment_id NOT IN ({marks})", first)
    path = p.path
    p.close()
    return path


def test_the_review_sheet_lists_every_answer_including_none_applies(half_coded, tmp_path):
    model, sheet = tmp_path / "model", tmp_path / "review.xlsx"
    assert run("train", half_coded, "-d", "stakeholders", "--out", model).exit_code == 0
    res = run("apply", half_coded, model, "--only-uncoded", "--review-sheet", sheet, "--json")
    assert res.exit_code == 0, res.output
    applied = json.loads(res.output)
    coder = applied["coder"]
    with Project(half_coded) as p:
        stored = codings(p, coders=[coder])
    nothing = set(stored.loc[stored["value"] == "", "segment_id"])
    assert nothing  # the model said "no stakeholder named" somewhere: the case under test
    frame = pd.read_excel(sheet, dtype=str, keep_default_na=False)
    # one row per answer the machine gave, "nothing applies" ones too, shown as '-'
    assert len(frame) == applied["segments"] == stored["segment_id"].nunique()
    assert set(frame.loc[frame["proposed"] == "-", "segment"]) == nothing

    frame["status"] = "accepted"
    frame.to_excel(sheet, index=False)
    res = run("review", half_coded, "--sheet", sheet, "--by", "lead", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["reviewed"] == {coder: applied["segments"]}
    with Project(half_coded) as p:
        assert codings(p, coders=[coder])["review_status"].eq("accepted").all()
        final, _ = final_codings(p, keep_none=True)
    # accepted, the machine's answers are the final ones where no person coded
    stake = final[final["dimension"] == "stakeholders"]
    assert nothing <= set(stake.loc[stake["value"] == "", "segment_id"])
    assert set(stake["segment_id"]) >= set(frame["segment"])


def test_a_bad_review_sheet_names_file_row_and_column_and_records_nothing(study, tmp_path):
    model, sheet = tmp_path / "model", tmp_path / "review.csv"
    assert run("train", study, "-d", "stakeholders", "--out", model).exit_code == 0
    assert run("apply", study, model, "--review-sheet", sheet).exit_code == 0
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    frame.loc[:3, "status"] = [" Accepted ", "acepted", "rejected", "accepted"]
    frame.loc[2, "coder"] = "coder_a"  # a person's codes are not the machine's to review
    frame.loc[3, "segment"] = "p-nowhere"
    frame.to_csv(sheet, index=False)
    res = run("review", study, "--sheet", sheet, "--by", "lead")
    assert res.exit_code == 2, res.output
    text = said(res)
    assert "review.csv: 3 row(s) cannot be recorded; nothing was recorded" in text
    # sheet rows count the header as row 1
    assert (
        "review.csv row 3, column 'status': expected 'accepted' (接受), 'rejected' (拒绝) "
        "or empty, got 'acepted' — did you mean 'accepted'?" in text
    )
    assert "review.csv row 4, column 'coder': expected a machine coder, got 'coder_a'" in text
    assert "review.csv row 5, columns 'segment'/'dimension'" in text and "'p-nowhere'" in text
    with Project(study) as p:
        assert codings(p)["review_status"].isna().all()  # not even row 2's good review


SCOPE = """
  - key: scope
    en: Scope
    zh: 范围
    kind: closed
    source: coded
    definition: One answer per segment (a single-label dimension, for this test).
    categories:
      - {key: medical, en: Medical, zh: 医疗, keywords_zh: [医]}
      - {key: general, en: General, zh: 一般, keywords_zh: [的]}
"""


def test_the_review_sheet_proposes_what_single_label_rules_stored(coded_project):
    # both keywords match many segments; a single-label dimension stores one answer (the
    # earlier-written category, 'medical'), so the sheet a person accepts must propose
    # that one, not 'medical;general' (which it did)
    from ihms.policy.autocode import apply_rules_to_project, review_sheet, rules_from_codebook
    from ihms.policy.codebook import parse_codebook

    p = coded_project
    p.update_codebook(parse_codebook(p.codebook().text + SCOPE, name="6d"), note="+scope")
    rules = rules_from_codebook(p.codebook(), "scope")
    applied = apply_rules_to_project(p, rules, "scope")
    sheet = review_sheet(p, applied)
    both = [t for t in sheet["text"] if "医" in t and "的" in t]
    assert len(both) > 10  # the case exists in the example corpus
    assert set(sheet.loc[sheet["text"].isin(both), "proposed"]) == {"medical"}
    stored = codings(p, coders=[applied.coder]).groupby("segment_id")["value"].agg(set)
    assert dict(zip(sheet["segment"], sheet["proposed"], strict=True)) == {
        s: ";".join(v) or "-" for s, v in stored.items()
    } | {s: "-" for s in set(sheet["segment"]) - set(stored.index)}


def test_a_status_typed_full_width_or_in_chinese_is_read(coded_project, tmp_path):
    # Walk 17: 'ａｃｃｅｐｔｅｄ' (a Chinese input method's full-width mode) and 接受 were
    # refused as "expected 'accepted', 'rejected' or empty", while the screening sheets
    # take 纳入/排除 and every other sheet reads full-width letters as what they are
    from ihms.policy.autocode import apply_rules_to_project, review_sheet, rules_from_codebook
    from ihms.policy.autocode.review import read_review_sheet

    p = coded_project
    applied = apply_rules_to_project(p, rules_from_codebook(p.codebook(), "tools"), "tools")
    sheet = review_sheet(p, applied).head(4)
    sheet["status"] = ["ａｃｃｅｐｔｅｄ", "接受", "拒绝", "Rejected"]
    sheet.to_csv(tmp_path / "review.csv", index=False)
    reviews = read_review_sheet(p, tmp_path / "review.csv")[applied.coder]
    assert list(reviews.values()) == ["accepted", "accepted", "rejected", "rejected"]
