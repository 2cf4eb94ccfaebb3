"""The policy demo step's paragraphs in Chinese (``ihms demo --lang zh``), said from the
same numbers as the English of :mod:`ihms.demo._policy`, sentence for sentence; the
tables come in Chinese from the library (``lang="zh"``, as ``ihms policy tables --lang
zh`` prints them), the codebook's Chinese names in them.
"""

from __future__ import annotations

from ihms._words import TERMS
from ihms.sources import VIHQMR_STUDY, VIHQMR_STUDY_ZH, YU_2024

__all__ = [
    "NETWORK_TEXT",
    "OVERVIEW_ZH",
    "TWO_D_TEXT",
    "agreement_text",
    "corpus_text",
    "dataset_text",
    "one_d_text",
    "screening_method",
    "trend_text",
]

_AGREE = TERMS["zh"]["percent agreement"]

#: The corpus overview's row labels in Chinese, by their English words.
OVERVIEW_ZH = {
    "Files read": "读取的文件",
    "Files with a field the metadata sheet left blank, read from the text (number, date, issuer, title)":
        "元数据表留空、从正文读取字段（文号、日期、发文机关、标题）的文件",
    "Lines cleaned away (headers, web debris, signatures, tables)":
        "清除的行（页眉、网页杂项、落款、表格）",
    "Documents included": "纳入的文件",
    "  national / provincial / municipal / Shanghai": "  国家级 / 省级 / 市级 / 上海",
    "  years": "  年份",
    f"Paragraph segments ({YU_2024})": f"段落单元（{YU_2024}）",
    f"Clause entries level-file-clause-item ({VIHQMR_STUDY})":
        f"条款单元：层级-文件-条-款（{VIHQMR_STUDY_ZH}）",
}  # fmt: skip


def screening_method(title, full, settled: int) -> str:
    """How the records were screened (PRISMA 2020 item 8), as the English of
    :func:`ihms.demo._policy._screening_method`: the agreement of the title and
    full-text stages, and the conflicts the lead ``settled``."""
    return (
        f"两名评审员独立筛选了每条记录和每份全文：题名初筛阶段的{_AGREE}为 "
        f"{title.percent_agreement:.1f}%（Cohen's κ {title.kappa:.2f}，Gwet's AC1 "
        f"{title.ac1:.2f}），全文复筛为 {full.percent_agreement:.1f}%（κ {full.kappa:.2f}，"
        f"AC1 {full.ac1:.2f}）；二人的 {settled} 处冲突由课题负责人（`lead`）裁决。下表列出"
        "各阶段的一致性；流程图按 PRISMA 2020 第 8 条的要求，在各框下方说明筛选方法。"
    )


def corpus_text(flow: dict, method: str) -> str:
    """The corpus section's paragraph: what the example corpus holds and how it was
    read and screened."""
    return (
        f"示例语料共 {flow['identified']} 条记录，均为本项目仿照国家和省级卫生政策文本撰写，"
        "保存形式与研究者实际收集时相同：UTF-8、GBK 和 GB18030 编码的纯文本，Word 文件（其中"
        "一份使用 Word 自带的列表编号），带页眉和页码的 PDF，以及夹杂大量导航杂项的网页。ihms "
        "读取了全部文件，在元数据表空缺之处从正文中提取文号、日期和发文机关，并清除了页眉、"
        f"落款和网页杂项。筛选剔除了 {flow['duplicates']} 份重复文件（一份按文号识别，一份网页"
        "转载按近乎相同的文本识别），在题名初筛中排除了一份政策解读和一份媒体报道，并排除了一份发布于"
        f"研究期之后的文件，最终纳入 {flow['included']} 份文件。{method}"
    )


