"""Building the ``project.qde`` of an ihms coding project (see :mod:`ihms.policy.qdpx`).

Everything a REFI-QDA program shows is built here as an lxml tree in the order
``Project.xsd`` prescribes (Users, CodeBook, Variables, Cases, Sources, Notes,
Description).
GUIDs are RFC 4122 version-5 UUIDs derived from the project (its name and creation time)
and the item (document id, coder, segment, category), so exporting the same project
twice gives the same GUIDs and two projects never share one.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field

from ihms.policy._qdpx_read import QDA_NS

__all__ = ["ExportPlan", "build_project", "guid_maker"]

_Q = "{" + QDA_NS + "}"
_IHMS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ihms:policy:qdpx")
_COLOURS = ("#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2",
            "#7F7F7F", "#BCBD22", "#17BECF")  # fmt: skip
NONE_NAME = {"zh": "无", "en": "none"}
_WORDS = {
    "zh": {
        "title": "标题", "issuer": "发文机关", "doc_number": "文号", "date": "发布日期",
        "region": "地区", "id": "ihms 文件编号", "keywords": "关键词", "key": "ihms 代码", "synonyms": "同义词",
        "multi": "可多选：一个片段可编码多个类目。", "single": "单选：一个片段只编码一个类目。",
        "none": "“无”表示已编码、本维度无适用类目。",
        "none_code": "已编码：本维度没有适用的类目（ihms 记为“无”）。",
    },
    "en": {
        "title": "Title", "issuer": "Issuer", "doc_number": "Document number",
        "date": "Date issued", "region": "Region", "id": "ihms document id",
        "keywords": "Keywords", "key": "ihms key", "synonyms": "Synonyms",
        "multi": "Multi-label: code every category that applies.",
        "single": "Single-label: one category per segment.",
        "none": "'none' marks a segment coded as: no category of this dimension applies.",
        "none_code": "Coded: no category of this dimension applies (ihms records 'none').",
    },
}  # fmt: skip


def guid_maker(project_key: str):
    """A function of item parts giving the item's GUID within this project."""
    space = uuid.uuid5(_IHMS, project_key)

    def guid(*parts: str) -> str:
        return str(uuid.uuid5(space, "\x1f".join(parts)))

    return guid


@dataclass
class ExportPlan:
    """What goes into the file, gathered by :func:`ihms.policy.qdpx.export_qdpx`."""

    name: str
    origin: str
    description: str
    lang: str
    metadata: str
    newline: str
    guid: object
    codebook: object
    documents: list  # Document objects
    variables: dict  # doc id -> [(var key, label, type, value)]
    users: list  # (coder id, display name)
    spans: dict  # doc id -> {segment id: (start, end)}
    seg_text: dict  # segment id -> text
    answers: dict  # (coder, segment) -> {dimension: [(value, coded_at)]}
    open_values: dict = field(default_factory=dict)  # dimension -> values seen
    # (coder, segment, dimension) -> (name, text, time) of a note on those codings
    notes: dict = field(default_factory=dict)
    # (coder, name, text, time) of a note on a user of its own: a machine coder's model
    memos: list = field(default_factory=list)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    """Text XML 1.0 can carry: control characters (a PDF's form feed) become spaces."""
    return _NOT_XML.sub(" ", value)


def _sub(parent, tag: str, text: str | None = None, **attrs):
    from lxml import etree

    values = {k: _xml_safe(v) for k, v in attrs.items() if v is not None}
    el = etree.SubElement(parent, _Q + tag, values)
    if text is not None:
        el.text = _xml_safe(text)
    return el


