"""A small coding project of our own for the autocode review fixes (user review M):
a single-label dimension ``content`` whose every segment has a category (nobody ever
answered "nothing applies"), beside a multi-label ``actors``.

The texts are written here (county consortium paragraphs in the style of the review's
corpus, not copied from it); ``copied=True`` also files each document's first
paragraph, word for word but for the county name, in the next document, as county
documents copy provincial paragraphs.
"""

from __future__ import annotations

from pathlib import Path

CODEBOOK = """\
name: ycgt
title_en: County consortium content
version: 1
dimensions:
  - key: content
    en: Policy content
    zh: 政策内容
    kind: closed
    source: coded
    definition: The main content of a paragraph; one category.
    categories:
      - {key: governance, en: Governance, zh: 管理体制, definition: Management and leadership.}
      - {key: payment, en: Insurance payment, zh: 医保支付, definition: Insurance payment.}
      - {key: personnel, en: Personnel, zh: 人员下沉, definition: Staff sent down.}
  - key: actors
    en: Actors
    zh: 主体
    kind: closed
    multi: true
    source: coded
    definition: Actors named.
    categories:
      - {key: government, en: Government, zh: 政府, definition: Governments.}
      - {key: hospital, en: County hospital, zh: 县级医院, definition: County hospitals.}
"""

COUNTIES = ["云溪县", "青山县", "白水县", "柳河县", "石门县", "东湖县", "南岭县", "北川县"]

PARAGRAPHS = {
    "governance": [
        "成立{c}医共体管理委员会，由县政府主要负责同志任主任，统筹规划和人事安排。",
        "医共体实行院长负责制，牵头医院院长担任法人代表，对成员单位实行统一管理。",
        "明确卫生健康局的行业监管职责，行政、财务、业务实行一体化管理体制。",
        "建立医共体理事会，理事会审议章程、发展规划和年度预算等重大事项。",
    ],
    "payment": [
        "{c}医保局对医共体实行医保基金总额付费，结余留用、合理超支分担。",
        "将城乡居民医保基金打包支付给牵头医院，结余部分用于提升基层服务能力。",
        "推进按疾病诊断相关分组付费改革，对县域内住院病例实行分组支付。",
        "医保报销政策向基层倾斜，参保群众在乡镇住院的报销比例提高十个百分点。",
    ],
    "personnel": [
        "县级医院每年选派中级以上职称医师下沉到乡镇卫生院坐诊，时间不少于半年。",
        "医共体内人员实行统一招聘、统一培训、统一调配，新进人员统一招录。",
        "建立县乡人员双向轮岗制度，乡镇医师每年到牵头医院进修学习三个月。",
        "派驻到{c}乡镇的专家在职称晋升时优先考虑，下沉经历作为晋升条件。",
    ],
}

PLAN = [
    ["governance", "payment", "personnel", "governance"],
    ["payment", "personnel", "governance", "payment"],
    ["personnel", "governance", "payment", "personnel"],
    ["governance", "personnel", "payment", "payment"],
    ["payment", "governance", "personnel", "governance"],
    ["personnel", "payment", "governance", "personnel"],
    ["governance", "payment", "personnel", "payment"],
    ["personnel", "governance", "payment", "governance"],
]


def texts(*, copied: bool = False, distinct: bool = False) -> dict[str, list[tuple[str, str]]]:
    """``{file name: [(paragraph, content category), ...]}``. ``distinct``: each
    paragraph ends with words of its own (（甲子方案）), so that only ``copied`` ones
    repeat; ``copied``: each document ends with the previous one's second paragraph,
    its county's name put in."""
    used = dict.fromkeys(PARAGRAPHS, 0)
    docs: dict[str, list[tuple[str, str]]] = {}
    for i, (county, cats) in enumerate(zip(COUNTIES, PLAN, strict=True)):
        paras = []
        for k, cat in enumerate(cats):
            text = PARAGRAPHS[cat][used[cat] % 4].format(c=county)
            if distinct:
                text += f"（{'甲乙丙丁戊己庚辛'[i]}{'子丑寅卯'[k]}方案）"
            paras.append((text, cat))
            used[cat] += 1
        docs[f"{county}.txt"] = paras
    if copied:
        names = list(docs)
        for i, name in enumerate(names):
            source = docs[names[i - 1]][1]  # the previous document's second paragraph
            text = source[0].replace(COUNTIES[i - 1], COUNTIES[i])
            docs[name] = [*docs[name], (text, source[1])]
    return docs


def actors_of(text: str) -> frozenset[str]:
    found = set()
    if "政府" in text or "局" in text:
        found.add("government")
    if "医院" in text:
        found.add("hospital")
    return frozenset(found)


def build(path: Path, *, copied: bool = False, distinct: bool = False, twice: bool = False):
    """A project at ``path`` (open; close it) coded by ``coder_a`` on both dimensions:
    every segment has a content category. ``twice``: the first document is filed a
    second time under another id (``d08``), as a corpus collected from two websites
    can hold one policy twice."""
    from ihms.policy.codebook import parse_codebook
    from ihms.policy.coding import add_codings
    from ihms.policy.corpus import load_document
    from ihms.policy.project import Project

    folder = path.parent / f"{path.stem}-corpus"
    folder.mkdir(parents=True, exist_ok=True)
    gold = {}
    docs = []
    for i, (name, paras) in enumerate(texts(copied=copied, distinct=distinct).items()):
        title = f"{name[:-4]}人民政府关于推进医共体建设的实施意见"
        (folder / name).write_text("\n".join([title, *(p for p, _ in paras)]) + "\n", "utf-8")
        docs.append(load_document(folder / name, doc_id=f"d{i:02d}", rel=name))
        gold.update(dict(paras))
    if twice:
        first = next(iter(texts(copied=copied, distinct=distinct)))
        docs.append(load_document(folder / first, doc_id=f"d{len(docs):02d}", rel=first))
    project = Project.create(path, parse_codebook(CODEBOOK))
    project.add_documents(docs)
    project.segment("paragraph")
    segs = project.segments(scheme="paragraph")
    answers = {}
    for seg, text in zip(segs["id"], segs["text"], strict=True):
        answers[(seg, "content", "coder_a")] = frozenset([gold[text]])
        answers[(seg, "actors", "coder_a")] = actors_of(text)
    add_codings(project, answers, new_coders={"coder_a": "human"})
    return project
