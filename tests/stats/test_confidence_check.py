"""One check of a confidence level (session 35 review, item 4): ``0 < confidence < 1``
was written eight times with three wordings, and a level written as text (``"0.95"``)
escaped as a ``TypeError`` from the comparison. Every entry point now refuses a level
outside (0, 1), or no number, with one message naming the parameter and the value."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from ihms._arguments import check_confidence
from ihms.errors import InputError
from ihms.policy.autocode.bootstrap import bootstrap_agreement
from ihms.stats import (
    ITSModel,
    agreement_report,
    cohens_kappa,
    fit_its_batch,
    gwet_ac1,
    krippendorff_alpha_bootstrap,
)

YEARLY = pd.DataFrame({"year": np.arange(2000, 2012), "y": np.linspace(10, 30, 12) ** 1.1})
CODINGS = pd.DataFrame(
    {"unit": [1, 1, 2, 2], "coder": ["A", "B"] * 2, "code": ["a", "a", "b", "a"]}
)
ENTRY_POINTS = {
    "ITSModel.fit": lambda c: ITSModel(YEARLY, outcome="y", time="year", interruptions=2006).fit(
        confidence=c
    ),
    "ITSResults.conf_int": lambda c: (
        ITSModel(YEARLY, outcome="y", time="year", interruptions=2006).fit().conf_int(c)
    ),
    "fit_its_batch": lambda c: fit_its_batch(
        YEARLY.assign(s="x"),
        outcome="y",
        time="year",
        series="s",
        interruptions=2006,
        confidence=c,
    ),
    "cohens_kappa": lambda c: cohens_kappa(["x", "y", "y"], ["x", "y", "x"], confidence=c),
    "gwet_ac1": lambda c: gwet_ac1([[1, 2], [1, 1]], confidence=c),
    "krippendorff_alpha_bootstrap": lambda c: krippendorff_alpha_bootstrap(
        [[1, 2], [1, 1]], n_boot=10, confidence=c
    ),
    "agreement_report": lambda c: agreement_report(CODINGS, confidence=c),
    "bootstrap_agreement": lambda c: bootstrap_agreement(["a"], ["a"], ["d"], confidence=c),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    ("level", "got"),
    [
        ("0.95", r"got str '0\.95'$"),  # was a TypeError from the comparison
        (95, r"got int 95 \(for 95% write 0\.95\)$"),
        (1.0, r"got float 1\.0$"),
        (float("nan"), r"got float nan$"),
        (True, r"got bool$"),
    ],
)
def test_every_entry_point_refuses_a_level_with_one_message(entry, level, got):
    with pytest.raises(InputError) as err:
        ENTRY_POINTS[entry](level)
    assert str(err.value).startswith(
        "parameter 'confidence': expected a number between 0 and 1 (both excluded) such as 0.95, "
    ), str(err.value)
    assert re.search(got, str(err.value)), str(err.value)


def test_a_level_inside_is_taken_as_a_float():
    assert check_confidence(np.float32(0.5)) == 0.5
    assert type(check_confidence(np.float64(0.9))) is float
    with pytest.raises(InputError, match=r"^parameter 'level': .*got float 1\.5$"):
        check_confidence(1.5, parameter="level")


def test_a_decimal_nan_and_a_float_percentage_are_refused_plainly():
    # a Decimal NaN raised decimal.InvalidOperation from the comparison; 95.0 was told
    # "write 0.950"
    with pytest.raises(InputError, match=r"got Decimal NaN$"):
        check_confidence(Decimal("NaN"))
    with pytest.raises(InputError, match=r"got float 95\.0 \(for 95\.0% write 0\.95\)$"):
        check_confidence(95.0)


def test_an_entry_point_computes_with_the_level_as_a_float():
    # each entry point uses the checked float, not what was given: a Decimal level gives
    # the same interval as the float one
    interval = ENTRY_POINTS["ITSResults.conf_int"]
    pd.testing.assert_frame_equal(interval(Decimal("0.9")), interval(0.9))
    kappa = ENTRY_POINTS["cohens_kappa"]
    assert (kappa(Decimal("0.9")).ci_low, kappa(Decimal("0.9")).ci_high) == (
        kappa(0.9).ci_low,
        kappa(0.9).ci_high,
    )
