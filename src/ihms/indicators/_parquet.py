"""The Parquet folder of ``ihms data export --format parquet``, read as the store is.

A province (or anyone holding only the shared folder, not the DuckDB store) computes the
indicators from ``<table>.parquet`` files and ``dataset.json`` on DuckDB or on PySpark.
:class:`ParquetFolder` reads the folder's ``dataset.json`` (the period, the program that
wrote the data, the schema version, the tables exported) and gives each table as an Ibis
table of the chosen engine, the columns and tables an earlier minor schema version lacked
as nulls and empty tables, as :meth:`ihms.data.Store.table` does; so :func:`compute` gets
from it what it gets from the store. :func:`spark_session` starts a local PySpark session
after checking what it needs (PySpark, a Java runtime), so that a missing piece is a
sentence saying what to install, not PySpark's traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from ihms.data.dataset import Period
from ihms.data.io import FOLDER_META, folder_period
from ihms.data.schema import SCHEMA_VERSION, SCHEMAS, STRUCTURAL_TABLES, TABLES_ADDED
from ihms.errors import DataError, IhmsError, InputError, did_you_mean
from ihms.indicators._parquet_checks import FILE, ROW, content_problems, type_problems

if TYPE_CHECKING:  # pragma: no cover
    import ibis

__all__ = ["ENGINES", "ParquetFolder", "check_engine", "shuffle_settings", "spark_session"]

#: The engines a Parquet folder is computed on.
ENGINES = ("duckdb", "spark")


def check_engine(engine: str, *, option: str) -> None:
    """Refuse an engine not in :data:`ENGINES`; ``option`` names the parameter as the
    caller's user knows it (``engine``, ``--engine``)."""
    if engine not in ENGINES:
        raise InputError(
            f"{option}: expected one of {', '.join(ENGINES)}, got {engine!r}"
            + did_you_mean(engine, ENGINES)
        )


#: What to run when PySpark (or ibis's PySpark backend) is not installed.
INSTALL_SPARK = (
    "install ihms[spark] (uv sync --extra spark / pip install 'ihms[spark]'), "
    "which brings PySpark and ibis's PySpark backend"
)

#: The Java PySpark 4 runs on (PySpark 3.5 also runs on 8 and 11).
JAVA_NEEDED = 17


