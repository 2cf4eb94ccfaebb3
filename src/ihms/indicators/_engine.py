"""The heavy part of the indicators, written once as Ibis expressions: helpers.

For each source and period type, one query groups the records by period and by their
finest unit (the institution for institution-basis sources, the grid of residence for
resident-basis ones) and computes every needed measure as a conditional aggregate, in
one scan. The result is small (periods x units) and comes back as pandas; everything
after that (institution filters, roll-up to tiers, counties and consortia, ratios) is
done by :mod:`ihms.indicators.compute` on those small frames, the same way whichever
engine ran the query. The same expressions run on DuckDB and on PySpark.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ihms.data.dataset import Period
from ihms.data.schema import SCHEMAS
from ihms.indicators.catalogue import Condition, Measure

if TYPE_CHECKING:  # pragma: no cover
    import ibis

__all__ = ["IndicatorTables"]

UNIT0 = {"institution": "institution_id", "resident": "grid_id"}


@dataclass(frozen=True)
class IndicatorTables:
    """The tables the indicators read, as Ibis tables of one backend, plus the period.

    Build it from a store with :meth:`from_store`, from the Parquet folder of ``ihms
    data export`` with :meth:`from_parquet` (on DuckDB or PySpark), or from any Ibis
    backend holding the schema's tables (a PySpark session, say) with
    :meth:`from_backend`.
    """

    tables: Mapping[str, ibis.Table]
    period: Period
    #: The program that wrote the data (``"ihms.sim"``), ``""`` for a county's records or
    #: when the backend does not say.
    producer: str = ""
    #: What :meth:`close` closes: the Parquet folder :meth:`from_parquet` read.
    _owned: object = field(default=None, repr=False, compare=False)

    @classmethod
    def from_store(cls, store) -> IndicatorTables:
        """The tables of a :class:`~ihms.data.Store` (or of anything giving ``backend``,
        ``table(name)`` and ``period`` as it does: a ``ParquetFolder``)."""
        # through the store's own reader: a store written under an earlier minor schema
        # version gives the columns added since as nulls, as every other reader sees it
        return cls(_LazyTables(store.backend, read=store.table), store.period, store.producer)

    @classmethod
    def from_parquet(
        cls, folder: str | Path, *, engine: str = "duckdb", spark=None
    ) -> IndicatorTables:
        """The tables of the folder ``ihms data export --format parquet`` wrote, with the
        period its ``dataset.json`` records.

        Parameters
        ----------
        folder : str or Path
            ``dataset.json`` and one ``<table>.parquet`` per table.
        engine : {"duckdb", "spark"}
            Compute on an in-memory DuckDB or on PySpark (the ``[spark]`` extra and a
            Java 17+ runtime).
        spark : SparkSession, optional
            The session for ``engine="spark"``; default the active one, else a new one.

        Returns
        -------
        IndicatorTables
            For :func:`~ihms.indicators.compute`; ``period`` is the folder's.

        Raises
        ------
        InputError
            No ``dataset.json``, or a table file missing: the message names the file.
        IhmsError
            PySpark or Java missing: the message says what to install.

        Notes
        -----
        On PySpark the tables are temporary views of the session; :meth:`close` (or a
        ``with`` block) drops them, and stops the session when this call started it.

        Examples
        --------
        >>> from ihms.indicators import IndicatorTables, compute
        >>> with IndicatorTables.from_parquet("shared/", engine="spark") as tables:  # doctest: +SKIP
        ...     result = compute(tables, level="grid", period="month")
        """
        from ihms.indicators._parquet import ParquetFolder

        folder = ParquetFolder(folder, engine=engine, spark=spark)
        return replace(cls.from_store(folder), _owned=folder)

    def close(self) -> None:
        """Drop the temporary views :meth:`from_parquet` made in a PySpark session (and
        stop a session it started); nothing for other tables."""
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> IndicatorTables:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @classmethod
    def from_backend(cls, backend, period: Period) -> IndicatorTables:
        return cls(_LazyTables(backend), period)

    def __getitem__(self, name: str) -> ibis.Table:
        return self.tables[name]

    def lacking(self, name: str) -> str | None:
        """Why a table has no records to count, or None when it has rows.

        Parameters
        ----------
        name : str
            A table of the schema (``"followups"``, say).

        Returns
        -------
        str or None
            ``"absent"`` (the backend holds no such table), ``"empty"`` (no rows), or
            None.
        """
        if not self.holds(name):
            return "absent"
        return "empty" if int(self[name].limit(1).count().execute()) == 0 else None

    def holds(self, name: str) -> bool:
        """Whether the backend has table ``name`` (with or without rows).

        Parameters
        ----------
        name : str
            A table of the schema (``"claims"``, say).

        Returns
        -------
        bool
            False when the backend holds no such table.
        """
        if isinstance(self.tables, _LazyTables):
            return self.tables.holds(name)
        return name in self.tables


class _LazyTables(Mapping):
    """The schema's tables on a backend, looked up on first use (each look-up asks the
    backend for a schema, a round trip worth saving on Spark). ``read`` replaces the
    backend's ``table`` (a store's, which fills in the columns an older store lacks)."""

    def __init__(self, backend, *, read: Callable[[str], ibis.Table] | None = None) -> None:
        self._read = read if read is not None else backend.table
        self._cache: dict = {}

    def __getitem__(self, name: str):
        if name not in SCHEMAS:
            raise KeyError(name)
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def holds(self, name: str) -> bool:
        """Whether the backend has table ``name``."""
        from ibis.common.exceptions import TableNotFound

        try:
            self[name]
        except TableNotFound:
            return False
        return True

    def __iter__(self):
        return iter(SCHEMAS)

    def __len__(self) -> int:
        return len(SCHEMAS)


def period_key(date_col, period: str):
    """Integer period key: ``yyyymm`` for months, ``yyyy`` for years."""
    if period == "month":
        return (date_col.year() * 100 + date_col.month()).cast("int64")
    return date_col.year().cast("int64")


def _condition(table, cond: Condition):
    col = table[cond.column]
    if cond.values is not None:
        if all(isinstance(v, bool) for v in cond.values):
            expr = None
            for v in cond.values:
                e = col == v
                expr = e if expr is None else (expr | e)
            return expr
        return col.isin(list(cond.values))
    expr = None
    if cond.min is not None:
        expr = col >= cond.min
    if cond.max is not None:
        e = col <= cond.max
        expr = e if expr is None else (expr & e)
    return expr


def _where(table, conditions: tuple[Condition, ...]):
    expr = None
    for cond in conditions:
        e = _condition(table, cond)
        expr = e if expr is None else (expr & e)
    return expr


def _reduction(table, measure: Measure):
    where = _where(table, measure.record_where)
    if measure.agg == "count":
        return table.count(where=where) if where is not None else table.count()
    col = table[measure.column]
    return col.sum(where=where) if where is not None else col.sum()


def tier_care_level(tier):
    import ibis

    return ibis.cases(
        (tier.isin(["tertiary", "secondary"]), "hospital"),
        (tier.isin(["primary_centre", "village_clinic"]), "primary"),
        else_="other",
    )


def tier_rank(tier):
    """An institution's height on the referral ladder, :attr:`ihms.system.Tier.rank`
    (village clinic 1, primary centre and public health 2, secondary 3, tertiary 4; an
    unknown tier 0), as an Ibis expression of its ``tier`` column."""
    import ibis

    from ihms.system import Tier

    ranks: dict[int, list[str]] = {}
    for t in Tier:
        ranks.setdefault(t.rank, []).append(t.value)
    return ibis.cases(*((tier.isin(v), r) for r, v in sorted(ranks.items())), else_=0)


def referral_directions(t, ref):
    """``ref`` (referrals) with ``direction``: ``up`` when the receiver's tier ranks
    above the sender's (:func:`tier_rank`), ``down`` below, ``lateral`` at the same rank
    or when either is a public-health institution (a CDC: a referral for tuberculosis
    or a notifiable disease is no 上转 or 下转 of graded care, whatever the sender's
    tier). A referral whose sender or receiver is not an institution of ``t`` drops
    out. The one rule of the referral indicators and
    :func:`ihms.indicators.off_pathway_list`."""
    import ibis

    from ihms.system import Tier

    inst = t["institutions"]
    ph = inst.tier == Tier.PUBLIC_HEALTH.value
    frm = inst.select(
        from_institution_id=inst.institution_id, from_rank=tier_rank(inst.tier), from_ph=ph
    )
    to = inst.select(to_institution_id=inst.institution_id, to_rank=tier_rank(inst.tier), to_ph=ph)
    facts = ref.inner_join(frm, "from_institution_id").inner_join(to, "to_institution_id")
    direction = ibis.cases(
        (facts.from_ph | facts.to_ph, "lateral"),
        (facts.to_rank > facts.from_rank, "up"),
        (facts.to_rank < facts.from_rank, "down"),
        else_="lateral",
    )
    return facts.mutate(direction=direction).drop("from_rank", "to_rank", "from_ph", "to_ph")


def uses(measures: list[Measure], columns: set[str]) -> bool:
    return any(
        (m.column in columns) or any(c.column in columns for c in m.record_where) for m in measures
    )


def _missing(table, measure: Measure):
    """How many of the records a sum measure adds up have no value."""
    where = _where(table, measure.record_where)
    null = table[measure.column].isnull()
    return table.count(where=null if where is None else (where & null))


def aggregate(facts, keys: list, measures: list[Measure]) -> pd.DataFrame:
    aggs = {f"m{i}": _reduction(facts, m) for i, m in enumerate(measures)}
    # Count the blanks only where there can be any: the schema's required columns
    # (NOT NULL in the store, e.g. every encounter's cost) skip a pass on the hot path.
    aggs.update(
        {
            f"n{i}": _missing(facts, m)
            for i, m in enumerate(measures)
            if m.agg != "count" and facts[m.column].type().nullable
        }
    )
    frame = facts.group_by(keys).aggregate(**aggs).to_pandas()
    return finish(frame, measures)


def finish(frame: pd.DataFrame, measures: list[Measure]) -> pd.DataFrame:
    """Name the measures and make them nullable integers.

    A sum is missing (``<NA>``) when any record it adds up has no value (column
    ``n<i>``, the count of such records, when the source gives it); a count, or a sum
    over no records at all, is a true zero.
    """
    for i, m in enumerate(measures):
        values = pd.to_numeric(frame[f"m{i}"]).fillna(0).astype("Int64")
        if f"n{i}" in frame:
            values = values.mask(pd.to_numeric(frame.pop(f"n{i}")).to_numpy() > 0)
        frame[m.engine_key] = values
    frame = frame.drop(columns=[f"m{i}" for i in range(len(measures))])
    frame["period_key"] = frame["period_key"].astype("int64")
    return frame


def _common(conditions: list[tuple[Condition, ...]]) -> list[Condition]:
    """Conditions every measure applies (they can filter the records up front)."""
    if not conditions:
        return []
    shared = set(conditions[0]).intersection(*map(set, conditions[1:]))
    return [c for c in conditions[0] if c in shared]


def prefilter(table, measures: list[Measure]):
    """Apply the record conditions all measures share whose columns ``table`` has; each
    measure still applies its own conditions, so the result is the same, only cheaper."""
    for cond in _common([m.record_where for m in measures]):
        if cond.column in table.columns:
            table = table.filter(_condition(table, cond))
    return table


def only_institutions(t, table, measures: list[Measure], column: str = "institution_id"):
    """Keep the records of the institutions every measure's institution filter admits
    (the roll-up applies the filters again)."""
    shared = _common([m.unit_where for m in measures])
    if not shared:
        return table
    inst = t["institutions"]
    inst = inst.mutate(care_level=tier_care_level(inst.tier))
    inst = inst.filter(_where(inst, tuple(shared)))
    return table.filter(table[column].isin(inst.institution_id))
