"""Where :class:`~ihms.policy.network.CooperationNetwork` draws its nodes and how it
bends its links, and the figure itself.

A network whose nodes carry tiers is drawn in layers (highest tier on top; a span such
as 3-4 in a layer of its own between its tiers), a layer's nodes spread across, a layer
of one node set off to alternate sides so that a column of single units does not line
up. A link whose straight line would pass behind a node not its own end (三级医院 →
基层医疗卫生机构 behind 县级医院) is drawn as an arc round it, bending away from that node. A network without tiers (a
closed dimension's categories) goes round a circle, in order of frequency: a chord
never passes through another point of the circle. The issuing bodies are placed by a
force-directed (spring) layout, links weighted by the documents issued jointly, so
bodies that issue together are drawn together rather than scattered round a circle by
frequency. Every layout is fixed (the spring layout from a seeded start), so a figure
is the same every run.
"""

from __future__ import annotations

import math
import textwrap

import networkx as nx

from ihms.policy._codebook_models import tier_span
from ihms.policy._network_words import network_word

#: how far (in the unit square the layout fills) a straight link must keep from a node
CLEARANCE = 0.08
#: the slight curve of a link that hides nothing, so two links of a pair stay apart
STRAIGHT = 0.08
#: the spring layout's seed: the same start, so the same figure, every run
SPRING_SEED = 2026


def layout(g: nx.DiGraph, keep: list[str], *, spring: bool = False) -> tuple[dict, dict]:
    """``(positions, bends)`` of the nodes ``keep`` (in order of frequency) and of the
    links among them: positions in the unit square, bends the ``rad`` of each link's
    arc (``STRAIGHT``, or more for a link bent round a node). ``spring`` places
    untiered nodes by a seeded spring layout (:func:`_spring`) instead of a circle."""
    sub = g.subgraph(keep)
    tiered = any(t is not None for _, t in sub.nodes(data="tier"))
    pos = _layers(sub, keep) if tiered else _spring(sub, keep) if spring else _circle(keep)
    bends = {}
    for u, v in sub.edges:
        blocked = [w for w in keep if w not in (u, v) and _near(pos[w], pos[u], pos[v])]
        length = math.dist(pos[u], pos[v])
        # an arc of rad r stands r/2 × length off its chord: clear the node by CLEARANCE
        rad = round(min(0.8, max(0.3, 3 * CLEARANCE / length)), 3) if blocked else STRAIGHT
        bends[(u, v)] = -rad if _side(blocked, pos, u, v) > 0 else rad
    return pos, bends


def _side(blocked: list[str], pos: dict, u: str, v: str) -> float:
    """Which side of the link from ``u`` to ``v`` the ``blocked`` nodes lie on: > 0 on
    the side a positive ``rad`` bends to (matplotlib's ``arc3`` puts its control point at
    the midpoint plus ``rad`` × (dy, −dx)), so the arc must bend the other way."""
    (x1, y1), (x2, y2) = pos[u], pos[v]
    mx, my, dx, dy = (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
    return sum((pos[w][0] - mx) * dy - (pos[w][1] - my) * dx for w in blocked)


def _circle(keep: list[str]) -> dict:
    if len(keep) == 1:
        return {keep[0]: (0.5, 0.5)}
    # from the top, clockwise: the most frequent first
    return {
        node: (0.5 + 0.5 * math.sin(2 * math.pi * i / len(keep)),
               0.5 + 0.5 * math.cos(2 * math.pi * i / len(keep)))
        for i, node in enumerate(keep)
    }  # fmt: skip


def _spring(g, keep: list[str]) -> dict:
    """Fruchterman–Reingold positions (networkx ``spring_layout``, seeded, links pulling
    by their weight) in the unit square: each group of linked bodies laid out on its
    own and given a column as wide as the square root of its size (largest first), the
    bodies linked to none in a row along the bottom — a layout of the whole graph
    throws the groups to the corners and crowds each group's bodies together."""
    und = nx.Graph()
    und.add_nodes_from(keep)
    und.add_weighted_edges_from((u, v, d["weight"]) for u, v, d in g.edges(data=True))
    order = {n: i for i, n in enumerate(keep)}
    groups = sorted(
        (sorted(c, key=order.get) for c in nx.connected_components(und) if len(c) > 1),
        key=lambda c: (-len(c), order[c[0]]),
    )
    alone = [n for n in keep if und.degree(n) == 0]
    bottom = 0.2 if alone and groups else 0.0
    pos: dict = {}
    widths = [math.sqrt(len(c)) for c in groups]
    left = 0.0
    for members, width in zip(groups, widths, strict=True):
        share = width / sum(widths)
        raw = nx.spring_layout(und.subgraph(members), seed=SPRING_SEED, weight="weight")
        box = (left + 0.1 * share, left + 0.9 * share, bottom, 1.0)
        pos.update(_fitted({n: raw[n] for n in members}, box))
        left += share
    y = 0.0 if groups else 0.5
    for i, node in enumerate(alone):
        pos[node] = (round((i + 1) / (len(alone) + 1), 6), y)
    return {n: pos[n] for n in keep}


def _fitted(raw: dict, box: tuple[float, float, float, float]) -> dict:
    """``raw`` positions scaled alike across and up (a group keeps its shape) to fit
    ``box`` (x from, x to, y from, y to), centred in it."""
    x0, x1, y0, y1 = box
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    fits = [(b - a) / (max(v) - min(v)) for a, b, v in ((x0, x1, xs), (y0, y1, ys))
            if max(v) > min(v)]  # fmt: skip
    scale = min(fits, default=0.0)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {
        n: (round((x0 + x1) / 2 + scale * (float(p[0]) - cx), 6),
            round((y0 + y1) / 2 + scale * (float(p[1]) - cy), 6))
        for n, p in raw.items()
    }  # fmt: skip


def _layers(g, keep: list[str]) -> dict:
    mid = {n: sum(tier_span(t)) / 2 for n, t in g.nodes(data="tier") if t is not None}
    layers: dict[object, list[str]] = {t: [] for t in sorted(set(mid.values()), reverse=True)}
    layers["untiered"] = []
    for node in keep:
        layers[mid.get(node, "untiered")].append(node)
    rows = [members for members in layers.values() if members]
    pos = {}
    for row, members in enumerate(rows):
        y = 1 - row / (len(rows) - 1) if len(rows) > 1 else 0.5
        shift = 0.0 if len(members) > 1 else (-0.15 if row % 2 == 0 else 0.15)
        for i, node in enumerate(members):
            pos[node] = ((i + 1) / (len(members) + 1) + shift, y)
    return pos


def _near(point, a, b) -> bool:
    """Whether ``point`` lies within CLEARANCE of the segment from ``a`` to ``b``."""
    (x, y), (x1, y1), (x2, y2) = point, a, b
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy or 1)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) < CLEARANCE