class ParquetFolder:
    """An exported Parquet folder, read on DuckDB or PySpark as :func:`compute` reads a
    store (``period``, ``producer``, ``backend``, ``table``).

    Parameters
    ----------
    folder : str or Path
        What ``ihms data export --out FOLDER --format parquet`` wrote: ``dataset.json``
        and one ``<table>.parquet`` per table.
    engine : {"duckdb", "spark"}
        Read the files with an in-memory DuckDB, or with PySpark.
    spark : SparkSession, optional
        The PySpark session for ``engine="spark"``; default the active one, or a local
        one started here (:func:`spark_session`; :meth:`close` stops it).

    Raises
    ------
    InputError
        The folder lacks ``dataset.json``, a table it names or a structural table, holds
        CSV instead of Parquet, or was written under another major schema version.
    IhmsError
        The spark engine lacks PySpark or a Java runtime (checked after the folder).
    """

    def __init__(self, folder: str | Path, *, engine: str = "duckdb", spark=None) -> None:
        check_engine(engine, option="engine")
        self.path = Path(folder)
        meta = _read_meta(self.path)
        period = folder_period(self.path)
        assert period is not None  # _read_meta refused a folder without dataset.json
        self.period: Period = period
        self.producer: str = meta.get("producer") or ""
        self._written = _version(str(meta.get("schema_version", "1.0")))
        self._files = _table_files(self.path, meta)
        # the footers first: a float fen column or a text date is named before an
        # engine starts (a Spark session takes a minute)
        wrong = type_problems(self._files, self.path)
        if wrong:
            raise DataError(
                f"{self.path}: columns of the wrong type for the data schema (`ihms data "
                "schema`); nothing was computed",
                wrong,
            )
        self._started = None
        self._views: list[str] = []
        if engine == "spark":
            if spark is None:
                spark, started = spark_session()
                self._started = spark if started else None
            self._spark = spark
            self.backend = pyspark_backend(spark)
        else:
            import ibis

            from ihms.data._duckdb import quiet

            self.backend = ibis.duckdb.connect()
            quiet(self.backend.con)  # no progress bar on stdout (ihms.data._duckdb)
        self.engine = engine
        self._read: dict[str, ibis.Table] = {}
        self._raw_read: dict[str, ibis.Table] = {}
        try:
            self._check()
        except BaseException:
            self.close()
            raise

    def _check(self) -> None:
        """Refuse rows breaking the rules ``ihms data import`` checks (queries of the
        engine, :mod:`ihms.indicators._parquet_checks`), naming file, row and column."""
        raw = {name: self._raw(name) for name in self._files}
        problems = content_problems(raw, self.period, self.path)
        if problems:
            raise DataError(
                f"{self.path}: rows break the rules `ihms data import` checks, on the "
                "values as they stand (no name or code read); nothing was computed "
                "(correct the source, or check it with `ihms data check`)",
                problems,
            )

    @property
    def held(self) -> tuple[str, ...]:
        """The tables the folder holds (those :meth:`table` reads from its files)."""
        return tuple(self._files)

    def close(self) -> None:
        """Drop the temporary views this folder made in the PySpark session, and stop
        the session when this folder started it (none given or active)."""
        for view in self._views:
            self._spark.catalog.dropTempView(view)
        self._views = []
        if self._started is not None:
            self._started.stop()
            self._started = None

    def __enter__(self) -> ParquetFolder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ParquetFolder({str(self.path)!r}, period={self.period})"

    def table(self, name: str) -> ibis.Table:
        """Table ``name`` in the schema's columns (nulls for the columns an earlier minor
        schema version lacked; no rows for a table it lacked).

        Raises ``ibis.common.exceptions.TableNotFound`` for a table the export left out
        (``--tables``): the indicators counting its records are then left out, named.
        """
        if name not in SCHEMAS:
            raise InputError(f"no table {name!r}; tables are {', '.join(SCHEMAS)}")
        if name not in self._read:
            self._read[name] = self._table(name)
        return self._read[name]

    def _table(self, name: str) -> ibis.Table:
        import ibis

        schema = SCHEMAS[name]
        if name not in self._files:
            since = TABLES_ADDED.get(name)
            if since is not None and self._written < _version(since):
                return ibis.memtable(schema.to_arrow().empty_table())
            from ibis.common.exceptions import TableNotFound

            raise TableNotFound(f"{self.path}: the export holds no {name}.parquet")
        return self._raw(name).select(*schema.column_names)

    def _raw(self, name: str) -> ibis.Table:
        """Table ``name`` as its files hold it, each column of the schema cast to the
        schema's type (a narrower integer, a timestamp for a date: the type check let
        only those through), with the file and row of each record (``FILE``, ``ROW``)."""
        import ibis

        if name in self._raw_read:
            return self._raw_read[name]
        path = self._files[name]
        if self.engine == "spark":
            from pyspark.sql import functions as F

            frame = self._spark.read.parquet(str(path)).select(
                "*",
                F.col("_metadata.file_path").alias(FILE),
                F.col("_metadata.row_index").alias(ROW),
            )
            view = f"ihms_parquet_{name}_{uuid.uuid4().hex[:12]}"
            frame.createOrReplaceTempView(view)
            self._views.append(view)
            table = self.backend.table(view)
        else:
            source = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            table = self.backend.read_parquet(
                source, filename=True, file_row_number=True, hive_partitioning=path.is_dir()
            )
        types = table.schema()
        # a column an earlier minor schema version lacked reads as nulls
        table = table.mutate(
            **{
                c.name: (
                    table[c.name].cast(c.arrow_type)
                    if c.name in table.columns
                    else ibis.null().cast(c.arrow_type)
                )
                for c in SCHEMAS[name].columns
                if c.name not in table.columns or types[c.name].to_pyarrow() != c.arrow_type
            }
        )
        self._raw_read[name] = table
        return table


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


