"""The cooperation network of symbiotic units (the VI-HQMR policy study, Figure 4).

Nodes are the (normalised) units an open dimension names; a unit's frequency is the
number of entries that mention it (several mentions in one entry count once). Two units
named in the same entry are linked; the edge weight counts such entries. Where both
units have a tier (the codebook's ``tier`` attribute: national medical centres 6 …
village clinics 1), the edge points from the higher tier to the lower one — the
direction in which resources flow; otherwise the edge is undirected. A tier may be a
span ``"3-4"`` for a unit named by its role rather than its level: a lead hospital
(牵头医院) heads a county medical community as a county hospital (3) or an urban medical
group as a tertiary or municipal hospital (4). An edge is directed only where the two
units' spans do not overlap (lead hospital → primary care facilities; provincial hospitals →
lead hospital), undirected where they do (lead hospital — county hospitals: often the
same hospital named twice). Each unit also
has a display ``label`` (:func:`labels_of`: its English name, the codebook's ``en``
attribute, for ``lang="en"``), which the summary, the figure and GraphML show.

Units come from codings (:func:`units_from_codings`) or, for a first look, from the
text itself by matching the open dimension's synonym dictionary
(:func:`units_from_text`). Export with :meth:`CooperationNetwork.to_graphml` and
:meth:`CooperationNetwork.to_csv`; :meth:`CooperationNetwork.figure` draws the units in
tier layers with arrows in the direction of flow (:mod:`ihms.policy._network_figure`).

A closed dimension's categories make a co-occurrence network of the same kind
(``kind="categories"``: no tiers, every link undirected, the categories by name). Each
node carries its degree, weighted degree, degree centrality and betweenness, the network
its density (:func:`_measures`; :meth:`CooperationNetwork.measures` prints them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from ihms._atomic import staged
from ihms._repr import SummaryHtml
from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy import _network_figure
from ihms.policy._codebook_models import tier_span
from ihms.policy._network_words import NODE, entry_word, network_word, node_word
from ihms.summary import SummaryTable

__all__ = [
    "CooperationNetwork",
    "cooperation_network",
    "labels_of",
    "tier_span",
    "tiers_of",
    "units_from_codings",
    "units_from_text",
]


@dataclass(frozen=True, eq=False)
class CooperationNetwork(SummaryHtml):
    """A directed co-occurrence network.

    Attributes
    ----------
    graph
        ``networkx.DiGraph``; nodes (the units as coded) carry ``frequency``, ``tier``
        (a number, or a span such as ``"3-4"``, as the codebook gives it), ``label``
        and the measures below, edges ``weight`` and ``directed`` (False: the tiers do
        not say which way resources flow); ``graph.graph["density"]``.
    nodes, edges
        The same as tables (``nodes``: ``unit``, ``frequency``, ``tier``, ``label``,
        ``degree``, ``weighted_degree``, ``degree_centrality``, ``betweenness``).
    density
        Links present of those possible: as a directed network (an undirected link
        counts both ways) where any link is directed, else as an undirected one.
    kind
        What the nodes are: ``"units"`` (an open dimension's, with tiers),
        ``"categories"`` (a closed dimension's: a co-occurrence network) or
        ``"issuers"`` (issuing bodies linked by the documents they issued jointly).
    """

    graph: nx.DiGraph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    entries: int
    density: float = 0.0
    kind: str = "units"

    @property
    def directed(self) -> bool:
        """Whether any link has a direction (then measured as a directed network)."""
        return bool(self.edges["directed"].any())

    def summary(self, *, top: int = 15, lang: str = "en") -> SummaryTable:
        """The ``top`` strongest links, with the nodes' count and the most frequent; the
        title, headers, directions and notes in ``lang`` (``"zh"``: 合作网络中最强的连接;
        the nodes as ``nodes`` labels them)."""
        from ihms.policy._agreement_words import said_in

        check_lang(lang)
        frame = self.edges.head(top).copy()
        directions = ("→ (higher to lower tier)", "— (undirected)")
        frame["direction"] = frame["directed"].map(
            {True: said_in(lang, directions[0]), False: said_in(lang, directions[1])}
        )
        shown = dict(zip(self.nodes["unit"], self.nodes["label"], strict=True))
        frame[["source", "target"]] = frame[["source", "target"]].map(shown.get)
        columns = ["source", "direction", "target", "weight"]
        if self.kind != "units":  # every link undirected: no column to say so
            columns.remove("direction")
        # an undirected link has no source: its two nodes, one and the other
        ends = ("source", "target")
        pair = (
            {}
            if self.kind == "units"
            else {c: network_word(lang, f"{c} {self.kind}") for c in ends}
        )
        frame = frame[columns].rename(columns=lambda c: pair.get(c) or said_in(lang, c))
        noun = node_word(lang, self.kind, plural=True)
        names = network_word(lang, "list").join(
            f"{r.label}（{r.frequency}）" if lang == "zh" else f"{r.label} ({r.frequency})"
            for r in self.nodes.head(10).itertuples()
        )
        notes = (
            network_word(lang, "network issuers" if self.kind == "issuers" else "network",
                         n=len(self.nodes), noun=noun, links=len(self.edges), entries=self.entries),
            network_word(lang, "most frequent", noun=noun, names=names),
        )  # fmt: skip
        title = network_word(lang, f"links {self.kind}")
        return SummaryTable(frame, title=title, notes=notes, show_index=False, lang=lang)

    def measures(self, *, top: int = 15, lang: str = "en") -> SummaryTable:
        """Each node's frequency, degree (unweighted and weighted), degree centrality
        and betweenness, the ``top`` by degree; the network's density in a note."""
        check_lang(lang)
        columns = ["label", "frequency", *MEASURES]
        frame = self.nodes.sort_values(
            ["degree", "betweenness", "frequency", "unit"], ascending=[False, False, False, True]
        )[columns].head(top)
        head = {"label": node_word(lang, self.kind)}
        frame = frame.rename(columns=lambda c: head.get(c) or network_word(lang, c))
        how = "density directed" if self.directed else "density undirected"
        notes = (
            network_word(lang, how, density=self.density),
            network_word(lang, "how", entries=entry_word(lang, self.kind)),
        )
        title = network_word(lang, "measures", noun=node_word(lang, self.kind, plural=True))
        shares = [network_word(lang, c) for c in ("degree_centrality", "betweenness")]
        return SummaryTable(frame.reset_index(drop=True), title=title, notes=notes,
                            show_index=False, lang=lang, digits=3, decimal_columns=shares)  # fmt: skip

    def to_graphml(self, path: str | Path) -> Path:
        path = Path(path)
        g = self.graph.copy()
        spans = any(isinstance(t, str) for _, t in g.nodes(data="tier"))
        for _, data in g.nodes(data=True):
            if data.get("tier") is None:
                data["tier"] = "" if spans else -1
            elif spans:  # one GraphML type per attribute: all as text when a span is there
                data["tier"] = _tier_text(data["tier"])
        with staged(path) as (tmp,):
            nx.write_graphml(g, tmp)
        return path

    def to_csv(self, directory: str | Path) -> tuple[Path, Path]:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        nodes, edges = directory / "nodes.csv", directory / "edges.csv"
        with staged(nodes, edges) as (nodes_tmp, edges_tmp):  # both or neither
            self.nodes.to_csv(nodes_tmp, index=False, encoding="utf-8-sig")
            self.edges.to_csv(edges_tmp, index=False, encoding="utf-8-sig")
        return nodes, edges

    def layout(self, *, top: int = 25) -> tuple[dict, dict]:
        """What :meth:`figure` draws: ``(positions, bends)``, each node's place in the
        unit square and the ``rad`` of each link's arc (a link that would run behind a
        node is bent round it); see :mod:`ihms.policy._network_figure`."""
        keep = list(self.nodes["unit"].head(top))
        return _network_figure.layout(self.graph, keep, spring=self.kind == "issuers")

    def figure(self, *, top: int = 25, lang: str = "en", title: str | None = None):
        """Units in layers by tier (highest at the top), categories round a circle, or
        issuing bodies by a seeded spring layout (co-issuers together);
        node size by frequency, edge width by weight, arrows in the direction of
        resource flow; the ``top`` most frequent nodes are drawn, the title (by default
        the network's kind) and caption in ``lang``."""
        check_lang(lang)
        return _network_figure.draw(self, top=top, lang=lang, title=title)


def cooperation_network(
    units_by_entry: Mapping[str, Sequence[str]],
    *,
    tiers: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    min_weight: int = 1,
    kind: str = "units",
) -> CooperationNetwork:
    """Build the network from ``{entry id: [units named in it]}``.

    Parameters
    ----------
    tiers
        Tier of each unit (higher gives resources to lower), a number or a span
        ``"low-high"`` (:func:`tier_span`); units without one give undirected edges, as
        do two units whose spans overlap.
    labels
        Name shown for each unit (:func:`labels_of`); a unit without one shows as named.
    min_weight
        Drop links seen in fewer entries.
    kind
        What the nodes are called: ``"units"``, ``"categories"`` (a closed
        dimension's, in a co-occurrence network) or ``"issuers"`` (issuing bodies,
        :mod:`ihms.policy.issuers`).
    """
    if kind not in NODE["en"]:
        raise InputError(f"parameter 'kind': expected one of {sorted(NODE['en'])}, got {kind!r}")
    if min_weight < 1:
        raise InputError(f"min_weight must be at least 1, got {min_weight}")
    tiers, labels = dict(tiers or {}), dict(labels or {})
    spans = {u: tier_span(t, unit=u) for u, t in tiers.items()}
    freq: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for units in units_by_entry.values():
        unique = sorted(set(u for u in units if u))
        freq.update(unique)
        pairs.update(combinations(unique, 2))
    g = nx.DiGraph()
    for unit, n in freq.items():
        g.add_node(unit, frequency=int(n), tier=tiers.get(unit), label=labels.get(unit, unit))
    rows = []
    for (a, b), w in pairs.items():
        if w < min_weight:
            continue
        sa, sb = spans.get(a), spans.get(b)
        if sa is not None and sb is not None and (sa[0] > sb[1] or sb[0] > sa[1]):
            src, dst, directed = (a, b, True) if sa[0] > sb[1] else (b, a, True)
        else:
            src, dst, directed = a, b, False
        g.add_edge(src, dst, weight=int(w), directed=directed)
        rows.append({"source": src, "target": dst, "weight": int(w), "directed": directed})
    density, measured = _measures(g)
    for unit, values in measured.items():
        g.nodes[unit].update(values)
    g.graph["density"] = density
    nodes = (
        pd.DataFrame(
            [
                {
                    "unit": u,
                    "frequency": int(n),
                    "tier": tiers.get(u),
                    "label": labels.get(u, u),
                    **measured[u],
                }
                for u, n in freq.items()
            ],
            columns=["unit", "frequency", "tier", "label", *MEASURES],
        )
        .sort_values(["frequency", "unit"], ascending=[False, True])
        .reset_index(drop=True)
    )
    edges = pd.DataFrame(rows, columns=["source", "target", "weight", "directed"])
    edges = edges.sort_values(
        ["weight", "source", "target"], ascending=[False, True, True]
    ).reset_index(drop=True)
    return CooperationNetwork(g, nodes, edges, len(units_by_entry), density, kind)


#: the measures of each node, in the order the tables give them
MEASURES = ("degree", "weighted_degree", "degree_centrality", "betweenness")


def _measures(g: nx.DiGraph) -> tuple[float, dict[str, dict]]:
    """The density and each node's measures. Where any link has a direction the
    network is measured as directed, an undirected link as a pair of arcs (so density
    counts it twice, betweenness lets paths run both ways); else as undirected.
    Betweenness is normalised and ignores weights (a weight counts entries, it is no
    distance); degree counts a node's links, weighted degree their entries."""
    if any(d for *_, d in g.edges(data="directed")):
        measured = nx.DiGraph()
        measured.add_nodes_from(g)
        for u, v, d in g.edges(data="directed"):
            measured.add_edges_from([(u, v)] if d else [(u, v), (v, u)])
    else:
        measured = nx.Graph(g)
    between = nx.betweenness_centrality(measured, normalized=True)
    others = max(1, len(g) - 1)
    links = g.to_undirected(as_view=True)
    return float(nx.density(measured)), {
        n: {
            "degree": int(links.degree(n)),
            "weighted_degree": int(links.degree(n, weight="weight")),
            "degree_centrality": links.degree(n) / others,
            "betweenness": float(between[n]),
        }
        for n in g
    }


def units_from_text(texts: Mapping[str, str], dimension) -> dict[str, list[str]]:
    """Units named in each text, found by the open dimension's synonym dictionary
    (longest spelling first, so 三级公立医院 is not also read as 公立医院)."""
    if dimension.kind != "open" or not dimension.synonyms:
        raise InputError(f"dimension {dimension.key!r} is not an open dimension with synonyms")
    variants = sorted(dimension.variants().items(), key=lambda kv: -len(kv[0]))
    out = {}
    for entry, text in texts.items():
        found: list[str] = []
        rest = text or ""
        for spelling, canon in variants:
            if spelling in rest:
                rest = rest.replace(spelling, "\x00")
                if canon not in found:
                    found.append(canon)
        out[entry] = found
    return out


def units_from_codings(data, dimension: str) -> dict[str, list[str]]:
    """``{segment id: units}`` from the codings of an open dimension in
    :class:`~ihms.policy.reconcile.CodedData`."""
    try:
        dim = data.codebook.dimension(dimension)
    except InputError:
        raise InputError(
            f"codebook {data.codebook.name!r} has no dimension {dimension!r} to read units "
            "from codings; find the units in the texts instead (units_from_text, "
            "--from-text on the command line), or name a dimension that codes them "
            "(--dimension)"
        ) from None
    part = data.long[data.long["dimension"] == dim.key]
    if part.empty:
        raise InputError(f"no codings of {dim.key!r}")
    return part.groupby("segment_id")["value"].apply(list).to_dict()


def _tier_text(tier: float | str) -> str:
    low, high = tier_span(tier)
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def tiers_of(dimension) -> dict[str, float | str]:
    """The ``tier`` attribute of each canonical answer of an open dimension (a number,
    or a span such as ``"3-4"``: see :func:`tier_span`)."""
    return {
        canon: dimension.attribute(canon, "tier")
        for canon, _ in dimension.synonyms
        if dimension.attribute(canon, "tier") is not None
    }


def labels_of(dimension, lang: str = "en") -> dict[str, str]:
    """The name each canonical answer of an open dimension shows in ``lang`` (its
    ``en`` attribute for ``"en"`` where the codebook gives one, else the answer
    itself), or each category of a closed dimension (its ``en`` or ``zh`` name)."""
    check_lang(lang)
    if dimension.kind == "closed":
        return {c.key: c.label(lang) for c in dimension.categories}
    return {canon: dimension.value_label(canon, lang) for canon, _ in dimension.synonyms}
