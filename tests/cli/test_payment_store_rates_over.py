"""Review item C11: the encounters a primary-care share is taken over, named when a store
gives no value of it (``ihms payment settle --store``), were a copy of the catalogue's
denominators in the CLI (``_OVER``); they are read from the catalogue now, so a change
of a share's denominator changes what the refusal looks for and says."""

from __future__ import annotations

from dataclasses import replace

from ihms.cli._payment_store_rates import _over
from ihms.indicators import CATALOGUE, Condition
from ihms.payment import STORE_ASSESSMENT_INDICATORS


def test_the_shares_are_taken_over_their_catalogue_denominators():
    # catalogue.yaml: outpatient_contacts_primary_share's denominator counts outpatient,
    # emergency, chronic follow-up and preventive encounters; healthcare visits', preventive
    outpatient = _over(CATALOGUE["outpatient_contacts_primary_share"])
    assert outpatient == (
        ("outpatient", "emergency", "chronic_followup", "preventive"),
        "outpatient contacts (outpatient, emergency, chronic follow-up or preventive encounters)",
        "the primary-care share of outpatient contacts",
    )
    assert _over(CATALOGUE["healthcare_visits_primary_share"])[:2] == (
        ("preventive",),
        "preventive encounters",
    )


def test_a_changed_denominator_changes_the_encounters_looked_for():
    share = CATALOGUE["outpatient_contacts_primary_share"]
    den = replace(share.denominator, where=(Condition("type", ("outpatient", "emergency")),))
    types, noun, _ = _over(replace(share, denominator=den))
    assert types == ("outpatient", "emergency")
    assert noun == "outpatient contacts (outpatient or emergency encounters)"


def test_only_rates_over_encounter_types_are_looked_for():
    # the control and management rates count chronic patients, not encounters
    over = {i for i, c in STORE_ASSESSMENT_INDICATORS.items() if _over(CATALOGUE[c])}
    assert over == {"outpatient_contacts_primary_share", "healthcare_visits_primary_share"}
