"""benchmarks/kernels.py imports, parses its arguments and refuses clearly without CUDA."""

import json
import os

import pytest
import torch
from benchmark_scripts import benchmark_module

pytest.importorskip("triton")


@pytest.fixture(scope="module")
def bench():
    yield from benchmark_module("kernels.py")


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
    from kernel_targets import kernel_verdicts, training_verdicts

    row = {
        "activation": "elephant",
        "dtype": "fp32",
        "size": "64M",
        "mode": "fwd+bwd",
        "fused_ms": 1.0,
        "fused_copy_fraction": 0.93,
        "fused_vs_plain_compile": 0.99,
        "fused_vs_eager": 4.0,
    }
    small = {**row, "size": "64x1024", "fused_ms": 0.061, "fused_vs_eager": 1.5}
    verdicts = {v["target"]: v["pass"] for v in kernel_verdicts([row, small])}
    assert verdicts == {
        "elephant fp32 64M: copy fraction": True,
        "elephant fp32 64M: x compile(plain)": False,
        "elephant fp32 64x1024: fused µs": False,  # 61 µs > 60
        "elephant fp32 64x1024: x eager": True,
    }
    steps = [
        {"activation": "relu", "variant": "relu", "eager_ms": 1.0, "compiled_ms": 1.0},
        {"activation": "elephant", "variant": "fused", "eager_ms": 1.1, "compiled_ms": 1.2},
        {"activation": "elephant", "variant": "reference", "eager_ms": 1.2, "compiled_ms": 1.1},
    ]
    verdicts = {v["target"]: v["pass"] for v in training_verdicts(steps)}
    assert verdicts == {
        "train elephant eager: fused / kernels off": True,
        "train elephant eager: fused / relu": True,
        "train elephant compiled: fused / kernels off": False,
        "train elephant compiled: fused / relu": False,  # 1.2 > 1.15
    }


@pytest.mark.skipif(os.environ.get("TRITON_INTERPRET") != "1", reason="runs the interpreter")
def test_dry_run_runs_every_mode_with_the_kernels(bench, tmp_path, capsys):
    out = tmp_path / "dry.json"
    argv = ["--dry-run", "--activations", "hard_ash", "apa", "--dtypes", "bf16", "--out", str(out)]
    assert bench.main(argv) == 0
    result = json.loads(out.read_text())
    assert {(r["activation"], r["mode"]) for r in result["rows"]} == {
        (name, mode) for name in ("hard_ash", "apa") for mode in ("fwd", "bwd", "fwd+bwd")
    }
    assert all(r["fused_ms"] > 0 and r["plain_compile_ms"] > 0 for r in result["rows"])
    variants = {(r["activation"], r["variant"]) for r in result["training"]}
    assert variants == {("relu", "relu")} | {
        (name, v) for name in ("hard_ash", "apa") for v in ("fused", "reference")
    }
    assert all(r["eager_ms"] > 0 and "eager_error" not in r for r in result["training"])
    printed = capsys.readouterr().out
    assert "targets: not measured" in printed and "targets" not in result
    assert not any(line.startswith(("PASS", "FAIL")) for line in printed.splitlines())


TINY = ["--dry-run", "--activations", "hard_ash", "--dtypes", "fp32", "--sizes", "4x64"]


def test_dry_run_exits_non_zero_when_a_case_fails(bench, tmp_path, capsys, monkeypatch):
    import dataclasses

    def broken(*inputs):
        raise RuntimeError("kernel exploded")

    real = bench.make_case
    monkeypatch.setattr(
        bench, "make_case", lambda *a, **k: dataclasses.replace(real(*a, **k), public=broken)
    )
    out = tmp_path / "dry.json"
    assert bench.main([*TINY, "--no-training", "--out", str(out)]) == 1
    assert "kernel exploded" in capsys.readouterr().err
    assert "hard_ash fp32 4x64 fused: RuntimeError" in json.loads(out.read_text())["errors"][0]


def test_dry_run_exits_non_zero_when_a_training_step_fails(bench, tmp_path, capsys, monkeypatch):
    import kernel_training

    def broken(model, x, y):
        raise RuntimeError("step exploded")

    monkeypatch.setattr(kernel_training, "training_step", broken)
    assert bench.main([*TINY, "--out", str(tmp_path / "dry.json")]) == 1
    err = capsys.readouterr().err
    assert "train relu relu eager: RuntimeError('step exploded')" in err


def test_plain_formulas_match_the_references(bench):
    for name in bench.ACTIVATIONS:
        case = bench.make_case(name, (3, 40), torch.float64, device="cpu")
        torch.testing.assert_close(case.plain()(*case.inputs), case.reference(*case.inputs))


def test_ptx_mode_refuses_the_interpreter(bench, capsys, monkeypatch):
    monkeypatch.setenv("TRITON_INTERPRET", "1")
    assert bench.main(["--ptx"]) == 2
    assert "unset TRITON_INTERPRET" in capsys.readouterr().err
