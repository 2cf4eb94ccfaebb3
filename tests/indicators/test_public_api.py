"""What a user sees at a prompt: short reprs (the catalogue's field-by-field repr filled
``help(compute)``), and the caller's frames left as given."""

from __future__ import annotations

import inspect
from datetime import date

import pandas as pd

from ihms.data import Dataset, Period
from ihms.indicators import CATALOGUE, compute

from .conftest import tiny_frames


def test_the_catalogue_reprs_in_one_short_line():
    text = repr(CATALOGUE)
    # before: ~24,000 characters, every definition with every condition
    assert text == f"<Catalogue: version={CATALOGUE.version}, indicators={len(CATALOGUE)}>"
    # the default catalogue shows in compute's signature (help(), a notebook's tooltip)
    # by that one line, not its 24,000 characters (the type hints make up the rest)
    shown = str(inspect.signature(compute))
    assert f"= {text}," in shown and len(shown) < 600


def test_results_repr_in_one_line(tiny_dataset):
    res = compute(tiny_dataset, level="grid", period="month")
    text = repr(res)
    assert "\n" not in text and len(text) < 150
    assert f"level='grid', period='month', indicators={len(res.indicators)}" in text
    assert f"rows={len(res.frame)}" in text
    assert "min_cell=5" in repr(res.suppress(5))


def test_computing_leaves_the_callers_frames_as_given():
    frames = tiny_frames()
    before = {name: frame.copy() for name, frame in frames.items()}
    data = Dataset.from_frames(frames, period=Period(date(2016, 1, 1), date(2017, 12, 31)))
    for level in ("institution", "grid", "county"):
        compute(data, level=level, period="year")
    assert frames.keys() == before.keys()
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)
