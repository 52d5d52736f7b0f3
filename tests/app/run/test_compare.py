import json
import math

import pytest
from grid_helpers import TINY

from forgetless.app.configs import load_config
from forgetless.app.run.cell import run_cell
from forgetless.app.run.compare import grid, run_compare
from forgetless.report import RESULT_KEYS


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    cfg = load_config(
        [
            f"output_dir={out}",
            "run_name=tiny",
            "activations=[relu,elephant]",
            "seeds=[0,1]",
            *TINY,
        ]
    )
    lines = []
    folder = run_compare(cfg, echo=lines.append)
    return folder, json.loads((folder / "results.json").read_text()), "\n".join(lines)


def test_grid_is_the_product():
    grid_only = ["references.joint=false", "references.heads=[]"]  # no reference cells
    cfg = load_config(
        ["activations=[relu,aglu]", "strategies=[naive,ewc]", "seeds=[0,1,2]", *grid_only]
    )
    cells = grid(cfg)
    assert len(cells) == 2 * 2 * 3 and len(set(cells)) == 12


def test_results_json_schema(tiny_run):
    folder, data, _ = tiny_run
    assert set(data) >= {"config", "environment", "cells", "wall_seconds"}
    assert data["config"]["activations"] == ["relu", "elephant"]
    assert data["environment"]["versions"]["torch"]
    assert len(data["cells"]) == 4
    for cell in data["cells"]:
        assert tuple(cell) == RESULT_KEYS
        assert cell["error"] is None
        R = cell["accuracy_matrix"]
        assert len(R) == 2 and all(len(row) == 2 for row in R)
        assert all(0.0 <= v <= 1.0 for row in R for v in row)
        assert math.isclose(cell["acc"], sum(R[-1]) / 2)
        assert math.isclose(cell["avalanche_forgetting"], -cell["bwt"])
        assert cell["fwt"] is not None and cell["train_seconds"] > 0 and cell["peak_memory_mb"] > 0
    # learning happened: the diagonal beats chance (5 classes per experience)
    assert all(c["accuracy_matrix"][0][0] > 0.5 for c in data["cells"] if c["activation"] == "relu")


def test_report_files_and_table(tiny_run):
    folder, data, printed = tiny_run
    summary = (folder / "summary.md").read_text()
    assert "| Activation | Strategy | ACC |" in summary and "Chaudhry" in summary
    assert "± " in summary  # two seeds give mean ± std
    for png in ("accuracy_matrices.png", "acc_forgetting.png"):
        assert (folder / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (folder / "logs").exists()  # loggers=[] (the default): no log files
    assert "| Activation | Strategy | ACC |" in printed and str(folder) in printed
    # table sorted by ACC, descending
    accs = [float(line.split("|")[3].split("±")[0]) for line in summary.splitlines()[4:6]]
    assert accs == sorted(accs, reverse=True)


def test_seeds_differ_and_repeat(tiny_run, tmp_path):
    _, data, _ = tiny_run
    by_seed = {
        c["seed"]: c
        for c in data["cells"]
        if c["activation"] == "relu" and c["strategy"] == "naive"
    }
    assert by_seed[0]["accuracy_matrix"] != by_seed[1]["accuracy_matrix"]
    cfg = load_config(
        [f"output_dir={tmp_path}", "run_name=again", "activations=[relu]", "seeds=[0]", *TINY]
    )
    again = json.loads((run_compare(cfg, echo=lambda s: None) / "results.json").read_text())
    assert again["cells"][0]["accuracy_matrix"] == by_seed[0]["accuracy_matrix"]


def test_a_failing_cell_does_not_stop_the_others(tmp_path):
    cfg = load_config(
        [
            *TINY,
            f"output_dir={tmp_path}",
            "run_name=f",
            "activations=[relu,tempered_sigmoid]",
            "strategies=[replay]",
            "strategy_params.replay.mem_size=20",
        ]
    )

    def flaky(cfg, cell, scenario, on_experience):
        if cell.activation == "tempered_sigmoid":
            raise RuntimeError("boom in this cell")
        return run_cell(cfg, cell, scenario, on_experience)

    lines = []
    folder = run_compare(cfg, echo=lines.append, cell_runner=flaky)
    data = json.loads((folder / "results.json").read_text())
    assert {c["strategy"] for c in data["cells"]} == {"replay"}
    errors = {c["activation"]: c["error"] for c in data["cells"]}
    assert errors == {"relu": None, "tempered_sigmoid": "RuntimeError: boom in this cell"}
    assert "failed: seed 0: RuntimeError: boom in this cell" in "\n".join(lines)
    assert "boom in this cell" in (folder / "errors.log").read_text()


def test_existing_run_name_is_refused(tmp_path):
    (tmp_path / "taken").mkdir()
    cfg = load_config([f"output_dir={tmp_path}", "run_name=taken", "activations=[relu]", *TINY])
    with pytest.raises(FileExistsError, match="run_name"):
        run_compare(cfg, echo=lambda s: None)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
