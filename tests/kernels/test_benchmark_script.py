"""benchmarks/kernels.py imports, parses its arguments and refuses clearly without CUDA."""

import importlib.util
import sys
from pathlib import Path

import pytest
import torch

pytest.importorskip("triton")

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "kernels.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("forgetless_kernel_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_arguments_parse(bench):
    args = bench.parse_args(["--check", "--dtypes", "bf16", "--sizes", "16M", "--out", "b.json"])
    assert args.check and not args.ptx and args.dtypes == ["bf16"] and args.sizes == ["16M"]
    assert args.out == "b.json" and args.activations == list(bench.ACTIVATIONS)
    with pytest.raises(SystemExit):
        bench.parse_args(["--dtypes", "fp8"])


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU message")
def test_check_without_cuda_exits_with_a_clear_message(bench, capsys):
    assert bench.main(["--check"]) == 2
    assert "needs a CUDA GPU" in capsys.readouterr().err


def test_cases_cover_every_activation_and_match_the_references_on_cpu(bench):
    for name in bench.ACTIVATIONS:
        case = bench.make_case(name, 4000, torch.float32, device="cpu")
        assert case.inputs[0].numel() == 4000 and all(t.requires_grad for t in case.inputs)
        # On CPU the public functional dispatches to the reference: identical results.
        assert torch.equal(case.public(*case.inputs), case.reference(*case.inputs))


def test_target_verdicts(bench):
    row = {
        "activation": "elephant",
        "dtype": "fp32",
        "size": "64M",
        "mode": "fwd+bwd",
        "fused_copy_fraction": 0.93,
        "fused_vs_compile": 1.01,
        "fused_vs_eager": 4.0,
    }
    (verdict,) = bench.evaluate_targets([row, {**row, "size": "16M"}])
    assert verdict["copy_fraction"] and verdict["vs_compile"] and not verdict["vs_eager"]
    assert not verdict["met"]


def test_ptx_mode_refuses_the_interpreter(bench, capsys, monkeypatch):
    monkeypatch.setenv("TRITON_INTERPRET", "1")
    assert bench.main(["--ptx"]) == 2
    assert "unset TRITON_INTERPRET" in capsys.readouterr().err
