import pytest

from ihms.errors import ConfigError, InputError
from ihms.policy.codebook import BUILTIN_CODEBOOKS, derive_metadata, load_codebook, parse_codebook


def test_builtin_six_d_matches_seed_000():
    cb = load_codebook("6d")
    assert [d.key for d in cb.dimensions] == [
        "level",
        "nature",
        "year",
        "orientation",
        "tools",
        "stakeholders",
    ]
    tools = cb.dimension("政策工具")
    # seed 000, Table 3: 5 supply, 7 demand and 6 environment tools
    groups = [c.group for c in tools.categories]
    assert (groups.count("supply"), groups.count("demand"), groups.count("environment")) == (
        5,
        7,
        6,
    )
    assert tools.multi and tools.kind == "closed"
    assert [c.key for c in cb.dimension("stakeholders").categories] == [
        "governments", "second_class_hospitals", "grassroots_hospitals", "physicians", "residents",
    ]  # fmt: skip
    for d in cb.dimensions:
        for c in d.categories:
            assert c.definition and c.en and c.zh, (d.key, c.key)
    for c in tools.categories:
        assert c.keywords_zh and c.keywords_en
    # before: the generated reprs printed every category and the file's text (~28,000
    # characters for the codebook, ~6,000 for the tools)
    assert repr(cb) == (
        "<Codebook: name='6d', version=1, dimensions=('level', 'nature', 'year', "
        "'orientation', 'tools', 'stakeholders')>"
    )
    assert repr(tools) == (  # seed 000, Table 3: 5 + 7 + 6 = 18 tools
        "<Dimension: key='tools', kind='closed', multi=True, source='coded', categories=18>"
    )


def test_category_lookup_by_any_name():
    tools = load_codebook("6d").dimension("tools")
    assert tools.category("人才建设").key == "talent_construction"
    assert tools.category("talent construction").key == "talent_construction"
    assert tools.category("Talent_Construction").key == "talent_construction"
    assert tools.group_of("医保支付").key == "demand"
    with pytest.raises(InputError, match="unknown category 'salary'"):
        tools.category("salary")
    # a misspelt name is pointed at the name it nearly is, in the language it was typed
    with pytest.raises(
        InputError, match="'Talent constructon' — did you mean 'Talent construction'"
    ):
        tools.category("Talent constructon")


def test_symbiosis_open_dimensions_normalise():
    cb = load_codebook("symbiosis")
    unit = cb.dimension("共生单元")
    assert unit.kind == "open" and unit.multi
    assert unit.normalize(" 社区卫生服务中心。") == "社区卫生服务机构"
    assert unit.normalize("三级公立医院") == "三级医院"
    assert unit.normalize("某新机构") == "某新机构"
    assert unit.attribute("县级医院", "tier") == 3
    # DOMAIN §2: the environment is open-coded too, under a closed second level
    env = cb.dimension("symbiotic_environment")
    assert env.kind == "open" and env.category_keys == () and env.groups == ()
    assert [g.key for g in env.answer_groups] == ["policy", "technology", "economy", "society"]


def test_every_open_answer_has_an_english_name():
    answers = [
        (name, d, canon)
        for name in BUILTIN_CODEBOOKS
        for d in load_codebook(name).dimensions
        if d.kind == "open"
        for canon, _ in d.synonyms
    ]
    # symbiosis: 17 units (the 12 before review seeds32 M2, with urban and district
    # hospitals, community facilities, township hospitals and townships), 20 models (11,
    # with M3's nine: remote consultation, internet hospital, regional medical center,
    # clinical teaching, technical cooperation, trusteeship, specialty co-construction,
    # joint wards, online referral), 13 environments (seed 003 §3.2.3: 7 core policies,
    # 3 technology themes, 3 economic ones), 11 interfaces (§3.2.4, pediatric medical
    # resources the eleventh) (frameworks/symbiosis.yaml)
    assert len(answers) == 17 + 20 + 13 + 11
    assert [(n, d.key, c) for n, d, c in answers if not d.attribute(c, "en")] == []
    cb = load_codebook("symbiosis")
    unit, model = cb.dimension("symbiotic_unit"), cb.dimension("symbiotic_model")
    # seed 003's own terms: section 3.2.1 (units), 3.2.2 (models), 3.2.4 (interfaces)
    assert unit.value_label("基层医疗卫生机构") == "PHC institutions"
    assert unit.value_label("县级医院", "en") == "County hospitals"
    assert model.value_label("对口支援") == "Pairing assistance"
    assert model.value_label("县域医共体") == "County medical community"
    assert cb.dimension("symbiotic_interface").value_label("人员") == "Personnel"
    # Chinese output keeps the answer; an answer outside the dictionary shows as coded
    assert unit.value_label("基层医疗卫生机构", "zh") == "基层医疗卫生机构"
    assert unit.value_label("某新机构") == "某新机构"
    # a grouped answer is named with its group; a group alone by its name
    env = cb.dimension("symbiotic_environment")
    assert env.value_label("policy:多点执业") == "Policy: Multi-site practice"
    assert env.value_label("policy:多点执业", "zh") == "政策环境：多点执业"
    assert (env.value_label("政策环境"), env.value_label("policy", "zh")) == ("Policy", "政策环境")
    # closed categories and years keep their own labels
    assert cb.dimension("behaviour").value_label("互惠共生") == "Mutualism"
    assert cb.dimension("year").value_label("2017") == "2017"


