import networkx as nx
import pytest

from ihms.errors import InputError
from ihms.policy.codebook import load_codebook
from ihms.policy.network import cooperation_network, labels_of, tiers_of, units_from_text


@pytest.fixture(scope="module")
def unit_dim():
    return load_codebook("symbiosis").dimension("symbiotic_unit")


def test_units_from_text_prefers_longest_spelling(unit_dim):
    found = units_from_text(
        {"e1": "城市三级医院对口帮扶县级公立医院和乡镇卫生院，乡镇卫生院指导村卫生室。"}, unit_dim
    )
    # 乡镇卫生院, township hospitals, a unit of its own (seed 003 §3.2.1; review seeds32 M2)
    assert found == {"e1": ["三级医院", "县级医院", "乡镇卫生院", "村卫生室"]}


def test_district_hospitals_take_the_county_tier(unit_dim):
    # Gao et al. 2022 §2.2 pair "district level hospitals and county level hospitals"
    # (review seeds32 M2: 区级医院 was read as 市级医院, tier 4, which turned its links
    # to municipal hospitals round). Worked by hand: 市级医院 4 > 区级医院 3 → directed;
    # 区级医院 3 = 县级医院 3 → undirected; 区级医院 3 > 社区卫生服务机构 2 → directed
    entries = {"e1": ["市级医院", "区级医院"], "e2": ["区级医院", "县级医院"],
               "e3": ["区级医院", "社区卫生服务中心"]}  # fmt: skip
    entries = {k: [unit_dim.normalize(u) for u in v] for k, v in entries.items()}
    g = cooperation_network(entries, tiers=tiers_of(unit_dim)).graph
    assert g.has_edge("市级医院", "区级医院") and not g.has_edge("区级医院", "市级医院")
    assert g.edges["市级医院", "区级医院"]["directed"] is True
    assert g.edges["区级医院", "社区卫生服务机构"]["directed"] is True
    pair = (
        g.edges["区级医院", "县级医院"]
        if g.has_edge("区级医院", "县级医院")
        else g.edges["县级医院", "区级医院"]
    )
    assert pair["directed"] is False


def test_edges_point_from_higher_to_lower_tier(unit_dim, tmp_path):
    entries = {
        "00-01-1": ["三级医院", "基层医疗卫生机构", "三级医院"],
        "00-01-2": ["基层医疗卫生机构", "三级医院"],
        "00-02-1": ["县级医院", "公共卫生机构"],
        "00-02-2": ["基层医疗卫生机构"],
    }
    net = cooperation_network(entries, tiers=tiers_of(unit_dim))
    freq = dict(zip(net.nodes["unit"], net.nodes["frequency"], strict=True))
    assert freq == {"三级医院": 2, "基层医疗卫生机构": 3, "县级医院": 1, "公共卫生机构": 1}
    assert net.graph.has_edge("三级医院", "基层医疗卫生机构")
    assert not net.graph.has_edge("基层医疗卫生机构", "三级医院")
    assert net.graph.edges["三级医院", "基层医疗卫生机构"] == {"weight": 2, "directed": True}
    # 公共卫生机构 has no tier: the link is undirected.
    assert net.edges.loc[net.edges["weight"] == 1, "directed"].tolist() == [False]
    path = net.to_graphml(tmp_path / "net.graphml")
    back = nx.read_graphml(path)
    assert back.edges["三级医院", "基层医疗卫生机构"]["weight"] == 2
    nodes, _edges = net.to_csv(tmp_path / "csv")
    assert nodes.read_text(encoding="utf-8-sig").startswith("unit,frequency,tier")
    fig = net.figure()
    assert fig.axes[0].get_title() == "Cooperation network of symbiotic units"
    assert cooperation_network(entries, min_weight=2).edges["weight"].tolist() == [2]


def test_units_show_their_english_names(unit_dim, tmp_path):
    entries = {"e1": ["三级医院", "基层医疗卫生机构"], "e2": ["三级医院", "某新机构"]}
    net = cooperation_network(entries, tiers=tiers_of(unit_dim), labels=labels_of(unit_dim))
    # seed 003, section 3.2.1 names tertiary hospitals and PHC institutions; a unit the
    # dictionary does not know shows as coded
    shown = {"三级医院": "Tertiary hospitals", "基层医疗卫生机构": "PHC institutions"}
    assert dict(zip(net.nodes["unit"], net.nodes["label"], strict=True)) == {
        **shown,
        "某新机构": "某新机构",
    }
    assert net.graph.has_edge("三级医院", "基层医疗卫生机构")  # nodes stay the coded units
    top = net.summary().frame.iloc[0]
    assert (top["source"], top["target"]) == ("Tertiary hospitals", "PHC institutions")
    assert "Tertiary hospitals (2)" in net.summary().notes[1]
    drawn = {t.get_text() for t in net.figure().axes[0].texts}
    assert {"Tertiary hospitals", "PHC institutions", "某新机构"} <= drawn
    back = nx.read_graphml(net.to_graphml(tmp_path / "net.graphml"))
    assert back.nodes["基层医疗卫生机构"]["label"] == "PHC institutions"
    zh = labels_of(unit_dim, "zh")
    assert zh["三级医院"] == "三级医院" and len(zh) == len(unit_dim.synonyms)
    with pytest.raises(InputError, match="'lang': expected 'en' or 'zh', got 'fr'"):
        labels_of(unit_dim, "fr")


