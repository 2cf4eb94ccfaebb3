"""What ``ihms policy autocode evaluate`` and ``rules --evaluate`` write: the evaluation
table as a file (the codebook's names, intervals, notes on how it was run) and the
held-out predictions beside it; and the coverage part of ``evaluate``'s and ``table
evaluate``'s ``--json``."""

from __future__ import annotations

from pathlib import Path


def write_evaluation(ev, out: Path) -> None:
    """``ev`` (a :class:`~ihms.policy.autocode.ProjectEvaluation`) to ``out``: a
    ``.csv`` of the table; a workbook of the table (title, names, notes below) and a
    ``predictions`` sheet, each held-out segment with its document, fold, the reconciled
    and the machine's code (and ``twin``, and ``cluster``: the documents its bootstrap
    draws together)."""
    from ihms.summary import SummaryTable
    from ihms.table_files import write_summary_table, write_tables_xlsx

    table = ev.file_table()
    if out.suffix.lower() != ".xlsx":
        write_summary_table(table, out, sheet="evaluation")
        return
    pred = ev.evaluation.predictions.drop(columns="row")
    predictions = SummaryTable(
        pred,
        title="Each held-out segment: its document, fold, reconciled and machine code",
        show_index=False,
        digits=3,
    )
    write_tables_xlsx([("evaluation", table), ("predictions", predictions)], out)


def add_coverage(payload: dict, cov, target_kappa: float | None) -> None:
    """Put ``cov`` (a :class:`~ihms.policy.autocode.coverage.CoverageCurve`) in an
    evaluation's ``--json`` ``payload`` as ``coverage``, with the target, the cut read
    off for it and the payload's ``nested_cut`` moved in as ``nested`` (the project and
    the table command print the same keys)."""
    payload["coverage"] = {
        **cov.to_dict(),
        "target_kappa": target_kappa,
        "min_probability_for_target": (
            None if target_kappa is None else cov.min_probability_for(target_kappa)
        ),
        "nested": payload.pop("nested_cut"),
    }
