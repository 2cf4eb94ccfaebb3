"""The delivery system in Chinese: ``--lang zh`` of ``ihms system check``, ``coverage``,
``show`` and ``off-pathway``. The tables are built in English, then their titles,
headers and the vocabulary in their cells (tiers, consortium types, integration degrees,
affiliations, cooperation forms, referral directions) are said in Chinese; ids, names
and every figure stay the cells they were. ``--json`` keeps its English keys and values,
and error messages stay English.

The words are those the system's own vocabularies accept (:data:`ihms.system._enums.
ALIASES`) and Gao et al. 2022 (seed 001, section 1.2) and DOMAIN.md name: the four types
城市医疗集团, 县域医共体, 专科联盟 and 远程医疗协作网; the integration degrees 紧密型,
半紧密型 and 松散型; the tiers 三级医院, 县级医院, 乡镇卫生院（社区卫生服务中心） and
村卫生室（社区卫生服务站） (a tier holds the township and the urban institution); 上转
and 下转 for referrals up and down the ladder.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ihms._words import notes_under_zh

if TYPE_CHECKING:
    from ihms.summary import SummaryTable

__all__ = ["CELLS", "HEADERS", "in_zh", "vocabulary"]

#: The closed vocabularies' values (:mod:`ihms.system._enums`) in Chinese.
TIERS = {
    "tertiary": "三级医院",
    "secondary": "县级医院",
    # a tier covers the rural and the urban institution, named as the NHC's documents
    # name both: 乡镇卫生院（社区卫生服务中心）, 村卫生室（社区卫生服务站）
    "primary_centre": "乡镇卫生院（社区卫生服务中心）",
    "village_clinic": "村卫生室（社区卫生服务站）",
    "public_health": "专业公共卫生机构",
}
CELLS: dict[str, str] = {
    **TIERS,
    "urban_medical_group": "城市医疗集团",
    "county_medical_community": "县域医共体",
    "specialist_alliance": "专科联盟",
    "telemedicine_network": "远程医疗协作网",
    "full": "紧密型",
    "half": "半紧密型",
    "flexible": "松散型",
    "national": "委属",
    "university": "高校附属",
    "provincial": "省属",
    "municipal": "市属",
    "county": "县属",
    "private": "民营",
    "dispatched_specialists": "专家下沉",
    "itinerant_services": "巡回医疗",
    "remote_consultation": "远程会诊",
    "joint_ward": "联合病房",
    "mutual_recognition": "检查检验结果互认",
    "training": "进修培训",
    "technical_guidance": "技术指导",
    "up": "上转",
    "down": "下转",
    "declared": "文件声明",
    "yes": "是",
    "no": "否",
}

#: The tables' headers (``show``, ``coverage``, ``off-pathway``) in Chinese.
HEADERS: dict[str, str] = {
    "id": "代码",
    "item": "项目",
    "value": "内容",
    "name": "名称",
    "name_zh": "中文名称",
    "tier": "层级",
    "affiliation": "隶属关系",
    "county": "县",
    "grid": "网格",
    "consortia": "所属医联体",
    "population": "人口",
    "type": "类型",
    "integration": "整合程度",
    "lead": "牵头机构",
    "members": "成员机构数",
    "grids": "网格数",
    "years": "年份",
    "refers up to": "上转至",
    "up to": "上转至",
    "institution_id": "机构代码",
    "direction": "转诊方向",
    "target_id": "目标机构代码",
    "target_name": "目标机构名称",
    "target_tier": "目标机构层级",
    "provider": "提供方",
    "recipient": "接受方",
    "form": "合作形式",
    "source": "来源",
    "from_outside": "来自研究县外",
    "measure": "指标",
    "count": "数量",
    "of": "总数",
    "share (%)": "占比（%）",
    "referral_id": "转诊编号",
    "date": "日期",
    "from_institution_id": "转出机构",
    "to_institution_id": "转入机构",
    "expected": "路径应转至",
}

#: The rows of the coverage table (:meth:`ihms.system.coverage.Coverage.summary`).
MEASURES: dict[str, str] = {
    "Population covered by a consortium": "医联体覆盖人口",
    "Population covered by a fully integrated consortium": "紧密型医联体覆盖人口",
    "Population in no consortium's grid": "未被医联体网格覆盖的人口",
    "Grids with no consortium": "无医联体服务的网格",
    "Institutions in a consortium": "加入医联体的机构",
    "Institutions in a fully integrated consortium": "加入紧密型医联体的机构",
    "Hospitals not involved": "未参与医联体的医院",
    "Active cities (full urban medical group)": "已建成紧密型城市医疗集团的城市",
    "Active counties (full county medical community)": "已建成紧密型县域医共体的县",
}

#: The summary's rows (``ihms system show``), by their English label.
ITEMS: dict[str, str] = {
    "name": "名称",
    "name_zh": "中文名称",
    "period": "期间",
    "study counties": "研究县",
    "counties": "县数",
    "grids": "网格数",
    "institutions": "机构数",
    "by tier": "按层级",
    "consortia": "医联体数",
    "population (study counties)": "人口（研究县）",
    "grids outside them (not counted)": "研究县以外的网格（未计入）",
    "other sections": "其他部分",
}

#: What ``show --what`` shows, for the titles.
WHAT = {
    "institutions": "机构",
    "grids": "网格",
    "consortia": "医联体",
    "referrals": "转诊路径",
    "cooperation": "技术合作",
}


def vocabulary(value: object) -> object:
    """A vocabulary value in Chinese (``secondary``: 县级医院); anything else as it is."""
    return CELLS.get(value, value) if isinstance(value, str) else value


def in_zh(table: SummaryTable, *, cells: tuple[str, ...] = ()) -> SummaryTable:
    """``table`` with its headers (:data:`HEADERS`) and the vocabulary of the columns
    ``cells`` (their English headers) said in Chinese; every other cell, the title and
    the notes as they are (the caller says those)."""
    from ihms.summary import is_id_name

    frame = table.frame.copy()
    ids = [HEADERS.get(str(c), str(c)) for c in frame.columns if is_id_name(c)]
    for column in cells:
        if column in frame:
            frame[column] = frame[column].map(vocabulary)
    names = {str(c): HEADERS.get(str(c), str(c)) for c in frame.columns}
    frame = frame.rename(columns=names)
    if frame.index.name is not None:
        frame.index.name = HEADERS.get(str(frame.index.name), frame.index.name)
    return replace(
        table,
        frame=frame,
        lang="zh",
        formats={names.get(k, k): f for k, f in table.formats.items()},
        short_headers={names.get(k, k): HEADERS.get(v, v) for k, v in table.short_headers.items()},
        stack_under={names.get(k, k): names.get(v, v) for k, v in table.stack_under.items()},
        id_columns=(*(names.get(str(c), c) for c in table.id_columns), *ids),
        decimal_columns=tuple(names.get(str(c), c) for c in table.decimal_columns),
        key_columns=None
        if table.key_columns is None
        else tuple(names.get(str(c), c) for c in table.key_columns),
        row_decimals={names.get(k, k): v for k, v in table.row_decimals.items()},
    )


def coverage_zh(table: SummaryTable, cov) -> SummaryTable:
    """The coverage table ``cov.summary()`` built, in Chinese: its rows
    (:data:`MEASURES`), headers, title and notes."""
    from ihms.sources import GAO_2022

    frame = table.frame.copy()
    frame.index = frame.index.map(lambda v: MEASURES.get(v, v))
    notes = [
        f"占比按 {GAO_2022}（第 1.3 节）的方法计算：已建成的单位数除以全部单位数，限于研究县内。"
    ]
    if cov.grids_uncovered:
        notes.append("无医联体服务的网格：" + "、".join(cov.grids_uncovered) + "。")
    if cov.hospitals_not_involved:
        notes.append("未参与医联体的医院：" + "、".join(cov.hospitals_not_involved) + "。")
    year = "全部年份" if cov.year is None else f"{cov.year} 年"
    said = replace(
        table, frame=frame, title=f"医联体覆盖情况（{year}）", notes=notes_under_zh(notes)
    )
    return in_zh(said)


def first_zh(items, limit: int = 10) -> str:
    """The first ``limit`` items joined by 、, then ``等 N 个`` for those past them (as
    :func:`ihms._listing.first_of` lists them in English)."""
    items = [str(i) for i in items]
    more = len(items) - limit
    return "、".join(items[:limit]) + (f" 等另外 {more:,} 个" if more > 0 else "")


def check_lines(file_name: str, name: str, info: dict, uncovered, year, earlier) -> list[str]:
    """What ``ihms system check --lang zh`` prints (rich markup escaped by the caller in
    ``file_name`` and the system's ``name``): it passed, the counts, and the grids no
    consortium serves in ``year`` and in the ``earlier`` years."""
    counts = "，".join(
        f"{what} {n:,} {unit}"
        for what, n, unit in (
            ("县", info["counties"], "个"),
            ("网格", info["grids"], "个"),
            ("机构", info["institutions"], "家"),
            ("医联体", len(info["consortia"]), "个"),
        )
    )
    lines = [f"[green]通过[/green] {file_name}：{name}——{counts}；未发现问题。"]
    if uncovered:
        grids = "、".join(
            g["grid"] + (f"（居民 {g['population']:,} 人）" if g["population"] is not None else "")
            for g in uncovered
        )
        when = f"{year} 年" if year else ""
        lines.append(
            f"注：{when}无医联体服务的网格 {len(uncovered):,} 个：{grids}"
            "（见 'ihms system coverage'）。"
        )
    if earlier:
        lines.append(
            "注：往年无医联体服务的网格："
            + "；".join(
                f"{y} 年 {first_zh(g) if g else '（每个网格均有服务）'}" for y, g in earlier
            )
            + "。"
        )
    return lines


def overview_rows(info: dict, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The summary's rows (``ihms system show``) in Chinese, from ``info`` as the English
    ``rows`` were made."""
    period = info["period"]
    consortia = {f"  {c['id']}": c for c in info["consortia"]}
    values = {
        "period": f"{period[0]} 至 {period[1]}" if period else "—",
        "study counties": "、".join(info["study_counties"]),
        "by tier": "，".join(
            f"{vocabulary(t)} {n:,}" for t, n in info["institutions_by_tier"].items()
        ),
        "population (study counties)": "；".join(
            f"{y} 年：{n:,}" for y, n in info["population"].items()
        )
        or "—",
        "grids outside them (not counted)": first_zh(info["grids_outside_study_counties"]),
        "other sections": "、".join(info["extensions"]),
    }
    out = []
    for label, value in rows:
        if (c := consortia.get(label)) is not None:
            value = (
                f"{vocabulary(c['type'])}，{vocabulary(c['integration'])}，成员 {c['members']:,} 家"
            )
        out.append((ITEMS.get(label, label), values.get(label, value)))
    return out


def off_pathway_texts(name: str, n: int, year: int | None, years) -> tuple[str, tuple[str]]:
    """The title and note of ``ihms system off-pathway --lang zh``: ``n`` referrals off
    the pathway of ``year`` (``None``: each of its own year, the data's ``years``)."""
    title = f"{name}：未按转诊路径转诊 {n:,} 人次" + (f"（{year} 年）" if year is not None else "")
    when = (
        f"{year} 年的转诊路径（即 'ihms system show --what referrals --year {year}' 所列）"
        if year is not None
        else f"其所在年份（{years[0]}–{years[-1]}）的转诊路径（即 'ihms system show --what "
        "referrals --year YEAR' 所列）"
    )
    note = f"每次转诊均按{when}判断；路径应转至：转出机构当年在该方向上的目标机构。"
    return title, (note,)
