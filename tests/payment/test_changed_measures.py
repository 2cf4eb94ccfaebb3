"""``payment.indicator_values.note_changed_measures``: the one note on a card scoring an
indicator whose measure changed (``CHANGED_MEASURES``), said by ``sim compare`` and by
``payment ... --store`` (``tests/sim/test_compare_changed_measure.py``,
``tests/payment/test_cli_store.py``). Since 2026-11-26 ``healthcare_visits_primary_share``
counts preventive encounters only; a Sanming card saved before meant all outpatient
contacts, which the built-in card scores as ``outpatient_contacts_primary_share``."""

from __future__ import annotations

import warnings

import pytest

from ihms.errors import IhmsWarning
from ihms.payment import builtin_rules_text, load_rules
from ihms.payment.indicator_values import CHANGED_MEASURES, SCORED_INSTEAD, note_changed_measures

CHANGED, NOW = "healthcare_visits_primary_share", "outpatient_contacts_primary_share"


@pytest.fixture
def saved_card(tmp_path):
    path = tmp_path / "old-sanming.yaml"
    text = builtin_rules_text("sanming")
    path.write_text(text.replace(f"id: {NOW}", f"id: {CHANGED}"), encoding="utf-8")
    return load_rules(path)


def test_every_changed_measure_has_a_successor_to_name():
    assert set(CHANGED_MEASURES) <= set(SCORED_INSTEAD)
    assert SCORED_INSTEAD[CHANGED] == NOW


def test_a_saved_card_is_told_what_the_id_counts_now(saved_card):
    with pytest.warns(IhmsWarning) as caught:
        note_changed_measures(
            saved_card, settled="Settled here", settled_zh="此处", regime="sanming"
        )
    (message,) = [str(w.message) for w in caught]
    assert message == (
        f"rules sanming v{saved_card.version} (sanming): scorecard 'director' scores "
        f"'{CHANGED}', which since 2026-11-26 counts the primary-care share of preventive "
        "encounters (health examinations) only; a card naming it before then meant the "
        f"share of all outpatient contacts, which the built-in card scores as '{NOW}'. "
        f"Settled here with '{CHANGED}' as the card names it; name '{NOW}' on the card to "
        "score what it meant"
    )
    assert caught[0].filename == __file__
    # under --lang zh the CLI prints the warning's Chinese (IhmsWarning.zh)
    assert caught[0].message.zh == (
        f"规则 sanming v{saved_card.version}（sanming）：考核评分表 'director' 考核 "
        f"'{CHANGED}'，该指标自 2026-11-26 起只统计健康门诊（健康体检等预防性就诊）的基层占比；"
        "此前写有该指标的评分表指的是全部诊疗人次的基层占比，内置评分表以 "
        f"'{NOW}' 考核。此处按评分表所写的 '{CHANGED}' 结算；要考核其原意，请在评分表中改写为 "
        f"'{NOW}'"
    )


def test_no_note_for_the_built_in_card_nor_for_roles_not_asked_of(saved_card):
    with warnings.catch_warnings():
        warnings.simplefilter("error", IhmsWarning)
        note_changed_measures(load_rules("sanming"), settled="Settled", settled_zh="")
        note_changed_measures(saved_card, settled="Settled", settled_zh="", roles=("physician",))
