"""The indicators step's words in Chinese (``ihms demo --lang zh``), beside the English of
:mod:`ihms.demo._indicators`, sentence for sentence; the numbers are computed there once.

The terms are those of the Chinese health statistics yearbook (中国卫生健康统计年鉴:
诊疗人次, 居民年住院率, 每千人口执业医师数, 年末人口) and of the catalogue's Chinese
names (``CATALOGUE[...].name_zh``); citations keep the study's short name, its tables
said as :func:`ihms.sources.cited_zh` says them (表2).
"""

from __future__ import annotations

from ihms.sources import JIA_2021, ZHONG_2023

__all__ = [
    "CAPACITY",
    "INTRO",
    "SIMULATED_CAPACITY",
    "SIMULATED_TABLE_2",
    "SOURCE_SIMULATED",
    "TABLE_2",
    "TABLE_4",
    "TABLE_5",
    "YEAR_ON_YEAR",
    "capacity_notes",
    "label",
    "sample_left_out",
    "source_synthetic",
    "spectra_note",
    "table_2_notes",
    "unknown_note",
]


def label(*, synthetic: bool) -> str:
    """The data's name in the tables' titles: ``尤溪（模拟数据）``."""
    return "尤溪（合成数据）" if synthetic else "尤溪（模拟数据）"


INTRO = (
    "ihms 把每个指标只定义一次，并作为数据保存：在一个县的就诊、随访、转诊和资源上"
    "计数的分子和分母，乘数和计量单位，可按哪些期间和层级分解，以及它出自哪项研究的"
    "哪张表。同一套定义既可在内嵌的 DuckDB 数据库上运行，也可在 Spark 上运行。"
)


def source_synthetic(scale: float) -> str:
    """What the synthetic data are and what they cannot say."""
    return (
        f"以下数字由一个**合成**数据集算出：从 examples/youxi.yaml 随机抽取尤溪 {scale:.0%} "
        "的居民，其就诊、随访和费用按虚构的固定比率生成。它们展示 ihms 如何排列各表、"
        "如何定义各指标，但不反映尤溪的任何情况。计数是样本的计数（每二十名居民抽取一名），"
        "样本中机构的人员和床位亦然；率、构成比和按居民计的比值不随样本量而变。"
    )


SOURCE_SIMULATED = "以下数字由县域模拟器写入数据存储的数据算出。"

TABLE_2 = (
    f"{ZHONG_2023} 以每千人口执业医师数、注册护士数和床位数描述尤溪的服务能力。ihms 在"
    "年末统计本县自有机构中的这些人员和床位——县级医院和乡镇卫生院，以及村卫生室和"
    "疾病预防控制中心；后两者没有治疗床位，其乡村医生和公共卫生人员不计入执业医师和"
    "注册护士——再除以当年最后一天的居民数，与统计年鉴以年末人口计算卫生资源配置比的"
    "做法相同。尤溪居民就诊的县外医院计入其所在的县，而不计入尤溪。"
)
SIMULATED_TABLE_2 = (
    "在模拟县中，这些比值是模拟的输入，而不是对模拟的检验：其人员和床位是 "
    f"{ZHONG_2023}，表2 的总数在尤溪各机构间的分配，因此本表表明 ihms 能像该研究"
    "那样把它们统计回来。"
)


def table_2_notes(*, synthetic: bool) -> tuple[str, str]:
    """The notes under the staff and beds table."""
    return (
        "本县自有机构的年末人数和床位数，除以当年最后一天在册的居民数。",
        f"examples/youxi.yaml 把 {ZHONG_2023} 的总数分配到尤溪各机构，因此"
        + (
            "其他规模的样本，在人数取整的误差之内，比值相同。"
            if synthetic
            else "这些是模拟的输入，而不是对模拟的检验：模拟县保留该文件的人员和床位"
            "（随人口缩放），各行把它们读回，差异仅来自模拟县登记册的年末人数。"
        ),
    )


