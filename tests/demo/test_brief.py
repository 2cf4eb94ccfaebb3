"""The opening brief restates the steps' findings without claiming more than they show."""

from __future__ import annotations

from ihms.demo._brief import _calibration, _its
from ihms.demo._run import DemoContext


def _ctx(tmp_path, fits) -> DemoContext:
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.artefacts["its"] = fits
    return ctx


def test_hospitals_still_growing_after_the_reform_are_not_said_to_have_stopped(tmp_path, its_fits):
    # Hospitalizations' post-reform slope 6.1 a month, 95% CI 0.3 to 11.8 (p = 0.038):
    # growth slowed (β3 < 0) but did not stop.
    text = _its(_ctx(tmp_path, its_fits()))
    assert "stopped growing" not in text
    assert text.startswith("**The county hospitals' growth by volume slowed.**")
    assert "Hospitalizations still rise by 6.1 a month after the reform (p = 0.038)" in text


def test_hospitals_whose_post_reform_slopes_include_zero_stopped_growing(tmp_path, its_fits):
    text = _its(_ctx(tmp_path, its_fits(hospitalizations_post=(2.0, -1.0, 5.0, 0.2))))
    assert text.startswith("**The county hospitals stopped growing by volume.**")
    assert "still rise" not in text


def test_the_brief_counts_the_shown_figures_that_depart(tmp_path):
    from ihms.sim.calibrate import TARGETS, Measurements, check_targets

    values = {t.key: t.value for t in TARGETS}
    # seed 002 Table 4: primary-care share 63.0 % in 2017 (shown); 53.7 is outside +-10 %
    values["healthcare_visits_primary_share_2017"] = 53.7
    measured = Measurements(values=values, yearly=None, series=None)
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    ctx.artefacts["calibration"] = check_targets(measured, {})
    text = _calibration(ctx)
    # 36 figures: 22 gated (Table 4 in 2016 and 2019, Table 5, Table 3 slope changes), 14 shown
    assert "Of the 22 published figures" in text and "every one is within its rule" in text
    assert "Of the 14 figures shown for comparison, 1 departs from Youxi's" in text
    agreeing = Measurements(values={t.key: t.value for t in TARGETS}, yearly=None, series=None)
    ctx.artefacts["calibration"] = check_targets(agreeing, {})
    assert "shown for comparison" not in _calibration(ctx)
