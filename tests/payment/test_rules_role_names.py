"""A rule file whose scorecards are keyed by the roster's Chinese role names (院长,
医生): the roster's 医生 is read as ``doctor`` (``payment._names.ROLE_NAMES``, review P
#6), so the rules' keys are read through the same names, or the roster's doctors would
find no card (session 21). The consortium's card is the director's, found under 院长 too.

Figures: examples/payment, 2018, as in ``test_incentive_checks``: sanming's pool
787,671.89 yuan, DR-THC03-A's incentive 116,708.37 yuan (README)."""

from __future__ import annotations

import warnings

import pytest

from ihms.errors import ConfigError, IhmsWarning
from ihms.payment import StaffRoster, load_rules, settle_year, settlement_inputs
from ihms.payment._config import builtin_rules_text

from .conftest import SANMING_DIGEST, sanming_text_before_24, sanming_text_before_36


def _chinese_keyed(tmp_path, director="院长", doctor="医生", text=None):
    text = builtin_rules_text("sanming") if text is None else text
    assert text.count("\n    director:\n") == 1 and text.count("\n    doctor:\n") == 1
    text = text.replace("\n    director:\n", f"\n    {director}:\n")
    text = text.replace("\n    doctor:\n", f"\n    {doctor}:\n")
    path = tmp_path / "rules_zh.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _roster_in_chinese(tmp_path, example_dir):
    text = (example_dir / "staff.csv").read_text(encoding="utf-8")
    path = tmp_path / "staff_zh.csv"
    path.write_text(text.replace(",director,", ",院长,").replace(",doctor,", ",医生,"), "utf-8")
    with pytest.warns(IhmsWarning, match="医生 → doctor, 院长 → director"):
        return StaffRoster.read(path)


def test_chinese_keys_are_read_as_the_roles_they_name(tmp_path):
    with pytest.warns(IhmsWarning) as caught:
        rules = load_rules(_chinese_keyed(tmp_path))
    assert list(rules.staff_pay.scorecards) == ["director", "doctor"]
    assert [c.role for c in rules.staff_pay.scorecards.values()] == ["director", "doctor"]
    said = " ".join(str(w.message) for w in caught)
    assert "scorecard '院长' read as 'director'" in said
    assert "scorecard '医生' read as 'doctor'" in said


@pytest.mark.usefixtures("former_sanming_rules")
def test_a_chinese_roster_settles_under_chinese_keys_as_under_the_built_in(
    tmp_path, example_dir, youxi
):
    with pytest.warns(IhmsWarning):
        rules = load_rules(_chinese_keyed(tmp_path, text=sanming_text_before_36()))
    tables = {**youxi, "staff": _roster_in_chinese(tmp_path, example_dir)}
    record = settle_year(rules, settlement_inputs(rules, 2018, **tables))
    builtin = load_rules("sanming")
    expected = settle_year(builtin, settlement_inputs(builtin, 2018, **youxi))
    assert record.assessment is not None  # the consortium's card: the director's
    assert record.assessment.total == expected.assessment.total
    assert record.salaries.pool_fen == 78_767_189
    incentive = {ln.staff_id: ln.incentive_fen for ln in record.salaries.lines}
    assert incentive["DR-THC03-A"] == 11_670_837
    assert record.salaries.to_dict() == expected.salaries.to_dict()


def test_two_keys_for_one_role_are_refused(tmp_path):
    path = _chinese_keyed(tmp_path, director="院长", doctor="医生")
    text = path.read_text(encoding="utf-8").replace("\n    院长:\n", "\n    doctor:\n")
    path.write_text(text, encoding="utf-8")
    with (
        pytest.warns(IhmsWarning),
        pytest.raises(ConfigError, match="'doctor' and '医生' are both the doctor's card") as err,
    ):
        load_rules(path)
    assert "rules_zh.yaml line " in str(err.value)


def test_built_in_digests_are_unchanged():
    # computed on main (dbd0963) before scorecard keys were read as role names; sanming's
    # changed in sessions 24 (other_roles and assumptions added, review 24 #1, #2, #5) and
    # 32 (the director card's control rates)
    assert load_rules("sanming").digest == SANMING_DIGEST
    assert load_rules("other-areas").digest == "d253ee0b60a96025"
    assert load_rules("fee-for-service").digest == "cfae63d8b4b5d97b"
    assert load_rules("deqing-shared-savings").digest == "89f041cb52611882"
    assert load_rules("mssp").digest == "ee41253694e069a5"


def test_a_member_built_in_python_is_read_as_the_roster_is():
    from ihms.payment import StaffMember

    assert StaffMember("s1", "医生", "THC1", 100).role == "doctor"
    assert StaffMember("s2", "nurse", "THC1", 100).role == "nurse"  # a county's own card


@pytest.mark.parametrize(
    ("doctor", "digest"),
    [
        # digests computed by ihms at dbd0963 (before the keys were read as roles) from
        # this sanming.yaml with its doctor: card keyed so (review 22a M3); the file as it
        # was then (without session 24's additions)
        ("医生", "37645b7e7c9750a2"),
        ("Doctor", "c19d11db09712f86"),
        ("doctor", "a371f149a6b56a9a"),  # the built-in's own
    ],
)
def test_a_card_keyed_by_a_role_name_keeps_the_digest_it_had(tmp_path, doctor, digest):
    # the digest is the ledger's input digest: a changed one re-posts an unchanged year
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IhmsWarning)  # "scorecard '医生' read as 'doctor'"
        path = _chinese_keyed(
            tmp_path, director="director", doctor=doctor, text=sanming_text_before_24()
        )
        rules = load_rules(path)
    assert list(rules.staff_pay.scorecards) == ["director", "doctor"]
    assert rules.digest == digest