OPEN = """
name: mini
dimensions:
  - key: unit
    en: Unit
    zh: 单元
    kind: open
    synonyms:
      三级医院: [三甲医院]
      县级医院: [县医院]
    attributes:
      三级医院: {tier: 4, en: Tertiary hospitals}
      县级医院: {tier: 3, en: County hospitals}
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("en: County hospitals", "en: tertiary  Hospitals"),
            "'en' name 'tertiary  Hospitals' of '县级医院' also names '三级医院'",
        ),
        (lambda t: t.replace("en: County hospitals", "en: 3"), r"attribute 'en' of '县级医院'"),
        (lambda t: t.replace("en: County hospitals", "en: ''"), "expected a name, got ''"),
    ],
)
def test_english_names_of_open_answers_are_names_and_unique(edit, message):
    assert parse_codebook(OPEN).dimension("unit").value_label("县级医院") == "County hospitals"
    with pytest.raises(ConfigError, match=message):
        parse_codebook(edit(OPEN))


def test_metadata_rules(example_docs):
    cb = load_codebook("6d")
    m = derive_metadata(cb, example_docs["P11"])
    assert m["level"] == ("provincial", "level '省级'")
    assert m["nature"][0] == "regulations"  # 通知
    assert m["orientation"][0] == "healthy_community"  # 健康社区 before 健康中国 rules
    assert m["year"] == (2020, "date")
    assert (
        derive_metadata(cb, example_docs["N04"])["orientation"][0] == "healthy_china"
    )  # sheet 健康中国
    assert derive_metadata(cb, example_docs["S03"])["level"][0] == "shanghai"
    # 指导意见: an opinion is an implementation document (Yu et al. 2024's Discussion)
    assert derive_metadata(cb, example_docs["N05"])["nature"][0] == "regulations"


GOOD = """
name: mini
dimensions:
  - key: tool
    en: Tool
    zh: 工具
    kind: closed
    categories:
      - {key: a, en: A, zh: 甲}
      - {key: b, en: B, zh: 乙}
