"""Thematic clustering of an open dimension's answers (the VI-HQMR policy study's themes).

Normalised answers (e.g. symbiotic models: 医联体, 县域医共体, 远程会诊 ...) are turned
into TF-IDF vectors of their character uni- and bigrams, which suits short Chinese
phrases, and grouped by average-linkage agglomerative clustering on cosine distance —
deterministic, so the same answers always give the same themes. The number of themes is
given, or chosen among 2…``max_k`` by the silhouette score. Each theme is named after
its most frequent answer and lists its members with their frequencies. The clustering
always reads the answers as coded; ``labels`` (the codebook's English names, see
:func:`ihms.policy.network.labels_of`) only change how they are shown.

:func:`cluster_dimension` takes the answers from coded data. For a grouped open
dimension it clusters the answers of one group (the VI-HQMR policy study §3.2.3 sums up its 283
policy
environments as seven core policies and its 78 technological ones as three themes) or,
without a group, every answer whatever its group; either way the answer's text alone is
clustered, not its group's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ihms._repr import SummaryHtml
from ihms.errors import InputError
from ihms.summary import SummaryTable

__all__ = ["ThemeClusters", "answer_counts", "cluster_answers", "cluster_dimension"]


@dataclass(frozen=True, eq=False)
class ThemeClusters(SummaryHtml):
    """Result of :func:`cluster_answers`.

    Attributes
    ----------
    assignments
        ``answer`` (as coded), ``label`` (as shown), ``count``, ``theme`` (an integer)
        per distinct answer.
    themes
        ``theme``, ``label`` (its most frequent answer, as shown), ``answers``
        (distinct), ``count`` (total frequency), ``members`` (answers by frequency, as
        shown).
    k
        Number of themes; ``silhouette`` the score of that choice (NaN if given).
    title
        What was clustered (:func:`cluster_dimension` names the dimension and group).
    lang
        The language of the summary's headers and note (``"zh"``: 主题, 轮廓系数);
        the answers are shown as ``assignments`` labels them.
    """

    assignments: pd.DataFrame
    themes: pd.DataFrame
    k: int
    silhouette: float
    title: str = "Themes of the open answers"
    lang: str = "en"

    def summary(self) -> SummaryTable:
        from ihms.policy._agreement_words import content_note, said_in

        columns = ["label", "answers", "count", "members"]
        frame = self.themes[columns].set_index("label")
        frame = frame.rename(columns=lambda c: said_in(self.lang, c))
        frame.index.name = said_in(self.lang, "label")
        note = content_note(self.lang, "themes", k=self.k)
        if not np.isnan(self.silhouette):
            note += content_note(self.lang, "silhouette", score=self.silhouette)
        title = said_in(self.lang, self.title)
        return SummaryTable(frame, title=title, notes=(note,), lang=self.lang)


def cluster_answers(
    answers: Mapping[str, int] | pd.Series,
    *,
    k: int | None = None,
    max_k: int = 8,
    labels: Mapping[str, str] | None = None,
) -> ThemeClusters:
    """Cluster distinct answers (with their frequencies) into themes.

    Parameters
    ----------
    answers
        ``{answer: frequency}`` (or a Series indexed by answer), e.g. the value counts
        of an open dimension's final codings.
    k
        Number of themes; default: the best silhouette among 2…``max_k``.
    labels
        The name shown for an answer (an answer without one shows as coded); the
        themes do not depend on it.
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import silhouette_score

    series = (
        pd.Series(answers, dtype="int64")
        if not isinstance(answers, pd.Series)
        else answers.astype("int64")
    )
    series = series[series > 0]
    n = len(series)
    if n < 3:
        raise InputError(f"clustering needs at least 3 distinct answers, got {n}")
    if k is not None and not 2 <= k < n:
        raise InputError(f"k must be between 2 and {n - 1} (distinct answers - 1), got {k}")
    texts = [str(a) for a in series.index]
    X = (
        TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
        .fit_transform(texts)
        .toarray()
    )

    def fit(m: int) -> np.ndarray:
        return AgglomerativeClustering(
            n_clusters=m, metric="cosine", linkage="average"
        ).fit_predict(X)

    if k is None:
        best = None
        for m in range(2, min(max_k, n - 1) + 1):
            found = fit(m)
            if len(set(found)) < 2:
                continue
            score = float(silhouette_score(X, found, metric="cosine"))
            if best is None or score > best[0] + 1e-12:
                best = (score, m, found)
        if best is None:
            raise InputError("the answers are too alike to form two themes")
        silhouette, k, clusters = best
    else:
        clusters, silhouette = fit(k), float("nan")
    shown = dict(labels or {})
    frame = pd.DataFrame(
        {
            "answer": texts,
            "label": [str(shown.get(a, a)) for a in texts],
            "count": series.to_numpy(),
            "cluster": clusters,
        }
    )
    themes = []
    for _, grp in frame.groupby("cluster"):
        grp = grp.sort_values(["count", "answer"], ascending=[False, True])
        # Chinese members as 医联体(12)、专科联盟(3); English ones as Medical alliance (12); …
        english = (grp["label"] != grp["answer"]).any()
        themes.append(
            {
                "label": grp["label"].iloc[0],
                "answers": len(grp),
                "count": int(grp["count"].sum()),
                "members": ("; " if english else "、").join(
                    f"{a} ({c})" if english else f"{a}({c})"
                    for a, c in zip(grp["label"], grp["count"], strict=True)
                ),
                "cluster": grp["cluster"].iloc[0],
            }
        )
    themes_df = (
        pd.DataFrame(themes)
        .sort_values(["count", "label"], ascending=[False, True])
        .reset_index(drop=True)
    )
    themes_df["theme"] = range(1, len(themes_df) + 1)
    renumber = dict(zip(themes_df["cluster"], themes_df["theme"], strict=True))
    frame["theme"] = frame["cluster"].map(renumber)
    assignments = frame[["answer", "label", "count", "theme"]].sort_values(
        ["theme", "count"], ascending=[True, False]
    )
    return ThemeClusters(
        assignments.reset_index(drop=True),
        themes_df[["theme", "label", "answers", "count", "members"]],
        int(k),
        silhouette,
    )


