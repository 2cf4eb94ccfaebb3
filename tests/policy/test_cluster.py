import pytest

from ihms.errors import InputError
from ihms.policy.cluster import cluster_answers

ANSWERS = {
    "远程医疗": 20, "远程会诊": 9, "远程影像": 4,
    "县域医共体": 30, "医共体": 3, "县域医疗共同体": 2,
    "对口支援": 15, "对口帮扶": 4,
}  # fmt: skip


def test_themes_group_related_answers():
    result = cluster_answers(ANSWERS, k=3)
    theme = dict(zip(result.assignments["answer"], result.assignments["theme"], strict=True))
    assert theme["远程医疗"] == theme["远程会诊"] == theme["远程影像"]
    assert theme["对口支援"] == theme["对口帮扶"]
    assert theme["县域医共体"] == theme["医共体"]
    assert len(set(theme.values())) == 3
    assert result.themes["count"].sum() == sum(ANSWERS.values())
    assert (
        result.themes.iloc[0]["label"] == "县域医共体"
    )  # largest theme first, named by its top answer


def test_k_chosen_by_silhouette_is_deterministic():
    a, b = cluster_answers(ANSWERS), cluster_answers(ANSWERS)
    assert a.k == b.k and a.assignments.equals(b.assignments)
    assert 2 <= a.k <= 7 and a.silhouette > 0


def test_bad_input():
    with pytest.raises(InputError, match="at least 3"):
        cluster_answers({"a": 1, "b": 2})
    with pytest.raises(InputError, match="k must be"):
        cluster_answers(ANSWERS, k=8)
