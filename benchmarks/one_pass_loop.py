"""The one-pass class-incremental recipe as a plain PyTorch loop, for fast exploration (issue 18).

The same training as ``forgetless compare preset=hard_ash_recipe`` (MLP without biases, hidden
rows centred and L2-normalised, Adagrad kept across experiences, update clipped element-wise,
one pass per experience, single 10-way head, no replay) without Avalanche's per-iteration
machinery, so a point of a search costs seconds. It is an exploration tool: the seeded data
order and the validation split differ from the product's, so its numbers are close to, not
equal to, ``forgetless compare``'s; a configuration it suggests is selected and reported with
``forgetless sweep`` (docs/findings.md).

    .venv/bin/python benchmarks/one_pass_loop.py val=0.1 act=ash p_z_k=2.0 hidden=2000 lr=1.25e-4

Keys (``key=value``): ``data`` fashion|mnist; ``val`` fraction of each experience's training
data held out and evaluated instead of the test set (select on it, not on the test set); ``seed``;
``act`` registry name (relu = no swap) with ``p_<param>=value`` activation parameters (default:
the recipe's Hard ASH α 3, z_k 2.3, no input norm, when ``act=hard_ash`` and no ``p_`` is
given); ``hidden`` comma-separated widths; ``bias`` 0|1; ``norm`` 0|1 (centred unit-norm rows);
``opt`` adagrad|sgd|adam; ``lr``; ``lr_head`` (the output layer's learning rate, default lr);
``acc0`` Adagrad's initial accumulator; ``clip`` update clip (0 = none); ``bs`` batch size
(bs=10 is the streaming setting: no experience-boundary signal is used by this loop anyway);
``headnorm`` s > 0: output rows L2-normalised and scaled by s (a cosine classifier);
``epochs``; ``threads``; ``showR`` 1 prints the accuracy matrix. Prints one JSON line: ACC (mean
of the last row), LA (mean diagonal), forgetting, seconds.
"""

from __future__ import annotations

import json
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

from forgetless.activations import swap_activations
from forgetless.models import build_model
from forgetless.scenarios import split_fashion_mnist, split_mnist

RECIPE_HARD_ASH = {"alpha": 3.0, "z_k": 2.3, "input_norm": False}


def as_tensors(dataset) -> tuple[torch.Tensor, torch.Tensor]:
    rows = torch.arange(len(dataset))
    return dataset.inputs(rows).flatten(1), dataset.targets


def activation_params(kv: dict[str, str]) -> dict[str, object]:
    given = {
        key[2:]: value.lower() == "true" if value.lower() in ("true", "false") else float(value)
        for key, value in kv.items()
        if key.startswith("p_")
    }
    if kv.get("act", "hard_ash") == "hard_ash":
        return {**RECIPE_HARD_ASH, **given}
    return given


def cosine_head(head: nn.Linear, scale: float) -> None:
    def forward(x: torch.Tensor) -> torch.Tensor:
        weight = head.weight / head.weight.norm(dim=1, keepdim=True).clamp_min(1e-12)
        return scale * F.linear(x, weight, head.bias)

    head.forward = forward


def make_optimizer(kv: dict[str, str], body: list, head: list) -> torch.optim.Optimizer:
    name, lr = kv.get("opt", "adagrad"), float(kv.get("lr", 2e-4))
    groups = [{"params": body}, {"params": head, "lr": float(kv.get("lr_head", lr))}]
    if name == "adagrad":
        return torch.optim.Adagrad(
            groups, lr=lr, initial_accumulator_value=float(kv.get("acc0", 1e-6))
        )
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr)
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr)
    raise SystemExit(f"opt: expected adagrad, sgd or adam, got {name!r}")


def main(kv: dict[str, str]) -> dict[str, object]:
    torch.set_num_threads(int(kv.get("threads", 1)))
    seed, val = int(kv.get("seed", 0)), float(kv.get("val", 0.0))
    build = split_fashion_mnist if kv.get("data", "fashion") == "fashion" else split_mnist
    scenario = build(seed=seed, source="auto")
    train = [as_tensors(d) for d in scenario.train]
    evaluated = [as_tensors(d) for d in scenario.test]
    order = torch.Generator().manual_seed(1000 + seed)
    if val > 0:  # the evaluated stream becomes a held-out part of each experience's training data
        parts = []
        for x, y in train:
            p = torch.randperm(len(y), generator=order)
            n = int(len(y) * val)
            parts.append(((x[p[n:]], y[p[n:]]), (x[p[:n]], y[p[:n]])))
        train, evaluated = [a for a, _ in parts], [b for _, b in parts]

    torch.manual_seed(seed)
    model = build_model(
        "mlp",
        in_features=784,
        num_classes=10,
        hidden=[int(h) for h in kv.get("hidden", "1000").split(",")],
        bias=kv.get("bias", "0") == "1",
        normalized=kv.get("norm", "1") == "1",
    )
    if kv.get("act", "hard_ash") != "relu":
        swap_activations(
            model, kv.get("act", "hard_ash"), functional=False, **activation_params(kv)
        )
    head = [m for m in model.modules() if isinstance(m, nn.Linear)][-1]
    if float(kv.get("headnorm", 0)) > 0:
        cosine_head(head, float(kv["headnorm"]))
    head_ids = {id(p) for p in head.parameters()}
    body = [p for p in model.parameters() if id(p) not in head_ids]
    optimizer = make_optimizer(kv, body, list(head.parameters()))
    clip, batch = float(kv.get("clip", 0.01)), int(kv.get("bs", 64))

    def accuracies() -> list[float]:
        model.eval()
        with torch.no_grad():
            out = [(model(x).argmax(1) == y).float().mean().item() for x, y in evaluated]
        model.train()
        return out

    R, start = [], time.time()
    for x, y in train:
        for _ in range(int(kv.get("epochs", 1))):
            perm = torch.randperm(len(y), generator=order)
            for i in range(0, len(y), batch):
                rows = perm[i : i + batch]
                loss = F.cross_entropy(model(x[rows]), y[rows])
                optimizer.zero_grad()
                loss.backward()
                before = [p.detach().clone() for p in model.parameters()] if clip > 0 else []
                optimizer.step()
                with torch.no_grad():  # no-op when clip = 0 (before is empty)
                    for p, old in zip(model.parameters(), before, strict=False):
                        p.copy_(old + (p - old).clamp_(-clip, clip))
        R.append(accuracies())
    T = len(R)
    if kv.get("showR"):
        for row in R:
            print(" ".join(f"{v:.2f}" for v in row))
    forgetting = sum(max(R[k][i] for k in range(i, T - 1)) - R[-1][i] for i in range(T - 1))
    return {
        "acc": round(sum(R[-1]) / T, 4),
        "la": round(sum(R[i][i] for i in range(T)) / T, 4),
        "fgt": round(forgetting / (T - 1), 4),
        "s": round(time.time() - start, 1),
        "args": kv,
    }


if __name__ == "__main__":
    print(json.dumps(main(dict(a.split("=", 1) for a in sys.argv[1:]))), flush=True)
