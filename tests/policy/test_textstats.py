import pandas as pd
import pytest

from ihms.errors import InputError
from ihms.policy.reconcile import coded_data
from ihms.policy.textstats import (
    PolicyTokenizer,
    top_terms_by_category,
    word_cloud,
    word_frequencies,
)


@pytest.fixture(scope="module")
def tokenizer():
    return PolicyTokenizer()


def test_policy_terms_stay_whole_and_boilerplate_goes(tokenizer):
    toks = tokenizer.tokens(
        "进一步推进县域医共体建设，加强家庭医生签约服务，实行医保基金总额付费、结余留用。"
    )
    assert (
        "县域医共体" in toks
        and "家庭医生签约服务" in toks
        and "总额付费" in toks
        and "结余留用" in toks
    )
    assert not {"进一步", "推进", "加强", "实行"} & set(toks)
    assert all(len(t) >= 2 for t in toks)


def test_government_bodies_stay_whole(tokenizer, tmp_path):
    # Phrases of the example corpus (examples/policies/corpus/: 2017_国家卫生计生委_医联体
    # 综合绩效考核.txt, 2016_三明市_医保基金打包支付.txt, 2017_甘肃省_对口支援.txt,
    # 2019_湖北省_互联网医院.txt). Cut without the bodies' names, 卫生计生委 left the
    # fragment 计生委 among the demo's most frequent terms (review of the demo report).
    text = (
        "国家卫生计生委办公厅。市卫生计生委加强统筹，市医保局对总医院考核。"
        "省卫生计生委、发展改革委、财政厅、人力资源社会保障厅。湖北省卫生健康委。"
    )
    bodies = {"国家卫生计生委", "卫生计生委", "医保局", "发展改革委", "人力资源社会保障厅"}
    bodies.add("卫生健康委")
    fragments = {"计生委", "计生", "局对", "改革"}
    # stop words since the review's item 14 (卫生计生委 among a tool's distinctive
    # terms): not counted, and no fragment of one is
    assert not (bodies | fragments) & set(tokenizer.tokens(text))
    # taken off the stop list, each is counted whole
    keep = tmp_path / "keep.txt"
    keep.write_text("".join(f"!{b}\n" for b in sorted(bodies)), encoding="utf-8")
    toks = set(PolicyTokenizer(stopwords=[keep]).tokens(text))
    assert bodies <= toks
    assert not fragments & toks


def test_user_dictionary_and_stop_list(tmp_path):
    words = tmp_path / "dict.txt"
    words.write_text("三师共管 100 n\n", encoding="utf-8")
    stop = tmp_path / "stop.txt"
    stop.write_text("# mine\n慢病\n", encoding="utf-8")
    tok = PolicyTokenizer(user_dict=[words], stopwords=[stop])
    toks = tok.tokens("推行慢病先行、三师共管。")
    assert "三师共管" in toks and "慢病" not in toks
    with pytest.raises(InputError, match="does not exist"):
        PolicyTokenizer(user_dict=[tmp_path / "none.txt"])


def test_word_frequencies_count_occurrences_and_texts(tokenizer):
    freq = word_frequencies(
        ["医联体建设。医联体管理。", "医联体与医共体。"], tokenizer=tokenizer
    ).set_index("term")
    assert freq.loc["医联体", "count"] == 3 and freq.loc["医联体", "texts"] == 2
    assert freq.loc["医共体", "count"] == 1


def test_word_cloud_draws_chinese(tokenizer):
    fig = word_cloud({"医联体": 10, "分级诊疗": 5, "家庭医生": 3}, width=300, height=200)
    image = fig.axes[0].images[0].get_array()
    assert image.shape[:2] == (200, 300)
    assert (image < 250).any()  # something was drawn on the white background
    with pytest.raises(InputError, match="no terms"):
        word_cloud(pd.DataFrame({"term": [], "count": []}))


def test_top_terms_by_category(coded_project, tokenizer):
    data = coded_data(coded_project)
    top = top_terms_by_category(data, "tools", n=3, tokenizer=tokenizer)
    assert set(top.columns) == {"category", "rank", "term", "count", "score"}
    assert (top.groupby("category")["rank"].max() <= 3).all()
    insurance = top[top["category"] == "Medical insurance payment"]["term"].tolist()
    # payment words: insurance, payment, global budget, bundled payment, balance retained
    # (with 医保局 whole, the fragment 医保 no longer tops the category)
    assert any(w in t for t in insurance for w in ("医保", "支付", "总额", "打包", "结余"))
    counts = top_terms_by_category(data, "tools", n=2, tokenizer=tokenizer, method="count")
    assert counts["score"].equals(counts["count"].astype(float))
    with pytest.raises(InputError, match="method"):
        top_terms_by_category(data, "tools", method="bm25")