def answer_counts(data, dimension: str, *, group: str | None = None) -> pd.Series:
    """How often each answer of an open dimension is coded in ``data``
    (:class:`~ihms.policy.reconcile.CodedData`): the segments that code it, a segment
    counting once per answer (the VI-HQMR policy study counts entries), indexed by the answer, most
    frequent first. For a grouped open dimension the answers of ``group`` (a group's
    key or name) without their group, or with ``group`` omitted every answer's text
    over all groups — a segment that codes one text in two groups (远程医疗 as a policy
    and as a technology) counts once.

    Raises
    ------
    InputError
        A dimension that is not open (an older project's closed symbiotic environment
        holds groups, not answers), or ``group`` for a dimension without groups or
        naming none of its groups.
    """
    dim = data.codebook.dimension(dimension)
    if dim.kind != "open":
        names = ", ".join(c.label("en") for c in dim.categories)
        raise InputError(
            f"dimension {dim.key!r} is {dim.kind} in this codebook"
            + (f" (its codes are the categories {names}, not answers as text)" if names else "")
            + "; clustering needs an open dimension's answers"
        )
    if group is not None and not dim.answer_groups:
        raise InputError(f"parameter 'group': dimension {dim.key!r} has no groups of answers")
    want = dim.answer_group(group).key if group is not None else None
    part = data.long.loc[data.long["dimension"] == dim.key, ["segment_id", "value"]]
    part = part[part["value"] != ""].drop_duplicates()
    split = [dim.split_answer(v) for v in part["value"]]
    coded = pd.DataFrame(
        {
            "segment_id": part["segment_id"].to_numpy(),
            "group": [g for g, _ in split],
            "answer": pd.Series([a for _, a in split], dtype=object),
        }
    )
    if want is not None:
        coded = coded[coded["group"] == want]
    # one text in two groups of one segment is one answer of that segment
    counts = coded.drop_duplicates(["segment_id", "answer"])["answer"].value_counts()
    # ties in the answers' order, so that the same data always cluster alike
    order = sorted(counts.index, key=lambda a: (-int(counts[a]), str(a)))
    counts = counts.reindex(order)
    counts.index.name = "answer"
    return counts.rename("count")


def cluster_dimension(
    data,
    dimension: str,
    *,
    group: str | None = None,
    k: int | None = None,
    max_k: int = 8,
    lang: str = "en",
) -> ThemeClusters:
    """Themes of an open dimension's answers in coded data (:func:`answer_counts`,
    then :func:`cluster_answers`); ``lang`` names the answers in English where the
    codebook gives a name (the themes do not depend on it).

    Raises
    ------
    InputError
        As :func:`answer_counts`; fewer than three distinct answers (in the group).
    """
    from ihms._words import check_lang
    from ihms.policy._agreement_words import content_note

    check_lang(lang)
    dim = data.codebook.dimension(dimension)
    counts = answer_counts(data, dimension, group=group)
    where = dim.label(lang)
    if group is not None:
        g = dim.answer_group(group)
        where = content_note(lang, "group", dimension=where, group=g.label(lang))
    labels = {a: dim.value_label(a, lang) for a in counts.index}
    try:
        result = cluster_answers(counts, k=k, max_k=max_k, labels=labels)
    except InputError as exc:
        raise InputError(f"{where} ({data.source!r}): {exc}") from None
    return replace(result, title=content_note(lang, "themes of", where=where), lang=lang)
