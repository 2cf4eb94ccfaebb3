import pickle

import numpy as np
import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy.autocode import SegmentFeatures, clean_segment_text


def _blocks(features, matrix):
    names = features.get_feature_names_out()
    kinds = np.array([n.split(":", 1)[0] for n in names])
    return {k: matrix[:, kinds == k].toarray() for k in dict.fromkeys(kinds)}


def test_context_blocks_hold_the_neighbours_own_ngrams(segments):
    f = SegmentFeatures(context_weight=0.5, section_weight=0.5).fit(segments)
    blocks = _blocks(f, f.transform(segments))
    own, prev, nxt = blocks["own"], blocks["prev"], blocks["next"]
    docs = segments["doc"].to_numpy()
    for i in range(1, len(segments)):
        if docs[i] == docs[i - 1]:
            np.testing.assert_allclose(prev[i], 0.5 * own[i - 1], rtol=1e-6)
            np.testing.assert_allclose(nxt[i - 1], 0.5 * own[i], rtol=1e-6)
        else:  # context never crosses into another document
            assert not prev[i].any() and not nxt[i - 1].any()


def test_section_block_is_shared_within_a_section(segments):
    f = SegmentFeatures().fit(segments)
    section = _blocks(f, f.transform(segments))["section"]
    # the corpus opens each section with "一、" .. "四、" headings: rows 0..3 share one
    np.testing.assert_allclose(section[1], section[3], rtol=1e-6)
    assert not np.allclose(section[3], section[4])
    np.testing.assert_allclose(np.linalg.norm(section[0]), 0.5, rtol=1e-5)


def test_rows_keep_the_callers_order(segments):
    f = SegmentFeatures().fit(segments)
    shuffled = segments.sample(frac=1.0, random_state=3)
    a = f.transform(segments).toarray()
    b = f.transform(shuffled).toarray()
    np.testing.assert_allclose(b, a[segments.index.get_indexer(shuffled.index)], rtol=1e-6)


def test_position_and_metadata_blocks(segments):
    meta = segments.assign(level=np.where(segments["doc"] < "doc05", "省级", "县级"))
    f = SegmentFeatures(metadata=["level"], metadata_weight=0.2, position_weight=0.1).fit(meta)
    blocks = _blocks(f, f.transform(meta))
    assert set(f.metadata_levels_["level"]) == {"省级", "县级"}
    np.testing.assert_allclose(blocks["level"].sum(axis=1), 0.2, rtol=1e-6)
    np.testing.assert_allclose(blocks["position"].sum(axis=1), 0.1, rtol=1e-6)
    first_rows = meta["position"].to_numpy() == 0
    assert (blocks["position"][first_rows, 0] > 0).all()
    with pytest.raises(InputError, match="column 'level'"):
        f.transform(segments)


def test_user_dictionary_keeps_policy_terms_whole():
    texts = ["推进紧密型医共体建设。", "紧密型医共体统一管理。"] * 3
    plain = SegmentFeatures(words=True, min_df=1).fit(texts)
    custom = SegmentFeatures(words=True, user_dictionary=["紧密型医共体"], min_df=1).fit(texts)
    assert "紧密型医共体" not in plain.word_vectorizer_.vocabulary_
    assert "紧密型医共体" in custom.word_vectorizer_.vocabulary_


def test_each_text_is_segmented_once_per_dictionary(monkeypatch):
    # a 5-fold evaluation asked jieba ~40,000 times for a few hundred paragraphs: every
    # fold's fit and each transform segmented the same texts again (CI time, session 38)
    from ihms.policy.autocode import features

    dictionary = ("首诊责任制试点词",)  # a dictionary of this test alone
    tokenizer = features._jieba_tokenizer(dictionary)
    real, asked = tokenizer.lcut, []
    monkeypatch.setattr(tokenizer, "lcut", lambda text: asked.append(text) or real(text))
    words = features._JiebaWords(dictionary)
    texts = ["落实首诊责任制试点词。", "加强 人才 培养。", "含\x00的文本。"]
    first = [words(t) for t in texts]
    assert [words(t) for t in texts] == first
    assert first == [[w for w in real(t) if w.strip()] for t in texts]
    assert "首诊责任制试点词" in first[0] and "" not in first[1]
    # the words are kept joined by NUL: a text holding one is segmented every time
    assert asked == [*texts, texts[2]]


def test_word_features_survive_pickling():
    f = SegmentFeatures(words=True, user_dictionary=["医共体"], min_df=1).fit(
        ["建设医共体。", "加强管理。"]
    )
    again = pickle.loads(pickle.dumps(f))
    np.testing.assert_allclose(
        again.transform(["医共体管理。"]).toarray(), f.transform(["医共体管理。"]).toarray()
    )


def test_clean_text_examples():
    assert clean_segment_text("（三）给予300万元补助。") == "（三）给予000万元补助。"
    assert clean_segment_text("第五条 给予补助。", strip_numbering=True) == "给予补助。"
    assert clean_segment_text("1.申报材料", strip_numbering=True, fold_digits=False) == "申报材料"
    # a number that is not a list mark stays
    assert clean_segment_text("2.5万元", strip_numbering=True, fold_digits=False) == "2.5万元"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"char_ngram_range": (3, 1)}, "char_ngram_range"),
        ({"context_weight": -1}, "context_weight"),
        ({"min_df": 0}, "min_df"),
    ],
)
def test_bad_parameters(params, message):
    with pytest.raises(InputError, match=message):
        SegmentFeatures(**params).fit(["甲乙", "丙丁"])


def test_metadata_needs_a_table():
    with pytest.raises(InputError, match="need segments given as a table"):
        SegmentFeatures(metadata=["level"]).fit(["甲乙", "丙丁"])
    with pytest.raises(InputError, match="not among the segments' columns"):
        SegmentFeatures(metadata=["level"]).fit(pd.DataFrame({"text": ["甲乙"]}))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"context_weight": 0.0, "section_weight": 0.0, "position_weight": 0.0},
        {"words": True, "metadata": ["level"], "context_weight": 0.3, "section_weight": 0.8},
    ],
)
def test_block_scores_equal_the_stacked_matrix_product(segments, params):
    data = segments.assign(level=np.where(segments["doc"] < "doc05", "省级", "县级"))
    f = SegmentFeatures(**params).fit(data)
    blocks = f.blocks(data)
    matrix = blocks.to_matrix()
    rng = np.random.default_rng(11)
    coef = rng.normal(size=(3, matrix.shape[1]))
    intercept = rng.normal(size=3)
    np.testing.assert_allclose(
        blocks.linear_scores(coef, intercept), matrix @ coef.T + intercept, rtol=1e-5, atol=1e-6
    )
