"""Benchmarks of the training rules (not a test): accuracy, time, memory, continual.

Modes (``python benchmarks/rules.py MODE --help``):

``accuracy``  i.i.d. training on full Fashion-MNIST (the Debian files, or ``--source``/``--root``),
    each rule on the same MLP and data, printing test accuracy (FF: goodness and linear-head
    predictions; NoProp: deterministic and stochastic chains), seconds per epoch and peak training
    memory. Peak memory: on CUDA ``torch.cuda.max_memory_allocated`` minus the allocation before
    training; on CPU the growth of the process's peak RSS (``VmHWM``, reset through
    ``/proc/self/clear_refs`` before each rule) over its RSS before training.
``memory``  memory against depth: each (rule, depth) runs in its own subprocess (``memory-one``)
    which builds the network and a random batch, then measures the peak RSS growth over one
    training step (CPU; or ``max_memory_allocated`` growth on CUDA). "Depth" is the number of
    hidden layers (NoProp: the number of blocks T, one hidden layer each). Plain SGD (no momentum)
    so that no optimizer state is allocated during the step; glibc's mmap threshold is fixed
    (``MALLOC_ENV``) so that freed tensors leave the RSS.
``continual``  class-incremental Split-FashionMNIST (5 experiences, one 10-way head): the
    accuracy matrix R and ACC, BWT and forgetting (``forgetless.metrics.summarize``) per rule.

``--rules`` also accepts ``noprop_fm`` (NoProp flow matching; ``--T`` is its number of Euler
steps) and ``noprop_ct`` (NoProp continuous time; ``--T`` is its number of inference steps) in the accuracy and continual modes.

Examples (short versions)::

    python benchmarks/rules.py accuracy --epochs 1 --train-limit 10000
    python benchmarks/rules.py memory --depths 5 10 20 --batch 16384 --width 2000
    python benchmarks/rules.py continual --epochs 1
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import torch

from forgetless.optim import build_optimizer
from forgetless.rules import build_rule
from forgetless.rules.base import Rule

ALL_RULES = (
    "backprop",
    "forward_forward",
    "collaborative_ff",
    "mono_forward",
    "noprop",
    "noprop_fm",
    "noprop_ct",
)
NUM_CLASSES = 10
IN_FEATURES = 784
# Memory mode: glibc serves blocks under its (adaptive, up to 32 MiB) mmap threshold from the heap
# and may keep them after they are freed, so peak RSS would count dead memory. A fixed 128 KiB
# threshold maps every tensor-sized block and unmaps it when freed: RSS then follows live memory.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072"}


# ----------------------------------------------------------------------------- memory probes
def _proc_status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


class PeakMemory:
    """Peak memory growth (MiB) of the code run inside ``with``: CUDA allocator or CPU RSS."""

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.growth_mib = float("nan")

    def __enter__(self) -> PeakMemory:
        gc.collect()
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self.start = torch.cuda.memory_allocated(self.device)
        else:
            Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
            self.start = _proc_status_kib("VmRSS") * 1024
        return self

    def __exit__(self, *exc: object) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            peak = torch.cuda.max_memory_allocated(self.device)
        else:
            peak = _proc_status_kib("VmHWM") * 1024
        self.growth_mib = (peak - self.start) / 2**20


# ----------------------------------------------------------------------------- data
def load_fashion_mnist(source: str, root: str | None, device: torch.device):
    """Normalised flat Fashion-MNIST tensors ``(x_train, y_train, x_test, y_test)``."""
    from forgetless.scenarios.sources import load_dataset

    loaded = load_dataset("fashion_mnist", source=source, root=root)
    data = loaded.data

    def prep(images: torch.Tensor) -> torch.Tensor:
        x = images.reshape(images.shape[0], -1).float() / 255.0
        return ((x - loaded.mean) / loaded.std).to(device)

    return (
        prep(data.train_images),
        data.train_labels.to(device),
        prep(data.test_images),
        data.test_labels.to(device),
    )


def rule_params(name: str, args: argparse.Namespace) -> dict:
    """Per-rule constructor parameters from the command line."""
    if name in ("noprop", "noprop_fm", "noprop_ct"):
        params = {"backbone": args.noprop_backbone}
        params.update({"T": args.T, "eta": args.eta} if name == "noprop" else {"steps": args.T})
        if name == "noprop_ct":
            params["weighting"] = args.ct_weighting
        if args.noprop_backbone == "cnn":
            params["image_shape"] = (1, 28, 28)
            if name == "noprop":
                params["cnn_channels"] = args.cnn_channels
        return params
    if name == "backprop" and args.backprop_backbone == "cnn":
        return {"backbone": "cnn", "image_shape": (1, 28, 28), "cnn_channels": args.cnn_channels}
    if name in ("forward_forward", "collaborative_ff"):
        params: dict = {"negatives": args.ff_negatives}
        if name == "collaborative_ff":
            params["collaboration"] = args.collaboration
        if args.ff_recipe == "loewex":
            return {**params, "recipe": "loewex"}
        return {**params, "reduction": args.ff_reduction, "label_value": args.ff_label_value}
    return {}


def rule_hidden(name: str, args: argparse.Namespace) -> tuple[int, ...]:
    """NoProp, and backprop on the CNN backbone (the same encoder), use ``--noprop-hidden``."""
    cnn_backprop = name == "backprop" and args.backprop_backbone == "cnn"
    if name.startswith("noprop") or cnn_backprop:
        return tuple(args.noprop_hidden)
    return tuple(args.hidden)


@torch.no_grad()
def accuracy(rule: Rule, x: torch.Tensor, y: torch.Tensor, batch: int = 1000, **kw) -> float:
    """Test accuracy of ``rule`` (``kw`` passed to ``rule.logits``)."""
    rule.eval()
    correct = 0
    for i in range(0, len(y), batch):
        correct += int((rule.logits(x[i : i + batch], **kw).argmax(1) == y[i : i + batch]).sum())
    rule.train()
    return correct / len(y)


def evaluations(rule: Rule, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    """Every prediction mode the rule offers."""
    if hasattr(rule, "goodness_logits"):
        mode, out = rule.predict_mode, {}
        for m in ("goodness", "linear"):
            rule.predict_mode = m
            out[f"acc_{m}"] = accuracy(rule, x, y)
        rule.predict_mode = mode
        return out
    if hasattr(rule, "run_chain") or hasattr(rule, "run_flow"):
        return {
            f"acc_{m}": accuracy(rule, x, y, inference=m) for m in ("deterministic", "stochastic")
        }
    return {"acc": accuracy(rule, x, y)}


def rule_optimizer(rule: Rule, name: str, args: argparse.Namespace) -> torch.optim.Optimizer:
    """The run's optimizer for ``name``: the Forward-Forward rules take the ``--ff-*`` options
    (falling back to the general ones), every other rule ``--optimizer``/``--lr``."""
    if name in ("forward_forward", "collaborative_ff"):
        decay = args.weight_decay if args.ff_weight_decay is None else args.ff_weight_decay
        kind = args.ff_optimizer or args.optimizer
        return build_optimizer(rule, kind, lr=args.ff_lr, weight_decay=decay)
    return build_optimizer(rule, args.optimizer, lr=args.lr, weight_decay=args.weight_decay)


def lr_schedule(optimizer: torch.optim.Optimizer, kind: str, total_steps: int):
    """``constant``, or ``cosine``: every group's lr follows a half cosine from its value to 0
    over ``total_steps`` batches (stepped once per batch, after the rule's step)."""
    if kind == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, total_steps))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda _: 1.0)


