"""The cooperation network of symbiotic units (seed 003, Figure 4).

Nodes are the (normalised) units an open dimension names; a unit's frequency is the
number of entries that mention it (several mentions in one entry count once). Two units
named in the same entry are linked; the edge weight counts such entries. Where both
units have a tier (the codebook's ``tier`` attribute: national medical centres 6 …
village clinics 1), the edge points from the higher tier to the lower one — the
direction in which resources flow; otherwise the edge is undirected. A tier may be a
span ``"3-4"`` for a unit named by its role rather than its level: a lead hospital
(牵头医院) heads a county medical community as a county hospital (3) or an urban medical
group as a tertiary or municipal hospital (4). An edge is directed only where the two
units' spans do not overlap (lead hospital → PHC institutions; provincial hospitals →
lead hospital), undirected where they do (lead hospital — county hospitals: often the
same hospital named twice). Each unit also
has a display ``label`` (:func:`labels_of`: its English name, the codebook's ``en``
attribute, for ``lang="en"``), which the summary, the figure and GraphML show.

Units come from codings (:func:`units_from_codings`) or, for a first look, from the
text itself by matching the open dimension's synonym dictionary
(:func:`units_from_text`). Export with :meth:`CooperationNetwork.to_graphml` and
:meth:`CooperationNetwork.to_csv`; :meth:`CooperationNetwork.figure` draws the units in
tier layers with arrows in the direction of flow.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd

from ihms._atomic import staged
from ihms.errors import InputError
from ihms.policy._codebook_models import check_lang, tier_span
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
class CooperationNetwork:
    """A directed co-occurrence network.

    Attributes
    ----------
    graph
        ``networkx.DiGraph``; nodes (the units as coded) carry ``frequency``, ``tier``
        (a number, or a span such as ``"3-4"``, as the codebook gives it) and
        ``label``, edges ``weight`` and ``directed`` (False: the tiers do not say which
        way resources flow).
    nodes, edges
        The same as tables (``nodes``: ``unit``, ``frequency``, ``tier``, ``label``).
    """

    graph: nx.DiGraph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    entries: int

    def summary(self, *, top: int = 15, lang: str = "en") -> SummaryTable:
        """The ``top`` strongest links, with the units' count and the most frequent; the
        title, headers, directions and notes in ``lang`` (``"zh"``: 合作网络中最强的连接;
        the units as ``nodes`` labels them)."""
        from ihms.policy._agreement_words import content_note, said_in

        check_lang(lang)
        frame = self.edges.head(top).copy()
        directions = ("→ (higher to lower tier)", "— (undirected)")
        frame["direction"] = frame["directed"].map(
            {True: said_in(lang, directions[0]), False: said_in(lang, directions[1])}
        )
        shown = dict(zip(self.nodes["unit"], self.nodes["label"], strict=True))
        frame[["source", "target"]] = frame[["source", "target"]].map(shown.get)
        columns = ["source", "direction", "target", "weight"]
        frame = frame[columns].rename(columns=lambda c: said_in(lang, c))
        units = content_note(lang, "list").join(
            f"{r.label} ({r.frequency})" for r in self.nodes.head(8).itertuples()
        )
        notes = (
            content_note(lang, "network", units=len(self.nodes), links=len(self.edges),
                         entries=self.entries),
            content_note(lang, "most frequent", units=units),
        )  # fmt: skip
        title = said_in(lang, "Strongest links of the cooperation network")
        return SummaryTable(frame, title=title, notes=notes, show_index=False, lang=lang)

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

    def figure(self, *, top: int = 25, title: str = "Cooperation network of symbiotic units"):
        """Units in layers by tier (highest at the top), node size by frequency, edge
        width by weight, arrows in the direction of resource flow; the ``top`` most
        frequent units are drawn."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ihms.fonts import use_cjk_font

        use_cjk_font()
        keep = list(self.nodes["unit"].head(top))
        g = self.graph.subgraph(keep)
        # a span (lead hospitals, 3-4) gets its own layer between its two tiers
        mid = {n: sum(tier_span(t)) / 2 for n, t in g.nodes(data="tier") if t is not None}
        layers: dict[object, list[str]] = {t: [] for t in sorted(set(mid.values()), reverse=True)}
        layers["untiered"] = []
        for node in keep:
            layers[mid.get(node, "untiered")].append(node)
        pos = {}
        n_layers = len([v for v in layers.values() if v])
        for row, (_, members) in enumerate((k, v) for k, v in layers.items() if v):
            for i, node in enumerate(members):
                pos[node] = (
                    (i + 1) / (len(members) + 1),
                    1 - row / max(1, n_layers - 1) if n_layers > 1 else 0.5,
                )
        fig, ax = plt.subplots(figsize=(10, 7))
        freq = nx.get_node_attributes(g, "frequency")
        biggest = max(freq.values()) if freq else 1
        sizes = [300 + 2200 * freq[n] / biggest for n in g.nodes]
        weights = [d["weight"] for *_, d in g.edges(data=True)]
        wmax = max(weights) if weights else 1
        directed = [(u, v) for u, v, d in g.edges(data=True) if d["directed"]]
        undirected = [(u, v) for u, v, d in g.edges(data=True) if not d["directed"]]
        for edgelist, style, arrowstyle in (
            (directed, "solid", "-|>"),
            (undirected, "dashed", "-"),
        ):
            if edgelist:
                nx.draw_networkx_edges(
                    g, pos, edgelist=edgelist, ax=ax, style=style, arrows=True, arrowstyle=arrowstyle,
                    arrowsize=14,
                    width=[0.6 + 4 * g.edges[e]["weight"] / wmax for e in edgelist],
                    edge_color="#7f8c8d", node_size=sizes, connectionstyle="arc3,rad=0.08",
                )  # fmt: skip
        nx.draw_networkx_nodes(
            g, pos, ax=ax, node_size=sizes, node_color="#aed6f1", edgecolors="#2e86c1"
        )
        font = matplotlib.rcParams["font.family"]
        # long labels (an English name beside the coded one) wrap, so none runs off the side
        shown = {n: textwrap.fill(str(lab), 24) for n, lab in g.nodes(data="label")}
        nx.draw_networkx_labels(
            g, pos, labels=shown, ax=ax, font_size=9, font_family=font,
            bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1},
        )  # fmt: skip
        ax.set_title(title)
        ax.axis("off")
        ax.margins(x=0.06)
        ax.text(0, -0.08, "Arrows: resources flow from the higher tier to the lower; dashed: tiers unknown or equal.",
                transform=ax.transAxes, fontsize=8)  # fmt: skip
        fig.tight_layout()
        return fig


def cooperation_network(
    units_by_entry: Mapping[str, Sequence[str]],
    *,
    tiers: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    min_weight: int = 1,
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
    """
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
    nodes = (
        pd.DataFrame(
            [
                {"unit": u, "frequency": int(n), "tier": tiers.get(u), "label": labels.get(u, u)}
                for u, n in freq.items()
            ],
            columns=["unit", "frequency", "tier", "label"],
        )
        .sort_values(["frequency", "unit"], ascending=[False, True])
        .reset_index(drop=True)
    )
    edges = pd.DataFrame(rows, columns=["source", "target", "weight", "directed"])
    edges = edges.sort_values(
        ["weight", "source", "target"], ascending=[False, True, True]
    ).reset_index(drop=True)
    return CooperationNetwork(g, nodes, edges, len(units_by_entry))


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
    """The name each canonical answer of an open dimension shows in ``lang``: its ``en``
    attribute for ``"en"`` where the codebook gives one, else the answer itself."""
    check_lang(lang)
    return {canon: dimension.value_label(canon, lang) for canon, _ in dimension.synonyms}
