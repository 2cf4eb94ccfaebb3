"""The final codes (:func:`final_codings`: a decision, else the coders' agreed answer)
and the analysis table built from them (:func:`coded_data`); re-exported by
:mod:`ihms.policy.reconcile`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.policy._counted import counted_documents, uncoded_segments
from ihms.policy._schemes import require_one_scheme, scheme_counts
from ihms.policy.codebook import Codebook
from ihms.policy.coding import codings

if TYPE_CHECKING:  # pragma: no cover
    from ihms.policy.project import Project


def final_codings(
    project: Project, *, coders: list[str] | None = None, keep_none: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One answer per segment and coded dimension.

    A decision wins; else the human coders' answers (and machine answers accepted in
    review) where they all agree.

    Parameters
    ----------
    project
        The coding project.
    coders
        Coder ids whose answers count; by default every coder.
    keep_none
        Keep an answer "none applies" as a row with value ``""``.

    Returns
    -------
    final : pandas.DataFrame
        ``segment_id``, ``dimension``, ``value`` (one row per category) and ``how``
        (``decision``, ``agreement``, ``single coder``, ``coders agree``).
    unresolved : pandas.DataFrame
        ``segment_id``, ``dimension`` and ``coders`` (how many answered) of the pairs
        where coders differ and nobody decided yet.
    """
    long = codings(project, coders=coders)
    usable = long[(long["kind"] == "human") | (long["review_status"] == "accepted")]
    dec = project.frame("SELECT segment_id, dimension, value, method FROM decisions")
    decided = {
        (r.segment_id, r.dimension): (json.loads(r.value), r.method) for r in dec.itertuples()
    }
    out_seg, out_dim, out_val, out_how = [], [], [], []
    unresolved = []
    for (seg, dim), (values, method) in decided.items():
        for v in values or ([""] if keep_none else []):
            out_seg.append(seg)
            out_dim.append(dim)
            out_val.append(v)
            out_how.append(method)
    grouped = usable.groupby(["segment_id", "dimension", "coder_id"])["value"].apply(frozenset)
    pending: dict[tuple[str, str], list[frozenset]] = {}
    for (seg, dim, _who), vals in grouped.items():
        if (seg, dim) not in decided:
            pending.setdefault((seg, dim), []).append(frozenset(v for v in vals if v != ""))
    for (seg, dim), answers in pending.items():
        if all(a == answers[0] for a in answers):
            how = "single coder" if len(answers) == 1 else "coders agree"
            for v in sorted(answers[0]) or ([""] if keep_none else []):
                out_seg.append(seg)
                out_dim.append(dim)
                out_val.append(v)
                out_how.append(how)
        else:
            unresolved.append({"segment_id": seg, "dimension": dim, "coders": len(answers)})
    final = pd.DataFrame(
        {"segment_id": out_seg, "dimension": out_dim, "value": out_val, "how": out_how}
    )
    return final, pd.DataFrame(unresolved, columns=["segment_id", "dimension", "coders"])


@dataclass(frozen=True, eq=False)
class CodedData:
    """Everything the tables need: a long table (``segment_id``, ``doc_id``,
    ``dimension``, ``value``) with coded and derived dimensions, the segments it covers,
    and the codebook."""

    long: pd.DataFrame
    segments: pd.DataFrame
    codebook: Codebook
    unresolved: int = 0
    source: str = "final"
    #: final answers that rest on one coder's codes in a project with several coders
    #: (the others left the segment uncoded), counted by segment × dimension
    single_coder: int = 0
    uncoded: tuple[str, ...] = ()  #: segments no coder coded yet (a metadata table's note)

    def __repr__(self) -> str:
        # the generated repr printed both tables and the whole codebook
        return brief_repr(
            self,
            source=self.source,
            codebook=f"{self.codebook.name} v{self.codebook.version}",
            segments=len(self.segments),
            codes=len(self.long),
            unresolved=self.unresolved,
            single_coder=self.single_coder,
        )


