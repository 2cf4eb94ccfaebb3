"""A run's output folder: its data set, its ``summary.json`` and the run id tying them.

``ihms sim run`` writes a data set (``ihms.duckdb`` or ``tables/``) and then
``summary.json`` beside it. Each run has an id (:func:`new_run_id`), recorded in the
data set's metadata (``run_id`` in the store's metadata and in ``dataset.json``) and in
the summary, so the next run can tell what a run that stopped left:

- the summary an earlier run set aside while this one's sink closed
  (:data:`SET_ASIDE`, hidden) is put back when the data are still the ones it
  describes (a run killed before its data were in place), removed otherwise;
- data whose run id no summary carries are a run's killed after placing them and before
  writing its summary: complete (they are placed whole), but described by nothing;
- a summary that says ``failed`` is a run that failed after its data were in place;
- a summary that says ``interrupted`` (:func:`write_interrupted_summary`) is a run stopped
  by Ctrl-C or SIGTERM: how far it got, and whether the data there are its own, complete;
  when they are an earlier run's, that run's summary is kept inside it (``data_summary``).

:func:`recover_out_folder` does this before a run simulates and returns what it found,
in words, for the run to report.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from pathlib import Path

from ihms.errors import InputError

__all__ = [
    "DATA_SUMMARY",
    "INTERRUPTED",
    "SET_ASIDE",
    "SUMMARY",
    "SummarySetAside",
    "data_run_id",
    "new_run_id",
    "recover_out_folder",
    "write_interrupted_summary",
]

SUMMARY = "summary.json"
#: Where a run's sink sets the earlier run's summary aside while it closes.
SET_ASIDE = f".{SUMMARY}.ihms-earlier"
#: ``status`` of the summary of a run stopped by Ctrl-C or SIGTERM.
INTERRUPTED = "interrupted"
#: Key of an interrupted run's summary holding the summary of the earlier run whose
#: data are still in the folder.
DATA_SUMMARY = "data_summary"


def new_run_id() -> str:
    """A new run id: the UTC start time and 8 random hex digits (``20261123T161348Z-9f3a01c2``)."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def data_run_id(target: Path, fmt: str) -> tuple[bool, str | None]:
    """Whether ``target`` (a store, or a Parquet folder) holds a data set, and the run
    id its metadata records (``None``: none, or not a simulation's)."""
    if fmt == "duckdb":
        from ihms.data import Store

        if not target.is_file():
            return False, None
        with Store(target, read_only=True) as store:
            if store.contents() is None:
                return False, None
            try:
                return True, store.info().run_id
            except InputError:  # tables ihms did not write, or another schema version
                return True, None
    from ihms.data.io import FOLDER_META, folder_run_id

    if not (target / FOLDER_META).is_file():
        return target.is_dir(), None
    try:
        return True, folder_run_id(target)
    except InputError:  # a dataset.json that is not ours to read
        return True, None


