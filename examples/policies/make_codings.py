"""Build the two example coders' 6D codings of the example corpus.

Run from the repository root after ``make_examples.py`` (the output is committed)::

    .venv/bin/python examples/policies/make_codings.py

The codings stand in for two trained human coders. A reference coding is taken from
the 6D codebook's keywords (the categories whose Chinese keywords occur in a paragraph,
at most three, with a fallback where none does); each coder then departs from it the
way coders do — missing a category, adding a neighbouring one, confusing two tools of
one group — with their own seeded random generator, so agreement is substantial but
not perfect (seed 000 reports an average kappa of 0.746). The lead's decisions on the
disagreements follow the reference coding.

Writes ``codings/coder_a.xlsx`` (English category names), ``codings/coder_b.xlsx``
(Chinese names) and ``codings/decisions.xlsx``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ihms.policy import find_duplicates, import_folder, read_screening_decisions, screen
from ihms.policy.codebook import load_codebook
from ihms.policy.prisma import ScreeningCriteria
from ihms.policy.project import Project

HERE = Path(__file__).resolve().parent
OUT = HERE / "codings"
# (coder, seed, p_miss, p_add, p_confuse, language)
CODERS = (
    ("coder_a", 20240124, 0.10, 0.06, 0.05, "en"),
    ("coder_b", 38265862, 0.14, 0.08, 0.08, "zh"),
)


def build_project(path: Path) -> Project:
    corpus = import_folder(HERE / "corpus", metadata=HERE / "metadata.xlsx")
    project = Project.create(path, load_codebook("6d"), overwrite=True)
    project.add_documents(corpus.documents)
    decisions = read_screening_decisions(HERE / "screening.csv")
    project.set_screening(
        screen(
            corpus.documents,
            duplicates=find_duplicates(corpus.documents),
            decisions=decisions,
            criteria=ScreeningCriteria(date_to=dt.date(2021, 12, 31)),
        )
    )
    project.segment("paragraph")
    return project


def reference(text: str, dim, fallback: str) -> list[str]:
    hits = []
    for cat in dim.categories:
        n = sum(text.count(k) for k in cat.keywords_zh)
        if n:
            hits.append((n, cat.key))
    hits.sort(key=lambda h: (-h[0], dim.category_keys.index(h[1])))
    return [k for _, k in hits[:3]] or [fallback]


def perturb(
    values: list[str], dim, rng, p_miss: float, p_add: float, p_confuse: float
) -> list[str]:
    out = list(values)
    if len(out) > 1 and rng.random() < p_miss:
        out.pop(int(rng.integers(len(out))))
    if rng.random() < p_confuse:
        i = int(rng.integers(len(out)))
        cat = dim.category(out[i])
        siblings = [c.key for c in dim.categories if c.group == cat.group and c.key not in out]
        if siblings:
            out[i] = siblings[int(rng.integers(len(siblings)))]
    if rng.random() < p_add:
        others = [k for k in dim.category_keys if k not in out]
        out.append(others[int(rng.integers(len(others)))])
    return out


def label(values: list[str], dim, lang: str) -> str:
    order = dim.category_keys
    return "; ".join(dim.category(v).label(lang) for v in sorted(values, key=order.index))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        project = build_project(Path(tmp) / "example.sqlite")
        cb = project.codebook()
        tools, stakeholders = cb.dimension("tools"), cb.dimension("stakeholders")
        segs = project.segments(scheme="paragraph")
        gold = {
            seg.id: {
                "tools": reference(seg.text, tools, "institutional_building"),
                "stakeholders": reference(seg.text, stakeholders, "governments"),
            }
            for seg in segs.itertuples()
        }
        sheets = {}
        for coder, seed, p_miss, p_add, p_confuse, lang in CODERS:
            rng = np.random.default_rng(seed)
            rows = []
            for seg in segs.itertuples():
                row = {
                    "segment_id": seg.id,
                    "document": seg.doc_id,
                    "code": seg.code,
                    "text": seg.text,
                }
                for dim in (tools, stakeholders):
                    values = perturb(gold[seg.id][dim.key], dim, rng, p_miss, p_add, p_confuse)
                    row[dim.label(lang)] = label(values, dim, lang)
                rows.append(row)
            sheets[coder] = pd.DataFrame(rows)
            sheets[coder].to_excel(OUT / f"{coder}.xlsx", index=False, sheet_name=coder)
        decisions = []
        a = sheets["coder_a"].set_index("segment_id")
        b = sheets["coder_b"].set_index("segment_id")
        for dim in (tools, stakeholders):
            for seg_id in a.index:
                set_a = {
                    dim.category(x.strip()).key for x in a.loc[seg_id, dim.label("en")].split(";")
                }
                set_b = {
                    dim.category(x.strip()).key for x in b.loc[seg_id, dim.label("zh")].split(";")
                }
                if set_a != set_b:
                    decisions.append(
                        {
                            "segment_id": seg_id,
                            "dimension": dim.key,
                            "decision": label(gold[seg_id][dim.key], dim, "en"),
                            "note": "decided against the definitions in the codebook",
                        }
                    )
        pd.DataFrame(decisions).to_excel(
            OUT / "decisions.xlsx", index=False, sheet_name="decisions"
        )
        # The same codings in the long layout `ihms agreement` reads (one row per
        # segment, coder and dimension; several codes joined by ";").
        long = [
            {
                "segment": seg_id,
                "coder": coder,
                "dimension": dim.key,
                "code": ";".join(
                    sorted(dim.category(x.strip()).key for x in row[dim.label(lang)].split(";"))
                ),
            }
            for coder, lang in (("coder_a", "en"), ("coder_b", "zh"))
            for seg_id, row in sheets[coder].set_index("segment_id").iterrows()
            for dim in (tools, stakeholders)
        ]
        pd.DataFrame(long).to_csv(OUT / "codings_long.csv", index=False, encoding="utf-8")
        project.close()
    print(f"wrote {len(segs)} segments x 2 coders and {len(decisions)} decisions to {OUT}")


if __name__ == "__main__":
    main()
