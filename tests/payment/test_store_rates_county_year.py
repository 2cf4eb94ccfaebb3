"""``ihms payment ... --store``: when a county whose grids or institutions a consortium
holds lacks a whole year (its extract has no encounter in it), the consortium's rates of
that year are left empty (tests/indicators/test_chronic_incomplete.py) and the refusal
must say so — not "rates of residents need grids it serves: choose another
consortium", the reason given before, since the store's follow-ups and preventive
visits of that year (the other county's) were there.

The store is ``test_chronic_incomplete.c2_lacking_2017``'s two counties (c1 2016-2017;
c2 2016 alone) with a consortium of c2, ``m2`` (THC3 and grid g3, from 2016), and ``ug``
spanning both (CH of c1 and THC3 of c2, grids g1 and g3, from 2016). Worked by hand:
m2's 2016 management rate is r11's 4 follow-up days of 1 patient (100 %); its 2017 is
empty, as is ug's 2017 (c2 lacks it; c1's 2 of 4 alone was ug's figure before).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests.indicators.test_chronic_incomplete import c2_lacking_2017
from tests.indicators.test_empty_periods_by_county import TWO_COUNTIES

from ihms.cli._payment_store_rates import consortium_rates
from ihms.data import Store
from ihms.errors import InputError
from ihms.payment import ASSESSMENT_INDICATORS

CONSORTIA = TWO_COUNTIES.replace(
    "consortia:\n",
    "consortia:\n"
    "  - {id: m2, name: County two group, type: urban_medical_group, integration: half,\n"
    "     lead: THC3, members: [THC3], grids: [g3], start_year: 2016}\n"
    "  - {id: ug, name: Urban group, type: urban_medical_group, integration: half,\n"
    "     lead: CH, members: [CH, THC3], grids: [g1, g3], start_year: 2016}\n",
)
CARDS = [SimpleNamespace(indicators=[SimpleNamespace(id=i) for i in ASSESSMENT_INDICATORS])]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("county-year") / "ihms.duckdb"
    with Store(path) as s:
        s.write(c2_lacking_2017(CONSORTIA))
    with Store(path) as s:
        yield s


@pytest.mark.parametrize("unit", ["m2", "ug"])
def test_the_refusal_names_the_county_lacking_the_year(store, unit):
    with pytest.raises(InputError) as caught:
        consortium_rates(store, unit, None, CARDS, [2017])
    message = str(caught.value)
    assert "gives no 2017 value of hypertension_control_rate" in message
    assert (
        "county c2, whose grids or institutions it holds, has no encounter in 2017: its "
        "extract lacks the year, so the rates counting its records are left empty"
    ) in message
    assert "choose another consortium" not in message


def test_a_year_the_county_has_is_computed(store):
    # (c2 has no preventive visit: the card here scores the management rate alone)
    card = [SimpleNamespace(indicators=[SimpleNamespace(id="hypertension_management_rate")])]
    given = consortium_rates(store, "m2", None, card, [2016])
    assert given.for_subject(2016, "consortium")["hypertension_management_rate"] == 1
