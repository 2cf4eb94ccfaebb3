"""Gwet's AC1 and PABAK beside each screening stage's kappa, and the note naming the
kappa paradox (Feinstein & Cicchetti 1990) where the reviewers agree on most documents
yet kappa is low because nearly every decision was the same (session 20, F3).

Golden numbers are worked by hand in the comments: for two decisions Gwet's (2008)
chance agreement is pe = 2π(1 − π), π the share of "include" over every reviewer's
decisions, and AC1 = (pa − pe)/(1 − pe); PABAK = 2·pa − 1 (Byrt, Bishop & Carlin 1993).
They are cross-checked against :mod:`ihms.stats`, whose functions are tested against
irrCAC."""

import math

import pytest

from ihms._words import TERMS
from ihms.policy.screening_reviewers import (
    ScreeningMethod,
    stage_agreement,
)
from ihms.stats import gwet_ac1, gwet_ac1_from_table, pabak_from_table


def _pairs(both_in: int, a_only: int, b_only: int, both_out: int) -> dict[str, list[str]]:
    """Two reviewers' decisions from their 2 × 2 table (include first)."""
    cells = [("include", "include")] * both_in + [("include", "exclude")] * a_only
    cells += [("exclude", "include")] * b_only + [("exclude", "exclude")] * both_out
    return {f"D{i:02d}": list(pair) for i, pair in enumerate(cells, start=1)}


# 20 titles, nearly all excluded: both exclude 15, only ann includes 3, only bo includes 2,
# both include none.
#   pa = 15/20 = 0.75
#   Cohen: ann includes 3/20 = 0.15, bo 2/20 = 0.10;
#          pe = 0.15·0.10 + 0.85·0.90 = 0.78; kappa = (0.75 − 0.78)/(1 − 0.78) = −3/22
#   AC1:   π = (0.15 + 0.10)/2 = 0.125; pe = 2·0.125·0.875 = 0.21875;
#          AC1 = (0.75 − 0.21875)/(1 − 0.21875) = 0.53125/0.78125 = 0.68
#   PABAK: 2·0.75 − 1 = 0.5
SKEWED = _pairs(0, 3, 2, 15)
# Feinstein & Cicchetti's (1990) paradox table (80, 10 / 5, 5) with "exclude" as its
# common answer: 100 titles, both exclude 80, only bo includes 10, only ann 5, both 5.
#   pa = 0.85; Cohen: pe = 0.90·0.85 + 0.10·0.15 = 0.78, kappa = 0.07/0.22 = 7/22
#   AC1: π = 25/200 = 0.125, pe = 0.21875, AC1 = 0.63125/0.78125 = 0.808
#   PABAK: 2·0.85 − 1 = 0.7
PARADOX = _pairs(5, 5, 10, 80)


def test_ac1_and_pabak_worked_by_hand():
    a = stage_agreement("title", ["ann", "bo"], SKEWED, n_recorded=40)
    assert a.percent_agreement == pytest.approx(75.0, rel=1e-12)
    assert a.kappa == pytest.approx(-3 / 22, rel=1e-12)
    assert a.ac1 == pytest.approx(0.68, rel=1e-12)
    assert a.pabak == pytest.approx(0.5, rel=1e-12)
    # the same from ihms.stats' 2 × 2 functions (include first, ann in rows)
    assert a.ac1 == pytest.approx(gwet_ac1_from_table([[0, 3], [2, 15]]).estimate, rel=1e-12)
    assert a.pabak == pytest.approx(pabak_from_table([[0, 3], [2, 15]]).pabak, rel=1e-12)
    # 75 % is below the shared rule's 80 % (ihms.stats.kappa_paradox): the reviewers
    # agreed on none of the 5 documents either included, so kappa's verdict stands
    assert a.note == ""


def test_the_paradox_named_on_feinstein_and_cicchettis_table():
    a = stage_agreement("title", ["ann", "bo"], PARADOX, n_recorded=200)
    assert a.percent_agreement == pytest.approx(85.0, rel=1e-12)
    assert a.kappa == pytest.approx(7 / 22, rel=1e-12)
    assert a.ac1 == pytest.approx(0.63125 / 0.78125, rel=1e-12)
    assert a.pabak == pytest.approx(0.7, rel=1e-12)
    # 85 % ≥ 80 %, kappa 0.32 < 0.60, AC1 − kappa 0.49 ≥ 0.20: the note, naming the
    # dominant decision (175 of the 200 decisions exclude) and the documents included by both
    assert "kappa paradox" in a.note and "Feinstein & Cicchetti 1990" in a.note
    assert "88% of the decisions were exclude" in a.note
    assert "agreed to include 5 of the 20 documents either of them included" in a.note


def test_three_reviewers_ac1_worked_by_hand_and_no_pabak():
    # 10 titles, 3 reviewers: 8 excluded by all, 2 included by one reviewer each.
    #   pa (Gwet, pairs of reviewers) = (8·1 + 2·(2·1)/(3·2))/10 = (8 + 2/3)/10 = 13/15
    #   π = (2 · 1/3)/10 = 1/15; pe = 2·(1/15)·(14/15) = 28/225
    #   AC1 = (195/225 − 28/225)/(197/225) = 167/197
    #   Fleiss: p̄e = (1/15)² + (14/15)² = 197/225; kappa = (195 − 197)/(225 − 197) = −1/14
    #   all three agree on 8 of 10: 80 %
    ratings = {f"D{i:02d}": ["exclude"] * 3 for i in range(1, 9)}
    ratings["D09"] = ["include", "exclude", "exclude"]
    ratings["D10"] = ["exclude", "exclude", "include"]
    a = stage_agreement("title", ["ann", "bo", "cy"], ratings, n_recorded=30)
    assert a.ac1 == pytest.approx(167 / 197, rel=1e-12)
    assert a.ac1 == pytest.approx(gwet_ac1(list(ratings.values())).estimate, rel=1e-12)
    assert a.kappa == pytest.approx(-1 / 14, rel=1e-12)
    assert a.percent_agreement == pytest.approx(80.0, rel=1e-12)
    assert math.isnan(a.pabak)  # PABAK is a two-reviewer statistic
    assert "kappa paradox" in a.note


