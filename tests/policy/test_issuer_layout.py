"""The issuer network's figure groups the bodies that issue together (session 21's
left-alone list: round a circle in order of frequency, co-issuers were scattered), and
is the same every run.

Two families of bodies, 甲 and 乙, each issuing only within the family; their
frequencies alternate (甲1 6, 乙1 5, 甲2 4, 乙2 3, 甲3 2, 乙3 1), so a circle in order of
frequency set the families' members side by side in turn.
"""

from __future__ import annotations

import io

from ihms.policy.issuers import issuer_network

_ISSUED = [("甲1、甲2、甲3", 2), ("甲1、甲2", 2), ("甲1", 2),
           ("乙1、乙2、乙3", 1), ("乙1、乙2", 2), ("乙1", 2)]  # fmt: skip
DOCS = {f"d{i}": who for i, who in enumerate(w for w, n in _ISSUED for _ in range(n))}


def _apart(pos, a, b) -> bool:
    """Whether the bodies ``a`` and ``b`` lie in regions of their own: a line across or
    up parts them (their bounding boxes do not overlap)."""
    xa, ya = [pos[n][0] for n in a], [pos[n][1] for n in a]
    xb, yb = [pos[n][0] for n in b], [pos[n][1] for n in b]
    return max(xa) < min(xb) or max(xb) < min(xa) or max(ya) < min(yb) or max(yb) < min(ya)


def test_co_issuing_bodies_are_drawn_together():
    net = issuer_network(DOCS)
    assert list(net.nodes["unit"]) == ["甲1", "乙1", "甲2", "乙2", "甲3", "乙3"]
    pos, _ = net.layout()
    assert _apart(pos, ["甲1", "甲2", "甲3"], ["乙1", "乙2", "乙3"])
    # every node inside the unit square the figure fills
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())


def _png(net) -> bytes:
    buf = io.BytesIO()
    fig = net.figure()
    fig.savefig(buf, format="png", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def test_the_issuer_figure_is_the_same_every_run():
    first, second = issuer_network(DOCS), issuer_network(DOCS)
    assert first.layout() == second.layout()
    assert _png(first) == _png(second)
