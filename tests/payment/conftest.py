from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

import pytest

from ihms.payment import IndicatorValues, PopulationTable, SpendingTable, StaffRoster

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "payment"


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    """A short Youxi simulation (examples/youxi_sim.yaml, 3,000 residents, 2016–2019)
    written to a store as ``ihms sim run`` writes it, built once a session for the files
    that read it (``test_cli_store`` and the files beside it). Tests only read it (one
    that changes it copies it first): at the end of the session it must be as built."""
    from ihms.data import Store
    from ihms.sim import CountySimulation, MemorySink, load_sim_config
    from ihms.system import load_system

    examples = EXAMPLES.parent
    config = load_sim_config(examples / "youxi_sim.yaml").model_copy(update={"block_size": 512})
    system = load_system(examples / "youxi.yaml")
    result = CountySimulation(config, residents=3000, system=system).run(sink=MemorySink())
    path = tmp_path_factory.mktemp("sim") / "ihms.duckdb"
    with Store(path) as store:
        store.write(result.sink.dataset(validate=False))
    built = hashlib.sha256(path.read_bytes()).hexdigest()
    yield path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == built, (
        f"{path}: a test changed the shared store; it should change a copy"
    )


@pytest.fixture(scope="session")
def youxi():
    """The illustrative Youxi-like example tables."""
    return {
        "spending": SpendingTable.read(EXAMPLES / "spending.csv"),
        "population": PopulationTable.read(EXAMPLES / "population.csv"),
        "indicators": IndicatorValues.read(EXAMPLES / "indicators.csv"),
        "staff": StaffRoster.read(EXAMPLES / "staff.csv"),
    }


#: The built-in sanming rules' digest since session 36, when the premium came to be the
#: national minimum financing of resident medical insurance (630, 710 and 770 yuan in
#: 2017-2019, Xinhua 2018-07-25 and 2019-05-13; see the rule file's assumptions), no
#: longer an assumed 640 yuan in 2017 grown 6 % a year: a ledger posted with the rules
#: before re-posts a year settled again, saying the rule set changed.
SANMING_DIGEST = "5ae816ac8bdbd40a"

#: Its digest from session 35, when the director's card came to score cooperation by the
#: primary-care share of all outpatient contacts (Zhong et al. 2023's Table 4 visits are
#: the county's 诊疗人次), no longer of preventive visits, to session 36.
SANMING_DIGEST_BEFORE_36 = "cd38acb384a47f59"

#: The premium's assumption and rule before session 36 → since (as in the file).
_CHANGED_IN_36 = (
    (
        '  - "Premium: 640 yuan per insured person in 2017, growing 6% a year (Zhong et al. '
        '2023 gives no figure)."\n',
        '  - "Premium: the national minimum financing of resident medical insurance, '
        "government subsidy plus individual contribution per insured person, as Youxi's: "
        "630 yuan in 2017, 710 in 2018 and 770 in 2019, growing 6% a year after 2019 "
        '(Zhong et al. 2023 gives no figure)."\n'
        '  - "Premium sources: for 2017 and 2018 Xinhua, 25 July 2018 (490 + 220 yuan in 2018, '
        "both 40 more than in 2017); for 2019 the subsidy of 520 yuan, Xinhua, 13 May 2019, "
        "and the individual 250 yuan (30 more) of the 2019 circular 医保发〔2019〕30号 as a "
        "city's notice restates it, not seen in a retrieved copy of the circular.\"\n",
    ),
    (
        "  premium:\n"
        "    base_year: 2017\n"
        "    base_yuan: 640          # (assumption)\n"
        "    growth: 6%              # (assumption)\n",
        "  # The floor every county had to meet, Youxi included (sources under `assumptions`):\n"
        "  # subsidy + individual contribution, 450 + 180, 490 + 220 and 520 + 250 yuan.\n"
        "  premium:\n"
        "    by_year_yuan: {2017: 630, 2018: 710, 2019: 770}\n"
        "    base_year: 2019         # later years grow from 2019's amount (assumption)\n"
        "    base_yuan: 770\n"
        "    growth: 6%              # (assumption)\n",
    ),
)

#: Its digest from session 32, when the card came to score health promotion by the
#: hypertension and diabetes control rates, as Zhong et al. 2023 (Discussion) name the
#: indicators, no longer by the management rates, to session 34.
SANMING_DIGEST_BEFORE_35 = "9d020b4b388dfee0"

#: The director card's cooperation line before session 35 → since (as in the file).
_CHANGED_IN_35 = (
    (
        "        - id: healthcare_visits_primary_share\n"
        "          label: Share of healthcare outpatient visits in primary care (cooperation)\n",
        "        - id: outpatient_contacts_primary_share\n"
        "          label: Share of outpatient contacts in primary care (cooperation)\n",
    ),
)

