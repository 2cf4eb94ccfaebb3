"""Word statistics of policy texts: jieba segmentation with a dictionary of policy
terms and a stop list, word frequencies, a word cloud in a CJK font, and the top terms
of each category of a coded dimension.

The dictionary (``resources/policy_terms.txt``) keeps terms such as 医联体, 分级诊疗 and
县域医共体 whole, and the names of health and government bodies (卫生计生委, 卫生健康委,
医保局, 发展改革委), which jieba would otherwise cut into fragments such as 计生委; the stop
list (``resources/stopwords.txt``) drops function words, those bodies' names, the
administrative verbs and nouns of policy prose (加强, 推进, 提供, 纳入, 给予, 措施 ...) and
time words (每年, 年底 ...). One tokenizer holds one stop list
(:attr:`PolicyTokenizer.stop_words`), which the word frequencies, the word cloud drawn
from them and the top terms of each category share. The dictionary can be extended with
the user's own files in jieba's format; stop-word files (one word per line, ``#``
comments, ``!word`` to take a word off the list: :func:`read_stopwords`) change the stop
list in order. The dictionary also takes a codebook's open answers
(:func:`codebook_terms`: every spelling in its synonym lists, so 三级公立医院 and 县域龙头医院
are counted whole, as the VI-HQMR policy study built its custom dictionary from the coding results).
Stop words of two or more characters are also dictionary words, so jieba cannot cut one
(不少于) into a piece that is not on the list (不少). The tokenizer is a private
``jieba.Tokenizer``, so the user dictionary never leaks into other jieba users in the
same process.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

from ihms._decode import read_text
from ihms._words import check_lang
from ihms.errors import InputError
from ihms.policy._jieba import fresh_tokenizer
from ihms.policy._stopwords import StopListText, apply_stopwords, read_stopwords

__all__ = [
    "FREQUENCY_HEADERS_ZH",
    "PolicyTokenizer",
    "answer_frequencies",
    "builtin_stopwords",
    "codebook_terms",
    "read_dictionary",
    "read_stopwords",
    "top_terms_by_category",
    "word_cloud",
    "word_frequencies",
]

_WORD = re.compile(r"^[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z0-9+\-]*$")


def _resource(name: str) -> str:
    return (files("ihms.policy") / "resources" / name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def builtin_stopwords() -> frozenset[str]:
    """ihms's stop list of policy boilerplate (``resources/stopwords.txt``)."""
    return frozenset(_lines(_resource("stopwords.txt")))


def read_dictionary(paths: Sequence[str | Path], *, what: str = "user dictionary") -> list[str]:
    """The entries of jieba dictionary files (``term [frequency] [tag]`` per line, ``#``
    comments and blank lines skipped), in file order; a missing file is an
    :class:`~ihms.errors.InputError` naming it."""
    lines: list[str] = []
    for path in paths:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{what} {str(p)!r} does not exist")
        lines += _lines(read_text(p, name=f"{what} {p}"))
    return lines


@dataclass
class PolicyTokenizer:
    """jieba segmentation for policy texts.

    Parameters
    ----------
    user_dict
        Extra dictionary files (jieba format: ``term [frequency] [tag]`` per line).
    stopwords
        Stop-word files applied in order to the built-in list (one word per line,
        ``#`` comments, ``!word`` takes a word off the list; :func:`read_stopwords`), or
        stop lists held as text (a project's own:
        :func:`ihms.policy.project_stopwords.project_tokenizer` puts it first).
    min_length
        Shortest token kept (2 drops single characters).
    default_resources
        Use ihms's policy-term dictionary and stop list as well.
    terms
        Extra words kept whole (e.g. :func:`codebook_terms`).
    """

    user_dict: Sequence[str | Path] = ()
    stopwords: Sequence[str | Path | StopListText] = ()
    terms: Sequence[str] = ()
    min_length: int = 2
    default_resources: bool = True
    _tokenizer: object = field(default=None, init=False, repr=False)
    _stop: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def __post_init__(self) -> None:
        tok = fresh_tokenizer()
        terms = _lines(_resource("policy_terms.txt")) if self.default_resources else []
        terms += read_dictionary(self.user_dict)
        for line in terms:
            parts = line.split()
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tok.add_word(parts[0], freq=freq, tag=parts[2] if len(parts) > 2 else None)
        for term in self.terms:
            if str(term).strip():
                tok.add_word(str(term).strip(), freq=2000)  # as the policy terms
        built_in = set(builtin_stopwords()) if self.default_resources else set()
        stop = apply_stopwords(built_in, self.stopwords)
        known = {line.split()[0] for line in terms}
        # kept whole, so no piece of one (不少 of 不少于, 计生委 of 卫生计生委) is counted,
        # also when a user file takes it off the list; the dictionary's own frequencies
        # stay
        for word in sorted((stop | built_in) - known):
            if len(word) >= 2:
                tok.add_word(word)
        self._tokenizer = tok
        self._stop = frozenset(stop)

    @property
    def stop_words(self) -> frozenset[str]:
        """The words this tokenizer never counts: the built-in list (function words,
        the names of government bodies, administrative verbs, time words) changed by
        the ``stopwords`` files."""
        return self._stop

    def tokens(self, text: str) -> list[str]:
        """Content words of ``text`` in order (stop words, numbers, punctuation and
        tokens shorter than ``min_length`` dropped)."""
        out = []
        for tok in self._tokenizer.cut(text or "", HMM=True):
            tok = tok.strip()
            if len(tok) >= self.min_length and tok not in self._stop and _WORD.match(tok):
                out.append(tok)
        return out


