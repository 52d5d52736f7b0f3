import json
import subprocess
import sys

import pytest
from grid_helpers import TINY

from forgetless.app.cli import main


@pytest.mark.parametrize(
    "override, key",
    [
        ("nonsense=1", "nonsense"),
        ("train.epochs=two", "train.epochs"),
        ("activations=[relu,nope]", "activations"),
        ("optimizer.lr=0", "optimizer.lr"),
    ],
)
def test_bad_config_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, override, key):
    code = main(["compare", f"output_dir={tmp_path / 'runs'}", override])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"forgetless: error: {key}")
    assert "Traceback" not in err
    assert not (tmp_path / "runs").exists()


def test_missing_data_exits_2_and_writes_nothing(tmp_path, capsys):
    code = main(
        [
            "compare",
            f"output_dir={tmp_path / 'runs'}",
            "scenario.source=idx",
            f"scenario.root={tmp_path / 'empty'}",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("forgetless: error:")
    assert not (tmp_path / "runs").exists()


def test_console_entry_point_runs_a_tiny_grid(tmp_path):
    """The real command in a subprocess: table on stdout, run folder with the report."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "forgetless",
            "compare",
            f"output_dir={tmp_path}",
            "run_name=r",
            "activations=[relu]",
            *TINY,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "| Activation | Strategy | ACC |" in out.stdout
    assert "Warning" not in out.stderr  # a clean terminal: the bar and the table only
    assert f"results in {tmp_path / 'r'}" in out.stdout
    data = json.loads((tmp_path / "r" / "results.json").read_text())
    assert data["cells"][0]["activation"] == "relu"
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == [
        "acc_forgetting.png",
        "accuracy_matrices.png",
        "cells",
        "config.yaml",
        "results.json",
        "stability_plasticity.png",
        "summary.md",
    ]
    assert [p.name for p in (tmp_path / "r" / "cells").iterdir()] == [
        "backprop__relu__naive__seed0.json"
    ]
