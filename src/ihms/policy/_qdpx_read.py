"""Reading a REFI-QDA project exchange file (``.qdpx``) into plain frozen objects.

A ``.qdpx`` is a zip archive holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``, schema ``Project.xsd`` of QDA-XML 1.0, 18 March 2019) and a
``sources`` folder with the documents (NVivo names it ``Sources``, MAXQDA ``sources``;
both are read). Only what a coding import needs is read: users, the code tree, text
sources with their plain text, and their text selections with the codes applied. PDF,
picture, audio and video sources are counted and left out.

Every problem with the file itself — not a zip, no ``project.qde``, XML that does not
parse, the wrong namespace, a source whose text file is missing or not UTF-8, a
selection whose positions are not integers, fall outside its source's text or end before
they start — is collected and raised together as one :class:`~ihms.errors.DataError` (or
an :class:`~ihms.errors.InputError` when the archive cannot be opened at all).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ihms.errors import DataError, InputError

__all__ = [
    "QDA_NS",
    "QdpxCode",
    "QdpxCoding",
    "QdpxFile",
    "QdpxSelection",
    "QdpxSource",
    "QdpxUser",
    "read_qdpx",
]

QDA_NS = "urn:QDA-XML:project:1.0"
_Q = "{" + QDA_NS + "}"
_OTHER_SOURCES = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class QdpxUser:
    guid: str
    name: str
    id: str


@dataclass(frozen=True)
class QdpxCode:
    """A code of the file's code book; ``path`` holds its ancestors' names and its own."""

    guid: str
    name: str
    path: tuple[str, ...]
    codable: bool

    @property
    def label(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class QdpxCoding:
    code_guid: str
    user_guid: str | None
    created: str | None
    #: GUIDs (lower case) of the notes the coding refers to (``NoteRef``)
    note_guids: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdpxSelection:
    """A text selection: ``[start, end)`` in code points of its source's plain text."""

    guid: str
    start: int
    end: int
    codings: tuple[QdpxCoding, ...]


@dataclass(frozen=True)
class QdpxSource:
    """A text source: ``text`` is its plain text as the selections' positions count it."""

    guid: str
    name: str
    text: str
    selections: tuple[QdpxSelection, ...]
    had_crlf: bool


@dataclass(frozen=True)
class QdpxFile:
    path: str
    name: str
    origin: str
    users: tuple[QdpxUser, ...]
    codes: tuple[QdpxCode, ...]
    case_guids: frozenset[str]
    sources: tuple[QdpxSource, ...]
    other_sources: int
    #: how positions counted a "\r\n" line break: "one" or "two" characters
    crlf: str = "two"
    #: the project's notes (``Notes/Note``): their plain text by lower-case GUID
    notes: dict[str, str] = field(default_factory=dict, hash=False)

    def code(self, guid: str) -> QdpxCode | None:
        return next((c for c in self.codes if c.guid.lower() == guid.lower()), None)

    def note_refs(self, users: set, mapping: dict) -> dict[tuple[str, str], set[str]]:
        """``{(selection GUID, dimension): note GUIDs}`` the codings of ``users`` (lower-case
        GUIDs) refer to, for codes ``mapping`` (code GUID → ``(dimension, value)``) maps."""
        refs: dict[tuple[str, str], set[str]] = {}
        for src in self.sources:
            for sel in src.selections:
                for c in sel.codings:
                    if (
                        c.note_guids
                        and c.code_guid in mapping
                        and (c.user_guid or "").lower() in users
                    ):
                        refs.setdefault((sel.guid, mapping[c.code_guid][0]), set()).update(
                            c.note_guids
                        )
        return refs


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise InputError(f"REFI-QDA file {str(path)!r} does not exist")
    if not zipfile.is_zipfile(path):
        raise InputError(
            f"{path}: not a zip archive; a .qdpx file is a zip holding project.qde and a "
            "sources folder (export it from NVivo, ATLAS.ti or MAXQDA as a REFI-QDA project)"
        )
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: cannot open the zip archive ({exc})") from None


