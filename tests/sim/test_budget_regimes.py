"""One rule for "the regime has no budget to settle" (``ihms.sim._codes.has_budget``):
the layout's consortium check, the comparison's settlement and the fee-for-service
drift note spelled the regime's name out each, and must agree on every regime."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from ihms.errors import ConfigError
from ihms.sim._codes import FEE_FOR_SERVICE, REGIMES, has_budget
from ihms.sim._compare_notes import FFS_DRIFT
from ihms.sim.compare import _settle
from ihms.sim.layout import check_reform_consortia


@pytest.mark.parametrize("regime", REGIMES)
def test_a_regime_without_a_budget_needs_no_consortium_and_settles_nothing(regime):
    no_consortium = SimpleNamespace(grid_ids=["g01"], consortium_start=[np.datetime64("NaT")])
    if has_budget(regime):
        with pytest.raises(ConfigError, match="pays a consortium for each grid"):
            check_reform_consortia(no_consortium, regime=regime, reform="2017-10")
    else:
        check_reform_consortia(no_consortium, regime=regime, reform="2017-10")
        assert _settle(SimpleNamespace(regime=regime), indicators=None) == {}


def test_only_fee_for_service_has_no_budget_and_its_drift_is_its_own():
    assert [r for r in REGIMES if not has_budget(r)] == [FEE_FOR_SERVICE] == ["fee-for-service"]
    assert FFS_DRIFT == "regimes.fee-for-service.ch_attraction_drift_per_year"


def test_a_late_consortium_is_named_with_its_start_year_and_the_month_that_works():
    # sim review finding 7: the refusal named neither the file, the consortium nor a fix
    late = SimpleNamespace(
        grid_ids=("G01", "G02"),
        consortium_start=np.array(["2019-01", "2016-01"], dtype="datetime64[M]"),
        consortium_ids=("small-ichc", "other"),
    )
    with pytest.raises(ConfigError) as info:
        check_reform_consortia(late, regime="sanming", reform="2017-10", source="late.yaml")
    assert str(info.value) == (
        "late.yaml: regime 'sanming' from 2017-10 pays a consortium for each grid, but grid "
        "'G01' is served by consortium 'small-ichc' only from its start_year 2019; give a "
        "reform from 2019-01 on (--reform or reform.date) or an earlier start_year"
    )
    check_reform_consortia(late, regime="sanming", reform="2019-01", source="late.yaml")
