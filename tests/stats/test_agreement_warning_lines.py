"""The agreement statistics' "undefined" warnings point at the caller's line, whichever
public function reached them (read-through 34a LOW 5: cohens_kappa warned at a line of
ihms/stats/_cohen.py, a fixed stacklevel counting one frame too few once a public
function called the private one that warns)."""

from __future__ import annotations

import warnings

import pandas as pd

from ihms.errors import StatisticalWarning
from ihms.stats import (
    cohens_kappa,
    cohens_kappa_from_table,
    fleiss_kappa,
    fleiss_kappa_from_counts,
    gwet_ac1,
    gwet_ac1_from_counts,
    krippendorff_alpha,
)


def _at_this_file(call) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    hits = [w for w in caught if issubclass(w.category, StatisticalWarning)]
    assert hits and "undefined" in str(hits[0].message), [str(w.message) for w in caught]
    assert [w.filename for w in hits] == [__file__] * len(hits)


def test_one_category_everywhere_is_said_at_the_callers_line():
    same = ["a"] * 5
    ratings = pd.DataFrame({"c1": same, "c2": same, "c3": same})
    _at_this_file(lambda: cohens_kappa(same, same))
    _at_this_file(lambda: cohens_kappa_from_table([[5, 0], [0, 0]]))
    _at_this_file(lambda: fleiss_kappa(ratings))
    _at_this_file(lambda: fleiss_kappa_from_counts([[3, 0]] * 5))
    _at_this_file(lambda: krippendorff_alpha(ratings))
    _at_this_file(lambda: gwet_ac1(ratings))
    _at_this_file(lambda: gwet_ac1_from_counts([[3]] * 5))