# ----------------------------------------------------------------------------- modes
def run_accuracy(args: argparse.Namespace) -> None:
    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    x_tr, y_tr, x_te, y_te = load_fashion_mnist(args.source, args.root, device)
    if args.train_limit:
        x_tr, y_tr = x_tr[: args.train_limit], y_tr[: args.train_limit]
    print(f"# accuracy: train {len(y_tr)}, test {len(y_te)}, device {device}, args {vars(args)}")
    rows = []
    for name in args.rules:
        torch.manual_seed(args.seed)
        rule = build_rule(
            name,
            in_features=IN_FEATURES,
            num_classes=NUM_CLASSES,
            hidden=rule_hidden(name, args),
            activation=args.activation,
            **rule_params(name, args),
        ).to(device)
        optimizer = rule_optimizer(rule, name, args)
        epoch_times = []
        steps_per_epoch = -(-len(y_tr) // args.batch_size)
        schedule = lr_schedule(optimizer, args.lr_schedule, args.epochs * steps_per_epoch)
        with PeakMemory(device) as memory:
            for epoch in range(args.epochs):
                order = torch.randperm(len(y_tr), device=device)
                start = time.perf_counter()
                for i in range(0, len(y_tr), args.batch_size):
                    idx = order[i : i + args.batch_size]
                    rule.train_step(x_tr[idx], y_tr[idx], optimizer)
                    schedule.step()
                if device.type == "cuda":
                    torch.cuda.synchronize(device)
                epoch_times.append(time.perf_counter() - start)
                if args.verbose:
                    print(
                        f"  {name} epoch {epoch + 1}: {evaluations(rule, x_te, y_te)}", flush=True
                    )
        row = {
            "rule": name,
            **evaluations(rule, x_te, y_te),
            "s_per_epoch": sum(epoch_times) / len(epoch_times),
            "peak_train_mib": memory.growth_mib,
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    print_table(rows)


def run_memory_one(args: argparse.Namespace) -> None:
    device = torch.device(args.device)
    torch.manual_seed(0)
    hidden = (args.width,) * (1 if args.rule == "noprop" else args.depth)
    params = {"T": args.depth} if args.rule == "noprop" else {}
    rule = build_rule(
        args.rule, in_features=IN_FEATURES, num_classes=NUM_CLASSES, hidden=hidden, **params
    ).to(device)
    optimizer = build_optimizer(rule, "sgd", lr=1e-3, momentum=0.0)
    x = torch.randn(args.batch, IN_FEATURES, device=device)
    y = torch.randint(0, NUM_CLASSES, (args.batch,), device=device)
    with PeakMemory(device) as memory:
        rule.train_step(x, y, optimizer)
    print(json.dumps({"rule": args.rule, "depth": args.depth, "growth_mib": memory.growth_mib}))


def run_memory(args: argparse.Namespace) -> None:
    rows = []
    for depth in args.depths:
        for name in args.rules:
            cmd = [sys.executable, __file__, "memory-one", "--rule", name, "--depth", str(depth)]
            cmd += ["--width", str(args.width), "--batch", str(args.batch), "--device", args.device]
            env = {**os.environ, **MALLOC_ENV}
            out = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
            if out.returncode != 0:
                print(f"{name} depth {depth} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    base = {r["depth"]: r["growth_mib"] for r in rows if r["rule"] == "backprop"}
    for r in rows:
        r["vs_backprop"] = r["growth_mib"] / base[r["depth"]] if r["depth"] in base else None
    print_table(rows)


def run_continual(args: argparse.Namespace) -> None:
    from forgetless.metrics import summarize
    from forgetless.scenarios.split import split_fashion_mnist

    device = torch.device(args.device)
    scenario = split_fashion_mnist(n_experiences=5, source=args.source, root=args.root)

    def tensors(dataset):
        loader = torch.utils.data.DataLoader(dataset, batch_size=len(dataset))
        batch = next(iter(loader))
        return batch[0].reshape(len(dataset), -1).to(device), batch[1].to(device)

    train = [tensors(d) for d in scenario.train]
    test = [tensors(d) for d in scenario.test]
    rows = []
    for name in args.rules:
        torch.manual_seed(args.seed)
        rule = build_rule(
            name,
            in_features=IN_FEATURES,
            num_classes=NUM_CLASSES,
            hidden=rule_hidden(name, args),
            **rule_params(name, args),
        ).to(device)
        optimizer = rule_optimizer(rule, name, args)
        R = torch.zeros(len(train), len(test))
        for i, (x, y) in enumerate(train):
            for _ in range(args.epochs):
                order = torch.randperm(len(y), device=device)
                for k in range(0, len(y), args.batch_size):
                    idx = order[k : k + args.batch_size]
                    rule.train_step(x[idx], y[idx], optimizer)
            for j, (xt, yt) in enumerate(test):
                R[i, j] = accuracy(rule, xt, yt)
        summary = summarize(R)
        print(f"{name}: R =\n{R.numpy().round(3)}")
        rows.append({"rule": name, **{k: summary[k] for k in ("acc", "bwt", "forgetting")}})
        print(json.dumps(rows[-1]), flush=True)
    print_table(rows)


def print_table(rows: list[dict]) -> None:
    keys = list(dict.fromkeys(k for r in rows for k in r))
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        cells = [f"{r.get(k):.4g}" if isinstance(r.get(k), float) else str(r.get(k)) for k in keys]
        print("| " + " | ".join(cells) + " |")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    default_device = "cuda" if torch.cuda.is_available() else "cpu"
    for mode in ("accuracy", "continual"):
        p = sub.add_parser(mode)
        p.add_argument("--rules", nargs="+", default=list(ALL_RULES[:5]), choices=ALL_RULES)
        p.add_argument("--epochs", type=int, default=10)
        p.add_argument("--batch-size", type=int, default=100)
        p.add_argument("--hidden", type=int, nargs="+", default=[1000, 1000, 1000])
        p.add_argument("--noprop-hidden", type=int, nargs="+", default=[256])
        p.add_argument("--noprop-backbone", choices=("mlp", "cnn"), default="mlp")
        p.add_argument(
            "--backprop-backbone",
            choices=("mlp", "cnn"),
            default="mlp",
            help="cnn: backprop trains NoProp's per-block ConvEncoder (+ a linear head) end to end",
        )
        p.add_argument(
            "--cnn-channels", type=int, nargs=2, default=[32, 64], help="the two conv stages"
        )
        p.add_argument("--ct-weighting", choices=("elbo", "uniform"), default="elbo")
        p.add_argument("--T", type=int, default=10)
        p.add_argument("--eta", type=float, default=0.1)
        p.add_argument("--activation", default="relu")
        p.add_argument("--optimizer", choices=("sgd", "adam", "adamw"), default="adam")
        p.add_argument("--lr", type=float, default=1e-3)
        p.add_argument("--ff-lr", type=float, default=1e-3)
        p.add_argument("--ff-reduction", choices=("sum", "mean"), default="mean")
        p.add_argument("--ff-label-value", type=float, default=5.0)
        p.add_argument(
            "--ff-recipe",
            choices=("none", "loewex"),
            default="none",
            help="loewex: the FF rule's recipe='loewex' (input norm, straight-through, peer "
            "normalisation, sum goodness, θ = width; --ff-reduction/--ff-label-value ignored)",
        )
        p.add_argument(
            "--collaboration", type=float, default=1.0, help="collaborative FF's weight w"
        )
        p.add_argument("--ff-negatives", choices=("random", "hard"), default="random")
        p.add_argument("--ff-optimizer", choices=("sgd", "adam", "adamw"), default=None)
        p.add_argument("--ff-weight-decay", type=float, default=None)
        p.add_argument("--weight-decay", type=float, default=0.0)
        p.add_argument(
            "--lr-schedule",
            choices=("constant", "cosine"),
            default="constant",
            help="accuracy mode: learning rate over the run (cosine: to 0 at the last batch)",
        )
        p.add_argument("--train-limit", type=int, default=0, help="use the first N train images")
        p.add_argument("--source", default="auto")
        p.add_argument("--root", default=None)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--device", default=default_device)
        p.add_argument("--verbose", action="store_true")
    p = sub.add_parser("memory")
    p.add_argument("--rules", nargs="+", default=["backprop", "mono_forward", "noprop"])
    p.add_argument("--depths", type=int, nargs="+", default=[5, 10, 20])
    p.add_argument("--width", type=int, default=2000)
    p.add_argument("--batch", type=int, default=16384)
    p.add_argument("--device", default=default_device)
    p = sub.add_parser("memory-one")
    p.add_argument("--rule", required=True, choices=ALL_RULES[:5])
    p.add_argument("--depth", type=int, required=True)
    p.add_argument("--width", type=int, default=2000)
    p.add_argument("--batch", type=int, default=16384)
    p.add_argument("--device", default=default_device)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(
        max(1, int(os.environ.get("FORGETLESS_THREADS", torch.get_num_threads())))
    )
    {
        "accuracy": run_accuracy,
        "memory": run_memory,
        "memory-one": run_memory_one,
        "continual": run_continual,
    }[args.mode](args)


if __name__ == "__main__":
    main()
