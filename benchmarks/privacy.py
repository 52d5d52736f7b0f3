"""DP-SGD benchmark (not a test): tempered sigmoid against ReLU under the same privacy budget.

Paper: "Tempered Sigmoid Activations for Deep Learning with Differential Privacy" (Papernot et
al., AAAI 2021): on Fashion-MNIST at ε < 3, δ = 1e-5, tanh reaches 86.1 % and ReLU 81.9 % with
their small CNN (:class:`forgetless.privacy.PapernotCNN`).

Modes (``python benchmarks/privacy.py MODE --help``):

``offline``  full Fashion-MNIST (60,000 / 10,000; the Debian files, or ``--source``/``--root``),
    the paper's CNN with each activation (default ``tempered_sigmoid`` = tanh (2, 2, 1) and
    ``relu``), DP-SGD through Opacus with the *same* noise multiplier, sample rate and number of
    steps, so the same ε. Prints test accuracy, ε spent (Opacus's accountant) and seconds.
``continual``  Split-FashionMNIST class-incremental (5 experiences of 2 classes, one 10-way head)
    through the Avalanche door (:func:`forgetless.avalanche.private_strategy.make_private_strategy`)
    with a fixed total ε for the whole stream; per activation: ε spent, ACC, forgetting
    (Chaudhry, max-based) and BWT.

Full recipe (the target: tanh ≥ 86 % at ε ≤ 3), the hyperparameters of the tanh-CNN baseline in
Tramèr & Boneh, "Differentially Private Learning Needs Better Features (or Much More Data)":
batch 2048, SGD lr 4 with momentum 0.9, clipping norm 0.1, 40 epochs, pixels in [0, 1]
(these are the defaults; about 10 minutes per activation on 2 CPU cores)::

    python benchmarks/privacy.py offline --epochs 40 --batch-size 2048 --epsilon 3 --threads 2
    python benchmarks/privacy.py continual --epochs 5 --batch-size 512 --epsilon 3 --threads 2

Short versions (a few minutes on 2 CPU cores)::

    python benchmarks/privacy.py offline --epochs 2 --batch-size 512 --epsilon 3
    python benchmarks/privacy.py continual --epochs 1 --batch-size 256 --epsilon 3 \\
        --activations relu tempered_sigmoid
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from forgetless.activations import swap_activations
from forgetless.metrics import summarize
from forgetless.privacy import (
    PapernotCNN,
    PrivacyLedger,
    PrivacySettings,
    attach_per_sample_gradients,
    calibrate_noise_multiplier,
    dp_optimizer,
    plan_stream,
    poisson_loader,
)
from forgetless.scenarios import load_dataset, split_fashion_mnist


def build_model(activation: str) -> nn.Module:
    model = PapernotCNN()
    if activation != "relu":
        swap_activations(model, activation)
    return model


def tensors(
    images: torch.Tensor, labels: torch.Tensor, mean: float, std: float, inputs: str
) -> TensorDataset:
    """Pixels in [0, 1] (``inputs="unit"``, as the paper's code feeds them) or standardised."""
    x = images.float() / 255.0
    if inputs == "standardized":
        x = (x - mean) / std
    return TensorDataset(x.unsqueeze(1), labels)


@torch.no_grad()
def accuracy(model: nn.Module, data: TensorDataset) -> float:
    model.eval()
    correct = 0
    for x, y in DataLoader(data, batch_size=2000):
        correct += int((model(x).argmax(1) == y).sum())
    model.train()
    return correct / len(data)


def train_offline(
    activation: str,
    train: TensorDataset,
    test: TensorDataset,
    sigma: float,
    args: argparse.Namespace,
    settings: PrivacySettings,
) -> dict[str, Any]:
    torch.manual_seed(args.seed)
    model = build_model(activation)
    hooks = attach_per_sample_gradients(model)
    optimizer = dp_optimizer(
        torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum),
        noise_multiplier=sigma,
        max_grad_norm=args.max_grad_norm,
        expected_batch_size=args.batch_size,
    )
    loader = poisson_loader(train, args.batch_size, torch.Generator().manual_seed(args.seed))
    ledger = PrivacyLedger(settings, sigma)
    optimizer.attach_step_hook(ledger.hook(loader.sample_rate))
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    per_epoch = []
    for epoch in range(args.epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        per_epoch.append(round(accuracy(model, test), 4))
        print(f"  {activation} epoch {epoch + 1}: test accuracy {per_epoch[-1]:.4f}", flush=True)
    seconds = time.perf_counter() - start
    hooks.cleanup()
    return {
        "activation": activation,
        "test_accuracy": per_epoch[-1],
        "accuracy_per_epoch": per_epoch,
        "epsilon": ledger.epsilon(),
        "steps": ledger.steps,
        "seconds": round(seconds, 1),
    }


def run_offline(args: argparse.Namespace) -> list[dict[str, Any]]:
    loaded = load_dataset("fashion_mnist", source=args.source, root=args.root)
    d = loaded.data
    train = tensors(d.train_images, d.train_labels, loaded.mean, loaded.std, args.inputs)
    test = tensors(d.test_images, d.test_labels, loaded.mean, loaded.std, args.inputs)
    settings = _settings(args).validate(len(train))
    phases = plan_stream([len(train)], args.batch_size, args.epochs)
    sigma = calibrate_noise_multiplier(settings, phases)
    print(f"N={len(train)} q={phases[0].sample_rate:.5f} steps={phases[0].steps} sigma={sigma:.4f}")
    rows = []
    for activation in args.activations:
        row = train_offline(activation, train, test, sigma, args, settings)
        print(json.dumps(row))
        rows.append(row)
    print(f"\n| activation | test acc | ε (δ={settings.delta:g}) | steps | σ | seconds |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['activation']} | {r['test_accuracy']:.4f} | {r['epsilon']:.3f} | "
            f"{r['steps']} | {sigma:.3f} | {r['seconds']} |"
        )
    return rows


def run_continual(args: argparse.Namespace) -> list[dict[str, Any]]:
    from forgetless.avalanche import AccuracyMatrixPlugin, ActivationPlugin, to_avalanche
    from forgetless.avalanche.private_strategy import make_private_strategy

    scenario = split_fashion_mnist(source=args.source, root=args.root, seed=args.seed)
    sizes = [len(exp) for exp in scenario.train]
    settings = _settings(args)
    rows = []
    for activation in args.activations:
        torch.manual_seed(args.seed)
        model = PapernotCNN()
        recorder = AccuracyMatrixPlugin(len(scenario))
        plugins: list[Any] = [] if activation == "relu" else [ActivationPlugin(activation)]
        strategy, privacy = make_private_strategy(
            "naive",
            model,
            torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum),
            privacy=settings,
            experience_sizes=sizes,
            train_mb_size=args.batch_size,
            train_epochs=args.epochs,
            eval_mb_size=2000,
            plugins=[*plugins, recorder],
            seed=args.seed,
        )
        benchmark = to_avalanche(scenario)
        start = time.perf_counter()
        strategy.eval(benchmark.test_stream)
        for experience in benchmark.train_stream:
            strategy.train(experience)
            strategy.eval(benchmark.test_stream)
        R, baseline = recorder.matrix.matrix_and_baseline()
        summary = summarize(R, baseline)
        row = {
            "activation": activation,
            "epsilon": privacy.ledger.epsilon(),
            "noise_multiplier": privacy.noise_multiplier,
            "steps": privacy.ledger.steps,
            "acc": summary["acc"],
            "forgetting": summary["forgetting"],
            "bwt": summary["bwt"],
            "accuracy_matrix": [[round(v, 4) for v in r] for r in R.tolist()],
            "seconds": round(time.perf_counter() - start, 1),
        }
        print(json.dumps(row))
        rows.append(row)
    print(
        f"\n| activation | ACC | forgetting | BWT | ε over the stream (δ={settings.delta:g}) "
        "| steps | σ | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['activation']} | {r['acc']:.4f} | {r['forgetting']:.4f} | {r['bwt']:.4f} | "
            f"{r['epsilon']:.3f} | {r['steps']} | {r['noise_multiplier']:.3f} | {r['seconds']} |"
        )
    return rows


