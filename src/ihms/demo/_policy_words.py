"""Demo step, policy words: the word cloud of the example corpus's paragraphs, the
frequency table behind it, and the most distinctive terms of each policy-tool category
— one tokenizer, so one stop list, behind all three (review of the demo report, item 14).
"""

from __future__ import annotations

import pandas as pd

from ihms.demo._policy_glossary import bilingual
from ihms.report import Section
from ihms.sources import VIHQMR_STUDY, VIHQMR_STUDY_ZH

__all__ = ["CLOUD_TERMS", "HEADERS_ZH", "words_section"]

#: the terms the word cloud draws (all fit at 900 × 450: WordCloud places each of them)
CLOUD_TERMS = 120


#: The frequency table's headers in Chinese (词语 and 频数 as ``policy words --lang zh``).
HEADERS_ZH = {
    "term": "词语",
    "occurrences": "频数",
    "paragraphs": "段落数",
    "% of paragraphs": "段落占比 %",
    "rank": "位次",
}


def _frequency_table(freq: pd.DataFrame, n_texts: int, lang: str = "en") -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "term": freq["term"].to_numpy(),
            "occurrences": freq["count"].to_numpy(),
            "paragraphs": freq["texts"].to_numpy(),
            "% of paragraphs": (100 * freq["texts"] / n_texts).round(1).to_numpy(),
        },
        index=pd.RangeIndex(1, len(freq) + 1, name="rank"),
    )
    if lang == "zh":
        table = table.rename(columns=HEADERS_ZH).rename_axis(HEADERS_ZH["rank"])
    return table


def words_section(data, zh: dict[str, str], *, lang: str = "en") -> Section:
    """The section "What the policies talk about" of coded paragraphs ``data``; ``zh``
    the Chinese of the 6D names (:func:`~ihms.demo._policy_glossary.chinese_names`),
    shown beside the English ones; ``lang="zh"``: the section in Chinese, the
    categories by their Chinese names."""
    from ihms.policy.textstats import (
        PolicyTokenizer,
        top_terms_by_category,
        word_cloud,
        word_frequencies,
    )

    tokenizer = PolicyTokenizer()
    freq = word_frequencies(data.segments["text"], tokenizer=tokenizer)
    cloud = freq.head(CLOUD_TERMS)
    n_texts = len(data.segments)
    top = top_terms_by_category(data, "tools", n=5, tokenizer=tokenizer, lang=lang)
    dim = data.codebook.dimension("tools")
    order = [dim.value_label(k, lang) for k in dim.category_keys]
    grid = top.pivot_table(index="category", columns="rank", values="term", aggfunc="first")
    grid = grid.reindex([c for c in order if c in grid.index])
    if lang == "zh":
        grid.columns.name = HEADERS_ZH["rank"]
        grid.index.name = dim.label("zh")
        return _section_zh(tokenizer, cloud, n_texts, grid)
    grid.index = [bilingual(c, zh) for c in grid.index]
    grid.index.name = "category"

    section = Section(
        "policy-words",
        "What the policies talk about",
        mirrors=f"{VIHQMR_STUDY}, word frequency and Figure 5",
    )
    section.text(
        "Word frequencies after jieba segmentation with a dictionary of policy terms (医联体, "
        "分级诊疗, 县域医共体 … stay whole) and ihms's stop list of "
        f"{len(tokenizer.stop_words)} words: function words, the names of government bodies "
        "(卫生计生委, 卫生健康委, 人民政府 …), the administrative verbs and nouns of policy "
        "prose (提供, 纳入, 给予, 措施 …) and time words (每年, 年底 …). The word cloud, the "
        "frequency table behind it and the distinctive terms of each tool category leave "
        "out the same list — none of its words appears in them; a researcher adds or takes "
        "off words with a file of their own (`ihms policy words --stopwords FILE`: one word "
        "per line, `!word` to count a listed word). The cloud draws the "
        f"{len(cloud)} most frequent terms, sized by their occurrences; the table lists "
        "them with the paragraphs they occur in, also as a share of the "
        f"{n_texts} paragraphs. The last table gives the terms that most set each tool "
        "category apart (class-based TF-IDF)."
    )
    section.figure(
        "policy_wordcloud",
        word_cloud(cloud, max_words=CLOUD_TERMS, width=900, height=450),
        caption=f"Word cloud of the {len(cloud)} most frequent terms of the {n_texts} "
        "paragraphs (table below).",
    )
    section.table(
        "policy_word_frequencies",
        _frequency_table(cloud, n_texts),
        folded=True,
        digits=1,  # the shares are rounded to 0.1: shown as 25.5, not 25.5000
        title=f"The {len(cloud)} terms of the word cloud: occurrences and paragraphs",
        notes=(
            "occurrences: times the term occurs in the paragraphs; paragraphs: paragraphs "
            f"that contain it; % of paragraphs: their share of the {n_texts} coded paragraphs.",
        ),
    )
    section.table(
        "policy_top_terms",
        grid,
        title="Five most distinctive terms of each policy-tool category (1 = most distinctive)",
        notes=(
            "Class-based TF-IDF over the paragraphs coded with each category; the "
            "categories in the codebook's order.",
        ),
    )
    return section


