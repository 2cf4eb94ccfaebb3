"""The table ``ihms sim compare --seeds --table`` writes, in Chinese for ``--lang zh``.

Nothing reads the table back, so it is a report table and follows ``--lang`` (README,
Chinese output: one rule for ``--out``): its headers, figure labels, regimes and measures
are said as the console's tables say them (:mod:`ihms.sim._words_zh`); the figure keys
(``charged``, ``hospitalization_rate``: the names ``sim sensitivity --outcome`` takes)
and every number stay as they are."""

from __future__ import annotations

from ihms.sim._words_zh import regime_zh, said_cell

__all__ = ["spread_in"]

#: The spread table's headers (:meth:`ihms.sim.seeds.SeedComparison.spread`).
HEADERS = {
    "figure": "指标代码",
    "label": "指标",
    "regime": "支付方式",
    "measure": "统计量",
    "versus": "对照",
    "year": "年份",
    "seeds": "随机种子",
    "n": "种子数",
    "mean": "均数",
    "sd": "标准差",
    "min": "最小值",
    "max": "最大值",
    "spread_low": "种子间波动下限",
    "spread_high": "种子间波动上限",
}
#: The measures (:data:`ihms.sim.seeds.MEASURES`).
MEASURES = {"value": "数值", "difference": "差值", "relative difference (%)": "相对差值（%）"}


def _header(name: str) -> str:
    seed = name.removeprefix("seed ")
    return f"随机种子 {seed}" if seed != name else HEADERS[name]


def spread_in(frame, lang: str):
    """The spread table ``frame`` in ``lang``: as it is in English."""
    if lang != "zh":
        return frame
    out = frame.assign(
        label=frame["label"].map(said_cell),
        regime=frame["regime"].map(regime_zh),
        measure=frame["measure"].map(MEASURES),
        versus=frame["versus"].map(lambda r: regime_zh(r) if r else r),
    )
    return out.rename(columns=_header)
