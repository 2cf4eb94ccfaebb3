"""Krippendorff's alpha bootstrap against scipy.stats.bootstrap over units with the
krippendorff package as the statistic (same generator, same resamples)."""

import krippendorff
import numpy as np
import pytest
from scipy import stats

from ihms.errors import InputError
from ihms.stats import krippendorff_alpha, krippendorff_alpha_bootstrap


def _codings(seed: int = 3, units: int = 60, coders: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 5, size=units)
    cols = [
        np.where(rng.random(units) < 0.8, truth, rng.integers(1, 5, units)) for _ in range(coders)
    ]
    data = np.column_stack(cols).astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan
    return data[(~np.isnan(data)).sum(axis=1) >= 2]  # pairable units only, as resampled


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_bootstrap_matches_scipy_with_krippendorff_package(level):
    data = _codings()
    r = krippendorff_alpha_bootstrap(data, level=level, n_boot=200, seed=7, confidence=0.9)
    ref = stats.bootstrap(
        (np.arange(len(data)),),
        lambda idx: krippendorff.alpha(reliability_data=data[idx].T, level_of_measurement=level),
        vectorized=False,
        n_resamples=200,
        method="percentile",
        confidence_level=0.9,
        rng=np.random.default_rng(7),
    )
    np.testing.assert_allclose(r.distribution, ref.bootstrap_distribution, rtol=0, atol=1e-12)
    assert r.ci_low == pytest.approx(ref.confidence_interval.low, abs=1e-12)
    assert r.ci_high == pytest.approx(ref.confidence_interval.high, abs=1e-12)
    assert r.std_error == pytest.approx(ref.standard_error, abs=1e-12)
    # alpha itself still matches the krippendorff package
    assert r.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=data.T, level_of_measurement=level), abs=1e-12
    )


def test_probability_below_minimum_is_the_share_of_resamples_below():
    data = _codings(seed=5)
    r = krippendorff_alpha_bootstrap(data, n_boot=300, seed=11, minimums=(0.667, 0.8))
    dist = r.distribution
    assert r.prob_below == (float((dist < 0.667).mean()), float((dist < 0.8).mean()))
    assert 0 < r.prob_below[0] < r.prob_below[1] <= 1
    assert r.to_dict()["prob_below"] == {"0.667": r.prob_below[0], "0.8": r.prob_below[1]}
    assert "P(alpha < 0.8)" in str(r.summary())


def test_seeded_and_reproducible():
    data = _codings(seed=9)
    a = krippendorff_alpha_bootstrap(data, n_boot=100, seed=42)
    b = krippendorff_alpha_bootstrap(data, n_boot=100, seed=42)
    c = krippendorff_alpha_bootstrap(data, n_boot=100, seed=43)
    np.testing.assert_array_equal(a.distribution, b.distribution)
    assert not np.array_equal(a.distribution, c.distribution)
    assert a.alpha == krippendorff_alpha(data).alpha


def test_units_coded_once_are_not_resampled_and_chunks_join():
    data = _codings(seed=4)
    padded = np.vstack([data, [[1, np.nan, np.nan], [np.nan, 2, np.nan]]])
    a = krippendorff_alpha_bootstrap(data, n_boot=600, seed=1)  # more than one chunk
    b = krippendorff_alpha_bootstrap(padded, n_boot=600, seed=1)
    assert b.n_units == len(data)
    np.testing.assert_array_equal(a.distribution, b.distribution)


def test_resamples_without_variation_are_counted_and_left_out():
    # 3 units of one value and 1 unit of another: some resamples hold one value only
    data = [[1, 1], [1, 1], [1, 1], [2, 2]]
    r = krippendorff_alpha_bootstrap(data, n_boot=200, seed=0)
    assert r.n_undefined == int(np.isnan(r.distribution).sum()) > 0
    assert np.isfinite(r.ci_low)
    assert "without variation" in str(r.summary())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_boot": 1}, "n_boot"),
        ({"n_boot": 2.5}, "n_boot"),
        ({"confidence": 0}, "confidence"),
        ({"minimums": (1.2,)}, "minimums"),
        ({"seed": -1}, "parameter 'seed': expected a whole number >= 0, got -1"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(InputError, match=match):
        krippendorff_alpha_bootstrap([[1, 1], [2, 2]], **kwargs)


def test_numpy_integers_are_whole_numbers():
    # a count or seed taken from numpy (np.int64) is as good as a Python int
    a = krippendorff_alpha_bootstrap(
        [[1, 1], [2, 2], [1, 2]], n_boot=np.int64(50), seed=np.int64(3)
    )
    b = krippendorff_alpha_bootstrap([[1, 1], [2, 2], [1, 2]], n_boot=50, seed=3)
    assert np.array_equal(a.distribution, b.distribution, equal_nan=True)


def test_a_share_of_no_resamples_prints_with_the_others_decimals():
    # KALPHA prints q to four decimals ("0.0000"); a whole-valued share printed "0" beside
    # 0.9621, read as a count
    rng = np.random.default_rng(0)
    first = rng.integers(0, 3, 200)
    second = first.copy()
    second[:5] = (second[:5] + 1) % 3
    r = krippendorff_alpha_bootstrap(np.column_stack([first, second]), n_boot=200, seed=1)
    assert r.prob_below == (0.0, 0.0)
    header, rows, _ = r.summary()._cells()
    shown = dict(zip(header, rows[0], strict=True))
    assert shown["P(alpha < 0.667)"] == shown["P(alpha < 0.8)"] == "0.0000"
    assert r.summary().to_frame()["P(alpha < 0.8)"].iloc[0] == 0.0
