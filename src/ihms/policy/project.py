"""A coding project: one SQLite file holding a study's documents, segments, codebook
versions, coders, codings and reconciliation decisions.

Codings are precious hand work, so the file is opened in WAL mode with
``synchronous=FULL`` and every write runs inside one ``BEGIN IMMEDIATE`` transaction:
an import that fails validation, raises, or is killed half-way leaves the file exactly
as it was. Coders are human or machine (``machine:<model id>``, with model id, training
size and date); a coding may carry provenance (for machine codings) and a review status
(accepted / rejected, by whom, when).

:class:`Project` handles documents, segments, codebooks and coders; codings,
spreadsheets and reconciliation are in :mod:`ihms.policy.coding`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ihms._repr import brief_repr
from ihms.errors import InputError
from ihms.policy import _project_rows as _rows
from ihms.policy._clock import utc_now as _now
from ihms.policy._project_schema import PROJECT_SCHEMA as _SCHEMA
from ihms.policy._screening_store import SCREENING_SCHEMA
from ihms.policy.codebook import Codebook, derive_metadata, parse_codebook

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ihms.policy.prisma import Screening

__all__ = ["SCHEMA_VERSION", "Project"]

#: 2 keeps every reviewer's screening decision (:mod:`ihms.policy._screening_store`);
#: a file of schema 1 still opens and becomes 2 when it is screened again.
SCHEMA_VERSION = 2
_READABLE_VERSIONS = ("1", "2")


class Project:
    """An open coding project file. Use :meth:`create` for a new one.

    Parameters
    ----------
    path
        An existing project file (``.sqlite``).

    Raises
    ------
    InputError
        If the file does not exist or is not an ihms project.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(
                f"project file {str(self.path)!r} does not exist; create it with `ihms policy init`"
            )
        # read before any PRAGMA: switching to WAL writes to the file, and another
        # program's database (or a sheet given in its place) must be refused untouched
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        try:
            version = self._conn.execute(
                "SELECT value FROM meta WHERE key='schema_version'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise InputError(
                f"{self.path}: not an ihms policy project ({exc}); expected a project file "
                "made by `ihms policy init` (the file is left as it was)"
            ) from None
        if version is None or version[0] not in _READABLE_VERSIONS:
            self._conn.close()
            found = "none" if version is None else repr(version[0])
            raise InputError(
                f"{self.path}: unsupported project schema version {found}; this ihms reads "
                f"versions {', '.join(_READABLE_VERSIONS)}"
            )
        self._pragmas(self._conn)

    @classmethod
    def _connect(cls, path: Path) -> sqlite3.Connection:
        return cls._pragmas(sqlite3.connect(str(path), isolation_level=None, timeout=30))

    @staticmethod
    def _pragmas(conn: sqlite3.Connection) -> sqlite3.Connection:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    @classmethod
    def create(
        cls, path: str | Path, codebook: Codebook, *, name: str = "", overwrite: bool = False
    ) -> Project:
        """Create a project file with ``codebook`` as version 1."""
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise InputError(
                    f"project file {str(path)!r} already exists (pass overwrite=True to replace it)"
                )
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = cls._connect(path)
        try:
            # executescript commits any open transaction first, so the schema gets a
            # transaction of its own; a failure below deletes the new file anyway.
            conn.executescript("BEGIN;" + _SCHEMA + SCREENING_SCHEMA + "COMMIT;")
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("name", name or path.stem),
                    ("created_at", _now()),
                ],
            )
            conn.execute(
                "INSERT INTO codebooks(name, sha256, yaml, created_at) VALUES (?,?,?,?)",
                (codebook.name, codebook.sha256, codebook.text, _now()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise
        conn.close()
        return cls(path)

    def close(self) -> None:
        self._conn.close()

    def __repr__(self) -> str:
        # what a notebook shows: the file and what it holds (three counts), or that it is closed
        try:
            counts = self.query(
                "SELECT (SELECT max(version) FROM codebooks), (SELECT count(*) FROM documents), "
                "(SELECT count(*) FROM segments)"
            )[0]
        except sqlite3.Error:
            return brief_repr(self, path=str(self.path), closed=True)
        version, documents, segments = counts
        return brief_repr(self, path=str(self.path), codebook_version=version,
                          documents=documents, segments=segments)  # fmt: skip

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Run ``sql`` on the project file and return every row as a tuple.

        Parameters
        ----------
        sql
            One SQLite statement, ``?`` placeholders for values.
        params
            The placeholders' values, in order.
        """
        return self._conn.execute(sql, params).fetchall()

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        """Run ``sql`` on the project file and return the rows as a DataFrame.

        Parameters
        ----------
        sql, params
            As :meth:`query` takes them.
        """
        import pandas as pd

        cur = self._conn.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=cols)

    # -- codebooks ------------------------------------------------------------------
    @property
    def codebook_version(self) -> int:
        return self.query("SELECT max(version) FROM codebooks")[0][0]

    def codebook(self, version: int | None = None) -> Codebook:
        """The codebook (latest version unless ``version`` is given).

        Parameters
        ----------
        version
            A stored version (1, 2 ...); None or 0 for the latest.

        Raises
        ------
        InputError
            No such version.
        """
        version = version or self.codebook_version
        row = self.query("SELECT yaml, name FROM codebooks WHERE version=?", (version,))
        if not row:
            raise InputError(f"{self.path}: no codebook version {version}")
        return parse_codebook(row[0][0], name=row[0][1], stored=True)

    def update_codebook(self, codebook: Codebook, *, note: str = "") -> int:
        """Store a new codebook version (no-op if identical); return its version.

        Existing codings keep the version they were made with; categories they use must
        still exist, otherwise nothing changes and every orphaned value is reported. An
        earlier version's text (each is stored once) is refused.

        Parameters
        ----------
        codebook
            The new codebook (:func:`~ihms.policy.codebook.load_codebook`).
        note
            What changed, stored with the version.

        Raises
        ------
        InputError
            The text of an earlier version.
        DataError
            Stored codings use categories the new codebook lacks (each named).
        """
        return _rows.update_codebook(self, codebook, note)

    # -- documents ------------------------------------------------------------------
    def add_documents(self, documents: Sequence, *, failures: Sequence = ()) -> dict[str, int]:
        """Store imported documents (new ones added, known ids updated) in one
        transaction.

        Parameters
        ----------
        documents
            :class:`~ihms.policy.corpus.Document` objects; a known id is updated.
        failures
            Files that could not be read (:attr:`CorpusImport.failures`), stored as
            ``not_retrieved`` (PRISMA's reports not retrieved).

        Returns
        -------
        dict of str to int
            ``added``, ``updated``, ``unchanged`` and ``not_retrieved``.
        """
        return _rows.add_documents(self, documents, failures)

    def load_documents(self, *, status: str | None = None) -> list:
        """Stored documents as :class:`~ihms.policy.corpus.Document` objects, in id order.

        Parameters
        ----------
        status
            Keep documents of this screening status (``included``, ``excluded`` ...);
            None keeps all. Files not retrieved are never returned.

        Returns
        -------
        list of Document
            In id order.
        """
        return _rows.load_documents(self, status)

    def set_screening(self, screening: Screening) -> None:
        """Record every document's PRISMA status and every reviewer's decision, each
        settlement and how screening was done (one transaction; see :meth:`screening`).

        Parameters
        ----------
        screening
            The result of screening this project's documents.

        Raises
        ------
        DataError
            Every problem (a document not in the project, an unknown stage, a reviewer
            deciding twice at one stage ...); the project is unchanged.
        """
        from ihms.policy._screening_store import check_screening, write_screening

        check_screening(screening, {r[0] for r in self.query("SELECT id FROM documents")})
        now = _now()
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE documents SET status=?, status_stage=?, status_reason=?, duplicate_of=?,"
                " updated_at=? WHERE id=?",
                [(s.status, s.stage or None, s.reason or None, s.duplicate_of or None, now, s.doc_id)
                 for s in screening.statuses],
            )  # fmt: skip
            write_screening(conn, screening, now)

    def screening(self) -> Screening:
        """The stored screening (:class:`~ihms.policy.prisma.Screening`): statuses,
        each reviewer's decisions, the settlements, κ per stage recomputed from them,
        the methods statement and the record, without the reviewers' sheets (documents
        in id order, unread files last).

        Raises
        ------
        InputError
            The project was not screened, or only its statuses were kept (schema 1).
        """
        from ihms.policy._screening_store import read_screening

        return read_screening(self)

    def documents(self) -> pd.DataFrame:
        """Documents with metadata, status and the codebook's derived dimensions."""
        frame = self.frame(
            "SELECT id, file, fmt AS format, encoding, title, issuer, doc_number, date, level, nature,"
            " orientation, source, status, status_stage, status_reason, duplicate_of, level_code,"
            " file_code, length(text) AS chars FROM documents ORDER BY id"
        )
        cb = self.codebook()
        docs = {d.id: d for d in self.load_documents()}
        for dim in cb.derived:
            frame[dim.key] = [
                derive_metadata(cb, docs[i])[dim.key][0] if i in docs else None for i in frame["id"]
            ]
        return frame

    def derived_values(self) -> dict[str, dict[str, object]]:
        """``{doc_id: {dimension: value}}`` for the metadata dimensions."""
        cb = self.codebook()
        return {
            d.id: {k: v[0] for k, v in derive_metadata(cb, d).items()}
            for d in self.load_documents()
        }

    # -- segments -------------------------------------------------------------------
    def segment(
        self,
        scheme: str = "paragraph",
        *,
        merge_headings: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, int]:
        """(Re)segment every included document (all documents if none is screened yet).

        Segments keep their ids when their text is unchanged. A segment that vanished
        from a re-imported document is deleted if nobody coded it and retired (kept,
        flagged) if it has codings, so no coding is ever lost. Entry codes
        (``level-file-…``) use the document's region code and a file number assigned
        once, in date order, per region.

        Parameters
        ----------
        scheme
            ``"paragraph"`` (Yu et al. 2024) or ``"clause"`` (numbered entries).
        merge_headings
            Join a bare numbered heading to the paragraph after it (paragraphs only).
        progress
            Called as ``progress(documents done, documents)``.

        Returns
        -------
        dict of str to int
            ``documents``, ``segments``, ``new``, ``kept``, ``retired``, ``deleted``.

        Raises
        ------
        InputError
            Another ``scheme``.
        """
        from ihms.policy._segmenting import segment_project

        return segment_project(self, scheme, merge_headings=merge_headings, progress=progress)

    def segments(self, *, scheme: str | None = None, include_retired: bool = False) -> pd.DataFrame:
        """Segments with their document's id, title and code, in reading order.

        Parameters
        ----------
        scheme
            Keep this scheme's segments (``"paragraph"``, ``"clause"``); None keeps all.
        include_retired
            Keep segments retired because their text left a re-imported document.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``doc_id``, ``title``, ``scheme``, ``ordinal``, ``code``, ``context``,
            ``text``, ``retired``.
        """
        sql = (
            "SELECT s.id, s.doc_id, d.title, s.scheme, s.ordinal, s.code, s.context, s.text, s.retired"
            " FROM segments s JOIN documents d ON d.id = s.doc_id WHERE 1=1"
        )
        params: list = []
        if scheme:
            sql += " AND s.scheme=?"
            params.append(scheme)
        if not include_retired:
            sql += " AND s.retired=0"
        return self.frame(sql + " ORDER BY s.doc_id, s.scheme, s.ordinal", params)

    # -- coders ---------------------------------------------------------------------
    def add_coder(
        self,
        coder_id: str,
        *,
        kind: str = "human",
        name: str = "",
        model_id: str | None = None,
        training_size: int | None = None,
        trained_at: str | None = None,
        notes: str = "",
    ) -> str:
        """Register a coder (no-op if it exists with the same kind). Machine coders are
        named ``machine:<model id>`` and need ``model_id``.

        Parameters
        ----------
        coder_id
            The coder's id, exact (no surrounding spaces; not a case variant of another).
        kind
            ``"human"`` or ``"machine"``.
        name
            Display name; by default the id.
        model_id, training_size, trained_at
            A machine coder's model, its number of training segments and when it was
            trained (ISO 8601).
        notes
            Free text stored with the coder.

        Returns
        -------
        str
            ``coder_id``.

        Raises
        ------
        InputError
            As :meth:`check_coder`.
        """
        return _rows.add_coder(
            self, coder_id, kind, name, model_id, training_size, trained_at, notes
        )

    def check_coder(self, coder_id: str, *, kind: str, model_id: str | None = None) -> None:
        """Raise :class:`InputError` if ``coder_id`` cannot be a coder of ``kind``.

        Parameters
        ----------
        coder_id
            The id: non-empty, no surrounding spaces, not differing only in letter case
            from a registered coder, not registered as the other kind.
        kind
            ``"human"`` or ``"machine"``; a human's id must not start ``machine:``.
        model_id
            A machine coder's model; its id must be ``machine:<model_id>``.
        """
        _rows.check_coder(self, coder_id, kind, model_id)

    def check_new_coders(self, coders: dict[str, str], *, source: str = "") -> None:
        """Raise :class:`InputError` if any of ``coders`` (``{id: kind}``) not yet
        registered cannot be, or two of them differ only in letter case.

        Parameters
        ----------
        coders
            ``{coder id: "human" or "machine"}``; a machine's model is read from its id.
        source
            The file the coders come from, prefixed to the message.
        """
        _rows.check_new_coders(self, coders, source)

    def coders(self) -> pd.DataFrame:
        return self.frame("SELECT * FROM coders ORDER BY id")
