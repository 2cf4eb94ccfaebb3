"""The ITS step fits the interruption at the simulated config's reform month, not at a
hard-coded October 2017 (session 19 brief, item 3), as the payment step reads it
(``simulation.config.reform.date``); Youxi's October 2017 when no simulation ran."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ihms.demo._its import example_path, run
from ihms.demo._run import DemoContext
from ihms.sim import load_sim_config
from ihms.sim.load import example_file


def _text(section) -> str:
    return " ".join(" ".join(b.text.split()) for b in section.blocks if hasattr(b, "text"))


def _ctx(tmp_path, reform=None):
    ctx = DemoContext(out_dir=tmp_path / "out", work_dir=tmp_path / "work")
    if reform is not None:
        config = load_sim_config(example_file("youxi_sim.yaml"))
        config = config.model_copy(
            update={"reform": config.reform.model_copy(update={"date": reform})}
        )
        ctx.artefacts["simulation"] = SimpleNamespace(
            config=config, system=SimpleNamespace(name="Otherton county")
        )
        ctx.artefacts["series"] = pd.read_csv(example_path())
    return ctx


def test_the_interruption_is_the_configs_reform_month(tmp_path):
    ctx = _ctx(tmp_path, "2018-04")
    (section,) = run(ctx)
    for fit in ctx.artefacts["its"].values():
        assert "_x2018m4" in fit.params.index and "_x_t2018m4" in fit.params.index
        assert not any("2017m10" in term for term in fit.params.index)
    text = _text(section)
    assert "reform from April 2018" in text
    # the config's county and the months fitted, not words written for Youxi's series
    assert text.startswith("Otherton county's payment reform moved its medical-insurance fund")
    assert "46 months of county-hospital activity (February 2016 to November 2019" in text
    # seed 002's Table 3 is an October 2017 interruption: not set beside an April 2018 fit,
    # and October 2017 is named only to say so
    assert {t.name for t in section.tables()}.isdisjoint({"its_beside_zhong_2023"})
    why = "Table 3 of Zhong et al. 2023 is fitted at Youxi's reform, October 2017; these fits are "
    assert why in text and "October 2017" not in text.replace(why, "")
    assert "Zhong et al. 2023, Table 3, found" not in text
    figure = next(b for b in section.blocks if getattr(b, "name", "") == "its_figure")
    assert figure.caption.endswith("The dotted line marks April 2018.")
    titles = [t.table.title for t in section.tables() if t.name == "its_coefficients"]
    assert titles == ["Interrupted time series of county-hospital outcomes, reform April 2018"]
    coefficients = next(t for t in section.tables() if t.name == "its_coefficients")
    assert any("β2 level change" in label for label in coefficients.table.to_frame().index)


def test_without_a_simulation_the_interruption_is_youxis(tmp_path):
    ctx = _ctx(tmp_path)
    (section,) = run(ctx)
    fit = ctx.artefacts["its"]["hospitalizations"]
    assert "_x_t2017m10" in fit.params.index
    assert "its_beside_zhong_2023" in {t.name for t in section.tables()}
    assert "reform from October 2017" in _text(section)
