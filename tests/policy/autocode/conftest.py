"""A small policy-like corpus written for these tests (not taken from any real policy).

Eight documents, each with four numbered sections of three sentences: funding support,
talent training, supervision, and the application procedure. Sentences are drawn from
templates written here, with slots filled by a seeded generator, so the corpus is the
same on every run.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

SUBJECTS = ["乡镇卫生院", "县医院", "社区卫生服务中心", "村卫生室", "医共体成员单位", "民营医院"]
FIELDS = ["慢病管理", "远程会诊", "家庭医生签约", "中医药服务", "公共卫生", "急诊急救"]
DEPARTMENTS = ["卫生健康局", "财政局", "医保局", "人力社保局"]

TEMPLATES = {
    "资金支持": [
        "对{s}给予{n}万元的一次性资金补助。",
        "{s}购置设备的，按实际投资额的{p}%给予补贴。",
        "设立专项资金，支持{f}项目建设，每个项目补助不超过{n}万元。",
        "经认定的{s}，每年给予最高{n}万元奖励。",
    ],
    "人才培养": [
        "加强{f}人才队伍建设，每年培训骨干{n}名。",
        "支持高校与{s}联合培养{f}专业技术人才。",
        "建立全科医生规范化培训制度，{s}医师轮训不少于{p}天。",
        "鼓励{s}选派医师进修学习，提升{f}服务能力。",
    ],
    "监督管理": [
        "{d}对{s}的资金使用情况进行监督检查。",
        "对弄虚作假的{s}，追回已拨付资金并予以通报。",
        "建立{f}工作绩效评价制度，由{d}定期开展督查。",
        "{s}应当接受审计监督，发现问题限期整改。",
    ],
    "申请程序": [
        "申请单位应于每年{m}月底前向{d}提交申报材料。",
        "申报材料经{d}审核后，报县政府审定。",
        "{s}申请时须提供申请表、执业许可证复印件和项目说明。",
        "审核结果在{d}网站公示{p}个工作日。",
    ],
}
HEADINGS = {
    "资金支持": "加大资金扶持",
    "人才培养": "加强人才培养",
    "监督管理": "强化监督管理",
    "申请程序": "规范申报程序",
}
NUMERALS = ["一", "二", "三", "四", "五"]


def make_corpus(n_docs: int = 8, per_section: int = 3, seed: int = 7) -> pd.DataFrame:
    """Segments with ``doc``, ``position``, ``id``, ``text`` and the ``label`` a careful
    coder would give (section headings stay uncoded: label None)."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        doc = f"doc{d + 1:02d}"
        order = list(TEMPLATES)
        if rng.random() < 0.5:  # documents differ in the order of their first sections
            order[0], order[1] = order[1], order[0]
        position = 0
        for k, cat in enumerate(order):
            rows.append((doc, position, f"{NUMERALS[k]}、{HEADINGS[cat]}", None))
            position += 1
            for t in rng.choice(len(TEMPLATES[cat]), size=per_section, replace=False):
                text = TEMPLATES[cat][t].format(
                    s=rng.choice(SUBJECTS),
                    f=rng.choice(FIELDS),
                    d=rng.choice(DEPARTMENTS),
                    n=int(rng.integers(5, 500)),
                    p=int(rng.integers(5, 60)),
                    m=int(rng.integers(1, 12)),
                )
                rows.append((doc, position, text, cat))
                position += 1
    frame = pd.DataFrame(rows, columns=["doc", "position", "text", "label"])
    frame.insert(0, "id", [f"{r.doc}-{r.position}" for r in frame.itertuples()])
    return frame


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return make_corpus()


@pytest.fixture
def segments(corpus: pd.DataFrame) -> pd.DataFrame:
    return corpus[["id", "doc", "position", "text"]].copy()


@pytest.fixture
def labels(corpus: pd.DataFrame) -> list:
    return [None if v is None or v != v else v for v in corpus["label"]]


@pytest.fixture
def multilabel_codes(corpus: pd.DataFrame) -> list:
    """Multi-label codes of the same segments: ``money`` (a sum is granted) and/or
    ``office`` (a government bureau is named); headings stay uncoded."""
    codes = []
    for text, label in zip(corpus["text"], corpus["label"], strict=True):
        if label is None or label != label:
            codes.append(None)
        else:
            codes.append(
                [
                    c
                    for c, words in (("money", "资金补助补贴奖励"), ("office", "局"))
                    if any(w in text for w in words)
                ]
            )
    return codes


@pytest.fixture
def corpus_factory():
    """``make_corpus`` for tests that need a corpus of another size."""
    return make_corpus


RARE = "稀有"  # the rare category of ``rare_corpus``


@pytest.fixture
def rare_corpus(corpus_factory):
    """Six documents; a category of five codes: a funding sentence of doc01 and two
    application-procedure sentences each of doc02 and doc03 (codes that do not
    resemble each other), whose out-of-fold scores run the wrong way."""
    corpus = corpus_factory(n_docs=6, per_section=2)
    y = [None if v is None or v != v else v for v in corpus["label"]]
    for doc, cat, k in (
        ("doc01", "资金支持", 1),
        ("doc02", "申请程序", 2),
        ("doc03", "申请程序", 2),
    ):
        for i in [i for i, v in enumerate(y) if v == cat and corpus["doc"][i] == doc][:k]:
            y[i] = RARE
    return corpus[["id", "doc", "position", "text"]], y


def _with_copy(segments, labels, of="doc03", as_="doc09"):
    """The project plus a second copy of document ``of`` under the id ``as_`` (a policy
    collected twice, as a real dev corpus turned out to hold)."""
    keep = (segments["doc"] == of).to_numpy()
    copy = segments[keep].copy()
    copy["doc"] = as_
    copy["id"] = [f"{as_}-{i}" for i in range(len(copy))]
    X = pd.concat([segments, copy], ignore_index=True)
    y = list(labels) + [v for v, k in zip(labels, keep, strict=True) if k]
    return X, y


@pytest.fixture
def with_copy():
    """``with_copy(segments, labels)``: the project plus a copy of doc03 filed as doc09."""
    return _with_copy


@pytest.fixture
def study(coded_project):
    """The path of a closed copy of the example project, both coders reconciled."""
    path = coded_project.path
    coded_project.close()
    return path


def write_jsonl(frame: pd.DataFrame, path):
    """``frame`` as a JSON lines file (one segment per line), as tables arrive."""
    with open(path, "w", encoding="utf-8") as f:
        for row in frame.to_dict(orient="records"):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def tables(tmp_path):
    """Training documents and unseen documents, as a coder in another tool exports them:
    doc, text, label (headings unlabelled), no position column."""
    corpus = make_corpus(n_docs=12)[["doc", "text", "label"]]
    seen = corpus["doc"].isin([f"doc{i:02d}" for i in range(1, 9)])
    train = write_jsonl(corpus[seen], tmp_path / "train.jsonl")
    test = tmp_path / "unseen.csv"
    corpus[~seen].to_csv(test, index=False, encoding="gbk")  # a Chinese Excel's CSV
    return train, test
