"""The opening brief restates the steps' findings without claiming more than they show."""

from __future__ import annotations

from ihms.demo._brief import _its
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
