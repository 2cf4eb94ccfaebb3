"""The child of tests/sim/test_killed_runs.py: the ``ihms`` console script's ``main`` with
its sink's ``close`` wrapped to send the process SIGKILL at a chosen point, so no
clean-up runs (as with ``kill -9`` or the out-of-memory killer). Kept apart from the
test module so the forked child imports nothing of pytest's."""

from __future__ import annotations


def killed_in_close(point: str, argv: list[str], log: str) -> None:
    """Run ``ihms *argv`` and die in its sink's ``close``: before it runs (``point``
    ``"before"``) or just after (``"after"``); the child's stdout and stderr go to
    ``log``."""
    import os
    import signal
    import sys

    from ihms.sim import sinks

    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(out, 2)
    cls = sinks.ParquetSink if "parquet" in argv else sinks.StoreSink
    close = cls.close

    def close_and_die(self):
        if point == "after":
            close(self)
        os.kill(os.getpid(), signal.SIGKILL)

    cls.close = close_and_die
    from ihms.cli.main import main

    sys.argv = ["ihms", *argv]
    main()