def _read_meta(folder: Path) -> dict:
    """``dataset.json`` of ``folder``, checked: present, an object, this major version."""
    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "no such folder"
        raise InputError(
            f"{folder}: {what}; expected the folder `ihms data export --out FOLDER "
            "--format parquet` writes (a DuckDB store is read as the store: --store)"
        )
    path = folder / FOLDER_META
    if not path.is_file():
        raise InputError(
            f"{folder}: no {FOLDER_META}; expected the folder `ihms data export --out "
            f"FOLDER --format parquet` writes ({FOLDER_META} with the period, beside one "
            "<table>.parquet per table)"
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: expected a JSON object with 'period', got {meta!r}")
    version = str(meta.get("schema_version", "1.0"))
    if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise InputError(
            f"{path}: tables of data schema {version}; this ihms reads schema "
            f"{SCHEMA_VERSION} (export them again with this ihms)"
        )
    return meta


def _table_files(folder: Path, meta: dict) -> dict[str, Path]:
    """The Parquet file or folder (:func:`_table_path`) of each table the folder holds, every table ``dataset.json``
    names (all of them without a list) and every structural table required. With a
    list, a file it does not name is not read (another export's, left in the folder)."""
    path = folder / FOLDER_META
    named = meta.get("tables")
    if named is not None and (not isinstance(named, list) or not all(t in SCHEMAS for t in named)):
        raise InputError(f"{path}: 'tables' must list tables of the schema, got {named!r}")
    required = dict.fromkeys([*(named or ()), *STRUCTURAL_TABLES])
    # with a list, only its tables: a file it does not name is an earlier export's
    # (an export rewrites only the files it writes), stale beside these
    kept = SCHEMAS if named is None else required
    found = {name: _table_path(folder, name) for name in kept}
    held = {name: f for name, f in found.items() if f is not None}
    missing = [name for name in required if name not in held]
    if missing:
        csv = [name for name in missing if (folder / f"{name}.csv").is_file()]
        hint = (
            "; the folder holds CSV (--format csv): export with --format parquet"
            if csv
            else f"; {FOLDER_META} names them"
            if named is not None
            else "; every export holds the structural tables"
        )
        raise InputError(
            f"{folder}: expected "
            + ", ".join(f"{name}.parquet" for name in missing)
            + f" (not found){hint}"
        )
    return held


def _table_path(folder: Path, name: str) -> Path | None:
    """Where table ``name`` lies in ``folder``: ``<name>.parquet``, a file or a folder of
    part files (Spark's ``df.write.parquet``), or a folder ``<name>/`` of part files or
    hive partitions (``<name>/year=2019/...``); None when neither exists. A folder
    without a ``.parquet`` file in it is refused, saying what was expected."""
    for path in (folder / f"{name}.parquet", folder / name):
        if path.is_file() and path.suffix == ".parquet":
            return path
        if path.is_dir():
            if next(path.rglob("*.parquet"), None) is None:
                raise InputError(
                    f"{folder}: {path.name}: a folder without .parquet files; expected "
                    f"{name}.parquet (a file, or a folder of part files) or {name}/ (part "
                    f"files or hive partitions such as {name}/year=2019/)"
                )
            return path
    return None


def spark_session():
    """The active PySpark session, or a new one (local unless Spark's configuration names
    a master); checked first: PySpark installed and a Java runtime of at least :data:`JAVA_NEEDED` found (``JAVA_HOME``, else
    ``java`` on the PATH, as PySpark looks).

    Returns
    -------
    tuple
        ``(session, started)``: ``started`` is True when this call started it (the
        caller stops it).

    Raises
    ------
    IhmsError
        PySpark is not installed, Java is missing or too old, or the session would not
        start; the message says what to install or set.
    """
    try:
        import ibis.backends.pyspark  # noqa: F401  (needs the extra's packages too)
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise IhmsError(f"the spark engine needs PySpark: {INSTALL_SPARK} ({exc})") from None
    problem = java_problem()
    if problem is not None:
        raise IhmsError(_java_advice(problem))
    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    try:
        session = (
            SparkSession.builder.appName("ihms indicators")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    except Exception as exc:  # PySparkRuntimeError [JAVA_GATEWAY_EXITED] and the like
        raise IhmsError(_java_advice(f"the Java gateway did not start ({exc})")) from None
    session.sparkContext.setLogLevel("ERROR")
    for key, value in shuffle_settings(
        session.sparkContext.getConf(), session.sparkContext.defaultParallelism
    ).items():
        session.conf.set(key, value)
    return session, True


#: Shuffle partitions per core of a local session: Spark's tuning guide recommends 2–3
#: tasks per CPU core.
SHUFFLE_PER_CORE = 2


def shuffle_settings(conf, cores: int) -> dict[str, str]:
    """The SQL settings a session started here gets: on a local master, the shuffle
    partitions ``SHUFFLE_PER_CORE`` x ``cores`` (Spark's default of 200 makes 200 tasks
    of each group-by over a county's few thousand rows) and adaptive query execution
    on, which merges small shuffle partitions further. A setting the user's Spark
    configuration (``conf``: ``spark-defaults.conf``, ``spark-submit --conf``) holds is
    kept, and a cluster's master keeps Spark's defaults. The results do not depend on
    them: every query groups or sorts, and the roll-up is done in pandas."""
    if not str(conf.get("spark.master", "local")).startswith("local"):
        return {}
    wanted = {
        "spark.sql.shuffle.partitions": str(max(2, SHUFFLE_PER_CORE * int(cores))),
        "spark.sql.adaptive.enabled": "true",
    }
    return {key: value for key, value in wanted.items() if not conf.contains(key)}


def java_problem() -> str | None:
    """Why PySpark could not start its JVM here, or None when a Java of at least
    :data:`JAVA_NEEDED` answers ``java -version``."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        if not java.is_file():
            return f"JAVA_HOME is {home}, which has no bin/java"
        where = f"{java} (JAVA_HOME)"
    else:
        found = shutil.which("java")
        if found is None:
            return "no java on the PATH and JAVA_HOME is not set"
        java, where = Path(found), found
    try:
        done = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{where} -version failed ({exc})"
    text = done.stderr + done.stdout
    found_version = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if done.returncode != 0 or found_version is None:
        return f"{where} -version failed: {text.strip()[:200] or f'exit {done.returncode}'}"
    major, minor = int(found_version[1]), int(found_version[2] or 0)
    release = minor if major == 1 else major  # "1.8.0_392" is Java 8
    if release < JAVA_NEEDED:
        return f"{where} is Java {release}"
    return None


def _java_advice(problem: str) -> str:
    return (
        f"the spark engine needs a Java {JAVA_NEEDED} (or later) runtime: {problem}. Install "
        f"one (Debian/Ubuntu: apt install openjdk-{JAVA_NEEDED}-jre-headless) and point "
        f"JAVA_HOME at it (export JAVA_HOME=/usr/lib/jvm/java-{JAVA_NEEDED}-openjdk-amd64) "
        "or put its bin/ on the PATH; or compute on DuckDB (--engine duckdb)"
    )


def pyspark_backend(session):
    """``ibis.pyspark.connect(session)``, a missing extra named as ihms names it."""
    try:
        import ibis

        return ibis.pyspark.connect(session)
    except ImportError as exc:
        raise IhmsError(f"the spark engine needs PySpark: {INSTALL_SPARK} ({exc})") from None
