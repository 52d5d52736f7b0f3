"""compare flags cells that did not learn (LA under the threshold) and exits 1 when a cell failed."""

import json

from grid_helpers import TINY

from forgetless.app.cli import EXIT_CELLS_FAILED, main
from forgetless.app.configs import load_config
from forgetless.app.run.compare import run_compare
from forgetless.report import aggregate, format_table


def _cell(activation, R):
    from forgetless.metrics import summarize

    return {"rule": "backprop", "activation": activation, "strategy": "naive", "seed": 0,
            "error": None, "accuracy_matrix": R, "train_seconds": 1.0, **summarize(R)}  # fmt: skip


def test_table_marks_rows_under_the_threshold():
    learned = _cell("relu", [[0.99, 0.0], [0.0, 0.98]])
    stuck = _cell("elephant", [[0.5, 0.0], [0.0, 0.5]])  # chance inside each experience
    rows = aggregate([learned, stuck], la_threshold=0.75)
    assert {r["activation"]: r["learned"] for r in rows} == {"relu": True, "elephant": False}
    lines = format_table(rows).splitlines()
    assert "| LA |" in lines[0]
    assert "0.500 (did not learn)" in next(line for line in lines if "elephant" in line)
    assert "did not learn" not in next(line for line in lines if "relu" in line)
    assert all(r["learned"] is None for r in aggregate([learned]))  # no threshold, no verdict


def test_compare_warns_and_records_a_cell_that_did_not_learn(tmp_path):
    cfg = load_config([f"output_dir={tmp_path}", "run_name=w", "activations=[relu]", *TINY])

    def never_learns(cfg, cell, scenario, on_experience):
        return _cell(cell.activation, [[0.1, 0.0], [0.0, 0.1]])

    lines = []
    folder = run_compare(cfg, echo=lines.append, cell_runner=never_learns)
    printed = "\n".join(lines)
    assert "(did not learn)" in printed
    assert "warning: 1 cell(s) did not learn (LA < 0.60" in printed  # 5 classes: (1 + 0.2) / 2
    data = json.loads((folder / "results.json").read_text())
    assert data["la_threshold"] == 0.6
    assert data["cells"][0]["la"] == 0.1 and data["cells"][0]["learned"] is False
    assert "## Cells that did not learn" in (folder / "summary.md").read_text()


def test_a_failed_cell_makes_the_command_exit_1_and_still_write_the_report(
    tmp_path, capsys, monkeypatch
):
    # a failure only the run can meet (validation refuses everything it can foresee): the ewc
    # cell's strategy raises while it is built, the naive cell runs
    from forgetless.app.run import cell as cell_module

    build = cell_module.build_strategy

    def failing_for_ewc(cfg, cell, *args, **kwargs):
        if cell.strategy == "ewc":
            raise ValueError("simulated failure inside the run")
        return build(cfg, cell, *args, **kwargs)

    monkeypatch.setattr(cell_module, "build_strategy", failing_for_ewc)
    code = main(
        [
            "compare",
            f"output_dir={tmp_path}",
            "run_name=f",
            "activations=[relu]",
            "strategies=[naive,ewc]",
            "scenario.n_experiences=2",
            "model.hidden=[16]",
            "train.epochs=1",
            "progress=false",
            "references.joint=false",  # the grid's two cells only
            "references.heads=[]",
        ]
    )
    err = capsys.readouterr().err
    assert code == EXIT_CELLS_FAILED == 1
    assert err.startswith("forgetless: error: 1 cell(s) failed")
    assert "backprop/relu/ewc seed 0: ValueError: simulated failure" in err
    cells = json.loads((tmp_path / "f" / "results.json").read_text())["cells"]
    assert [c["error"] is None for c in cells] == [True, False]
    assert (tmp_path / "f" / "errors.log").exists()
