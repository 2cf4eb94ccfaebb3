"""Every kind of an evaluation's note (:class:`~ihms.policy.autocode._notes.Note`) is
said in Chinese from its kind and numbers, never recognised from its English wording;
and which notes a project evaluation shows is decided once for both languages."""

from __future__ import annotations

import copy
import pickle
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from tests.demo.zh_check import english_left

from ihms.policy.autocode._cuts import fold_cut_note
from ihms.policy.autocode._evaluation_zh import CHINESE
from ihms.policy.autocode._notes import ENGLISH, Note, said_in
from ihms.policy.autocode._repeats import repeat_note, repeat_summary
from ihms.policy.autocode.bootstrap import AgreementBootstrap
from ihms.policy.autocode.evaluate import _uncalibrated_note
from ihms.policy.autocode.project_evaluation import ProjectEvaluation
from ihms.policy.autocode.rules_evaluation import _copies_note

LABELS = {"medicine-supply.v2": "药品供应", "demonstration_project": "示范试点", "d": "政策工具"}
#: names a Chinese note keeps as typed: statistics, a Python setting, a command option
ALLOWED = ("Jaccard", "5-gram", "F1", "twins_together=True", "--twins-together",
           "--min-probability", "ihms.stats.agreement", "bootstrap")  # fmt: skip


def _interval(clusters: int | None = None, undefined: int = 0) -> AgreementBootstrap:
    replicates = np.r_[np.full(undefined, np.nan), np.linspace(0.3, 0.6, 10)]
    return AgreementBootstrap(
        kappa=0.45, low=0.35, high=0.53, categories=pd.DataFrame(), replicates=replicates,
        n_boot=2000, level=0.95, seed=0, n_documents=31, n_clusters=clusters,
    )  # fmt: skip


#: one note of every kind, with the numbers that make each of its branches
EVERY_KIND = [
    Note("copies in fold", docs=("p01", "p02"), threshold=0.8),
    _copies_note(("p01", "p02")),  # at DUPLICATE_THRESHOLD, 0.9
    _uncalibrated_note([(1, 46), (3, 40)]),
    fold_cut_note({"medicine-supply.v2": {"never": 1}, "demonstration_project": {"always": 2}}, 5),
    Note("twins", n=12, total=212, rest=200, kappa=0.5),
    Note("twins", n=12, total=12, rest=0, kappa=None),
    Note("unseen", categories=("medicine-supply.v2",)),
    Note("unseen", categories=("medicine-supply.v2", "demonstration_project")),
    Note("rules", n_rules=4, n_categories=5),
    *repeat_note(repeat_summary([0.4, 0.5, 0.45], seed=7)),
    Note("title rules", name="政策工具", n_documents=31, n_training=212),
    Note("title folds", name="政策工具", n_splits=5, n_documents=31, n_training=212),
    Note("method rules", rules=Note("rules", n_rules=4, n_categories=5)),
    Note("method folds"),
    Note("human few", coders=()),
    Note("human few", coders=("ann",)),
    Note("human pair", coders=("ann", "bo")),
    Note("machine interval", interval=_interval()),
    Note("machine interval", interval=_interval(clusters=29, undefined=3)),
    Note("human interval", level=0.95),
    Note("human no interval"),
    Note("machine only", n=1),
]


def test_every_kind_is_covered():
    assert {n.kind for n in EVERY_KIND} == set(ENGLISH) == set(CHINESE)


@pytest.mark.parametrize("note", EVERY_KIND, ids=lambda n: n.kind)
def test_every_kind_is_said_in_chinese(note):
    zh = note.said("zh", LABELS)
    assert zh and zh != str(note)
    assert english_left(zh, ALLOWED) == []
    assert "：。" not in zh and "（）" not in zh  # no empty list of folds or categories
    assert note.said("en") == str(note) == said_in("en", note)


