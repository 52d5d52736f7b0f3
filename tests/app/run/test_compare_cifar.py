"""``forgetless compare preset=split_cifar10`` end to end on synthetic files in torchvision's layout."""

from __future__ import annotations

import json

import pytest
from synthetic_cifar import write_synthetic_cifar

from forgetless.app.cli import main
from forgetless.app.configs import load_config
from forgetless.app.run.compare import run_compare


@pytest.fixture(scope="module")
def cifar_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    write_synthetic_cifar(root, "cifar10", train_per_class=20, test_per_class=5)
    return root


def test_split_cifar10_grid_learns_each_experience(cifar_root, tmp_path):
    cfg = load_config(
        [
            "preset=split_cifar10",
            f"scenario.root={cifar_root}",
            f"output_dir={tmp_path}",
            "run_name=cifar",
            "activations=[relu]",
            "strategies=[naive]",
            "references.joint=false",  # no reference rows here: tests/app/run/test_compare_references.py
            "references.heads=[]",
            "model.kind=cnn",
            "model.hidden=[32]",
            "optimizer.lr=0.05",
            "train.epochs=3",
            "train.batch_size=8",
            "progress=false",
        ]
    )
    data = json.loads((run_compare(cfg, echo=lambda s: None) / "results.json").read_text())
    assert data["config"]["scenario"]["name"] == "split_cifar10"
    for cell in data["cells"]:
        assert cell["error"] is None
        R = cell["accuracy_matrix"]
        assert len(R) == 5 and all(len(row) == 5 for row in R)
        # each experience has 2 of the 10 classes: the diagonal beats chance (0.5) on average
        diagonal = [R[i][i] for i in range(5)]
        assert sum(diagonal) / 5 > 0.7, diagonal
        assert R[-1][-1] > R[-1][0]  # naive class-incremental: the last classes win


def test_missing_cifar_file_exits_2_naming_it(cifar_root, tmp_path, capsys):
    folder = write_synthetic_cifar(tmp_path / "data", "cifar10", train_per_class=2)
    (folder / "data_batch_4").unlink()
    code = main(
        [
            "compare",
            "preset=split_cifar10",
            f"scenario.root={tmp_path / 'data'}",
            f"output_dir={tmp_path / 'runs'}",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "cifar-10-batches-py/data_batch_4: missing" in err
    assert not (tmp_path / "runs").exists()
