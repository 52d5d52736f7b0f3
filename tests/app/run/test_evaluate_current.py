"""``train.evaluate=current``: after experience i only experience i is evaluated, then every
experience after the last one; the diagonal and the last row equal those of ``all``."""

from __future__ import annotations

import json
import math

import pytest
from grid_helpers import TINY

from forgetless.app.configs import ConfigError, load_config, validate
from forgetless.app.run.compare import run_compare

THREE = [
    *TINY,
    "scenario.name=permuted_mnist",
    "scenario.n_experiences=3",
    "activations=[relu]",
    "seeds=[0]",
]


def _cell(tmp_path, mode: str) -> dict:
    cfg = load_config(
        [*THREE, f"output_dir={tmp_path}", f"run_name={mode}", f"train.evaluate={mode}"]
    )
    folder = run_compare(cfg, echo=lambda _: None)
    return json.loads((folder / "results.json").read_text())["cells"][0]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluate")
    return _cell(out, "all"), _cell(out, "current")


def test_diagonal_and_last_row_equal_those_of_all(both):
    full, current = both
    R, C = full["accuracy_matrix"], current["accuracy_matrix"]
    T = len(R)
    for i in range(T):
        for j in range(T):
            if i == j or i == T - 1:
                assert C[i][j] == R[i][j]
            else:
                assert C[i][j] is None  # NaN in the record, null in results.json
    for key in ("acc", "la", "bwt", "avalanche_forgetting", "acc_task", "la_task"):
        assert current[key] == full[key]
    assert current["baseline_accuracy"] == full["baseline_accuracy"]


def test_entries_that_need_the_other_rows_are_undefined(both):
    full, current = both
    for key in ("fwt", "forgetting", "avg_incremental_acc", "forgetting_task"):
        assert full[key] is not None and math.isfinite(full[key])
        assert current[key] is None


def test_a_bad_mode_is_refused_with_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"^train\.evaluate: .*current") as info:
        validate(load_config([*THREE, f"output_dir={tmp_path}", "train.evaluate=diagonal"]))
    assert "\n" not in str(info.value)


def test_current_with_the_joint_reference_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"^train\.evaluate: 'current' needs references\.joint"):
        validate(
            load_config(
                [
                    *THREE,
                    f"output_dir={tmp_path}",
                    "train.evaluate=current",
                    "references.joint=true",
                ]
            )
        )
