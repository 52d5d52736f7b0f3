"""Benchmark and GPU checks for the fused activation kernels (forgetless.kernels).

Usage (``--check`` and the benchmark need a CUDA machine; ``--ptx`` and ``--dry-run`` run
anywhere):

    python benchmarks/kernels.py --check            # opcheck, compile fullgraph, fused vs reference
    python benchmarks/kernels.py --out bench.json   # kernels at every size + training steps
    python benchmarks/kernels.py --ptx              # no GPU: ptxas registers / spills per kernel
    python benchmarks/kernels.py --dry-run          # CPU smoke run, tiny sizes (see below)

The benchmark measures copy bandwidth (``out.copy_(x)``) and then, for every activation, dtype
(fp32, bf16) and size (realistic hidden layers 64×1024, 1024×1024, 8192×4096; flat 16M, 64M),
the median time (``triton.testing.do_bench``) of the forward, the backward and forward +
backward of four implementations: the eager reference, ``torch.compile`` of the reference,
``torch.compile`` of the plain formula a user would write (:mod:`kernel_plain`: the honest
baseline) and the fused kernel reached through the public functional (what users get). It
prints the fraction of copy bandwidth (minimum traffic: forward reads x and writes y, backward
reads x and dy and writes dx) and the speed-ups of fused over each, side by side. Then the
training-step mode (:mod:`kernel_training`): an MLP 784-1024-1024-10 step with the activation
fused, with kernels off and with nn.ReLU, eager and compiled. Last, PASS / FAIL per issue-13
target (:mod:`kernel_targets`). Results go to ``--out`` (JSON) after every case, so a run cut
short still leaves its measurements.

``--dry-run``: on CPU, tiny sizes and a small MLP, timed with ``time.perf_counter`` medians and
without ``torch.compile`` (its columns repeat the eager functions): checks that every mode runs
end to end. Its timings say nothing about the GPU targets, so it prints no PASS / FAIL (the JSON
has no ``targets``); it exits 1 when a case or a training step raised (listed under ``errors``). Under ``TRITON_INTERPRET=1`` the fused column runs the Triton kernels on CPU
(dispatch is forced to the fused path); without it the fused column is the reference.

Imports only torch, triton and forgetless's core (no omegaconf, Avalanche or Lightning).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the sibling kernel_* modules

from kernel_cases import ACTIVATIONS, DRY_RUN_SIZES, DTYPES, SIZES, make_case  # noqa: E402
from kernel_targets import kernel_verdicts, print_verdicts, training_verdicts  # noqa: E402

__all__ = ["ACTIVATIONS", "DTYPES", "SIZES", "make_case", "main", "parse_args"]
MIN_BYTES_PER_ELEMENT = {"fwd": 2, "bwd": 3, "fwd+bwd": 5}
IMPLS = ("eager", "compile", "plain_compile", "fused")


def gpu_bench(fn: Callable[[], object], grad_to_none: list[torch.Tensor] | None = None) -> float:
    """Median ms of ``fn`` by ``triton.testing.do_bench``."""
    from triton.testing import do_bench

    return do_bench(fn, warmup=10, rep=60, grad_to_none=grad_to_none, return_mode="median")


def cpu_bench(fn: Callable[[], object], grad_to_none: list[torch.Tensor] | None = None) -> float:
    """Median ms of a few calls of ``fn`` (the dry run: checks the plumbing, not speed)."""
    fn()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def copy_bandwidth(numel: int, dtype: torch.dtype, bench: Callable, device: str) -> float:
    """GB/s of ``out.copy_(x)`` (reads and writes numel elements)."""
    x = torch.randn(numel, device=device).to(dtype)
    out = torch.empty_like(x)
    ms = bench(lambda: out.copy_(x), [])
    return 2 * numel * x.element_size() / ms / 1e6


def _time_impl(fn: Callable, inputs: list[torch.Tensor], bench: Callable) -> dict[str, float]:
    y = fn(*inputs)
    dy = torch.randn_like(y)
    return {
        "fwd": bench(lambda: fn(*inputs), inputs),
        "bwd": bench(lambda: y.backward(dy, retain_graph=True), inputs),
        "fwd+bwd": bench(lambda: fn(*inputs).backward(dy), inputs),
    }


def _write(result: dict, out: str | None) -> None:
    if out:
        with open(out, "w") as handle:
            json.dump(result, handle, indent=2)


def _numel(size: int | tuple[int, int]) -> int:
    return size[0] * size[1] if isinstance(size, tuple) else size


def measure_case(name, dtype_label, size_label, size, env, result) -> None:
    """Time the four implementations of one case; append one row per mode to ``result``."""
    case = make_case(name, size, DTYPES[dtype_label], env["device"])
    compiled = size_label in env["compile_sizes"]
    impls = {
        "eager": case.reference,
        "compile": env["compile"](case.reference) if compiled else None,
        "plain_compile": env["compile"](case.plain()) if compiled else None,
        "fused": case.public,
    }
    times = {}
    for label, fn in impls.items():
        if fn is None:  # compile baselines skipped at this size (--compile-sizes)
            times[label] = dict.fromkeys(MIN_BYTES_PER_ELEMENT, float("nan"))
            continue
        try:
            times[label] = _time_impl(fn, case.inputs, env["bench"])
        except Exception as error:  # keep measuring the rest; record why
            print(f"{name} {dtype_label} {size_label} {label} failed: {error!r}"[:400])
            result.setdefault("errors", []).append(
                f"{name} {dtype_label} {size_label} {label}: {error!r}"[:1000]
            )
            times[label] = dict.fromkeys(MIN_BYTES_PER_ELEMENT, float("nan"))
    numel, elem = case.inputs[0].numel(), case.inputs[0].element_size()
    copy = result["copy_GBps"][f"{size_label} {dtype_label}"]
    for mode, per_elem in MIN_BYTES_PER_ELEMENT.items():
        row = {"activation": name, "dtype": dtype_label, "size": size_label, "numel": numel}
        row["mode"] = mode
        for label in impls:
            ms = times[label][mode]
            row[f"{label}_ms"] = ms
            row[f"{label}_copy_fraction"] = per_elem * numel * elem / ms / 1e6 / copy
        for label in ("eager", "compile", "plain_compile"):
            row[f"fused_vs_{label}"] = times[label][mode] / times["fused"][mode]
        result["rows"].append(row)
        print(format_row(row), flush=True)


def benchmark(
    activations,
    dtypes,
    sizes,
    out=None,
    *,
    dry_run=False,
    training=True,
    compile_sizes=None,
    train_compile=None,
) -> dict:
    """Measure everything; return the JSON-able result (also rewritten to ``out`` after every
    case, so a run cut short by a time limit still leaves its measurements)."""
    from kernel_training import measure_training

    device = "cpu" if dry_run else "cuda"
    size_table = DRY_RUN_SIZES if dry_run else SIZES
    env = {
        "device": device,
        "bench": cpu_bench if dry_run else gpu_bench,
        "compile": (lambda fn: fn)
        if dry_run
        else (lambda fn: torch.compile(fn, fullgraph=True, dynamic=False)),
        "compile_sizes": set(sizes if compile_sizes is None else compile_sizes),
    }
    torch._dynamo.config.cache_size_limit = max(torch._dynamo.config.cache_size_limit, 256)
    result = {
        "device": "cpu (dry run)" if dry_run else torch.cuda.get_device_name(),
        "torch": torch.__version__,
        "triton": __import__("triton").__version__,
        "copy_GBps": {},
        "rows": [],
    }
    for size_label in sizes:
        for dtype_label in dtypes:
            numel = _numel(size_table[size_label])
            gbps = copy_bandwidth(numel, DTYPES[dtype_label], env["bench"], device)
            result["copy_GBps"][f"{size_label} {dtype_label}"] = gbps
            print(f"copy bandwidth {size_label} {dtype_label}: {gbps:.0f} GB/s", flush=True)
    print(HEADER, flush=True)
    for name in activations:
        for dtype_label in dtypes:
            for size_label in sizes:
                measure_case(name, dtype_label, size_label, size_table[size_label], env, result)
                if not dry_run:
                    torch.cuda.empty_cache()
                if not dry_run:
                    result["targets"] = kernel_verdicts(result["rows"])
                _write(result, out)
    if training:
        widths, batch = ((32, 64, 64, 10), 8) if dry_run else ((784, 1024, 1024, 10), 256)
        compile_model = env["compile"] if dry_run else torch.compile
        result["training"] = measure_training(
            activations, env["bench"], device, compile_model, widths, batch, train_compile
        )
        result.setdefault("errors", []).extend(training_errors(result["training"]))
        if not result["errors"]:
            del result["errors"]
        if not dry_run:
            result["targets"] = kernel_verdicts(result["rows"])
            result["targets"] += training_verdicts(result["training"])
        _write(result, out)
    return result


def training_errors(rows: list[dict]) -> list[str]:
    """One line per training step that raised (``<mode>_error`` in its row)."""
    return [
        f"train {row['activation']} {row['variant']} {mode}: {row[f'{mode}_error']}"
        for row in rows
        for mode in ("eager", "compiled")
        if f"{mode}_error" in row
    ]


HEADER = (
    f"{'activation':<19}{'dtype':<6}{'size':<10}{'mode':<8}{'fused ms':>10}{'fused %BW':>10}"
    f"{'x eager':>9}{'x comp(ref)':>12}{'x comp(plain)':>14}{'plain %BW':>10}"
)


def format_row(row: dict) -> str:
    """One table line: fused time and bandwidth, its speed-ups over each baseline."""
    return (
        f"{row['activation']:<19}{row['dtype']:<6}{row['size']:<10}{row['mode']:<8}"
        f"{row['fused_ms']:>10.4f}{100 * row['fused_copy_fraction']:>9.1f}%"
        f"{row['fused_vs_eager']:>9.2f}{row['fused_vs_compile']:>12.2f}"
        f"{row['fused_vs_plain_compile']:>14.2f}{100 * row['plain_compile_copy_fraction']:>9.1f}%"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="run the GPU-only checks and exit")
    parser.add_argument(
        "--ptx",
        action="store_true",
        help="no GPU needed: compile every kernel for sm_90a, report registers and spills",
    )
    parser.add_argument("--dry-run", action="store_true", help="CPU smoke run, tiny sizes")
    parser.add_argument("--out", default="kernels_benchmark.json", help="JSON output path")
    parser.add_argument("--activations", nargs="+", choices=ACTIVATIONS, default=list(ACTIVATIONS))
    parser.add_argument("--dtypes", nargs="+", choices=list(DTYPES), default=list(DTYPES))
    sizes = list(SIZES) + list(DRY_RUN_SIZES)
    parser.add_argument("--sizes", nargs="+", choices=sizes, help="default: all (dry run: tiny)")
    parser.add_argument("--no-training", action="store_true", help="skip the training steps")
    parser.add_argument(
        "--compile-sizes", nargs="*", choices=sizes, help="sizes with compile baselines (all)"
    )
    parser.add_argument(
        "--train-compile",
        nargs="*",
        choices=ACTIVATIONS,
        help="activations whose training step is also compiled (default: all measured)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.ptx:
        if os.environ.get("TRITON_INTERPRET") == "1":
            print("benchmarks/kernels.py --ptx: unset TRITON_INTERPRET", file=sys.stderr)
            return 2
        from kernel_ptx import ptx_report

        for dtype in (DTYPES[label] for label in args.dtypes):
            print("\n".join(ptx_report(dtype)), flush=True)
        return 0
    if args.dry_run:
        return dry_run(args)
    if not torch.cuda.is_available():
        mode = "--check" if args.check else "the benchmark"
        print(
            f"benchmarks/kernels.py: {mode} needs a CUDA GPU, and torch.cuda.is_available() is "
            "False here. On CPU run the interpreter tests instead: "
            "TRITON_INTERPRET=1 python -m pytest -q tests/kernels (or --dry-run)",
            file=sys.stderr,
        )
        return 2
    if args.check:
        from kernel_gpu_checks import run_checks

        return run_checks()
    sizes = args.sizes or list(SIZES)
    result = benchmark(
        args.activations,
        args.dtypes,
        sizes,
        args.out,
        training=not args.no_training,
        compile_sizes=args.compile_sizes,
        train_compile=args.train_compile,
    )
    return report(result, args.out)


def dry_run(args: argparse.Namespace) -> int:
    """The CPU smoke run; the kernels run (interpreted) only under TRITON_INTERPRET=1."""
    import forgetless.kernels.dispatch as dispatch_module

    saved = dispatch_module.can_fuse
    torch.set_num_threads(1)  # a shared CPU stalls torch's thread pool: wild timings otherwise
    if os.environ.get("TRITON_INTERPRET") == "1":
        dispatch_module.can_fuse = lambda *tensors: dispatch_module.kernels_enabled()
    try:
        sizes = args.sizes or list(DRY_RUN_SIZES)
        result = benchmark(
            args.activations, args.dtypes, sizes, args.out, dry_run=True,
            training=not args.no_training,
        )  # fmt: skip
    finally:
        dispatch_module.can_fuse = saved
    return report(result, args.out)


def report(result: dict, out: str | None) -> int:
    """Print the table again, the PASS / FAIL per target (none in a dry run: "not measured"),
    the errors, write JSON; 0 unless a case or a training step errored."""
    print()
    print(HEADER)
    for row in result["rows"]:
        print(format_row(row))
    if "targets" in result:
        print_verdicts(result["targets"])
    else:
        print("targets: not measured (a dry run times CPU calls, not the GPU targets)")
    _write(result, out)
    print(f"wrote {out}")
    errors = result.get("errors", [])
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        print(f"benchmarks/kernels.py: {len(errors)} case(s) failed (see above)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