def _xml_time(value: str | None) -> str | None:
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def _codebook(plan: ExportPlan, root) -> dict[tuple[str, str], str]:
    """The CodeBook element; returns the code GUID of each (dimension, value)."""
    words, other, lang = _WORDS[plan.lang], _other(plan.lang), plan.lang
    codes = _sub(_sub(root, "CodeBook"), "Codes")
    refs: dict[tuple[str, str], str] = {}
    for i, dim in enumerate(plan.codebook.coded):
        colour = _COLOURS[i % len(_COLOURS)]
        about = [f"{dim.label(other)} ({words['key']}: {dim.key})", dim.definition,
                 words["multi"] if dim.multi else words["single"], words["none"]]  # fmt: skip
        node = _sub(codes, "Code", guid=plan.guid("dimension", dim.key), name=dim.label(lang),
                    isCodable="false", color=colour)  # fmt: skip
        _sub(node, "Description", "\n".join(a for a in about if a))
        parents = {None: node}
        for g in dim.groups or dim.answer_groups:
            group = _sub(node, "Code", guid=plan.guid("group", dim.key, g.key), name=g.label(lang),
                         isCodable="false", color=colour)  # fmt: skip
            _sub(group, "Description", "\n".join(a for a in (g.label(other), g.definition) if a))
            parents[g.key] = group
        if dim.kind == "closed":
            for c in dim.categories:
                keywords = c.keywords_zh if lang == "zh" else c.keywords_en
                about = [f"{c.label(other)} ({words['key']}: {c.key})", c.definition,
                         f"{words['keywords']}: {'、'.join(keywords) if lang == 'zh' else '; '.join(keywords)}"
                         if keywords else ""]  # fmt: skip
                guid = plan.guid("category", dim.key, c.key)
                code = _sub(parents.get(c.group, node), "Code", guid=guid, name=c.label(lang),
                            isCodable="true", color=colour)  # fmt: skip
                _sub(code, "Description", "\n".join(a for a in about if a))
                refs[(dim.key, c.key)] = guid
        else:
            # a grouped dimension's answers sit under their group (those coded there:
            # the synonym dictionary's answers belong to no one group)
            known = [] if dim.answer_groups else [canon for canon, _ in dim.synonyms]
            seen = sorted(plan.open_values.get(dim.key, set()) - set(known), key=dim.sort_key)
            spellings = dict(dim.synonyms)
            for value in [*known, *seen]:
                # named in ``lang`` as the tables name it (an answer's English name reads
                # back as the answer on import); the answer as coded and its synonyms below
                group, answer = dim.split_answer(value)
                guid, name = plan.guid("answer", dim.key, value), dim.value_label(answer, lang)
                code = _sub(parents.get(group, node), "Code", guid=guid, name=name,
                            isCodable="true", color=colour)  # fmt: skip
                shown = dim.value_label(answer, other)
                about = [shown if shown == answer else f"{shown} ({words['key']}: {answer})",
                         f"{words['synonyms']}: {'、'.join(spellings[answer])}"
                         if spellings.get(answer) else ""]  # fmt: skip
                if shown == name:
                    about[0] = ""
                if any(about):
                    _sub(code, "Description", "\n".join(a for a in about if a))
                refs[(dim.key, value)] = guid
        none = _sub(node, "Code", guid=plan.guid("none", dim.key), name=NONE_NAME[lang],
                    isCodable="true", color=colour)  # fmt: skip
        _sub(none, "Description", words["none_code"])
        refs[(dim.key, "")] = plan.guid("none", dim.key)
    return refs


def _variable_values(parent, plan: ExportPlan, doc_id: str) -> None:
    for key, _label, kind, value in plan.variables[doc_id]:
        if value in (None, ""):
            continue
        holder = _sub(parent, "VariableValue")
        _sub(holder, "VariableRef", targetGUID=plan.guid("variable", key))
        _sub(holder, "DateValue" if kind == "Date" else "TextValue", str(value))


def _describe(plan: ExportPlan, doc) -> str:
    words = _WORDS[plan.lang]
    lines = [f"{words['id']}: {doc.id}"]
    for _key, label, _kind, value in plan.variables[doc.id]:
        if value not in (None, ""):
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def source_text(plan: ExportPlan, text: str) -> tuple[str, list[int]]:
    """The text written to ``sources/``, and the line-break offsets that shift positions
    when breaks are written as ``\\r\\n``."""
    if plan.newline == "crlf":
        return text.replace("\n", "\r\n"), [i for i, ch in enumerate(text) if ch == "\n"]
    return text, []


