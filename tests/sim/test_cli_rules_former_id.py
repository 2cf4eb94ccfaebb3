"""``ihms sim run|compare --rules`` with a rule file naming a scorecard indicator by its
former id (``INDICATOR_ALIASES``): the same ``note:`` line the ``ihms payment`` commands
print (``notes_on_stderr``), not a raw Python warning."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.payment import builtin_rules_text

OLD, NEW = "primary_care_healthcare_share", "healthcare_visits_primary_share"
# what sanming's director card scores in NEW's place since 2026-11-26
NOW = "outpatient_contacts_primary_share"


@pytest.fixture
def saved(tmp_path):
    """Sanming's rules as saved before the rename (tests/payment/test_indicator_aliases.py),
    the director card then scoring the primary-care share of preventive visits."""
    path = tmp_path / "my-sanming.yaml"
    text = builtin_rules_text("sanming")
    assert f"id: {NOW}" in text
    path.write_text(text.replace(f"id: {NOW}", f"id: {OLD}"), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_former_id_is_a_note(tmp_path, example_path, saved, command):
    args = ["sim", command, "--config", str(example_path), "--residents", "300", "--seed", "5"]
    if command == "run":
        args += ["--out", str(tmp_path / "out"), "--rules", str(saved)]
    else:
        args += ["--regime", "sanming", "--regime", "other-areas", "--rules", f"sanming={saved}"]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    stderr = " ".join(result.stderr.split())
    assert (
        f"note: {saved}: scorecard 'director' indicator '{OLD}' is the former id of '{NEW}'"
    ) in stderr
    assert "IhmsWarning" not in stderr and "warnings.warn" not in stderr
