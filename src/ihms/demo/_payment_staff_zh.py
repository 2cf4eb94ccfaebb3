"""The payment step's staff in Chinese (``ihms demo --lang zh``): where the staff's
scorecard values come from, the salaries-by-group table's headers, groups and notes —
what :mod:`ihms.demo._payment_staff` says in English, in the words of
``ihms payment scorecard --lang zh`` (:mod:`ihms.payment._words_zh_staff`).
"""

from __future__ import annotations

from ihms.payment._words_zh_staff import CARD_LABELS
from ihms.payment.reform import month_zh
from ihms.sources import ZHONG_2023

__all__ = [
    "COLUMNS_ZH",
    "GROUPS_ZH",
    "director_scores_zh",
    "group_zh",
    "illustrative_staff_zh",
    "pass_rate_zh",
    "simulated_staff_zh",
    "threshold_zh",
]

#: The salaries-by-group table's headers.
COLUMNS_ZH = {
    "Staff": "人数",
    "Passed": "考核合格人数",
    "Mean points": "平均得分",
    "Median health education sessions": "健康教育次数中位数",
    "Median consultation days": "坐诊天数中位数",
    "Annual salaries (yuan)": "年薪合计（元）",
    "Incentives (yuan)": "激励合计（元）",
}

#: The staff groups (the salaries table's rows, the ledger's staff accounts).
GROUPS_ZH = {
    "County-hospital doctors": "县级医院医生",
    "Township-health-centre doctors": "乡镇卫生院医生",
    "Directors (illustrative)": "院长（示例）",
    "Directors": "院长",
    "Doctors": "医生",
    "Nurses": "护士",
    "Other staff": "其他人员",
}


def group_zh(group: str) -> str:
    """A staff group in Chinese (as it is when not one of :data:`GROUPS_ZH`)."""
    return GROUPS_ZH.get(group, group)


#: Why the staff are the illustrative ones, by the English the payment step gives.
WHY_ZH = {
    "this run has no simulated county's data store, so there are no staff activity "
    "records to count them from": "本次运行没有模拟县域的数据库，因而没有可据以计数的医务人员"
    "活动记录",
    "the simulated store records no staff activities (the simulation section has no staff "
    "rates)": "模拟数据库未记录医务人员活动（模拟一节未设医务人员活动率）",
}


def illustrative_staff_zh(labels: list[str], why: str) -> str:
    """:func:`~ihms.demo._payment_staff.staff_text` for the illustrative roster."""
    named = "；".join(CARD_LABELS.get(label, label) for label in labels)
    return (
        "人员名册是一个小规模的示例样本，因此每人分得的激励较多。医务人员本人的考核指标值也是示例"
        f"数据，来自 `examples/payment/indicators.csv`：{WHY_ZH.get(why, why)}。"
        + (
            f"医生的考核指标（{named}）应来自县域的记录：`staff_activities` 表给出健康教育次数和"
            "坐诊天数（`ihms payment scorecard --store`）；目前尚无数据表记录哪位医生管理哪位患者。"
            if named
            else ""
        )
        + "院长的指标值同样为虚构；演示不为每位院长所在机构计算这些指标。"
    )


def simulated_staff_zh(year: int, n_doctors: int, reform: str | None, rate: str) -> str:
    """:func:`~ihms.demo._payment_staff.staff_text` for the simulated physicians;
    ``rate`` the consortium's management rate as shown."""
    return (
        f"医生为模拟县域 {year} 年的 {n_doctors:,} 名医师（与县域数据文件中县级医院和乡镇卫生院"
        "的医师人数一一对应，各年为同一批人）。他们的健康教育次数和到基层机构坐诊的天数（县级医院医生"
        "到乡镇卫生院、乡镇卫生院医生到村卫生室）按模拟器写入数据库的医务人员活动记录计数，与县域"
        "依据自身督查记录计数的方式相同（`ihms.payment.staff_values_from_store`）；其背后的发生率是模拟一节的假设，"
        "三明考核评分表实施后更高"
        + (f"（自 {month_zh(reform)}起）。" if reform else "。")
        + "由于没有数据表记录哪位医生管理哪位患者，每位医生均取医共体的健康管理率：{y} 年医共体"
        "管理的高血压和糖尿病患者中有 {rate} 随访至少四次。医生的基本年薪取示例名册中同类机构医生"
        "的基本年薪（`examples/payment/staff.csv`）。院长及其指标值仍为示例：演示不计算每位院长"
        "所在机构的指标。下表按人员组别汇总年薪。"
    ).format(y=year, rate=rate)


def director_scores_zh(shown_points, directors: str, mean_points) -> str:
    """The note telling the consortium's director score from the directors' mean."""
    return (
        f"两个院长得分：上方医共体的院长考核评分表（{shown_points} 分）按实测比率对医共体整体"
        f"评分，决定其能否留用结余；“{group_zh(directors)}”一行的平均得分（{mean_points}）是"
        "每位院长按示例指标值所得本人评分的平均，用于确定其年薪。"
    )


def pass_rate_zh(passed: int, cards: int, marks: list[str]) -> str:
    """:func:`~ihms.demo._payment_staff.pass_rate_note` in Chinese; ``marks``: the pass
    marks as shown, one or more."""
    mark = " 或 ".join(marks)
    return (
        f"{cards} 份考核评分表中有 {passed} 份达到 {mark} 分的合格线。目标值和合格线是规则文件的"
        f"假设（{ZHONG_2023} 均未给出），因此合格率反映的是这些假设目标对模拟医务人员的要求高低，"
        "而非三明医务人员的实际表现。"
    )


def threshold_zh(label: str, points: str, at_least: bool, threshold: str, said) -> str:
    """An all-or-nothing scorecard line's note; ``said`` is (group, fell short, of,
    passed of those short, passed who reached it, reached it) per group."""
    groups = "；".join(
        f"{group_zh(g)}：{of} 人中 {short} 人未达到，其中 {passed} 人考核合格（达到者 {met} 人"
        f"中 {met_passed} 人合格）"
        for g, short, of, passed, met_passed, met in said
    )
    word = "不少于" if at_least else "不多于"
    return (
        f"“{CARD_LABELS.get(label, label)}”一项不设中间分：{word} {threshold} 得 {points} 分，"
        f"否则得 0 分，因此未达到者只能靠其他各项达到合格线。{groups}。"
    )
