"""The built-in codebooks' definitions in Chinese, for ``codes export --lang zh``.

The two built-in frameworks (``6d``, after Yu et al. 2024, and ``symbiosis``, after the
VI-HQMR policy study) give each dimension, group and category one definition, in
English; ihms wrote them from the category names and the studies' examples, and wrote
these Chinese ones the same way (neither study's codebook appendix is public). They are
looked up by the English definition as the codebook holds it, so a project's own
codebook, or one whose definition was changed, keeps its own words: a definition with
no Chinese here is written as it stands (:func:`definition_in`).
"""

from __future__ import annotations

__all__ = ["DEFINITIONS_ZH", "NOTHING_APPLIES", "definition_in"]

#: The definition of the ``-`` row each dimension ends with on the codebook sheet.
NOTHING_APPLIES = {"en": "coded, nothing applies", "zh": "已编码，无适用项"}

DEFINITIONS_ZH = {
    # 6D (Yu et al. 2024): policy level
    "The administrative level of the body that issued the policy.": "发文机关的行政层级。",
    "Issued by the Party Central Committee, the State Council or a national ministry or "
    "commission.": "由党中央、国务院或国家部委发布。",
    "Issued by a province, autonomous region or municipality directly under the central "
    "government, or one of its departments (Shanghai is kept apart).": (
        "由省、自治区、直辖市或其所属部门发布（上海单列）。"
    ),
    "Issued by a prefecture-level city or one of its departments.": "由地级市或其所属部门发布。",
    "Issued by a county or district government or one of its departments.": (
        "由县（区）政府或其所属部门发布。"
    ),
    "Issued in Shanghai, which Yu et al. 2024 singles out as the pioneer city of integrated "
    "health management.": "由上海市或其所属部门发布；Yu et al. 2024 将上海单列为整合型健康管理的先行城市。",
    # policy nature
    "Whether the document sets direction (plans, outlines, opinions) or prescribes how to "
    "implement (measures, rules, schemes, notices).": (
        "文件是确定方向（规划、纲要、意见），还是规定如何实施（措施、细则、方案、通知）。"
    ),
    "Sets goals and direction at a general level, e.g. plans, outlines and guiding "
    "opinions.": "在总体层面确定目标和方向，如规划、纲要和指导意见。",
    "Prescribes concrete implementation, e.g. measures, rules, work schemes and notices.": (
        "规定具体的实施办法，如措施、细则、工作方案和通知。"
    ),
    "The year the policy was issued.": "政策发布的年份。",
    # policy tools (after Rothwell and Zegveld)
    "The instruments a paragraph uses, after Rothwell and Zegveld's supply, demand and "
    "environment tools; several may apply.": (
        "段落所用的政策工具，按 Rothwell 和 Zegveld 的供给型、需求型和环境型工具划分；可多选。"
    ),
    "Direct support of integrated care with resources such as people, money, information "
    "and technology.": "以人才、资金、信息、技术等资源直接支持整合型医疗卫生服务。",
    "Pulling patients and providers towards integrated care, e.g. through payment, "
    "prices, medicines and service capacity.": (
        "通过支付、价格、药品和服务能力等，引导患者和医疗机构参与整合型医疗卫生服务。"
    ),
    "Indirect support through goals, institutions, incentives, publicity, roles and "
    "shared resources.": "通过目标、制度、激励、宣传、职能定位和资源共享间接支持整合型医疗卫生服务。",
    "Training, recruiting, deploying and rewarding health workers, including general "
    "practitioners.": "卫生人员（包括全科医生）的培养、招聘、配置和激励。",
    "Public funding, subsidies and earmarked budgets.": "财政投入、补助和专项经费。",
    "Information systems, platforms, records and telemedicine infrastructure.": (
        "信息系统、平台、健康档案和远程医疗基础设施。"
    ),
    "Transferring clinical techniques and know-how, technical assistance to lower "
    "levels.": "临床技术和经验的传授，对下级机构的技术帮扶。",
    "Planning where services and institutions sit; grids, service radius, allocation of "
    "resources.": "规划服务和机构的布局；网格、服务半径、资源配置。",
    "Insurance payment methods, reimbursement rates and global budgets.": (
        "医保支付方式、报销比例和总额预算。"
    ),
    "Formularies, procurement, distribution and dispensing of medicines.": (
        "药品目录及药品的采购、配送和调剂。"
    ),
    "Setting or adjusting the prices and fees of services.": "制定或调整医疗服务价格和收费。",
    "Raising the service capacity of institutions, especially primary care and key "
    "specialties.": "提升机构的服务能力，尤其是基层医疗和重点专科。",
    "Keeping public institutions non-profit and access equitable.": (
        "坚持公立机构的公益性和服务可及的公平性。"
    ),
    "First contact in primary care, referral paths, appointments and reserved resources "
    "that order patients' care seeking.": (
        "基层首诊、转诊路径、预约和预留号源和床位，使患者有序就医。"
    ),
    "Pilots and demonstration sites whose experience is to be spread.": (
        "以总结推广经验为目的的试点和示范。"
    ),
    "Quantified targets and timelines.": "量化的目标和时间表。",
    "Rules, mechanisms, management structures and standards.": "规章、机制、管理架构和标准。",
    "Performance assessment, rewards, pay linked to results, accountability.": (
        "绩效考核、奖励、与结果挂钩的薪酬、问责。"
    ),
    "Publicity and guidance of public opinion.": "宣传和舆论引导。",
    "Roles and division of labour among levels and institutions.": (
        "各级各类机构的职能定位和分工。"
    ),
    "Sharing staff, equipment, results and information across institutions.": (
        "机构之间共享人员、设备、检查检验结果和信息。"
    ),
    # stakeholders
    "The actors a paragraph addresses or involves; several may apply.": (
        "段落针对或涉及的主体；可多选。"
    ),
    "Governments and their departments (health, insurance, finance, pricing).": (
        "政府及其部门（卫生健康、医保、财政、价格）。"
    ),
    "Secondary and tertiary hospitals, including county hospitals and lead hospitals of "
    "consortia.": "二级和三级医院，包括县级医院和医联体牵头医院。",
    "Township health centres, community health centres and village clinics.": (
        "乡镇卫生院、社区卫生服务中心和村卫生室。"
    ),
    "Doctors and other health workers as actors, including family doctors and "
    "specialists.": "作为行动主体的医生和其他卫生人员，包括家庭医生和专科医生。",
    "Residents, patients and the public as actors or beneficiaries.": (
        "作为行动主体或受益者的居民、患者和公众。"
    ),
    # policy orientation
    "Which of the five policy families of integrated health management the document "
    "belongs to.": "文件属于整合型健康管理五类政策中的哪一类。",
    "Building the tiered care system of first contact in primary care, two-way referral "
    "and separation of acute and chronic care.": (
        "建设基层首诊、双向转诊、急慢分治的分级诊疗制度。"
    ),
    "Building medical consortia of every form (urban groups, county communities, "
    "specialist alliances, telemedicine networks).": (
        "建设各种形式的医联体（城市医疗集团、县域医共体、专科联盟、远程医疗协作网）。"
    ),
    "Using information technology, the internet and digital health to organise care.": (
        "运用信息技术、互联网和数字健康组织医疗服务。"
    ),
    "Health promotion and management with the community as the starting point.": (
        "以社区为基础的健康促进和健康管理。"
    ),
    "The national strategy putting health rather than treatment at the centre, and its "
    "local actions.": "从以治病为中心转向以人民健康为中心的国家战略及其地方行动。",
    # symbiosis (VI-HQMR policy study)
    "The level of the issuing body (entry codes use 00 for national). VI-HQMR policy "
    "study's documents are national and provincial; a municipal or county document keeps "
    "its own level, and a level without documents is no table column. The issuer rules "
    "take the lowest level the issuer names (浙江省云溪县 is county); a county-level city "
    "named after its prefecture (金华市义乌市) is county, one named alone (义乌市) reads as "
    "municipal, so give its level (or region) in the metadata sheet.": (
        "发文机关的层级（条目编码中国家级为 00）。VI-HQMR 政策研究的文件为国家级和省级；"
        "市级或县级文件保留其本身的层级，没有文件的层级不在表中单列。按发文机关确定层级时，取发文机关"
        "所写的最低层级（浙江省云溪县为县级）；冠以所属地级市名称的县级市（金华市义乌市）为县级，"
        "单独写出的（义乌市）读作市级，因此请在元数据表中写明其层级（或地区）。"
    ),
    "The institutions or places taking part in the resource flow named in an entry.": (
        "条目所述资源流动中参与的机构或地方。"
    ),
    "How the units connect (the form of cooperation).": "共生单元之间如何联结（合作的形式）。",
    "The external conditions that support the cooperation, as the entry names them (the "
    "policy, technology or funding it invokes), each filed under one of four groups. A "
    "coder types the group, a colon and the answer (政策环境：多点执业); the same answer "
    "may belong to two groups (telemedicine as a payment policy and as a technology).": (
        "支持合作的外部条件，按条目所写（其援引的政策、技术或资金），各归入四组之一。"
        "编码员写组名、冒号和答案（政策环境：多点执业）；同一答案可属于两组"
        "（远程医疗既是支付政策，也是技术）。"
    ),
    "Payment, staffing, evaluation, practice and recognition rules that enable "
    "cooperation.": "使合作得以进行的支付、人事、考核、执业和结果互认等规定。",
    "Information technology, telemedicine networks and internet hospitals.": (
        "信息技术、远程医疗网络和互联网医院。"
    ),
    "Funding from central, provincial and local budgets and insurance budgets.": (
        "中央、省级和地方财政资金以及医保基金。"
    ),
    "Public opinion, culture and social support.": "社会舆论、文化和社会支持。",
    "What flows between the units (the resources integrated).": (
        "共生单元之间流动的内容（所整合的资源）。"
    ),
    "How benefits are shared among the units.": "共生单元之间如何分配利益。",
    "One unit benefits at the other's cost.": "一方获益，另一方受损。",
    "One unit benefits and the other neither gains nor loses.": "一方获益，另一方无得无失。",
    "Both units benefit.": "双方均获益。",
    # symbiosis theory's organisation degree (点 → 间歇 → 连续 → 一体化) is how organised
    # the cooperation is, not how long it lasts (review of the session-31 diff, 31b)
    "How organised the cooperation between the units is, from a single contact to one "
    "management.": "共生单元之间合作的组织化程度：从一次性合作到统一管理。",
    "A single cooperation at one moment.": "某一时点的一次性合作。",
    "Repeated but discontinuous cooperation.": "反复但不连续的合作。",
    "Cooperation sustained over a set period.": "在一定时期内持续的合作。",
    "Units merged under one management.": "各单元合并，统一管理。",
}


def definition_in(definition: str, lang: str) -> str:
    """``definition`` in ``lang``: for ``zh`` the Chinese of a built-in codebook's
    definition (:data:`DEFINITIONS_ZH`), else ``definition`` as written (a codebook's
    own, in whichever language its author wrote it).

    >>> definition_in("Both units benefit.", "zh")
    '双方均获益。'
    >>> definition_in("A definition of my own.", "zh")
    'A definition of my own.'
    """
    if lang == "zh":
        return DEFINITIONS_ZH.get(definition.strip(), definition)
    return definition
