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
    assert unit.normalize(" 乡镇卫生院。") == "基层医疗卫生机构"
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
    # symbiosis: 12 units (牵头医院 the twelfth), 11 models, 13 environments (seed 003
    # §3.2.3: 7 core policies, 3 technology themes, 3 economic ones), 10 interfaces
    # (frameworks/symbiosis.yaml)
    assert len(answers) == 12 + 11 + 13 + 10
    assert [(n, d.key, c) for n, d, c in answers if not d.attribute(c, "en")] == []
    cb = load_codebook("symbiosis")
    unit, model = cb.dimension("symbiotic_unit"), cb.dimension("symbiotic_model")
    # seed 003's own terms: section 3.2.1 (units), 3.2.2 (models), 3.2.4 (interfaces)
    assert unit.value_label("基层医疗卫生机构") == "Primary care facilities"
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
    assert derive_metadata(cb, example_docs["N05"])["nature"][0] == "planning"  # 指导意见


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


def test_one_english_label_per_chinese_term_across_the_built_in_codebooks():
    # session 23 review F13: 基层医疗卫生机构 was "Grassroots hospitals" (6D) and "PHC
    # institutions" (symbiosis), 医联体 "Medical association" and "Medical alliance", …
    # Chosen as seed 001 (Wang et al.) writes them where it names the term — medical
    # consortium, leading hospital, primary care facilities — else seed 000's
    # "second-class and above hospitals" (二级以上医院; seed 001 does not name it).
    from collections import defaultdict

    from ihms.policy.network import labels_of

    seen: dict[str, set[str]] = defaultdict(set)
    for name in ("6d", "symbiosis"):
        for dim in load_codebook(name).dimensions:
            for c in dim.categories:
                if c.zh:
                    seen[c.zh.replace("及", "")].add(c.en)
            if dim.kind == "open":
                for zh, en in labels_of(dim, "en").items():
                    if en != zh:
                        seen[zh.replace("及", "")].add(en)
    assert {zh: en for zh, en in seen.items() if len(en) > 1} == {}
    assert seen["医联体"] == {"Medical consortium"}
    assert seen["基层医疗卫生机构"] == {"Primary care facilities"}
    assert seen["二级以上医院"] == {"Second-class-and-above hospitals"}
    assert seen["牵头医院"] == {"Leading hospitals"}
