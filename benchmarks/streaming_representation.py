"""Issue 24's search (not a test): which fixed representation gives a streaming LDA head the most
on class-incremental Split-FashionMNIST / embedded Split-MNIST, one pass, no replay, one head.

For one configuration (features × shrinkages × seeds) it builds the feature map, streams the
experiences once into ``StreamingLDA`` and prints the ACC on the chosen evaluation stream:
``validation`` (10 % of each experience's training data held out, ``hold_out`` seeded by the
seed; the only stream the search ranks on) or ``test`` (the head reads the whole training set).
ACC = mean over experiences of the final head's accuracy (predictions over the classes seen so
far; at the end all ten), i.e. the last row of R.

Two ways to fill the head, same statistics:

- default (fast, for the search): per class, the features' mean and the scatter of the centred
  features in one float32 product, summed in float64 and loaded into ``StreamingLDA`` with
  ``load_state_dict``; several shrinkages read one set of statistics. Classes are disjoint
  across experiences, so this is the head's state after the stream up to float32 rounding.
- ``--exact --batch B``: ``StreamingLDA.update`` on batches of ``B`` samples (``B = 10``: the
  streaming setting; the head's merge is exact for any split, docs/heads.md), with the full
  accuracy matrix R (``--matrix``) scored after each experience.

Usage (one thread, nice: the machine is shared)::

    python benchmarks/streaming_representation.py --features random --width 2000 --activation relu
    python benchmarks/streaming_representation.py --features conv --filters 64 --kernel 5 --pool 4
    python benchmarks/streaming_representation.py --features conv --eval test --exact --matrix
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

from forgetless.activations import get_activation
from forgetless.heads import RandomReLUFeatures, StreamingLDA
from forgetless.heads.conv_features import RandomConvFeatures
from forgetless.metrics import summarize
from forgetless.scenarios import Scenario, split_fashion_mnist, split_mnist
from forgetless.scenarios.validation import evaluate_on, hold_out

VALIDATION_FRACTION = 0.1
CHUNK = 2000
SOURCES = {"split_fashion_mnist": "debian", "split_mnist": "embedded"}


def scenario_for(name: str, seed: int, stream: str, standardise: bool) -> Scenario:
    """The 5-experience split scenario, evaluated on ``stream`` (validation held out by seed)."""
    build = split_fashion_mnist if name == "split_fashion_mnist" else split_mnist
    scenario = build(n_experiences=5, source=SOURCES[name], seed=seed, normalize=standardise)
    if stream == "validation":
        scenario = evaluate_on(hold_out(scenario, VALIDATION_FRACTION, seed), "validation")
    return scenario


def activation(args: argparse.Namespace) -> nn.Module:
    params = {}
    for item in args.act_param:
        key, value = item.split("=", 1)
        params[key] = float(value)
    return get_activation(args.activation, **params)


class RandomProjection(nn.Module):
    """``σ(x W + b)`` on RandomReLUFeatures' draw of ``W``, ``b`` (``b`` scaled by ``bias_scale``):
    every activation reads the same random projection."""

    def __init__(self, d: int, width: int, seed: int, act: nn.Module, bias_scale: float) -> None:
        super().__init__()
        relu = RandomReLUFeatures(d, width, seed=seed)
        self.register_buffer("weight", relu.weight)
        self.register_buffer("bias", relu.bias * bias_scale)
        self.act = act

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(x.reshape(x.shape[0], -1) @ self.weight + self.bias)


def feature_map(args: argparse.Namespace, d: int, seed: int) -> nn.Module | None:
    if args.features == "pixels":
        return None
    if args.features == "random":
        return RandomProjection(d, args.width, seed, activation(args), args.bias_scale)
    conv = RandomConvFeatures(
        1, args.filters, args.kernel, args.pool, args.pool_mode, seed, activation(args)
    )
    if args.bias_scale != 1.0:
        conv.bias.mul_(args.bias_scale)
    return conv


@torch.no_grad()
def features_of(extractor: nn.Module | None, x: torch.Tensor) -> torch.Tensor:
    if extractor is None:
        return x.reshape(x.shape[0], -1)
    return torch.cat([extractor(x[i : i + CHUNK]) for i in range(0, x.shape[0], CHUNK)])


def fast_state(extractor: nn.Module | None, scenario: Scenario) -> dict[str, torch.Tensor]:
    """StreamingLDA's buffers after the stream: per-class means and the summed class scatters."""
    means, counts, scatter = {}, {}, None
    for experience in scenario.train:
        x, y = experience.inputs(), experience.targets
        f = features_of(extractor, x)
        for c in torch.unique(y).tolist():
            fc = f[y == c]
            mean = fc.double().mean(0)
            centred = fc - mean.float()
            s = (centred.T @ centred).double()
            scatter = s if scatter is None else scatter + s
            means[c], counts[c] = mean, fc.shape[0]
    k = scenario.num_classes
    state_means = torch.zeros(k, f.shape[1], dtype=torch.float64)
    state_counts = torch.zeros(k, dtype=torch.int64)
    for c in means:
        state_means[c], state_counts[c] = means[c], counts[c]
    return {"means": state_means, "counts": state_counts, "scatter": scatter}