"""


def test_user_codebook_validates():
    cb = parse_codebook(GOOD)
    assert cb.dimension("工具").category("乙").key == "b"
    assert len(cb.sha256) == 64


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("key: b", "key: a"), "category key 'a' repeats"),
        (
            lambda t: t.replace("kind: closed", "kind: shut"),
            r"dimensions\[0\] \(key 'tool'\)\.kind: Input should be .closed.",
        ),
        (lambda t: t.replace("zh: 乙", "zh: 甲"), "also names"),
        (lambda t: t + "    multi: maybe\n", "multi"),
        (
            lambda t: t.replace("{key: a, en: A, zh: 甲}", "{key: a, en: A, zh: 甲, group: g}"),
            "no groups are defined",
        ),
        (lambda t: "name: [unclosed", "not valid YAML"),
    ],
)
def test_invalid_codebooks_say_where(edit, message):
    with pytest.raises(ConfigError, match=message):
        parse_codebook(edit(GOOD))


def test_rules_must_name_categories_and_compile():
    text = GOOD.replace(
        "    kind: closed\n",
        "    kind: closed\n    source: metadata\n    derive:\n      field: level\n      rules:\n"
        "        - {field: title, pattern: '(', category: zz}\n",
    )
    with pytest.raises(ConfigError) as err:
        parse_codebook(text)
    assert "unknown category 'zz'" in str(err.value)
    assert "not a regular expression" in str(err.value)


def test_unknown_builtin_or_file():
    with pytest.raises(ConfigError, match="not a built-in codebook"):
        load_codebook("seven_d")


def test_a_project_file_is_not_a_codebook(tmp_path):
    from ihms.policy.project import Project

    path = tmp_path / "study.sqlite"
    Project.create(path, load_codebook("6d")).close()
    with pytest.raises(ConfigError, match="coding project"):
        load_codebook(path)


def test_a_codebook_saved_as_gbk_reads(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes(load_codebook("symbiosis").text.encode("gb18030"))
    assert load_codebook(path).dimension("symbiotic_unit").key == "symbiotic_unit"


def test_full_width_names_read_as_the_names_they_are():
    # Walk 17: a coding sheet typed with a Chinese input method in full-width mode
    # ('Ｇｒａｓｓｒｏｏｔｓ hospitals') was refused as an unknown category, although
    # `autocode table` reads the same label as NFKC text (Ａ as A)
    cb = load_codebook("6d")
    stakeholders = cb.dimension("stakeholders")
    assert stakeholders.category("Ｇｒａｓｓｒｏｏｔｓ hospitals").key == "grassroots_hospitals"
    assert cb.dimension("ｔｏｏｌｓ").key == "tools"
    assert cb.dimension("tools").category("Ｔａｌｅｎｔ　ｃｏｎｓｔｒｕｃｔｉｏｎ").key == (
        "talent_construction"
    )  # an ideographic space too


def test_a_tab_in_a_codebook_is_named_with_its_line_and_what_to_do():
    # Walk 17: a tab typed before '- key:' gave PyYAML's own text ("found character
    # '\t' that cannot start any token ... in "<unicode string>", line 160, column 1")
    lines = load_codebook("6d").text.splitlines()
    at = next(i for i, line in enumerate(lines) if "- key: financial_guarantee" in line)
    lines[at] = "\t- key: financial_guarantee"
    with pytest.raises(ConfigError) as err:
        parse_codebook("\n".join(lines), name="my6d.yaml")
    assert str(err.value).startswith(f"codebook my6d.yaml line {at + 1}, column 1: not valid YAML")
    assert str(err.value).endswith("YAML indents with spaces, not tabs")


def test_a_key_given_twice_in_a_codebook_is_refused_with_both_lines():
    # Walk 17: a category with 'zh:' twice (资金保障, then 财政投入) loaded silently with
    # the second; coders typing 资金保障 were then told it is an unknown category
    lines = load_codebook("6d").text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "zh: 资金保障")
    lines.insert(at + 1, "        zh: 财政投入")
    with pytest.raises(ConfigError) as err:
        parse_codebook("\n".join(lines), name="my6d.yaml")
    assert f"my6d.yaml line {at + 2}" in str(err.value)
    assert f"key 'zh' is given twice (first at line {at + 1})" in str(err.value)
    # a project made before keeps opening with the codebook it was coded with
    kept = parse_codebook("\n".join(lines), name="my6d.yaml", stored=True)
    assert kept.dimension("tools").category("财政投入").key == "financial_guarantee"


def test_a_stored_codebook_is_read_once_per_text():
    # every Project.codebook() parsed the stored YAML anew (twice: once more for keys
    # given twice, which a stored codebook does not check); it is frozen, so one object
    # serves every call (CI time, session 38)
    text = load_codebook("6d").text
    stored = parse_codebook(text, name="6d", stored=True)
    assert parse_codebook(text, name="6d", stored=True) is stored
    assert parse_codebook(text, name="6d") is not stored  # a file is read each time
    assert parse_codebook(text, name="6d").sha256 == stored.sha256
    # a built-in codebook, read from ihms's own files, is read once too
    assert load_codebook("6D") is load_codebook("6d") is not load_codebook("symbiosis")


def test_each_built_in_codebook_names_terms_as_its_own_study():
    # review seeds32 M5 (the lead's decision, replacing session 23 F13's one English
    # name per Chinese term across both): the 6D codebook prints Yu et al. 2024's names
    # (seed 000, Tables 4 and 5: "Grassroots hospitals", "Medical association"), the
    # symbiosis codebook the VI-HQMR study's (seed 003 §3.2.1 "PHC institutions", §3.2.2
    # "medical alliance", §4 "the head hospital"); each name an earlier version showed
    # stays an alias or synonym, so a sheet typed with it still reads
    six_d = load_codebook("6d")
    orientation, stakeholders = six_d.dimension("orientation"), six_d.dimension("stakeholders")
    assert orientation.category("medical_association").en == "Medical association"
    assert stakeholders.category("grassroots_hospitals").en == "Grassroots hospitals"
    assert orientation.category("Medical consortium").key == "medical_association"
    assert stakeholders.category("Primary care facilities").key == "grassroots_hospitals"

    sym = load_codebook("symbiosis")
    unit, model = sym.dimension("symbiotic_unit"), sym.dimension("symbiotic_model")
    named = {
        (unit, "基层医疗卫生机构"): ("PHC institutions", "Primary care facilities"),
        (unit, "二级以上医院"): (
            "Hospitals at the secondary level and above",
            "Second-class-and-above hospitals",
        ),
        (unit, "牵头医院"): ("Head hospitals", "Leading hospitals"),
        (model, "医联体"): ("Medical alliance", "Medical consortium"),
    }
    for (dim, zh), (en, before) in named.items():
        assert dim.value_label(zh) == en
        assert dim.normalize(en) == dim.normalize(before) == zh
    # within one codebook a Chinese term still has one English name (the load refuses
    # an 'en' that is another answer's spelling)
    from collections import defaultdict

    from ihms.policy.network import labels_of

    for name in BUILTIN_CODEBOOKS:
        seen: dict[str, set[str]] = defaultdict(set)
        for dim in load_codebook(name).dimensions:
            for c in dim.categories:
                if c.zh:
                    seen[c.zh.replace("及", "")].add(c.en)
            if dim.kind == "open":
                for zh, en in labels_of(dim, "en").items():
                    if en != zh:
                        seen[zh.replace("及", "")].add(en)
        assert {zh: en for zh, en in seen.items() if len(en) > 1} == {}, name


def test_symbiosis_keeps_apart_the_units_and_models_the_study_kept_apart():
    # review seeds32 M2: seed 003 §3.2.1 "maintained the distinction between hospital
    # levels and types", naming urban hospitals, townships, township hospitals and
    # community facilities beside PHC institutions; a regional medical centre is a model
    # (§3.2.2), and Gao et al. 2022 §2.2 pair district with county hospitals
    sym = load_codebook("symbiosis")
    unit, model = sym.dimension("symbiotic_unit"), sym.dimension("symbiotic_model")
    units = {
        a: unit.normalize(a)
        for a in ("城市医院", "区级医院", "社区卫生服务中心", "乡镇卫生院", "乡镇")
    }
    assert units == {
        "城市医院": "城市医院",
        "区级医院": "区级医院",
        "社区卫生服务中心": "社区卫生服务机构",
        "乡镇卫生院": "乡镇卫生院",
        "乡镇": "乡镇",
    }
    assert unit.normalize("三级医院") != unit.normalize("城市医院")
    assert unit.attribute("区级医院", "tier") == unit.attribute("县级医院", "tier") == 3
    assert unit.attribute("市级医院", "tier") == 4
    assert [unit.value_label(u) for u in units.values()] == [
        "Urban hospitals", "District hospitals", "Community facilities",
        "Township hospitals", "Townships",
    ]  # fmt: skip
    canon = {c for c, _ in unit.synonyms}
    assert "国家区域医疗中心" not in canon and unit.normalize("国家区域医疗中心") not in canon
    # M3: §3.2.2 lists these models apart; internet hospital is a §3.2.3 theme
    apart = {
        "远程会诊": "Remote consultation",
        "远程医疗": "Telemedicine",
        "互联网医院": "Internet hospital",
        "技术协作": "Technical cooperation",
        "技术帮扶": "Technical support",
        "国家区域医疗中心": "Regional medical center",
        "托管": "Trusteeship",
        "专科共建": "Specialty co-construction",
        "带教": "Clinical teaching",
        "进修": "Talent training",
        "联合病房": "Joint wards",
        "线上转诊": "Online referral",
    }
    assert {a: model.value_label(model.normalize(a)) for a in apart} == apart
    # §3.2.4: pediatric medical resources, one of the interfaces the study names
    interface = sym.dimension("symbiotic_interface")
    assert interface.value_label(interface.normalize("儿科资源")) == "Pediatric medical resources"


@pytest.mark.parametrize(
    ("title", "nature"),
    [
        # Yu et al. 2024 (seed 000, Discussion): "general documents such as outlines and
        # plans", "implementation documents such as opinions and notices", "prescriptive
        # documents such as programs and methods" (review seeds32 M6)
        ("健康中国建设规划纲要", "planning"),
        ("关于印发“十四五”卫生健康人才发展规划的通知", "planning"),
        ("江西省医联体建设三年行动计划", "planning"),
        ("国务院办公厅关于推进医疗联合体建设和发展的指导意见", "regulations"),
        ("国务院关于实施健康中国行动的意见", "regulations"),
        ("关于推进紧密型县域医共体建设的实施意见", "regulations"),
        ("江苏省医联体建设实施方案", "regulations"),
        ("关于开展医联体综合绩效考核工作的通知", "regulations"),
    ],
)
def test_nature_from_the_title_as_yu_et_al_2024_group_it(title, nature):
    from types import SimpleNamespace

    cb = load_codebook("6d")
    doc = SimpleNamespace(title=title, issuer="国务院", date=None, level=None, nature=None,
                          orientation=None, region=None)  # fmt: skip
    assert derive_metadata(cb, doc)["nature"][0] == nature