def _selection_name(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 40 else flat[:40] + "…"


def build_project(plan: ExportPlan) -> tuple[bytes, dict[str, str], int, int]:
    """The ``project.qde`` bytes, the source files (archive name → text), and the
    numbers of selections and codings written."""
    from lxml import etree

    root = etree.Element(
        _Q + "Project",
        {"name": plan.name, "origin": plan.origin,
         "creationDateTime": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
        nsmap={None: QDA_NS},
    )  # fmt: skip
    if plan.users:
        users = _sub(root, "Users")
        for coder, display in plan.users:
            _sub(users, "User", guid=plan.guid("user", coder), name=display, id=coder)
    refs = _codebook(plan, root)
    docs = plan.documents
    keys: dict[tuple[str, str, str], None] = {}  # first-seen order
    for d in docs:
        keys.update(dict.fromkeys((k, label, kind) for k, label, kind, _ in plan.variables[d.id]))
    if keys:
        variables = _sub(root, "Variables")
        for key, label, kind in keys:
            _sub(variables, "Variable", guid=plan.guid("variable", key), name=label,
                 typeOfVariable=kind)  # fmt: skip
    if plan.metadata in ("cases", "both") and docs:
        cases = _sub(root, "Cases")
        for d in docs:
            case = _sub(cases, "Case", guid=plan.guid("case", d.id), name=d.id)
            _sub(case, "Description", d.title or d.id)
            _variable_values(case, plan, d.id)
            _sub(case, "SourceRef", targetGUID=plan.guid("source", d.id))
    files: dict[str, str] = {}
    noted: list[tuple[str, str, str]] = []
    n_sel = n_codings = 0
    sources = _sub(root, "Sources") if docs else None
    for d in docs:
        guid = plan.guid("source", d.id)
        text, breaks = source_text(plan, d.text)
        files[f"sources/{guid}.txt"] = text
        src = _sub(
            sources, "TextSource", guid=guid, name=d.id, plainTextPath=f"internal://{guid}.txt"
        )
        _sub(src, "Description", _describe(plan, d))
        spans = plan.spans.get(d.id, {})
        here = sorted((spans[seg], coder, seg) for coder, seg in plan.answers if seg in spans)
        for (start, end), coder, seg in here:
            by_dim = plan.answers[(coder, seg)]
            start, end = start + bisect_left(breaks, start), end + bisect_left(breaks, end)
            stamps = [t for values in by_dim.values() for _, t in values]
            user = plan.guid("user", coder)
            sel = _sub(src, "PlainTextSelection", guid=plan.guid("selection", coder, seg),
                       name=_selection_name(plan.seg_text[seg]), startPosition=str(start),
                       endPosition=str(end), creatingUser=user,
                       creationDateTime=_xml_time(min(stamps) if stamps else None))  # fmt: skip
            n_sel += 1
            for dim_key, values in sorted(by_dim.items()):
                for value, when in sorted(values):
                    coding = _sub(sel, "Coding", guid=plan.guid("coding", coder, seg, dim_key, value),
                                  creatingUser=user, creationDateTime=_xml_time(when))  # fmt: skip
                    _sub(coding, "CodeRef", targetGUID=refs[(dim_key, value)])
                    if (coder, seg, dim_key) in plan.notes:
                        _sub(coding, "NoteRef", targetGUID=plan.guid("note", coder, seg, dim_key))
                        noted.append((coder, seg, dim_key))
                    n_codings += 1
        if plan.metadata in ("sources", "both"):
            _variable_values(src, plan, d.id)
    if noted or plan.memos:
        notes = _sub(root, "Notes")
        for coder, name, text, when in plan.memos:
            note = _sub(notes, "Note", guid=plan.guid("memo", coder), name=name,
                        creatingUser=plan.guid("user", coder), creationDateTime=_xml_time(when))  # fmt: skip
            _sub(note, "PlainTextContent", text)
        for key in dict.fromkeys(noted):
            name, text, when = plan.notes[key]
            note = _sub(notes, "Note", guid=plan.guid("note", *key), name=name,
                        creatingUser=plan.guid("user", key[0]), creationDateTime=_xml_time(when))  # fmt: skip
            _sub(note, "PlainTextContent", text)
    _sub(root, "Description", plan.description)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml, files, n_sel, n_codings


def variables_of(doc, derived: dict, codebook, lang: str) -> list[tuple[str, str, str, object]]:
    """A document's variables: ``(key, name, type, value)``; metadata dimensions of the
    codebook (policy level, nature, orientation; not the year) by their category names."""
    words = _WORDS[lang]
    out: list[tuple[str, str, str, object]] = [
        ("title", words["title"], "Text", doc.title),
        ("issuer", words["issuer"], "Text", doc.issuer),
        ("doc_number", words["doc_number"], "Text", doc.doc_number),
        ("date", words["date"], "Date", doc.date.isoformat() if doc.date else None),
        ("region", words["region"], "Text", doc.region),
    ]
    for dim in codebook.derived:
        if dim.kind != "closed":
            continue
        value = derived.get(dim.key)
        out.append((f"dim:{dim.key}", dim.label(lang), "Text",
                    dim.category(value).label(lang) if value else None))  # fmt: skip
    return out