def final_accuracy(head: StreamingLDA, tests: list[tuple[torch.Tensor, torch.Tensor]]) -> float:
    return sum(float((head.predict(f) == y).double().mean()) for f, y in tests) / len(tests)


def exact_run(
    extractor: nn.Module | None,
    scenario: Scenario,
    tests: list,
    shrinkages: list[float],
    batch: int,
    matrix: bool,
) -> list[dict]:
    """StreamingLDA.update over the stream in batches; R per shrinkage (last row only unless
    ``matrix``)."""
    width = tests[0][0].shape[1]
    head = StreamingLDA(width, scenario.num_classes, shrinkage=shrinkages[0])
    T = len(scenario)
    Rs = [torch.zeros(T, T, dtype=torch.float64) for _ in shrinkages]
    for i, experience in enumerate(scenario.train):
        f = features_of(extractor, experience.inputs())
        y = experience.targets
        for start in range(0, f.shape[0], batch):
            head.update(f[start : start + batch], y[start : start + batch])
        if matrix or i == T - 1:
            for s, R in zip(shrinkages, Rs, strict=True):
                scored = StreamingLDA(width, scenario.num_classes, shrinkage=s)
                scored.load_state_dict(head.state_dict())
                for j, (ft, yt) in enumerate(tests):
                    R[i, j] = (scored.predict(ft) == yt).double().mean()
    return [summarize(R) if matrix else {"acc": float(R[T - 1].mean())} for R in Rs]


def run(args: argparse.Namespace, seed: int) -> list[dict]:
    scenario = scenario_for(args.scenario, seed, args.eval, not args.raw_pixels)
    d = int(torch.tensor(scenario.input_shape).prod())
    extractor = feature_map(args, d, seed)
    tests = [(features_of(extractor, e.inputs()), e.targets) for e in scenario.test]
    if args.exact:
        return exact_run(extractor, scenario, tests, args.shrinkage, args.batch, args.matrix)
    state = fast_state(extractor, scenario)
    results = []
    for s in args.shrinkage:
        head = StreamingLDA(state["means"].shape[1], scenario.num_classes, shrinkage=s)
        head.load_state_dict(state)
        results.append({"acc": final_accuracy(head, tests)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="split_fashion_mnist", choices=list(SOURCES))
    parser.add_argument("--eval", default="validation", choices=["validation", "test"])
    parser.add_argument("--features", default="random", choices=["pixels", "random", "conv"])
    parser.add_argument("--width", type=int, default=2000, help="random projection width")
    parser.add_argument("--activation", default="relu", help="registry name (feature map)")
    parser.add_argument("--act-param", nargs="*", default=[], help="k=v activation parameters")
    parser.add_argument("--bias-scale", type=float, default=1.0, help="times b ~ N(0, 0.25)")
    parser.add_argument("--raw-pixels", action="store_true", help="pixels/255, not standardised")
    parser.add_argument("--filters", type=int, default=64)
    parser.add_argument("--kernel", type=int, default=5)
    parser.add_argument("--pool", type=int, default=4)
    parser.add_argument("--pool-mode", default="max", choices=["max", "avg"])
    parser.add_argument("--shrinkage", type=float, nargs="+", default=[1e-4, 1e-3, 1e-2, 1e-1])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--exact", action="store_true", help="StreamingLDA.update in batches")
    parser.add_argument("--batch", type=int, default=1000, help="samples per update (--exact)")
    parser.add_argument("--matrix", action="store_true", help="full R after each experience")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    per_seed = [run(args, seed) for seed in args.seeds]
    seconds = time.perf_counter() - start
    config = " ".join(
        f"{k}={v}" for k, v in vars(args).items() if k not in ("seeds", "shrinkage", "threads")
    )
    print(f"# {config} seeds={args.seeds} ({seconds:.0f} s)")
    for index, s in enumerate(args.shrinkage):
        accs = torch.tensor([r[index]["acc"] for r in per_seed], dtype=torch.float64)
        std = float(accs.std()) if len(accs) > 1 else 0.0
        line = f"{args.eval} s={s:g} ACC {float(accs.mean()):.4f} ± {std:.4f} {[round(a, 4) for a in accs.tolist()]}"
        if args.matrix:
            for key in ("la", "forgetting"):
                vals = torch.tensor([results[index][key] for results in per_seed])
                line += f" {key} {float(vals.mean()):.4f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
