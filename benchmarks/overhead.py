"""Overhead of forgetless over the same run written directly on Avalanche, in one process.

Both sides train the same MLP (784-400-10, ReLU, SGD lr 0.05, batch 32, one epoch per
experience) on the same Split-MNIST benchmark (embedded sample, 5 experiences), evaluating the
untrained model and then the whole test stream after each experience:

- forgetless: ``forgetless.app.run.cell.run_cell`` (config → ActivationPlugin, AccuracyMatrixPlugin,
  summary, memory sampling), exactly what ``forgetless compare`` runs per cell;
- raw Avalanche: ``Naive`` + ``EvaluationPlugin(accuracy_metrics(experience=True))``, the matrix
  read from Avalanche's metric dictionary.

The two alternate ``--repeats`` times (default 5) after one warm-up each; the script prints the
median wall time of each and their ratio (target ≤ 1.05).

    .venv/bin/python benchmarks/overhead.py [--repeats 5] [--activation relu]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings

import torch
from torch import nn

from forgetless.app.configs import load_config
from forgetless.app.run.cell import Cell, run_cell
from forgetless.avalanche import to_avalanche
from forgetless.models import MLP
from forgetless.scenarios import split_mnist


def raw_avalanche(benchmark, seed: int) -> list[list[float]]:
    from avalanche.evaluation.metrics import accuracy_metrics
    from avalanche.training import Naive
    from avalanche.training.determinism.rng_manager import RNGManager
    from avalanche.training.plugins import EvaluationPlugin

    RNGManager.set_random_seeds(seed)  # as run_cell seeds a cell: random, numpy, torch
    model = MLP(784, [400], 10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        evaluator = EvaluationPlugin(accuracy_metrics(experience=True), loggers=[])
    strategy = Naive(
        model=model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
        criterion=nn.CrossEntropyLoss(),
        train_mb_size=32,
        train_epochs=1,
        eval_mb_size=500,
        evaluator=evaluator,
    )
    T = len(benchmark.train_stream)
    strategy.eval(benchmark.test_stream)
    rows = []
    for experience in benchmark.train_stream:
        strategy.train(experience)
        metrics = strategy.eval(benchmark.test_stream)
        rows.append(
            [metrics[f"Top1_Acc_Exp/eval_phase/test_stream/Task000/Exp{j:03d}"] for j in range(T)]
        )
    return rows


def main(argv: list[str] | None = None) -> bool:
    """Time both sides, print the medians and ratio; return whether the matrices were identical."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--activation", default="relu")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats: expected at least 1, got {args.repeats}")

    # Every setting the raw side hard-codes, pinned (the defaults may change: train.epochs did).
    pinned = ["model.hidden=[400]", "train.batch_size=32", "train.epochs=1", "optimizer.name=sgd"]
    pinned += ["optimizer.lr=0.05", "train.eval_batch_size=500", "progress=false"]
    cfg = load_config(pinned)
    scenario = split_mnist(n_experiences=5, source="embedded")
    benchmark = to_avalanche(scenario)
    cell = Cell(activation=args.activation, rule="backprop", strategy="naive", seed=0)

    def ours() -> list[list[float]]:
        return run_cell(cfg, cell, scenario)["accuracy_matrix"]

    def raw() -> list[list[float]]:
        return raw_avalanche(benchmark, 0)

    ours(), raw()  # warm-up
    times: dict[str, list[float]] = {"forgetless": [], "avalanche": []}
    same = True
    for _ in range(args.repeats):
        for name, fn in (("forgetless", ours), ("avalanche", raw)):
            start = time.perf_counter()
            R = fn()
            times[name].append(time.perf_counter() - start)
            if name == "forgetless":
                R_ours = R
            else:
                same &= all(
                    abs(a - b) < 1e-9
                    for ra, rb in zip(R_ours, R, strict=True)
                    for a, b in zip(ra, rb, strict=True)
                )
    med = {name: statistics.median(ts) for name, ts in times.items()}
    print(
        f"torch threads {torch.get_num_threads()}, repeats {args.repeats}, activation {args.activation}"
    )
    for name, ts in times.items():
        print(f"{name:>10}: median {med[name]:.2f} s  (all: {', '.join(f'{t:.2f}' for t in ts)})")
    print(f"ratio forgetless / avalanche = {med['forgetless'] / med['avalanche']:.3f}")
    print(f"identical accuracy matrices: {same}")
    return same


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
