"""Call-site parameters under DDP: registered before wrapping, synchronised, same as 1 process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def test_ddp_trains_call_site_parameters_like_one_process(tmp_path):
    sys.path.insert(0, str(HERE))
    try:
        from ddp_functional_swap_run import Functional, data, site_parameters, train
    finally:
        sys.path.remove(str(HERE))
    from forgetless.activations import swap_activations

    env = dict(os.environ, OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    out = tmp_path / "ddp.json"
    script = HERE / "ddp_functional_swap_run.py"
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "store"), str(out)],
        env=env,
        timeout=240,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    rank0, rank1 = json.loads(out.read_text())
    assert rank0 == rank1 and len(rank0) == 2  # kappa and lam of the one call site

    torch.manual_seed(0)
    model = Functional()
    x, y = data()
    swap_activations(model, "aglu", example_input=x[:2])
    train(model, x, y)  # the full batch of 8 = the two ranks' halves, gradients averaged
    single = site_parameters(model)
    assert single.keys() == rank0.keys()
    for name, values in single.items():
        assert values != [1.0]  # moved from the init kappa = lam = 1
        assert rank0[name] == pytest.approx(values, abs=1e-6)
