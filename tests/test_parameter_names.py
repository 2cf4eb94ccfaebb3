"""One name per concept across the exported signatures (review item M3): a confidence
level is ``confidence`` (``level`` already names a measurement level, an aggregation
level and a heading level, and :func:`ihms.stats.krippendorff_alpha_bootstrap` takes
both); a seed is ``random_state`` in the scikit-learn-shaped ``ihms.policy.autocode``
(CONVENTIONS: auto-coders are scikit-learn estimators) and ``seed`` everywhere else.
ARCHITECTURE.md, "Parameter names", holds the survey."""

from __future__ import annotations

import inspect
import warnings

import pytest
from tests.test_docstrings import _exports


def _signatures():
    """(package, label, parameters) of every exported function, class and method."""
    for pkg, name, obj in _exports():
        members = [(name, obj)] if inspect.isfunction(obj) else []
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            members = [(f"{name}()", obj)] + [
                (f"{name}.{a}", f)
                for a, f in vars(obj).items()
                if inspect.isfunction(f) and not a.startswith("_")
            ]
        for label, f in members:
            yield pkg, f"{pkg}.{label}", inspect.signature(f).parameters


def test_a_confidence_level_is_called_confidence():
    # ITSModel.fit, fit_its_batch, ITSResults.conf_int and CoderEvaluation.with_bootstrap
    # took level=0.95 while cohens_kappa, gwet_ac1 ... took confidence=0.95
    wrong = [
        f"{label}({p})"
        for _, label, params in _signatures()
        for p, v in params.items()
        if p == "level" and isinstance(v.default, float)
    ]
    assert wrong == []


def test_a_seed_is_random_state_in_autocode_and_seed_elsewhere():
    wrong = [
        f"{label}({p})"
        for pkg, label, params in _signatures()
        for p in params
        if (p == "seed" and pkg.startswith("ihms.policy.autocode"))
        or (p == "random_state" and not pkg.startswith("ihms.policy.autocode"))
    ]
    assert wrong == []


def _series():
    import pandas as pd

    y = [10.0, 11.2, 11.9, 13.1, 14.0, 15.2, 19.8, 21.1, 21.9, 23.2, 24.1, 25.0]
    return pd.DataFrame({"t": range(1, 13), "y": y})


def test_its_fit_still_takes_level_for_one_release():
    from ihms.stats import ITSModel

    model = ITSModel(_series(), outcome="y", time="t", interruptions=7)
    new = model.fit(confidence=0.9).conf_int()
    with pytest.warns(DeprecationWarning, match="'level' was renamed 'confidence'"):
        old = model.fit(level=0.9).conf_int()
    assert old.equals(new)
    with pytest.warns(DeprecationWarning, match="'confidence'"):
        assert model.fit().conf_int(level=0.9).equals(new)


def test_the_new_names_raise_no_warning():
    from ihms.stats import ITSModel

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        ITSModel(_series(), outcome="y", time="t", interruptions=7).fit(confidence=0.9)


def test_a_warning_inside_a_renamed_callable_still_points_at_its_caller():
    from ihms.errors import StatisticalWarning
    from ihms.stats import ITSModel, fit_its_batch

    exact = _series().assign(y=lambda f: 2.0 * f["t"])
    with pytest.warns(StatisticalWarning) as caught:
        ITSModel(exact, outcome="y", time="t", interruptions=7).fit()
    assert caught[0].filename == __file__
    both = exact.assign(s="a")
    with pytest.warns(StatisticalWarning) as caught:
        fit_its_batch(both, outcome="y", time="t", series="s", interruptions=7)
    assert caught[0].filename == __file__