def _section_zh(tokenizer, cloud: pd.DataFrame, n_texts: int, grid: pd.DataFrame) -> Section:
    """The section in Chinese: the same word cloud and tables, said as the English."""
    from ihms.policy.textstats import word_cloud
    from ihms.summary import SummaryTable

    section = Section(
        "policy-words", "政策文本关注什么", mirrors=f"{VIHQMR_STUDY_ZH}，词频分析和图5"
    )
    section.text(
        "词频统计先用 jieba 分词，并加载政策术语词典（医联体、分级诊疗、县域医共体……保持完整），"
        f"再去除 ihms 的 {len(tokenizer.stop_words)} 个停用词：虚词、政府机构名称（卫生计生委、"
        "卫生健康委、人民政府……）、政策公文中的行政动词和名词（提供、纳入、给予、措施……）以及"
        "时间词（每年、年底……）。词云、其背后的频数表和各政策工具类目的特征词去除的是同一份"
        "停用词表——三者中均不出现停用词表中的任何词；研究者可用自己的文件增删停用词（`ihms policy "
        "words --stopwords FILE`：每行一个词，`!词语` 表示仍统计停用词表中的该词）。词云显示出现频数最高的 "
        f"{len(cloud)} 个词，字号按频数大小；频数表列出这些词出现的段落数，以及占全部 {n_texts} "
        "个段落的比例。最后一张表给出最能区分各政策工具类目的词（基于类别的 TF-IDF）。"
    )
    section.figure(
        "policy_wordcloud",
        word_cloud(cloud, max_words=CLOUD_TERMS, width=900, height=450),
        caption=f"{n_texts} 个段落中出现频数最高的 {len(cloud)} 个词的词云（见下表）。",
    )
    frequencies = SummaryTable(
        _frequency_table(cloud, n_texts, "zh"),
        digits=1,
        title=f"词云中的 {len(cloud)} 个词：频数与段落数",
        notes=(
            "频数：该词在各段落中出现的次数；段落数：含有该词的段落数；段落占比 %：含有该词的"
            f"段落占全部 {n_texts} 个已编码段落的比例。",
        ),
        lang="zh",
    )
    section.table("policy_word_frequencies", frequencies, folded=True)
    top = SummaryTable(
        grid,
        title="各政策工具类目最具区分度的五个词（1 = 区分度最高）",
        notes=("基于类别的 TF-IDF，按各类目编码的段落计算；类目按编码表的顺序排列。",),
        lang="zh",
    )
    section.table("policy_top_terms", top)
    return section
