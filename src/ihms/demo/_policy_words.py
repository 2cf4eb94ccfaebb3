"""Demo step, policy words: the word cloud of the example corpus's paragraphs, the
frequency table behind it, and the most distinctive terms of each policy-tool category
— one tokenizer, so one stop list, behind all three (review of the demo report, item 14).
"""

from __future__ import annotations

import pandas as pd

from ihms.demo._policy_glossary import bilingual
from ihms.report import Section
from ihms.sources import VIHQMR_STUDY

__all__ = ["CLOUD_TERMS", "words_section"]

#: the terms the word cloud draws (all fit at 900 × 450: WordCloud places each of them)
CLOUD_TERMS = 120


def _frequency_table(freq: pd.DataFrame, n_texts: int) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "term": freq["term"].to_numpy(),
            "occurrences": freq["count"].to_numpy(),
            "paragraphs": freq["texts"].to_numpy(),
            "% of paragraphs": (100 * freq["texts"] / n_texts).round(1).to_numpy(),
        },
        index=pd.RangeIndex(1, len(freq) + 1, name="rank"),
    )
    return table


def words_section(data, zh: dict[str, str]) -> Section:
    """The section "What the policies talk about" of coded paragraphs ``data``; ``zh``
    the Chinese of the 6D names (:func:`~ihms.demo._policy_glossary.chinese_names`)."""
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
    top = top_terms_by_category(data, "tools", n=5, tokenizer=tokenizer)
    dim = data.codebook.dimension("tools")
    order = [dim.value_label(k) for k in dim.category_keys]
    grid = top.pivot_table(index="category", columns="rank", values="term", aggfunc="first")
    grid = grid.reindex([c for c in order if c in grid.index])
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
