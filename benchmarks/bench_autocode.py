"""Benchmark: machine-assisted coding on real Chinese policy sentences.

Reads the development set ``policy_sentences_dev.jsonl`` (3,873 sentences from 40 local
enterprise and science-and-technology policies; 3,031 labelled with their sentence
type) from ``$IHMS_DEV_DATA`` (the file or its folder) or ``../shared/data/`` beside the
repository, and skips cleanly when it is absent: the data are not ours to ship, and
nothing from them is copied into the project.

Prints, all measured in this run:

1. Cohen's kappa, machine vs human, on unseen documents (cross-validation grouped by
   document, 5 and 10 folds) for the plain TF-IDF character n-gram linear baseline and
   for ihms's coder; per-category precision / recall / F1; coverage: at each
   ``min_probability`` cut, the share of sentences the machine codes and its kappa on
   them (the rest left to people);
2. what each ingredient adds (5 folds, the same folds for every row): class weights, neighbouring
   sentences, sections, position, jieba words, the linear model, semi-supervised use
   of the unlabelled sentences (vocabulary from all texts; self-training);
3. training on 4,000 sentences and coding 100,000 (texts replicated into new
   documents), against the baseline;
4. the learning curve of active vs random choice of sentences to hand-code.

Targets (issue 4): kappa >= 0.65 (aim: the human level, 0.746 in seed 000); training
on 4,000 sentences <= 30 s; coding 100,000 segments <= 20 s.

    .venv/bin/python benchmarks/bench_autocode.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from ihms.policy.autocode import (
    LearnedCoder,
    SegmentFeatures,
    as_segments,
    document_copies,
    evaluate_coder,
    simulate_active_learning,
    train_coder,
)
from ihms.policy.autocode.coverage import nested_cut

HUMAN_KAPPA = 0.746  # seed 000: the two coders' average kappa
TARGET_KAPPA = 0.65
TARGET_TRAIN_S = 30.0
TARGET_CODE_S = 20.0
AL_MARGIN = 0.02  # active learning: target = random curve's last kappa - this
FILE = "policy_sentences_dev.jsonl"


def find_data() -> Path | None:
    env = os.environ.get("IHMS_DEV_DATA")
    candidates = []
    if env:
        p = Path(env)
        candidates.append(p if p.suffix == ".jsonl" else p / FILE)
    repo = Path(__file__).resolve().parents[1]
    candidates += [
        repo.parent / "shared" / "data" / FILE,
        repo.parent.parent / "shared" / "data" / FILE,
    ]
    return next((p for p in candidates if p.is_file()), None)


def load(path: Path) -> tuple[pd.DataFrame, list]:
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    frame = pd.DataFrame(rows)
    frame["doc"] = frame["doc"].astype(str)
    frame["position"] = frame.groupby("doc", sort=False).cumcount()
    labels = [v if isinstance(v, str) and v else None for v in frame["label"]]
    return frame[["id", "doc", "position", "text"]], labels


class PlainBaseline(ClassifierMixin, BaseEstimator):
    """The issue's baseline: TF-IDF character n-grams and a linear SVM on each sentence
    alone (no class weights, no context); uncoded sentences are ignored."""

    def fit(self, X, y):
        keep = [i for i, v in enumerate(y) if v is not None]
        self.pipe_ = make_pipeline(
            TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2),
            LinearSVC(C=1.0, random_state=0),
        ).fit(X["text"].iloc[keep], [y[i] for i in keep])
        self.classes_ = self.pipe_.classes_
        return self

    def predict(self, X):
        return self.pipe_.predict(X["text"])


def kappa(coder, X, y, folds: int = 5, **kw) -> float:
    return evaluate_coder(coder, X, y, n_splits=folds, random_state=0, **kw).kappa


def line(label: str, value: float, seconds: float, base: float | None = None) -> None:
    extra = f"  {value - base:+.3f} vs baseline" if base is not None else ""
    print(f"  {label:<60s} kappa {value:.3f}{extra}  ({seconds:.0f} s)", flush=True)


def replicate(X: pd.DataFrame, n: int) -> pd.DataFrame:
    reps = -(-n // len(X))
    big = pd.concat([X] * reps, ignore_index=True).iloc[:n].copy()
    copy = np.arange(len(big)) // len(X)
    big["doc"] = big["doc"] + "#" + copy.astype(str)
    big["id"] = np.arange(len(big))
    return big


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one fold assignment, no ablation")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    path = find_data()
    if path is None:
        print(
            f"bench_autocode: skipped, {FILE} not found (set IHMS_DEV_DATA or put it in ../shared/data/)"
        )
        return 0
    X, y = load(path)
    n_coded = sum(v is not None for v in y)
    types = sorted({v for v in y if v is not None})
    print(f"Development set: {path}")
    print(
        f"  {len(X):,} sentences, {X['doc'].nunique()} documents, {n_coded:,} labelled with "
        f"{len(types)} sentence types, {len(X) - n_coded:,} unlabelled"
    )
    fold_counts = [5] if args.quick else [5, 10]
    _, copies = document_copies(as_segments(X))
    for group in copies:
        print(
            f"  documents {', '.join(group)} are near-identical copies: every evaluation "
            "below keeps them in one fold"
        )

    print("\n1. Machine vs human kappa on unseen documents (cross-validation grouped by document)")
    results = {}
    for folds in fold_counts:
        t = time.perf_counter()
        base = kappa(PlainBaseline(), X, y, folds)
        line(
            f"{folds} folds  baseline: TF-IDF char 1-3 grams + linear SVM",
            base,
            time.perf_counter() - t,
        )
        t = time.perf_counter()
        ours = kappa(LearnedCoder(), X, y, folds)
        line(f"{folds} folds  ihms LearnedCoder (defaults)", ours, time.perf_counter() - t, base)
        results[folds] = (base, ours)
    if copies:
        t = time.perf_counter()
        naive = (
            kappa(PlainBaseline(), X, y, 5, duplicate_threshold=None),
            kappa(LearnedCoder(), X, y, 5, duplicate_threshold=None),
        )
        print(
            f"  (trusting the doc ids, so a copy can be learned before its twin is tested: "
            f"baseline {naive[0]:.3f}, ihms {naive[1]:.3f} -- too good; "
            f"{time.perf_counter() - t:.0f} s)"
        )
    base, best = results[5]
    print(
        f"  target kappa >= {TARGET_KAPPA} (5 folds): {'PASS' if best >= TARGET_KAPPA else 'NOT MET'} "
        f"({best:.3f}); human level {HUMAN_KAPPA} (seed 000): ratio {best / HUMAN_KAPPA:.2f}; "
        f"gain over the baseline {best - base:+.3f}"
    )
    ev = evaluate_coder(LearnedCoder(), X, y, n_splits=5, random_state=0, probabilities=True)
    ev = ev.with_bootstrap()
    print(ev.summary().to_text())
    ci = ev.interval
    where = (
        "above it"
        if ci.high < TARGET_KAPPA
        else "below it"
        if ci.low > TARGET_KAPPA
        else "inside it"
    )
    print(
        f"  kappa {ci.kappa:.3f}, {ci.level:.0%} interval over the {ci.n_documents} documents "
        f"({ci.clusters} clusters, copies drawn together; cluster bootstrap, "
        f"{ci.n_boot:,} resamples): {ci.low:.3f} to {ci.high:.3f}; "
        f"the target {TARGET_KAPPA} lies {where}"
    )
    print(
        "\n   Coverage: the machine codes only the sentences it is sure of (min_probability)"
        " and leaves the rest to people"
    )
    cover = ev.coverage()
    print(cover.summary(kappa=TARGET_KAPPA).to_text())
    print(f"  human level: {cover.describe(HUMAN_KAPPA)}")
    t = time.perf_counter()
    nested = nested_cut(ev, LearnedCoder(), X, y, target=TARGET_KAPPA)
    print(f"  nested (the cut chosen inside each fold, {time.perf_counter() - t:.0f} s): ", end="")
    print(nested.describe())

    if not args.quick:
        print("\n2. What each ingredient adds (5 folds, the same folds for every row)")
        off = {"context_weight": 0.0, "section_weight": 0.0, "position_weight": 0.0}
        variants = [
            ("sentence alone, class weights", LearnedCoder(features=SegmentFeatures(**off))),
            (
                "+ previous/next sentence",
                LearnedCoder(features=SegmentFeatures(section_weight=0.0, position_weight=0.0)),
            ),
            (
                "+ section and subsection",
                LearnedCoder(features=SegmentFeatures(position_weight=0.0)),
            ),
            ("+ position in document (= defaults)", LearnedCoder()),
            ("defaults without class weights", LearnedCoder(class_weight=None)),
            ("defaults + jieba words", LearnedCoder(features=SegmentFeatures(words=True))),
            (
                "defaults, char 1-4 grams",
                LearnedCoder(features=SegmentFeatures(char_ngram_range=(1, 4))),
            ),
            (
                "defaults, numbering marks stripped",
                LearnedCoder(features=SegmentFeatures(strip_numbering=True)),
            ),
            ("defaults, logistic regression", LearnedCoder(model="logistic")),
            ("defaults, SGD linear SVM", LearnedCoder(model="sgd")),
            (
                "defaults + self-training on unlabelled (1 round, half)",
                LearnedCoder(self_training=True),
            ),
        ]
        for label, coder in variants:
            t = time.perf_counter()
            line(label, kappa(coder, X, y), time.perf_counter() - t, base)
        t = time.perf_counter()
        line(
            "defaults, held-out documents unseen even as text",
            kappa(LearnedCoder(), X, y, transductive=False),
            time.perf_counter() - t,
            base,
        )

    print("\n3. Speed (this machine; other jobs may share its 2 cores)")
    extra = (
        X[[v is not None for v in y]].head(4000 - len(X)).assign(doc=lambda f: f["doc"] + "#pad")
    )
    X4 = pd.concat([X, extra], ignore_index=True)
    y4 = y + [v for v in y if v is not None][: len(extra)]
    t = time.perf_counter()
    PlainBaseline().fit(X4, y4)
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    trained = train_coder(X4, y4, codebook_version="dev", dimension="sentence type")
    t_train = time.perf_counter() - t
    print(
        f"  train on {len(X4):,} sentences: ihms {t_train:.1f} s (with calibration), baseline "
        f"{t_base:.1f} s, ratio {t_train / t_base:.1f}; target <= {TARGET_TRAIN_S:.0f} s: "
        f"{'PASS' if t_train <= TARGET_TRAIN_S else 'NOT MET'}"
    )
    big = replicate(X, 100_000)
    baseline = PlainBaseline().fit(X, y)
    t = time.perf_counter()
    baseline.predict(big)
    t_base = time.perf_counter() - t
    t = time.perf_counter()
    coding = trained.code(big)
    t_code = time.perf_counter() - t
    print(
        f"  code {len(big):,} segments: ihms {t_code:.1f} s (codes + probabilities + "
        f"provenance, {len(coding.codes):,} codes), baseline {t_base:.1f} s, ratio "
        f"{t_code / t_base:.1f}; target <= {TARGET_CODE_S:.0f} s: "
        f"{'PASS' if t_code <= TARGET_CODE_S else 'NOT MET'}"
    )

    print("\n4. Learning curve: active vs random choice of sentences to hand-code")
    t = time.perf_counter()
    curve = simulate_active_learning(
        LearnedCoder(),
        X,
        y,
        initial=100,
        batch_size=100,
        rounds=5 if args.quick else 8,
        n_splits=5,
        folds_used=2 if args.quick else 3,
        random_state=0,
    )
    print(curve.summary().to_text())
    mean = curve.mean().pivot(index="n_coded", columns="strategy", values="kappa")
    # A target the curves must climb to: random selection's last kappa minus a small
    # margin (a fixed 0.5 is met by both at the first point and tells nothing).
    target = round(float(mean["random"].iloc[-1]) - AL_MARGIN, 3)
    reach = curve.segments_to_reach(target)
    fmt = {s: "not reached" if v is None else f"{v:,.0f}" for s, v in reach.items()}
    ratio = (
        f"; active needs {reach['active'] / reach['random']:.2f} x random's codes"
        if reach.get("active") and reach.get("random")
        else ""
    )
    print(
        f"  hand-coded sentences to reach kappa {target:.3f} (random's last kappa - "
        f"{AL_MARGIN}): active {fmt.get('active')}, random {fmt.get('random')}{ratio}  "
        f"({time.perf_counter() - t:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
