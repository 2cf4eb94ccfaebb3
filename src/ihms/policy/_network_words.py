"""What ``policy network`` says, in English and Chinese: its nodes' name by kind
(``units`` of an open dimension: 单元; ``categories`` of a closed one: 类目), the
figure's title and caption, the measures table's headers and notes. The Chinese is
that of Chinese policy-network papers (度, 加权度, 度中心度, 中介中心度, 网络密度)."""

from __future__ import annotations

from ihms._words import check_lang

#: what a node is called: (singular header, plural in a sentence)
NODE = {
    "en": {
        "units": ("unit", "units"),
        "categories": ("category", "categories"),
        "issuers": ("issuer", "issuers"),
    },
    "zh": {
        "units": ("单元", "单元"),
        "categories": ("类目", "类目"),
        "issuers": ("发文机关", "发文机关"),
    },
}
#: what an entry of the network is: the issuers' are documents
ENTRY = {"en": ("entries", "documents"), "zh": ("条目", "文件")}

WORDS = {
    "en": {
        "title units": "Cooperation network of symbiotic units",
        "title categories": "Co-occurrence network of categories",
        "title issuers": "Collaboration network of issuing bodies",
        "links issuers": "Strongest links of the collaboration network",
        "links units": "Strongest links of the cooperation network",
        "links categories": "Strongest links of the co-occurrence network",
        "caption tiers": "Arrows: resources flow from the higher tier to the lower; "
        "dashed: tiers unknown or equal.",
        "caption plain": "Line width: the entries naming both.",
        "caption issuers": "Line width: the documents issued jointly.",
        "source categories": "category",
        "target categories": "with category",
        "source issuers": "issuer",
        "target issuers": "with issuer",
        "network issuers": "{n} {noun}, {links} links, {entries} documents.",
        "joint": "Jointly issued: {joint} of {documents} documents ({share:.1f}%).",
        "network": "{n} {noun}, {links} links, {entries} entries.",
        "most frequent": "Most frequent {noun}: {names}",
        "list": ", ",
        "measures": "Degree and betweenness of the {noun}",
        "frequency": "frequency",
        "degree": "degree",
        "weighted_degree": "weighted degree",
        "degree_centrality": "degree centrality",
        "betweenness": "betweenness",
        "density directed": "Network density {density:.3f} (directed; an undirected link "
        "counts both ways).",
        "density undirected": "Network density {density:.3f} (undirected).",
        "how": "Degree: links of a node; weighted: the {entries} behind them. Degree "
        "centrality: degree / (n − 1). Betweenness: normalised, links unweighted.",
    },
    "zh": {
        "title units": "共生单元合作网络",
        "title categories": "类目共现网络",
        "title issuers": "发文机关合作网络",
        "links issuers": "联合发文网络中最强的连接",
        "links units": "合作网络中最强的连接",
        "links categories": "共现网络中最强的连接",
        "caption tiers": "箭头：资源由高层级流向低层级；虚线：层级未知或相同。",
        "caption plain": "连线粗细：同时出现两者的条目数。",
        "caption issuers": "连线粗细：联合发文的文件数。",
        "source categories": "类目",
        "target categories": "共现类目",
        "source issuers": "发文机关",
        "target issuers": "联合发文机关",
        "network issuers": "共 {n} 个{noun}、{links} 条连接、{entries} 份文件。",
        "joint": "联合发文：{documents} 份文件中 {joint} 份（{share:.1f}%）。",
        "network": "共 {n} 个{noun}、{links} 条连接、{entries} 个条目。",
        "most frequent": "出现最多的{noun}：{names}",
        "list": "、",
        "measures": "{noun}的度与中介中心度",
        "frequency": "频数",
        "degree": "度",
        "weighted_degree": "加权度",
        "degree_centrality": "度中心度",
        "betweenness": "中介中心度",
        "density directed": "网络密度 {density:.3f}（有向；无方向的连接按双向计）。",
        "density undirected": "网络密度 {density:.3f}（无向）。",
        "how": "度：与该节点相连的连接数；加权度：这些连接的{entries}数之和。"
        "度中心度 = 度 /（n − 1）。中介中心度已标准化，不计连接权重。",
    },
}


def network_word(lang: str, key: str, **said) -> str:
    """The words of ``key`` in ``lang``, filled in with ``said``."""
    return WORDS[check_lang(lang)][key].format(**said)


def entry_word(lang: str, kind: str) -> str:
    """What an entry of a network of ``kind`` is called in ``lang``."""
    return ENTRY[check_lang(lang)][kind == "issuers"]


def node_word(lang: str, kind: str, *, plural: bool = False) -> str:
    """What a node of a network of ``kind`` is called in ``lang``."""
    return NODE[check_lang(lang)][kind][1 if plural else 0]
