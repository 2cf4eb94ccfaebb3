"""The technical-cooperation chain (seed 001 section 3; seeds 003, 004): declared links
and the links flexible consortia imply, worked out by hand on a small county."""

from __future__ import annotations

import pytest
from tests.system.test_load import BASE

from ihms.errors import ConfigError
from ihms.system import CooperationForm, cooperation_chain, parse_system

# BASE plus the provincial hospital PH outside the county, a telemedicine network PH
# leads (PH, CH, THC), and CH posting specialists to THC and training its staff from 2017
# (the Deqing pattern of seed 004).
COUNTY = (
    BASE.replace(
        "  - {id: c1,", "  - {id: out, name: Capital, city: Capital, kind: district}\n  - {id: c1,"
    ).replace(
        "  - {id: THC,",
        "  - {id: PH, name: Provincial, tier: tertiary, affiliation: provincial, county: out}\n"
        "  - {id: THC,",
    )
    + """  - {id: tm, name: Telemedicine, type: 远程医疗协作网, integration: 松散型,
     lead: PH, members: [PH, CH, THC]}
cooperation:
  - provider: CH
    recipients: [THC]
    forms: [dispatched_specialists, 进修培训]
    start_year: 2017
"""
)


def test_declared_links_and_those_a_telemedicine_network_implies():
    chain = cooperation_chain(parse_system(COUNTY))
    rows = {(r.provider, r.recipient, r.form.value, r.source, r.from_outside) for r in chain.rows}
    assert rows == {
        ("CH", "THC", "dispatched_specialists", "declared", False),
        ("CH", "THC", "training", "declared", False),
        # the network's lead gives each other member remote consultation; PH stands
        # outside the study county c1, so these links join the two camps
        ("PH", "CH", "remote_consultation", "tm", True),
        ("PH", "THC", "remote_consultation", "tm", True),
    }
    assert [r.form for r in chain.received("CH")] == [CooperationForm.REMOTE_CONSULTATION]
    assert len(chain.provided("PH")) == 2
    # by form: remote consultation 2 pairs, 1 provider, 2 recipients, 2 from outside
    table = chain.summary().to_frame()
    assert table.loc["remote_consultation"].tolist() == [2, 1, 2, 2]
    assert table.loc["dispatched_specialists"].tolist() == [1, 1, 1, 0]
    assert list(chain.to_frame().columns) == [
        "provider",
        "recipient",
        "form",
        "source",
        "from_outside",
    ]


def test_a_year_keeps_the_links_operating_then():
    # the declared link starts in 2017; the network has no years
    assert len(cooperation_chain(parse_system(COUNTY), year=2016).rows) == 2
    assert len(cooperation_chain(parse_system(COUNTY), year=2017).rows) == 4


def test_a_declared_pair_replaces_what_the_consortium_implies():
    text = COUNTY + "  - {provider: PH, recipients: [CH], forms: [joint_ward]}\n"
    chain = cooperation_chain(parse_system(text))
    assert [r.form.value for r in chain.received("CH")] == ["joint_ward"]


def test_bad_links_are_reported_with_their_line():
    text = COUNTY.replace("recipients: [THC]", "recipients: [THC, PH, XX]").replace(
        "start_year: 2017", "start_year: 2017\n    end_year: 2016"
    )
    with pytest.raises(ConfigError) as err:
        parse_system(text, source="county.yaml")
    msg = str(err.value)
    # the link starts on line 24; recipients on line 25, start_year on line 27
    assert (
        "county.yaml line 25, cooperation[0] (provider 'CH'): recipient 'PH' (tertiary) "
        "stands above the provider (secondary); resources sink from upper to lower tiers, "
        "so swap provider and recipient"
    ) in msg
    assert (
        "county.yaml line 25, cooperation[0] (provider 'CH'): recipient 'XX' does not exist" in msg
    )
    assert (
        "county.yaml line 27, cooperation[0] (provider 'CH'): start_year 2017 is after end_year 2016"
        in msg
    )


def test_an_unknown_form_lists_the_forms():
    text = COUNTY.replace("forms: [dispatched_specialists, 进修培训]", "forms: [telemedicine]")
    with pytest.raises(ConfigError, match=r"forms\[0\]: expected one of 'dispatched_specialists'"):
        parse_system(text)