def test_bad_input(unit_dim):
    with pytest.raises(InputError, match="min_weight"):
        cooperation_network({}, min_weight=0)
    with pytest.raises(InputError, match="not an open dimension"):
        units_from_text({}, load_codebook("6d").dimension("tools"))


def test_long_labels_stay_inside_the_figure(unit_dim):
    # "Secondary hospitals (二级医院)", the rightmost of a row of four, ran off the figure's
    # right edge in the demo report; labels now wrap and the axes keep a margin
    entries = {"e1": ["三级医院", "基层医疗卫生机构"], "e2": ["县级医院", "二级医院", "二级以上医院"],
               "e3": ["市级医院", "基层医疗卫生机构"]}  # fmt: skip
    labels = {u: f"{en} ({u})" for u, en in labels_of(unit_dim, "en").items()}
    fig = cooperation_network(entries, tiers=tiers_of(unit_dim), labels=labels).figure()
    fig.canvas.draw()
    box = fig.bbox
    renderer = fig.canvas.get_renderer()
    for text in fig.axes[0].texts:
        extent = text.get_window_extent(renderer)
        assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, text.get_text()


def test_lead_hospitals_give_to_their_members_and_stay_level_with_the_hospitals_that_lead(
    unit_dim, tmp_path
):
    # seed 003 §4: "the head hospital should provide technical support" within its
    # alliance, and resources flow "from head medical and health institutions" to the
    # weak ones; a lead hospital (牵头医院) is a county hospital (tier 3) heading a county
    # medical community or a tertiary/municipal one (tier 4) heading an urban group, so
    # the codebook gives it the span 3-4. Worked by hand:
    #   lead (3-4) vs PHC (2): 3 > 2 → lead → PHC, directed
    #   provincial (5) vs lead (3-4): 5 > 4 → provincial → lead, directed
    #   lead vs county (3) and vs tertiary (4): spans overlap → undirected
    assert unit_dim.normalize("龙头医院") == "牵头医院"
    assert tiers_of(unit_dim)["牵头医院"] == "3-4"
    assert labels_of(unit_dim)["牵头医院"] == "Head hospitals"  # seed 003 §4
    entries = {
        "e1": ["牵头医院", "基层医疗卫生机构"],
        "e2": ["省级医院", "牵头医院"],
        "e3": ["县级医院", "牵头医院"],
        "e4": ["三级医院", "牵头医院"],
    }
    net = cooperation_network(entries, tiers=tiers_of(unit_dim), labels=labels_of(unit_dim))
    g = net.graph
    assert g.edges["牵头医院", "基层医疗卫生机构"]["directed"] is True
    assert g.edges["省级医院", "牵头医院"]["directed"] is True
    flows = {(r.source, r.target): r.directed for r in net.edges.itertuples()}
    undirected = {frozenset(k) for k, d in flows.items() if not d}
    assert undirected == {frozenset({"县级医院", "牵头医院"}), frozenset({"三级医院", "牵头医院"})}
    back = nx.read_graphml(net.to_graphml(tmp_path / "lead.graphml"))
    assert back.nodes["牵头医院"]["tier"] == "3-4" and back.nodes["县级医院"]["tier"] == "3"
    # the span gets its own layer between tiers 4 (above) and 3 (below); the layers
    # top-down: 省级医院 5, 三级医院 4, 牵头医院 3-4, 县级医院 3, 基层医疗卫生机构 2
    fig = net.figure()
    y = {t.get_text().replace("\n", " "): t.get_position()[1] for t in fig.axes[0].texts}
    assert y["Tertiary hospitals"] > y["Head hospitals"] > y["County hospitals"], y


def test_a_tier_span_must_run_low_to_high():
    from ihms.errors import ConfigError
    from ihms.policy.codebook import parse_codebook

    text = """
name: mini
dimensions:
  - {key: unit, en: Unit, zh: 单元, kind: open, synonyms: {牵头医院: []},
     attributes: {牵头医院: {tier: 4-3}}}
"""
    with pytest.raises(ConfigError, match=r"tier of '牵头医院': expected a number or a span"):
        parse_codebook(text)
    with pytest.raises(InputError, match="got 'high'"):
        cooperation_network({"e": ["a", "b"]}, tiers={"a": "high"})


def test_a_tier_written_as_text_is_a_number():
    # a YAML-quoted tier, or one read back from the GraphML a span makes textual
    from ihms.policy._codebook_models import tier_span

    assert tier_span("3") == (3.0, 3.0) and tier_span(" 2.5 ") == (2.5, 2.5)
    assert tier_span("3-4") == (3.0, 4.0)


def test_units_from_codings_of_a_codebook_without_them_point_at_the_texts(coded_project):
    # Walk 17: `policy network P` on a 6D project said only "codebook '6d' has no
    # dimension 'symbiotic_unit'; dimensions: ..." — nothing about --from-text
    from ihms.policy.network import units_from_codings
    from ihms.policy.reconcile import coded_data

    with pytest.raises(InputError) as err:
        units_from_codings(coded_data(coded_project), "symbiotic_unit")
    assert str(err.value) == (
        "codebook '6d' has no dimension 'symbiotic_unit' to read units from codings; "
        "find the units in the texts instead (units_from_text, --from-text on the "
        "command line), or name a dimension that codes them (--dimension)"
    )
