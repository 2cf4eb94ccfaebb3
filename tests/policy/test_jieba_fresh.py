"""Tokenizers copied from one load of jieba's main dictionary cut as jieba's own, and
keep the words added to them to themselves (src/ihms/policy/_jieba.py)."""

from __future__ import annotations

import jieba

from ihms.policy._jieba import fresh_tokenizer
from ihms.policy.textstats import PolicyTokenizer

TEXT = "推进紧密型县域医共体建设，完善医保基金总额付费，结余留用、合理超支分担。"


def test_a_copy_cuts_as_a_tokenizer_that_loaded_the_dictionary_itself():
    loaded = jieba.Tokenizer()
    loaded.initialize()
    copy = fresh_tokenizer()
    assert copy.lcut(TEXT) == loaded.lcut(TEXT)
    assert (copy.total, len(copy.FREQ)) == (loaded.total, len(loaded.FREQ))


def test_a_word_added_to_one_tokenizer_reaches_no_other():
    one, other = fresh_tokenizer(), fresh_tokenizer()
    one.add_word("总额付费", freq=2000)
    assert "总额付费" in one.lcut(TEXT)
    assert "总额付费" not in other.lcut(TEXT)
    assert "总额付费" not in fresh_tokenizer().lcut(TEXT)
    assert "总额付费" not in jieba.lcut(TEXT)


def test_a_project_dictionary_stays_with_its_tokenizer(tmp_path):
    words = tmp_path / "dict.txt"
    words.write_text("合理超支分担 100\n", encoding="utf-8")
    with_dict = PolicyTokenizer(user_dict=[words])
    assert "合理超支分担" in with_dict.tokens(TEXT)
    assert "合理超支分担" not in PolicyTokenizer().tokens(TEXT)