#: Its digest from session 24 (staff_pay.other_roles and three assumptions added: review
#: 24 #1, #2, #5) to session 31; a371f149a6b56a9a before.
SANMING_DIGEST_BEFORE_32 = "3064d5c3a41bc3fd"

#: The director card's health-promotion lines before session 32 → since (as in the file).
_CHANGED_IN_32 = (
    (
        "        - id: hypertension_management_rate\n"
        "          label: Hypertension standardized management rate (health promotion)\n"
        "          weight: 0.2\n"
        "          linear: {floor: 50%, target: 80%}\n",
        "        - id: hypertension_control_rate\n"
        "          label: Hypertension control rate (health promotion)\n"
        "          weight: 0.2\n"
        "          linear: {floor: 50%, target: 75%}   # (assumption)\n",
    ),
    (
        "        - id: diabetes_management_rate\n"
        "          label: Diabetes standardized management rate (health promotion)\n"
        "          weight: 0.1\n"
        "          linear: {floor: 50%, target: 80%}\n",
        "        - id: diabetes_control_rate\n"
        "          label: Diabetes control rate (health promotion)\n"
        "          weight: 0.1\n"
        "          linear: {floor: 50%, target: 75%}   # (assumption)\n",
    ),
)

#: What session 24 added to sanming.yaml, each line as added (review 24 #1, #2, #5).
_ADDED_IN_24 = (
    '  - "The 16% staff share Zhong et al. 2023 give for 2018 is kept for every year',
    '  - "Staff whose role has no card of its own',
    '  - "The staff share is shared among the staff who pass their card',
    "  other_roles: doctor",
)


def _undone(text: str, changes) -> str:
    """``text`` with each ``(before, since)`` change put back (``since`` found once)."""
    for before, since in changes:
        assert text.count(since) == 1
        text = text.replace(since, before)
    return text


def sanming_text_before_36() -> str:
    """The built-in sanming.yaml with the premium it had until session 36 (640 yuan in
    2017 grown 6 % a year; the file :data:`SANMING_DIGEST_BEFORE_36` was computed on)."""
    from ihms.payment import builtin_rules_text

    return _undone(builtin_rules_text("sanming"), _CHANGED_IN_36)


def sanming_text_before_35() -> str:
    """The built-in sanming.yaml with the premium and the director card's cooperation line
    it had until session 35 (the file :data:`SANMING_DIGEST_BEFORE_35` was computed on)."""
    return _undone(sanming_text_before_36(), _CHANGED_IN_35)


def sanming_text_before_32() -> str:
    """The built-in sanming.yaml with the director card's management-rate lines it had
    until session 32 (the file :data:`SANMING_DIGEST_BEFORE_32` was computed on)."""
    return _undone(sanming_text_before_35(), _CHANGED_IN_32)


def sanming_text_before_24() -> str:
    """The built-in sanming.yaml without what sessions 24 and 32 changed: the file older
    digests were computed on (a test of a digest kept from then reads it)."""
    lines = sanming_text_before_32().splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.startswith(_ADDED_IN_24)]
    assert len(lines) - len(kept) == len(_ADDED_IN_24)
    text = "".join(kept)
    added = "; kept for later years (assumption)"
    assert text.count(added) == 1
    return text.replace(added, "")


@pytest.fixture
def former_sanming_rules(monkeypatch):
    """Make the built-in name ``sanming`` load its rule text before session 36 for one
    test, and give that text.

    Why: the figures of the tests that use it were worked by hand on examples/payment with
    the premium the rule set assumed then (640 yuan in 2017, grown 6 % a year), and the
    example was sized for it; the built-in set now carries the sourced premium (630, 710
    and 770 yuan in 2017-2019), which other tests check. ``load_rules("sanming")`` and the
    CLI's default rules both read the former text while it is in force (digest
    :data:`SANMING_DIGEST_BEFORE_36`).
    """
    return _use_former_sanming(monkeypatch)


def former_sanming():
    """The rules ``load_rules("sanming")`` gave before session 36 (for a fixture that
    outlives one test; why: :func:`former_sanming_rules`)."""
    from ihms.payment import load_rules

    with former_sanming_in_force():
        return load_rules("sanming")


@contextmanager
def former_sanming_in_force():
    """:func:`former_sanming_rules` for a block (a fixture that outlives one test)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _use_former_sanming(monkeypatch)
        yield


def _use_former_sanming(monkeypatch) -> str:
    from ihms.payment import _config

    former = sanming_text_before_36()
    builtin = _config.builtin_rules_text

    def text(name: str) -> str:
        return former if name == "sanming" else builtin(name)

    monkeypatch.setattr(_config, "builtin_rules_text", text)
    return former
