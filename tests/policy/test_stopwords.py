"""The stop list the word frequencies, the word cloud and the top terms share (review of
the demo report, item 14: 卫生计生委 among a category's distinctive terms, 每年, 给予, 体现 …
in the top-5 lists, 提供, 制定, 纳入, 组织 in the word cloud)."""

import warnings

import pytest

from ihms.errors import IhmsWarning, InputError
from ihms.policy.textstats import PolicyTokenizer, read_stopwords

#: the words the review found in the demo report's cloud and top-term lists
REVIEWED = {"卫生计生委", "每年", "给予", "体现", "符合条件", "帮助", "活动", "总结", "地区"}
REVIEWED |= {"提供", "制定", "纳入", "组织"}

#: sentences of the example corpus (examples/policies/corpus/: 2017_四川省_专科联盟.txt,
#: 2019_湖北省_互联网医院.txt, 2017_杭州市_城市医联体.txt, 2015_国务院办公厅_分级诊疗制度.txt,
#: 2018_国家卫生健康委_互联网诊疗管理.txt), whose boilerplate the demo counted
SENTENCES = (
    "联盟核心单位每年免费接收成员单位专科医师进修，开展规范化培训。"
    "将符合条件的互联网诊疗服务纳入医保支付范围，合理确定服务价格。"
    "市财政对医联体建设给予专项补助，市卫生计生委将医联体建设纳入市属医院目标考核。"
    "各地要开展分级诊疗试点，及时总结推广经验，加强宣传引导。"
    "为规范互联网诊疗活动，推动互联网医疗服务健康快速发展，我委组织制定了本办法。"
    "推广专科诊疗规范和适宜技术，帮助成员单位开展新技术。"
    "省人民政府、湖北省卫生健康委、国家卫生健康委办公厅。"
)


@pytest.fixture(scope="module")
def tokenizer():
    return PolicyTokenizer()


def test_the_reviewed_boilerplate_is_on_the_built_in_list(tokenizer):
    bodies = {"卫生计生委", "国家卫生计生委", "卫生健康委", "国家卫生健康委", "人民政府", "办公厅"}
    assert REVIEWED | bodies <= tokenizer.stop_words


def test_boilerplate_of_the_example_corpus_is_not_counted(tokenizer):
    toks = set(tokenizer.tokens(SENTENCES))
    assert not toks & tokenizer.stop_words
    assert not toks & REVIEWED
    # the bodies' names are stopped whole: no fragment of one is counted either
    assert not toks & {"人民", "政府", "计生委", "卫生", "健康委"}
    # the content stays
    assert {"规范化培训", "互联网诊疗", "医保支付", "专项", "补助", "分级诊疗", "适宜技术"} <= toks


def test_a_user_file_adds_and_removes_stop_words(tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text(
        "# our own list (NVivo/KH Coder style: one word per line)\n"
        "专项\n"
        "!提供   # we count 提供: who provides what is our question\n"
        "!卫生计生委\n\n",
        encoding="utf-8",
    )
    tok = PolicyTokenizer(stopwords=[stop])
    assert "专项" in tok.stop_words and not {"提供", "卫生计生委"} & tok.stop_words
    toks = tok.tokens("市卫生计生委为社区提供专项补助。")
    # a body taken off the stop list is counted whole, never as a fragment (计生委)
    assert toks == ["卫生计生委", "社区", "提供", "补助"]
    assert read_stopwords([stop]) == [("专项", True), ("提供", False), ("卫生计生委", False)]


def test_files_apply_in_order(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("!提供\n", encoding="utf-8")
    second.write_text("提供\n", encoding="utf-8")
    assert "提供" in PolicyTokenizer(stopwords=[first, second]).stop_words
    assert "提供" not in PolicyTokenizer(stopwords=[second, first]).stop_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "专项\n卫生计生委 2000 nt\n",
            r"line 2: expected one word per line, got '卫生计生委 2000 nt'",
        ),
        ("# 注释\n!\n", r"line 2: expected a word after '!'"),
        ("专项 补助\n", r"line 1: expected one word per line"),
    ],
)
def test_a_bad_stop_word_file_names_file_and_line(tmp_path, text, expected):
    stop = tmp_path / "mine.txt"
    stop.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"stop-word file '.*mine\.txt' " + expected):
        PolicyTokenizer(stopwords=[stop])
    with pytest.raises(InputError, match=r"stop-word file '.*none\.txt' does not exist"):
        PolicyTokenizer(stopwords=[tmp_path / "none.txt"])


def test_removing_a_word_that_is_not_stopped_warns(tmp_path):
    # not an error: a list kept across ihms versions may name a word the built-in list
    # no longer has
    stop = tmp_path / "keep.txt"
    stop.write_text("!医联体\n", encoding="utf-8")
    with pytest.warns(IhmsWarning, match=r"keep\.txt' line 1: '医联体' is not a stop word"):
        tok = PolicyTokenizer(stopwords=[stop])
    assert "医联体" in tok.tokens("医联体建设")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        PolicyTokenizer()  # the built-in list alone warns of nothing


def test_a_file_from_a_chinese_windows_editor_reads(tmp_path):
    # Notepad writes UTF-8 with a byte-order mark, older editors GBK: the same words
    bom, gbk = tmp_path / "bom.txt", tmp_path / "gbk.txt"
    bom.write_bytes("\ufeff!提供\n专项\n".encode())
    gbk.write_bytes("!提供\n专项\n".encode("gbk"))
    expected = [("提供", False), ("专项", True)]
    assert read_stopwords([bom]) == expected and read_stopwords([gbk]) == expected
