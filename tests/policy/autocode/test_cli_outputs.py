"""``ihms policy autocode``: output paths are checked before the work, so a bad name
stores nothing in the project and wastes no computation."""

from typer.testing import CliRunner

from ihms.cli.main import app
from ihms.policy.coding import codings
from ihms.policy.project import Project

runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["policy", "autocode", *map(str, args)])


def said(result) -> str:
    return " ".join(result.output.split())


def _stored(study):
    with Project(study) as p:
        coders = {row[0] for row in p.query("SELECT id FROM coders")}
        return len(codings(p)), coders


def test_a_bad_review_sheet_name_stores_no_machine_code(study, tmp_path):
    model = tmp_path / "model"
    assert run("train", study, "-d", "stakeholders", "--out", model).exit_code == 0
    before = _stored(study)
    for sheet, why in (
        (tmp_path / "nodir" / "r.xlsx", "does not exist"),
        (tmp_path / "r.txt", "expected a .xlsx or .csv file name"),
    ):
        res = run("apply", study, model, "--review-sheet", sheet)
        assert res.exit_code == 2, res.output
        assert "option '--review-sheet'" in said(res) and why in said(res)
        assert _stored(study) == before  # no answer, no machine coder registered
        assert not sheet.exists()


def test_rules_apply_with_a_bad_out_stores_nothing(study, tmp_path):
    before = _stored(study)
    res = run("rules", study, "-d", "tools", "--apply", "--out", tmp_path / "codes.txt")
    assert res.exit_code == 2, res.output
    assert _stored(study) == before  # --apply stored no rule codes
    assert "option '--out'" in said(res) and "expected a .xlsx or .csv" in said(res)
    for command in (
        ("suggest", study, "-d", "stakeholders"),
        ("provenance", study),
    ):
        res = run(*command, "--out", tmp_path / "no" / "x.csv")
        assert res.exit_code == 2 and "does not exist" in said(res), res.output


def test_evaluate_checks_its_outputs_before_cross_validating(study, tmp_path, monkeypatch):
    import ihms.policy.autocode as autocode

    def never(*args, **kwargs):
        raise AssertionError("cross-validated before checking the outputs")

    monkeypatch.setattr(autocode, "evaluate_on_project", never)
    for option, path, why in (
        ("--curve", tmp_path / "nodir" / "c.png", "does not exist"),
        ("--curve", tmp_path / "c.txt", "expected a .png, .svg or .pdf"),
        ("--out", tmp_path / "nodir" / "e.xlsx", "does not exist"),
        ("--out", tmp_path / "e.txt", "expected a .xlsx or .csv"),
    ):
        res = run("evaluate", study, "-d", "stakeholders", option, path)
        assert res.exit_code == 2, res.output
        assert f"option '{option}'" in said(res) and why in said(res)


def test_a_curve_is_written_whole_in_the_format_its_suffix_names(tmp_path):
    import matplotlib.pyplot as plt

    from ihms.cli.policy_autocode import _save_figure

    for name, magic in (("c.png", b"\x89PNG"), ("c.pdf", b"%PDF"), ("c.svg", b"<?xml")):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        _save_figure(fig, tmp_path / name)
        assert (tmp_path / name).read_bytes().startswith(magic)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.pdf", "c.png", "c.svg"]
