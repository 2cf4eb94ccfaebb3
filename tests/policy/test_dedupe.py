from dataclasses import dataclass

import pytest

from ihms.errors import InputError
from ihms.policy.dedupe import find_duplicates


@dataclass(frozen=True)
class Doc:
    id: str
    doc_number: str | None
    text: str


BODY = (
    "推进医疗联合体建设，城市三级医院牵头组建医疗集团，县域组建医共体，促进优质资源下沉。"
    "各地要完善医保总额付费，建立结余留用、合理超支分担机制，引导患者基层首诊。"
    "牵头医院向成员单位派驻专家，开展远程会诊和检查检验结果互认，提升基层服务能力。"
    "将医联体建设纳入政府绩效考核，考核结果与财政补助和医保支付挂钩，定期通报。"
)


def test_example_corpus_duplicates(example_corpus):
    dups = {d.doc_id: d for d in find_duplicates(example_corpus.documents)}
    assert set(dups) == {"X01", "X02"}
    assert (dups["X01"].duplicate_of, dups["X01"].criterion) == ("N02", "document number")
    assert (dups["X02"].duplicate_of, dups["X02"].criterion) == ("P05", "near-identical text")


def test_near_identical_threshold():
    a = Doc("a", None, BODY)
    b = Doc("b", None, BODY.replace("促进", "推动", 1))
    c = Doc("c", None, "完全不同的文本，关于家庭医生签约服务的考核办法。" * 3)
    out = find_duplicates([a, b, c])
    assert [(d.doc_id, d.duplicate_of, d.criterion) for d in out] == [
        ("b", "a", "near-identical text")
    ]
    assert find_duplicates([a, b, c], threshold=0.99) == []


def test_kept_document_has_a_number_then_longest_text():
    a = Doc("a", None, BODY)
    b = Doc("b", "国办发〔2017〕32号", BODY)
    out = find_duplicates([a, b])
    assert [(d.doc_id, d.duplicate_of) for d in out] == [("a", "b")]


def test_transitive_groups_keep_one():
    docs = [
        Doc("a", "X〔2017〕1号", "甲" * 50),
        Doc("b", "X〔2017〕1号", BODY),
        Doc("c", None, BODY),
    ]
    out = find_duplicates(docs)
    assert {d.doc_id for d in out} == {"a", "c"}
    assert {d.duplicate_of for d in out} == {"b"}


def test_bad_threshold():
    with pytest.raises(InputError, match="threshold"):
        find_duplicates([], threshold=0)
