"""Machine coders inside a coding project (:class:`ihms.policy.project.Project`).

- :func:`project_codes` — a dimension's segments and **reconciled** codes (decisions,
  agreements, single coders, accepted machine codes: what
  :func:`ihms.policy.reconcile.final_codings` keeps), ready for a coder;
- :func:`train_on_project` — a :class:`~ihms.policy.autocode.TrainedCoder` for one
  dimension, tied to the project's codebook version;
- :mod:`ihms.policy.autocode.project_evaluation` — grouped cross-validation by
  document, machine vs people beside people vs people;
- :mod:`ihms.policy.autocode.apply` — the machine's codes entering the project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.base import clone

from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.policy.autocode.features import SegmentFeatures
from ihms.policy.autocode.learned import LearnedCoder
from ihms.policy.autocode.trained import TrainedCoder, train_coder

__all__ = [
    "ProjectCodes",
    "codebook_version_of",
    "default_coder",
    "policy_terms",
    "project_codes",
    "project_dictionary",
    "train_on_project",
]

NONE = "(none)"  # a single-label answer "nothing applies", as the agreement report names it


def codebook_version_of(codebook: Any) -> str:
    """The codebook version a model is tied to: name, version and content hash, so an
    edited codebook that kept its version number still counts as another version.

    Parameters
    ----------
    codebook : ihms.policy.Codebook
        A codebook with ``name``, ``version`` and ``sha256``.
    """
    return f"{codebook.name} v{codebook.version} ({codebook.sha256[:12]})"


def policy_terms() -> tuple[str, ...]:
    """The policy-term dictionary ihms ships for jieba (医联体, 分级诊疗, ...)."""
    text = (files("ihms.policy") / "resources" / "policy_terms.txt").read_text(encoding="utf-8")
    return tuple(
        line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_CJK = re.compile(r"[\u3400-\u9fff]")


def project_dictionary(
    dimension: Any = None, dictionary: Sequence[str | Path] = ()
) -> tuple[str, ...]:
    """The words jieba must keep whole when a coder reads a dimension's segments.

    ihms's policy terms, then the dimension's own Chinese vocabulary — each category's
    Chinese name, aliases and ``keywords_zh`` (terms of two or more characters with at
    least one Chinese character) — then the first column of each user dictionary file
    in ``dictionary`` (jieba format), without repeats, in that order (no ``dimension``:
    the policy terms and the files only). A codebook that lists
    "家庭医生签约" as a keyword gets it as one word, not as 家庭 / 医生 / 签约.

    Parameters
    ----------
    dimension : codebook dimension, optional
        A dimension whose categories give Chinese names, aliases and ``keywords_zh``;
        None (the default) adds none.
    dictionary : sequence of str or Path, default ()
        User dictionary files in jieba's format (word first on each line).
    """
    from ihms.policy.textstats import read_dictionary

    words = list(policy_terms())
    for c in getattr(dimension, "categories", ()):
        for term in (c.zh, *c.aliases, *c.keywords_zh):
            term = term.strip()
            if len(term) >= 2 and _CJK.search(term) and not any(ch.isspace() for ch in term):
                words.append(term)
    words += [line.split()[0] for line in read_dictionary(dictionary)]
    return tuple(dict.fromkeys(words))


def default_coder(
    dimension: Any,
    *,
    dictionary: Sequence[str | Path] = (),
    codes: Sequence[Any] | None = None,
    **params: Any,
) -> LearnedCoder:
    """The coder ihms trains for a codebook dimension: every category of the codebook
    must be learnable, and jieba words keep the project's dictionary whole
    (:func:`project_dictionary`: ihms's policy terms, the codebook's Chinese category
    names and keywords, and the user dictionary files in ``dictionary``).

    A single-label dimension also learns ``"(none)"`` (nothing applies) — but only
    when one of ``codes`` answers it: a dimension where every coded segment has a
    category is learnt without it, and its model always names a category.

    Parameters
    ----------
    dimension : codebook dimension
        The dimension coded: its ``category_keys`` and ``multi`` flag.
    dictionary : sequence of str or Path, default ()
        User dictionary files in jieba's format, added to the coder's words.
    codes : sequence, optional
        The reconciled codes it will learn from (:attr:`ProjectCodes.codes`); None
        (the default) counts ``"(none)"`` as a category to learn.
    **params
        Further :class:`LearnedCoder` parameters; they win over the defaults set here
        (``categories`` and the jieba words).
    """
    categories = list(dimension.category_keys)
    if not dimension.multi and (codes is None or NONE in codes):
        categories.append(NONE)
    params.setdefault(
        "features",
        SegmentFeatures(words=True, user_dictionary=project_dictionary(dimension, dictionary)),
    )
    params.setdefault("categories", categories)
    return LearnedCoder(**params)


def learnable(coder: Any, codes: Sequence[Any]) -> Any:
    """``coder`` without ``"(none)"`` among its required ``categories`` when no code in
    ``codes`` answers "nothing applies" (see :func:`default_coder`); else ``coder``
    itself. Only the categories present in the reconciled codes, or named by the
    codebook, are required to reach ``min_per_category``."""
    params = coder.get_params(deep=False) if hasattr(coder, "get_params") else {}
    cats = params.get("categories")
    if cats is None or NONE not in cats or NONE in codes:
        return coder
    return clone(coder).set_params(categories=[c for c in cats if c != NONE])


@dataclass(frozen=True, eq=False)
class ProjectCodes:
    """A dimension's segments and reconciled codes.

    Attributes
    ----------
    segments
        ``id``, ``doc``, ``position``, ``text`` (and ``section`` for clause entries),
        in reading order.
    codes
        One entry per segment: a category (single-label), a list of categories
        (multi-label; empty when nothing applies), or None where nobody has a final
        answer yet.
    dimension
        The codebook :class:`~ihms.policy.codebook.Dimension`.
    codebook_version
        See :func:`codebook_version_of`.
    n_unresolved
        Segments whose coders disagree with no decision yet (left uncoded here).
    n_machine_only
        Segments whose only code is a machine answer a person accepted (coded here
        unless ``project_codes(..., accepted_machine=False)`` left them uncoded).
    """

    segments: pd.DataFrame
    codes: list
    dimension: Any
    codebook_version: str
    n_unresolved: int
    n_machine_only: int = 0

    def __repr__(self) -> str:
        # the generated repr printed every segment's text and code
        return brief_repr(
            self,
            dimension=self.dimension.key,
            codebook_version=self.codebook_version,
            segments=len(self.segments),
            coded=self.n_coded,
            unresolved=self.n_unresolved,
            **({"machine_only": self.n_machine_only} if self.n_machine_only else {}),
        )

    @property
    def n_coded(self) -> int:
        return sum(c is not None for c in self.codes)


def _closed_dimension(project: Any, dimension: str) -> Any:
    dim = project.codebook().dimension(dimension)
    if dim.kind != "closed" or dim.source != "coded":
        raise InputError(
            f"dimension {dim.key!r} is {dim.kind} and {dim.source}: a machine coder codes "
            "closed dimensions that people code segment by segment "
            f"({', '.join(d.key for d in project.codebook().coded if d.kind == 'closed')})"
        )
    return dim


def project_codes(
    project: Any, dimension: str, *, scheme: str = "paragraph", accepted_machine: bool = True
) -> ProjectCodes:
    """Segments of ``scheme`` and their reconciled codes in ``dimension``.

    Parameters
    ----------
    project : ihms.policy.Project
        An open coding project.
    dimension : str
        The key of a closed codebook dimension.
    scheme : str, default "paragraph"
        The segmentation scheme whose segments are used.
    accepted_machine : bool, default True
        Count a machine answer a person accepted as that segment's code. False leaves
        the segments coded only that way uncoded (how :func:`evaluate_on_project`
        grades a machine: against people's codes, not an earlier machine's).

    Raises
    ------
    InputError
        An unknown or open dimension, or a scheme with no segments.
    """
    from ihms.policy.coding import codings
    from ihms.policy.reconcile import final_codings

    dim = _closed_dimension(project, dimension)
    segs = project.segments(scheme=scheme)
    if segs.empty:
        raise InputError(f"{project.path}: no {scheme} segments; run `ihms policy segment` first")
    final, unresolved = final_codings(project)
    final = final[final["dimension"] == dim.key]
    unresolved_ids = set(unresolved.loc[unresolved["dimension"] == dim.key, "segment_id"])
    long = codings(project, dimensions=[dim.key])
    usable = long[(long["kind"] == "human") | (long["review_status"] == "accepted")]
    decided = {
        r[0]
        for r in project.query("SELECT segment_id FROM decisions WHERE dimension=?", (dim.key,))
    }
    by_people = set(usable.loc[usable["kind"] == "human", "segment_id"]) | decided
    machine_only = set(usable["segment_id"]) - by_people - unresolved_ids
    coded = (by_people - unresolved_ids) | (machine_only if accepted_machine else set())
    values = final.groupby("segment_id")["value"].apply(sorted).to_dict()
    out = []
    for seg in segs["id"]:
        if seg not in coded:
            out.append(None)
        elif dim.multi:
            out.append(list(values.get(seg, [])))
        else:
            got = values.get(seg, [])
            out.append(got[0] if got else NONE)
    frame = pd.DataFrame(
        {"id": segs["id"], "doc": segs["doc_id"], "position": segs["ordinal"], "text": segs["text"]}
    )
    if scheme == "clause":
        # level-file-path: segments under one top-level number share a section (in a
        # document divided into 第一部分 … parts, the part)
        frame["section"] = segs["code"].str.split("-").str[2].fillna("")
    return ProjectCodes(
        segments=frame.reset_index(drop=True),
        codes=out,
        dimension=dim,
        codebook_version=codebook_version_of(project.codebook()),
        n_unresolved=len(unresolved_ids & set(segs["id"])),
        n_machine_only=len(machine_only & set(segs["id"])),
    )


def train_on_project(
    project: Any,
    dimension: str,
    *,
    coder: LearnedCoder | None = None,
    scheme: str = "paragraph",
    trained_at: Any = None,
) -> TrainedCoder:
    """Train a machine coder on a dimension's reconciled codes.

    Parameters
    ----------
    project : ihms.policy.Project
        An open coding project.
    dimension : str
        The key of a closed codebook dimension.
    coder : LearnedCoder, optional
        An unfitted coder; None (the default) uses :func:`default_coder` for the
        dimension.
    scheme : str, default "paragraph"
        The segmentation scheme whose segments are used.
    trained_at : datetime, optional
        The training time recorded in the model; None (the default) is now (UTC).

    Raises
    ------
    TooFewCodesError
        Naming every category with too few reconciled codes and how many more it needs
        (``"(none)"`` only once some reconciled code answers it: :func:`learnable`).
    """
    data = project_codes(project, dimension, scheme=scheme)
    return train_coder(
        data.segments,
        data.codes,
        codebook_version=data.codebook_version,
        dimension=data.dimension.key,
        codebook=project.codebook().name,
        coder=learnable(coder if coder is not None else default_coder(data.dimension), data.codes),
        trained_at=trained_at,
        accepted_machine=data.n_machine_only,
    )
