"""The referrals off the pathway, one row each, for follow-up (session 22 review D,
LOW 3: off_pathway_referrals gave only counts). Worked from the tiny county with x4 and
x5 (tests/indicators/test_referral_views.py), whose counts that file checks."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.indicators.conftest import TINY_YAML
from tests.indicators.test_referral_views import referred  # noqa: F401  (fixture)

from ihms.errors import InputError
from ihms.indicators import off_pathway_list
from ihms.system import parse_system


def test_each_off_pathway_referral_with_the_targets_the_pathway_expected(referred):  # noqa: F811
    # 2016, before cmc: CH, in no consortium, refers up to the tertiary hospitals (as
    # its centres refer up to it), so x1 CH -> PH is on it; 2017: x4 PH -> THC2 (down)
    # is off it, PH's way down is cmc's lead CH. x2 and x3 are on it, x5 is lateral and
    # not judged.
    got = off_pathway_list(referred, parse_system(TINY_YAML, source="tiny.yaml"))
    assert got.to_dict("list") == {
        "referral_id": ["x4"],
        "date": [pd.Timestamp("2017-05-01")],
        "from_institution_id": ["PH"],
        "to_institution_id": ["THC2"],
        "direction": ["down"],
        "expected": ["CH"],
    }
    one = off_pathway_list(referred, parse_system(TINY_YAML, source="tiny.yaml"), year=2017)
    assert list(one["referral_id"]) == ["x4"]
    with pytest.raises(InputError, match=r"year: the data cover 2016–2017, got 2015"):
        off_pathway_list(referred, parse_system(TINY_YAML), year=2015)
