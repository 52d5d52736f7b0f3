"""Split-MNIST with a plain LightningModule and one added callback.

    python examples/lightning_split_mnist.py                  # Hard ASH swapped in
    python examples/lightning_split_mnist.py --baseline       # ... and the ReLU run beside it
    python examples/lightning_split_mnist.py --activation elephant --epochs 2
    python examples/lightning_split_mnist.py --devices 2      # DDP on 2 CPU processes
    python examples/lightning_split_mnist.py --activation elephant --optimizer adam --lr 1e-3
    python examples/lightning_split_mnist.py --accelerator gpu --precision bf16-mixed

The module below is written the way Lightning's docs write a classifier, with ``nn.ReLU``
modules. A model that calls ``F.relu(x)`` / ``torch.relu(x)`` inside ``forward`` (as Lightning's
demo models do) is swapped just as well: ``ActivationSwap`` swaps those calls while the model
runs, and logs what it swapped where.

The data are the 5,000-digit MNIST sample embedded in forgetless (no download), cut into the
five class-incremental experiences {0,1}, {2,3}, ..., {8,9}; one 10-way head, no replay. Each run
trains every experience in turn and prints the forgetting table (ACC, LA, BWT, FWT, forgetting;
a row whose learning accuracy LA is under the threshold is marked "did not learn").
"""

from __future__ import annotations

import argparse
import logging
import warnings

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch import nn

from forgetless.lightning import ActivationSwap
from forgetless.lightning.continual_loop import continual_trainer, fit_continual
from forgetless.metrics import learning_threshold
from forgetless.report import aggregate, format_table
from forgetless.scenarios import split_mnist


class LitMNIST(pl.LightningModule):
    """An MLP classifier for 28 x 28 digits (a plain LightningModule; nothing forgetless here)."""

    def __init__(self, hidden: int = 256, lr: float = 0.05, optimizer: str = "sgd") -> None:
        super().__init__()
        self.save_hyperparameters()
        self.model = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        if self.hparams.optimizer == "adam":
            return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


def run(scenario, activation: str | None, args: argparse.Namespace, seed: int) -> dict:
    torch.manual_seed(seed)
    callbacks = [ActivationSwap(activation)] if activation else []  # the one added callback
    trainer = continual_trainer(
        scenario,
        epochs_per_experience=args.epochs,
        seed=seed,
        callbacks=callbacks,
        accelerator=args.accelerator,
        devices=args.devices,
        precision=args.precision,
        strategy="ddp" if args.devices > 1 else "auto",
        logger=False,
        enable_model_summary=False,
        enable_progress_bar=args.progress,
    )
    metrics = fit_continual(
        trainer,
        LitMNIST(lr=args.lr, optimizer=args.optimizer),
        scenario,
        batch_size=64,
        epochs_per_experience=args.epochs,
        seed=seed,
    )
    return metrics.record() if trainer.is_global_zero else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activation", default="hard_ash", help="registry name to swap in")
    parser.add_argument("--baseline", action="store_true", help="also run the unchanged ReLU model")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per experience")
    parser.add_argument("--devices", type=int, default=1, help="CPU processes (DDP when > 1)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="one run per seed")
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--lr", type=float, default=None, help="default 0.05 (sgd), 1e-3 (adam)")
    parser.add_argument("--accelerator", default="cpu", help="cpu, gpu or auto")
    parser.add_argument("--precision", default="32-true", help="e.g. 32-true, bf16-mixed")
    parser.add_argument("--matrix", action="store_true", help="print each run's R")
    parser.add_argument("--progress", action="store_true", help="show the bar (with experience)")
    args = parser.parse_args()
    if args.lr is None:
        args.lr = 0.05 if args.optimizer == "sgd" else 1e-3
    warnings.filterwarnings("ignore")
    logging.getLogger("pytorch_lightning").setLevel(logging.ERROR)
    scenario = split_mnist(n_experiences=5, source="embedded")
    names = ([None] if args.baseline else []) + [args.activation]
    records = [run(scenario, name, args, seed) for name in names for seed in args.seeds]
    if records[-1]:
        threshold = learning_threshold([len(c) for c in scenario.classes])
        print(format_table(aggregate(records, la_threshold=threshold)))
        for record in records if args.matrix else []:
            print(f"\n{record['activation']}: R (row i = after experience i)")
            for row in record["accuracy_matrix"]:
                print("  " + " ".join(f"{v:.2f}" for v in row))


if __name__ == "__main__":
    main()