def test_no_note_where_kappa_is_not_low_or_every_decision_the_same():
    # the docstring's 4 titles: pa 0.75, kappa 0.5 (≥ 0.40: no note);
    # π = (3/4 + 2/4)/2 = 0.625, pe = 2·0.625·0.375 = 0.46875, AC1 = 0.28125/0.53125 = 9/17
    a = stage_agreement("title", ["ann", "bo"], _pairs(2, 1, 0, 1))
    assert a.kappa == pytest.approx(0.5, rel=1e-12) and a.ac1 == pytest.approx(9 / 17, rel=1e-12)
    assert a.note == ""
    # every decision "exclude": kappa undefined, AC1 and PABAK 1 (π = 0, pe = 0), no note
    same = stage_agreement("title", ["ann", "bo"], _pairs(0, 0, 0, 6))
    assert math.isnan(same.kappa) and same.ac1 == 1.0 and same.pabak == 1.0
    assert same.note == ""


def test_statement_and_table_show_ac1_pabak_and_the_note():
    skewed = stage_agreement("title", ["ann", "bo"], PARADOX, n_recorded=200)
    method = ScreeningMethod(("ann", "bo"), (skewed,))
    text = method.statement()
    assert (
        "Title stage: 100 document(s), agreement 85.0%, Cohen's kappa 0.32, Gwet's AC1 0.81, "
        "PABAK 0.70; 15 conflict(s)." in text
    )
    assert skewed.note in text
    table = method.summary()
    frame = table.to_frame()
    assert frame.loc["title", "AC1"] == pytest.approx(0.808, rel=1e-12)
    assert frame.loc["title", "PABAK"] == pytest.approx(0.7, rel=1e-12)
    assert table.notes == (skewed.note,)
    assert "0.808" in table.to_text()


def _paradox_screening():
    """Feinstein & Cicchetti's table screened at the title stage by ann and bo."""
    import datetime as dt
    from types import SimpleNamespace

    from ihms.policy.prisma import screen
    from ihms.policy.screening_reviewers import ScreeningDecision

    docs = [
        SimpleNamespace(id=i, title=f"通知{i}", date=dt.date(2019, 1, 1),
                        text="推进医疗联合体建设和发展，" * 5, source="卫健委网站")
        for i in PARADOX
    ]  # fmt: skip
    decisions = [
        ScreeningDecision(doc, "title", d, "" if d == "include" else "不相关", who, f"{who}.csv")
        for doc, pair in PARADOX.items()
        for who, d in zip(("ann", "bo"), pair, strict=True)
    ]
    return screen(docs, decisions=decisions, settle={"title": "include-if-any"})


def test_screen_says_the_note_once_on_the_command_line_and_in_json(capsys):
    import json

    from ihms.cli._common import console
    from ihms.cli.policy_screen import _report

    result = _paradox_screening()
    note = result.method.stages[0].note
    assert note.startswith("Title stage: kappa 0.32 despite 85.0% agreement")
    with console.capture() as shown:
        _report(result, json=False, more={}, written={})
    assert " ".join(shown.get().split()).count("kappa paradox") == 1
    _report(result, json=True, more={}, written={})
    out = json.loads(capsys.readouterr().out)
    assert note in out["method"]
    assert out["agreement"][0]["AC1"] == pytest.approx(0.808, rel=1e-12)


def test_the_paradox_note_in_chinese_from_the_same_figures():
    """Feinstein & Cicchetti's table again: 175 of 200 decisions exclude (87.5 %, 88 %
    as the English note rounds it), both reviewers include 5 of the 20 documents either
    includes; κ 7/22 = 0.32, AC1 0.808, PABAK 0.70."""
    a = stage_agreement("title", ["ann", "bo"], PARADOX, n_recorded=200)
    assert a.paradox_note() == a.note
    agree, paradox = TERMS["zh"]["percent agreement"], TERMS["zh"]["kappa paradox"]
    assert a.paradox_note("zh") == (
        f"题名初筛阶段：{agree} 85.0%，而 κ 仅 0.32：88% 的决定为排除，使 κ 的机遇一致性"
        f"偏高（{paradox}，Feinstein & Cicchetti 1990）；Gwet's AC1（0.81）与 PABAK（0.70）"
        "受该比例的影响小得多。在任一评审员纳入的 20 份文件中，评审员一致纳入的有 5 份。"
    )
    assert stage_agreement("title", ["ann", "bo"], SKEWED).paradox_note("zh") == ""


def test_screen_says_the_note_once_in_chinese():
    """``--lang zh``: the table and the statement in Chinese, the κ-paradox note (in the
    statement, not under the table) said once."""

    from ihms.cli._common import console
    from ihms.cli.policy_screen import _report

    result = _paradox_screening()
    with console.capture() as shown:
        _report(result, json=False, more={}, written={}, lang="zh")
    text = "".join(shown.get().split())
    agree, paradox = (
        "".join(TERMS["zh"][t].split()) for t in ("percent agreement", "kappa paradox")
    )
    assert text.count(paradox) == 1 and "kappa paradox" not in text
    assert f"题名初筛阶段：100份文件，{agree}85.0%，Cohen'sκ0.32，Gwet'sAC10.81" in text
    assert "由include-if-any规则裁决。" in text