def _read_summary(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def recover_out_folder(out: Path, target: Path, fmt: str) -> list[str]:
    """Put ``out`` back in a state its summary describes, after a run that stopped;
    return what was found and done, a sentence each (empty: nothing to report).

    Parameters
    ----------
    out
        The run's output folder.
    target
        Its data set: ``out/ihms.duckdb`` or ``out/tables``.
    fmt
        ``duckdb`` or ``parquet``.
    """
    if not out.is_dir():
        return []
    if fmt == "parquet":
        from ihms._run_folders import clear_dead_runs

        clear_dead_runs(target)  # a folder set aside by a killed run comes back first
    held, data_id = data_run_id(target, fmt)
    summary, aside = out / SUMMARY, out / SET_ASIDE
    notes: list[str] = []
    if aside.is_file():
        earlier = _read_summary(aside)
        earlier_id = earlier.get("run_id") if earlier else None
        if held and data_id is not None and earlier_id == data_id and not summary.exists():
            aside.replace(summary)
            notes.append(
                f"a run was killed before its data were in place: {target} still holds "
                f"run {data_id}'s data, and its {SUMMARY}, which that run had set aside, "
                "was put back"
            )
        else:
            aside.unlink()
            notes.append(
                f"removed {aside}, an earlier summary a killed run had set aside: it "
                f"describes run {earlier_id or '(no id)'}, not the data in {target}"
            )
    recorded = _read_summary(summary) if summary.is_file() else None
    if recorded is not None and recorded.get("status") == INTERRUPTED:
        notes.append(_interrupted_note(recorded, target, held, data_id))
    elif recorded is not None and recorded.get("status") == "failed":
        notes.append(
            f"run {recorded.get('run_id')} failed after its data were in place "
            f"({recorded.get('error')}); {summary} says so"
        )
    elif held and data_id is not None and (recorded is None or recorded.get("run_id") != data_id):
        if summary.exists():
            summary.unlink()  # it describes other data
        notes.append(
            f"{target} holds run {data_id}'s data, complete, but that run stopped before "
            f"writing its {SUMMARY} (killed, or stopped after its data were in place)"
            + (f"; the {SUMMARY} there described another run and was removed" if recorded else "")
        )
    return notes


def _interrupted_note(recorded: dict, target: Path, held: bool, data_id: str | None) -> str:
    run_id = recorded.get("run_id")
    progress = recorded.get("progress") or {}
    done, total = progress.get("block_years_done"), progress.get("block_years")
    where = f" after {done} of {total} block-years" if total else ""
    if held and data_id == run_id:
        data = f"; its data in {target} are complete"
    elif held:
        data = f", before its data were in place; {target} holds run {data_id or '(no id)'}'s data"
        if _summary_of(recorded.get("data_summary"), data_id) is not None:
            data += f" (its summary: {DATA_SUMMARY})"
    else:
        data = ", before its data were in place; no data were left"
    return f"run {run_id} was interrupted ({recorded.get('cause')}){where}{data}"


def _summary_of(recorded: dict | None, data_id: str | None) -> dict | None:
    """``recorded`` if it is the summary of run ``data_id``'s data, else None."""
    if not isinstance(recorded, dict) or data_id is None:
        return None
    return recorded if recorded.get("run_id") == data_id else None


def write_interrupted_summary(
    out: Path, target: Path, fmt: str, run: dict, *, cause: str, progress: dict
) -> dict:
    """After a run stopped by Ctrl-C or SIGTERM (its sink closed or aborted), leave
    ``out`` described: :func:`recover_out_folder` first (a summary set aside comes back
    if the data are still its run's), then a ``summary.json`` marked
    :data:`INTERRUPTED`, always, so the folder says what its last run did. When the data
    there are an earlier run's, that run's summary (the one ``summary.json`` held, or the
    one an earlier interrupted run's summary kept) goes inside it as
    :data:`DATA_SUMMARY`: the folder never reads as if the earlier run were the last, and
    what describes the data is not lost. Returns the summary written.

    Parameters
    ----------
    out, target, fmt
        As :func:`recover_out_folder`.
    run
        What the summary records of the run before the outcome: ``run_id`` and the
        options (regime, seed, residents, ...).
    cause
        What stopped it (``KeyboardInterrupt (Ctrl-C)``, ``SIGTERM``).
    progress
        ``block_years_done`` and ``block_years`` (None when not known yet).
    """
    from ihms._atomic import write_text_whole

    recover_out_folder(out, target, fmt)
    held, data_id = data_run_id(target, fmt)
    path = out / SUMMARY
    recorded = _read_summary(path) if path.is_file() else None
    run_id = run["run_id"]
    summary = {
        **run,
        "status": INTERRUPTED,
        "cause": cause,
        "progress": progress,
        "data": str(target) if held else None,
        "data_run_id": data_id if held else None,
        "data_complete": bool(held and data_id == run_id),
    }
    if held and data_id != run_id:
        earlier = _summary_of(recorded, data_id) or _summary_of(
            (recorded or {}).get(DATA_SUMMARY), data_id
        )
        if earlier is not None:
            summary[DATA_SUMMARY] = earlier
    summary["note"] = _interrupted_note(summary, target, held, data_id)
    out.mkdir(parents=True, exist_ok=True)
    write_text_whole(path, json.dumps(summary, indent=2))
    return summary


class SummarySetAside:
    """The run's sink, with an earlier run's ``summary.json`` set aside (as
    :data:`SET_ASIDE`) when the sink's ``close`` starts and removed once the new data
    are in place, not after the run returns: a run stopped between the two left a
    summary describing data that were gone. A run stopped before, or while its sink
    validates (before the data are in place), leaves the earlier data and their summary
    as they were; one killed there leaves the summary set aside, for
    :func:`recover_out_folder` to put back.

    Parameters
    ----------
    sink
        The run's table sink (``placed`` says whether its ``close`` put the data in place).
    summary
        The output folder's ``summary.json``.
    """

    def __init__(self, sink, summary: Path) -> None:
        self.sink, self.summary = sink, summary

    @property
    def placed(self) -> bool:
        """Whether the sink has put this run's data in place."""
        return bool(getattr(self.sink, "placed", False))

    def open(self, info) -> None:
        self.sink.open(info)

    def write(self, name: str, table) -> None:
        self.sink.write(name, table)

    def close(self) -> None:
        # set aside, not deleted: the sink's close still validates before it writes; if
        # it stops before its data are in place (``placed``), the earlier summary returns
        aside = self.summary.with_name(SET_ASIDE)
        held = self.summary.exists()
        if held:
            self.summary.replace(aside)
        try:
            self.sink.close()
        except BaseException:
            if held and not self.placed:
                aside.replace(self.summary)
            raise
        finally:
            aside.unlink(missing_ok=True)

    def abort(self) -> None:
        self.sink.abort()
