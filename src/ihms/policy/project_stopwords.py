"""A coding project's own stop list, applied by every word count of the project.

``policy words --stopwords FILE`` changes ihms's built-in stop list of policy
boilerplate for one run. A study that always drops its own words (the county's name,
the consortium's) keeps them in the project instead: :func:`store_stopwords` stores a
stop-word file's text in the project (as the project stores its codebook: the file need
not stay beside it, and a copy of the project carries it), and
:func:`project_tokenizer` — behind ``policy words``' frequencies, word cloud and top
terms — applies the built-in list, then the project's, then any ``--stopwords`` files,
in that order (a later line wins: a run's ``!word`` counts a word the project stops).
:func:`stop_lists` says which lists a count applied, for its output.

The file is the same as for ``--stopwords``: one word per line, ``#`` comments, ``!word``
takes a word off the list; a bad line is refused naming file and line, and nothing is
stored. It is stored as text in the project's ``meta`` table (key ``stopwords``: file
name, text, SHA-256, time stored).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ihms._decode import read_text
from ihms.errors import InputError
from ihms.policy._stopwords import StopListText, count_entries, parse_stopwords

__all__ = [
    "ProjectStopList",
    "clear_stopwords",
    "project_stopwords",
    "project_tokenizer",
    "stop_lists",
    "store_stopwords",
]

_KEY = "stopwords"


@dataclass(frozen=True)
class ProjectStopList:
    """A project's stored stop list: the file it was read from (its name), its text,
    the text's SHA-256 and when it was stored (UTC)."""

    name: str
    text: str
    sha256: str
    stored_at: str

    @property
    def entries(self) -> int:
        return len(parse_stopwords(self.text, self.label))

    @property
    def label(self) -> str:
        return f"the project's stop list ({self.name}, stored {self.stored_at[:10]})"

    def as_dict(self) -> dict:
        return {"name": self.name, "entries": self.entries, "stored_at": self.stored_at,
                "sha256": self.sha256, "text": self.text}  # fmt: skip

    def as_source(self) -> StopListText:
        """The list as :class:`~ihms.policy.textstats.PolicyTokenizer` applies it."""
        return StopListText(self.label, self.text)


def project_stopwords(project) -> ProjectStopList | None:
    """The project's stop list, or None when it has none."""
    row = project.query("SELECT value FROM meta WHERE key=?", (_KEY,))
    if not row:
        return None
    stored = json.loads(row[0][0])
    return ProjectStopList(stored["name"], stored["text"], stored["sha256"], stored["stored_at"])


def store_stopwords(project, path: str | Path) -> tuple[ProjectStopList, ProjectStopList | None]:
    """Store the stop-word file ``path`` as the project's stop list (replacing any
    earlier one); returns it and the list it replaced.

    Raises
    ------
    InputError
        A missing file, or a line that is not one word (naming the file and line);
        nothing is stored then.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"stop-word file {str(path)!r} does not exist")
    text = read_text(path, name=f"stop-word file {path}").replace("\r\n", "\n")
    if not parse_stopwords(text, f"stop-word file {str(path)!r}"):
        raise InputError(
            f"stop-word file {str(path)!r} holds no word (only comments or blank lines); "
            "to remove the project's stop list use clear_stopwords / --clear"
        )
    stored = ProjectStopList(
        path.name,
        text,
        hashlib.sha256(text.encode("utf-8")).hexdigest(),
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    before = project_stopwords(project)
    value = json.dumps(
        {"name": stored.name, "text": stored.text, "sha256": stored.sha256,
         "stored_at": stored.stored_at},
        ensure_ascii=False,
    )  # fmt: skip
    with project.transaction() as conn:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET"
            " value=excluded.value",
            (_KEY, value),
        )
    return stored, before


def clear_stopwords(project) -> ProjectStopList | None:
    """Remove the project's stop list; returns the one removed (None if there was none)."""
    before = project_stopwords(project)
    if before is not None:
        with project.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key=?", (_KEY,))
    return before


def stop_lists(project, files: Sequence[str | Path] = ()) -> list[dict]:
    """The stop lists a word count of ``project`` applies, in order: the built-in list,
    the project's (if any), then ``files``; each ``{"list", "name", "entries"}`` (the
    project's with ``stored_at`` and ``sha256``)."""
    from ihms.policy.textstats import builtin_stopwords

    out = [{"list": "built-in", "name": "ihms", "entries": len(builtin_stopwords())}]
    own = project_stopwords(project)
    if own is not None:
        out.append({"list": "project", "name": own.name, "entries": own.entries,
                    "stored_at": own.stored_at, "sha256": own.sha256})  # fmt: skip
    out += [{"list": "file", "name": str(f), "entries": count_entries(f)} for f in files]
    return out


def project_tokenizer(
    project,
    *,
    user_dict: Sequence[str | Path] = (),
    stopwords: Sequence[str | Path] = (),
    terms: Sequence[str] = (),
):
    """The :class:`~ihms.policy.textstats.PolicyTokenizer` of ``project``'s word counts:
    the built-in stop list, the project's own, then the ``stopwords`` files."""
    from ihms.policy.textstats import PolicyTokenizer

    own = project_stopwords(project)
    lists = ([own.as_source()] if own is not None else []) + list(stopwords)
    return PolicyTokenizer(user_dict=user_dict, stopwords=lists, terms=terms)