def _settings(args: argparse.Namespace) -> PrivacySettings:
    return PrivacySettings(
        target_epsilon=args.epsilon,
        noise_multiplier=args.noise_multiplier,
        delta=args.delta,
        max_grad_norm=args.max_grad_norm,
        accountant=args.accountant,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["offline", "continual"])
    parser.add_argument("--activations", nargs="+", default=["tempered_sigmoid", "relu"])
    parser.add_argument("--epochs", type=int, default=40, help="epochs (per experience)")
    parser.add_argument("--batch-size", type=int, default=2048, help="expected Poisson batch")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--epsilon", type=float, default=None, help="total ε target (default 3)")
    budget.add_argument("--noise-multiplier", type=float, default=None)
    parser.add_argument("--delta", type=float, default=1e-5)
    parser.add_argument("--max-grad-norm", type=float, default=0.1)
    parser.add_argument("--accountant", default="rdp")
    parser.add_argument("--lr", type=float, default=4.0)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--inputs",
        choices=["unit", "standardized"],
        default="unit",
        help="offline mode: pixels in [0, 1] (the paper's code) or standardised by mean/std",
    )
    parser.add_argument("--source", default="auto")
    parser.add_argument("--root", default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    if args.epsilon is None and args.noise_multiplier is None:
        args.epsilon = 3.0
    if args.threads:
        torch.set_num_threads(args.threads)
    print(json.dumps(vars(args)))
    (run_offline if args.mode == "offline" else run_continual)(args)


if __name__ == "__main__":
    main()