def codebook_terms(codebook, *, tokenizer: PolicyTokenizer | None = None) -> list[str]:
    """The spellings of ``codebook``'s open answers to keep whole as words, for
    ``PolicyTokenizer(terms=...)``: those (of two or more characters, with a Chinese one)
    that ``tokenizer`` (default: the policy dictionary alone) would cut into pieces none
    of which names the same answer — 三级公立医院 (三级 | 公立医院) and 县域龙头医院 are kept
    whole; 医联体建设 (医联体 | 建设) is not, so its 医联体 still counts as 医联体."""
    tokenizer = tokenizer or PolicyTokenizer()
    out: list[str] = []
    for dim in codebook.dimensions:
        if dim.kind != "open":
            continue
        variants = dim.variants()
        for spelling, canon in variants.items():
            if len(spelling) < 2 or not re.search(r"[\u3400-\u9fff]", spelling):
                continue
            pieces = list(tokenizer._tokenizer.cut(spelling, HMM=False))
            if len(pieces) > 1 and not any(variants.get(p) == canon for p in pieces):
                out.append(spelling)
    return list(dict.fromkeys(out))


def word_frequencies(
    texts: Iterable[str], *, tokenizer: PolicyTokenizer | None = None, top: int | None = None
) -> pd.DataFrame:
    """Term frequencies: ``term``, ``count`` (occurrences) and ``texts`` (texts that
    contain it), most frequent first."""
    tokenizer = tokenizer or PolicyTokenizer()
    counts: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for text in texts:
        toks = tokenizer.tokens(text)
        counts.update(toks)
        docs.update(set(toks))
    frame = pd.DataFrame({"term": list(counts), "count": list(counts.values())})
    frame["texts"] = frame["term"].map(docs)
    frame = frame.sort_values(["count", "term"], ascending=[False, True]).reset_index(drop=True)
    return frame.head(top) if top else frame


#: The Chinese headers of a frequency table (:func:`word_frequencies`, whose ``texts``
#: ``policy words`` names ``segments``, and :func:`answer_frequencies`), for files and
#: tables meant for people; ``--json`` keeps the English keys.
FREQUENCY_HEADERS_ZH = {
    "term": "词语",
    "count": "频数",
    "texts": "文本数",
    "segments": "文本段数",
    "documents": "文件数",
}


def answer_frequencies(data, dimension: str, *, lang: str = "en") -> pd.DataFrame:
    """How often each answer of a coded dimension was given, as :func:`word_frequencies`
    lays it out (``term``: the answer named in ``lang``; ``count``: the segments coded
    with it; ``documents``: the documents those segments are in), most frequent first, ties
    in the codebook's order — the input of the VI-HQMR policy study's word cloud of the top 50
    symbiotic models.

    Raises
    ------
    InputError
        No codings of the dimension, or ``lang`` not ``en``/``zh``.
    """
    check_lang(lang)
    dim = data.codebook.dimension(dimension)
    part = data.long.loc[data.long["dimension"] == dim.key, ["segment_id", "doc_id", "value"]]
    part = part[part["value"] != ""].drop_duplicates()
    if part.empty:
        raise InputError(f"no codings of {dim.key!r}")
    counts = part["value"].value_counts()
    documents = part.groupby("value")["doc_id"].nunique()
    keys = sorted(counts.index, key=lambda k: (-counts[k], dim.sort_key(k)))
    return pd.DataFrame(
        {
            "term": [dim.value_label(k, lang) for k in keys],
            "count": [int(counts[k]) for k in keys],
            "documents": [int(documents[k]) for k in keys],
        }
    )


