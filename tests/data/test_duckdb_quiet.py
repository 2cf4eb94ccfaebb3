"""No DuckDB progress bar on stdout from a connection ihms opens (payment review
2026-11-25, finding 1: on a 300 MB store the bar came ahead of ``payment settle --json``'s
document, now and then, as queries were slow or not)."""

from __future__ import annotations

import pytest

from ihms.data import Store

_SETTING = "SELECT current_setting('enable_progress_bar')"
# a query DuckDB draws its bar for once progress_bar_time is 0 (a real store's slow
# query, made slow enough here without a 300 MB file)
_SLOW = "SELECT sum(i * i) FROM range(20000000) t(i)"


@pytest.mark.parametrize("read_only", [False, True])
def test_a_store_connection_has_the_progress_bar_off(tmp_path, read_only):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with Store(path, read_only=read_only) as store:
        assert store._con.execute(_SETTING).fetchone() == (False,)
        # the cursors it hands out (ibis's, the payment queries') share the session
        assert store._con.cursor().execute(_SETTING).fetchone() == (False,)
        assert store.backend.con.execute(_SETTING).fetchone() == (False,)


@pytest.mark.parametrize("quieted", [False, True])
def test_quiet_silences_the_bar_duckdb_draws_on_stdout(capfd, quieted):
    # progress_bar_time 0 draws the bar at once (and turns it on: so it is set first,
    # as a slow query on a real store meets the default of about 2 s)
    import duckdb

    from ihms.data._duckdb import quiet

    con = duckdb.connect(":memory:")
    con.execute("SET progress_bar_time = 0")
    if quieted:
        quiet(con)
    capfd.readouterr()
    con.execute(_SLOW).fetchall()
    drawn = capfd.readouterr().out
    assert (drawn == "") is quieted, drawn[:80]