TABLE_4 = (
    f"{ZHONG_2023} 以门诊服务量判断改革对服务提供的影响；按其计算口径，这就是本县的"
    "诊疗人次，即全部门诊服务（门急诊、慢性病随访和健康体检）：看其总量及基层所占"
    "比例。住院率计入本县居民的每一次入院，无论在县内还是县外，除以当年平均人口"
    "（年初与年末在册居民数的平均数），与《中国卫生健康统计年鉴》计算居民年住院率的"
    f"方法相同；分析人员拿这些率与统计年鉴或 {ZHONG_2023} 的 17.0（2016 年）和 16.3"
    "（2019 年）比较时，默认的正是这一口径。它是每百名居民的住院人次，而不是住院居民的"
    f"比例：一名居民住院两次计两次（{ZHONG_2023} 以 % 列出）。"
)
YEAR_ON_YEAR = (
    "按卫生健康委员会统计公报的读法逐年比较（比上年）：诊疗人次和住院率按百分比增长，"
    "构成比按百分点变动——构成比从 50% 升到 60%，是上升了 10 个百分点，而不是 20%"
    "（`ihms growth --yoy --lang zh`）。"
)
TABLE_5 = (
    "管理和控制采用卫生健康委员会上报的定义：登记在册的高血压或糖尿病患者当年至少随访"
    "一次，即为管理；随访四次及以上为规范管理；控制按当年最后一次测量判断，与 WHO "
    "HEARTS 的做法相同：血压低于 140/90 mmHg，空腹血糖低于 7.0 mmol/L。"
)
CAPACITY = (
    f"{JIA_2021} 以乡镇卫生院的十二项服务能力和财务指标评价德清的改革，每项给出年均"
    "增长率；其中六项，该表还列出全国平均增长率（最右一列，引自 "
    f"{JIA_2021}；其余六项空白）。"
)
SIMULATED_CAPACITY = (
    "乡镇卫生院院均总收入是模拟的卫生院向本县居民收取的费用，即其医疗收入：模拟器"
    "不发放财政补助，而财政补助是现实中卫生院收入的很大一部分，因此该数字低于现实中"
    "的卫生院，且只随其服务量增长。"
)


def capacity_notes(first: str, last: str) -> list[str]:
    """The capacity table's notes on its reference growth and years."""
    return [
        f"参照增长率：{JIA_2021}，表2 所列的全国平均增长率（《中国卫生健康统计年鉴》2017—2019）。",
        f"此处增长率的计算期为 {first}—{last} 年；{JIA_2021} 把德清 2016—2018 年的增长率"
        "与全国增长率对照，因此全国增长率只是参照，而非同口径的比较。",
    ]


def sample_left_out(scale: float) -> str:
    """Why a synthetic sample's THC beds, revenue and spectra are not shown."""
    return (
        "此处未列：乡镇卫生院院均床位数、院均总收入和病种数，它们随样本缩小（样本中"
        f"乡镇卫生院的床位、人员和诊疗量只有全县的 {scale:.0%}）。"
    )


def unknown_note(names: list[str], *, synthetic: bool) -> str:
    """The indicators the data cannot give, named by the catalogue's Chinese names."""
    why = (
        "数据未记录其任何输入项"
        if synthetic
        else "模拟器只记录各卫生院的总收入、医疗收入和人员经费，不记录医疗收入中的诊察费，"
        "也不记录其总费用"
    )
    return f"{'数据' if synthetic else '模拟'}中无法得到：{'、'.join(names)}（{why}）；显示为缺失，而非 0。"


def spectra_note(
    values: list[tuple[str, str, int]],
    count: int,
    path: str | None,
    deqing: tuple[float, float],
) -> str:
    """Why a simulated county's disease spectra are left out; ``values``: each
    spectrum's lowest and highest value as shown (to 0.1) and which (0 ambulatory care,
    1 hospitalization),
    ``count`` the model's diagnosis groups (0: not known), ``path`` its config file,
    ``deqing`` the range of seed 004's Table 2 in ambulatory care."""
    shown = []
    for low, high, where in values:
        span = f"{low}（各年相同）" if low == high else f"{low} 至 {high}"
        shown.append(f"{('门急诊', '住院')[where]} {span}")
    model = f" {count} 个程式化的诊断组" if count else "程式化的诊断组"
    key = (
        "模拟配置中的 `illness.diagnosis_groups`"
        if path is None
        else f"{path} 中的 `illness.diagnosis_groups`"
    )
    low, high = deqing
    return (
        "此处未列：病种数（每个乡镇卫生院诊治的不同诊断组数）。模拟器从其"
        f"{model}中为每次发病指定一个（ICD-10 章，{key}），因此病种数统计的是这些诊断组"
        f"{'（' + '；'.join(shown) + '）' if shown else ''}，而不是疾病，不能与 {JIA_2021} "
        f"的数字（德清乡镇卫生院门急诊 {low} 至 {high}，表2）对照。"
    )
