"""Network measures, the co-occurrence network of a closed dimension's categories, and a
figure in the user's language whose edges no node hides (session 21, user review A,
findings 4, 5 and 6)."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from ihms.policy.codebook import load_codebook
from ihms.policy.network import cooperation_network, labels_of, tiers_of


@pytest.fixture(scope="module")
def unit_dim():
    return load_codebook("symbiosis").dimension("symbiotic_unit")


@pytest.fixture(scope="module")
def tools():
    return load_codebook("6d").dimension("tools")


# The reviewer's unit network (/tmp/ux21a/nets.py), rebuilt from four entries:
#   e1 三级医院, 县级医院, 基层医疗卫生机构 → 三级-县级, 三级-基层, 县级-基层
#   e2 县级医院, 村卫生室                 → 县级-村
#   e3 基层医疗卫生机构, 村卫生室         → 基层-村
#   e4 县级医院, 基层医疗卫生机构         → 县级-基层 (weight 2)
# every link points down the tiers (4, 3, 2, 1), so five arcs among four units.
UNITS = {
    "e1": ["三级医院", "县级医院", "基层医疗卫生机构"],
    "e2": ["县级医院", "村卫生室"],
    "e3": ["基层医疗卫生机构", "村卫生室"],
    "e4": ["县级医院", "基层医疗卫生机构"],
}


def test_measures_of_a_directed_unit_network_worked_by_hand(unit_dim, tmp_path):
    net = cooperation_network(UNITS, tiers=tiers_of(unit_dim))
    # density: 5 arcs of 4 × 3 possible = 0.4167 (the reviewer's 0.417)
    assert net.density == pytest.approx(5 / 12, rel=1e-12)
    m = net.nodes.set_index("unit")
    # degree (links touching a unit): 县级 三级, 基层, 村 → 3; 基层 三级, 县级, 村 → 3;
    # 三级 → 2; 村 → 2 (the reviewer's 3/3/2/2)
    assert m["degree"].to_dict() == {
        "县级医院": 3,
        "基层医疗卫生机构": 3,
        "三级医院": 2,
        "村卫生室": 2,
    }
    # weighted degree: 县级 1 + 2 + 1 = 4; 基层 1 + 2 + 1 = 4; 三级 1 + 1; 村 1 + 1
    assert m["weighted_degree"].to_dict() == {
        "县级医院": 4, "基层医疗卫生机构": 4, "三级医院": 2, "村卫生室": 2,
    }  # fmt: skip
    # degree centrality: degree / (n - 1) = 3/3, 3/3, 2/3, 2/3
    assert m.loc["县级医院", "degree_centrality"] == pytest.approx(1.0, rel=1e-12)
    assert m.loc["村卫生室", "degree_centrality"] == pytest.approx(2 / 3, rel=1e-12)
    # betweenness: the only pair with a path of two arcs is 三级 → 村, by 县级 or by
    # 基层 (half each); normalised by (n - 1)(n - 2) = 6 ordered pairs: 0.5 / 6 = 0.0833
    assert m.loc["县级医院", "betweenness"] == pytest.approx(1 / 12, rel=1e-12)
    assert m.loc["基层医疗卫生机构", "betweenness"] == pytest.approx(1 / 12, rel=1e-12)
    assert m.loc["三级医院", "betweenness"] == 0 and m.loc["村卫生室", "betweenness"] == 0
    # the files carry them too
    nodes, _ = net.to_csv(tmp_path)
    header = nodes.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith("degree,weighted_degree,degree_centrality,betweenness")
    back = nx.read_graphml(net.to_graphml(tmp_path / "net.graphml"))
    assert back.nodes["县级医院"]["degree"] == 3
    assert back.nodes["县级医院"]["betweenness"] == pytest.approx(1 / 12, rel=1e-12)
    assert back.graph["density"] == pytest.approx(5 / 12, rel=1e-12)


def test_measures_table_in_both_languages(unit_dim):
    net = cooperation_network(UNITS, tiers=tiers_of(unit_dim), labels=labels_of(unit_dim, "zh"))
    zh = net.measures(lang="zh")
    assert list(zh.frame.columns) == ["单元", "频数", "度", "加权度", "度中心度", "中介中心度"]
    assert zh.frame.iloc[0, 0] == "县级医院"  # the highest degree first
    assert any("网络密度 0.417" in n for n in zh.notes)
    en = net.measures()
    assert list(en.frame.columns)[:3] == ["unit", "frequency", "degree"]
    assert any("density 0.417" in n for n in en.notes)


def test_a_co_occurrence_network_of_categories_worked_by_hand(tools):
    # four categories; entries {a, b}, {a, c}, {a, d}, {b, c}: links ab, ac, ad, bc, all
    # undirected (categories have no tier). By hand: density 4 of 4·3/2 = 6 → 0.667;
    # degree a 3, b 2, c 2, d 1; betweenness: b–d and c–d run through a (one shortest
    # path each), so a has 2 of (n - 1)(n - 2)/2 = 3 pairs → 0.667, the others 0.
    a, b, c, d = (
        "talent_construction",
        "financial_guarantee",
        "technical_support",
        "rational_layout",
    )
    entries = {"s1": [a, b], "s2": [a, c], "s3": [a, d], "s4": [b, c]}
    net = cooperation_network(entries, labels=labels_of(tools, "zh"), kind="categories")
    assert net.density == pytest.approx(4 / 6, rel=1e-12)
    m = net.nodes.set_index("unit")
    assert m["degree"].to_dict() == {a: 3, b: 2, c: 2, d: 1}
    assert m.loc[a, "betweenness"] == pytest.approx(2 / 3, rel=1e-12)
    assert m.loc[b, "betweenness"] == 0
    # the categories' Chinese names, and they are called categories
    assert m.loc[a, "label"] == "人才建设" and m.loc[d, "label"] == "合理布局"
    said = " ".join(net.summary(lang="zh").notes)
    assert "4 个类目" in said and "单元" not in said
    assert "4 categories" in " ".join(net.summary().notes)
    assert net.measures(lang="zh").frame.columns[0] == "类目"


def _hidden(pos, edges, bends, radius=0.06):
    """Edges drawn straight whose line passes within ``radius`` of a node not its end."""
    out = []
    for u, v in edges:
        if abs(bends.get((u, v), 0)) >= 0.2:
            continue
        (x1, y1), (x2, y2) = pos[u], pos[v]
        for w, (x, y) in pos.items():
            if w in (u, v):
                continue
            dx, dy = x2 - x1, y2 - y1
            t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
            if math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) < radius:
                out.append((u, v, w))
    return out


def test_no_node_hides_a_link_that_skips_a_tier(unit_dim):
    # finding 6: one unit per tier, all at x = 0.5: 三级医院 → 基层医疗卫生机构 ran behind
    # 县级医院, 县级医院 → 村卫生室 behind 基层医疗卫生机构
    entries = {**UNITS, "e5": ["省级医院", "三级医院"], "e6": ["省级医院", "村卫生室"]}
    net = cooperation_network(entries, tiers=tiers_of(unit_dim))
    pos, bends = net.layout()
    assert _hidden(pos, list(net.graph.edges), bends) == []
    # five tiers, a unit each: 省级 → 村 runs down the column of 省级, 县级 and 村 (the
    # layers set off to alternate sides), so it is bent round 县级
    assert bends[("省级医院", "村卫生室")] >= 0.2
    fig = net.figure()
    rads = {round(p.get_connectionstyle().rad, 3) for p in fig.axes[0].patches}
    assert {round(r, 3) for r in bends.values()} <= rads


#: the links of the demo's example corpus (session 27), weights as counted there
DEMO_LINKS = {
    ("三级医院", "基层医疗卫生机构"): 12, ("县级医院", "基层医疗卫生机构"): 11,
    ("牵头医院", "基层医疗卫生机构"): 9, ("三级医院", "县级医院"): 3,
    ("二级以上医院", "基层医疗卫生机构"): 2, ("县级医院", "村卫生室"): 2,
    ("基层医疗卫生机构", "村卫生室"): 2, ("三级医院", "二级以上医院"): 1,
    ("三级医院", "二级医院"): 1, ("二级以上医院", "县级医院"): 1,
    ("二级医院", "基层医疗卫生机构"): 1, ("省级医院", "县级医院"): 1,
}  # fmt: skip


def test_a_bent_link_bends_away_from_the_node_it_clears(unit_dim):
    # review 27: 三级医院 → 二级以上医院 was bent round 牵头医院 on the side 牵头医院 sat,
    # so the arc ran through it and read as two links that do not exist
    entries = {f"{u}-{v}-{k}": [u, v] for (u, v), w in DEMO_LINKS.items() for k in range(w)}
    # units named alone, so that the frequencies keep the demo's order
    for unit, extra in (
        ("基层医疗卫生机构", 17),
        ("三级医院", 3),
        ("市级医院", 6),
        ("二级以上医院", 1),
    ):
        entries |= {f"{unit}-{k}": [unit] for k in range(extra)}
    net = cooperation_network(entries, tiers=tiers_of(unit_dim))
    pos, bends = net.layout()
    checked = 0
    for (u, v), rad in bends.items():
        if abs(rad) < 0.2:
            continue
        (x1, y1), (x2, y2) = pos[u], pos[v]
        mid = ((x1 + x2) / 2, (y1 + y2) / 2)
        # matplotlib arc3: control point mid + rad (dy, -dx); the curve's midpoint is
        # halfway from the chord's midpoint to it
        top = (mid[0] + rad * (y2 - y1) / 2, mid[1] - rad * (x2 - x1) / 2)
        for w, at in pos.items():
            if w not in (u, v) and _hidden({u: pos[u], v: pos[v], w: at}, [(u, v)], {}):
                assert math.dist(top, at) > math.dist(mid, at), (u, v, w)
                checked += 1
    assert checked >= 2  # 三级医院 → 二级以上医院 round 牵头医院, 三级医院 → 县级医院 too


def test_a_co_occurrence_network_is_drawn_round_a_circle(tools):
    # finding 5: every category sat on one row, labels on top of each other
    keys = list(tools.category_keys[:6])
    entries = {f"s{i}": [keys[i], keys[(i + 1) % 6], keys[(i + 3) % 6]] for i in range(6)}
    net = cooperation_network(entries, labels=labels_of(tools, "zh"), kind="categories")
    pos, bends = net.layout()
    points = list(pos.values())
    assert len({round(y, 6) for _, y in points}) > 1
    gaps = [math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :]]
    assert min(gaps) > 0.3
    assert _hidden(pos, list(net.graph.edges), bends) == []
    assert net.layout() == (pos, bends)  # the same drawing every run
    fig = net.figure(lang="zh")
    drawn = {t.get_text() for t in fig.axes[0].texts}
    assert "人才建设" in drawn and "talent_construction" not in drawn
    assert fig.axes[0].get_title() == "类目共现网络"


def test_the_figure_speaks_the_users_language(unit_dim):
    # finding 6: the title and the arrow caption stayed English under --lang zh
    net = cooperation_network(UNITS, tiers=tiers_of(unit_dim), labels=labels_of(unit_dim, "zh"))
    fig = net.figure(lang="zh")
    assert fig.axes[0].get_title() == "共生单元合作网络"
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "箭头" in texts and "Arrows" not in texts
    assert net.figure().axes[0].get_title() == "Cooperation network of symbiotic units"
