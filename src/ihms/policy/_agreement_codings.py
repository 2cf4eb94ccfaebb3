"""Which codings a comparison of coders takes (:func:`ihms.policy.agreement.coder_agreement`
calls these): a machine coder's in-sample answers, counted or left out, and the codings
of one segmentation scheme."""

from __future__ import annotations

import pandas as pd

from ihms._listing import in_words
from ihms.errors import InputError
from ihms.policy._schemes import require_one_scheme, scheme_counts


def _in_sample(long: pd.DataFrame, coders, exclude: bool) -> tuple[pd.DataFrame, list[str]]:
    """``long`` (without the units a machine coder was trained on, if ``exclude``) and
    a note per machine coder and dimension counting those units."""
    import json

    machine = long[long["kind"] == "machine"]
    if exclude and machine.empty:
        raise InputError(
            f"parameter 'exclude_training' (--exclude-training): coders {list(coders)} "
            "include no machine coder whose training segments could be left out"
        )
    if machine.empty:
        return long, []
    given = machine["provenance"].map(lambda v: _as_dict(json.loads(v)) if v else {})
    said = given.map(lambda v: bool(v.get("in_training")))
    trained = machine[said.astype(bool)]
    notes, drop = _unmarked(machine, given, exclude), set()
    for (who, dim), part in trained.groupby(["coder_id", "dimension"], sort=False):
        n, of = (
            part["segment_id"].nunique(),
            machine.loc[
                (machine["coder_id"] == who) & (machine["dimension"] == dim), "segment_id"
            ].nunique(),
        )
        drop |= {(seg, dim) for seg in part["segment_id"]}
        notes.append(
            f"{n:,} of the {of:,} segments {who} coded in {dim} were in its training data: "
            "its agreement there is in-sample (it learnt their codes); report the "
            "out-of-fold kappa of `ihms policy autocode evaluate`"
            + (
                f" — left out the {n:,} segments here (exclude_training)."
                if exclude
                else ", or leave them out (exclude_training=True, --exclude-training)."
            )
        )
    if exclude and drop:
        keys = pd.Series(
            list(zip(long["segment_id"], long["dimension"], strict=True)), index=long.index
        )
        long = long[~keys.isin(drop)]
        if long.empty:
            raise InputError(
                "parameter 'exclude_training' (--exclude-training): every segment compared "
                "was in the machine coder's training data; nothing is left to compare"
            )
    return long, notes


def _as_dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _unmarked(machine: pd.DataFrame, given: pd.Series, exclude: bool) -> list[str]:
    """A note per learned machine coder and dimension whose answers were stored before
    ihms marked ``in_training`` (a model's provenance, no mark): in-sample or not is
    unknown there. ``exclude`` cannot leave out what it cannot tell, so it refuses."""
    old = given.map(lambda v: "training_size" in v and "in_training" not in v).astype(bool)
    notes = []
    for (who, dim), part in machine[old].groupby(["coder_id", "dimension"], sort=False):
        n, size = part["segment_id"].nunique(), given[part.index[0]]["training_size"]
        if exclude:
            raise InputError(
                f"parameter 'exclude_training' (--exclude-training): the {n:,} segments {who} "
                f"coded in {dim} carry no in_training mark (coded before ihms recorded a "
                "model's training segments), so its training segments cannot be told "
                f"apart; apply the model again (`ihms policy autocode apply`) to mark them"
            )
        notes.append(
            f"the {n:,} segments {who} coded in {dim} carry no in_training mark (coded "
            f"before ihms recorded a model's training segments); it was trained on {size} "
            "segments, and its agreement on those is in-sample: report the out-of-fold "
            "kappa of `ihms policy autocode evaluate`, or apply the model again "
            "(`ihms policy autocode apply`) to mark them."
        )
    return notes


def _on_one_scheme(project, long: pd.DataFrame, scheme: str | None, coders, dims) -> pd.DataFrame:
    """``long``'s codings on ``scheme``'s segments; without ``scheme``, all of them when
    they lie on one scheme's segments."""
    segs = project.segments(include_retired=True)
    scheme_of = long["segment_id"].map(dict(zip(segs["id"], segs["scheme"], strict=True)))
    if scheme is None:
        coded = long.drop_duplicates("segment_id")
        require_one_scheme(
            scheme_counts(scheme_of[coded.index]),
            task=f"agreement of {', '.join(coders)}",
            why="agreement over both would take each text as a unit once per scheme",
            holder="the codings compared lie on",
        )
        return long
    kept = long[scheme_of == scheme]
    if kept.empty:
        raise InputError(
            f"coders {coders} have no codings on {scheme} segments in {dims}; their codings "
            f"lie on {in_words(sorted(set(scheme_of)))} segments (parameter 'scheme', --scheme)"
        )
    return kept.reset_index(drop=True)
