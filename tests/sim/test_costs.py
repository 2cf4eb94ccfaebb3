import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ihms.sim._codes import ENCOUNTER_TYPES, TIERS
from ihms.sim.costs import encounter_costs


@settings(max_examples=40, deadline=None)
@given(
    share=st.floats(0.0, 1.0),
    log_sd=st.floats(0.0, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_insurance_never_exceeds_cost(youxi_config, share, log_sd, seed):
    costs = youxi_config.costs.model_copy(
        update={
            "log_sd": log_sd,
            "outpatient_insurance_share": dict.fromkeys(TIERS, share),
            "inpatient_insurance_share": dict.fromkeys(TIERS[1:], share),
            "preventive_insurance_share": share,
        }
    )
    config = youxi_config.model_copy(update={"costs": costs})
    rng = np.random.default_rng(seed)
    n = 500
    kind = rng.integers(0, len(ENCOUNTER_TYPES), n)
    tier = np.where(kind == 2, rng.integers(1, 4, n), rng.integers(0, 3, n))
    total, insurance = encounter_costs(
        kind,
        tier,
        rng.integers(0, 3, n),
        rng.integers(1, 30, n),
        rng.random(n) < 0.9,
        config=config,
        rng=rng,
    )
    assert total.dtype == np.int64 and insurance.dtype == np.int64
    assert (total >= 1).all()
    assert ((insurance >= 0) & (insurance <= total)).all()
    # insurance is the share rounded down to the fen: within one fen of the exact share
    insured = insurance > 0
    assert (np.abs(insurance[insured] - total[insured] * round(share * 10_000) / 10_000) < 1).all()