def _project_entry(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if not n.endswith("/")]
    exact = [n for n in names if n.lower() == "project.qde"]
    if exact:
        return exact[0]
    qde = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
    if len(qde) == 1:
        return qde[0]
    shown = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
    raise InputError(
        f"{path}: no project.qde in the archive (it holds: {shown or 'nothing'}); "
        "a REFI-QDA project file keeps its XML in project.qde at the top of the zip"
    )


def _parse_xml(data: bytes, where: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{where}: not well-formed XML ({exc})") from None
    if _local(root.tag) != "Project" or not root.tag.startswith(_Q):
        ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else "(none)"
        raise InputError(
            f"{where}: root element is {_local(root.tag)!r} in namespace {ns!r}; expected "
            f"'Project' in namespace {QDA_NS!r} (REFI-QDA project exchange, QDA-XML 1.0)"
        )
    return root


def _decode(data: bytes, where: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    return data.decode("utf-8")


def _source_text(el, archive: zipfile.ZipFile, where: str) -> tuple[str | None, str]:
    """The plain text of a TextSource, or (None, problem)."""
    name = el.get("name") or el.get("guid")
    content = el.find(_Q + "PlainTextContent")
    if content is not None:
        return content.text or "", ""
    ref = el.get("plainTextPath")
    if not ref:
        return None, f"{where}: text source {name!r} has neither plainTextPath nor PlainTextContent"
    if not ref.startswith("internal://"):
        return None, (
            f"{where}: text source {name!r} points outside the archive ({ref!r}); export the "
            "project with its data files inside the .qdpx"
        )
    inner = ref[len("internal://") :].lstrip("/")
    entries = {n.lower(): n for n in archive.namelist()}
    for candidate in (f"sources/{inner}", inner):
        entry = entries.get(candidate.lower())
        if entry is not None:
            break
    else:
        return None, (
            f"{where}: text source {name!r}: its file {ref!r} is missing from the archive "
            f"(looked for sources/{inner})"
        )
    try:
        return _decode(archive.read(entry), where), ""
    except UnicodeDecodeError as exc:
        return None, (
            f"{where}: text source {name!r}: {entry} is not UTF-8 text (byte {exc.start}); "
            "REFI-QDA plain text sources are UTF-8"
        )


def _position(sel, attr: str) -> int | None:
    raw = sel.get(attr)
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _codings(parent, fallback_user: str | None, fallback_time: str | None):
    out = []
    for coding in parent.findall(_Q + "Coding"):
        ref = coding.find(_Q + "CodeRef")
        if ref is None or not ref.get("targetGUID"):
            continue
        out.append(
            QdpxCoding(
                ref.get("targetGUID"),
                coding.get("creatingUser") or fallback_user,
                coding.get("creationDateTime") or fallback_time,
                tuple(n.get("targetGUID", "").lower() for n in coding.findall(_Q + "NoteRef")),
            )
        )
    return tuple(out)


def _read_source(el, archive, where: str, crlf: str, problems: list[str]) -> QdpxSource | None:
    name = el.get("name") or el.get("guid") or "?"
    raw, problem = _source_text(el, archive, where)
    if raw is None:
        problems.append(problem)
        return None
    had_crlf = "\r\n" in raw
    text = raw.replace("\r\n", "\n") if crlf == "one" else raw
    selections = []
    for sel in el.findall(_Q + "PlainTextSelection"):
        start, end = _position(sel, "startPosition"), _position(sel, "endPosition")
        guid = sel.get("guid") or "?"
        if start is None or end is None:
            problems.append(
                f"{where}: source {name!r} selection {guid}: startPosition/endPosition must "
                f"be integers, got {sel.get('startPosition')!r} and {sel.get('endPosition')!r}"
            )
            continue
        if not 0 <= start <= end <= len(text):
            problems.append(
                f"{where}: source {name!r} selection {guid}: positions {start}–{end} fall "
                f"outside its text of {len(text):,} characters (expected 0 ≤ start ≤ end ≤ "
                f"{len(text):,}, counted in Unicode code points)"
            )
            continue
        user, when = sel.get("creatingUser"), sel.get("creationDateTime")
        selections.append(QdpxSelection(guid, start, end, _codings(sel, user, when)))
    whole = _codings(el, el.get("creatingUser"), el.get("creationDateTime"))
    if whole:  # codes applied to the whole source
        selections.append(QdpxSelection(el.get("guid") or "?", 0, len(text), whole))
    return QdpxSource(el.get("guid") or "?", name, text, tuple(selections), had_crlf)


def _codes(root) -> tuple[QdpxCode, ...]:
    out: list[QdpxCode] = []

    def walk(parent, path: tuple[str, ...]) -> None:
        for code in parent.findall(_Q + "Code"):
            name = (code.get("name") or "").strip()
            here = (*path, name)
            out.append(
                QdpxCode(
                    code.get("guid") or "",
                    name,
                    here,
                    (code.get("isCodable") or "true").strip().lower() in ("true", "1"),
                )
            )
            walk(code, here)

    codes = root.find(f"{_Q}CodeBook/{_Q}Codes")
    if codes is not None:
        walk(codes, ())
    return tuple(out)


def read_qdpx(path: str | Path, *, crlf: str = "auto") -> QdpxFile:
    """Read a ``.qdpx`` file.

    Parameters
    ----------
    crlf
        How selection positions count a Windows line break ``\\r\\n`` in a source's text
        file: ``"two"`` (two code points, as the file holds it; NVivo), ``"one"`` (one
        character; ATLAS.ti, as QualCoder's importer found) or ``"auto"`` (one when the
        project's ``origin`` names ATLAS.ti, else two).

    Raises
    ------
    InputError
        The file is missing, not a zip, has no ``project.qde``, or its XML does not parse
        or is not a REFI-QDA project.
    DataError
        Every missing or unreadable source file and every selection with bad positions.
    """
    if crlf not in ("auto", "one", "two"):
        raise InputError(f"crlf must be 'auto', 'one' or 'two', got {crlf!r}")
    path = Path(path)
    with _open_zip(path) as archive:
        entry = _project_entry(archive, path)
        where = f"{path.name}:{entry}"
        root = _parse_xml(archive.read(entry), where)
        origin = root.get("origin") or ""
        if crlf == "auto":
            crlf = "one" if "atlas" in origin.lower() else "two"
        users = tuple(
            QdpxUser(u.get("guid") or "", u.get("name") or "", u.get("id") or "")
            for u in root.iterfind(f"{_Q}Users/{_Q}User")
        )
        problems: list[str] = []
        sources = []
        other = 0
        container = root.find(_Q + "Sources")
        for el in container if container is not None else ():
            kind = _local(el.tag)
            if kind == "TextSource":
                source = _read_source(el, archive, where, crlf, problems)
                if source is not None:
                    sources.append(source)
            elif kind in _OTHER_SOURCES:
                other += 1
        notes = {  # a note that cannot be read is only a note lost
            (n.get("guid") or "").lower(): text
            for n in root.iterfind(f"{_Q}Notes/{_Q}Note")
            for text in [_source_text(n, archive, where)[0]]
            if text is not None
        }
    if problems:
        raise DataError(
            f"{path}: {len(problems):,} problem(s) in the file; nothing imported", problems
        )
    cases = frozenset((c.get("guid") or "").lower() for c in root.iterfind(f"{_Q}Cases/{_Q}Case"))
    return QdpxFile(
        str(path),
        root.get("name") or "",
        origin,
        users,
        _codes(root),
        cases,
        tuple(sources),
        other,
        crlf,
        notes,
    )
