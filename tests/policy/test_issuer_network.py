"""The collaboration network of issuing bodies (发文机关): documents issued jointly link
their issuers (session 21, user review A, finding 3)."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from tests.cli.test_policy_cli import session  # noqa: F401  (the fixture)
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.errors import InputError
from ihms.policy.issuers import issuer_network, joint_issuance, read_aliases, split_issuers

ALIASES = {"国家中医药局": "国家中医药管理局", "国家卫生计生委": "国家卫生健康委"}


def test_an_issuer_string_splits_into_its_bodies():
    assert split_issuers("国家卫生健康委、国家中医药局") == ["国家卫生健康委", "国家中医药局"]
    assert split_issuers("中共中央 国务院") == ["中共中央", "国务院"]  # a space between bodies
    assert split_issuers("国家卫生健康委、财政部等") == ["国家卫生健康委", "财政部"]
    assert split_issuers("国家卫生健康委等10部门") == ["国家卫生健康委"]
    assert split_issuers("国家卫生健康委　国家医保局") == [
        "国家卫生健康委",
        "国家医保局",
    ]  # full-width
    assert split_issuers(None) == [] and split_issuers("  ") == []
    # renamed bodies under one name, each once
    assert split_issuers("国家卫生计生委、国家中医药局、国家中医药管理局", ALIASES) == [
        "国家卫生健康委", "国家中医药管理局",
    ]  # fmt: skip


# Four documents, worked by hand (国家中医药局 read as 国家中医药管理局):
#   d1 卫健委、中医药管理局         → 卫健委–中医药
#   d2 卫健委、中医药管理局、医保局 → 卫健委–中医药 (now 2), 卫健委–医保局, 中医药–医保局
#   d3 国务院办公厅                 (alone: no link)
#   d4 医保局 财政部                → 医保局–财政部
DOCS = {
    "d1": "国家卫生健康委、国家中医药局",
    "d2": "国家卫生健康委、国家中医药管理局、国家医保局",
    "d3": "国务院办公厅",
    "d4": "国家医保局 财政部",
}


def test_issuer_network_worked_by_hand():
    net = issuer_network(DOCS, aliases=ALIASES)
    assert net.kind == "issuers" and not net.directed
    m = net.nodes.set_index("unit")
    assert m["frequency"].to_dict() == {
        "国家医保局": 2, "国家中医药管理局": 2, "国家卫生健康委": 2, "国务院办公厅": 1, "财政部": 1,
    }  # fmt: skip
    assert net.graph.edges["国家中医药管理局", "国家卫生健康委"]["weight"] == 2
    # density: 4 links of 5 · 4 / 2 = 10 possible
    assert net.density == pytest.approx(0.4, rel=1e-12)
    assert m["degree"].to_dict() == {
        "国家医保局": 3, "国家中医药管理局": 2, "国家卫生健康委": 2, "国务院办公厅": 0, "财政部": 1,
    }  # fmt: skip
    # betweenness: 财政部–卫健委 and 财政部–中医药 run only through 医保局: 2 of
    # (n − 1)(n − 2)/2 = 6 pairs
    assert m.loc["国家医保局", "betweenness"] == pytest.approx(2 / 6, rel=1e-12)
    assert m.loc["国家卫生健康委", "betweenness"] == 0
    # --min-weight 2 keeps the one pair that issued two documents together
    strong = issuer_network(DOCS, aliases=ALIASES, min_weight=2)
    assert strong.edges[["source", "target", "weight"]].values.tolist() == [
        ["国家中医药管理局", "国家卫生健康委", 2]
    ]
    # without the aliases 国家中医药局 is a sixth body
    assert len(issuer_network(DOCS).nodes) == 6
    # jointly issued: d1, d2, d4 of the four
    assert joint_issuance(DOCS) == (3, 4)
    said = " ".join(net.summary(lang="zh").notes)
    assert "5 个发文机关" in said and "4 份文件" in said
    assert net.figure(lang="zh").axes[0].get_title() == "发文机关合作网络"


def test_aliases_file(tmp_path):
    path = tmp_path / "aliases.txt"
    path.write_text("# renamed bodies\n国家中医药局 = 国家中医药管理局\n\n国家卫生计生委=国家卫生健康委\n",
                    encoding="utf-8")  # fmt: skip
    assert read_aliases(path) == ALIASES
    path.write_text("国家中医药局 = 国家中医药管理局\n国家卫生计生委\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"aliases.txt line 2: expected 'alias = name'"):
        read_aliases(path)
    path.write_text("甲 = 乙\n乙 = 甲\n", encoding="utf-8")
    with pytest.raises(InputError, match="round in a circle"):
        read_aliases(path)
    path.write_bytes("国家中医药局 = 国家中医药管理局\n".encode("gbk"))
    with pytest.raises(InputError, match=r"aliases.txt: expected UTF-8 text"):
        read_aliases(path)
    with pytest.raises(InputError, match=r"missing.txt: no such file"):
        read_aliases(tmp_path / "missing.txt")


def test_issuers_on_the_command_line(session, tmp_path):  # noqa: F811
    _, project, _ = session
    runner = CliRunner()
    result = runner.invoke(app, ["policy", "network", str(project), "--issuers", "--json"])
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    with sqlite3.connect(project) as db:
        rows = db.execute("SELECT issuer FROM documents WHERE status = 'included'").fetchall()
    named = [re.split(r"[、\s]+", i.strip()) for (i,) in rows if i and i.strip()]
    assert got["documents"] == len(named)
    assert got["jointly_issued"] == sum(len(b) > 1 for b in named) > 0
    assert {n["unit"] for n in got["nodes"]} == {b for bodies in named for b in bodies}
    result = runner.invoke(
        app,
        ["policy", "network", str(project), "--issuers", "--lang", "zh", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    joint = got["jointly_issued"]
    share = f"{100 * joint / got['documents']:.1f}%"
    assert f"联合发文：{got['documents']} 份文件中 {joint} 份（{share}）" in said
    assert "发文机关的度与中介中心度" in said
    assert (tmp_path / "network.png").exists() and (tmp_path / "nodes.csv").exists()


def test_a_department_after_a_space_is_no_body_of_its_own():
    # review 21b #7: "国家卫生健康委 医政医管局" linked the commission to its own department
    assert split_issuers("国家卫生健康委 医政医管局、财政部") == [
        "国家卫生健康委医政医管局",
        "财政部",
    ]
    assert split_issuers("中共三明市委 组织部") == ["中共三明市委组织部"]
    assert split_issuers("国家卫生健康委 基层卫生健康司") == ["国家卫生健康委基层卫生健康司"]
    assert split_issuers("中共中央 国务院") == ["中共中央", "国务院"]


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (["--dimension", "tools"], "--dimension"),
        (["--source", "alice"], "--source"),
        (["--scheme", "paragraph"], "--scheme"),
        (["--codebook", "6d", "--scheme", "clause"], "--codebook, --scheme"),
    ],
)
def test_issuers_refuse_the_options_of_a_coded_network(tmp_path, given, named):
    # the issuer network reads the included documents' issuers, not codings: an option
    # choosing codings would be ignored, so it is refused (the default value given
    # explicitly too)
    project = tmp_path / "p.sqlite"
    runner = CliRunner()
    assert runner.invoke(app, ["policy", "init", str(project)]).exit_code == 0
    result = runner.invoke(app, ["policy", "network", str(project), "--issuers", *given])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert f"--issuers links the included documents' issuing bodies; {named}" in said
    verb = "choose" if "," in named else "chooses"
    assert f"{named} {verb} codings, which it does not read" in said