def agreement_text(n_paragraphs: int, mean_kappa: float) -> str:
    """The agreement section's paragraph: the simulated coders and their mean kappa."""
    return (
        f"两名模拟编码员就政策工具和利益相关者对 {n_paragraphs} 个段落进行了编码：其编码由"
        "编码表的关键词生成，每名编码员各自带有随机误差（examples/policies/make_codings.py）。"
        f"二人在两个维度上的平均 κ 为 {mean_kappa:.3f}（{YU_2024} 报告其人工编码员为 0.746）："
        "这只演示一致性工具如何运作，并不说明真实编码的信度；按类目计算的出现/未出现 κ 显示"
        "编码员分歧最大之处——若是真实编码员，即编码表定义需要进一步明确之处。课题负责人对每处"
        "分歧作了裁决，下列各表使用裁决后的编码。"
    )


def one_d_text(n_rows: int, included: int) -> str:
    """The one-dimensional tables' paragraph: what n counts."""
    return (
        f"按 {YU_2024} 的格式给出一维分布：层级、性质和导向按文本计数——此处一条文本即一个"
        f"已编码的段落，因此 n 是 {included} 份纳入文件中的 {n_rows} 个段落，而非文件数；"
        "政策工具和利益相关者按编码计数，因为一个段落常常使用多种工具。与该研究一致，环境型"
        "工具（目标、制度、激励）占主导，供给型工具（人才、资金、技术）最少——正是 "
        f"{YU_2024} 呼吁政策制定者纠正的失衡。"
    )


def dataset_text(files: str, folder: str, n_rows: int, n_dichotomies: int) -> str:
    """Where the SPSS and Stata data set lies and what it holds."""
    return (
        f"这些表所依据的编码也已写成 SPSS 和 Stata 数据集（{files}，位于演示的工作文件夹中："
        f"从本报告出发为 {folder}/；`ihms policy dataset --lang zh`）：每个段落一行"
        f"（{n_rows} 行），变量标签和值标签均为中文，层级、性质和导向为带值标签的编码，{n_dichotomies} 个政策工具和利益相关者各为一个"
        "带标签的 0/1 变量，段落未编码时记为缺失，研究者可据此自行检验。"
    )


TWO_D_TEXT = (
    f"二维分布表带有分组小计、行或列百分比及总计，与 {YU_2024} 的排版完全一致（政策工具 × "
    "利益相关者按同一文本中同时出现的组合计数）。横向读一行，可见哪一级政府使用某种工具；"
    "纵向读一列，可见某一层级各政策导向的构成。"
)


def trend_text(evo) -> str:
    """The time evolution's paragraph, from a :class:`~ihms.policy.trend.TimeEvolution`
    built with ``lang="zh"`` (its peaks and overlap note are said in Chinese)."""
    from ihms.policy._agreement_words import said_in
    from ihms.policy.trend import SEED000_STAGES

    groups = "、".join(said_in("zh", name) for name in SEED000_STAGES)
    thin = "、".join(f"{y} 年，仅 {n} 条文本" for y, n in evo.thin_years.items())
    return (
        "各年份各导向的文本数。各导向在当年所占比重依次达到峰值"
        f"（{evo.peak_note()}）；阴影所示阶段是 {YU_2024} 的三组导向（{groups}）"
        f"占当年比重高于其全期占比的年份——这是 ihms 的规则：{YU_2024} 给出了各时期"
        "（2014–2017、2017–2019、2018–2021）而未说明划分规则，且没有一种规则能从其表12"
        f"重现这些时期。与 `ihms policy trend` 相同，文本少于 {evo.min_year_n} 条的年份不计入"
        "峰值和阶段，因为寥寥几条文本就能使任一导向达到 100%"
        + (f"（本例中为 {thin}）。" if thin else "（本例中没有这样的年份）。")
        + (evo.overlap_note() if evo.overlaps else "")
    )


NETWORK_TEXT = (
    "同一条款中共同提及的机构之间相连；箭头由较高层级指向较低层级，即人员、技术和管理下沉的"
    "方向。此处的共生单元由共生编码表的同义词词典在条款中识别（并非人工编码）：基层医疗卫生"
    "机构接受县级医院、三级医院以及医联体牵头医院的支援（牵头医院可以是县级医院，也可以是"
    f"三级医院，因此置于这两个层级之间），与 {VIHQMR_STUDY_ZH}的发现一致。"
)
