"""``ihms policy network`` on the command line: the measures in the JSON, the files and
the console, a closed dimension's categories by name (session 21, user review A,
findings 4–6)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from tests.cli.test_policy_cli import session  # noqa: F401  (the fixture)
from typer.testing import CliRunner

from ihms.cli.main import app

runner = CliRunner()


def _run(*args):
    result = runner.invoke(app, ["policy", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_tool_co_occurrence_shows_categories_by_name_with_measures(session, tmp_path):  # noqa: F811
    _, project, _ = session
    out = tmp_path / "net"
    args = ("network", project, "--dimension", "tools", "--scheme", "paragraph")
    got = json.loads(_run(*args, "--lang", "zh", "--out", out, "--json"))
    assert got["kind"] == "categories" and got["directed"] is False
    nodes = pd.DataFrame(got["nodes"])
    # the categories' Chinese names from the codebook, not their keys
    assert "人才建设" in set(nodes["label"]) and not nodes["label"].str.contains("_").any()
    # density by hand from the links listed: links / (n (n − 1) / 2), undirected
    n, links = len(nodes), len(got["edges"])
    assert got["density"] == pytest.approx(links / (n * (n - 1) / 2), rel=1e-12)
    # each node's degree is the number of links naming it
    named = pd.Series([e[s] for e in got["edges"] for s in ("source", "target")]).value_counts()
    assert nodes.set_index("unit")["degree"].to_dict() == {
        u: int(named.get(u, 0)) for u in nodes["unit"]
    }
    written = pd.read_csv(out / "nodes.csv", encoding="utf-8-sig")
    assert {"degree", "weighted_degree", "degree_centrality", "betweenness"} <= set(written)
    said = " ".join(_run(*args, "--lang", "zh").split())
    assert "类目的度与中介中心度" in said and f"网络密度 {got['density']:.3f}（无向）" in said
    assert "单元" not in said
    english = " ".join(_run(*args).split())
    assert "Degree and betweenness of the categories" in english
    assert "talent_construction" not in english


def test_the_help_names_both_kinds_of_dimension():
    result = runner.invoke(app, ["policy", "network", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert "Open dimension naming the units." not in text
    assert "closed dimension's categories" in text