def coded_data(
    project: Project, *, source: str = "final", scheme: str | None = None, keep_none: bool = False
) -> CodedData:
    """Build the analysis table from the final codings (``source="final"``) or from
    one coder's codings (``source=<coder id>``), over the segments of ``scheme``. It may be
    left out when the project holds segments of one scheme; with two it must be named,
    or every text would count once per scheme (:class:`~ihms.errors.InputError`).

    Every segment of an included document counts, coded or not, so 1D tables of
    derived dimensions (level, nature, year) count texts as Yu et al. 2024 does; ``uncoded``
    names those not coded yet, for those tables' note. With
    ``keep_none`` an answer "none applies" stays in ``long`` as value ``""`` (to tell it
    from "not coded").

    Parameters
    ----------
    project
        The coding project.
    source
        ``"final"`` (:func:`final_codings`) or a coder id.
    scheme
        The segmentation scheme whose segments are counted.
    keep_none
        Keep "none applies" answers as value ``""``.

    Raises
    ------
    InputError
        No segments of ``scheme``, two schemes and none named, or ``source`` neither
        ``"final"`` nor a coder.
    """
    cb = project.codebook()
    segs = project.segments(scheme=scheme)
    if scheme and segs.empty:  # an empty table read as "0 units" or empty files
        have = project.segments()["scheme"].value_counts()
        kinds = ", ".join(f"{k} ({n:,})" for k, n in have.items()) or "none"
        raise InputError(
            f"the project has no {scheme!r} segments; it has {kinds}: name those (parameter "
            "'scheme', --scheme on the command line), or segment the documents that way "
            f"first (ihms policy segment --scheme {scheme})"
        )
    segs = segs[segs["doc_id"].isin(counted_documents(project))].reset_index(drop=True)
    require_one_scheme(
        scheme_counts(segs["scheme"]),
        task="analysis of the codings (tables, trend, data set ...)",
        why="every text would count once per scheme",
    )
    n_single = 0
    if source == "final":
        coded, unresolved = final_codings(project, keep_none=True)
        humans = project.query(
            "SELECT count(DISTINCT c.coder_id) FROM codings c JOIN coders k ON k.id = c.coder_id"
            " WHERE k.kind = 'human'"
        )[0][0]
        if humans > 1:
            alone = coded[
                (coded["how"] == "single coder") & coded["segment_id"].isin(set(segs["id"]))
            ]
            n_single = len(alone[["segment_id", "dimension"]].drop_duplicates())
        if not keep_none:
            coded = coded[coded["value"] != ""]
        coded = coded[["segment_id", "dimension", "value"]]
        n_unresolved = len(unresolved)
    else:
        known = {r[0] for r in project.query("SELECT id FROM coders")}
        if source not in known:
            raise InputError(
                f"source must be 'final' or a coder ({', '.join(sorted(known))}), got {source!r}"
            )
        long = codings(project, coders=[source])
        if not keep_none:
            long = long[long["value"] != ""]
        coded = long[["segment_id", "dimension", "value"]]
        n_unresolved = 0
    coded = coded[coded["segment_id"].isin(set(segs["id"]))]
    derived = project.derived_values()
    doc_of = dict(zip(segs["id"], segs["doc_id"], strict=True))
    overridden = set(zip(coded["segment_id"], coded["dimension"], strict=True))
    rows = []
    for dim in cb.derived:
        for seg_id, doc_id in doc_of.items():
            if (seg_id, dim.key) in overridden:
                continue
            value = derived.get(doc_id, {}).get(dim.key)
            if value is not None:
                rows.append((seg_id, dim.key, str(value)))
    meta = pd.DataFrame(rows, columns=["segment_id", "dimension", "value"])
    long = pd.concat([coded, meta], ignore_index=True)
    long["doc_id"] = long["segment_id"].map(doc_of)
    long = long[["segment_id", "doc_id", "dimension", "value"]]
    return CodedData(long, segs, cb, n_unresolved, source, single_coder=n_single,
                     uncoded=uncoded_segments(project, segs["id"], source))  # fmt: skip
