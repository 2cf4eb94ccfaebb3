"""``ihms sim run --out``: which store a run may replace without ``--replace``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.data import Store

runner = CliRunner()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _generated(folder) -> str:
    """``ihms data generate`` into ``folder/ihms.duckdb``; what the store then holds."""
    store = folder / "ihms.duckdb"
    args = ["data", "generate", "--system", "examples/youxi.yaml", "--scale", "0.001"]
    result = runner.invoke(app, [*args, "--seed", "1", "--store", str(store)])
    assert result.exit_code == 0, result.output
    with Store(store, read_only=True) as s:
        return s.contents()


def test_sim_run_refuses_a_data_generate_store_without_replace(tmp_path, monkeypatch):
    # synthetic ids, but made by ihms.data.synthetic, not by an earlier simulation
    held = _generated(tmp_path)
    from ihms.sim import CountySimulation

    monkeypatch.setattr(CountySimulation, "run", lambda *a, **k: pytest.fail("simulated"))
    result = runner.invoke(
        app, ["sim", "run", "--regime", "sanming", "--residents", "2000", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    message = _flat(result.output)
    assert "not an earlier simulation; pass --replace" in message
    assert "from ihms.data.synthetic" in message  # what the store holds
    with Store(tmp_path / "ihms.duckdb", read_only=True) as s:
        assert s.contents() == held
        assert s.info().producer == ""