def draw(net, *, top: int, lang: str, title: str | None):
    """The figure of :meth:`CooperationNetwork.figure`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ihms.fonts import use_cjk_font

    use_cjk_font()
    keep = list(net.nodes["unit"].head(top))
    g = net.graph.subgraph(keep)
    pos, bends = layout(net.graph, keep, spring=net.kind == "issuers")
    tiered = any(t is not None for _, t in g.nodes(data="tier"))
    fig, ax = plt.subplots(figsize=(10, 7) if tiered else (9, 9))
    freq = nx.get_node_attributes(g, "frequency")
    biggest = max(freq.values()) if freq else 1
    sizes = dict(zip(g.nodes, (300 + 2200 * freq[n] / biggest for n in g.nodes), strict=True))
    weights = [d["weight"] for *_, d in g.edges(data=True)]
    wmax = max(weights) if weights else 1
    groups: dict[tuple, list] = {}
    for u, v, d in g.edges(data=True):
        style = ("solid", "-|>") if d["directed"] else ("dashed" if tiered else "solid", "-")
        groups.setdefault((*style, bends[(u, v)]), []).append((u, v))
    for (style, arrowstyle, rad), edgelist in groups.items():
        nx.draw_networkx_edges(
            g, pos, edgelist=edgelist, ax=ax, style=style, arrows=True, arrowstyle=arrowstyle,
            arrowsize=14, width=[0.6 + 4 * g.edges[e]["weight"] / wmax for e in edgelist],
            edge_color="#7f8c8d", node_size=[sizes[n] for n in g.nodes],
            nodelist=list(g.nodes), connectionstyle=f"arc3,rad={rad}",
        )  # fmt: skip
    nx.draw_networkx_nodes(
        g, pos, ax=ax, node_size=[sizes[n] for n in g.nodes], node_color="#aed6f1",
        edgecolors="#2e86c1",
    )  # fmt: skip
    font = matplotlib.rcParams["font.family"]
    # long labels (an English name beside the coded one) wrap, so none runs off the side
    shown = {n: textwrap.fill(str(lab), 24) for n, lab in g.nodes(data="label")}
    nx.draw_networkx_labels(
        g, pos, labels=shown, ax=ax, font_size=9, font_family=font,
        bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1},
    )  # fmt: skip
    ax.set_title(title or network_word(lang, f"title {net.kind}"))
    ax.axis("off")
    ax.margins(x=0.1, y=0.08)
    plain = "caption issuers" if net.kind == "issuers" else "caption plain"
    caption = network_word(lang, "caption tiers" if tiered else plain)
    ax.text(0, -0.06, caption, transform=ax.transAxes, fontsize=8)
    fig.tight_layout()
    return fig
