"""The grid gives the same numbers wherever its cells run: in this process, in local worker
processes (forked from a fork server) or in Ray actors; a failing cell stays in its own record."""

from __future__ import annotations

import os
from pathlib import Path

import grid_helpers
import pytest
from grid_helpers import computed, fails_on_elephant, run

from forgetless.app.configs import ConfigError, load_config, validate


def test_local_workers_give_bit_identical_cells_and_keep_failures_apart(in_process, tmp_path):
    assert all(c["error"] is None for c in in_process["cells"])
    data = run(tmp_path, "two", "launcher.jobs=2", runner=fails_on_elephant)
    errors = [(c["activation"], c["seed"], c["error"]) for c in data["cells"]]
    assert errors == [
        ("relu", 0, None),
        ("relu", 1, None),
        ("elephant", 0, None),
        ("elephant", 1, "RuntimeError: boom in a worker"),
    ]
    assert "boom in a worker" in (tmp_path / "two" / "errors.log").read_text()
    # the cells that ran in worker processes equal those of the in-process run, bit for bit
    assert computed(data)[:3] == computed(in_process)[:3]
    assert data["config"]["launcher"]["jobs"] == 2
    assert data["environment"]["torch_threads"] == 1


def test_workers_build_a_stream_too_large_to_share_themselves(in_process, tmp_path, monkeypatch):
    from forgetless.app.run import launcher
    from forgetless.app.run.scenario_builder import build_scenario

    many = load_config(["scenario.name=permuted_mnist", "scenario.n_experiences=100"])
    assert launcher.shareable({0: build_scenario(many.scenario, 0)}) == {}  # ~600 tensors
    few = {0: build_scenario(load_config([]).scenario, 0)}
    assert launcher.shareable(few) is few
    monkeypatch.setattr(launcher, "MAX_SHARED_TENSORS", 0)  # every stream built by the workers
    data = run(tmp_path, "rebuilt", "launcher.jobs=2")
    assert computed(data) == computed(in_process)


def test_ray_actors_give_bit_identical_cells_and_keep_failures_apart(
    in_process, tmp_path, monkeypatch
):
    pytest.importorskip("ray")
    here = str(Path(grid_helpers.__file__).parent)  # Ray's workers must import fails_on_elephant
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([here, os.environ.get("PYTHONPATH", "")]))
    # two actors, four cells: each actor runs two cells, one of which fails
    data = run(tmp_path, "ray", "launcher.kind=ray", "launcher.jobs=2", runner=fails_on_elephant)
    errors = [(c["activation"], c["seed"], c["error"]) for c in data["cells"]]
    assert errors[3] == ("elephant", 1, "RuntimeError: boom in a worker")
    assert [e[2] for e in errors[:3]] == [None, None, None]
    assert computed(data)[:3] == computed(in_process)[:3]


@pytest.mark.parametrize(
    "override, message",
    [
        ("launcher.kind=slurm", "launcher.kind: expected one of ['local', 'ray']"),
        ("launcher.jobs=0", "launcher.jobs: expected an integer in [1, 4096]"),
        ("launcher.threads=0", "launcher.threads: expected an integer in [1, 1024]"),
        ("launcher.gpus_per_cell=-1", "launcher.gpus_per_cell: expected null or a number >= 0"),
        ("launcher.cpus_per_cell=0", "launcher.cpus_per_cell: expected a finite number > 0"),
        ("launcher.address=auto", "launcher.address: joins a Ray cluster"),
    ],
)
def test_bad_launcher_values(override, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate(load_config([override]))