def test_the_notes_chinese_from_their_numbers():
    # worked by hand from the params above
    refused = EVERY_KIND[3].said("zh", LABELS)
    assert refused.startswith(
        "各折模型拒绝了调优阈值：药品供应：5 折中的 1 折（在该折中从未编码）；示范试点：5 折中的 2 折"
        "（在这些折的每个片段上都有编码）。在这些折的校准片段上，"
    )
    assert "p ≥ 0.05" in refused
    assert (
        EVERY_KIND[2]
        .said("zh")
        .startswith("第 1 折（46 个片段）、第 3 折（40 个片段）的模型无法校准")
    )
    assert EVERY_KIND[1].said("zh") == (
        "文件 p01、p02 为近乎相同的副本（字符 5-gram 的 Jaccard 系数 ≥ 0.9），自助法（bootstrap）"
        "重抽时一起抽取。"
    )
    assert EVERY_KIND[7].said("zh", LABELS) == (
        "没有人编码过“药品供应”、“示范试点”：规则给出的这些类目编码不计入比较。"
    )
    assert (
        Note("method rules", rules=EVERY_KIND[8])
        .said("zh")
        .startswith("机器：4 条关键词规则，覆盖 5 个类目。")
    )
    assert "在没有孪生片段的 200 个片段上，κ = 0.500。" in EVERY_KIND[4].said("zh")


def test_a_note_of_another_origin_stays_as_written():
    assert said_in("zh", "A note of another kind.") == "A note of another kind."


def test_a_note_keeps_its_kind_through_pickle_and_copy():
    note = EVERY_KIND[3]
    for again in (pickle.loads(pickle.dumps(note)), copy.deepcopy(note)):
        assert again == note and again.said("zh", LABELS) == note.said("zh", LABELS)


def _evaluation(**given) -> ProjectEvaluation:
    ev = SimpleNamespace(
        n_documents=31, n_training=212, n_splits=5, interval=given.pop("interval", None),
        notes=(Note("twins", n=1, total=212, rest=211, kappa=0.5),),
    )  # fmt: skip
    table = pd.DataFrame(
        {"dimension / category": ["d", "  medicine-supply.v2"],
         "machine vs reconciled kappa": [0.4, 0.5], "human vs human kappa": [0.6, 0.7]}
    )  # fmt: skip
    return ProjectEvaluation(
        "d", ev, table, labels={"d": "policy tools"}, labels_zh=LABELS, **given
    )


BRANCHES = {
    "folds, two coders": ({"human_coders": ("ann", "bo")},
                          ["title folds", "method folds", "human pair"]),
    "rules, one coder, interval": (
        {"human_coders": ("ann",), "rules": Note("rules", n_rules=4, n_categories=5),
         "interval": _interval()},
        ["title rules", "method rules", "human few", "machine interval"]),
    "human interval, machine only": (
        {"human_coders": ("ann", "bo"), "interval": _interval(),
         "human_interval": _interval(), "n_machine_only": 3},
        ["title folds", "method folds", "human pair", "machine interval", "human interval",
         "machine only"]),
    "three coders, repeats": (
        {"human_coders": ("ann", "bo", "cy"), "interval": _interval(),
         "repeat_kappas": (0.4, 0.5), "settings": {"seed": 3}},
        ["title folds", "method folds", "human pair", "machine interval", "human no interval",
         "repeats"]),
}  # fmt: skip


@pytest.mark.parametrize("branch", list(BRANCHES))
def test_each_branch_of_the_summary_in_both_languages(branch):
    given, kinds = BRANCHES[branch]
    pe = _evaluation(**given)
    assert [n.kind for n in pe._notes(pe.labels)] == kinds
    en, zh = pe.summary(), pe.summary(lang="zh")
    assert len(en.notes) == len(zh.notes) == len(kinds)  # the title, then one note per kind
    assert en.title.startswith(
        ("Machine vs human, policy tools", "Keyword rules vs human, policy tools")
    )
    assert "政策工具" in zh.title and zh.lang == "zh"
    for text in (zh.title, *zh.notes, *map(str, zh.frame.columns), zh.frame.index.name):
        assert english_left(text, ALLOWED) == [], text
    assert zh.notes[-1].startswith("212 个留出片段中有 1 个")
    assert list(zh.frame.index) == ["政策工具", "  药品供应"]
