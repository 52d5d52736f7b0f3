"""The streaming heads' anchors of issue 23 (not a test): final ACC of streaming LDA and nearest
class mean on class-incremental Split-MNIST (the embedded 5,000-digit sample, the default preset's
data) and full Split-FashionMNIST (the Debian files), one pass, predictions over the classes
seen so far, against the figures the issue measured with an independent NumPy script.

Each experience's training set is read once (``update`` on its features, in batches: the
statistics equal the one-batch formula exactly); after experience i every test set j is scored,
giving R[i, j]; ACC = mean_j R[T-1, j] (``forgetless.metrics.summarize``). Inputs are the
scenarios' own (pixels / 255, standardised with the dataset's mean and std), flattened.

Usage::

    python benchmarks/heads_anchors.py                  # both scenarios, every row
    python benchmarks/heads_anchors.py --scenarios split_mnist --seeds 3

``seconds`` is the wall time of all heads reading one kind of features (they share the pass).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import torch
from torch import nn

from forgetless.heads import NearestClassMean, RandomReLUFeatures, StreamingLDA, extract_features
from forgetless.metrics import summarize
from forgetless.scenarios import Scenario, split_fashion_mnist, split_mnist

TOLERANCE = 0.01
SHRINKAGES = (1e-4, 0.01, 0.1, 0.3)

# (head, features, shrinkage) -> target ACC, per scenario (issue 23's table).
TARGETS = {
    "split_mnist": {
        **{
            ("slda", "pixels", s): t
            for s, t in zip(SHRINKAGES, (0.848, 0.866, 0.877, 0.885), strict=True)
        },
        ("slda", "random_relu_2000", 0.01): 0.931,
        ("ncm", "pixels", None): 0.802,
    },
    "split_fashion_mnist": {
        **{
            ("slda", "pixels", s): t
            for s, t in zip(SHRINKAGES, (0.815, 0.816, 0.814, 0.808), strict=True)
        },
        ("slda", "random_relu_2000", 0.01): 0.861,
        ("ncm", "pixels", None): 0.677,
    },
}

BUILDERS: dict[str, Callable[[], Scenario]] = {
    "split_mnist": lambda: split_mnist(n_experiences=5, source="embedded"),
    "split_fashion_mnist": lambda: split_fashion_mnist(n_experiences=5, source="debian"),
}


def feature_map(name: str, in_features: int, seed: int) -> nn.Module | None:
    """None for raw pixels, else the fixed random ReLU map (drawn with ``seed``) in float64."""
    if name == "pixels":
        return None
    return RandomReLUFeatures(in_features, int(name.rsplit("_", 1)[1]), seed=seed).double()


def accuracy_matrix(
    scenario: Scenario, heads: dict, extractor: nn.Module | None, batch: int
) -> dict[tuple, torch.Tensor]:
    """R (T × T) of every head in ``heads`` (all read the same features)."""
    T = len(scenario)
    tests = [extract_features(extractor, d) for d in scenario.test]
    matrices = {key: torch.zeros(T, T, dtype=torch.float64) for key in heads}
    for i in range(T):
        x, y = extract_features(extractor, scenario.train[i])
        for head in heads.values():
            for start in range(0, x.shape[0], batch):
                head.update(x[start : start + batch], y[start : start + batch])
        for key, head in heads.items():
            for j, (xt, yt) in enumerate(tests):
                matrices[key][i, j] = (head.predict(xt) == yt).double().mean()
    return matrices


def run(name: str, batch: int, seeds: int) -> list[tuple]:
    """One row per target: ``(scenario, head, features, s, ACC, target, seconds)``; a random
    feature map's ACC is the mean over the maps drawn with seeds ``0..seeds-1``."""
    scenario = BUILDERS[name]()
    d = int(torch.tensor(scenario.input_shape).prod())
    rows = []
    by_features: dict[str, list] = {}
    for key in TARGETS[name]:
        by_features.setdefault(key[1], []).append(key)
    for features, keys in by_features.items():
        accs: dict[tuple, list[float]] = {key: [] for key in keys}
        start = time.perf_counter()
        for seed in range(1 if features == "pixels" else seeds):
            extractor = feature_map(features, d, seed)
            width = d if extractor is None else extractor.num_features
            heads = {
                key: StreamingLDA(width, scenario.num_classes, shrinkage=key[2])
                if key[0] == "slda"
                else NearestClassMean(width, scenario.num_classes)
                for key in keys
            }
            for key, R in accuracy_matrix(scenario, heads, extractor, batch).items():
                accs[key].append(summarize(R)["acc"])
        seconds = time.perf_counter() - start
        for key in keys:
            acc = sum(accs[key]) / len(accs[key])
            rows.append((name, *key, acc, TARGETS[name][key], seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", nargs="+", default=list(BUILDERS), choices=list(BUILDERS))
    parser.add_argument("--batch", type=int, default=1000, help="samples per update call")
    parser.add_argument(
        "--seeds", type=int, default=1, help="random feature maps to average (seeds 0..n-1)"
    )
    args = parser.parse_args()
    torch.set_default_dtype(torch.float32)
    print("| scenario | head | features | shrinkage | ACC | target | gap | verdict | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    failed = 0
    for name in args.scenarios:
        for scenario, head, features, s, acc, target, seconds in run(name, args.batch, args.seeds):
            gap = abs(acc - target)
            verdict = "PASS" if gap <= TOLERANCE else "FAIL"
            failed += verdict == "FAIL"
            shrink = "—" if s is None else f"{s:g}"
            print(
                f"| {scenario} | {head} | {features} | {shrink} | {acc:.4f} | {target:.3f} "
                f"| {gap:.4f} | {verdict} | {seconds:.0f} |",
                flush=True,
            )
    print(f"\n{failed} of the rows miss their target by more than {TOLERANCE}")


if __name__ == "__main__":
    main()
