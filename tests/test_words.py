"""The agreement terms every ``--lang zh`` command prints (``ihms agreement``, ``ihms
policy agreement``, ``ihms policy screen``/``screening``) are one set, spelled once in
:data:`ihms._words.TERMS`: the forms of Chinese methodological writing on kappa, where
prevalence is 患病率 (the epidemiology term of 全国科学技术名词审定委员会's 医学名词,
"prevalence rate 患病率"; 流行率 is not that term), PABAK is 患病率和偏倚调整的 κ (Byrt,
Bishop & Carlin 1993's prevalence- and bias-adjusted kappa), Feinstein & Cicchetti's
high-agreement-low-kappa is the κ 悖论 and the observed proportion of agreement is the
一致率."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import ihms
from ihms._words import TERMS, said

ROOT = Path(ihms.__file__).parent
#: Spellings the commands printed before the terms were one set.
RETIRED = ("流行率", "患病率与偏倚", "偏倚校正", "百分比一致率", "Gwet 的 AC1")


def test_the_chinese_terms():
    assert TERMS["zh"] == {
        "percent agreement": "一致率",
        "PABAK": "患病率和偏倚调整的 κ",
        "kappa paradox": "κ 悖论",
        "prevalence index": "患病率指数",
    }


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _strings(path: Path):
    """The string constants of ``path`` that the program says (docstrings left aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


def test_every_module_takes_the_terms_from_the_word_list():
    terms = tuple(TERMS["zh"].values())
    spelled = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted(ROOT.rglob("*.py"))
        if path != ROOT / "_words.py"
        for line, text in _strings(path)
        if any(word in text for word in (*RETIRED, *terms))
    ]
    assert not spelled, "\n".join(spelled)
    words = ROOT.joinpath("_words.py")
    assert not [t for _, t in _strings(words) if any(w in t for w in RETIRED)]


def _chinese(nodes) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and re.search("[一-鿿]", n.value)
        for node in nodes
        for n in ast.walk(node)
    )


def _on_lang(test: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id in ("lang", "zh") for n in ast.walk(test))


def _language_branches(path: Path):
    """``(function, line)`` of the ``… if lang == "zh" else …`` expressions (or ``if
    zh``) and the ``if lang == "zh":`` blocks of ``path`` with Chinese in a branch: a
    fixed line spelled inline."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    owner = {id(n): f.name for f in functions for n in ast.walk(f)}  # the innermost last
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp):
            branches = [node.body, node.orelse]
        elif isinstance(node, ast.If):
            branches = [*node.body, *node.orelse]
        else:
            continue
        if _on_lang(node.test) and _chinese(branches):
            yield owner.get(id(node), "<module>"), node.lineno


#: ``if lang == "zh":`` blocks left as they are, each saying a sentence built from the
#: data (an indicator's name and unit, a rule's digest, a system's name) or Chinese
#: headers of a file, not a fixed line: a new block is a kind of STATUS instead.
LANGUAGE_BLOCKS = {
    ("_indicator_notes.py", "units_note"),
    ("_indicator_notes.py", "file_notes"),
    ("_payment_out.py", "_write_tables"),
    ("_sim_out.py", "_say_rules"),
    ("system.py", "show"),
}


def test_the_commands_fixed_lines_are_said_from_the_word_list():
    # 图已写入, 已写入 N 行至, 注：… were `"…" if lang == "zh" else "…"` in a dozen places
    # (review zh34 #4), its lags' glm note and payment compare's default-rules note
    # `if lang == "zh":` blocks: each is a kind of ihms._words.STATUS (ihms._words_written)
    inline = [
        (path.name, function, line)
        for path in sorted((ROOT / "cli").glob("*.py"))
        if not path.stem.endswith("_zh")  # the translators say tables in Chinese
        for function, line in _language_branches(path)
    ]
    assert [i for i in inline if i[:2] not in LANGUAGE_BLOCKS] == []
    assert {i[:2] for i in inline} == LANGUAGE_BLOCKS  # none left once said otherwise


def test_the_written_lines_in_both_languages():
    assert said("zh", "rows written to", rows=1234) == "已写入 1,234 行至"
    assert said("en", "rows written to", rows=1234) == "Wrote 1,234 rows to"
    assert (said("zh", "note"), said("en", "note")) == ("注：", "note: ")
    assert said("zh", "store replaced", earlier="x") == "已替换存储中原有的内容：x。"
    assert said("en", "units", parts=said("en", "units list").join("ab")) == "Values in: a; b."


def test_status_is_its_own_lines_and_the_written_ones_none_twice():
    from ihms._words import _LINES, STATUS
    from ihms._words_written import WRITTEN

    assert list(STATUS) == list(_LINES) == list(WRITTEN) == ["en", "zh"]
    for lang in STATUS:
        assert not set(_LINES[lang]) & set(WRITTEN[lang])  # one would hide the other