def word_cloud(
    frequencies: pd.DataFrame | dict[str, int],
    *,
    font: str | Path | None = None,
    width: int = 900,
    height: int = 500,
    max_words: int = 150,
    seed: int = 0,
    title: str = "",
):
    """A matplotlib figure of a word cloud drawn in a CJK font (see
    :func:`ihms.fonts.find_cjk_font`; ``font`` overrides)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from wordcloud import WordCloud

    from ihms.fonts import find_cjk_font, use_cjk_font

    if isinstance(frequencies, pd.DataFrame):
        freq = dict(zip(frequencies["term"], frequencies["count"], strict=True))
    else:
        freq = dict(frequencies)
    if not freq:
        raise InputError("word cloud: no terms to draw")
    cloud = WordCloud(
        font_path=find_cjk_font(font),
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        random_state=seed,
        prefer_horizontal=0.95,
        colormap="viridis",
    ).generate_from_frequencies(freq)
    use_cjk_font(font)
    fig, ax = plt.subplots(figsize=(width / 100, height / 100))
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.axis("off")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def top_terms_by_category(
    data,
    dimension: str,
    *,
    n: int = 10,
    tokenizer: PolicyTokenizer | None = None,
    method: str = "tfidf",
    lang: str = "en",
) -> pd.DataFrame:
    """The ``n`` most characteristic terms of the texts coded with each category.

    ``method="count"`` ranks by occurrences; ``"tfidf"`` (default) weighs them down
    when they are common to every category (class-based TF-IDF: a category's texts
    form one document), which surfaces what sets a category apart.
    """
    if method not in ("count", "tfidf"):
        raise InputError(f"method must be 'count' or 'tfidf', got {method!r}")
    if n < 1:
        raise InputError(f"n must be at least 1, got {n}")
    tokenizer = tokenizer or PolicyTokenizer()
    dim = data.codebook.dimension(dimension)
    long = data.long
    coded = long.loc[long["dimension"] == dim.key, ["segment_id", "value"]]
    if coded.empty:
        raise InputError(f"no codings of {dim.key!r}")
    text_of = dict(zip(data.segments["id"], data.segments["text"], strict=True))
    tokens_of = {
        sid: tokenizer.tokens(text_of.get(sid, "")) for sid in coded["segment_id"].unique()
    }
    per_cat: dict[str, Counter[str]] = {}
    for sid, value in zip(coded["segment_id"], coded["value"], strict=True):
        per_cat.setdefault(value, Counter()).update(tokens_of[sid])
    # closed categories in the codebook's order, open answers in the synonym list's
    cats = [
        k
        for k in (dim.category_keys if dim.kind == "closed" else sorted(per_cat, key=dim.sort_key))
        if k in per_cat
    ]
    if method == "tfidf":
        from sklearn.feature_extraction.text import TfidfTransformer

        vocab = sorted({t for c in per_cat.values() for t in c})
        index = {t: i for i, t in enumerate(vocab)}
        import numpy as np

        matrix = np.zeros((len(cats), len(vocab)))
        for i, c in enumerate(cats):
            for t, k in per_cat[c].items():
                matrix[i, index[t]] = k
        scores = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).toarray()
    rows = []
    for i, c in enumerate(cats):
        label = dim.value_label(c, lang)
        if method == "tfidf":
            ranked = sorted(
                ((scores[i, index[t]], t) for t in per_cat[c]), key=lambda x: (-x[0], x[1])
            )
        else:
            ranked = sorted(((k, t) for t, k in per_cat[c].items()), key=lambda x: (-x[0], x[1]))
        for rank, (score, term) in enumerate(ranked[:n], start=1):
            rows.append(
                {
                    "category": label,
                    "rank": rank,
                    "term": term,
                    "count": per_cat[c][term],
                    "score": float(score),
                }
            )
    return pd.DataFrame(rows, columns=["category", "rank", "term", "count", "score"])
